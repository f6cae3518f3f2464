// unclosed-connection: relays and pipes. `src.pipe(sock)` ends `sock` when `src` ends, not when `src`
// fails (core/pipes.ts): a listener that swallows the source's error without destroying the
// destination leaves it open; with no listener the error ends the process. A connection opened per
// accepted connection must be closed when that one goes away, not only when its own far end closes
// (core/relays.ts): also a server-sent event stream's per-request subscriber, the request of an untyped
// `(req, res)` handler being the connection it serves.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A spectator relayed from the match's owner node; `onLeave` is the downstream 'close' listener's body. */
const SPECTATE = (onLeave: string) => `
      import WebSocket from 'ws';
      export const spectators = new Map<WebSocket, string>();
      export function relaySpectator(downstream: WebSocket, ownerUrl: string, matchId: string): void {
        spectators.set(downstream, matchId);
        const upstream = new WebSocket(\`\${ownerUrl}/spectate/\${matchId}\`, { handshakeTimeout: 5000 });
        upstream.on('message', (data, isBinary) => {
          if (downstream.readyState === WebSocket.OPEN) downstream.send(data, { binary: isBinary });
        });
        upstream.on('close', () => {
          if (downstream.readyState === WebSocket.OPEN) downstream.close(1000, 'feed ended');
        });
        upstream.on('error', (err) => console.warn('spectate feed failed', err.message));
        downstream.on('close', () => {
${onLeave}
        });
      }`;

/** A local port forward over an SSH session; `onBroken` runs before the listener returns on a broken session. */
const TUNNEL = (onBroken: string) => `
      const net = require('net');
      function startTunnel(ssh, opts) {
        const server = net.createServer();
        server.on('connection', onConnection);
        server.listen(opts.port);
        function onConnection(client) {
          if (ssh.isBroken) {
            ${onBroken}return;
          }
          ssh.forwardOut('127.0.0.1', 0, opts.dstAddr, opts.dstPort, (err, stream) => {
            if (err) client.destroy();
            else client.pipe(stream).pipe(client);
          });
        }
        return server;
      }
      module.exports = { startTunnel };`;

/** A server-sent event stream per HTTP request, fed by a Redis subscriber of its own; `onClose` is the request's 'close' listener body. */
const SSE_FEED = (onClose: string) => `
      const { redis } = require('./redis');
      function streamFrameEvents(req, res) {
        const sub = redis.duplicate();
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        sub.subscribe('radar:frames').catch((err) => res.destroy(err));
        sub.on('message', (_channel, message) => res.write('data: ' + message + '\\n\\n'));
        const keepAlive = setInterval(() => res.write(': ping\\n\\n'), 15000);
        req.on('close', () => {
          clearInterval(keepAlive);
${onClose}
        });
      }
      module.exports = { streamFrameEvents };`;
const REDIS_MODULE = { 'redis.js': "const Redis = require('ioredis');\nconst redis = new Redis(process.env.REDIS_URL);\nmodule.exports = { redis };\n" };

export const valid: ValidCase[] = [
  {
    name: "a server-sent event stream whose request's 'close' listener quits its Redis subscriber",
    code: SSE_FEED('          sub.quit().catch(() => {});'),
    ext: '.js',
    files: REDIS_MODULE,
  },
  {
    name: "the same named connection listener destroying the accepted socket when the session is broken",
    code: TUNNEL('client.destroy();\n            '),
    ext: '.js',
  },
  {
    name: "a Socket.IO client per browser socket, disconnected in the socket's 'disconnect' listener",
    code: `
      import { Server } from 'socket.io';
      import { io as connectUpstream } from 'socket.io-client';
      export function attach(httpServer: import('http').Server, url: string) {
        const io = new Server(httpServer);
        io.on('connection', (socket) => {
          const upstream = connectUpstream(url, { forceNew: true });
          upstream.on('update', (evt) => socket.emit('update', evt));
          socket.on('subscribe', (topic: string) => upstream.emit('join', topic));
          socket.on('disconnect', () => {
            upstream.off('update');
            upstream.disconnect();
          });
        });
        return io;
      }`,
  },
  {
    name: "a ws relay kept by the client's listeners and closed by a cleanup function on the client's close",
    code: `
      import { WebSocket, WebSocketServer } from 'ws';
      export function relay(wss: WebSocketServer, target: string) {
        wss.on('connection', (client) => {
          const upstream = new WebSocket(target);
          const cleanup = () => upstream.terminate();
          upstream.on('message', (data) => client.send(data));
          client.on('message', (data) => upstream.send(data));
          client.on('close', cleanup);
        });
      }`,
  },
  {
    name: "a WebSocket proxy that closes the upstream when the browser's connection closes",
    code: `
      const { WebSocket, WebSocketServer } = require('ws');
      function proxy(target) {
        const wss = new WebSocketServer({ noServer: true });
        wss.on('connection', (client) => {
          const upstream = new WebSocket(target);
          upstream.on('message', (d) => client.send(d));
          upstream.on('close', () => client.close());
          client.on('message', (d) => upstream.send(d));
          client.on('close', () => upstream.close());
        });
        return wss;
      }
      module.exports = { proxy };`,
    ext: '.js',
  },
  {
    name: 'a TCP relay that hands both sockets to a helper of its own',
    code: `
      import * as net from 'net';
      import { bridge } from './bridge';
      export const server = net.createServer((sock) => {
        const up = net.connect(6379);
        up.on('close', () => sock.destroy());
        bridge(sock, up);
      });`,
    files: { 'bridge.ts': 'import * as net from "net";\nexport function bridge(a: net.Socket, b: net.Socket) { a.pipe(b).pipe(a); a.on("close", () => b.destroy()); }\n' },
  },
  {
    name: "a test's proxy whose client 'error' listener is empty: in a passing test the client does not fail",
    code: `
      const net = require('net');
      describe('through a proxy', function () {
        let proxy;
        beforeEach(function (done) {
          proxy = net.createServer(function (client) {
            const upstream = net.connect(5432, 'localhost');
            client.pipe(upstream);
            upstream.pipe(client);
            client.on('error', function () {});
            upstream.on('error', function () {});
          });
          proxy.listen(0, done);
        });
        afterEach(function (done) {
          proxy.close(() => done());
        });
      });`,
    ext: '.js',
    file: 'test/proxy.test.js',
  },
  {
    name: "a CONNECT tunnel whose client 'error' listener destroys the upstream",
    code: `
      import * as net from 'net';
      import * as http from 'http';
      export function start(port: number) {
        const server = http.createServer();
        server.on('connect', (req, client, head) => {
          const upstream = net.connect(443, req.url ?? '', () => {
            client.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
            upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
          });
          upstream.on('error', () => client.destroy());
          client.on('error', () => upstream.destroy());
        });
        server.listen(port);
      }`,
  },
  {
    name: "no 'error' listener on the source: its failure is thrown and ends the process",
    code: `
      import * as net from 'net';
      export function relay(client: net.Socket, port: number) {
        const upstream = net.connect(port);
        upstream.pipe(client);
        client.pipe(upstream);
        upstream.on('error', () => client.destroy());
      }`,
  },
  {
    name: "the source's 'error' listener calls a cleanup function of the code's own",
    code: `
      import * as net from 'net';
      export function relay(client: net.Socket, port: number, cleanup: () => void) {
        const upstream = net.connect(port);
        upstream.pipe(client);
        client.pipe(upstream);
        upstream.on('error', () => client.destroy());
        client.on('error', () => cleanup());
      }`,
  },
  {
    name: "the source's 'close' listener destroys the destination, whatever the error listener does",
    code: `
      import * as net from 'net';
      export function relay(client: net.Socket, port: number) {
        const upstream = net.connect(port);
        upstream.pipe(client);
        client.pipe(upstream);
        upstream.on('error', () => client.destroy());
        client.on('error', (e) => console.warn('client', e.message));
        client.on('close', () => upstream.destroy());
      }`,
  },
  {
    name: "a CONNECT proxy with no 'error' listener on its upstream: a failed connect is uncaught and ends the process",
    code: `
      const http = require('http');
      const net = require('net');
      function tunnelProxy() {
        const server = http.createServer((req, res) => res.end());
        server.on('connect', (req, client, head) => {
          const upstream = net.connect(443, req.url.split(':')[0], () => {
            client.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
            upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
          });
        });
        return server;
      }
      module.exports = { tunnelProxy };`,
    ext: '.js',
  },
  {
    name: "the same relay closing the upstream when the spectator leaves",
    code: SPECTATE(`          spectators.delete(downstream);
          upstream.close();`),
  },
  {
    name: "a NATS connection per browser socket, drained in the socket's 'disconnect' listener",
    code: `
      import { Server, Socket } from 'socket.io';
      import { connect } from 'nats';
      export function attachGateway(io: Server, servers: string) {
        io.on('connection', async (socket: Socket) => {
          const nc = await connect({ servers, name: \`gateway-\${socket.id}\` });
          socket.on('watch', (lot: string) => {
            const sub = nc.subscribe(\`lot.\${lot}\`);
            void (async () => { for await (const m of sub) socket.emit('event', m.subject); })();
          });
          socket.on('disconnect', () => {
            void nc.drain();
          });
        });
      }`,
  },
  {
    name: "a pg client per ws connection, ended when the connection closes",
    code: `
      const { Client } = require('pg');
      const { WebSocketServer } = require('ws');
      function serve(port) {
        const wss = new WebSocketServer({ port });
        wss.on('connection', async (ws) => {
          const db = new Client();
          await db.connect();
          ws.on('message', async (m) => ws.send(JSON.stringify((await db.query(String(m))).rows)));
          ws.on('close', () => db.end());
        });
        return wss;
      }
      module.exports = { serve };`,
    ext: '.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a Redis subscriber duplicated per dashboard socket from a client typed RedisClientType; 'disconnect' only unsubscribes",
    code: `
      import type { Server, Socket } from 'socket.io';
      import type { RedisClientType } from 'redis';
      export function attachOccupancyFeed(io: Server, redis: RedisClientType): void {
        io.of('/occupancy').on('connection', async (socket: Socket) => {
          const channel = \`occupancy:\${String(socket.handshake.query.ward)}\`;
          const sub = redis.duplicate();
          sub.on('error', (err: Error) => socket.emit('feed-error', err.message));
          await sub.connect();
          await sub.subscribe(channel, (message) => socket.emit('occupancy', JSON.parse(message)));
          socket.on('disconnect', () => {
            void sub.unsubscribe(channel);
          });
        });
      }`,
    errors: [{ line: 6, message: /^Redis connection from `redis.RedisClientType.duplicate`/ }],
  },
  {
    name: "a server-sent event stream whose request's 'close' listener only clears its timer and unsubscribes: the Redis subscriber of each past viewer stays open",
    code: SSE_FEED("          sub.unsubscribe('radar:frames').catch(() => {});"),
    ext: '.js',
    files: REDIS_MODULE,
    errors: [{ line: 3, message: /is not closed when the connection it serves \(line 2\) goes away/ }],
  },
  {
    name: "a named connection handler with a TypeScript `this` parameter: the socket is its second, and a refused client returns with it open",
    code: `
      import net from 'node:net';
      export function buildServer(allowed: Set<string>): net.Server {
        return net.createServer(handleConnect);
        function handleConnect(this: net.Server, socket: net.Socket): void {
          if (!allowed.has(socket.remoteAddress ?? '')) return;
          socket.end('hello\\n');
        }
      }`,
    errors: [{ line: 4, message: /^Socket from `net.createServer` is not closed when the `return` on line 5 is taken/ }],
  },
  {
    name: "an SSH tunnel's connection listener named and declared below its registration: a broken session returns with the accepted socket open",
    code: TUNNEL(''),
    ext: '.js',
    errors: [{ line: 6, message: /^Socket from `server.on\('connection'\)` is not closed when the `return` on line 8 is taken/ }],
  },
  {
    name: "a Socket.IO client per browser socket, kept by the socket's listeners; its 'disconnect' listener only removes listeners",
    code: `
      import { Server } from 'socket.io';
      import { io as connectUpstream } from 'socket.io-client';
      export function attach(httpServer: import('http').Server, url: string) {
        const io = new Server(httpServer);
        io.on('connection', (socket) => {
          const upstream = connectUpstream(url, { forceNew: true, auth: { token: socket.data.token } });
          upstream.on('update', (evt) => socket.emit('update', evt));
          socket.on('subscribe', (topic: string) => upstream.emit('join', topic));
          socket.on('disconnect', () => {
            upstream.off('update');
          });
        });
        return io;
      }`,
    errors: [{ line: 6, message: /goes away/ }],
  },
  {
    name: "a ws relay kept only by the client's listeners, with no listener for the client's end",
    code: `
      import { WebSocket, WebSocketServer } from 'ws';
      export function relay(wss: WebSocketServer, target: string) {
        wss.on('connection', (client) => {
          const upstream = new WebSocket(target);
          upstream.on('message', (data) => client.send(data));
          client.on('message', (data) => upstream.send(data));
        });
      }`,
    errors: [{ line: 4, message: /goes away/ }],
  },
  {
    name: "a WebSocket dev proxy whose upstream only waits for the backend: the browser's leaving does not close it",
    code: `
      import { WebSocket, WebSocketServer } from 'ws';
      export function createWsProxy(target: string) {
        const wss = new WebSocketServer({ noServer: true });
        wss.on('connection', (client, req) => {
          const upstream = new WebSocket(new URL(req.url ?? '/', target));
          upstream.on('message', (data) => client.send(data));
          upstream.on('close', () => client.close(1001, 'upstream closed'));
          client.on('message', (data) => upstream.send(data));
          client.on('error', (err) => console.warn('client error', err.message));
        });
        return wss;
      }`,
    errors: [{ line: 5, message: /not closed when the connection it serves \(line 4\) goes away: nothing that runs then closes it/ }],
    fixes: [],
  },
  {
    name: 'a per-connection TCP upstream closed only by its own far end',
    code: `
      const net = require('net');
      const server = net.createServer((sock) => {
        const up = net.connect(6379, 'cache.internal');
        up.on('data', (d) => sock.write(d));
        up.on('close', () => sock.destroy());
        sock.on('data', (d) => up.write(d));
      });
      module.exports = { server };`,
    ext: '.js',
    errors: [{ line: 3, message: /the connection it serves \(line 2\)/ }],
  },
  {
    name: "a CONNECT tunnel whose client 'error' listener only logs: the upstream stays open when the client fails",
    code: `
      import * as net from 'net';
      import * as http from 'http';
      export function start(port: number) {
        const server = http.createServer();
        server.on('connect', (req, client, head) => {
          const upstream = net.connect(443, req.url ?? '', () => {
            client.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
            upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
          });
          upstream.on('error', () => client.destroy());
          client.on('error', (err) => console.warn('tunnel client', err.message));
        });
        server.listen(port);
      }`,
    errors: [{ line: 6, message: /when the stream piped into it fails \(its `error` listener on line 13 leaves it open/ }],
    fixes: ['safe: Close `upstream` when the stream piped into it fails'],
    output: `
      import * as net from 'net';
      import * as http from 'http';
      export function start(port: number) {
        const server = http.createServer();
        server.on('connect', (req, client, head) => {
          const upstream = net.connect(443, req.url ?? '', () => {
            client.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
            upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
          });
          upstream.on('error', () => client.destroy());
          client.on('error', (err) => { console.warn('tunnel client', err.message); upstream.destroy(); });
        });
        server.listen(port);
      }`,
  },
  {
    name: 'a relay written with chained pipes and an error listener that counts failures',
    code: `
      const net = require('net');
      let failures = 0;
      function relay(client, port) {
        const upstream = net.connect(port);
        client.pipe(upstream).pipe(client);
        upstream.on('error', () => client.destroy());
        client.on('error', () => { failures++; });
      }
      module.exports = { relay };`,
    ext: '.js',
    errors: [{ line: 4, message: /line 7 leaves it open/ }],
    output: `
      const net = require('net');
      let failures = 0;
      function relay(client, port) {
        const upstream = net.connect(port);
        client.pipe(upstream).pipe(client);
        upstream.on('error', () => client.destroy());
        client.on('error', () => { failures++; upstream.destroy(); });
      }
      module.exports = { relay };`,
  },
  {
    name: "a relay function given the spectator's WebSocket: when the spectator leaves, only the map forgets it and the upstream stays open",
    code: SPECTATE(`          spectators.delete(downstream);`),
    errors: [{ line: 5, message: /not closed when the connection it serves \(line 3\) goes away/ }],
  },
  {
    name: "a NATS connection per browser socket, kept by the socket's listeners; its 'disconnect' listener only unsubscribes",
    code: `
      import { Server, Socket, } from 'socket.io';
      import { connect, Subscription } from 'nats';
      export function attachGateway(io: Server, servers: string) {
        io.on('connection', async (socket: Socket) => {
          const nc = await connect({ servers, name: \`gateway-\${socket.id}\` });
          const subs = new Map<string, Subscription>();
          socket.on('watch', (lot: string) => {
            const sub = nc.subscribe(\`lot.\${lot}\`);
            subs.set(lot, sub);
            void (async () => { for await (const m of sub) socket.emit('event', m.subject); })();
          });
          socket.on('disconnect', () => {
            for (const sub of subs.values()) sub.unsubscribe();
          });
        });
      }`,
    errors: [{ line: 5, message: /^NATS connection from `nats.connect` is not closed when the connection it serves \(line 4\) goes away/ }],
  },
  {
    name: "a pg client per ws connection, used by its message listener and never ended",
    code: `
      const { Client } = require('pg');
      const { WebSocketServer } = require('ws');
      function serve(port) {
        const wss = new WebSocketServer({ port });
        wss.on('connection', async (ws) => {
          const db = new Client();
          await db.connect();
          ws.on('message', async (m) => ws.send(JSON.stringify((await db.query(String(m))).rows)));
        });
        return wss;
      }
      module.exports = { serve };`,
    ext: '.js',
    errors: [{ line: 6, message: /not closed when the connection it serves \(line 5\) goes away/ }],
  },
];
