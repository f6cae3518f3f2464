// timeout-without-destroy: handlers that only log, with the standard library's computing functions in the message
// (`JSON.stringify(reply)`): those reach no connection, so the handler still leaves the socket open.
import { InvalidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: "a field-check script whose 'timeout' listener only logs the partial reply (JSON.stringify) and sets the exit code: the process waits on the open socket",
    code: `
      const net = require('node:net');
      const sock = net.connect({ host: process.argv[2], port: 4001 });
      sock.setTimeout(3000);
      let reply = '';
      sock.on('data', (chunk) => { reply += chunk; if (reply.includes('\\r')) sock.end(); });
      sock.on('timeout', () => {
        console.error(reply ? \`partial reply: \${JSON.stringify(reply)}\` : 'no reply within 3 s');
        process.exitCode = 2;
      });
      sock.on('error', (err) => { console.error(err.message); process.exitCode = 1; });`,
    ext: '.js',
    errors: [{ line: 6, messageId: 'handler' }],
  },
];
