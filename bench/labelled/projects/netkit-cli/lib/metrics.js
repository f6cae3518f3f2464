import dgram from 'node:dgram';

const HOST = process.env.STATSD_HOST ?? '127.0.0.1';
const PORT = Number(process.env.STATSD_PORT ?? 8125);

/** Sends one StatsD metric, e.g. timing('linkcheck.duration', 1234). */
export function send(metric) {
  const sock = dgram.createSocket('udp4');
  const buf = Buffer.from(metric);
  sock.send(buf, 0, buf.length, PORT, HOST, (err) => {
    if (err) console.error('statsd send failed', err.message);
  });
}

export const timing = (name, ms) => send(`${name}:${ms}|ms`);
export const increment = (name) => send(`${name}:1|c`);
