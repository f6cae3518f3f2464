// unclosed-connection: a function that makes its connections in locals and hands out an object whose release
// ends them (`resolve({ port, broadcast, close() { … wss.close(cb) } })`) is a class written as a closure: a
// server it started or a pool it made that this release leaves out stays open once the owner closes the object
// (a test's `after()` then leaves the port bound, and mocha cannot exit). A ws `WebSocketServer` given the HTTP
// server as `{ server }` does not close it. Look-alikes: the release closes the server too, the object holds the
// server (`{ server, close }`), Socket.IO is given the server (its `close()` closes it), the server never listens,
// and a release that closes nothing the function made.
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

export const valid: ValidCase[] = [
  {
    name: "the dashboard's close() closes the WebSocketServer and then the HTTP server",
    code: dashboard(`close() {
                clearInterval(heartbeat);
                return new Promise((done) => wss.close(() => server.close(() => done())));
              },`),
    file: 'src/dashboard.js',
  },
  {
    name: 'the object it hands out holds the HTTP server: its owner can close it',
    code: dashboard(FORGETS_SERVER, '\n              server,'),
    file: 'src/dashboard.js',
  },
  {
    name: 'a release that only clears a timer ends nothing the function made: no sign it means to end the server',
    code: dashboard(`close() {
                clearInterval(heartbeat);
              },`),
    file: 'src/dashboard.js',
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
    name: "the dashboard's close() closes the WebSocketServer, which does not close the HTTP server it was given: the port stays bound",
    code: dashboard(FORGETS_SERVER),
    file: 'src/dashboard.js',
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
