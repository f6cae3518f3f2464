// unclosed-connection: a suite's handle whose after hook closes the server it holds in a property
// (`ingest.server.close()`); clients lent to a library that leaves them to their owner (BullMQ's `connection`),
// a Redis subscriber per browser connection that the connection's end only unsubscribes, and a handle a
// promise resolves with (`{ port, close }` of an SSH tunnel) that the caller never closes; a client lent to a
// helper that only returns its `db(name)`, or that only resolves with it once connected (`waitForConnect(socket)`).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const TUNNEL = `
      const net = require('net');
      const { Client } = require('ssh2');
      function openTunnel({ host, dstPort }) {
        return new Promise((resolve, reject) => {
          const conn = new Client();
          conn.once('error', reject);
          conn.once('ready', () => {
            const server = net.createServer((local) => {
              conn.forwardOut('127.0.0.1', 0, '127.0.0.1', dstPort, (err, remote) => {
                if (err) return local.destroy();
                local.pipe(remote).pipe(local);
              });
            });
            server.listen(0, '127.0.0.1', () => {
              resolve({ port: server.address().port, close: () => new Promise((done) => server.close(() => { conn.end(); done(); })) });
            });
          });
          conn.connect({ host, username: 'ci' });
        });
      }
      module.exports = { openTunnel };`;

/** A BullMQ suite whose beforeEach gives its queue an ioredis client; `teardown` is its afterEach body. */
function bullSuite(teardown: string): string {
  return `
      import IORedis from 'ioredis';
      import { Queue } from 'bullmq';
      describe('email queue', () => {
        let connection: IORedis;
        let queue: Queue;
        beforeEach(async () => {
          connection = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
          queue = new Queue('emails-' + Date.now(), { connection });
          await queue.waitUntilReady();
        });
        afterEach(async () => {
          ${teardown}
        });
        it('counts waiting jobs', async () => {
          await queue.add('confirm', { to: 'a@example.com' });
          expect(await queue.getWaitingCount()).toBe(1);
        });
      });`;
}

/** A script's MongoDB client from a project helper, lent to `pushDb(client)`; `part` is the path where all indexes exist. */
const REINDEX = (part: string) => ({
  file: 'scripts/reindex.ts',
  files: {
    'src/db.ts': "import { Db, MongoClient } from 'mongodb';\nexport async function connectMongo(): Promise<MongoClient> {\n  const client = new MongoClient(process.env.MONGO_URL ?? 'mongodb://localhost');\n  await client.connect();\n  return client;\n}\nexport function pushDb(client: MongoClient): Db {\n  return client.db('push');\n}\n",
  },
  code: `
      import { connectMongo, pushDb } from '../src/db';
      async function main(): Promise<void> {
        const client = await connectMongo();
        try {
          const subscribers = pushDb(client).collection('subscribers');
          const existing = await subscribers.indexes();
          if (existing.some((i) => i.name === 'token_unique')) {
            console.log('indexes present');${part}
            return;
          }
          await subscribers.createIndex({ token: 1 }, { name: 'token_unique', unique: true });
        } catch (err) {
          console.error(err);
          process.exitCode = 1;
        }
        await client.close();
      }
      void main();`,
});

/** A cron job's Socket.IO client, given to a helper that waits for its connect and resolves with it; `use` is the job's body. */
const ESCALATE = (use: string) => `
      const { io } = require('socket.io-client');
      function waitForConnect(socket, timeoutMs = 10000) {
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('dispatch connect timeout')), timeoutMs);
          socket.once('connect', () => { clearTimeout(timer); resolve(socket); });
          socket.once('connect_error', (err) => { clearTimeout(timer); reject(err); });
        });
      }
      async function escalate(rows) {
        const dispatch = io(process.env.DISPATCH_URL, { transports: ['websocket'] });${use}
        return rows.length;
      }
      module.exports = { escalate };`;

export const invalid: InvalidCase[] = [
  {
    name: 'a client lent to a helper that only resolves with it once connected; the job drops what it resolves and never closes the client',
    ext: '.js',
    code: ESCALATE(`
        await waitForConnect(dispatch);
        for (const row of rows) dispatch.emit('noise:escalate', row);`),
    errors: [{ line: 10, message: /never closed; it stays open when the `return` on line 13 is taken/ }],
  },
  {
    name: "a script's client lent to a helper that returns only its db(name): the helper hands nothing on, and the early return leaves it open",
    ...REINDEX(''),
    errors: [{ line: 3, message: /not closed when the `return` on line 9 is taken/ }],
  },
  {
    name: "the same suite closing only the queue: BullMQ leaves a connection it is given to its owner, so each test's client stays open",
    code: bullSuite('await queue.close();'),
    file: 'src/queues/queues.spec.ts',
    errors: [{ line: 7, message: /that a test hook keeps in `connection`/ }],
  },
  {
    name: "an ioredis client lent to a BullMQ queue as its connection: the queue's close() leaves it open, and an early return skips both",
    code: `
      import IORedis from 'ioredis';
      import { Queue } from 'bullmq';
      async function main(jobId: string) {
        const redis = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
        const queue = new Queue('thumbnails', { connection: redis });
        const job = await queue.getJob(jobId);
        if (!job) {
          console.error('no job ' + jobId);
          return;
        }
        console.log(await job.getState());
        await queue.close();
        await redis.quit();
      }
      main(process.argv[2]).catch((err) => { console.error(err); process.exitCode = 1; });`,
    errors: [{ line: 4, message: /`return` on line 9/ }],
  },
  {
    name: "a Redis subscriber duplicated per browser WebSocket, only unsubscribed when the socket closes",
    code: `
      import type { WebSocket } from 'ws';
      import { connection } from './connection';
      export async function watchUpload(uploadId: string, ws: WebSocket): Promise<void> {
        const channel = 'progress:' + uploadId;
        const sub = connection.duplicate();
        sub.on('message', (ch: string, payload: string) => { if (ch === channel) ws.send(payload); });
        ws.on('close', () => { sub.unsubscribe(channel).catch(() => undefined); });
        await sub.subscribe(channel);
      }`,
    files: { 'connection.ts': "import IORedis from 'ioredis';\nexport const connection = new IORedis(process.env.REDIS_URL!);\n" },
    // The function is given the WebSocket it serves and waits for its 'close' (relays.ts servedParameter).
    errors: [{ line: 5, message: /not closed when the connection it serves \(line 3\) goes away/ }],
  },
  {
    name: "the same subscriber made in a ws server's connection listener: it outlives the connection it serves",
    code: `
      import IORedis from 'ioredis';
      import { WebSocketServer } from 'ws';
      const redis = new IORedis(process.env.REDIS_URL!);
      const wss = new WebSocketServer({ port: 8080 });
      wss.on('connection', (ws) => {
        const sub = redis.duplicate();
        sub.on('message', (_ch: string, payload: string) => ws.send(payload));
        ws.on('close', () => { sub.unsubscribe('news').catch(() => undefined); });
        sub.subscribe('news');
      });`,
    errors: [{ line: 6, message: /connection it serves/ }],
  },
  {
    name: 'the handle of an SSH tunnel a promise resolves with, never closed by its user',
    code: `
      const { Client: Pg } = require('pg');
      const { openTunnel } = require('./ssh-tunnel');
      async function withStagingDatabase(fn) {
        const tunnel = await openTunnel({ host: 'bastion', dstPort: 5432 });
        const client = new Pg({ host: '127.0.0.1', port: tunnel.port });
        await client.connect();
        try {
          return await fn(client);
        } finally {
          await client.end();
        }
      }
      module.exports = { withStagingDatabase };`,
    ext: '.js',
    file: 'lib/with-database.js',
    files: { 'lib/ssh-tunnel.js': TUNNEL },
    errors: [{ line: 4, message: /`openTunnel\(\)` is never closed/ }],
  },
];

/** A test suite whose BullMQ worker gets the suite's ioredis client; `after` is its afterAll's body. */
const WORKER_SUITE = (after: string) => `
      import IORedis from 'ioredis';
      import { Queue, Worker } from 'bullmq';
      describe('transcode worker', () => {
        let connection: IORedis;
        let queue: Queue;
        let worker: Worker;
        beforeAll(async () => {
          connection = new IORedis('redis://127.0.0.1:6379/15', { maxRetriesPerRequest: null });
          queue = new Queue('transcode-test', { connection });
          worker = new Worker('transcode-test', async () => 'done', { connection });
          await worker.waitUntilReady();
        });
        afterAll(async () => {
          ${after}
        });
        it('runs', async () => {
          await queue.add('transcode', { videoId: 'v1' });
        });
      });`;

invalid.push({
  name: "a BullMQ worker given the suite's ioredis client, never closed: it duplicates the client for its blocking fetch",
  code: WORKER_SUITE('await queue.close();\n          await connection.quit();'),
  file: 'src/worker.test.ts',
  errors: [{ line: 10, message: /keeps in `worker` \(line 10\) is never closed/ }],
});

export const valid: ValidCase[] = [
  {
    name: 'the same job keeping what the helper resolves with (who owns it then is not followed)',
    ext: '.js',
    code: ESCALATE(`
        const ready = await waitForConnect(dispatch);
        for (const row of rows) ready.emit('noise:escalate', row);
        ready.disconnect();`),
  },
  {
    name: 'the same script closing the client before that return',
    ...REINDEX(`
            await client.close();`),
  },
  {
    name: 'an ioredis client a BullMQ queue is given in beforeEach, quit after the queue closes',
    code: bullSuite('await queue.close();\n          await connection.quit();'),
    file: 'src/queues/queues.spec.ts',
  },
  {
    name: "the same BullMQ worker closed in the afterAll before the client it was given",
    code: WORKER_SUITE('await worker.close();\n          await queue.close();\n          await connection.quit();'),
    file: 'src/worker.test.ts',
  },
  {
    name: 'the ioredis client lent to a BullMQ queue, quit after the queue on every path',
    code: `
      import IORedis from 'ioredis';
      import { Queue } from 'bullmq';
      export async function countWaiting(name: string): Promise<number> {
        const redis = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
        const queue = new Queue(name, { connection: redis });
        try {
          return await queue.getWaitingCount();
        } finally {
          await queue.close();
          await redis.quit();
        }
      }`,
  },
  {
    name: 'the per-socket subscriber quit when the socket closes',
    code: `
      import type { WebSocket } from 'ws';
      import { connection } from './connection';
      export async function watchUpload(uploadId: string, ws: WebSocket): Promise<void> {
        const sub = connection.duplicate();
        sub.on('message', (_ch: string, payload: string) => ws.send(payload));
        ws.on('close', () => { sub.quit().catch(() => undefined); });
        await sub.subscribe('progress:' + uploadId);
      }`,
    files: { 'connection.ts': "import IORedis from 'ioredis';\nexport const connection = new IORedis(process.env.REDIS_URL!);\n" },
  },
  {
    name: "the tunnel handle closed in the user's finally",
    code: `
      const { openTunnel } = require('./ssh-tunnel');
      async function withTunnel(fn) {
        const tunnel = await openTunnel({ host: 'bastion', dstPort: 5432 });
        try {
          return await fn(tunnel.port);
        } finally {
          await tunnel.close();
        }
      }
      module.exports = { withTunnel };`,
    ext: '.js',
    file: 'lib/with-tunnel.js',
    files: { 'lib/ssh-tunnel.js': TUNNEL },
  },
  {
    name: "a suite's ingest handle `{ server, listen(), close() }` whose after hook closes its server property",
    ext: '.js',
    file: 'test/tcpIngest.test.js',
    code: `
      const { createIngestServer } = require('../src/ingest');
      describe('tcp ingest', function () {
        let ingest;
        before(async function () {
          ingest = createIngestServer();
          await ingest.listen(0, '127.0.0.1');
        });
        after(function () {
          ingest.server.close();
        });
        it('listens', function () {});
      });`,
    files: {
      'src/ingest.js': "const net = require('node:net');\nfunction createIngestServer() {\n  const server = net.createServer((socket) => socket.end());\n  return {\n    server,\n    listen(port, host) {\n      return new Promise((resolve) => server.listen(port, host, () => resolve(server.address())));\n    },\n    close() {\n      return new Promise((resolve) => server.close(() => resolve()));\n    },\n  };\n}\nmodule.exports = { createIngestServer };\n",
    },
  },
];
