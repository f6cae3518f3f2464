// unreleased-pool-connection: pools made in a sibling module and exported whole, handed in as a
// parameter by code that loads the library elsewhere, or returned by a project factory; a checkout a
// project helper takes in the promise form (`await pool.connect()`) and hands to its caller; a function of the application
// that only its tests call in this project (its production callers are elsewhere: its failing paths count).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A TCP load run over sockets lent by generic-pool; `onDead` runs for a dead one before the loop goes on. */
function tcpLoad(onDead: string): string {
  return `
      import net from 'node:net';
      import { createPool } from 'generic-pool';
      export async function runTcpLoad(host: string, port: number, iterations: number, payload: Buffer) {
        const pool = createPool<net.Socket>({ create: async () => net.connect({ host, port }), destroy: async (s) => { s.destroy(); } }, { max: 8 });
        let failed = 0;
        try {
          for (let i = 0; i < iterations; i++) {
            const socket = await pool.acquire();
            if (socket.destroyed || !socket.writable) {
              failed++;
${onDead}              continue;
            }
            socket.write(payload);
            await pool.release(socket);
          }
        } finally {
          await pool.drain();
          await pool.clear();
        }
        return failed;
      }`;
}

const LOCK = `
      import { Pool, type PoolClient } from 'pg';
      const pool = new Pool();
      export async function tryDeployLock(name: string): Promise<PoolClient | null> {
        const client = await pool.connect();
        try {
          const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [name]);
          if (!rows[0].locked) {
            client.release();
            return null;
          }
          return client;
        } catch (err) {
          client.release();
          throw err;
        }
      }`;

const DEPLOY = (guard: string) => `
      import { tryDeployLock } from './lock';
      export async function handleDeploy(service: string, ref: string, open: (ref: string) => Promise<boolean>) {
        const lock = await tryDeployLock(service);
        if (!lock) return 'busy';
        ${guard}
        try {
          await lock.query('INSERT INTO deployments (service, ref) VALUES ($1, $2)', [service, ref]);
          return 'started';
        } finally {
          lock.release();
        }
      }`;

export const valid: ValidCase[] = [
  {
    name: "a helper's checkout (promise form) its caller releases in a finally, after a null check",
    code: DEPLOY(''),
    files: { 'src/lock.ts': LOCK },
    file: 'src/deploy.ts',
  },
  {
    name: '@fastify/postgres named pools: both checkouts released in finally',
    code: `
      import fastify from 'fastify';
      const app = fastify();
      app.get('/calc', async () => {
        const sumClient = await (app as any).pg.sum.connect();
        try {
          const subClient = await (app as any).pg.sub.connect();
          try {
            return (await subClient.query('SELECT 1')).rows.concat((await sumClient.query('SELECT 2')).rows);
          } finally {
            subClient.release();
          }
        } finally {
          sumClient.release();
        }
      });`,
    files: { 'package.json': '{ "name": "api", "dependencies": { "fastify": "^5.0.0", "@fastify/postgres": "^6.0.0", "pg": "^8.11.0" } }' },
  },
  {
    name: '@fastify/postgres: a client of app.pg released in finally',
    code: `
      import fastify from 'fastify';
      const app = fastify();
      app.get('/calc', async () => {
        const client = await (app as any).pg.connect();
        try {
          return (await client.query('SELECT 2 + 2 AS sum')).rows;
        } finally {
          client.release();
        }
      });`,
    files: { 'package.json': '{ "name": "api", "dependencies": { "fastify": "^5.0.0", "@fastify/postgres": "^6.0.0", "pg": "^8.11.0" } }' },
  },
  {
    name: 'a parameter named pool in a package that depends on no pool library: not a checkout',
    code: `
      async function warm(pool) {
        const conn = await pool.getConnection();
        if (!conn.ready) return null;
        conn.release();
        return conn;
      }
      module.exports = { warm };`,
    ext: '.js',
    files: { 'package.json': '{ "name": "warmer", "dependencies": { "ws": "^8.0.0" } }' },
  },
  {
    name: 'a dead socket lent by generic-pool handed back with pool.destroy() before the loop goes on',
    code: tcpLoad(`              await pool.destroy(socket);
`),
  },
];

/** `saveRates` of the application (rates.ts), which releases its connection only after the commit. */
const RATES = `
      import { pool } from './pool';
      export async function saveRates(roomTypeId: number, rates: number[]): Promise<void> {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          for (const r of rates) await conn.execute('INSERT INTO rates VALUES (?, ?)', [roomTypeId, r]);
          await conn.commit();
          conn.release();
        } catch (err) {
          await conn.rollback();
          throw err;
        }
      }`;

const POOL = `import mysql from 'mysql2/promise';\nexport const pool = mysql.createPool({ uri: process.env.MYSQL_URL, connectionLimit: 10 });`;

const RATES_TEST = `
      import { it } from 'vitest';
      import { saveRates } from '../rates';
      it('saves rates', async () => {
        await saveRates(900, [149, 159]);
      });`;

export const invalid: InvalidCase[] = [
  {
    name: "a checkout of the application's code that only its tests call here: the catch that rethrows leaves it out",
    code: RATES,
    file: 'src/db/rates.ts',
    files: { 'src/db/pool.ts': POOL, 'src/db/test/rates.test.ts': RATES_TEST },
    errors: [{ line: 3, message: /not released when the `throw` on line 11 runs/ }],
  },
  {
    name: "a checkout of a pool the function made for itself, left out by a failing query (nothing else waits on that pool)",
    code: `
      import pg from 'pg';
      export async function similaritySearch(url: string, q: string) {
        const pool = new pg.Pool({ connectionString: url });
        const client = await pool.connect();
        const { rows } = await client.query('SELECT id FROM docs WHERE body @@ $1', [q]);
        client.release();
        await pool.end();
        return rows;
      }`,
    errors: [{ line: 4, message: /is not released if the `await` on line 5 rejects\. The connection stays checked out of a pool this function made for itself/ }],
  },
  {
    name: "a helper's checkout its caller drops when a check before the try returns",
    code: DEPLOY("if (!(await open(ref))) return 'closed';"),
    files: { 'src/lock.ts': LOCK },
    file: 'src/deploy.ts',
    errors: [{ line: 3, message: /The connection checked out by `tryDeployLock\(\)` is not released when the `return` on line 5 is taken/ }],
  },
  {
    name: '@fastify/postgres named pools (app.pg.sum, app.pg[name]): two checkouts released only after both queries succeed',
    code: `
      import fastify from 'fastify';
      import fastifyPostgres from '@fastify/postgres';
      const app = fastify();
      app.register(fastifyPostgres, { name: 'sum', connectionString: process.env.SUM_URL });
      app.register(fastifyPostgres, { name: 'sub', connectionString: process.env.SUB_URL });
      app.get('/calc', async () => {
        const sumClient = await (app as any).pg.sum.connect();
        const subClient = await (app as any).pg['sub'].connect();
        const a = await sumClient.query('SELECT 2 + 2 AS sum');
        const b = await subClient.query('SELECT 6 - 3 AS sub');
        sumClient.release();
        subClient.release();
        return { sum: a.rows, sub: b.rows };
      });`,
    files: { 'package.json': '{ "name": "api", "dependencies": { "fastify": "^5.0.0", "@fastify/postgres": "^6.0.0", "pg": "^8.11.0" } }' },
    errors: [{ line: 7, message: /^The connection checked out by `sum\.connect` is not released if the `await` on line 8 rejects/ }, { line: 8 }],
  },
  {
    name: "@fastify/postgres: a client of app.pg not released when the query fails",
    code: `
      import fastify from 'fastify';
      import fastifyPostgres from '@fastify/postgres';
      const app = fastify();
      app.register(fastifyPostgres, { connectionString: process.env.DATABASE_URL });
      app.get('/calc', async () => {
        const client = await (app as any).pg.connect();
        const sum = await client.query('SELECT 2 + 2 AS sum');
        client.release();
        return sum.rows;
      });`,
    files: { 'package.json': '{ "name": "api", "dependencies": { "fastify": "^5.0.0", "@fastify/postgres": "^6.0.0", "pg": "^8.11.0" } }' },
    errors: [{ line: 6 }],
  },
  {
    name: 'module.exports = pool in ./db: a query error returns before release()',
    code: `
      var pool = require('./db');
      function list(id, cb) {
        pool.getConnection(function (err, conn) {
          if (err) return cb(err);
          conn.query('SELECT 1', [id], function (err, rows) {
            if (err) return cb(err);
            conn.release();
            cb(null, rows);
          });
        });
      }
      module.exports = { list: list };`,
    ext: '.js',
    files: { 'db.js': `
      var mysql = require('mysql');
      var pool = mysql.createPool({ connectionLimit: 4 });
      module.exports = pool;` },
    errors: [{ line: 3 }],
  },
  {
    name: 'module.exports = mysql2/promise pool: a rejected query skips release()',
    code: `
      const pool = require('./db');
      async function total() {
        const conn = await pool.getConnection();
        const [rows] = await conn.query('SELECT SUM(x) AS t FROM y');
        conn.release();
        return rows[0].t;
      }
      module.exports = { total };`,
    ext: '.js',
    files: { 'db.js': `
      const mysql = require('mysql2/promise');
      module.exports = mysql.createPool({ connectionLimit: 4 });` },
    errors: [{ line: 3 }],
  },
  {
    name: 'a pool handed in as a parameter, in a package that depends on mysql2: the catch returns before release()',
    code: `
      async function seedTable(pool, rows, log) {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          await conn.query('INSERT INTO t VALUES ?', [rows]);
          await conn.commit();
        } catch (err) {
          await conn.rollback();
          log(err.message);
          return -1;
        }
        conn.release();
        return rows.length;
      }
      module.exports = { seedTable };`,
    ext: '.js',
    files: { 'package.json': '{ "name": "seeder", "dependencies": { "mysql2": "^3.9.0" } }' },
    errors: [{ line: 2 }],
  },
  {
    name: 'a generic-pool made by a project factory: a failed chunk continues without release()',
    code: `
      const genericPool = require('generic-pool');
      function createSessionPool(size) {
        return genericPool.createPool({ create: async () => ({}), destroy: async () => {} }, { max: size });
      }
      async function run(job) {
        const sessions = createSessionPool(4);
        try {
          while (job.more()) {
            const client = await sessions.acquire();
            try {
              await client.query(job.sql);
            } catch (err) {
              continue;
            }
            await sessions.release(client);
          }
        } finally {
          await sessions.drain();
        }
      }
      module.exports = { run };`,
    ext: '.js',
    errors: [{ line: 9 }],
  },
  {
    name: "a dead socket lent by generic-pool skipped without release(): the socket's own state is not the loan's",
    code: tcpLoad(''),
    errors: [{ line: 8, message: /not released before the next loop iteration/ }],
  },
  {
    // generic-pool counts the loan out until `pool.release()` or `pool.destroy()`: the socket's own destroy() keeps it out.
    name: 'a dead socket lent by generic-pool destroyed by its own destroy(), not through the pool',
    code: tcpLoad(`              socket.destroy();
`),
    errors: [{ line: 8, message: /not released before the next loop iteration/ }],
  },
];
