// unclosed-connection: a project helper given the resource that closes it on the paths where it returns
// nothing (`return null` after answering an upgrade and destroying its socket) and returns a value
// with it open: where the caller finds that result falsy, the resource is closed. A function that returns
// a handle made from the connection (an AMQP channel, a MongoDB `Db`) hands the connection on with it, and
// one that returns the connection with such a handle (`{ connection, channel }`) hands out the connection; one
// that returns it beside an object whose close hook closes it (`{ app, hub }` with `app.addHook('onClose', …)`)
// hands it out with that object.
// Helpers a TypeScript file loads with `require('./helper')` (which TypeScript binds only in JavaScript)
// are followed like imported ones. A helper that waits for its connection to open (`await once(ws, 'open')`)
// before returning it hands it out all the same. A test client kept in a handle's property (`{ socket, send }`)
// stays in it through a helper of that helper (`register()` returning `connectClient()`'s handle), and a
// closing helper's check of `client.socket.destroyed` returns with it closed. A promise that resolves an object
// holding the connection (`resolve({ conn, sftp })`) hands it out in that property; so does a returned object
// whose method uses it (`{ report(e) { conn.write(…) } }`), as one whose arrow property does.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A test suite's IRC client helpers: a handle `{ socket, lines, send }`, a helper of that helper, and quit(). */
const IRC_HELPERS = `'use strict';
const net = require('node:net');
const { once } = require('node:events');
async function connectClient(port) {
  const socket = net.connect({ port, host: '127.0.0.1' });
  await once(socket, 'connect');
  const lines = [];
  socket.on('data', (chunk) => lines.push(String(chunk)));
  return { socket, lines, send(line) { socket.write(line + '\\r\\n'); } };
}
async function quit(client) {
  if (client.socket.destroyed) return;
  const closed = once(client.socket, 'close');
  client.socket.end('QUIT\\r\\n');
  await closed;
}
async function register(port, nick) {
  const client = await connectClient(port);
  client.send('NICK ' + nick);
  return client;
}
module.exports = { connectClient, quit, register };
`;

/** A helper module that opens a socket (`open`) and one that destroys its argument (`finish`). */
const NET_HELPERS = {
  'helper.ts': "import * as net from 'net';\nexport function open(host: string) {\n  return net.connect(80, host);\n}\nexport function finish(s: net.Socket) {\n  s.destroy();\n}\n",
};

const AUTHORIZE = `
      function reject(socket, status) {
        socket.write('HTTP/1.1 ' + status + ' Unauthorized\\r\\nConnection: close\\r\\n\\r\\n');
        socket.destroy();
      }
      async function authorize(req, socket) {
        const token = req.headers.authorization;
        if (!token) { reject(socket, 401); return null; }
        const claims = await verify(token);
        if (!claims.active) { reject(socket, 403); return null; }
        return claims;
      }
      async function verify(token) { return { active: token.length > 3, sub: token }; }`;

/** A vitest test of a chat room with a local `connect()` helper that waits for each WebSocket to open; `end` ends the test. */
function roomTest(end: string): string {
  return `
      import { once } from 'node:events';
      import { it } from 'vitest';
      import WebSocket from 'ws';
      async function connect(port: number, id: string): Promise<WebSocket> {
        const ws = new WebSocket('ws://127.0.0.1:' + port + '/?id=' + id);
        await once(ws, 'open');
        return ws;
      }
      it('broadcasts to everyone but the sender', async () => {
        const alice = await connect(8080, 'alice');
        const bob = await connect(8080, 'bob');
        const received = once(bob, 'message');
        alice.send('gl hf');
        await received;
        alice.close();
${end}
      });`;
}

/** A broker helper returning the connection with its confirm channel (closed with it). */
const OPEN_BROKER = {
  'broker.ts': `import * as amqp from 'amqplib';
export async function openBroker(url: string) {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    return { connection, channel };
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }
}
`,
};

/** An escalation published through openBroker(); `onNack` runs when the broker does not confirm it. */
function escalation(onNack: string): string {
  return `
      import { openBroker } from './broker';
      export async function escalate(url: string, page: { id: string }): Promise<boolean> {
        const { connection, channel } = await openBroker(url);
        channel.publish('pages', 'escalation', Buffer.from(JSON.stringify(page)), { persistent: true });
        try {
          await channel.waitForConfirms();
        } catch {
${onNack}
          return false;
        }
        await connection.close();
        return true;
      }`;
}

export const valid: ValidCase[] = [
  {
    name: "a helper's connection, returned with its confirm channel, closed on the unconfirmed path too",
    code: escalation('          await connection.close();'),
    files: OPEN_BROKER,
  },
  {
    name: 'a status channel returned as an object whose method writes to the socket: its holder uses it',
    ext: '.js',
    code: `
      const net = require('node:net');
      function statusChannel(socketPath) {
        if (!socketPath) return { report() {} };
        const conn = net.connect(socketPath);
        conn.on('error', () => {});
        return {
          report(event) {
            if (conn.writable) conn.write(JSON.stringify(event) + '\\n');
          },
        };
      }
      module.exports = { statusChannel };`,
  },
  {
    name: "a test's IRC clients kept in a handle's socket property, one through a helper of that helper, each ended by quit(), which returns at once when the socket is already destroyed",
    code: `
      const { connectClient, quit, register } = require('./helpers');
      describe('server', function () {
        it('welcomes', async function () {
          const alice = await connectClient(6667);
          alice.send('NICK alice');
          await quit(alice);
        });
        it('refuses a taken nick', async function () {
          const bob = await register(6667, 'bob');
          const impostor = await connectClient(6667);
          impostor.send('NICK bob');
          await quit(impostor);
          await quit(bob);
        });
      });`,
    ext: '.js',
    file: 'test/server.test.js',
    files: { 'test/helpers.js': IRC_HELPERS },
  },
  {
    name: "a test's WebSockets from a helper that waits for them to open, both closed",
    code: roomTest('        bob.close();'),
    file: 'src/room.test.ts',
  },
  {
    name: "a TypeScript file whose socket is destroyed by a helper it loads with require('./helper')",
    code: `
      const { open, finish } = require('./helper');
      export function ping(host: string) {
        const s = open(host);
        s.write('ping');
        finish(s);
      }`,
    files: NET_HELPERS,
  },
  {
    name: "an upgrade handler returns when the helper's result is null: the helper destroyed the socket on those paths",
    code: `
      const http = require('http');
      ${AUTHORIZE}
      const server = http.createServer();
      server.on('upgrade', async (req, socket, head) => {
        let claims;
        try {
          claims = await authorize(req, socket);
        } catch {
          socket.destroy();
          return;
        }
        if (!claims) return;
        socket.end('HTTP/1.1 101 Switching Protocols\\r\\n\\r\\n');
      });
      server.listen(8080);`,
    ext: '.js',
  },
  {
    name: "a lazily opened AMQP channel returned to a module cache: the channel keeps its connection, which a failed setup closes",
    code: `
      import amqp from 'amqplib';
      export async function openChannel(url: string) {
        const conn = await amqp.connect(url);
        conn.on('error', (err) => console.warn(err.message));
        try {
          const ch = await conn.createConfirmChannel();
          await ch.assertExchange('orders', 'topic', { durable: true });
          return ch;
        } catch (err) {
          await conn.close().catch(() => undefined);
          throw err;
        }
      }`,
  },
  {
    name: "a MongoDB Db handle returned from the function that connected its client",
    code: `
      import { MongoClient } from 'mongodb';
      export async function openDb(url: string) {
        const client = await MongoClient.connect(url);
        return client.db('catalog');
      }`,
  },
];

/** A Fastify app factory returning `{ app, hub }`; `hooks` registers the app's hooks. */
const APP_TEST = (hooks: string) => `
      import Fastify from 'fastify';
      import { KitchenHub } from './hub';
      export async function buildApp() {
        const app = Fastify();
        const hub = new KitchenHub(app.server, process.env.REDIS_URL!);
        ${hooks}
        return { app, hub };
      }`;

const HUB = `
      import Redis from 'ioredis';
      import type { Server } from 'node:http';
      export class KitchenHub {
        private redis: Redis;
        constructor(readonly server: Server, url: string) { this.redis = new Redis(url); }
        async close() { await this.redis.quit(); }
      }`;

const TAKES_APP = `
      import { buildApp } from '../src/server';
      let app: Awaited<ReturnType<typeof buildApp>>['app'];
      beforeAll(async () => {
        ({ app } = await buildApp());
        await app.listen({ port: 0 });
      });
      afterAll(async () => { await app.close(); });
      it('serves', () => expect(app).toBeDefined());`;

valid.push({
  name: "a test that takes only the app of a factory's { app, hub }, whose onClose hook closes the hub",
  code: TAKES_APP,
  file: 'test/orders.test.ts',
  files: { 'src/server.ts': APP_TEST("app.addHook('onClose', async () => { await hub.close(); });"), 'src/hub.ts': HUB },
});

export const invalid: InvalidCase[] = [
  {
    name: "the same test when the factory's app has no hook that closes the hub: the hub it drops stays open",
    code: TAKES_APP,
    file: 'test/orders.test.ts',
    files: { 'src/server.ts': APP_TEST("app.addHook('onClose', async () => { console.log('closed'); });"), 'src/hub.ts': HUB },
    errors: [{ line: 4, message: /dropped where it is created/ }],
  },
  {
    name: "a helper's connection, returned with its confirm channel (the channel is the connection's), left open when the broker does not confirm",
    code: escalation('          console.warn(`page ${page.id} was not confirmed`);'),
    files: OPEN_BROKER,
    errors: [{ line: 3, message: /^AMQP connection from `openBroker\(\)` is not closed when the `return` on line 9 is taken/ }],
  },
  {
    name: "a subscriber duplicated from the shared client a helper of another module returns (a module const), left open when the timer wins",
    file: 'src/cache/seatRelease.ts',
    code: `
      import { ensureRedis } from './redis';
      export async function waitForRelease(channel: string, timeoutMs: number): Promise<boolean> {
        const shared = await ensureRedis();
        const subscriber = shared.duplicate();
        await subscriber.connect();
        return new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), timeoutMs);
          void subscriber.subscribe(channel, async () => {
            clearTimeout(timer);
            await subscriber.quit();
            resolve(true);
          });
        });
      }`,
    files: {
      'src/cache/redis.ts': `import { createClient } from 'redis';\nexport const redis = createClient({ url: process.env.REDIS_URL });\nexport async function ensureRedis(): Promise<typeof redis> {\n  if (!redis.isOpen) await redis.connect();\n  return redis;\n}\n`,
    },
    errors: [{ line: 4, message: /once the promise is settled on line 7/ }],
  },
  {
    name: "an SSH connection a helper of another module resolves in an object (`resolve({ conn, sftp })`), left open by the caller's throw",
    ext: '.mjs',
    file: 'src/sftp/upload.mjs',
    code: `
      import { openSftp } from './connect.mjs';
      export async function uploadArchive(cfg, localSize, put) {
        const { conn, sftp } = await openSftp(cfg);
        const remote = await put(sftp);
        if (remote.size !== localSize) {
          throw new Error('size mismatch');
        }
        conn.end();
        return remote;
      }`,
    files: {
      'src/sftp/connect.mjs': `import { Client } from 'ssh2';
export function openSftp(cfg) {
  return new Promise((resolve, reject) => {
    const conn = new Client();
    conn.once('ready', () => {
      conn.sftp((err, sftp) => {
        if (err) {
          conn.end();
          reject(err);
          return;
        }
        resolve({ conn, sftp });
      });
    });
    conn.once('error', (err) => {
      conn.end();
      reject(err);
    });
    conn.connect({ host: cfg.host, username: cfg.username });
  });
}
`,
    },
    errors: [{ line: 3, message: /when the `throw` on line 6 runs, and on 1 other path/ }],
  },
  {
    name: "an SSH session from a helper whose promise's executor connects it (`conn.once('ready', …).connect(o)`), left open by a throw before the try",
    code: `
      const { openConnection } = require('./connect');
      async function withLock(host, fn) {
        const conn = await openConnection(host);
        const held = await isLocked(conn);
        if (held) throw new Error('locked');
        try {
          return await fn(conn);
        } finally {
          conn.end();
        }
      }
      function isLocked(conn) { return new Promise((resolve) => conn.exec('test -d /var/lock/app', (err, s) => s.on('exit', (c) => resolve(c === 0)))); }
      module.exports = { withLock };`,
    ext: '.js',
    files: { 'connect.js': `
const { Client } = require('ssh2');
function openConnection(host) {
  return new Promise((resolve, reject) => {
    const conn = new Client();
    conn.once('ready', () => resolve(conn)).once('error', reject).connect({ host: host.address, username: 'deploy' });
  });
}
module.exports = { openConnection };
` },
    errors: [{ line: 3, message: /`throw` on line 5/ }],
  },
  {
    name: "a test's IRC client from a helper of the handle's helper, never ended: its socket is still the handle's",
    code: `
      const { register } = require('./helpers');
      describe('server', function () {
        it('registers', async function () {
          const carol = await register(6667, 'carol');
          carol.send('JOIN #general');
        });
      });`,
    ext: '.js',
    file: 'test/join.test.js',
    files: { 'test/helpers.js': IRC_HELPERS },
    errors: [{ line: 4, message: /Socket from `register\(\)` is never closed/ }],
  },
  {
    name: "a test's second WebSocket from a helper that waits for it to open (`await once(ws, 'open')`), never closed",
    code: roomTest(''),
    file: 'src/room.test.ts',
    errors: [{ line: 11, message: /^WebSocket from `connect\(\)` is never closed/ }],
  },
  {
    name: "a TypeScript file's socket from a helper destructured from require('./helper'), never closed",
    code: `
      const { open } = require('./helper');
      export function ping(host: string) {
        const s = open(host);
        s.write('ping');
      }`,
    files: NET_HELPERS,
    errors: [{ line: 3, message: /^Socket from `open\(\)` is never closed/ }],
  },
  {
    name: "the same through the module object (const helper = require('./helper'); helper.open(host))",
    code: `
      const helper = require('./helper');
      export function ping(host: string) {
        const s = helper.open(host);
        s.write('ping');
      }`,
    files: NET_HELPERS,
    errors: [{ line: 3, message: /^Socket from `open\(\)` is never closed/ }],
  },
  {
    name: 'the same handler when one null return of the helper leaves the socket open',
    code: `
      const http = require('http');
      async function authorize(req, socket) {
        if (!req.headers.authorization) return null;
        if (req.headers.authorization === 'x') { socket.destroy(); return null; }
        return { sub: req.headers.authorization };
      }
      const server = http.createServer();
      server.on('upgrade', async (req, socket, head) => {
        const claims = await authorize(req, socket);
        if (!claims) return;
        socket.end('HTTP/1.1 101 Switching Protocols\\r\\n\\r\\n');
      });
      server.listen(8080);`,
    ext: '.js',
    errors: [{ line: 8, message: /when the .return. on line 10 is taken/ }],
  },
  {
    name: "a function that returns only a count read through the channel: the connection is left open",
    code: `
      import amqp from 'amqplib';
      export async function queueDepth(url: string) {
        const conn = await amqp.connect(url);
        const ch = await conn.createChannel();
        const q = await ch.checkQueue('jobs');
        return q.messageCount;
      }`,
    errors: [{ line: 3 }],
  },
];
