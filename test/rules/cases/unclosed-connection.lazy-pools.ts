// unclosed-connection: a pg or mysql pool opens no connection until its first use, so a path that leaves
// before the code uses it holds nothing; and a `finally` that closes another resource through a function
// named for it (`await closeGeocoderPool(g)`) before this one's close is cleanup, not a path of the work.
// So does a project object whose only connection is an agent or a pool (`new LokiClient(o)` around an undici
// Agent); and in a test, one whose connections are all keep-alive agents holds nothing that keeps the run alive. A class's `close()` that takes its connection out by destructuring (`const { connection } = this`) closes it.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const DRIVER = (beforeConstruct: string) => `
      import { createPool, type Pool } from 'mysql2';
      class Database { constructor(readonly client: Pool, readonly mode?: string) {} }
      function construct(client: Pool, config: { schema?: object; mode?: string }) {
        if (config.schema && !config.mode) throw new Error('a schema needs a mode');
        return new Database(client, config.mode);
      }
      export function drizzle(uri: string, config: { schema?: object; mode?: string } = {}) {
        const instance = createPool({ uri });${beforeConstruct}
        return construct(instance, config);
      }`;

/** An agent's main(): a project client around an undici Agent, then an admin server; `use` follows the client's creation. */
function agentMain(use: string): string {
  return `
      import http from 'node:http';
      import { Agent } from 'undici';
      class LokiClient {
        private readonly dispatcher: Agent;
        constructor(private readonly url: string) {
          this.dispatcher = new Agent({ connections: 4 });
        }
        async flush(): Promise<void> {
          const res = await fetch(this.url, { method: 'POST', dispatcher: this.dispatcher } as RequestInit);
          await res.text();
        }
        async close(): Promise<void> { await this.dispatcher.close(); }
      }
      export async function main(port: number): Promise<void> {
        const loki = new LokiClient('http://loki/push');
${use}
        const admin = http.createServer((req, res) => res.end('ok'));
        await new Promise<void>((resolve) => admin.listen(port, resolve));
        const shutdown = async () => {
          await loki.close();
          admin.close();
        };
        process.once('SIGTERM', () => void shutdown());
      }`;
}

export const valid: ValidCase[] = [
  {
    name: "a postgres.js pool handed to a constructor whose helper throws on a bad schema: the pool has opened no connection yet",
    code: `
      import postgres from 'postgres';
      function tablesOf(schema: Record<string, unknown>) {
        if (Object.keys(schema).length === 0) throw new Error('empty schema');
        return Object.keys(schema);
      }
      function construct(client: unknown, config: { schema?: Record<string, unknown> }) {
        const tables = config.schema ? tablesOf(config.schema) : [];
        return { client, tables };
      }
      export function drizzle(url: string, config: { schema?: Record<string, unknown> }) {
        const instance = postgres(url);
        return construct(instance, config);
      }`,
  },
  {
    name: "a project client whose only connection is an undici Agent, not used yet when an await rejects: it holds no socket",
    code: agentMain(''),
  },
  {
    name: "a publisher whose close() destructures its channel and connection from `this` and closes both",
    code: `
      const amqp = require('amqplib');
      class ConfirmPublisher {
        constructor(url) { this.url = url; this.connection = null; this.channel = null; }
        async start() {
          this.connection = await amqp.connect(this.url);
          this.channel = await this.connection.createConfirmChannel();
        }
        async close() {
          const { channel, connection } = this;
          this.channel = null;
          this.connection = null;
          if (channel) await channel.close().catch(() => {});
          if (connection) await connection.close();
        }
      }
      module.exports = { ConfirmPublisher };`,
    ext: '.js',
  },
  {
    name: "a job's mysql2 pool made before an await that may reject, used and ended only inside the try after it",
    code: `
      import mysql from 'mysql2/promise';
      import { MongoClient } from 'mongodb';
      async function main() {
        const pool = mysql.createPool({ uri: process.env.MYSQL_URI, connectionLimit: 4 });
        const mongo = await MongoClient.connect(process.env.MONGO_URI);
        try {
          const [rows] = await pool.query('SELECT id, name FROM places');
          await mongo.db().collection('places').insertMany(rows);
        } finally {
          await mongo.close();
          await pool.end();
        }
      }
      main().catch((err) => { console.error(err); process.exitCode = 1; });`,
    file: 'src/main.ts',
  },
  {
    name: "a finally that closes another resource through a function named for it, then this client",
    code: `
      import { MongoClient } from 'mongodb';
      import { openGeocoder, closeGeocoder } from './geocoder';
      export async function enrich(uri: string): Promise<void> {
        const mongo = await MongoClient.connect(uri);
        const geocoder = openGeocoder();
        try {
          await mongo.db().collection('places').updateMany({}, { $set: { geocoder: geocoder.name } });
        } finally {
          await closeGeocoder(geocoder);
          await mongo.close();
        }
      }`,
    files: { 'geocoder.ts': "export function openGeocoder() { return { name: 'local' }; }\nexport async function closeGeocoder(g: { name: string }): Promise<void> { void g; }\n" },
  },
  {
    name: 'a mysql2 pool handed to a constructor that throws on a configuration error before any query: nothing is open yet',
    code: DRIVER(''),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "the same project client used before an await that rejects: its agent may hold a socket then",
    code: agentMain('        await loki.flush();'),
    errors: [{ line: 15, message: /not closed if the `await` on line 16 rejects/ }],
  },
  {
    name: 'the same pool queried before an await that may reject, in a function callers may run again: a connection is open then',
    code: `
      import mysql from 'mysql2/promise';
      import { MongoClient } from 'mongodb';
      export async function importPlaces() {
        const pool = mysql.createPool({ uri: process.env.MYSQL_URI, connectionLimit: 4 });
        const [rows] = await pool.query('SELECT id, name FROM places');
        const mongo = await MongoClient.connect(process.env.MONGO_URI);
        try {
          await mongo.db().collection('places').insertMany(rows);
        } finally {
          await mongo.close();
          await pool.end();
        }
      }`,
    file: 'src/main.ts',
    errors: [{ line: 4, message: /is not closed if the `await` on line 5 rejects, and on 1 other path/ }],
  },
  {
    name: 'the same pool queried before the constructor that may throw: a connection is open then',
    code: DRIVER(`
        instance.query('SELECT 1');`),
    errors: [{ line: 8, message: /not closed when the function called on line 10 throws/ }],
  },
];

/** A test of a project client made around `made` (its only connection), used and never closed. */
const CLIENT_TEST = (imports: string, made: string) => `
      import t from 'tap';
      ${imports}
      class ReportClient {
        #conn;
        constructor() {
          this.#conn = { primary: ${made} };
        }
        async count() {
          return this.#conn.primary;
        }
        close() {
          this.#conn.primary.destroy();
        }
      }
      t.test('counts reports', async (t) => {
        const client = new ReportClient();
        t.ok(await client.count());
      });`;

valid.push({
  name: "a test's project client whose only connections are keep-alive agents, kept under a field's key and never closed: idle agent sockets are unref'd",
  code: CLIENT_TEST("import https from 'node:https';", 'new https.Agent({ keepAlive: true })'),
  ext: '.mjs',
  file: 'test/reports.test.mjs',
});
invalid.push({
  name: "the same test's client around a socket it connects: the socket holds the run open",
  code: CLIENT_TEST("import net from 'node:net';", "net.connect(7000, 'localhost')"),
  ext: '.mjs',
  file: 'test/reports.test.mjs',
  errors: [{ line: 16, message: /never closed; it stays open when the function ends \(line 18\)/ }],
});
