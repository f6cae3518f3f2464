// unreleased-pool-connection: a knex (or Sequelize, or mssql) transaction started without a handler (`await db.transaction()`) holds a
// connection of the pool until `trx.commit()` or `trx.rollback()`; one started with a handler is committed or
// rolled back by knex when the handler's promise settles. And a request body checked with zod's `parse()`
// (which throws a ZodError on a bad body) between a checkout and the `try` that releases it. A MongoDB session,
// a server session checked out of the driver's pool until `endSession()`. An mssql prepared statement, which
// reserves a connection of the pool from `prepare()` until `unprepare()`. A catch that rolls back only `if (!trx.isCompleted())`.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** The project's knex instance, a module of its own. */
const KNEX_DB = { 'db.js': "const knex = require('knex');\nmodule.exports = knex({ client: 'pg', connection: process.env.DATABASE_URL });\n" };

/** An order service on a knex instance from `./db`: an idempotent create in `await db.transaction()`; `whenExisting` handles a replay. */
function orderService(whenExisting: string): { code: string; ext: '.js'; files: Record<string, string> } {
  return {
    code: `
      const db = require('./db');
      async function createOrder(input) {
        const trx = await db.transaction();
        try {
          const existing = await trx('orders').where({ key: input.key }).first();
          ${whenExisting}
          const [order] = await trx('orders').insert({ key: input.key }).returning('*');
          await trx.commit();
          return order;
        } catch (err) {
          await trx.rollback();
          throw err;
        }
      }
      module.exports = { createOrder };`,
    ext: '.js',
    files: KNEX_DB,
  };
}

/** A fastify cancel route: a pg client checked out, then the body checked with zod's `check`, then the try. */
function cancelRoute(check: string): string {
  return `
      import { Pool } from 'pg';
      import { z } from 'zod';
      const pool = new Pool();
      const cancelBody = z.object({ reason: z.enum(['customer', 'fraud']) });
      export async function cancel(orderId: string, body: unknown): Promise<void> {
        const client = await pool.connect();
        const { reason } = ${check};
        try {
          await client.query('UPDATE orders SET status = $2, reason = $3 WHERE id = $1', [orderId, 'cancelled', reason]);
        } finally {
          client.release();
        }
      }`;
}

/** A lock claim in an mssql transaction `begin` makes, queried through `request`, rolled back on every path that does not commit. */
function mssqlClaim(begin: string, request: string): string {
  return `
      const sql = require('mssql');
      async function claim(pool, id) {
        ${begin}
        try {
          const r = await ${request}.input('id', sql.Int, id).query('SELECT locked_at FROM sync_state WITH (UPDLOCK) WHERE id = @id');
          if (r.recordset[0]?.locked_at) {
            await tx.rollback();
            return null;
          }
          await tx.commit();
          return id;
        } catch (err) {
          await tx.rollback();
          throw err;
        }
      }
      module.exports = { claim };`;
}

/** A lock claimed in a MongoDB transaction on a client the caller passes in (untyped JavaScript); `getSession` makes the session. */
function claimLock(getSession: string): string {
  return `
      export async function claim(client, name, owner) {
        const session = ${getSession};
        session.startTransaction();
        const locks = client.db('app').collection('locks');
        const current = await locks.findOne({ _id: name }, { session });
        if (current && current.owner !== owner) return false;
        await locks.updateOne({ _id: name }, { $set: { owner } }, { upsert: true, session });
        await session.commitTransaction();
        await session.endSession();
        return true;
      }`;
}

/** An on-call lookup over an mssql prepared statement; `empty` is its no-one-on-call path. */
const ON_CALL = (empty: string) => `
      import sql from 'mssql';
      export async function onCallFor(pool: sql.ConnectionPool, department: string): Promise<string[]> {
        const ps = new sql.PreparedStatement(pool);
        ps.input('department', sql.NVarChar(64));
        await ps.prepare('SELECT staff_id FROM dbo.Rota WHERE department = @department');
        const result = await ps.execute({ department });
        if (result.recordset.length === 0) {
          ${empty}
        }
        await ps.unprepare();
        return result.recordset.map((r) => r.staff_id);
      }`;

export const invalid: InvalidCase[] = [
  {
    name: 'an mssql prepared statement left prepared by a throw when no one is on call',
    code: ON_CALL("throw new Error('no one on call');"),
    errors: [{ line: 5, message: /The connection checked out by `mssql.PreparedStatement` is not released when the `throw` on line 8 runs/ }],
  },
  {
    name: 'a MongoDB session of an untyped client passed in, in a package that depends on mongodb, left open when the lock is taken',
    code: claimLock('client.startSession()'),
    ext: '.mjs',
    files: { 'package.json': '{ "name": "locks", "type": "module", "dependencies": { "mongodb": "^6.8.0" } }' },
    errors: [{ line: 2, message: /^The MongoDB session checked out by `client\.startSession` is not released when the `return` on line 6 is taken/ }],
  },
  {
    name: 'a session of a Mongoose Connection the caller passes in (typed), left open when no copy is available',
    code: `
      import type { Connection } from 'mongoose';
      export async function checkout(db: Connection, isbn: string) {
        const session = await db.startSession();
        session.startTransaction();
        const book = await db.collection('books').findOneAndUpdate({ isbn, available: { $gt: 0 } }, { $inc: { available: -1 } }, { session });
        if (!book) return false;
        try {
          await session.commitTransaction();
          return true;
        } finally {
          await session.endSession();
        }
      }`,
    errors: [{ line: 3, message: /^The MongoDB session checked out by `mongoose\.Connection\.startSession` is not released when the `return` on line 6 is taken/ }],
  },
  {
    name: "a Mongoose session (the driver's ClientSession), left open when the lock is taken",
    code: `
      import mongoose from 'mongoose';
      export async function claim(name: string, owner: string) {
        const session = await mongoose.startSession();
        session.startTransaction();
        const current = await mongoose.connection.collection('locks').findOne({ _id: name as any }, { session });
        if (current && current.owner !== owner) return false;
        await session.commitTransaction();
        await session.endSession();
        return true;
      }`,
    errors: [{ line: 3, message: /^The MongoDB session checked out by `mongoose\.startSession` is not released/ }],
  },
  {
    name: 'a MongoDB session not ended when the transaction is aborted by a throw',
    code: `
      import { MongoClient } from 'mongodb';
      const client = new MongoClient('mongodb://localhost');
      export async function move(ids: string[]) {
        const session = client.startSession();
        session.startTransaction();
        const docs = await client.db('app').collection('events').find({ _id: { $in: ids } }, { session }).toArray();
        if (docs.length !== ids.length) {
          await session.abortTransaction();
          throw new Error('changed while moving');
        }
        await client.db('app').collection('archive').insertMany(docs, { session });
        await session.commitTransaction();
        await session.endSession();
        return docs.length;
      }`,
    errors: [{ line: 4, message: /^The MongoDB session checked out by `mongodb\.MongoClient\.startSession` is not released/ }],
  },
  {
    name: "an mssql Transaction begun on the pool whose skipped group continues the loop without rollback(): its requests borrow it",
    code: `
      const sql = require('mssql');
      async function syncGroups(pool, groups) {
        for (const g of groups) {
          const tx = new sql.Transaction(pool);
          await tx.begin();
          const found = await new sql.Request(tx).input('name', sql.NVarChar, g.name).query('SELECT id FROM groups WHERE name = @name');
          if (found.recordset.length === 0) continue;
          await new sql.Request(tx).input('id', sql.Int, found.recordset[0].id).query('UPDATE groups SET synced_at = SYSUTCDATETIME() WHERE id = @id');
          await tx.commit();
        }
      }
      module.exports = { syncGroups };`,
    ext: '.js',
    errors: [{ line: 5, message: /before the next loop iteration \(line 7\)/ }],
  },
  {
    name: "an mssql transaction of a pool parameter, `await pool.transaction().begin()` (begin resolves to the transaction), left open by a lock another worker holds",
    code: `
      const { sql } = require('./db');
      async function claimRun(pool, job, workerId) {
        const tx = await pool.transaction().begin(sql.ISOLATION_LEVEL.SERIALIZABLE);
        const current = await tx.request().input('job', sql.NVarChar(64), job).query('SELECT locked_by FROM sync_state WITH (UPDLOCK) WHERE job = @job');
        const row = current.recordset[0];
        if (row && row.locked_by && row.locked_by !== workerId) return null;
        await tx.request().input('job', sql.NVarChar(64), job).input('w', sql.NVarChar(64), workerId).query('UPDATE sync_state SET locked_by = @w WHERE job = @job');
        await tx.commit();
        return row;
      }
      module.exports = { claimRun };`,
    ext: '.js',
    files: {
      'db.js': "const sql = require('mssql');\nmodule.exports = { sql };\n",
      'package.json': '{ "name": "dir-sync", "dependencies": { "mssql": "^11.0.1" } }',
    },
    errors: [{ line: 3, message: /`return` on line 6/ }],
  },
  {
    name: "a postgres.js reserved connection for a session advisory lock, left reserved when the lock is taken by another session",
    code: `
      import { sql } from './postgres';
      export async function withAdvisoryLock<T>(key: number, fn: () => Promise<T>) {
        const reserved = await sql.reserve();
        const [{ locked }] = await reserved<{ locked: boolean }[]>\`select pg_try_advisory_lock(\${key}) as locked\`;
        if (!locked) return { acquired: false as const };
        try {
          return { acquired: true as const, value: await fn() };
        } finally {
          await reserved\`select pg_advisory_unlock(\${key})\`;
          reserved.release();
        }
      }`,
    files: { 'postgres.ts': "import postgres from 'postgres';\nexport const sql = postgres(process.env.DATABASE_URL!, { max: 10 });\n" },
    errors: [{ line: 3, message: /`return` on line 5/ }],
  },
  {
    name: "a checkout in the first step of an async.waterfall, whose final callback returns on an error without release(): the step's callback is no caller's",
    code: `
      const async = require('async');
      const db = require('./db');
      function salesReport(from, to, done) {
        async.waterfall([
          function (cb) { db.pool.getConnection(cb); },
          function (conn, cb) { conn.query('SELECT 1', function (err, rows) { cb(err, conn, rows); }); },
        ], function (err, conn, rows) {
          if (err) return done(err);
          conn.release();
          done(null, rows);
        });
      }
      module.exports = { salesReport };`,
    ext: '.js',
    files: { 'db.js': "const mysql = require('mysql');\nexports.pool = mysql.createPool({ connectionLimit: 10 });\n" },
    errors: [{ line: 5 }],
  },
  {
    name: "a Neon serverless pool's client (pg's API over a WebSocket) left checked out by an early return after ROLLBACK",
    code: `
      import { Pool } from '@neondatabase/serverless';
      const pool = new Pool({ connectionString: process.env.DATABASE_URL });
      export async function refund(orderId: string) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query('SELECT status FROM orders WHERE id = $1 FOR UPDATE', [orderId]);
          if (!rows[0]) {
            await client.query('ROLLBACK');
            return null;
          }
          await client.query('COMMIT');
          client.release();
          return rows[0];
        } catch (err) {
          client.release();
          throw err;
        }
      }`,
    errors: [{ line: 4, message: /`return` on line 10/ }],
  },
  {
    name: 'a Sequelize unmanaged transaction (no handler) whose not-found path returns without rollback()',
    code: `
      import type { Sequelize } from 'sequelize';
      export class Invoices {
        constructor(private db: Sequelize, private models: any) {}
        async markPaid(invoiceId: string) {
          const t = await this.db.transaction();
          const invoice = await this.models.Invoice.findByPk(invoiceId, { transaction: t });
          if (!invoice) return null;
          await invoice.update({ status: 'paid' }, { transaction: t });
          await t.commit();
          return invoice;
        }
      }`,
    errors: [{ line: 5, message: /`return` on line 7/ }],
  },
  {
    name: "a body checked with zod's parse() between the checkout and the try: a bad body throws with the client out",
    code: cancelRoute('cancelBody.parse(body)'),
    errors: [{ line: 6, message: /not released when the function called on line 7 throws/ }],
  },
  {
    name: 'an idempotent create that returns the existing order from inside the try without committing',
    ...orderService('if (existing) return existing;'),
    errors: [{ line: 3, message: /^The connection checked out by `knex.transaction` is not released when the `return` on line 6 is taken/ }],
  },
  {
    name: "mariadb: a checkout of the pool a typed getter hands out (`getPool(): Pool`, a lazy module singleton), not released on the 'full' return",
    code: `
      import * as mariadb from 'mariadb';
      import type { Pool } from 'mariadb';
      let pool: Pool | undefined;
      export function getPool(): Pool {
        if (!pool) pool = mariadb.createPool({ host: 'db', connectionLimit: 10 });
        return pool;
      }
      export async function createReservation(restaurantId: number, partySize: number): Promise<boolean> {
        const conn = await getPool().getConnection();
        const [{ capacity }] = await conn.query('SELECT capacity FROM restaurants WHERE id = ?', [restaurantId]);
        if (partySize > Number(capacity)) return false;
        await conn.query('INSERT INTO reservations (restaurant_id, party_size) VALUES (?, ?)', [restaurantId, partySize]);
        conn.release();
        return true;
      }`,
    errors: [{ line: 9, message: /checked out by `mariadb\.Pool\.getConnection` is not released/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same prepared statement unprepared in a finally around its execute',
    code: ON_CALL('return [];').replace("const result = await ps.execute({ department });", "let result;\n        try {\n          result = await ps.execute({ department });\n        } finally {\n          await ps.unprepare();\n        }").replace("await ps.unprepare();\n        return result", "return result"),
  },
  {
    name: "the same untyped client's startSession() in a package that depends on neither mongodb nor mongoose (another library's sessions)",
    code: claimLock('client.startSession()'),
    ext: '.mjs',
    files: { 'package.json': '{ "name": "locks", "type": "module", "dependencies": { "@sentry/node": "^8.0.0" } }' },
  },
  {
    name: 'a MongoDB session ended in finally, handed to the transaction callback it awaits',
    code: `
      import { MongoClient, type ClientSession } from 'mongodb';
      const client = new MongoClient('mongodb://localhost');
      export async function transaction<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> {
        const session = client.startSession();
        try {
          let result: T | undefined;
          await session.withTransaction(async () => {
            result = await fn(session);
          });
          return result as T;
        } finally {
          await session.endSession();
        }
      }`,
  },
  {
    name: 'an mssql Transaction rolled back on every path that does not commit; one never begun holds nothing',
    code: mssqlClaim("const unused = new sql.Transaction(pool);\n        const tx = new sql.Transaction(pool);\n        await tx.begin();", 'new sql.Request(tx)'),
    ext: '.js',
  },
  {
    name: 'an mssql transaction begun in a chain, `await pool.transaction().begin()`, rolled back on every path that does not commit; one made and never begun holds nothing',
    code: mssqlClaim('const unused = pool.transaction();\n        const tx = await pool.transaction().begin();', 'tx.request()'),
    ext: '.js',
  },
  {
    name: "a pool adapter whose getConnection(cb) passes the caller's callback on to mysql2's: the connection goes to the caller",
    code: `
      import { createPool, Pool, PoolOptions } from 'mysql2';
      export function refreshingPool(options: PoolOptions, password: () => Promise<string>) {
        const inner = createPool(options);
        return {
          getConnection(cb: (err: unknown, conn: unknown) => void) {
            password()
              .then((pw) => {
                (inner as any).config.connectionConfig.password = pw;
                inner.getConnection(cb as Parameters<Pool['getConnection']>[0]);
              })
              .catch((err) => cb(err, undefined));
          },
          end(cb: (err: unknown) => void) { inner.end(cb as Parameters<Pool['end']>[0]); },
        };
      }`,
  },
  {
    name: 'a postgres.js reserved connection released in finally; a transaction of sql.begin(fn) ends itself',
    code: `
      import postgres from 'postgres';
      const sql = postgres(process.env.DATABASE_URL!);
      export async function copyTenant(id: string) {
        const reserved = await sql.reserve();
        try {
          await reserved\`set search_path to \${sql(id)}\`;
          return await reserved\`select count(*) from orders\`;
        } finally {
          reserved.release();
        }
      }
      export const move = (from: string, to: string) => sql.begin(async (tx) => { await tx\`update accounts set owner = \${to} where owner = \${from}\`; });`,
  },
  {
    name: 'a Sequelize managed transaction (a handler): Sequelize commits or rolls back when its promise settles',
    code: `
      import type { Sequelize } from 'sequelize';
      export async function create(db: Sequelize, models: any, tenantId: string) {
        return db.transaction(async (transaction) => {
          const invoice = await models.Invoice.create({ tenantId }, { transaction });
          if (!invoice) return null;
          return invoice;
        });
      }`,
  },
  {
    name: "the same check with zod's safeParse(), which returns its failure instead of throwing",
    code: cancelRoute("(cancelBody.safeParse(body).data ?? { reason: 'customer' })"),
  },
  {
    name: 'the same create, rolling back before it returns the existing order',
    ...orderService('if (existing) {\n            await trx.rollback();\n            return existing;\n          }'),
  },
  {
    name: 'a transaction with a handler: knex commits or rolls back when its promise settles',
    code: `
      const db = require('./db');
      function createOrder(input) {
        return db.transaction(async (trx) => {
          const existing = await trx('orders').where({ key: input.key }).first();
          if (existing) return existing;
          return trx('orders').insert({ key: input.key }).returning('*');
        });
      }
      module.exports = { createOrder };`,
    ext: '.js',
    files: KNEX_DB,
  },
];

/** A koa route archiving a plan in a knex transaction; `onFailure` is its catch's release. */
const ARCHIVE_PLAN = (onFailure: string) => `
      const { db } = require('./db');
      async function archivePlan(ctx) {
        const trx = await db.transaction();
        try {
          const n = await trx('plans').where({ id: ctx.params.id, active: true }).update({ active: false });
          if (n === 0) {
            await trx.rollback();
            ctx.throw(404, 'no active plan with that id');
          }
          await trx('subscriptions').where({ plan_id: ctx.params.id }).update({ status: 'migrating' });
          await trx.commit();
          ctx.status = 204;
        } catch (err) {
          ${onFailure}
          throw err;
        }
      }
      module.exports = { archivePlan };`;

valid.push({
  name: "a knex transaction whose catch rolls back unless it is already completed (`trx.isCompleted()`: committed or rolled back)",
  code: ARCHIVE_PLAN('if (!trx.isCompleted()) await trx.rollback();'),
  ext: '.js',
  files: { 'db.js': "const knex = require('knex');\nexports.db = knex({ client: 'pg', connection: process.env.DATABASE_URL });\n" },
});
invalid.push({
  name: 'the same catch that only logs: a failed update leaves the transaction open',
  code: ARCHIVE_PLAN("console.error('archive failed', err);"),
  ext: '.js',
  files: { 'db.js': "const knex = require('knex');\nexports.db = knex({ client: 'pg', connection: process.env.DATABASE_URL });\n" },
  errors: [{ line: 3, message: /^The connection checked out by `knex.transaction` is not released when the `throw` on line 15 runs/ }],
});
