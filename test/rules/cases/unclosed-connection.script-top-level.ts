// unclosed-connection: a command-line script whose top level does its work with top-level `await` and ends (a `#!`
// line, or a file under `scripts/` or `bin/`): a connection its top level opens and never closes keeps the process
// from exiting once the last statement has run, and the script hangs. Not a module of the application (its
// top-level connection lives as long as the process, by design), nor a script that serves (a server it starts, a
// timer, a consumer, a signal handler), nor one that exits at its end.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A re-queue script: an AMQP connection and a confirm channel; `end` is its last lines. */
const REQUEUE = (end: string) => `
      import amqp from 'amqplib';
      const ids = process.argv.slice(2);
      const conn = await amqp.connect(process.env.AMQP_URL ?? 'amqp://localhost');
      const ch = await conn.createConfirmChannel();
      for (const id of ids) ch.sendToQueue('ocr.pages', Buffer.from(id), { persistent: true });
      await ch.waitForConfirms();
      await ch.close();
${end}`;

export const invalid: InvalidCase[] = [
  {
    name: "the same async connection handler in a script that logs unhandled rejections and goes on",
    ext: '.js',
    file: 'scripts/replay.js',
    code: `#!/usr/bin/env node
      const fs = require('fs');
      const net = require('net');
      const readline = require('readline');
      process.on('unhandledRejection', (err) => console.error(err));
      const server = net.createServer(async (socket) => {
        const rl = readline.createInterface({ input: fs.createReadStream(process.argv[2]) });
        for await (const line of rl) socket.write(line + '\\n');
        process.exit(0);
      });
      server.listen(10000);`,
    errors: [{ line: 6, message: /stays open if the `await` on line 8 rejects/ }],
  },
  {
    name: 'a script under scripts/ that closes its channel and never the AMQP connection',
    ext: '.mjs',
    file: 'scripts/reprocess.mjs',
    code: REQUEUE("      console.log('queued', ids.length);"),
    errors: [{ line: 3, message: /when the script has run its last statement \(line 8\): the process cannot exit while it is open/ }],
  },
  {
    name: 'a #! script whose pg client is ended only on the path that finds rows',
    ext: '.mjs',
    file: 'tools/purge.mjs',
    code: `
      #!/usr/bin/env node
      import pg from 'pg';
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      const { rows } = await client.query('SELECT id FROM sessions WHERE expires_at < now()');
      if (rows.length > 0) {
        await client.query('DELETE FROM sessions WHERE expires_at < now()');
        await client.end();
      }
      console.log('purged', rows.length);`,
    errors: [{ line: 3, messageId: 'somePaths' }],
  },
  {
    name: "a script's pool declared in a top-level try, closed only when the sync succeeds (the catch logs and the script ends)",
    ext: '.mjs',
    file: 'scripts/sync-legacy.mjs',
    code: `
      import sql from 'mssql';
      import { MongoClient } from 'mongodb';
      const store = await MongoClient.connect(process.env.MONGO_URL);
      try {
        const legacy = new sql.ConnectionPool(process.env.MSSQL_URL);
        try {
          await legacy.connect();
          const result = await legacy.request().query('SELECT ProfileId FROM dbo.Profiles');
          await store.db().collection('profiles').insertMany(result.recordset);
          await legacy.close();
        } catch (err) {
          console.error('legacy sync failed:', err.message);
        }
      } finally {
        await store.close();
      }`,
    errors: [{ line: 5, message: /when the script has run its last statement \(line 16\)/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "an async connection handler of a command-line script with no 'unhandledRejection' handler: a failed read ends the process",
    ext: '.js',
    file: 'scripts/replay.js',
    code: `#!/usr/bin/env node
      const fs = require('fs');
      const net = require('net');
      const readline = require('readline');
      const server = net.createServer(async (socket) => {
        const rl = readline.createInterface({ input: fs.createReadStream(process.argv[2]) });
        for await (const line of rl) socket.write(line + '\\n');
        process.exit(0);
      });
      server.listen(10000);`,
  },
  {
    name: 'the same script closing the connection at its end',
    ext: '.mjs',
    file: 'scripts/reprocess.mjs',
    code: REQUEUE("      await conn.close();\n      console.log('queued', ids.length);"),
  },
  {
    name: 'the same script ending with process.exit()',
    ext: '.mjs',
    file: 'scripts/reprocess.mjs',
    code: REQUEUE("      process.exit(0);"),
  },
  {
    name: "the same code in a module of the application: its top-level connection lives as long as the process",
    ext: '.mjs',
    file: 'src/queue.mjs',
    code: REQUEUE("      export const queued = ids.length;"),
  },
  {
    name: 'a script that starts a server at its top level: it serves until stopped',
    ext: '.mjs',
    file: 'bin/dev-server.mjs',
    code: `
      import http from 'node:http';
      import Redis from 'ioredis';
      const redis = new Redis(process.env.REDIS_URL);
      await redis.ping();
      http.createServer(async (req, res) => res.end(String(await redis.get('hits')))).listen(8080);`,
  },
  {
    name: "a script's main() chained to the pool's end() and to a catch that exits: a failure ends the process",
    file: 'scripts/sync-passes.ts',
    code: `
      import pg from 'pg';
      const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
      async function sync(): Promise<void> {
        await pool.query('UPDATE sync_state SET last_synced_at = now()');
      }
      sync()
        .then(() => pool.end())
        .catch((err) => {
          console.error('sync failed:', err);
          process.exit(1);
        });`,
  },
];
