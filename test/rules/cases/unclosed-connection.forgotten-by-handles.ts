// unclosed-connection: a function that makes its connections in locals and hands out an object whose release
// ends them (`resolve({ port, broadcast, close() { … wss.close(cb) } })`) is a class written as a closure: a
// server it started or a pool it made that this release leaves out stays open once the owner closes the object
// (a test's `after()` then leaves the port bound, and mocha cannot exit). A ws `WebSocketServer` given the HTTP
// server as `{ server }` does not close it. Look-alikes: the release closes the server too, the object holds the
// server (`{ server, close }`), Socket.IO is given the server (its `close()` closes it), the server never listens,
// and a release that closes nothing the function made. The same release terminating every client of the
// WebSocketServer closes a test's client the suite's `after()` leaves to it. The same for a class: a feed
// whose `stop()` closes the WebSocketServer it keeps beside the HTTP server it lent it. A Redis subscriber lent to
// socket.io's adapter (`createAdapter(pub, sub)`, which never quits it) and left out of the release.
// A function returning a stop function that only detaches its listener from the connection it made forgets that connection.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A dashboard factory in CommonJS: an HTTP server with a ws WebSocketServer on it; `close` is the handle's release. */
const dashboard = (close: string, extra = '') => `
      const http = require('node:http');
      const { WebSocketServer } = require('ws');
      function createDashboard({ port = 0, latest = () => ({}) } = {}) {
        const server = http.createServer((req, res) => {
          res.writeHead(req.url === '/healthz' ? 200 : 404);
          res.end();
        });
        const wss = new WebSocketServer({ server, path: '/live' });
        wss.on('connection', (ws) => ws.send(JSON.stringify(latest())));
        const heartbeat = setInterval(() => {
          for (const ws of wss.clients) ws.ping();
        }, 15000);
        return new Promise((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => {
            resolve({
              port: server.address().port,${extra}
              broadcast(message) {
                for (const ws of wss.clients) ws.send(JSON.stringify(message));
              },
              ${close}
            });
          });
        });
      }
      module.exports = { createDashboard };`;

const FORGETS_SERVER = `close() {
                clearInterval(heartbeat);
                for (const ws of wss.clients) ws.terminate();
                return new Promise((done) => wss.close(() => done()));
              },`;

/** A mocha suite of the dashboard: a client that waits for its snapshot and is left to the suite's after(). */
const DASHBOARD_SUITE = `
      const assert = require('node:assert/strict');
      const { once } = require('node:events');
      const WebSocket = require('ws');
      const { createDashboard } = require('./dashboard');
      describe('dashboard websocket', function () {
        let dashboard;
        before(async function () {
          dashboard = await createDashboard({ port: 0, latest: () => ({ line1: 1.2 }) });
        });
        after(function () {
          return dashboard.close();
        });
        it('sends a snapshot when a client connects', async function () {
          const ws = new WebSocket(\`ws://127.0.0.1:\${dashboard.port}/live\`);
          const [raw] = await once(ws, 'message');
          assert.equal(JSON.parse(raw.toString()).line1, 1.2);
        });
      });`;

/** A class keeping an HTTP server and a ws WebSocketServer on it; `stop` is its release's body. */
const feedClass = (stop: string) => `
      import http from 'node:http';
      import { WebSocketServer } from 'ws';
      export class DashboardFeed {
        private readonly server: http.Server;
        private readonly wss: WebSocketServer;
        constructor(private readonly port: number) {
          this.server = http.createServer((req, res) => res.writeHead(404).end());
          this.wss = new WebSocketServer({ server: this.server, path: '/feed' });
        }
        start(): Promise<void> {
          return new Promise((resolve) => this.server.listen(this.port, () => resolve()));
        }
        broadcast(data: unknown): void {
          for (const ws of this.wss.clients) ws.send(JSON.stringify(data));
        }
        stop(): Promise<void> {
          ${stop}
        }
      }`;

export const valid: ValidCase[] = [
  {
    name: "a feed class whose stop() closes its WebSocketServer and then the HTTP server",
    code: feedClass(`for (const ws of this.wss.clients) ws.terminate();
          return new Promise((resolve) => this.wss.close(() => this.server.close(() => resolve())));`),
  },
  {
    name: "a test's client left open: the suite's after() closes the dashboard, whose close() terminates every client of its WebSocketServer",
    code: DASHBOARD_SUITE,
    file: 'src/dashboard.test.js',
    ext: '.js',
    files: { 'src/dashboard.js': dashboard(`close() {
                clearInterval(heartbeat);
                for (const ws of wss.clients) ws.terminate();
                return new Promise((done) => wss.close(() => server.close(() => done())));
              },`) },
  },
  {
    name: "the dashboard's close() closes the WebSocketServer and then the HTTP server",
    code: dashboard(`close() {
                clearInterval(heartbeat);
                return new Promise((done) => wss.close(() => server.close(() => done())));
              },`),
    file: 'src/dashboard.js',
    ext: '.js',
  },
  {
    name: 'the object it hands out holds the HTTP server: its owner can close it',
    code: dashboard(FORGETS_SERVER, '\n              server,'),
    file: 'src/dashboard.js',
    ext: '.js',
  },
  {
    name: 'a release that only clears a timer ends nothing the function made: no sign it means to end the server',
    code: dashboard(`close() {
                clearInterval(heartbeat);
              },`),
    file: 'src/dashboard.js',
    ext: '.js',
  },
  {
    name: 'Socket.IO is given the HTTP server: its close() closes it',
    code: `
      import http from 'node:http';
      import { Server } from 'socket.io';
      import { createClient } from 'redis';
      export async function startHub(port: number) {
        const server = http.createServer();
        const io = new Server(server);
        const redis = createClient();
        await redis.connect();
        await new Promise<void>((r) => server.listen(port, r));
        return {
          io,
          async close() {
            io.close();
            await redis.quit();
          },
        };
      }`,
  },
  {
    name: 'a server the function never starts binds nothing',
    code: `
      import http from 'node:http';
      import WebSocket from 'ws';
      export function makeProbe(url: string) {
        const server = http.createServer((req, res) => res.end('ok'));
        const ws = new WebSocket(url);
        return {
          handler: server.listeners('request')[0],
          close() { ws.close(); },
        };
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a feed class whose stop() closes its WebSocketServer, which leaves the HTTP server it was lent listening",
    code: feedClass(`for (const ws of this.wss.clients) ws.terminate();
          return new Promise((resolve, reject) => this.wss.close((err) => (err ? reject(err) : resolve())));`),
    errors: [{ line: 7, messageId: 'classNeverCloses' }],
  },
  {
    name: "a test's client left open, and the dashboard's close() leaves its WebSocketServer's clients connected",
    code: DASHBOARD_SUITE,
    file: 'src/dashboard.test.js',
    ext: '.js',
    files: { 'src/dashboard.js': dashboard(`close() {
                clearInterval(heartbeat);
                return new Promise((done) => wss.close(() => server.close(() => done())));
              },`) },
    errors: [{ line: 14, messageId: 'never' }],
  },
  {
    name: "the dashboard's close() closes the WebSocketServer, which does not close the HTTP server it was given: the port stays bound",
    code: dashboard(FORGETS_SERVER),
    file: 'src/dashboard.js',
    ext: '.js',
    errors: [{ line: 4, messageId: 'handleForgets', message: /Server from `http.createServer` \(`server`\) is left open by the release on line 21 of the object this function hands out/ }],
  },
  {
    name: 'a store whose close() quits its Redis client and forgets its pg pool',
    code: `
      import pg from 'pg';
      import { createClient } from 'redis';
      export async function openStore(url: string) {
        const pool = new pg.Pool({ connectionString: url });
        const cache = createClient();
        await cache.connect();
        const store = {
          async get(id: string) {
            const hit = await cache.get(id);
            if (hit) return JSON.parse(hit);
            const { rows } = await pool.query('select * from items where id = $1', [id]);
            return rows[0];
          },
          close: async () => {
            await cache.quit();
          },
        };
        return store;
      }`,
    errors: [{ line: 4, messageId: 'handleForgets' }],
  },
];

/** A socket.io factory on the Redis adapter: `pub` and its duplicate `sub` are lent to `createAdapter`; `close` is the handle's release. */
const AUCTION_IO = (close: string) => `
      import type http from 'node:http';
      import { Server } from 'socket.io';
      import { createAdapter } from '@socket.io/redis-adapter';
      import Redis from 'ioredis';
      export function createAuctionIo(httpServer: http.Server) {
        const pubClient = new Redis(process.env.REDIS_URL!);
        const subClient = pubClient.duplicate();
        const io = new Server(httpServer, { adapter: createAdapter(pubClient, subClient, { key: 'auction' }) });
        return {
          io,
          async close() {
            await new Promise<void>((resolve) => io.close(() => resolve()));
            ${close}
          },
        };
      }`;

valid.push({
  name: "a socket.io factory whose close() quits both clients it lent to the Redis adapter",
  code: AUCTION_IO('await pubClient.quit();\n            await subClient.quit();'),
});
invalid.push({
  name: "the same factory whose close() quits only the publisher: the adapter's subscriber stays connected (createAdapter never quits it)",
  code: AUCTION_IO('await pubClient.quit();'),
  errors: [{ line: 7, message: /^Redis connection from `ioredis.duplicate` \(`subClient`\) is left open by the release on line 11/ }],
});

/** Live scores of one game over a Socket.IO connection of its own; `stop` is the body of the function it returns. */
const SCORES = (stop: string) => `
      import { io } from 'socket.io-client';
      export function subscribeScores(gameId: string, onUpdate: (u: unknown) => void): () => void {
        const socket = io('https://live.example/scores', { transports: ['websocket'], forceNew: true });
        const handler = (u: { gameId: string }) => { if (u.gameId === gameId) onUpdate(u); };
        socket.on('connect', () => socket.emit('watch', gameId));
        socket.on('score', handler);
        return () => {
${stop}
        };
      }`;

invalid.push({
  name: 'a subscription on a Socket.IO connection of its own whose returned stop function only detaches the listener',
  code: SCORES("          socket.emit('unwatch', gameId);\n          socket.off('score', handler);"),
  errors: [{ line: 3, message: /^Socket.IO client from `socket.io-client.io` \(`socket`\) is only detached by the function returned on line 7 to stop it, which never closes it/ }],
});
valid.push({
  name: 'the same subscription whose stop function disconnects the socket after detaching',
  code: SCORES("          socket.off('score', handler);\n          socket.disconnect();"),
});
