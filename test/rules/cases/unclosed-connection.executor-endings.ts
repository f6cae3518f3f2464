// unclosed-connection: how a promise executor's socket ends. Made with `allowHalfOpen: true`, it is not ended by the
// peer's FIN: an 'end' listener that settles without `end()` leaves it in CLOSE_WAIT, and a give-up timer that
// destroys it does not count once that listener has cleared it. A probe that settles through a function of its own
// (`const done = (ok) => resolve(…)`, a concise arrow) settles as `resolve` would: an idle 'timeout' listener that
// only calls it leaves the socket open. A give-up timer that the socket's 'connect' listener clears is gone before any
// 'data' arrives: a 'data' listener that rejects without closing leaves the socket open.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** One command to a gate controller that answers and half-closes; `onEnd` is more of the 'end' listener. */
const GATE = (onEnd: string) => `
      import net from 'node:net';
      export function sendGateCommand(host, command) {
        return new Promise((resolve, reject) => {
          const sock = net.connect({ host, port: 10001, allowHalfOpen: true });
          let reply = '';
          const timer = setTimeout(() => sock.destroy(new Error('no answer to ' + command)), 3000);
          sock.setEncoding('ascii');
          sock.on('connect', () => sock.write(command + '\\r\\n'));
          sock.on('data', (chunk) => { reply += chunk; });
          sock.on('end', () => {
            clearTimeout(timer);${onEnd}
            if (reply.startsWith('OK')) resolve(reply.trim());
            else reject(new Error('refused: ' + reply.trim()));
          });
          sock.on('error', (err) => { clearTimeout(timer); reject(err); });
        });
      }`;

/** A health probe of a PLC; `onTimeout` is its idle 'timeout' listener. */
const PROBE = (onTimeout: string) => `
      import net from 'node:net';
      export function probe(host: string): Promise<{ ok: boolean; ms: number }> {
        const started = Date.now();
        return new Promise((resolve) => {
          const done = (ok: boolean) => resolve({ ok, ms: Date.now() - started });
          const sock = net.connect({ host, port: 502 });
          sock.setTimeout(2_000, ${onTimeout});
          sock.once('error', () => done(false));
          sock.once('close', () => done(false));
          sock.once('connect', () => sock.write(Buffer.from([0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 1])));
          sock.once('data', (buf: Buffer) => {
            sock.end();
            done(buf.length >= 9);
          });
        });
      }`;

/** One command to a legacy controller over plain TCP; `refused` is what the 'data' listener does before rejecting a NAK. */
const LEGACY = (refused: string) => `
      import net from 'node:net';
      export function soundLegacy(host, code) {
        return new Promise((resolve, reject) => {
          const socket = net.connect({ host, port: 4001 });
          const connectTimer = setTimeout(() => socket.destroy(new Error('timed out')), 8000);
          let reply = '';
          socket.on('connect', () => {
            clearTimeout(connectTimer);
            socket.write(code + '\\r\\n');
          });
          socket.on('data', (chunk) => {
            reply += chunk;
            if (!reply.includes('\\n')) return;
            if (reply.trim() === 'ACK') {
              socket.end();
              resolve('ACK');
            } else {${refused}
              reject(new Error('answered ' + reply.trim()));
            }
          });
          socket.on('error', (err) => { clearTimeout(connectTimer); reject(err); });
        });
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a 'data' listener that rejects a NAK without closing, the give-up timer cleared by the 'connect' listener before",
    ext: '.mjs',
    code: LEGACY(''),
    errors: [{ line: 4, message: /^Socket from `net.connect` is not closed once the promise is settled on line 18/ }],
  },
  {
    name: "a half-open socket whose 'end' listener clears the give-up timer and settles without ending it",
    ext: '.mjs',
    code: GATE(''),
    errors: [{ line: 4, message: /^Socket from `net.connect` is never closed/ }],
  },
  {
    name: "a probe whose idle 'timeout' listener only settles, through a concise function of the executor",
    code: PROBE('() => done(false)'),
    errors: [{ line: 6, message: /^Socket from `net.connect` is not closed once the promise is settled on line 7/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same controller command destroying the socket before rejecting a NAK',
    ext: '.mjs',
    code: LEGACY('\n              socket.destroy();'),
  },
  {
    name: "the same half-open socket ended in its 'end' listener",
    ext: '.mjs',
    code: GATE('\n            sock.end();'),
  },
  {
    name: "the same probe destroying the socket on its idle 'timeout' before settling",
    code: PROBE('() => { sock.destroy(); done(false); }'),
  },
];
