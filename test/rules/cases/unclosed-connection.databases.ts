// unclosed-connection: a knex instance a test hook makes and queries by calling it (`fixtures('artifacts').insert(row)`:
// a use, not a hand-over), never destroyed (knex keeps `pool.min`, 2, connections open). MariaDB's connector, promise API (`createConnection()` resolves once connected)
// and callback API (`mariadb/callback`: it returns the connection, connecting), beside look-alikes that
// end it; and a test that names `end` without calling it. tedious's `Connection` (SQL Server), open from its
// `connect()`, closed by `close()`; a suite's AMQP connection only a type names besides its channel's use.
// ioredis's `Redis.createClient()`, its static alias of `new Redis()`, connected at once. A TypeORM `DataSource`,
// whose pool opens at `initialize()` and closes at `destroy()` (not an SQLite one: a file). A memoised connect
// (`clientPromise = client.connect().catch(reset)`) keeps the client in the module: a promise of it.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A ledger entry posted on a mysql connection of its own whose connect callback returns on its error; `done` ends the query callback. */
function ledgerEntry(done: string): string {
  return `
      var mysql = require('mysql');
      function postEntry(entry, callback) {
        var conn = mysql.createConnection({ host: process.env.LEDGER_HOST, database: 'ledger' });
        conn.connect(function (err) {
          if (err) return callback(err);
          conn.query('INSERT INTO entries (order_id) VALUES (?)', [entry.orderId], function (err, result) {
${done}          });
        });
      }
      module.exports = { postEntry: postEntry };`;
}

/** A reconciliation CLI over a TypeORM `DataSource` of a legacy MySQL database; `empty` is its no-holdings path. */
const RECONCILE = (empty: string, options = "{ type: 'mysql', url: process.env.LEGACY_URL }") => `
      import { DataSource } from 'typeorm';
      export async function reconcile(): Promise<number> {
        const legacy = new DataSource(${options});
        await legacy.initialize();
        const rows: { isbn: string }[] = await legacy.query('SELECT isbn FROM holdings');
        if (rows.length === 0) {
          ${empty}
        }
        await legacy.query('UPDATE holdings SET synced = 1');
        await legacy.destroy();
        return rows.length;
      }`;

const FIXTURES = (after: string) => `
      const knex = require('knex');
      const { createServer } = require('../src/server');
      describe('artifact cache server', function () {
        let server;
        let fixtures;
        before(async function () {
          fixtures = knex({ client: 'pg', connection: process.env.DATABASE_URL });
          await fixtures('artifacts').where('key', 'like', 'fixture-%').del();
          await fixtures('artifacts').insert({ key: 'fixture-0001', created_at: fixtures.fn.now() });
          server = createServer().listen(0);
        });
        after(async function () {
          await new Promise((resolve) => server.close(resolve));
${after}        });
        it('serves', function () {});
      });`;

export const invalid: InvalidCase[] = [
  {
    name: "a knex instance per tenant's database, migrated and dropped: knex keeps its pool's min (2) connections open",
    code: `
      import knex from 'knex';
      export async function migrateAll(urls: string[]): Promise<number> {
        let n = 0;
        for (const url of urls) {
          const db = knex({ client: 'pg', connection: url });
          await db.migrate.latest();
          n++;
        }
        return n;
      }`,
    errors: [{ line: 5, message: /^Connection pool from `knex` is never closed; it stays open before the next loop iteration/ }],
  },
  {
    name: 'a knex instance a before hook makes and queries by calling it, never destroyed',
    code: FIXTURES(''),
    ext: '.js',
    file: 'test/server.test.js',
    errors: [{ line: 7, message: /that a test hook keeps in `fixtures`/ }],
  },
  {
    name: 'a TypeORM DataSource initialized and destroyed only on the path that finds holdings',
    code: RECONCILE('return 0;'),
    errors: [{ line: 3, message: /Connection pool from `typeorm.DataSource` is not closed when the `return` on line 7 is taken/ }],
  },
  {
    name: "the same mysql connection returning on the query's error: connected, it is left open",
    code: ledgerEntry('            if (err) return callback(err);\n            conn.end(function () { callback(null, result.insertId); });\n'),
    ext: '.js',
    errors: [{ line: 3, message: /line 7/ }],
  },
  {
    name: "a lab test's ioredis client from `IoRedis.createClient()` that nothing quits",
    code: `
      const IoRedis = require('ioredis');
      it('uses an external client', async () => {
        const redis = IoRedis.createClient();
        await redis.set('k', 'v');
        if ((await redis.get('k')) !== 'v') throw new Error('lost');
      });`,
    file: 'test/index.js',
    errors: [{ line: 3, message: /^Redis connection from `ioredis.createClient` is never closed/ }],
  },
  {
    name: 'a test that awaits conn.end without calling it: the connection is never ended',
    code: `
      const mariadb = require('mariadb');
      it('resets the session', async () => {
        const conn = await mariadb.createConnection({ host: 'db', user: 'root' });
        await conn.query("SET @a = 1");
        await conn.reset();
        await conn.end;
      });`,
    ext: '.js',
    file: 'test/reset.test.js',
    errors: [{ line: 3, message: /mariadb\.createConnection. is never closed/ }],
  },
  {
    name: "mariadb's callback API: a connection left open when the query fails",
    code: `
      const mariadb = require('mariadb/callback');
      function version(cb) {
        const conn = mariadb.createConnection({ host: 'db' });
        conn.query('SELECT VERSION() AS v', (err, rows) => {
          if (err) return cb(err);
          conn.end();
          cb(null, rows[0].v);
        });
      }
      module.exports = { version };`,
    ext: '.js',
    errors: [{ line: 3 }],
  },
  {
    name: "a tedious connection whose request callback never closes it",
    code: `
      const { Connection, Request } = require('tedious');
      function run(config) {
        const connection = new Connection(config);
        connection.connect((err) => {
          if (err) return;
          connection.execSql(new Request('select 1', () => {}));
        });
      }
      module.exports = { run };`,
    ext: '.js',
    errors: [{ line: 3 }],
  },
  {
    name: "a suite's AMQP connection that afterAll leaves open (it closes only the channel), named by a type besides",
    code: `
      import amqp from 'amqplib';
      describe('publish', () => {
        let conn: Awaited<ReturnType<typeof amqp.connect>>;
        let ch: Awaited<ReturnType<typeof conn.createChannel>>;
        beforeAll(async () => {
          conn = await amqp.connect('amqp://localhost');
          ch = await conn.createChannel();
        });
        afterAll(async () => { await ch.close(); });
        it('publishes', () => { ch.sendToQueue('q', Buffer.from('x')); });
      });`,
    errors: [{ line: 6 }],
  },
  {
    name: "a suite's AMQP connection made in beforeAll and never closed, with a consuming channel of the hook's own: one finding, the connection's",
    code: `
      import amqp from 'amqplib';
      describe('routing rpc', () => {
        let responderConn: Awaited<ReturnType<typeof amqp.connect>>;
        beforeAll(async () => {
          responderConn = await amqp.connect('amqp://localhost');
          const ch = await responderConn.createChannel();
          await ch.assertQueue('routing.rpc', { durable: false });
          await ch.consume('routing.rpc', (msg) => {
            if (!msg) return;
            ch.sendToQueue(msg.properties.replyTo, Buffer.from('{}'), { correlationId: msg.properties.correlationId });
            ch.ack(msg);
          });
        });
        it('answers', async () => { expect(await ask('ACME')).toBeDefined(); });
      });`,
    errors: [{ line: 5, message: /^The AMQP connection from `amqplib\.connect` that a test hook keeps in `responderConn`/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "a knex instance per tenant made with pool.min 0 and dropped: its idle connections all time out",
    code: `
      import knex from 'knex';
      export async function migrateAll(urls: string[]): Promise<number> {
        let n = 0;
        for (const url of urls) {
          const db = knex({ client: 'pg', connection: url, pool: { min: 0, max: 2 } });
          await db.migrate.latest();
          n++;
        }
        return n;
      }`,
  },
  {
    name: "a MongoClient kept for the process as a memoised connect, reset by its catch when the connect fails",
    ext: '.mjs',
    code: `
      import { MongoClient } from 'mongodb';
      let clientPromise = null;
      export function getClient() {
        if (!clientPromise) {
          const client = new MongoClient(process.env.MONGO_URI, { maxPoolSize: 20 });
          clientPromise = client.connect().catch((err) => {
            clientPromise = null;
            throw err;
          });
        }
        return clientPromise;
      }
      export async function closeMongo() {
        const pending = clientPromise;
        clientPromise = null;
        const client = await pending?.catch(() => null);
        if (client) await client.close();
      }`,
  },
  {
    name: 'the same knex instance destroyed in the after hook',
    code: FIXTURES('          await fixtures.destroy();\n'),
    ext: '.js',
    file: 'test/server.test.js',
  },
  {
    name: 'the same DataSource destroyed in a finally around its queries',
    code: `
      import { DataSource } from 'typeorm';
      export async function reconcile(): Promise<number> {
        const legacy = await new DataSource({ type: 'mysql', url: process.env.LEGACY_URL }).initialize();
        try {
          const rows: { isbn: string }[] = await legacy.query('SELECT isbn FROM holdings');
          if (rows.length === 0) return 0;
          await legacy.query('UPDATE holdings SET synced = 1');
          return rows.length;
        } finally {
          await legacy.destroy();
        }
      }`,
  },
  {
    name: 'the same early return over an SQLite DataSource (a file, not a connection)',
    code: RECONCILE('return 0;', "{ type: 'better-sqlite3', database: 'legacy.db' }"),
  },
  {
    name: "a mysql connection whose connect callback returns on its error (it never connected) and ends it after the query",
    code: ledgerEntry('            conn.end(function () { callback(err, result && result.insertId); });\n'),
    ext: '.js',
  },
  {
    name: 'the same client from `IoRedis.createClient()`, quit at the end of the test',
    code: `
      const IoRedis = require('ioredis');
      it('uses an external client', async () => {
        const redis = IoRedis.createClient();
        await redis.set('k', 'v');
        await redis.quit();
      });`,
    file: 'test/index.js',
  },
  {
    name: 'a mariadb connection ended in finally',
    code: `
      import * as mariadb from 'mariadb';
      export async function version(): Promise<string> {
        const conn = await mariadb.createConnection({ host: 'db' });
        try {
          const rows = await conn.query('SELECT VERSION() AS v');
          return rows[0].v;
        } finally {
          await conn.end();
        }
      }`,
  },
  {
    name: "a tedious connection closed in its request's callback; one never connected holds nothing",
    code: `
      const { Connection, Request } = require('tedious');
      function run(config) {
        const connection = new Connection(config);
        connection.connect((err) => {
          if (err) return;
          connection.execSql(new Request('select 1', () => connection.close()));
        });
      }
      function describe(config) { const c = new Connection(config); return typeof c; }
      module.exports = { run, describe };`,
    ext: '.js',
  },
];
