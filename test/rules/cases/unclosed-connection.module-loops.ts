// unclosed-connection: one pass of a script's top-level loop keeps a connection in a variable of its own
// (`for (const event of events) { const db = new pg.Client(url); … }`). The pass ends at a `continue`, a
// `break` or its block's end, and what it left open there nothing can reach again. A failure thrown out of
// the pass ends the script (and every socket with it); what the module's top level makes outside a loop
// lives as long as the process, except in a script, which ends: with a top-level `await`, or written with
// callbacks where those callbacks close the connection somewhere.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const BACKFILL = (skip: string, end = 'await tenant.end();') => `
      import pg from 'pg';
      const control = new pg.Pool({ connectionString: process.env.DATABASE_URL });
      const { rows: events } = await control.query('SELECT id, tenant_db_url FROM events');
      for (const event of events) {
        const tenant = new pg.Client({ connectionString: event.tenant_db_url });
        await tenant.connect();
        const { rows } = await tenant.query('SELECT id FROM attendees WHERE badge_number IS NULL');
        ${skip}
        await tenant.query('UPDATE attendees SET badge_number = id WHERE badge_number IS NULL');
        ${end}
      }
      await control.end();`;

/** A callback-style script that runs one command over SSH; `failed` is what the exec callback does on an error. */
const CALIBRATE = (failed: string, close = 'conn.end();') => `#!/usr/bin/env node
      const { Client } = require('ssh2');
      const conn = new Client();
      conn.on('ready', () => {
        conn.exec('rtu-cli calibrate --persist', (err, stream) => {
          if (err) {
            console.error('exec failed:', err.message);${failed}
            return;
          }
          stream.on('data', (chunk) => process.stdout.write(chunk));
          stream.on('close', (code) => {
            process.exitCode = code ?? 1;
            ${close}
          });
        });
      });
      conn.on('error', (err) => { console.error(err.message); process.exitCode = 1; });
      conn.connect({ host: process.argv[2], username: 'rtu-maint', privateKey: process.env.RTU_KEY });`;

/** A firmware rollout over SSH: each pass keeps its connection in a `let` given it in a `try`; `skipped` runs before the pass skips a controller. */
const ROLLOUT = (skipped: string) => `
      import { Client } from 'ssh2';
      const connect = (host) => new Promise((resolve, reject) => {
        const conn = new Client();
        conn.once('ready', () => resolve(conn)).once('error', reject).connect({ host, username: 'maint' });
      });
      const version = (conn) => new Promise((resolve) => conn.exec('cat /etc/fw_version', (err, stream) => { let out = ''; stream.on('data', (d) => { out += d; }); stream.on('close', () => resolve(out.trim())); }));
      for (const host of process.argv.slice(3)) {
        let conn;
        try {
          conn = await connect(host);
        } catch (err) {
          console.error(host, err.message);
          continue;
        }
        if ((await version(conn)) === process.argv[2]) {
          console.log(host, 'already current');
          ${skipped}
          continue;
        }
        console.log(host, 'flashing');
        conn.end();
      }`;

export const valid: ValidCase[] = [
  {
    name: "a top-level loop that gives a `let` of its pass the connection in a `try` and ends it on every path that has one",
    ext: '.mjs',
    code: ROLLOUT('conn.end();'),
  },
  {
    name: 'a callback-style script that ends its SSH connection when the command fails too',
    code: CALIBRATE(`
              conn.end();`),
    file: 'scripts/calibrate.js',
    ext: '.js',
  },
  {
    name: 'a callback-style watcher that never closes its connection: it is meant to run until stopped',
    code: CALIBRATE('', 'console.log(`exited with ${code}`);'),
    file: 'scripts/watch.js',
    ext: '.js',
  },
  {
    name: 'a top-level loop whose pass closes its client on every path (a failure ends the script)',
    ext: '.mjs',
    code: BACKFILL(`if (rows.length === 0) {
          await tenant.end();
          continue;
        }`),
  },
  {
    name: 'a top-level loop that closes its client in a finally',
    ext: '.mjs',
    code: `
      import pg from 'pg';
      for (const url of process.argv.slice(2)) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const { rows } = await client.query('SELECT count(*) FROM jobs');
          if (rows[0].count === '0') continue;
          console.log(url, rows[0].count);
        } finally {
          await client.end();
        }
      }`,
  },
  {
    name: 'a top-level loop that keeps every client for later (pushed to a list the script closes at its end)',
    code: `
      import { createClient } from 'redis';
      const clients = [];
      for (const url of (process.env.REDIS_URLS ?? '').split(',')) {
        const client = createClient({ url });
        await client.connect();
        clients.push(client);
      }
      await Promise.all(clients.map((c) => c.quit()));
      export {};`,
  },
  {
    name: 'servers a top-level loop starts, one per port: they serve for the life of the process',
    ext: '.js',
    code: `
      const net = require('net');
      for (const port of [7000, 7001, 7002]) {
        const server = net.createServer((socket) => socket.pipe(socket));
        server.listen(port);
      }`,
  },
  {
    name: 'a client a top-level loop assigns to a variable outside the pass',
    code: `
      import pg from 'pg';
      let last: pg.Client | undefined;
      for (const url of process.argv.slice(2)) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        last = client;
      }
      await last?.end();
      export {};`,
  },
  {
    name: 'a client made once at the top level of a script, outside any loop',
    code: `
      import pg from 'pg';
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      const { rows } = await client.query('SELECT 1');
      if (!rows.length) process.exitCode = 1;
      export {};`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a callback-style script (no top-level await) that ends its SSH connection once the command is done, but not when exec fails",
    code: CALIBRATE(''),
    file: 'scripts/calibrate.js',
    ext: '.js',
    errors: [{ line: 3, message: /not closed when the `return` on line 8 is taken/ }],
  },
  {
    name: 'a top-level loop that skips to the next event with the tenant client open',
    ext: '.mjs',
    code: BACKFILL(`if (rows.length === 0) {
          console.log(event.id, 'nothing to backfill');
          continue;
        }`),
    errors: [{ line: 5, message: /Database connection from `pg.Client` is not closed before the next loop iteration \(line 10\)/ }],
    fixes: ['review: Close `tenant` before the leaking exit (review: one per iteration is still churn; share one instead)'],
    output: BACKFILL(`if (rows.length === 0) {
          console.log(event.id, 'nothing to backfill');
          tenant.end();
          continue;
        }`),
  },
  {
    name: 'a top-level loop that breaks out with the client open',
    ext: '.mjs',
    code: BACKFILL('if (rows.length > 1000) break;'),
    errors: [{ line: 5, message: /is not closed when the `break` on line 8 leaves the loop/ }],
  },
  {
    name: "a top-level loop whose pass never closes its client: each one is left open (and the script never exits)",
    code: `
      import { MongoClient } from 'mongodb';
      for (const uri of process.argv.slice(2)) {
        const client = await new MongoClient(uri).connect();
        const count = await client.db().collection('jobs').countDocuments();
        console.log(uri, count);
      }
      export {};`,
    errors: [{ line: 3, message: /before the next loop iteration \(line 6\)/ }],
  },
  {
    name: "a top-level loop that gives a `let` of its pass the connection in a `try`, then `continue`s past the end",
    ext: '.mjs',
    code: ROLLOUT(''),
    errors: [{ line: 10, message: /SSH connection from `connect\(\)` is not closed before the next loop iteration \(line 18\)/ }],
  },
];
