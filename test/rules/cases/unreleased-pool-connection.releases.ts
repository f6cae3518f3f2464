// unreleased-pool-connection: what counts as giving a checked-out connection back. Released on every
// path (pg, mysql, mysql2/promise, generic-pool; in finally, in catch and after, with destroy() on
// error, by a project helper, in then/catch or finally(), by await using), handed over (returned,
// stored for a transaction), a pool in a class field, and pools that nothing proves are database pools.
import { ValidCase } from '../../helpers/rule-tester';

/** A Koa route whose transaction rolls back before its 409, and whose catch rolls back only the errors without an HTTP status. */
export const KOA_409 = (clash: string) => `
      import Router from '@koa/router';
      import { Pool } from 'pg';
      const pool = new Pool({ max: 10 });
      export const router = new Router();
      router.post('/chairs/:id/assign', async (ctx) => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const clash = await client.query('SELECT 1 FROM slots WHERE chair = $1 FOR UPDATE', [ctx.params.id]);
          if (clash.rowCount) {
            ${clash}
          }
          await client.query('INSERT INTO slots (chair) VALUES ($1)', [ctx.params.id]);
          await client.query('COMMIT');
          client.release();
          ctx.status = 201;
        } catch (err) {
          if (!(err as { status?: number }).status) {
            await client.query('ROLLBACK').catch(() => undefined);
            client.release();
          }
          throw err;
        }
      });`;

/** A pg transaction whose catch rolls back only errors that are not `SetpointRejected`; `locked` is the locked branch, `check` a statement before the update. */
export const SETPOINTS = (locked: string, check = '') => `
      import { Pool } from 'pg';
      const pool = new Pool({ max: 4 });
      export class SetpointRejected extends Error {}
      function assertInLimits(c: number): void {
        if (c < 16 || c > 24) throw new SetpointRejected('outside the loan limits');
      }
      export async function applySetpoint(room: string, celsius: number): Promise<void> {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query('SELECT locked_by FROM setpoints WHERE room = $1 FOR UPDATE', [room]);
          if (rows[0]?.locked_by) {
            ${locked}
          }
          ${check}
          await client.query('UPDATE setpoints SET celsius = $1 WHERE room = $2', [celsius, room]);
          await client.query('COMMIT');
          client.release();
        } catch (err) {
          if (!(err instanceof SetpointRejected)) {
            await client.query('ROLLBACK').catch(() => undefined);
            client.release();
          }
          throw err;
        }
      }`;

export const valid: ValidCase[] = [
  {
    name: "a generic-pool session destroyed in the catch and released in the finally only while still borrowed (pool.isBorrowedResource(sock))",
    code: `
      import * as tls from 'node:tls';
      import { createPool } from 'generic-pool';
      const pool = createPool<tls.TLSSocket>({ create: async () => tls.connect(8443, 'plc.local'), destroy: async (s) => { s.destroy(); } }, { max: 2 });
      function decode(b: Buffer): Buffer {
        if (b.length < 4) throw new Error('short frame');
        return b;
      }
      export async function status(exchange: (s: tls.TLSSocket) => Promise<Buffer>): Promise<Buffer> {
        const sock = await pool.acquire();
        try {
          return decode(await exchange(sock));
        } catch (err) {
          await pool.destroy(sock);
          throw err;
        } finally {
          if (pool.isBorrowedResource(sock)) await pool.release(sock);
        }
      }`,
  },
  {
    name: "a test suite's beforeEach checks a client out and afterEach releases it",
    code: `
      import { Pool, type PoolClient } from 'pg';
      const pool = new Pool({ connectionString: process.env.TEST_DATABASE_URL });
      let client: PoolClient;
      beforeEach(async () => {
        client = await pool.connect();
      });
      afterEach(() => client.release());
      afterAll(() => pool.end());
      it('counts', async () => {
        expect((await client.query('SELECT 1 AS n')).rows[0].n).toBe(1);
      });`,
    file: 'test/count.test.ts',
  },
  {
    name: "calls between the checkout and the try that cannot throw on their own: a type check, an exhaustiveness helper, a throw the helper catches, an async check (its rejection is the await's)",
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      function columnOf(sort: unknown): string {
        if (typeof sort !== 'string') throw new TypeError('sort must be a string');
        return sort === 'name' ? 'name' : 'id';
      }
      function assertNever(x: never): never {
        throw new Error('unexpected ' + String(x));
      }
      function limitOf(raw: string): number {
        try {
          const n = JSON.parse(raw);
          if (!Number.isInteger(n)) throw new Error('not an integer');
          return n;
        } catch {
          return 50;
        }
      }
      async function audit(user: string): Promise<void> {
        if (!user) throw new Error('anonymous');
      }
      export async function list(sort: unknown, raw: string, kind: 'a' | 'b', user: string) {
        const client = await pool.connect();
        const column = columnOf(sort);
        const limit = limitOf(raw);
        if (kind !== 'a' && kind !== 'b') assertNever(kind);
        void audit(user).catch(() => undefined);
        try {
          return (await client.query(\`SELECT * FROM t ORDER BY \${column} LIMIT $1\`, [limit])).rows;
        } finally {
          client.release();
        }
      }`,
  },
  {
    name: 'generic-pool v2: acquire with a callback that releases the resource it is handed',
    code: `
      const genericPool = require('generic-pool');
      const pool = genericPool.createPool({ create: async () => ({}), destroy: async () => undefined });
      function withResource(work, cb) {
        pool.acquire((err, resource) => {
          if (err) return cb(err);
          work(resource);
          pool.release(resource);
          cb();
        });
      }
      module.exports = { withResource };`,
    ext: '.js',
  },
  {
    name: 'a mysql connection checked out and never released, then the pool ended: end() ends checked-out connections too',
    code: `
      const mysql = require('mysql');
      function probe(opts, cb) {
        const pool = mysql.createPool(opts);
        pool.getConnection((err, conn) => {
          if (err) return cb(err);
          conn.query('SELECT 1', (qerr) => {
            pool.end();
            cb(qerr);
          });
        });
      }
      module.exports = { probe };`,
    ext: '.js',
  },
  {
    name: 'a "pool" that nothing proves is a database pool (module not found, no import of a driver here, no driver among the dependencies)',
    code: `
      const db = require('./db');
      async function one() {
        const conn = await db.pool.getConnection();
        return conn.id;
      }`,
    ext: '.js',
    files: { 'package.json': '{ "name": "no-driver" }' },
  },
  {
    name: 'a "pool" set from another library (mssql ConnectionPool: connect() resolves to the pool itself), in a package that also uses pg',
    code: `
      const mssql = require('mssql');
      async function count(cs, sql) {
        let pool;
        try {
          pool = new mssql.ConnectionPool(cs);
          await pool.connect();
          const result = await pool.request().query(sql);
          return result.recordset.length;
        } finally {
          if (pool) await pool.close();
        }
      }
      module.exports = { count };`,
    ext: '.js',
    files: { 'package.json': '{ "name": "monitor", "dependencies": { "pg": "^8.0.0", "mssql": "^11.0.0" } }' },
  },
  {
    name: 'a pool of a value typed any, in a package without a driver: unknown is silence',
    code: `
      export async function warm(connectionPool: any) {
        const c = await connectionPool.getConnection();
        return c.name;
      }`,
    files: { 'package.json': '{ "name": "no-driver" }' },
  },
  {
    name: 'acquire() on a project pool class that is not generic-pool',
    code: `
      class ObjectPool<T> { async acquire(): Promise<T> { return {} as T; } release(_t: T) {} }
      export async function take(pool: ObjectPool<object>) {
        const conn = await pool.acquire();
        return conn;
      }`,
  },
  {
    name: 'pg: released in finally',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function one() {
        const client = await pool.connect();
        try {
          return (await client.query('select 1')).rows;
        } finally {
          client.release();
        }
      }`,
  },
  {
    name: 'pg: pool.query needs no release',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function one() {
        const r = await pool.query('select 1');
        return r.rows;
      }`,
  },
  {
    name: 'pg: release(err) in catch, release() after',
    code: `
      import pg from 'pg';
      const pool = new pg.Pool();
      export async function tx(sql: string) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(sql);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          client.release(e as Error);
          throw e;
        }
        client.release();
      }`,
  },
  {
    name: 'pg callback style: done() on every path, error branch has no client',
    code: `
      const { Pool } = require('pg');
      const pool = new Pool();
      function getUser(id, cb) {
        pool.connect((err, client, done) => {
          if (err) return cb(err);
          client.query('select * from users where id = $1', [id], (qerr, res) => {
            done();
            cb(qerr, res && res.rows[0]);
          });
        });
      }`,
    ext: '.js',
  },
  {
    name: 'mysql: getConnection callback releases in the query callback',
    code: `
      const mysql = require('mysql');
      const pool = mysql.createPool({ connectionLimit: 10 });
      function q(sql, cb) {
        pool.getConnection((err, conn) => {
          if (err) return cb(err);
          conn.query(sql, (e, rows) => {
            conn.release();
            cb(e, rows);
          });
        });
      }`,
    ext: '.js',
  },
  {
    name: 'mysql2/promise: released in finally',
    code: `
      import mysql from 'mysql2/promise';
      const pool = mysql.createPool({ host: 'db' });
      export async function rows() {
        const conn = await pool.getConnection();
        try {
          const [r] = await conn.query('select 1');
          return r;
        } finally {
          conn.release();
        }
      }`,
  },
  {
    name: 'generic-pool: pool.release(resource) in finally',
    code: `
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
    name: 'checkout returned to the caller',
    code: `
      import { Pool, PoolClient } from 'pg';
      const pool = new Pool();
      export async function checkout(): Promise<PoolClient> {
        const c = await pool.connect();
        await c.query('SET search_path TO app').catch(() => undefined);
        return c;
      }`,
  },
  {
    name: 'released by a project helper on every path',
    code: `
      import { Pool, PoolClient } from 'pg';
      const pool = new Pool();
      function giveBack(c: PoolClient) { c.release(); }
      export async function ping() {
        const c = await pool.connect();
        try {
          await c.query('select 1');
        } finally {
          giveBack(c);
        }
      }`,
  },
  {
    name: 'a pool in a class field',
    code: `
      import { Pool } from 'pg';
      export class Repo {
        constructor(private pool: Pool) {}
        async count() {
          const client = await this.pool.connect();
          try {
            return (await client.query('select count(*) from t')).rows[0];
          } finally {
            client.release();
          }
        }
      }`,
  },
  {
    name: 'released with destroy() on error',
    code: `
      import mysql from 'mysql2/promise';
      const pool = mysql.createPool({});
      export async function q() {
        const conn = await pool.getConnection();
        try {
          await conn.ping();
        } catch (e) {
          conn.destroy();
          throw e;
        }
        conn.release();
      }`,
  },
  {
    name: 'stored for a transaction object',
    code: `
      import { Pool, PoolClient } from 'pg';
      const pool = new Pool();
      class Tx { constructor(readonly client: PoolClient) {} }
      export async function begin() {
        const client = await pool.connect();
        return new Tx(client);
      }`,
  },
  {
    name: 'then-style checkout released in finally()',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export function one() {
        return pool.connect().then((client) =>
          client.query('select 1').finally(() => client.release()));
      }`,
  },
  {
    name: 'node-postgres docs: then releases, catch releases and rethrows',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export function now() {
        return pool.connect().then((client) =>
          client.query('SELECT NOW()')
            .then((res) => { client.release(); return res.rows[0]; })
            .catch((err) => { client.release(); throw err; }));
      }`,
  },
  {
    name: 'released in a then/catch pair through a captured client',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      export async function run(sql: string) {
        const client = await pool.connect();
        return client.query(sql).then(
          (r) => { client.release(); return r; },
          (e) => { client.release(); throw e; });
      }`,
  },
  {
    name: 'await using a mysql2 pool connection (disposable)',
    code: `
      import mysql from 'mysql2/promise';
      const pool = mysql.createPool({});
      export async function q() {
        await using conn = await pool.getConnection();
        return conn.query('select 1');
      }`,
  },
  {
    name: "a Koa route released before its ctx.throw(409), whose catch releases only errors without an HTTP status (the 409 holds nothing)",
    code: KOA_409(`await client.query('ROLLBACK');
            client.release();
            ctx.throw(409, 'chair already booked');`),
  },
  {
    name: "a checkout released before throwing the project's HttpError (a statusCode parameter property), whose catch releases the other errors",
    code: `
      import { Pool } from 'pg';
      const pool = new Pool({ max: 10 });
      class HttpError extends Error {
        constructor(public statusCode: number, message: string) { super(message); }
      }
      export async function assign(chair: string): Promise<void> {
        const client = await pool.connect();
        try {
          const clash = await client.query('SELECT 1 FROM slots WHERE chair = $1 FOR UPDATE', [chair]);
          if (clash.rowCount) {
            client.release();
            throw new HttpError(409, 'chair already booked');
          }
          await client.query('INSERT INTO slots (chair) VALUES ($1)', [chair]);
          client.release();
        } catch (err) {
          if (!(err as HttpError).statusCode) client.release();
          throw err;
        }
      }`,
  },
  {
    name: "a checkout through `promisify(pool.getConnection.bind(pool))` released in finally",
    ext: '.js',
    code: `
      const { promisify } = require('node:util');
      const mysql = require('mysql');
      const pool = mysql.createPool({ host: 'db', connectionLimit: 4 });
      const getConnection = promisify(pool.getConnection.bind(pool));
      async function turned(id) {
        const conn = await getConnection();
        try {
          return await promisify(conn.query).call(conn, 'SELECT 1 FROM wheels WHERE id = ?', [id]);
        } finally {
          conn.release();
        }
      }
      module.exports = { turned };`,
  },
  {
    name: "a checkout released before throwing the project's own error class, whose catch releases every error not of that class",
    code: SETPOINTS(`await client.query('ROLLBACK');
            client.release();
            throw new SetpointRejected('locked by ' + rows[0].locked_by);`),
  },
];
