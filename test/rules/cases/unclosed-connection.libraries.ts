// unclosed-connection: clients of libraries that own a pool or a reconnecting connection (knex,
// postgres.js, the Elasticsearch client, mongoose connections, Bull, Bee-Queue and BullMQ queues, NATS), left open on
// some path, beside the same clients closed, kept for the process or given an existing connection;
// a kafkajs consumer a test hook keeps, and an HTTP/2 session its connect listener closes.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A kafkajs suite whose `before()` makes a consumer on line 6 and connects it, then runs `then`; `rest` follows the hook. */
function consumerSuite(then: string[], rest: string[]): string {
  const lines = [
    '', "import { Kafka } from 'kafkajs';", "const kafka = new Kafka({ clientId: 'checkout-test', brokers: ['kafka:9092'] });",
    "describe('order events', () => {", '  let consumer;', '  before(async () => {', "    consumer = kafka.consumer({ groupId: 'checkout-test' });",
    '    await consumer.connect();', ...then.map((l) => '    ' + l), '  });', ...rest.map((l) => '  ' + l),
    "  it('consumes', () => expect(consumer).toBeDefined());", '});',
  ];
  return lines.map((l) => (l ? '      ' + l : l)).join('\n');
}

export const invalid: InvalidCase[] = [
  {
    name: 'a Bull queue (made without new) a test adds a job to and never closes',
    code: `
      const Queue = require('bull');
      it('adds a job', async () => {
        const queue = Queue('emails', 'redis://127.0.0.1:6379');
        await queue.add({ to: 'a@example.com' });
      });`,
    ext: '.js',
    file: 'test/emails.test.js',
    errors: [{ line: 3, message: /^Redis connection from `bull` is never closed/ }],
  },
  {
    name: 'a Bee-Queue queue a test makes with its own connection and never closes',
    code: `
      const BeeQueue = require('bee-queue');
      it('saves a job', async () => {
        const queue = new BeeQueue('thumbnails');
        await queue.createJob({ id: 1 }).save();
      });`,
    ext: '.js',
    file: 'test/thumbnails.test.js',
    errors: [{ line: 3, message: /^Redis connection from `bee-queue` is never closed/ }],
  },
  {
    name: 'node-imap: the promise is rejected when openBox fails, and the connected client is never ended',
    code: `
      import Imap from 'imap';
      export function countUnseen(account, mailbox = 'INBOX') {
        return new Promise((resolve, reject) => {
          const imap = new Imap({ user: account.user, password: account.password, host: account.host, port: 993, tls: true });
          imap.once('ready', () => {
            imap.openBox(mailbox, true, (err) => {
              if (err) {
                reject(err);
                return;
              }
              imap.search(['UNSEEN'], (searchErr, uids) => {
                imap.end();
                if (searchErr) reject(searchErr);
                else resolve(uids.length);
              });
            });
          });
          imap.once('error', reject);
          imap.connect();
        });
      }`,
    ext: '.mjs',
    errors: [{ line: 4 }],
  },
  {
    name: 'imapflow: a client connected and left open when the mailbox lock fails',
    code: `
      import { ImapFlow } from 'imapflow';
      export async function latestSubject(auth) {
        const client = new ImapFlow({ host: 'imap.example.com', port: 993, secure: true, auth });
        await client.connect();
        const lock = await client.getMailboxLock('INBOX');
        try {
          const msg = await client.fetchOne('*', { envelope: true });
          return msg.envelope.subject;
        } finally {
          lock.release();
          await client.logout();
        }
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: "http-proxy's proxy.listen(port) in a test: the server it starts is never closed",
    code: `
      const httpProxy = require('http-proxy');
      const http = require('http');
      it('forwards', (done) => {
        const proxy = httpProxy.createProxyServer({ target: 'http://127.0.0.1:8080' });
        proxy.listen(8081);
        http.get('http://127.0.0.1:8081', (res) => { res.resume(); done(); });
      });`,
    ext: '.js',
    file: 'test/proxy.test.js',
    errors: [{ line: 4 }],
  },
  {
    name: 'MongoClient.connect with a callback (driver 3): the client handed to the callback is left open on an early return',
    code: `
      const { MongoClient } = require('mongodb');
      function countUsers(url, done) {
        MongoClient.connect(url, { connectTimeoutMS: 5000 }, (err, client) => {
          if (err) return done(err);
          const users = client.db().collection('users');
          if (!users) return done(new Error('no users collection'));
          client.close();
          done(null, users);
        });
      }
      module.exports = { countUsers };`,
    ext: '.js',
    errors: [{ line: 3 }],
  },
  {
    name: 'a kafkajs consumer a before() hook connects and runs, in a variable named like the method that makes it, never disconnected',
    code: consumerSuite(['await consumer.run({ eachMessage: async () => undefined });'], []),
    file: 'test/order-events.test.ts',
    errors: [{ line: 6, message: /that a test hook keeps in `consumer` \(line 6\) is never closed/ }],
  },
  {
    name: 'a NATS connect a test expects to reject, followed by a step that may reject instead: a passing run may have connected',
    code: `
      import { connect } from 'nats';
      it('rejects the second step', async () => {
        async function connectAndPublish() {
          const nc = await connect({ servers: 'nats://localhost:4222' });
          nc.publish('x');
          await nc.flush();
        }
        await expect(connectAndPublish()).rejects.toThrow();
      });`,
    file: 'test/nats2.test.ts',
    errors: [{ line: 4 }],
  },
  {
    name: 'a knex instance of a migration script destroyed only when the migration succeeds',
    code: `
      const knex = require('knex');
      async function migrate(connection) {
        const db = knex({ client: 'pg', connection });
        const [, pending] = await db.migrate.list();
        if (pending.length === 0) return;
        await db.migrate.latest();
        await db.destroy();
      }
      module.exports = { migrate };`,
    ext: '.js',
    errors: [{ line: 3, message: /^Connection pool from `knex` is not closed when the `return` on line 5 is taken/ }],
  },
  {
    name: 'a postgres.js client of a tenant lookup, ended only after the second query',
    code: `
      import postgres from 'postgres';
      export async function tenantPlan(url: string, id: string) {
        const sql = postgres(url, { max: 1 });
        const [tenant] = await sql\`select plan from tenants where id = \${id}\`;
        if (!tenant) return 'free';
        const [usage] = await sql\`select count(*) from usage where tenant = \${id}\`;
        await sql.end();
        return usage.count > 1000 ? 'pro' : tenant.plan;
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'a mongoose connection of its own that a failed ping leaves open',
    code: `
      import mongoose from 'mongoose';
      export async function probe(uri: string) {
        const conn = await mongoose.createConnection(uri).asPromise();
        try {
          await conn.db.admin().ping();
        } catch {
          return false;
        }
        await conn.close();
        return true;
      }`,
    errors: [{ line: 3, message: /MongoDB client/ }],
  },
  {
    name: 'a BullMQ queue made for one job and closed only when the job was added',
    code: `
      import { Queue } from 'bullmq';
      export async function enqueueExport(userId: string) {
        const queue = new Queue('exports', { connection: { host: 'redis', port: 6379 } });
        if (!userId) return null;
        const job = await queue.add('export', { userId });
        await queue.close();
        return job.id;
      }`,
    errors: [{ line: 3, message: /Redis connection/ }],
  },
  {
    name: 'a NATS connection of a one-off request left open when the request times out',
    code: `
      import { connect, StringCodec } from 'nats';
      const sc = StringCodec();
      export async function askInventory(sku: string) {
        const nc = await connect({ servers: 'nats://nats:4222' });
        try {
          const msg = await nc.request('inventory.get', sc.encode(sku), { timeout: 1000 });
          await nc.drain();
          return sc.decode(msg.data);
        } catch {
          return null;
        }
      }`,
    errors: [{ line: 4, message: /NATS connection/ }],
  },
  {
    name: 'a close helper that skips values without a query() method: a real client can still skip the close',
    code: `
      const mongoose = require('mongoose');
      async function closeConnection(conn) {
        if (typeof conn.query !== 'function') return;
        await conn.close();
      }
      async function listCollections(url) {
        const conn = await mongoose.createConnection(url).asPromise();
        try {
          return await conn.db.listCollections().toArray();
        } finally {
          await closeConnection(conn);
        }
      }
      module.exports = { listCollections };`,
    ext: '.js',
    errors: [{ line: 7 }],
  },
  {
    name: 'node-redis: a client opened with connect().then() and left open on the early return after it',
    code: `
      import { createClient } from 'redis';
      export async function flagOn(url: string, key: string, enabled: boolean) {
        const client = createClient({ url });
        client.connect().then(() => client.ping()).catch(() => {});
        if (!enabled) return false;
        const v = await client.get(key);
        await client.quit();
        return v === '1';
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'an HTTP/2 session dropped where it is made, its connect listener closing only the stream',
    code: `
      import * as http2 from 'node:http2';
      export function ping(url: string): Promise<void> {
        return new Promise((resolve) => {
          http2.connect(url, (session: http2.ClientHttp2Session) => {
            const stream = session.request({ ':path': '/' });
            stream.close(http2.constants.NGHTTP2_CANCEL, () => resolve());
          });
        });
      }`,
    errors: [{ line: 4 }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'a knex instance without a connection only builds SQL: no driver, no pool (a query-building test)',
    code: `
      const Knex = require('knex');
      describe('toSQL', () => {
        it('builds a select', () => {
          const knex = Knex({ client: 'pg' });
          const sql = knex('users').where({ id: 1 }).toSQL().sql;
          if (!sql.includes('select')) throw new Error(sql);
        });
      });`,
    ext: '.js',
    file: 'test/sql.test.js',
  },
  {
    name: 'imapflow: logout() in finally closes the connection on every path (it closes it in its own finally)',
    code: `
      import { ImapFlow } from 'imapflow';
      export async function listFolders(auth) {
        const client = new ImapFlow({ host: 'imap.example.com', port: 993, secure: true, auth });
        await client.connect();
        try {
          return await client.list();
        } finally {
          await client.logout();
        }
      }`,
  },
  {
    name: "http-proxy: a ProxyServer used as middleware holds no port, and one listened on in a chain is closed with proxy.close()",
    code: `
      const httpProxy = require('http-proxy');
      const http = require('http');
      it('forwards and closes', (done) => {
        const proxy = httpProxy.createProxyServer({ target: 'http://127.0.0.1:8080' }).listen(8082);
        http.get('http://127.0.0.1:8082', (res) => { res.resume(); proxy.close(); done(); });
      });
      it('middleware only', (done) => {
        const proxy = httpProxy.createProxyServer({ target: 'http://127.0.0.1:8080' });
        const server = http.createServer((req, res) => proxy.web(req, res)).listen(0, () => { server.close(); done(); });
      });`,
    ext: '.js',
    file: 'test/proxy.test.js',
  },
  {
    name: 'MongoClient.connect with a callback (driver 3): the client comes to the callback, which closes it after its try/catch',
    code: `
      const mongo = require('mongodb').MongoClient;
      function upgrade(url) {
        return new Promise((resolve, reject) => {
          mongo.connect(url, { connectTimeoutMS: 5000 }, async (err, db) => {
            try {
              if (err !== null) { throw err; }
              const n = await db.collection('users').count();
              resolve(n);
            } catch (e) {
              reject(e);
            }
            db.close();
          });
        });
      }
      module.exports = { upgrade };`,
    ext: '.js',
  },
  {
    name: 'a kafkajs consumer a before() hook connects, disconnected in after()',
    code: consumerSuite([], ['after(() => consumer.disconnect());']),
    file: 'test/order-events2.test.ts',
  },
  {
    name: 'an Elasticsearch client a test never closes: its idle sockets are unref\'d and time out, like an agent\'s',
    code: `
      import { Client } from '@elastic/elasticsearch';
      it('creates an index', async () => {
        const client = new Client({ node: 'http://localhost:9200' });
        await client.indices.create({ index: 'people' });
        expect(await client.indices.exists({ index: 'people' })).toBe(true);
      });`,
    file: 'test/search.test.ts',
  },
  {
    name: 'a NATS connect that is the last step of a helper every call of which the test expects to reject',
    code: `
      import { connect } from 'nats';
      it('refuses a server that exits at once', async () => {
        async function bootAndConnect() {
          await connect({ servers: 'nats://localhost:4222', reconnect: false });
        }
        await expect(bootAndConnect()).rejects.toThrow();
      });`,
    file: 'test/nats.test.ts',
  },
  {
    name: 'mongoose createConnection() without a URI opens nothing until openUri()',
    code: `
      import mongoose from 'mongoose';
      export function collectionOf(name: string) {
        const conn = mongoose.createConnection();
        return conn.collection(name).collectionName;
      }`,
  },
  {
    name: 'a knex instance of the process, kept in a module',
    code: `
      import knex from 'knex';
      export const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
      export function users() { return db('users').select('*'); }`,
  },
  {
    name: 'a postgres.js client ended in finally',
    code: `
      import postgres from 'postgres';
      export async function count(url: string) {
        const sql = postgres(url);
        try {
          const [row] = await sql\`select count(*) from jobs\`;
          return row.count;
        } finally {
          await sql.end();
        }
      }`,
  },
  {
    name: 'a BullMQ queue given the process-wide Redis client, not closed: it owns no connection',
    code: `
      import { Queue } from 'bullmq';
      import IORedis from 'ioredis';
      const connection = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
      export async function enqueue(name: string, data: object) {
        const queue = new Queue(name, { connection });
        if (!name) return;
        await queue.add(name, data);
      }`,
  },
  {
    name: 'an Elasticsearch client returned to the caller that owns it',
    code: `
      import { Client } from '@elastic/elasticsearch';
      export function searchClient(node: string) {
        const client = new Client({ node });
        return client;
      }`,
  },
  {
    name: 'a NATS connection drained whatever the request does',
    code: `
      import { connect } from 'nats';
      export async function ask(subject: string, data: Uint8Array) {
        const nc = await connect({ servers: 'nats://nats:4222' });
        try {
          return await nc.request(subject, data, { timeout: 1000 });
        } finally {
          await nc.drain();
        }
      }`,
  },
  {
    name: "a mongoose connection whose first connect rejects in asPromise(): the driver closed it (its connect step), and the caller closes it in finally through a helper that skips values with no close()",
    code: `
      const mongoose = require('mongoose');
      async function openConnection(url) {
        const conn = mongoose.createConnection(url, { serverSelectionTimeoutMS: 5000 });
        await conn.asPromise();
        return { url, conn };
      }
      async function closeConnection(conn) {
        if (!conn || typeof conn.close !== 'function') return;
        try {
          await conn.close();
        } catch {
          // already closed
        }
      }
      async function listCollections(url) {
        let conn;
        try {
          const opened = await openConnection(url);
          conn = opened.conn;
          return await conn.db.listCollections().toArray();
        } finally {
          await closeConnection(conn);
        }
      }
      module.exports = { listCollections };`,
    ext: '.js',
  },
  {
    name: 'node-redis: a client made in a promise executor that throws before its connect().then(): nothing was open yet',
    code: `
      import { createClient } from 'redis';
      export function openRedis(url: string, database: string) {
        return new Promise((resolve, reject) => {
          const client = createClient({ url, socket: { reconnectStrategy: 3000 } });
          if (!(parseInt(database, 10) >= 0)) {
            throw new Error('no database selected');
          }
          client.on('error', reject);
          client.connect().then(() => resolve(client)).catch(reject);
        });
      }`,
  },
  {
    name: "an HTTP/2 session dropped where it is made, closed by the connect listener it is given to",
    code: `
      import * as http2 from 'node:http2';
      export function ping(url: string): Promise<void> {
        return new Promise((resolve) => {
          http2.connect(url, (session: http2.ClientHttp2Session) => {
            const stream = session.request({ ':path': '/' });
            stream.close(http2.constants.NGHTTP2_CANCEL, () => session.close(resolve));
          });
        });
      }`,
  },
  {
    name: 'a Bull queue closed by the test, and a Bee-Queue given the suite\'s client (it leaves that one open, and the suite quits it)',
    code: `
      const Queue = require('bull');
      const BeeQueue = require('bee-queue');
      const Redis = require('ioredis');
      let redis;
      before(() => { redis = new Redis(); });
      after(() => redis.quit());
      it('adds and closes', async () => {
        const queue = new Queue('emails');
        await queue.add({ to: 'a@example.com' });
        await queue.close();
        const bee = new BeeQueue('thumbnails', { redis });
        await bee.createJob({ id: 1 }).save();
      });`,
    ext: '.js',
    file: 'test/queues.test.js',
  },
];
