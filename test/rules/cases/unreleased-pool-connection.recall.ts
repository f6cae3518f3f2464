// unreleased-pool-connection: checkouts in the shapes real code uses (tarn/knex, mariadb, pools from
// another module, aliases), beside look-alikes that release. A checkout released in a query stream's
// 'end' listener while its inline 'error' listener releases nothing is held when the query fails
// (a failing stream emits 'error' and never 'end'). A helper that keys per-socket state by the checkout in a
// `WeakMap` (or only looks it up) keeps nothing: the caller still owns it. Nor does one that returns a promise
// whose listeners only read the checkout's socket and buffer (a line round trip over a generic-pool socket). A
// promise a timer rejects while the checkout is held leaves it out of the pool.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A generic-pool of gateway sockets; submit() checks one out and waits for the acknowledgement, `onTimeout` when none comes. */
const gateway = (onTimeout: string) => `
      import net from 'node:net';
      import genericPool from 'generic-pool';
      export const gatewayPool = genericPool.createPool<net.Socket>({
        create: () => new Promise((resolve, reject) => { const s = net.connect(7001, '10.60.1.5'); s.once('connect', () => resolve(s)); s.once('error', reject); }),
        destroy: async (s) => { s.destroy(); },
      }, { max: 4 });
      export async function submit(record: Buffer): Promise<string> {
        const socket = await gatewayPool.acquire();
        return new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => {
            ${onTimeout}
            reject(new Error('no acknowledgement within 10s'));
          }, 10_000);
          socket.once('data', (buf) => {
            clearTimeout(timer);
            gatewayPool.release(socket);
            resolve(buf.toString('latin1').trim());
          });
          socket.write(record);
        });
      }`;

/** A CSV export streaming a pg QueryStream; `onError` is the body of the stream's 'error' listener. */
function csvExport(onError: string): string {
  return `
      import type { ServerResponse } from 'node:http';
      import pg from 'pg';
      import QueryStream from 'pg-query-stream';
      const pool = new pg.Pool();
      export async function exportCsv(res: ServerResponse): Promise<void> {
        const client = await pool.connect();
        const rows = client.query(new QueryStream('SELECT id, sku FROM reservations'));
        rows.on('end', () => client.release());
        res.writeHead(200, { 'content-type': 'text/csv' });
        rows.on('data', (row: { id: number; sku: string }) => res.write(row.id + ',' + row.sku + '\\n'));
        rows.on('end', () => res.end());
        rows.on('error', (err: Error) => {
          ${onError}
        });
      }`;
}

/** A Modbus poller over a generic-pool of sockets (a pool per host in a Map); `warming` runs when every register reads 0xFFFF. */
const POLLER = (warming: string) => `
      const state = new WeakMap();
      function stateFor(socket) {
        let s = state.get(socket);
        if (!s) {
          s = { nextId: 1 };
          state.set(socket, s);
        }
        return s;
      }
      function readRegisters(socket, address) {
        const s = stateFor(socket);
        return new Promise((resolve) => {
          socket.once('data', (chunk) => resolve([chunk.readUInt16BE(0)]));
          socket.write(Buffer.from([s.nextId++, address]));
        });
      }
      class Poller {
        constructor(pools, devices) { this.pools = pools; this.devices = devices; }
        async tick() {
          for (const device of this.devices) {
            const pool = this.pools.get(device.host);
            const conn = await pool.acquire();
            let values;
            try {
              values = await readRegisters(conn, device.address);
            } catch (err) {
              await pool.destroy(conn);
              continue;
            }
            if (values.every((v) => v === 0xffff)) {
              ${warming}continue;
            }
            pool.release(conn);
          }
        }
      }
      module.exports = { Poller };`;

/** A calc engine's generic-pool of sockets; `evaluate` checks one out, round-trips a line, and `after` follows. */
const calcPool = (after: string) => `
      import * as net from 'node:net';
      import { createPool } from 'generic-pool';
      interface CalcConnection { socket: net.Socket; buffer: string }
      export const calcPool = createPool<CalcConnection>({
        async create() { return { socket: net.connect({ host: 'calc', port: 7000 }), buffer: '' }; },
        async destroy(conn) { conn.socket.destroy(); },
      }, { max: 8 });
      function roundTrip(conn: CalcConnection, line: string): Promise<string> {
        return new Promise((resolve, reject) => {
          const onData = (chunk: string) => {
            conn.buffer += chunk;
            const nl = conn.buffer.indexOf('\\n');
            if (nl === -1) return;
            conn.socket.off('data', onData);
            resolve(conn.buffer.slice(0, nl));
          };
          conn.socket.on('data', onData);
          conn.socket.once('close', () => reject(new Error('calc engine closed the connection')));
          conn.socket.write(line + '\\n');
        });
      }
      export async function evaluate(formula: string): Promise<string> {
        const conn = await calcPool.acquire();
${after}
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a generic-pool socket round-tripped by a helper whose promise only reads it, released only when the formula parses",
    code: calcPool(`        const parsed = JSON.parse(await roundTrip(conn, formula)) as { ok: boolean; value?: string };
        if (!parsed.ok) throw new Error('formula error');
        await calcPool.release(conn);
        return parsed.value ?? '';`),
    errors: [{ line: 23, message: /is not released when the `throw` on line 25 runs/ }],
  },
  {
    name: "a generic-pool socket a poller skips while the sensor warms up: the loop goes on without releasing it (the read helper keys state by it in a WeakMap)",
    code: POLLER(''),
    ext: '.js',
    files: { 'package.json': '{ "name": "iot-gateway", "dependencies": { "generic-pool": "^3.9.0" } }' },
    errors: [{ line: 22, message: /before the next loop iteration \(line 31\)/ }],
  },
  {
    name: 'a generic-pool resource handed to a helper whose promise a timer may reject: the catch returns without releasing it',
    code: `
      import genericPool from 'generic-pool';
      function renderOnce(ws, url, timeoutMs) {
        return new Promise((resolve, reject) => {
          const onMessage = (data) => { clearTimeout(timer); ws.off('message', onMessage); resolve(String(data)); };
          const timer = setTimeout(() => { ws.off('message', onMessage); reject(new Error('timed out: ' + url)); }, timeoutMs);
          ws.on('message', onMessage);
          ws.send(url);
        });
      }
      export async function renderPage(pool, url) {
        const ws = await pool.acquire();
        let html;
        try {
          html = await renderOnce(ws, url, 45000);
        } catch (err) {
          return null;
        }
        await pool.release(ws);
        return html;
      }`,
    ext: '.mjs',
    errors: [{ line: 11 }],
  },
  {
    name: "tarn: acquire().promise not released when the query throws",
    code: `
      import { Pool } from 'tarn';
      export async function run(pool: Pool<{ query(s: string): Promise<unknown> }>, sql: string) {
        const conn = await pool.acquire().promise;
        const rows = await conn.query(sql);
        pool.release(conn);
        return rows;
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'a pg pool exported by a sibling ES module',
    code: `
      import { pool } from './db';
      export async function count() {
        const client = await pool.connect();
        const r = await client.query('select count(*) from t');
        return r.rows[0];
      }`,
    files: { 'db.ts': `
      import { Pool } from 'pg';
      export const pool = new Pool({ max: 5 });` },
    errors: [{ line: 3 }],
  },
  {
    name: 'mysql getConnection through a destructured require',
    code: `
      const { createPool } = require('mysql2');
      const pool = createPool({ host: 'db' });
      function one(cb) {
        pool.getConnection((err, conn) => {
          if (err) return cb(err);
          conn.query('select 1', (e, rows) => cb(e, rows));
        });
      }
      module.exports = one;`,
    ext: '.js',
    errors: [{ line: 4 }],
  },
  {
    name: "a mariadb pool's connection released after a query that can reject",
    code: `
      const mariadb = require('mariadb');
      const pool = mariadb.createPool({ host: 'db', connectionLimit: 5 });
      async function find(id) {
        const conn = await pool.getConnection();
        const rows = await conn.query('SELECT * FROM users WHERE id = ?', [id]);
        conn.release();
        return rows;
      }
      module.exports = { find };`,
    ext: '.js',
    errors: [{ line: 4, message: /not released if the .await. on line 5 rejects/ }],
  },
  {
    name: "mariadb's callback API: a connection checked out and never released on an error path",
    code: `
      const mariadb = require('mariadb/callback');
      const pool = mariadb.createPool({ host: 'db' });
      function count(cb) {
        pool.getConnection((err, conn) => {
          if (err) return cb(err);
          conn.query('SELECT COUNT(*) AS n FROM users', (qerr, rows) => {
            if (qerr) return cb(qerr);
            conn.release();
            cb(null, rows[0].n);
          });
        });
      }
      module.exports = { count };`,
    ext: '.js',
    errors: [{ line: 4 }],
  },
  {
    name: "a checkout released in its query stream's 'end' listener, whose 'error' listener only destroys the response",
    code: csvExport('res.destroy(err);'),
    errors: [{ line: 6, message: /fails instead \(its `error` listener on line 12 closes nothing/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same round trip with the socket released in finally',
    code: calcPool(`        try {
          const parsed = JSON.parse(await roundTrip(conn, formula)) as { ok: boolean; value?: string };
          if (!parsed.ok) throw new Error('formula error');
          return parsed.value ?? '';
        } finally {
          await calcPool.release(conn);
        }`),
  },
  {
    name: 'the same poller releasing the socket before it skips the device',
    code: POLLER('pool.release(conn);\n              '),
    ext: '.js',
    files: { 'package.json': '{ "name": "iot-gateway", "dependencies": { "generic-pool": "^3.9.0" } }' },
  },
  {
    name: 'tarn: released in finally',
    code: `
      import { Pool } from 'tarn';
      export async function run(pool: Pool<{ query(s: string): Promise<unknown> }>, sql: string) {
        const conn = await pool.acquire().promise;
        try {
          return await conn.query(sql);
        } finally {
          pool.release(conn);
        }
      }`,
  },
  {
    name: 'a pg pool from a sibling module, released in finally',
    code: `
      import { pool } from './db';
      export async function count() {
        const client = await pool.connect();
        try {
          return (await client.query('select count(*) from t')).rows[0];
        } finally {
          client.release();
        }
      }`,
    files: { 'db.ts': `
      import { Pool } from 'pg';
      export const pool = new Pool({ max: 5 });` },
  },
  {
    name: 'pool.query() checks out and releases by itself',
    code: `
      import { pool } from './db';
      export async function count() {
        const r = await pool.query('select count(*) from t');
        return r.rows[0];
      }`,
    files: { 'db.ts': `
      import { Pool } from 'pg';
      export const pool = new Pool({ max: 5 });` },
  },
  {
    name: 'a mariadb pool connection released in finally',
    code: `
      import mariadb from 'mariadb';
      const pool = mariadb.createPool({ host: 'db' });
      export async function names(): Promise<unknown[]> {
        const conn = await pool.getConnection();
        try {
          return await conn.query('SELECT name FROM users');
        } finally {
          await conn.release();
        }
      }`,
  },
  {
    name: "the same export whose stream's 'error' listener releases the checkout too",
    code: csvExport('client.release(err); res.destroy(err);'),
  },
  {
    name: 'the same gateway submit whose timeout destroys the socket back into the pool before it rejects',
    code: gateway('void gatewayPool.destroy(socket);'),
  },
];

invalid.push({
  name: "a generic-pool socket checked out for one acknowledgement whose timeout rejects the promise without releasing it: the caller catches and goes on, and the pool loses one of its sockets each time",
  code: gateway(''),
  errors: [{ line: 8, message: /^The connection checked out by `generic-pool.createPool.acquire` is not released once the promise is settled on line 12/ }],
});

/** A CSV download piping a pg QueryStream into the response; `more` adds the stream's other listeners, `send` sends it. */
const PIPED_EXPORT = (more: string, send = 'rows.pipe(csv).pipe(res);') => `
      import type { ServerResponse } from 'node:http';
      import { Transform } from 'node:stream';
      import pg from 'pg';
      import QueryStream from 'pg-query-stream';
      const pool = new pg.Pool();
      export async function exportReadings(res: ServerResponse): Promise<void> {
        const client = await pool.connect();
        const rows = client.query(new QueryStream('SELECT taken_at, do_mg_l FROM readings'));
        const csv = new Transform({ objectMode: true, transform: (row, _enc, cb) => cb(null, row.taken_at + ',' + row.do_mg_l + '\\n') });
        rows.on('end', () => client.release());
        rows.on('error', (err: Error) => { client.release(err); res.destroy(err); });
        ${more}
        ${send}
      }`;

invalid.push({
  name: "a QueryStream piped with pipe() into a download, released on its 'end' or 'error' only: a client that aborts leaves it paused, and neither comes",
  code: PIPED_EXPORT(''),
  errors: [{ line: 7, message: /not released when the consumer of the stream piped on line 13 stops first/ }],
});

valid.push({
  name: "the same download whose stream's 'close' releases the client too (pipe()'s destination destroyed, the stream emits it once destroyed)",
  code: PIPED_EXPORT("rows.on('close', () => client.release());"),
}, {
  name: 'the same download sent with pipeline(), which destroys the stream when the response closes early',
  code: PIPED_EXPORT('', "await import('node:stream/promises').then(({ pipeline }) => pipeline(rows, csv, res)).catch(() => undefined);"),
});

/** A mariadb checkout in a promise's executor whose query stream releases it in 'end'; `onError` is the stream's 'error' listener. */
const STREAM_EXPORT = (onError: string) => `
      import mariadb from 'mariadb';
      const pool = mariadb.createPool({ host: 'db', connectionLimit: 8 });
      export function exportOrderHistory(customerId, out) {
        return new Promise((resolve, reject) => {
          pool.getConnection().then((conn) => {
            const rows = conn.queryStream('SELECT * FROM orders WHERE customer_id = ?', [customerId]);
            rows.on('data', (row) => out.write(JSON.stringify(row) + '\\n'));
            rows.on('error', ${onError});
            rows.on('end', () => {
              conn.release();
              resolve();
            });
          }, reject);
        });
      }`;

invalid.push({
  name: "a checkout released in its query stream's 'end' listener, whose 'error' listener is the promise's own reject: a failing stream never ends",
  code: STREAM_EXPORT('reject'),
  ext: '.mjs',
  errors: [{ line: 5, message: /fails instead \(its `error` listener on line 8 closes nothing/ }],
});
valid.push({
  name: "the same stream whose 'error' listener releases the checkout before rejecting",
  code: STREAM_EXPORT('(err) => {\n              conn.release();\n              reject(err);\n            }'),
  ext: '.mjs',
});
valid.push({
  name: "the same stream whose 'error' listener is a function of the module, which may release it",
  code: STREAM_EXPORT('onFailure').replace("export function exportOrderHistory", "function onFailure(err) { console.error(err); }\n      export function exportOrderHistory"),
  ext: '.mjs',
});

/** A pg checkout whose COPY is written to a gzipped file; `listeners` settle the promise (and release it, or not). */
const COPY_TO_FILE = (listeners: string) => `
      import { createWriteStream } from 'node:fs';
      import { createGzip } from 'node:zlib';
      import { Pool } from 'pg';
      import { to as copyTo } from 'pg-copy-streams';
      const pool = new Pool();
      export async function archiveDay(day: string, file: string): Promise<string> {
        const client = await pool.connect();
        const source = client.query(copyTo(\`COPY (SELECT * FROM frames WHERE day = '\${day}') TO STDOUT\`));
        const out = createWriteStream(file);
        await new Promise<void>((resolve, reject) => {
${listeners}
          source.pipe(createGzip()).pipe(out);
        });
        return file;
      }`;

invalid.push({
  name: "a checkout released in its file's 'finish' listener: a write that fails (the disk is full) emits 'error', never 'finish'",
  code: COPY_TO_FILE(`          source.on('error', reject);
          out.on('error', reject);
          out.on('finish', () => {
            client.release();
            resolve();
          });`),
  errors: [{ line: 7, message: /`end` or `finish` listener closes it fails instead \(its `error` listener on line 12 closes nothing/ }],
});
valid.push({
  name: "the same copy whose failures release the checkout too, through a function of the executor",
  code: COPY_TO_FILE(`          const fail = (err: Error) => {
            client.release();
            reject(err);
          };
          source.on('error', fail);
          out.on('error', fail);
          out.on('finish', () => {
            client.release();
            resolve();
          });`),
});
