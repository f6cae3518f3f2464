const level = process.env.LOG_LEVEL ?? 'info';
const order = ['debug', 'info', 'warn', 'error'];

function write(lvl, fields, msg) {
  if (order.indexOf(lvl) < order.indexOf(level)) return;
  process.stderr.write(JSON.stringify({ t: new Date().toISOString(), lvl, msg, ...fields }) + '\n');
}

export const log = {
  debug: (f, m) => write('debug', f, m),
  info: (f, m) => write('info', f, m),
  warn: (f, m) => write('warn', f, m),
  error: (f, m) => write('error', f, m),
};
