// connection-churn: a function that makes a database client of its own and closes it again runs as often
// as its callers: called in a loop, or from a route handler or a listener, in any file of the project, also through a
// local function of another module that its listeners call (`const handle = async (raw) => …; feed.on('packet', (l) => handle(l))`).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const AUDIT_BATCH = `
      import mysql from 'mysql2/promise';
      export async function auditBatch(opsUri, entry) {
        const conn = await mysql.createConnection({ uri: opsUri, connectTimeout: 5000 });
        try {
          await conn.execute('INSERT INTO etl_batch_audit (job, batch_no) VALUES (?, ?)', [entry.job, entry.batch]);
        } finally {
          await conn.end();
        }
      }`;

const PRICE_AUDIT = `
      import pg from 'pg';
      export async function writePriceAudit(connectionString: string, sku: string, price: number): Promise<void> {
        const client = new pg.Client({ connectionString, statement_timeout: 5000 });
        await client.connect();
        try {
          await client.query('INSERT INTO price_audit (sku, new_price) VALUES ($1, $2)', [sku, price]);
        } finally {
          await client.end();
        }
      }`;

/** The same helper as an arrow function bound to a module-level `const`. */
const AUDIT_BATCH_ARROW = AUDIT_BATCH.replace('export async function auditBatch(opsUri, entry) {', 'export const auditBatch = async (opsUri, entry) => {') + ';';

/** An import command that audits each batch it saves. */
const RUN_IMPORT = `
      import { auditBatch } from './audit.mjs';
      export async function runImport(batches, opsUri, jobId) {
        let batch = 0;
        for await (const rows of batches) {
          await saveRows(rows);
          await auditBatch(opsUri, { job: jobId, batch: ++batch });
        }
      }
      async function saveRows(rows) { return rows.length; }`;

/** A project helper that subscribes and runs `handler` for each message, inside `runs` (a loop or a one-off). */
function natsConsumer(runs: string): string {
  return `
      import { connect, StringCodec } from 'nats';
      import { writePriceAudit } from '../lib/audit-writer.js';
      const sc = StringCodec();
      function startConsumer(nc, subject, handler) {
        const sub = nc.subscribe(subject);
        void (async () => {
          ${runs}
        })();
        return sub;
      }
      export async function main() {
        const nc = await connect({ servers: process.env.NATS_URL });
        startConsumer(nc, 'prices.changed', async (data) => {
          await writePriceAudit(process.env.AUDIT_URL!, data.sku, data.price);
        });
      }`;
}

/** A replica query helper of a reports module, reached by its exported reports (`through` calls it). */
function replicaReports(through: string): string {
  return `
      import mysql from 'mysql2/promise';
      async function queryReplica(sql, params) {
        const conn = await mysql.createConnection({ uri: process.env.REPLICA_URL, connectTimeout: 5000 });
        try {
          const [rows] = await conn.query(sql, params);
          return rows;
        } finally {
          await conn.end();
        }
      }
      export function articlesPerDay(from, to) {
        ${through}
      }`;
}

/** A Koa admin route that runs the report for each request. */
const REPORT_ROUTE = `
      import Router from '@koa/router';
      import { articlesPerDay } from './reports.mjs';
      export const router = new Router();
      router.get('/admin/reports/publishing', async (ctx) => {
        ctx.body = await articlesPerDay(ctx.query.from, ctx.query.to);
      });`;

/** A station lookup with a pg client per call, and a gateway whose local `handle` calls it; `wire` runs handle. */
const stationLookup = (wire: string) => ({
  file: 'src/stationLookup.ts',
  code: `
      import { Client } from 'pg';
      export async function lookupStation(callsign: string) {
        const client = new Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        try {
          const { rows } = await client.query('SELECT * FROM stations WHERE callsign = $1', [callsign]);
          return rows[0] ?? null;
        } finally {
          await client.end();
        }
      }
      export async function shouldGate(packet: { to: string }) {
        const station = await lookupStation(packet.to);
        return !!station;
      }`,
  files: {
    'src/gateway.ts': `import { EventEmitter } from 'node:events';\nimport { shouldGate } from './stationLookup';\nexport function main(feed: EventEmitter) {\n  const handle = async (raw: string) => {\n    if (await shouldGate(JSON.parse(raw))) feed.emit('out', raw);\n  };\n${wire}\n}\n`,
  },
});

export const invalid: InvalidCase[] = [
  {
    name: "an mssql pool a module-local factory makes and connects in one chain (`return new sql.ConnectionPool(o).connect()`), closed by each route's lookup: reported at the factory",
    ext: '.js',
    code: `
      import sql from 'mssql';
      import express from 'express';
      const config = { server: process.env.LEGACY_SQL_HOST, pool: { max: 2, min: 0 } };
      function legacyPool() {
        return new sql.ConnectionPool(config).connect();
      }
      async function lookupTicket(barcode) {
        const pool = await legacyPool();
        try {
          const result = await pool.request().input('code', sql.VarChar(32), barcode).query('SELECT Status FROM dbo.Tickets WHERE Barcode = @code');
          return result.recordset[0]?.Status === 'VALID';
        } finally {
          await pool.close();
        }
      }
      const app = express();
      app.post('/scans/:barcode', async (req, res) => res.json({ valid: await lookupTicket(req.params.barcode) }));
      app.listen(8080);`,
    errors: [{ line: 5, messageId: 'clientPerCall' }],
  },
  {
    name: "a pg client per lookup, reached through a local function of another module that a 'packet' listener calls",
    ...stationLookup("  feed.on('packet', (line: string) => handle(line).catch(() => undefined));"),
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
  {
    name: "a Redis client per call of a purge helper that deletes the tag's keys in chunks (a batch of its own), called from an express route: one client per request",
    code: `
      import { createClient } from 'redis';
      export async function purgeTag(tag) {
        const client = createClient({ url: process.env.REDIS_URL });
        await client.connect();
        try {
          const keys = await client.sMembers('tag:' + tag);
          for (let i = 0; i < keys.length; i += 500) await client.del(keys.slice(i, i + 500));
          return keys.length;
        } finally {
          await client.quit();
        }
      }`,
    file: 'cache/tag-purge.js',
    ext: '.js',
    files: {
      'routes.js': "import express from 'express';\nimport { purgeTag } from './cache/tag-purge.js';\nconst app = express();\napp.post('/_edge/purge', async (req, res) => res.json({ purged: await purgeTag(req.query.tag) }));\nexport default app;\n",
    },
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
  {
    name: 'a pg client per call of a helper run by the callback a project consumer calls for every NATS message (for await)',
    code: PRICE_AUDIT,
    file: 'src/lib/audit-writer.ts',
    files: { 'src/consumers/prices.ts': natsConsumer('for await (const msg of sub) await handler(JSON.parse(sc.decode(msg.data)));') },
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
  {
    name: "an arrow function's MySQL connection per call, the arrow called for every batch of another module's loop",
    code: AUDIT_BATCH_ARROW,
    ext: '.mjs',
    file: 'src/etl/audit.mjs',
    files: { 'src/etl/run.mjs': RUN_IMPORT.replace('          await saveRows(rows);\n', '') },
    errors: [{ line: 3, message: /A new `mysql2\/promise.createConnection` is created on every call of `auditBatch` and closed before it returns/ }],
  },
  {
    name: "a MySQL connection per call of a helper another module calls for every batch of an import loop",
    code: AUDIT_BATCH,
    ext: '.mjs',
    file: 'src/etl/audit.mjs',
    files: { 'src/etl/run.mjs': RUN_IMPORT },
    errors: [{ line: 3, message: /A new `mysql2\/promise.createConnection` is created on every call of `auditBatch` and closed before it returns/ }],
  },
  {
    name: 'a MySQL connection per query of a helper that an exported report returns, the report awaited by a Koa route handler of another module',
    code: replicaReports("return queryReplica('SELECT DATE(published_at) AS day, COUNT(*) AS n FROM articles WHERE published_at BETWEEN ? AND ? GROUP BY day', [from, to]);"),
    ext: '.mjs',
    file: 'src/db/reports.mjs',
    files: { 'src/db/routes.mjs': REPORT_ROUTE },
    errors: [{ line: 3, message: /A new `mysql2\/promise.createConnection` is created on every call of `queryReplica`/ }],
  },
  {
    name: 'a pg client per call of a helper a fastify route handler of another module awaits',
    code: PRICE_AUDIT,
    file: 'src/lib/audit-writer.ts',
    files: { 'src/routes/products.ts': `
      import type { FastifyInstance } from 'fastify';
      import { writePriceAudit } from '../lib/audit-writer.js';
      export default async function productRoutes(app: FastifyInstance) {
        app.put('/products/:sku/price', async (request: any, reply: any) => {
          await writePriceAudit(process.env.AUDIT_URL!, request.params.sku, request.body.listPrice);
          return reply.code(204).send();
        });
      }` },
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
  {
    name: "a pg client per call of a helper that a node http server's request handler awaits, in the same module",
    code: `
      import type { IncomingMessage, ServerResponse } from 'node:http';
      import pg from 'pg';
      export async function recentMatches(playerId: string): Promise<unknown[]> {
        const replica = new pg.Client({ connectionString: process.env.REPLICA_URL, statement_timeout: 5000 });
        await replica.connect();
        try {
          const { rows } = await replica.query('SELECT * FROM score_history WHERE player_id = $1', [playerId]);
          return rows;
        } finally {
          await replica.end();
        }
      }
      export async function handleLeaderboard(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
        const parts = new URL(req.url ?? '/', 'http://localhost').pathname.split('/').filter(Boolean);
        if (parts[0] !== 'api') return false;
        res.end(JSON.stringify({ recent: await recentMatches(parts[2]) }));
        return true;
      }`,
    errors: [{ line: 4, messageId: 'clientPerCall' }],
  },
  {
    // CommonJS on both sides: the rule tester's typed environment once made the case an ES module (its suffix was an
    // `import`), which unbound `module.exports` and hid the caller.
    name: "a pg client per lookup of a CommonJS module, reached from another CommonJS module's 'packet' listener",
    ext: '.js',
    file: 'lib/stationLookup.js',
    code: `
      const { Client } = require('pg');
      async function lookupStation(callsign) {
        const client = new Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        try {
          const { rows } = await client.query('SELECT * FROM stations WHERE callsign = $1', [callsign]);
          return rows[0] ?? null;
        } finally {
          await client.end();
        }
      }
      async function shouldGate(packet) {
        return !!(await lookupStation(packet.to));
      }
      module.exports = { lookupStation, shouldGate };`,
    files: {
      'bin/gateway.js': "const { shouldGate } = require('../lib/stationLookup');\nfunction main(feed) {\n  const handle = async (raw) => {\n    if (await shouldGate(JSON.parse(raw))) feed.emit('out', raw);\n  };\n  feed.on('packet', (line) => handle(line).catch(() => undefined));\n}\nmodule.exports = { main };\n",
    },
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same lookup when the local function runs once, for the greeting the feed sends at start',
    ...stationLookup("  feed.once('greeting', (line: string) => handle(line).catch(() => undefined));"),
  },
  {
    name: 'the same consumer helper calling its callback once, for the first message only',
    code: PRICE_AUDIT,
    file: 'src/lib/audit-writer.ts',
    files: { 'src/consumers/prices.ts': natsConsumer('const first = await sub[Symbol.asyncIterator]().next();\n          await handler(JSON.parse(sc.decode(first.value.data)));') },
  },
  {
    name: "the same replica helper, reached through an exported report that a script's main() runs once",
    code: replicaReports("return queryReplica('SELECT DATE(published_at) AS day, COUNT(*) AS n FROM articles WHERE published_at BETWEEN ? AND ? GROUP BY day', [from, to]);"),
    ext: '.mjs',
    file: 'src/db/reports.mjs',
    files: { 'src/db/nightly.mjs': `
      import { articlesPerDay } from './reports.mjs';
      async function main() {
        console.log(await articlesPerDay('2024-01-01', '2024-12-31'));
      }
      main().catch((err) => { console.error(err); process.exit(1); });` },
  },
  {
    name: "the same helper called once by a script's main(): one connection per run",
    code: AUDIT_BATCH,
    ext: '.mjs',
    file: 'src/etl/audit.mjs',
    files: { 'src/etl/run.mjs': `
      import { auditBatch } from './audit.mjs';
      async function main() {
        await auditBatch(process.env.OPS_URI, { job: 'nightly', batch: 0 });
      }
      main().catch((err) => { console.error(err); process.exit(1); });` },
  },
  {
    name: 'the same helper called in a loop of retry attempts: one call succeeds',
    code: PRICE_AUDIT,
    file: 'src/lib/audit-writer.ts',
    files: { 'src/jobs/reprice.ts': `
      import { writePriceAudit } from '../lib/audit-writer.js';
      export async function recordOnce(url: string, sku: string, price: number) {
        for (let attempt = 1; attempt <= 3; attempt++) {
          try {
            return await writePriceAudit(url, sku, price);
          } catch (err) {
            if (attempt === 3) throw err;
          }
        }
      }` },
  },
  {
    name: "the same helper called in a loop of the project's tests only",
    code: PRICE_AUDIT,
    file: 'src/lib/audit-writer.ts',
    files: { 'test/audit-writer.test.ts': `
      import { writePriceAudit } from '../src/lib/audit-writer.js';
      it('writes an audit row per change', async () => {
        for (const sku of ['a', 'b', 'c']) await writePriceAudit(process.env.TEST_DB!, sku, 1);
      });` },
  },
];
