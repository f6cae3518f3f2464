// unreleased-pool-connection: connections held for the caller alone outside a query — an mssql PreparedStatement
// between prepare() and unprepare() (its `prepared` flag says which), and knex's raw `db.client.acquireConnection()`
// (an advisory lock on it) until `db.client.releaseConnection(conn)`. An untyped `app.db.transaction()` in a package that
// depends on knex (a fastify decorator) is knex's, not a `db.transaction('store')` of IndexedDB.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [];
export const invalid: InvalidCase[] = [];

/** A loop of lookups on one mssql prepared statement; `release` is the `finally` that hands its connection back. */
const INVOICE_LINES = (release: string) => `
      const { sql, getPool } = require('./db');
      async function invoiceLines(repairIds, res) {
        let ps;
        try {
          ps = new sql.PreparedStatement(await getPool());
          ps.input('id', sql.Int);
          await ps.prepare("SELECT id, price_cents FROM repairs WHERE id = @id AND status = 'ready'");
          const lines = [];
          for (const id of repairIds) {
            const { recordset } = await ps.execute({ id });
            if (recordset.length === 0) return res.status(409).json({ error: 'repair ' + id + ' is not ready' });
            lines.push(recordset[0]);
          }
          res.json({ lines });
        } finally {
          ${release}
        }
      }
      module.exports = { invoiceLines };`;
const MSSQL_DB = { 'db.js': "const sql = require('mssql');\nlet pool;\nasync function getPool() { pool ??= await new sql.ConnectionPool(process.env.DB).connect(); return pool; }\nmodule.exports = { sql, getPool };\n" };

valid.push({
  name: "an mssql prepared statement unprepared in finally when it is prepared (`ps.prepared`: a failed prepare() has released its connection)",
  code: INVOICE_LINES('if (ps && ps.prepared) await ps.unprepare().catch(() => {});'),
  ext: '.js',
  files: MSSQL_DB,
});
invalid.push({
  name: 'the same statement whose finally unprepares it only when it was given no ids',
  code: INVOICE_LINES('if (ps && repairIds.length === 0) await ps.unprepare().catch(() => {});'),
  ext: '.js',
  files: MSSQL_DB,
  errors: [{ line: 7, message: /The connection checked out by `mssql.PreparedStatement` is not released/ }],
});

/** A venue lock held on a raw knex connection; `busy` is what the function does when the lock is taken elsewhere. */
const VENUE_LOCK = (busy: string) => `
      const db = require('./db');
      async function lockVenue(venueId) {
        const conn = await db.client.acquireConnection();
        let rows;
        try {
          ({ rows } = await db.raw('SELECT pg_try_advisory_lock(?) AS ok', [venueId]).connection(conn));
        } catch (err) {
          await db.client.releaseConnection(conn);
          throw err;
        }
        if (!rows[0].ok) {
          ${busy}
        }
        return {
          async release() {
            try {
              await db.raw('SELECT pg_advisory_unlock(?)', [venueId]).connection(conn);
            } finally {
              await db.client.releaseConnection(conn);
            }
          },
        };
      }
      module.exports = { lockVenue };`;
const KNEX_DB = {
  'db.js': "const knex = require('knex');\nmodule.exports = knex({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 4 } });\n",
  'package.json': '{ "name": "festival", "dependencies": { "knex": "^3.1.0", "pg": "^8.12.0" } }',
};

valid.push({
  name: "knex's raw connection given back with releaseConnection() when the advisory lock is taken elsewhere, or handed to the lock object",
  code: VENUE_LOCK('await db.client.releaseConnection(conn);\n          return null;'),
  ext: '.js',
  files: KNEX_DB,
});
invalid.push({
  name: "knex's raw connection kept when the advisory lock is taken elsewhere: the function returns null without releaseConnection()",
  code: VENUE_LOCK('return null;'),
  ext: '.js',
  files: KNEX_DB,
  errors: [{ line: 3, message: /The connection checked out by `client.acquireConnection` is not released when the `return` on line 12 is taken/ }],
});

/** A fastify route on the knex instance a plugin decorates the app with (`app.db`, untyped here); `onMissing` answers an unknown class. */
const SIGNUP = (onMissing: string) => `
      export default async function signupRoutes(app) {
        app.post('/classes/:id/signups', async (req, reply) => {
          const trx = await app.db.transaction();
          try {
            const cls = await trx('classes').where({ id: Number(req.params.id) }).forUpdate().first();
            if (!cls) {
              ${onMissing}
              return reply.code(404).send({ error: 'class not found' });
            }
            await trx('signups').insert({ class_id: cls.id, email: req.body.email });
            await trx.commit();
          } catch (err) {
            await trx.rollback();
            throw err;
          }
          return reply.code(201).send({ ok: true });
        });
      }`;
const SIGNUP_PACKAGE = { 'package.json': '{ "name": "turnery", "dependencies": { "fastify": "^4.28.0", "knex": "^3.1.0", "mysql2": "^3.11.0" } }' };

invalid.push({
  name: "a transaction of the knex instance a fastify plugin decorates the app with (`app.db.transaction()`) left open by the 404 branch",
  code: SIGNUP(''),
  ext: '.js',
  files: SIGNUP_PACKAGE,
  errors: [{ line: 3, message: /^The connection checked out by `db.transaction` is not released when the `return` on line 8 is taken/ }],
});
valid.push({
  name: 'the same route rolling the transaction back before the 404',
  code: SIGNUP('await trx.rollback();'),
  ext: '.js',
  files: SIGNUP_PACKAGE,
});
valid.push({
  name: "an IndexedDB-like `db.transaction('store')` given a store name in a package that depends on knex",
  code: `
      export async function read(db) {
        const tx = await db.transaction('classes');
        return tx.objectStore('classes').getAll();
      }`,
  ext: '.js',
  files: SIGNUP_PACKAGE,
});
