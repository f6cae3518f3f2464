// unclosed-connection: a connection that only a failure leaves open, in code whose failure ends the process:
// a CLI command's `.action()` (commander's `parseAsync()` at the top level, its rejection caught into an exit),
// and an exported function that every caller in the project awaits from such code: another module's `main()`,
// (also one called once at the top level whatever its `.catch()` does), or a top-level `await` (or a test: in a test only the passing path counts), or the process's start-up, called nowhere in the
// project and handing back its stop(). Everything it left open dies with the process; so does what a script's `main()`
// leaves open at its end when its fulfilment exits too (`main().then(() => process.exit(0), …)`). A pool that keeps
// idle connections (a pooled nodemailer transport) made per call and dropped is a leak of each call, unlike one
// made once by a script's main(). A CommonJS start-up that hands back its stop() is judged as an exported one; a
// module re-exported whole (`export * from`) has callers not found by name, and a caller that catches the failure
// and goes on (`try { await mirrorOrigin(o) } catch { failures++ }`) is no exit. A CLI's main() that leaves its socket
// open to wait for a reply whose listener exits the process leaves nothing behind.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const ACTION = (parse: string) => `
      import { Command } from 'commander';
      import { MongoClient } from 'mongodb';
      const program = new Command();
      program
        .command('users:list')
        .action(async () => {
          const client = await new MongoClient(process.env.MONGO_URL!).connect();
          const users = await client.db().collection('users').find({}).toArray();
          console.table(users);
          process.exit(0);
        });
      ${parse}`;

const CONSUMER = `
      import amqp from 'amqplib';
      export async function startConsumer(url: string) {
        const connection = await amqp.connect(url);
        const channel = await connection.createChannel();
        await channel.prefetch(20);
        return { async stop() { await channel.close(); await connection.close(); } };
      }`;

const CRAWL = (then: string) => `
      const { createClient } = require('redis');
      async function main(argv) {
        const client = createClient({ url: process.env.REDIS_URL });
        await client.connect();
        await client.lPush('crawl:frontier', argv);
        console.log('queued', argv.length);
      }
      main(process.argv.slice(2)).then(${then});`;

/** A CLI whose top level picks one of two mains by its command and runs it; `onFailure` handles the rejection. */
const PICKED = (onFailure: string) => `
      import mysql from 'mysql2/promise';
      async function syncOnce(): Promise<never> {
        const conn = await mysql.createConnection(process.env.MYSQL_URL!);
        const [rows] = await conn.query('SELECT sku FROM products WHERE active = 1');
        console.log(JSON.stringify(rows));
        process.exit(0);
      }
      async function consume(): Promise<void> {
        setInterval(() => console.log('tick'), 60_000);
      }
      const [command = 'sync'] = process.argv.slice(2);
      const run = command === 'consume' ? consume : syncOnce;
      run().catch((err) => {
        console.error(err);
        ${onFailure}
      });`;

/** A projector CLI whose main() sends one command and waits on the socket; `listeners` are its listeners. */
const PROJCTL = (listeners: string) => `
      const net = require('net');
      async function main(argv) {
        const [host, command] = argv;
        const link = net.connect({ host, port: 4352 });
        link.setEncoding('ascii');
        link.once('connect', () => link.write(command + '\\r'));
${listeners}
      }
      main(process.argv.slice(2)).catch((err) => {
        console.error(err);
        process.exit(1);
      });`;

/** A backfill script's main() connecting mongoose's default connection; `part` runs before its early return. */
const BACKFILL = (part: string) => `
      import mongoose, { Schema } from 'mongoose';
      const BedEvent = mongoose.model('BedEvent', new Schema({ wardId: String, wardName: String }));
      async function main(): Promise<void> {
        await mongoose.connect(process.env.MONGO_URL!, { dbName: 'occupancy' });
        const missing = await BedEvent.find({ wardName: { $exists: false } }).lean();
        if (missing.length === 0) {
          console.log('nothing to backfill');${part}
          return;
        }
        for (const ev of missing) await BedEvent.updateOne({ _id: ev._id }, { $set: { wardName: 'unknown' } });
        await mongoose.disconnect();
      }
      main().catch((err) => {
        console.error(err);
        process.exit(1);
      });`;

/** A service's main() that connects mongoose's default connection with `connect` (after `helper`) and serves with it. */
const SERVICE = (helper: string, connect: string) => `
      import mongoose from 'mongoose';
      import express from 'express';${helper}
      async function main(): Promise<void> {
        await ${connect};
        const app = express();
        app.get('/beds', async (_req, res) => { res.json(await mongoose.connection.db!.collection('beds').find().toArray()); });
        app.listen(3000);
      }
      main().catch((err) => {
        console.error(err);
        process.exit(1);
      });`;

export const valid: ValidCase[] = [
  {
    name: 'a main picked by a top-level constant whose rejection only sets the exit code: called once at the top level, it fails as a whole',
    code: PICKED('process.exitCode = 2;'),
  },
  {
    name: "the same backfill disconnecting mongoose before its early return",
    file: 'scripts/backfill.ts',
    code: BACKFILL(`
          await mongoose.disconnect();`),
  },
  {
    name: "a service's main() that connects mongoose's default connection once and serves with it",
    file: 'src/main.ts',
    code: SERVICE('', 'mongoose.connect(process.env.MONGO_URL!)'),
  },
  {
    // connectMongo() hands out the mongoose module, whose disconnect() closes the default connection: nothing to drop.
    name: 'the same main() connecting it through a helper that returns mongoose.connect(url), its result unused',
    file: 'src/main.ts',
    code: SERVICE(`
      async function connectMongo(): Promise<typeof mongoose> {
        return mongoose.connect(process.env.MONGO_URL!, { maxPoolSize: 20 });
      }`, 'connectMongo()'),
  },
  {
    name: "the same pool left open by a script whose main() is followed by process.exit",
    file: 'scripts/reconcile.ts',
    code: `
      import sql from 'mssql';
      async function main(): Promise<void> {
        const los = new sql.ConnectionPool(process.env.LOS_URL!);
        await los.connect();
        const locked = await los.request().query('SELECT 1 AS one');
        console.log(locked.recordset.length);
      }
      main().then(() => process.exit(0), () => process.exit(1));`,
  },
  {
    name: "a pool a service's main() opens and keeps while its server listens",
    file: 'scripts/serve.ts',
    code: `
      import sql from 'mssql';
      import http from 'node:http';
      async function main(): Promise<void> {
        const los = new sql.ConnectionPool(process.env.LOS_URL!);
        await los.connect();
        http.createServer(async (req, res) => res.end(String((await los.request().query('SELECT 1 AS one')).recordset.length))).listen(8080);
      }
      main().catch((err) => {
        console.error(err);
        process.exitCode = 1;
      });`,
  },
  {
    name: "a CommonJS consumer start-up named for what it consumes (consumePlanChanges), handing back its stop, whose one caller is a main() that exits on its rejection",
    ext: '.js',
    file: 'src/bus/plans.js',
    code: `
      const amqp = require('amqplib');
      async function consumePlanChanges(onPlan) {
        const connection = await amqp.connect(process.env.AMQP_URL);
        const channel = await connection.createChannel();
        await channel.assertExchange('timing-plans', 'topic', { durable: true });
        await channel.consume('plans', (msg) => msg && onPlan(JSON.parse(msg.content.toString())));
        return () => connection.close();
      }
      module.exports = { consumePlanChanges };`,
    files: {
      'src/bridge.js': "const { consumePlanChanges } = require('./bus/plans');\nasync function main() {\n  const stop = await consumePlanChanges(async () => {});\n  process.once('SIGTERM', () => stop());\n}\nmain().catch((err) => {\n  console.error(err);\n  process.exit(1);\n});\n",
    },
  },
  {
    name: "a CLI's main() that leaves its socket open to wait for the reply, whose listener ends the process",
    ext: '.js',
    code: PROJCTL(`        link.once('data', (reply) => {
          console.log(reply.trim());
          process.exit(reply.includes('ERR') ? 1 : 0);
        });
        link.once('error', (err) => {
          console.error(err.message);
          process.exit(1);
        });`),
  },
  {
    name: "a script main picked by a top-level constant (`const run = cmd === 'consume' ? consume : syncOnce`) whose call's rejection exits",
    code: PICKED('process.exit(2);'),
  },
  {
    name: "a pooled SMTP transport a script's main() makes once and leaves to the process's end",
    code: `
      import nodemailer from 'nodemailer';
      async function main() {
        const transporter = nodemailer.createTransport({ pool: true, host: 'smtp.internal', port: 587 });
        await transporter.sendMail({ to: 'ops@example.com', subject: 'nightly', text: 'done' });
      }
      main().catch((err) => {
        console.error(err);
        process.exit(1);
      });`,
  },
  {
    name: "a script's main() that leaves its Redis client open at its end, when its fulfilment exits the process too",
    ext: '.js',
    code: CRAWL(`
        () => process.exit(0),
        (err) => {
          console.error(err);
          process.exit(1);
        },
      `),
  },
  {
    name: "a commander action whose query may reject, run by parseAsync() whose rejection exits the process",
    code: ACTION(`program.parseAsync(process.argv).catch((err) => {
        console.error(err.message);
        process.exit(1);
      });`),
  },
  {
    name: "a consumer's start-up whose rejection reaches another module's main(), which exits on it",
    code: CONSUMER,
    file: 'src/consumer.ts',
    files: {
      'src/main.ts': `import { startConsumer } from './consumer';\nasync function main() {\n  const consumer = await startConsumer(process.env.AMQP_URL!);\n  process.once('SIGTERM', () => consumer.stop());\n}\nmain().catch((err) => {\n  console.error(err);\n  process.exit(1);\n});\n`,
    },
  },
  {
    name: "the same start-up awaited by another module's main(), called once at the top level, whose `.catch()` only sets process.exitCode: main() failed as a whole",
    code: CONSUMER,
    file: 'src/consumer.ts',
    files: {
      'src/main.ts': `import { startConsumer } from './consumer';\nasync function main() {\n  const consumer = await startConsumer(process.env.AMQP_URL!);\n  process.once('SIGTERM', () => consumer.stop());\n}\nmain().catch((err) => {\n  console.error(err);\n  process.exitCode = 1;\n});\n`,
    },
  },
  {
    name: "the same start-up awaited at the top level of another module (a rejection fails the module)",
    code: CONSUMER,
    file: 'src/consumer.ts',
    files: {
      'src/main.ts': `import { startConsumer } from './consumer';\nconst consumer = await startConsumer(process.env.AMQP_URL!);\nprocess.once('SIGTERM', () => consumer.stop());\n`,
    },
  },
  {
    name: 'the same start-up awaited at the top level of another module and by a test (whose failure only fails the test)',
    code: CONSUMER,
    file: 'src/consumer.ts',
    files: {
      'src/main.ts': `import { startConsumer } from './consumer';\nconst consumer = await startConsumer(process.env.AMQP_URL!);\nprocess.once('SIGTERM', () => consumer.stop());\n`,
      'src/consumer.test.ts': `import { it } from 'node:test';\nimport { startConsumer } from './consumer';\nit('consumes', async () => {\n  const consumer = await startConsumer('amqp://localhost');\n  await consumer.stop();\n});\n`,
    },
  },
];

valid.push({
  name: "a check script's main() that awaits an LDAP bind through a promise and never unbinds, when its fulfilment exits the process",
  ext: '.js',
  code: `
      const ldap = require('ldapjs');
      async function main() {
        const client = ldap.createClient({ url: ['ldap://dc1:389'], reconnect: false });
        client.on('error', () => {});
        const status = await new Promise((resolve) => {
          client.bind('cn=check', process.env.LDAP_PW, (err) => resolve(err ? 'bind failed' : 'ok'));
        });
        return { status };
      }
      main().then(
        (report) => process.exit(report.status === 'ok' ? 0 : 2),
        () => process.exit(1),
      );`,
}, {
  name: "the same start-up called nowhere in the project (a bin file's or a framework's entry calls it): the process's start-up, which hands back its stop()",
  code: CONSUMER,
  file: 'src/consumer.ts',
}, {
  name: "a CommonJS start-up (`module.exports = { startConsumer }`) handing back its stop(), whose one caller is a main() that exits on its rejection",
  ext: '.js',
  file: 'lib/queue.js',
  code: `
      const amqp = require('amqplib');
      async function startConsumer(url, handler) {
        const connection = await amqp.connect(url);
        const channel = await connection.createChannel();
        await channel.prefetch(4);
        await channel.consume('jobs', (msg) => handler(msg));
        return { async stop() { await channel.close(); await connection.close(); } };
      }
      module.exports = { startConsumer };`,
  files: {
    'bin/spoold.js': "const { startConsumer } = require('../lib/queue');\nasync function main() {\n  const consumer = await startConsumer(process.env.AMQP_URL, () => {});\n  process.once('SIGTERM', () => consumer.stop());\n}\nmain().catch((err) => {\n  console.error(err);\n  process.exit(1);\n});\n",
  },
}, {
  name: "a CommonJS live-updates attach (`attachLiveScores(httpServer)`) handing back an object with its close(), awaited by a main() that exits and by a test hook",
  ext: '.js',
  file: 'src/realtime/live.js',
  code: `
      const { Server } = require('socket.io');
      const { createClient } = require('redis');
      async function attachLiveScores(httpServer, url) {
        const io = new Server(httpServer, { path: '/live' });
        const sub = createClient({ url });
        sub.on('error', (err) => console.error(err.message));
        await sub.connect();
        await sub.subscribe('scores', (message) => io.emit('scored', JSON.parse(message)));
        return { io, async close() { await sub.quit(); io.close(); } };
      }
      module.exports = { attachLiveScores };`,
  files: {
    'src/index.js': "const http = require('node:http');\nconst { attachLiveScores } = require('./realtime/live');\nasync function main() {\n  const server = http.createServer();\n  const live = await attachLiveScores(server, process.env.REDIS_URL);\n  server.listen(3000);\n  process.once('SIGTERM', () => live.close());\n}\nmain().catch((err) => {\n  console.error(err);\n  process.exit(1);\n});\n",
    'test/live.test.js': "const http = require('node:http');\nconst { attachLiveScores } = require('../src/realtime/live');\nlet live;\nbefore(async () => {\n  live = await attachLiveScores(http.createServer(), 'redis://localhost:6379');\n});\nafter(() => live.close());\nit('attaches', () => {});\n",
  },
});

export const invalid: InvalidCase[] = [
  {
    name: "a script's main() that connects mongoose's default connection and returns early without disconnect(): the script hangs",
    file: 'scripts/backfill.ts',
    code: BACKFILL(''),
    errors: [{ line: 4, message: /^MongoDB client from `mongoose.connect` is not closed when the `return` on line 8 is taken/ }],
  },
  {
    name: "a nightly script's main() that ends only its pg client and leaves its mssql pool open: the script hangs when done",
    file: 'scripts/reconcile.ts',
    code: `
      import sql from 'mssql';
      import { Client } from 'pg';
      async function main(): Promise<void> {
        const los = new sql.ConnectionPool(process.env.LOS_URL!);
        const pg = new Client();
        try {
          await los.connect();
          await pg.connect();
          const locked = await los.request().query('SELECT 1 AS one');
          await pg.query('SELECT $1::int', [locked.recordset.length]);
        } finally {
          await pg.end();
        }
      }
      main().catch((err) => {
        console.error(err);
        process.exitCode = 1;
      });`,
    errors: [{ line: 4, message: /^Connection pool from `mssql.ConnectionPool` is never closed; it stays open when the function ends/ }],
  },
  {
    name: "the same consumer start-up called by a main() that only logs its failure and goes on serving",
    ext: '.js',
    file: 'src/bus/plans.js',
    code: `
      const amqp = require('amqplib');
      async function consumePlanChanges(onPlan) {
        const connection = await amqp.connect(process.env.AMQP_URL);
        const channel = await connection.createChannel();
        await channel.assertExchange('timing-plans', 'topic', { durable: true });
        await channel.consume('plans', (msg) => msg && onPlan(JSON.parse(msg.content.toString())));
        return () => connection.close();
      }
      module.exports = { consumePlanChanges };`,
    files: {
      'src/bridge.js': "const { consumePlanChanges } = require('./bus/plans');\nasync function main() {\n  const stop = await consumePlanChanges(async () => {}).catch((err) => { console.error(err); return () => {}; });\n  process.once('SIGTERM', () => stop());\n}\nmain();\n",
    },
    errors: [{ line: 3, message: /not closed if the `await` on line 4 rejects/ }],
  },
  {
    name: "a CommonJS helper (`module.exports = { mergeDuplicates }`) whose catch rolls back and rethrows without closing, though its one caller is a script's main() that exits: reported, as reviewers of held-out sets asked every time",
    ext: '.js',
    file: 'lib/dedupe.js',
    code: `
      const mysql = require('mysql2/promise');
      async function mergeDuplicates(caseNumber) {
        const conn = await mysql.createConnection(process.env.DATABASE_URL);
        try {
          await conn.beginTransaction();
          await conn.query('DELETE FROM cases WHERE case_number = ?', [caseNumber]);
          await conn.commit();
          await conn.end();
        } catch (err) {
          await conn.rollback();
          throw err;
        }
      }
      module.exports = { mergeDuplicates };`,
    files: {
      'bin/scrape.js': "const { mergeDuplicates } = require('../lib/dedupe');\nasync function main() {\n  for (const n of process.argv.slice(2)) await mergeDuplicates(n);\n}\nmain().then(() => process.exit(0), (err) => {\n  console.error(err);\n  process.exit(1);\n});\n",
    },
    errors: [{ line: 3, message: /is not closed when the `throw` on line 11 runs/ }],
  },
  {
    name: "a pooled SMTP transport whose settings are spread after `pool: true`, closed only when its one mail is sent",
    ext: '.js',
    code: `
      const nodemailer = require('nodemailer');
      async function sendTestEmail(account, to, message) {
        const transporter = nodemailer.createTransport({ pool: true, maxConnections: 1, ...account.smtp });
        const info = await transporter.sendMail({ from: account.fromAddress, to, subject: message.subject, text: message.text });
        transporter.close();
        return info.messageId;
      }
      module.exports = { sendTestEmail };`,
    errors: [{ line: 3, message: /Connection pool from `nodemailer.createTransport` is not closed if the `await` on line 4 rejects/ }],
  },
  {
    name: 'the same consumer, called nowhere in the project, when its name does not say it starts the process',
    code: CONSUMER.replace('startConsumer', 'openConsumer'),
    file: 'src/consumer.ts',
    errors: [{ line: 3, message: /if the `await` on line 4 rejects/ }],
  },
  {
    name: 'a pooled SMTP transport made for every bounce and never closed: each call leaves its connections open',
    code: `
      import nodemailer from 'nodemailer';
      export async function sendBounce(msg: { from?: string; id: string }) {
        if (!msg.from) return null;
        const transporter = nodemailer.createTransport({ pool: true, host: 'smtp.internal', port: 587 });
        return transporter.sendMail({ from: 'postmaster@example.com', to: msg.from, subject: 'Undelivered', text: msg.id });
      }`,
    errors: [{ line: 4, message: /Connection pool from `nodemailer.createTransport` is never closed; it stays open when the `return` on line 5 is taken/ }],
  },
  {
    name: "the same main() when its fulfilment only logs: the open client keeps the process from exiting",
    ext: '.js',
    code: CRAWL(`
        () => console.log('done'),
        (err) => {
          console.error(err);
          process.exit(1);
        },
      `),
    errors: [{ line: 3, message: /when the function ends/ }],
  },
  {
    name: 'the same commander action when parseAsync() is caught by a handler that only logs: the process goes on',
    code: ACTION(`program.parseAsync(process.argv).catch((err) => console.error(err.message));`),
    errors: [{ line: 7, message: /if the `await` on line 8 rejects/ }],
  },
  {
    name: "the same start-up when another module's route handler also calls it and logs the failure",
    code: CONSUMER,
    file: 'src/consumer.ts',
    files: {
      'src/main.ts': `import express from 'express';\nimport { startConsumer } from './consumer';\nconst app = express();\napp.post('/consumers', async (req, res) => {\n  try {\n    await startConsumer(String(req.query.url));\n    res.sendStatus(201);\n  } catch (err) {\n    res.status(500).send(String(err));\n  }\n});\napp.listen(3000);\n`,
    },
    errors: [{ line: 3, message: /if the `await` on line 4 rejects/ }],
  },
  {
    name: "the same start-up when the module is re-exported whole by the package's entry (`export * from './consumer'`): its callers are not all known",
    code: CONSUMER,
    file: 'src/consumer.ts',
    files: {
      'src/main.ts': `import { startConsumer } from './consumer';\nasync function main() {\n  const consumer = await startConsumer(process.env.AMQP_URL!);\n  process.once('SIGTERM', () => consumer.stop());\n}\nmain().catch((err) => {\n  console.error(err);\n  process.exit(1);\n});\n`,
      'src/index.ts': `export * from './consumer';\n`,
    },
    errors: [{ line: 3, message: /if the `await` on line 4 rejects/ }],
  },
  {
    name: "an HTTP/2 mirror helper whose one caller, a script's main(), catches its failure and goes on to the next origin",
    file: 'src/mirror.ts',
    code: `
      import http2 from 'node:http2';
      export async function mirrorOrigin(origin: string, paths: string[], fetchOne: (s: http2.ClientHttp2Session, p: string) => Promise<string>) {
        const session = http2.connect(origin);
        session.on('error', () => {});
        const saved: string[] = [];
        for (const p of paths) saved.push(await fetchOne(session, p));
        session.close();
        return saved;
      }`,
    files: {
      'src/main.ts': "import { mirrorOrigin } from './mirror';\nasync function main(groups: Map<string, string[]>) {\n  let failures = 0;\n  for (const [origin, paths] of groups) {\n    try {\n      await mirrorOrigin(origin, paths, async () => '');\n    } catch (err) {\n      failures++;\n    }\n  }\n  return failures ? 2 : 0;\n}\nmain(new Map()).then((code) => process.exit(code), () => process.exit(1));\n",
    },
    errors: [{ line: 3, message: /if the `await` on line 6 rejects/ }],
  },
  {
    name: "the same CLI when only a failure ends the process: once the reply is printed the socket keeps it running",
    ext: '.js',
    code: PROJCTL(`        link.once('data', (reply) => console.log(reply.trim()));
        link.once('error', (err) => {
          console.error(err.message);
          process.exit(1);
        });`),
    errors: [{ line: 4, message: /when the function ends/ }],
  },
];
