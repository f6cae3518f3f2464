// unreleased-pool-connection: checkouts not given back on some path (a query that rejects, an early
// return, a throw, continue in a loop, a release in one branch or only when the query fulfils, a catch
// that forgets the client, never released), for pg, mysql, mysql2 and generic-pool, from pools typed
// through a class field or exported by a sibling module; and the fix for a connection used inside a
// closure (issue 13).
import { InvalidCase } from '../../helpers/rule-tester';
import { KOA_409, SETPOINTS } from './unreleased-pool-connection.releases';

export const invalid: InvalidCase[] = [
  {
    name: "a test suite's beforeEach checks a client out into a suite variable and nothing gives it back: afterAll's pool.end() waits for them",
    code: `
      import { Pool, type PoolClient } from 'pg';
      const pool = new Pool({ connectionString: process.env.TEST_DATABASE_URL });
      let client: PoolClient;
      beforeEach(async () => {
        client = await pool.connect();
        await client.query('TRUNCATE carts');
      });
      afterAll(async () => {
        await pool.end();
      });
      it('starts empty', async () => {
        const { rows } = await client.query('SELECT count(*) AS n FROM carts');
        expect(Number(rows[0].n)).toBe(0);
      });`,
    file: 'test/carts.test.ts',
    errors: [{ line: 5, message: /is never released; it stays checked out after the tests/ }],
  },
  {
    name: "a range check of the file's own that throws between the checkout and the try: a bad query string leaves the client out",
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      function parseRange(q: { from?: string; to?: string }) {
        const from = Number(q.from);
        const to = Number(q.to);
        if (!(from < to)) throw new RangeError(\`bad range \${q.from}..\${q.to}\`);
        return { from, to };
      }
      export async function totals(q: { from?: string; to?: string }) {
        const client = await pool.connect();
        const { from, to } = parseRange(q);
        try {
          return (await client.query('SELECT sum(x) FROM t WHERE d BETWEEN $1 AND $2', [from, to])).rows;
        } finally {
          client.release();
        }
      }`,
    errors: [{ line: 10, message: /is not released when the function called on line 11 throws/ }],
  },
  {
    name: 'a pg client checked out and never released, then the pool ended: pg\'s end() waits for it instead of ending it',
    code: `
      import pg from 'pg';
      export async function probe(connectionString: string) {
        const pool = new pg.Pool({ connectionString });
        const client = await pool.connect();
        await client.query('SELECT 1');
        await pool.end();
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'pg: query rejection skips release',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function one(id: string) {
        const client = await pool.connect();
        const r = await client.query('select * from t where id = $1', [id]);
        client.release();
        return r.rows[0];
      }`,
    errors: [{ line: 4, messageId: 'somePaths' }],
    output: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function one(id: string) {
        const client = await pool.connect();
        try {
          const r = await client.query('select * from t where id = $1', [id]);
          return r.rows[0];
        } finally {
          client.release();
        }
      }`,
  },
  {
    name: 'pg: early return before release',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function maybe(skip: boolean) {
        const client = await pool.connect();
        if (skip) {
          return null;
        }
        client.release();
        return 1;
      }`,
    errors: [{ line: 4 }],
    output: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function maybe(skip: boolean) {
        const client = await pool.connect();
        if (skip) {
          client.release();
          return null;
        }
        client.release();
        return 1;
      }`,
  },
  {
    name: 'pg: never released',
    code: `
      const { Pool } = require('pg');
      const pool = new Pool();
      async function count() {
        const client = await pool.connect();
        const r = await client.query('select count(*) from t');
        return r.rows[0].count;
      }`,
    ext: '.js',
    errors: [{ line: 4, messageId: 'never' }],
  },
  {
    name: 'pg callback: error of the query returns without done()',
    code: `
      const { Pool } = require('pg');
      const pool = new Pool();
      function getUser(id, cb) {
        pool.connect((err, client, done) => {
          if (err) return cb(err);
          if (!id) return cb(new Error('no id'));
          client.query('select 1', (e, r) => { done(); cb(e, r); });
        });
      }`,
    ext: '.js',
    errors: [{ line: 4 }],
  },
  {
    name: 'mysql getConnection callback never releases',
    code: `
      const mysql = require('mysql');
      const pool = mysql.createPool({});
      function q(sql, cb) {
        pool.getConnection((err, conn) => {
          if (err) return cb(err);
          conn.query(sql, cb);
        });
      }`,
    ext: '.js',
    errors: [{ line: 4, messageId: 'never' }],
  },
  {
    name: 'mysql2/promise: throw before release',
    code: `
      import mysql from 'mysql2/promise';
      const pool = mysql.createPool({});
      export async function rows(valid: boolean) {
        const conn = await pool.getConnection();
        if (!valid) throw new Error('invalid');
        const [r] = await conn.query('select 1');
        conn.release();
        return r;
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'generic-pool acquire not released when fn rejects',
    code: `
      import { createPool } from 'generic-pool';
      const pool = createPool({ create: async () => ({}), destroy: async () => undefined });
      export async function use(fn: (r: object) => Promise<void>) {
        const r = await pool.acquire();
        await fn(r);
        await pool.release(r);
      }`,
    errors: [{ line: 4 }],
    output: `
      import { createPool } from 'generic-pool';
      const pool = createPool({ create: async () => ({}), destroy: async () => undefined });
      export async function use(fn: (r: object) => Promise<void>) {
        const r = await pool.acquire();
        try {
          await fn(r);
        } finally {
          await pool.release(r);
        }
      }`,
  },
  {
    name: 'pool typed through a class field',
    code: `
      import { Pool } from 'pg';
      export class Repo {
        constructor(private pool: Pool) {}
        async names() {
          const c = await this.pool.connect();
          const r = await c.query('select name from t');
          c.release();
          return r.rows;
        }
      }`,
    errors: [{ line: 5 }],
  },
  {
    name: 'transaction without finally',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function transfer(a: string, b: string) {
        const client = await pool.connect();
        await client.query('BEGIN');
        await client.query('UPDATE acct SET n = n - 1 WHERE id = $1', [a]);
        await client.query('UPDATE acct SET n = n + 1 WHERE id = $1', [b]);
        await client.query('COMMIT');
        client.release();
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'checkout in a loop, continue skips release',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function each(ids: string[]) {
        for (const id of ids) {
          const c = await pool.connect();
          if (!id) continue;
          c.release();
        }
      }`,
    errors: [{ line: 5 }],
  },
  {
    name: 'a pool exported by a sibling module (CommonJS, no types)',
    code: `
      const db = require('./db');
      async function one() {
        const conn = await db.pool.getConnection();
        const [rows] = await conn.query('select 1');
        conn.release();
        return rows;
      }`,
    ext: '.js',
    files: { 'db.js': `
      const mysql = require('mysql2/promise');
      module.exports = { pool: mysql.createPool({ host: 'db' }) };` },
    errors: [{ line: 3 }],
  },
  {
    name: 'a pool exported with exports.x = … by a sibling module',
    code: `
      const { pool } = require('./db');
      async function one() {
        const conn = await pool.getConnection();
        await conn.query('select 1');
      }`,
    ext: '.js',
    files: { 'db.js': `
      const mysql = require('mysql2/promise');
      exports.pool = mysql.createPool({ host: 'db' });` },
    errors: [{ line: 3 }],
  },
  {
    name: 'release only inside one branch',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function f(x: boolean) {
        const c = await pool.connect();
        if (x) c.release();
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'catch swallows the error and forgets the client',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function safe() {
        const c = await pool.connect();
        try {
          await c.query('select 1');
        } catch (e) {
          console.error(e);
          return null;
        }
        c.release();
        return 1;
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'checked out and dropped',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function warm() {
        await pool.connect();
      }`,
    errors: [{ line: 4, messageId: 'dropped' }],
  },
  {
    name: 'mysql2 pool from a pool cluster',
    code: `
      import mysql from 'mysql2';
      const cluster = mysql.createPoolCluster();
      export function q(cb: (e: unknown) => void) {
        cluster.getConnection((err, conn) => {
          if (err) return cb(err);
          conn.ping();
          cb(null);
        });
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'released only when the query fulfils (then without a rejection handler)',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function one() {
        const client = await pool.connect();
        return client.query('select 1').then((r) => {
          client.release();
          return r.rows;
        });
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'pg callback: the query error returns before done() (the classic node-postgres bug)',
    code: `
      const { Pool } = require('pg');
      const pool = new Pool();
      function get(id, cb) {
        pool.connect(function (err, client, done) {
          if (err) return cb(err);
          client.query('select * from t where id = $1', [id], function (qerr, res) {
            if (qerr) return cb(qerr);
            done();
            cb(null, res.rows[0]);
          });
        });
      }`,
    ext: '.js',
    errors: [{ line: 4 }],
    output: `
      const { Pool } = require('pg');
      const pool = new Pool();
      function get(id, cb) {
        pool.connect(function (err, client, done) {
          if (err) return cb(err);
          client.query('select * from t where id = $1', [id], function (qerr, res) {
            if (qerr) { done(); return cb(qerr); }
            done();
            cb(null, res.rows[0]);
          });
        });
      }`,
  },
  // Issue 13: the connection used inside a closure.
  {
    name: 'closure: queried with a callback inside an awaited promise: try/finally, the own release moves to finally',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function lookup(id: string) {
        const client = await pool.connect();
        const rows = await new Promise((resolve, reject) => {
          client.query('select * from t where id = $1', [id], (err, r) => (err ? reject(err) : resolve(r.rows)));
        });
        client.release();
        return rows;
      }`,
    errors: [{ line: 4 }],
    fixes: ['safe: Wrap the uses of `client` in try/finally and release it in `finally`'],
    output: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function lookup(id: string) {
        const client = await pool.connect();
        try {
          const rows = await new Promise((resolve, reject) => {
            client.query('select * from t where id = $1', [id], (err, r) => (err ? reject(err) : resolve(r.rows)));
          });
          return rows;
        } finally {
          client.release();
        }
      }`,
  },
  {
    name: "pg's callback form whose callback also throws on a path: released before the returns alone would leave that path, so no before-exits fix (found by the fix generator, seed 780476712)",
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export function record(flags: boolean[]) {
        pool.connect((err, res, done) => {
          if (err) throw err;
          if (flags[0]) return;
          res.query('select 1');
          if (flags[1]) throw new Error('bad flag');
          done();
        });
      }`,
    errors: [{ line: 4, message: /not released when the `return` on line 6 is taken/ }],
    fixes: [],
  },
  {
    name: "a Koa route whose ctx.throw(409) leaves the transaction open, and whose catch releases only errors without an HTTP status",
    code: KOA_409(`ctx.throw(409, 'chair already booked');`),
    errors: [{ line: 6, message: /not released when the `throw` on line 22 runs/ }],
  },
  {
    name: "a checkout through `util.promisify(pool.getConnection).bind(pool)` left out by an early return",
    ext: '.js',
    code: `
      const util = require('node:util');
      const mysql = require('mysql');
      const pool = mysql.createPool({ host: 'db', connectionLimit: 4 });
      const getConnection = util.promisify(pool.getConnection).bind(pool);
      async function handleTurn(job, robot) {
        const conn = await getConnection();
        const query = util.promisify(conn.query).bind(conn);
        await query('START TRANSACTION').catch(() => undefined);
        const result = await robot.turn(job.wheelIds).catch(() => ({ status: 'ERR' }));
        if (result.status === 'BUSY') {
          await query('ROLLBACK').catch(() => undefined);
          return false;
        }
        await query('COMMIT').catch(() => undefined);
        conn.release();
        return true;
      }
      module.exports = { handleTurn };`,
    errors: [{ line: 6, message: /checked out by `mysql\.createPool\.getConnection` is not released when the `return` on line 12 is taken/ }],
  },
  {
    name: "the same catch, where a helper of the project throws that class with the checkout still open",
    code: SETPOINTS(`await client.query('ROLLBACK');
            client.release();
            throw new SetpointRejected('locked by ' + rows[0].locked_by);`, 'assertInLimits(celsius);'),
    errors: [{ line: 8, message: /not released when the `throw` on line 26 runs/ }],
  },
];

/** A store module exporting a promisified checkout (`module.exports = { getConnection }`), for routes of another file. */
const OPS_DB = "const util = require('node:util');\nconst mysql = require('mysql');\nconst pool = mysql.createPool({ host: 'db', connectionLimit: 4 });\nconst getConnection = util.promisify(pool.getConnection).bind(pool);\nmodule.exports = { pool, getConnection };\n";

invalid.push({
  name: "a checkout through another module's promisified export (`opsDb.getConnection()`) left out by a 404",
  ext: '.js',
  file: 'src/api/routes.js',
  code: `
      const util = require('node:util');
      const opsDb = require('../store/opsDb');
      async function harvestReport(request, h) {
        const conn = await opsDb.getConnection();
        const q = util.promisify(conn.query).bind(conn);
        const [line] = await q('SELECT id FROM grow_lines WHERE id = ?', [request.params.lineId]);
        if (!line) return h.response({ error: 'unknown line' }).code(404);
        conn.release();
        return { line };
      }
      module.exports = { harvestReport };`,
  files: { 'src/store/opsDb.js': OPS_DB },
  errors: [{ line: 4, message: /checked out by `mysql\.createPool\.getConnection` is not released when the `return` on line 7 is taken/ }],
});

invalid.push({
  ext: '.mjs',
  name: 'a checkout from a lazy module pool made with `??=` by a getter function (`stock().getConnection()`), left out by a throw',
  code: `
      import mariadb from 'mariadb';
      let stockPool;
      function stock() {
        stockPool ??= mariadb.createPool({ host: 'partner-db', connectionLimit: 4 });
        return stockPool;
      }
      export async function syncStock(since) {
        const conn = await stock().getConnection();
        const rows = await conn.query('SELECT sku FROM partner_stock WHERE updated_at > ?', [since]);
        for (const r of rows) if (!/^[A-Z]{2}-\\d+$/.test(r.sku)) throw new Error('unexpected sku ' + r.sku);
        conn.release();
        return rows.length;
      }
      export async function closeStock() {
        if (stockPool) await stockPool.end();
        stockPool = undefined;
      }`,
  errors: [{ line: 8, message: /checked out by `mariadb\.createPool\.getConnection` is not released when the `throw` on line 10 runs/ }],
});
