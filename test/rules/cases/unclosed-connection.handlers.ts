// unclosed-connection: connections whose fate is decided in a timer, a listener or a hook: a field
// cleared by a stale-connection timer, a client made just before the promise that settles on it, an
// awaited 'error', an upgrade that another library's listener answers, a server hook's socket.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: "an 'upgrade' listener that writes a refusal to the socket and never ends it: it answered, so it owns it",
    code: `
      import type http from 'node:http';
      import type { IncomingMessage } from 'node:http';
      import type { Duplex } from 'node:stream';
      export function refuseUpgrades(server: http.Server) {
        server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
          socket.on('error', () => {});
          socket.write('HTTP/1.1 400 Bad Request\\r\\n\\r\\n');
        });
      }`,
    errors: [{ line: 5 }],
  },
  {
    name: 'a stale-connection timer clears the field without closing the WebSocket it holds',
    code: `
      import WebSocket from 'ws';
      export class Feed {
        private ws: WebSocket | null = null;
        private timer: NodeJS.Timeout | null = null;
        connect(url: string): void {
          const ws = new WebSocket(url);
          this.ws = ws;
          ws.on('message', () => this.arm());
          ws.on('close', () => {
            if (this.ws === ws) this.ws = null;
          });
        }
        private arm(): void {
          if (this.timer) clearTimeout(this.timer);
          this.timer = setTimeout(() => {
            this.ws = null;
          }, 30_000);
        }
        stop(): void {
          this.ws?.close();
          this.ws = null;
        }
      }`,
    errors: [{ line: 6, messageId: 'cleared', message: /`this\.ws` is set to nothing on line 16/ }],
  },
  {
    name: 'Socket.IO clients made in a loop; the promise settles on a match without disconnecting them',
    code: `
      import { io } from 'socket.io-client';
      export async function swarm(url: string, players: number): Promise<number> {
        let matched = 0;
        const pending: Promise<void>[] = [];
        for (let i = 0; i < players; i++) {
          const socket = io(url, { forceNew: true });
          pending.push(new Promise<void>((resolve) => {
            const timer = setTimeout(() => { socket.disconnect(); resolve(); }, 30_000);
            socket.once('match', () => {
              clearTimeout(timer);
              matched++;
              resolve();
            });
          }));
        }
        await Promise.all(pending);
        return matched;
      }`,
    errors: [{ line: 6, messageId: 'somePaths' }],
  },
  {
    name: "an echo server started in before(), awaited with once(server, 'listening') and never closed",
    code: `
      const net = require('net');
      const { once } = require('events');
      describe('tunnel', function () {
        let echo;
        let port;
        before(async function () {
          echo = net.createServer((socket) => socket.pipe(socket));
          echo.listen(0, '127.0.0.1');
          await once(echo, 'listening');
          port = echo.address().port;
        });
        it('relays', function () {});
      });`,
    ext: '.js',
    file: 'test/tunnel.test.js',
    errors: [{ line: 7, messageId: 'suiteNeverCloses' }],
  },
  {
    name: "an 'upgrade' router that ignores unknown paths; the server is returned, not handed to a library",
    code: `
      import * as http from 'http';
      import { WebSocketServer } from 'ws';
      export function createRealtimeServer(handler: http.RequestListener) {
        const server = http.createServer(handler);
        const chat = new WebSocketServer({ noServer: true });
        server.on('upgrade', (req, socket, head) => {
          if (req.url === '/chat') chat.handleUpgrade(req, socket, head, (ws) => chat.emit('connection', ws, req));
        });
        return { server, chat };
      }`,
    errors: [{ line: 6, messageId: 'somePaths' }],
  },
  {
    name: "a Socket.IO client settles in the acknowledgement of its own emit without disconnecting",
    code: `
      import { io } from 'socket.io-client';
      export function snapshot(url: string, room: string): Promise<unknown> {
        return new Promise((resolve, reject) => {
          const socket = io(url, { reconnection: false });
          const timer = setTimeout(() => { socket.disconnect(); reject(new Error('timeout')); }, 5000);
          socket.on('connect', () => {
            socket.emit('snapshot', room, (snap: unknown) => {
              clearTimeout(timer);
              resolve(snap);
            });
          });
        });
      }`,
    errors: [{ line: 4, messageId: 'somePaths' }],
  },
  {
    name: 'a TLS-or-TCP socket whose handshake timer rejects without destroying it; the handshake listener hands it on',
    code: `
      import * as net from 'net';
      import * as tls from 'tls';
      export class Client {
        private socket?: net.Socket;
        connect(host: string, port: number, secure: boolean): Promise<void> {
          return new Promise((resolve, reject) => {
            const sock = secure ? tls.connect({ host, port }) : net.connect({ host, port });
            const timer = setTimeout(() => reject(new Error('no handshake')), 10_000);
            sock.once('error', (err) => { clearTimeout(timer); reject(err); });
            const onData = () => {
              clearTimeout(timer);
              sock.off('data', onData);
              this.socket = sock;
              resolve();
            };
            sock.on('data', onData);
          });
        }
      }`,
    errors: [{ line: 7, messageId: 'somePaths' }],
  },
  {
    name: "an HTTP/2 session closed only when its request's stream ends with 200",
    code: `
      import * as http2 from 'http2';
      export function push(authority: string, path: string): Promise<void> {
        return new Promise((resolve, reject) => {
          const session = http2.connect(authority);
          session.once('error', reject);
          const req = session.request({ ':method': 'POST', ':path': path });
          let status = 0;
          req.on('response', (headers) => { status = Number(headers[':status']); });
          req.on('end', () => {
            if (status !== 200) {
              reject(new Error(String(status)));
              return;
            }
            session.close();
            resolve();
          });
          req.end('{}');
        });
      }`,
    errors: [{ line: 4, messageId: 'somePaths' }],
  },
  {
    name: 'reconfigure() connects again and the new WebSocket overwrites an open one',
    code: `
      import WebSocket from 'ws';
      export class Upstream {
        private ws?: WebSocket;
        constructor(private url: string) {}
        start(): void { this.connect(); }
        reconfigure(url: string): void {
          this.url = url;
          this.connect();
        }
        stop(): void { this.ws?.close(); }
        private connect(): void {
          this.ws = new WebSocket(this.url);
          this.ws.on('message', () => {});
        }
      }`,
    errors: [{ line: 12, messageId: 'overwrite' }],
  },
  {
    name: 'a TLS socket read through readline (which never closes its input) and left open when AUTH is refused',
    code: `
      import * as tls from 'tls';
      import { once } from 'events';
      import { createInterface } from 'readline';
      export async function run(host: string, token: string): Promise<string | null> {
        const socket = tls.connect({ host, port: 7443 });
        await once(socket, 'secureConnect');
        const lines = createInterface({ input: socket })[Symbol.asyncIterator]();
        socket.write('AUTH ' + token + '\\n');
        const auth = (await lines.next()).value;
        if (auth !== 'OK') return null;
        socket.end();
        return auth;
      }`,
    errors: [{ line: 5, messageId: 'somePaths' }],
  },
  {
    name: "a probe server whose local finish() that closes it runs only from the 'error' listener",
    code: `
      const net = require('net');
      function canBind(host) {
        return new Promise((resolve) => {
          const srv = net.createServer();
          const finish = (ok) => srv.close(() => resolve(ok));
          srv.once('error', () => finish(false));
          srv.listen(0, host, () => resolve(true));
        });
      }
      module.exports = { canBind };`,
    ext: '.js',
    errors: [{ line: 4, messageId: 'never' }],
  },
  {
    name: 'a test server listened on by a helper of the file and never closed',
    code: `
      import * as http from 'http';
      import type { AddressInfo } from 'net';
      declare function it(name: string, fn: () => Promise<void>): void;
      function listen(srv: http.Server): Promise<string> {
        return new Promise((resolve) => srv.listen(0, () => resolve('http://127.0.0.1:' + (srv.address() as AddressInfo).port)));
      }
      it('reports red when the cluster answers 503', async () => {
        const srv = http.createServer((_req, res) => res.writeHead(503).end());
        const url = await listen(srv);
        const res = await fetch(url);
        await res.text();
      });`,
    file: 'test/health.test.ts',
    errors: [{ line: 8, messageId: 'never' }],
  },
  {
    name: "an 'upgrade' listener on a server the function made itself that returns for other paths: nothing else answers them",
    code: `
      import http from 'node:http';
      import { WebSocketServer } from 'ws';
      export function createRealtime(handler: http.RequestListener) {
        const server = http.createServer(handler);
        const wss = new WebSocketServer({ noServer: true });
        server.on('upgrade', (req, socket, head) => {
          if (req.url !== '/chat') return;
          wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
        });
        return server;
      }`,
    errors: [{ line: 6 }],
  },
  {
    name: "an 'upgrade' listener on a server the file was given that writes a refusal and returns without ending the socket",
    code: `
      import type { Server } from 'node:http';
      import { WebSocketServer } from 'ws';
      export function attach(server: Server, wss: WebSocketServer, authorized: (url: string) => boolean) {
        server.on('upgrade', (req, socket, head) => {
          if (!authorized(req.url ?? '')) {
            socket.write('HTTP/1.1 401 Unauthorized\\r\\n\\r\\n');
            return;
          }
          wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
        });
      }`,
    errors: [{ line: 4 }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "an 'upgrade' listener that only gives each socket an error handler: the services' own upgrade listeners answer and close it",
    code: `
      import type http from 'node:http';
      import type { IncomingMessage } from 'node:http';
      import type { Duplex } from 'node:stream';
      export default function onupgrade(server: http.Server) {
        server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
          socket.on('error', (error: NodeJS.ErrnoException) => {
            if (error.code === 'ECONNRESET') return;
            console.error('socket error during upgrade', error, req.url);
          });
        });
      }`,
  },
  {
    name: 'the field is cleared in its close listener and after close() in stop()',
    code: `
      import WebSocket from 'ws';
      export class Feed {
        private ws: WebSocket | null = null;
        connect(url: string): void {
          const ws = new WebSocket(url);
          this.ws = ws;
          ws.on('close', () => {
            setTimeout(() => { this.ws = null; }, 10);
          });
        }
        stop(): void {
          this.ws?.close();
          this.ws = null;
        }
      }`,
  },
  {
    name: 'a stale timer that terminates the socket before clearing the field',
    code: `
      import WebSocket from 'ws';
      export class Feed {
        private ws: WebSocket | null = null;
        connect(url: string): void {
          const ws = new WebSocket(url);
          this.ws = ws;
          ws.on('message', () => setTimeout(() => {
            this.ws?.terminate();
            this.ws = null;
          }, 30_000));
        }
      }`,
  },
  {
    name: 'Socket.IO clients also kept in a list that is disconnected afterwards',
    code: `
      import { io, Socket } from 'socket.io-client';
      export async function swarm(url: string, players: number): Promise<void> {
        const sockets: Socket[] = [];
        const pending: Promise<void>[] = [];
        for (let i = 0; i < players; i++) {
          const socket = io(url, { forceNew: true });
          sockets.push(socket);
          pending.push(new Promise<void>((resolve) => socket.once('match', () => resolve())));
        }
        await Promise.all(pending);
        for (const s of sockets) s.disconnect();
      }`,
  },
  {
    name: "a test awaits the WebSocket's 'error' (an error closes it)",
    code: `
      import WebSocket from 'ws';
      declare function test(name: string, fn: () => Promise<void>): void;
      test('refuses unknown paths', async () => {
        const ws = new WebSocket('ws://127.0.0.1:8080/nope');
        const err = await new Promise<Error>((resolve) => ws.once('error', resolve));
        if (!/404/.test(err.message)) throw err;
      });`,
    file: 'test/lobby.test.ts',
  },
  {
    name: "an 'upgrade' handler returns on a path that socket.io, attached to the same server, answers",
    code: `
      import * as http from 'http';
      import { Server as IOServer } from 'socket.io';
      import { WebSocketServer } from 'ws';
      export function start(port: number) {
        const server = http.createServer();
        const io = new IOServer(server, { path: '/rt' });
        const wss = new WebSocketServer({ noServer: true });
        server.on('upgrade', (req, socket, head) => {
          if (req.url?.startsWith('/rt')) return;
          if (!req.url?.startsWith('/ws')) {
            socket.end('HTTP/1.1 404 Not Found\\r\\n\\r\\n');
            return;
          }
          wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
        });
        server.listen(port);
        return { server, io };
      }`,
  },
  {
    name: "a server's connection handed to a method that reads it (the peer's close ends it)",
    code: `
      import * as net from 'net';
      export class Echo {
        start(port: number) {
          const server = net.createServer((socket) => this.session(socket));
          server.listen(port);
          return server;
        }
        private session(socket: net.Socket): void {
          socket.on('data', (d) => socket.write(d));
        }
      }`,
  },
  {
    name: 'reconfigure() closes the open WebSocket before connecting again',
    code: `
      import WebSocket from 'ws';
      export class Upstream {
        private ws?: WebSocket;
        constructor(private url: string) {}
        start(): void { this.connect(); }
        reconfigure(url: string): void {
          this.url = url;
          this.ws?.close();
          this.connect();
        }
        stop(): void { this.ws?.close(); }
        private connect(): void {
          this.ws = new WebSocket(this.url);
        }
      }`,
  },
  {
    name: 'a probe server closed by a local finish() that the listen callback calls',
    code: `
      const net = require('net');
      function canBind(host) {
        return new Promise((resolve) => {
          const srv = net.createServer();
          const finish = (ok) => {
            srv.removeAllListeners('error');
            srv.close(() => resolve(ok));
          };
          srv.once('error', () => finish(false));
          srv.listen(0, host, () => finish(true));
        });
      }
      module.exports = { canBind };`,
    ext: '.js',
  },
  {
    name: 'a server a test builds but never listens on binds no port',
    code: `
      import * as http from 'http';
      declare function it(name: string, fn: () => void): void;
      declare function expect(v: unknown): { toBeDefined(): void };
      it('accepts a plain handler', () => {
        const server = http.createServer((req, res) => res.end('ok'));
        expect(server).toBeDefined();
      });`,
    file: 'test/types.spec.ts',
  },
  {
    name: 'a consumer script keeps its connection until SIGINT, whose handler closes it',
    code: `
      const amqp = require('amqplib');
      (async () => {
        try {
          const connection = await amqp.connect('amqp://localhost');
          const channel = await connection.createChannel();
          process.once('SIGINT', async () => {
            await channel.close();
            await connection.close();
          });
          await channel.assertQueue('hello');
          await channel.consume('hello', (m) => console.log(m.content.toString()), { noAck: true });
        } catch (err) {
          console.warn(err);
        }
      })();`,
    ext: '.js',
    file: 'examples/receive.js',
  },
  {
    name: "the SIGINT handler is the connection's own close method",
    code: `
      const amqp = require('amqplib');
      (async () => {
        const connection = await amqp.connect('amqp://localhost');
        process.once('SIGINT', connection.close);
        const channel = await connection.createChannel();
        channel.consume('q', (m) => channel.ack(m));
      })();`,
    ext: '.js',
    file: 'examples/receive_stream.js',
  },
];
