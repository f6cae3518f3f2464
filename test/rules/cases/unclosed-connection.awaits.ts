// unclosed-connection: the awaits between opening and closing. An await that can reject skips the
// close; some cannot: a sleep written as a promise, and waiting for a signal of the process. Awaiting
// the resource's own close through a helper (p-event's pEvent, a test's waitFor) is a close.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** Two MongoDB clients connected together with Promise.all; `part` is the finally's close. */
const MOVE_COMPLETED = (part: string) => `
      import { MongoClient } from 'mongodb';
      export async function moveCompleted(olderThan) {
        const hot = new MongoClient(process.env.HOT_URI);
        const cold = new MongoClient(process.env.COLD_URI);
        try {
          await Promise.all([hot.connect(), cold.connect()]);
          const docs = await hot.db('relay').collection('plans').find({ completedAt: { $lt: olderThan } }).toArray();
          await cold.db('archive').collection('plans').insertMany(docs);
          return docs.length;
        } finally {${part}
        }
      }`;

/**
 * A line protocol's admin connection: `readReply` settles on the socket's next reply, its own 'error' or 'close';
 * `part` is more of its executor.
 */
const ADMIN_SOCKET = (part: string) => `
      const net = require('node:net');
      function readReply(sock) {
        return new Promise((resolve, reject) => {
          const onData = (chunk) => { cleanup(); resolve(chunk.toString('utf8')); };
          const onError = (err) => { cleanup(); reject(err); };
          const onClose = () => { cleanup(); reject(new Error('admin connection closed')); };
          const cleanup = () => { sock.off('data', onData); sock.off('error', onError); sock.off('close', onClose); };
          sock.on('data', onData);
          sock.on('error', onError);
          sock.on('close', onClose);${part}
        });
      }
      async function sendCommand(sock, line) {
        const reply = readReply(sock);
        sock.write(line + '\\n');
        return reply;
      }
      async function openAdmin(host, port, secret) {
        const sock = net.connect({ host, port });
        await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
        const banner = await readReply(sock);
        if (banner.startsWith('107')) {
          const auth = await sendCommand(sock, 'auth ' + secret);
          if (!auth.startsWith('200')) { sock.destroy(); throw new Error('auth rejected'); }
        }
        return sock;
      }
      module.exports = { openAdmin, sendCommand };`;

export const valid: ValidCase[] = [
  {
    name: "a control socket made on either branch (TLS or plain) whose connect event, picked the same way, is awaited with events.once: it rejects only on the socket's own error, which destroyed it",
    code: `
      import net from 'node:net';
      import tls from 'node:tls';
      import { once } from 'node:events';
      export class TowerLink {
        private control: net.Socket | null = null;
        constructor(private host: string, private port: number, private secure: boolean) {}
        async open(): Promise<void> {
          const control = this.secure ? tls.connect({ host: this.host, port: this.port }) : net.connect({ host: this.host, port: this.port });
          await once(control, this.secure ? 'secureConnect' : 'connect');
          this.control = control;
        }
        close(): void { this.control?.end(); this.control = null; }
      }`,
  },
  {
    name: "awaits of helpers whose promise rejects only from the socket's own 'error' or 'close' listeners (named, removed again): a rejection comes from a socket already destroyed",
    ext: '.js',
    code: ADMIN_SOCKET(''),
  },
  {
    name: "the same two clients connected together with Promise.all and both closed in the finally",
    ext: '.js',
    code: MOVE_COMPLETED(`
          await Promise.all([hot.close(), cold.close()]);`),
  },
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
  {
    name: "a test awaits the socket's own close through a project helper that buffers its events",
    code: `
      const WebSocket = require('ws');
      function waitFor(socket, eventType) {
        return new Promise((resolve) => { socket._pending[eventType].push(resolve); });
      }
      it('rejects a bad transport', async () => {
        const socket = new WebSocket('ws://localhost:3000/engine.io/?EIO=4');
        socket._pending = { close: [] };
        socket.on('close', () => socket._pending.close.shift()?.());
        socket.on('error', () => {});
        await waitFor(socket, 'close');
      });`,
    ext: '.js',
    file: 'test/handshake.test.js',
  },
  {
    name: "a test that awaits its server's 'close', which the request handler brings about",
    code: `
      import http from 'node:http';
      import { once } from 'node:events';
      declare function stop(server: http.Server): Promise<void>;
      it('drains', async () => {
        const server = http.createServer(async (_req, res) => {
          res.end('bye');
          await stop(server);
        });
        server.listen(0);
        await fetch('http://localhost:' + (server.address() as { port: number }).port + '/').then((r) => r.text());
        await once(server, 'close');
      });`,
    file: 'test/drain.test.ts',
  },
  {
    name: "a wait on the WebSocket's own 'message' rejects only on its 'error', after which it is closed",
    code: `
      import WebSocket from 'ws';
      import { once } from 'node:events';
      export async function firstMessage(url: string): Promise<string> {
        const ws = new WebSocket(url);
        const [data] = await once(ws, 'message');
        ws.close();
        return String(data);
      }`,
  },
  {
    name: "a port probe whose promise of the socket's 'connect' ends it in then(): if it rejects, the failed socket is destroyed",
    code: `
      const net = require('net');
      const { promise } = require('@xmpp/events');
      function isPortOpen(port) {
        const sock = new net.Socket();
        sock.connect({ port });
        return promise(sock, 'connect')
          .then(() => { sock.end(); sock.destroy(); return true; })
          .catch(() => false);
      }
      module.exports = { isPortOpen };`,
    ext: '.js',
  },
  {
    name: "p-event's pEvent(ws, 'close') resolves once the socket has closed",
    code: `
      import WebSocket from 'ws';
      import { pEvent } from 'p-event';
      export async function goodbye(url: string) {
        const ws = new WebSocket(url);
        await pEvent(ws, 'open');
        ws.send('bye');
        await pEvent(ws, 'close');
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'the same helper also rejecting when a timer fires: the socket is still open then',
    ext: '.js',
    code: ADMIN_SOCKET(`
          setTimeout(() => { cleanup(); reject(new Error('no reply')); }, 5000);`),
    errors: [{ line: 20, message: /not closed if the `await` on line 22 rejects, and on 1 other path/ }],
  },
  {
    name: "two MongoDB clients connected together with Promise.all; the finally closes only one",
    ext: '.js',
    code: MOVE_COMPLETED(`
          await hot.close();`),
    errors: [{ line: 4, message: /^MongoDB client from `mongodb.MongoClient` is never closed/ }],
  },
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
  {
    name: "awaiting a helper given the socket and another event is not a close",
    code: `
      import WebSocket from 'ws';
      import { pEvent } from 'p-event';
      export async function hello(url: string) {
        const ws = new WebSocket(url);
        await pEvent(ws, 'open');
        ws.send('hello');
        await pEvent(ws, 'message');
      }`,
    errors: [{ line: 4, message: /never closed|not closed|stays open/ }],
  },
  {
    name: 'opened inside a try whose catch logs and rethrows: the exit named is the try\'s own throw, and the fix closes it there',
    code: `
      import * as net from 'net';
      import { once } from 'events';
      export async function probe(host: string, log: (e: unknown) => void): Promise<void> {
        try {
          const socket = net.connect(6379, host);
          await once(socket, 'connect');
          if (!socket.remoteAddress) throw new Error('no peer');
          socket.end();
        } catch (e) {
          log(e);
          throw e;
        }
      }`,
    errors: [{ line: 5, message: /when the `throw` on line 7 runs\. / }],
    fixes: ['safe: Close `socket` before the leaking exit', 'safe: Wrap the uses of `socket` in try/finally and close it in `finally`'],
  },
];
