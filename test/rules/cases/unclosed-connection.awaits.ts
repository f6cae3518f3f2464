// unclosed-connection: the awaits between opening and closing. An await that can reject skips the
// close; some cannot: a sleep written as a promise, and waiting for a signal of the process.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: 'a sleep written as a promise cannot reject: the socket is destroyed after it',
    code: `
      import * as net from 'net';
      export async function probe(port: number) {
        const s = net.connect(port);
        s.on('error', () => {});
        await new Promise((r) => setTimeout(r, 100));
        s.destroy();
      }`,
  },
  {
    name: 'a server that serves until SIGINT: events.once(process, …) does not reject',
    code: `
      import * as http from 'http';
      import { once } from 'events';
      export async function serve(port: number) {
        const server = http.createServer((req, res) => res.end('ok'));
        server.listen(port);
        await once(process, 'SIGINT');
        server.close();
      }`,
  },
  {
    name: 'a promise resolved by a signal listener, in a block executor that takes reject but never uses it',
    code: `
      import * as http from 'http';
      export async function serve(port: number) {
        const server = http.createServer((req, res) => res.end('ok'));
        server.listen(port);
        await new Promise<void>(function (resolve, _reject) {
          process.once('SIGTERM', () => resolve());
          process.once('SIGINT', () => resolve());
        });
        server.close();
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'an executor that hands reject to an error listener can reject',
    code: `
      import * as net from 'net';
      export async function hello(port: number, other: net.Socket) {
        const s = net.connect(port);
        await new Promise((resolve, reject) => {
          other.once('ready', resolve);
          other.once('error', reject);
        });
        s.destroy();
      }`,
    errors: [{ line: 3, message: /if the `await` on line 4 rejects/ }],
  },
  {
    name: 'an executor that does work besides timers and listeners can throw',
    code: `
      import * as net from 'net';
      export async function hello(port: number, payload: string) {
        const s = net.connect(port);
        await new Promise((resolve) => {
          const frame = JSON.parse(payload);
          setTimeout(() => resolve(frame), 10);
        });
        s.destroy();
      }`,
    errors: [{ line: 3, message: /if the `await` on line 4 rejects/ }],
  },
  {
    name: "events.once on another emitter rejects on its 'error'",
    code: `
      import * as http from 'http';
      import { once } from 'events';
      export async function serve(port: number, bus: NodeJS.EventEmitter) {
        const server = http.createServer((req, res) => res.end('ok'));
        server.listen(port);
        await once(bus, 'stop');
        server.close();
      }`,
    errors: [{ line: 4, message: /if the `await` on line 6 rejects/ }],
  },
];
