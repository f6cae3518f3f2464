// unclosed-connection: a pool is meant to outlive the function that makes it, so one it never closes is left alone;
// but not one the function keeps to itself beside a connection it closes in its `finally` (it owns what it makes,
// and nothing else can reach this one), nor one a helper of a command-line script makes when main() calls it once
// (left open, it keeps the script waiting as main()'s own would). A connection made per request whose `finally` closes
// only its channel (in a `finally` or after its work) is reported here beside connection-churn's finding at the same place,
// which does not hide it; one closed on some paths only is this rule's alone.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A nightly job's reconciliation with a dedicated mssql pool and a mysql2 connection; `closes` is its finally's body. */
const RECONCILE = (closes: string) => `
      import sql from 'mssql';
      import mysql from 'mysql2/promise';
      declare const cfg: { mssql: sql.config; mysql: mysql.ConnectionOptions };
      async function main(): Promise<void> {
        console.log('picked up:', await reconcilePickups(cfg));
      }
      main().catch(() => { process.exitCode = 1; });
      async function reconcilePickups(cfg: { mssql: sql.config; mysql: mysql.ConnectionOptions }): Promise<number> {
        const pms = await new sql.ConnectionPool({ ...cfg.mssql, pool: { max: 1, min: 0 } }).connect();
        const local = await mysql.createConnection(cfg.mysql);
        try {
          const result = await pms.request().query('SELECT RxNumber FROM dbo.Dispensings');
          for (const row of result.recordset) await local.execute('UPDATE n SET picked = 1 WHERE rx = ?', [row.RxNumber]);
          return result.recordset.length;
        } finally {
          ${closes}
        }
      }`;

/** A script helper that makes a pg pool for one query, called once by main(); `tail` is the rest of the file. */
const SCRIPT = (tail: string) => `
      const { Pool } = require('pg');
      async function countOrders() {
        const pool = new Pool({ connectionString: process.env.DATABASE_URL });
        const { rows } = await pool.query('SELECT count(*) AS n FROM orders');
        return Number(rows[0].n);
      }${tail}`;

export const invalid: InvalidCase[] = [
  {
    name: "a pool from a project factory that returns `new sql.ConnectionPool(cfg).connect()` (connect() resolves to the pool), kept beside an SFTP session the finally ends",
    code: `
      import SftpClient from 'ssh2-sftp-client';
      import { openReportingPool } from './db';
      export async function syncDrop(files: string[]): Promise<number> {
        const sftp = new SftpClient('drop');
        const reporting = await openReportingPool();
        try {
          await sftp.connect({ host: 'drop.example' });
          for (const f of files) await reporting.request().query('INSERT INTO Drops VALUES (' + JSON.stringify(f) + ')');
          return files.length;
        } finally {
          await sftp.end();
        }
      }`,
    files: {
      'db.ts': "import sql from 'mssql';\nexport function openReportingPool(): Promise<sql.ConnectionPool> {\n  return new sql.ConnectionPool({ server: 'reports', pool: { max: 2, min: 0 } }).connect();\n}\n",
    },
    errors: [{ line: 5, message: /^Connection pool from `openReportingPool\(\)` is never closed/ }],
  },
  {
    name: "an AMQP connection per request whose finally closes only its channel: reported beside connection-churn's finding (the churn does not hide the forgotten close)",
    code: `
      import express from 'express';
      import amqp from 'amqplib';
      export async function publishWorkOrder(order: object): Promise<void> {
        const conn = await amqp.connect('amqp://rabbit');
        const channel = await conn.createConfirmChannel();
        try {
          channel.sendToQueue('work-orders', Buffer.from(JSON.stringify(order)), { persistent: true });
          await channel.waitForConfirms();
        } finally {
          await channel.close();
        }
      }
      export const router = express.Router();
      router.post('/issues', async (req, res) => {
        await publishWorkOrder(req.body);
        res.sendStatus(202);
      });`,
    errors: [{ line: 4, message: /^AMQP connection from `amqplib.connect` is never closed/ }],
  },
  {
    name: "an AMQP connection per event whose channel the function closes after publishing, never the connection: reported beside connection-churn's finding",
    code: `
      import amqp from 'amqplib';
      import mqtt from 'mqtt';
      async function raiseAlert(hiveId: string): Promise<void> {
        const conn = await amqp.connect(process.env.AMQP_URL!);
        const ch = await conn.createConfirmChannel();
        ch.publish('alerts', 'swarm', Buffer.from(hiveId));
        await ch.waitForConfirms();
        await ch.close();
      }
      const client = mqtt.connect(process.env.MQTT_URL!);
      client.on('message', (_topic, payload) => { raiseAlert(String(payload)).catch(console.error); });`,
    errors: [{ line: 4, message: /^AMQP connection from `amqplib.connect` is never closed/ }],
  },
  {
    name: "a Redis client per request, quit on the cache-miss path only: its early return is reported (connection-churn leaves it to this rule)",
    code: `
      import express from 'express';
      import Redis from 'ioredis';
      export const router = express.Router();
      router.get('/windows/:id', async (req, res) => {
        const redis = new Redis(process.env.REDIS_URL!);
        const cached = await redis.get(req.params.id);
        if (cached) return res.json(JSON.parse(cached));
        await redis.set(req.params.id, '[]', 'EX', 300);
        await redis.quit();
        res.json([]);
      });`,
    errors: [{ line: 5, message: /^Redis connection from `ioredis` is not closed when the `return` on line 7 is taken/ }],
  },
  {
    name: "a pool a function keeps to itself, beside a connection its finally closes: the finally closes the one and forgets the other",
    code: RECONCILE('await local.end();'),
    file: 'src/jobs/nightly.ts',
    errors: [{ line: 9, message: /^Connection pool from `mssql.ConnectionPool` is never closed; it stays open when the `return` on line 14 is taken/ }],
  },
  {
    name: "a pool a helper of a command-line script makes for one query, called once by main(): the script waits on it after its work",
    code: SCRIPT(`
      async function main() {
        console.log('orders:', await countOrders());
      }
      main().catch((err) => { console.error(err); process.exitCode = 1; });`),
    ext: '.js',
    file: 'scripts/count-orders.js',
    errors: [{ line: 3, message: /^Connection pool from `pg.Pool` is never closed/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'a pool the helper of a job makes and never closes, with nothing else closed there, outside a command-line script: whether the process lives on, the code does not say',
    code: `
      import sql from 'mssql';
      declare const config: sql.config;
      async function main(): Promise<void> {
        console.log('picked up:', await countPickups(config));
      }
      main().catch(() => { process.exitCode = 1; });
      async function countPickups(config: sql.config): Promise<number> {
        const pms = await new sql.ConnectionPool(config).connect();
        const result = await pms.request().query('SELECT RxNumber FROM dbo.Dispensings');
        return result.recordset.length;
      }`,
    file: 'src/jobs/nightly.ts',
  },
  {
    name: 'the same script helper called for each of several tenants in a loop of main(): no longer one run',
    code: SCRIPT(`
      async function main() {
        for (const t of ['a', 'b']) console.log(t, await countOrders());
      }
      main().catch((err) => { console.error(err); process.exitCode = 1; });`),
    ext: '.js',
    file: 'scripts/count-orders.js',
  },
  {
    name: 'the same script helper when main() ends the process once its work is done',
    code: SCRIPT(`
      async function main() {
        console.log('orders:', await countOrders());
      }
      main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });`),
    ext: '.js',
    file: 'scripts/count-orders.js',
  },
];
