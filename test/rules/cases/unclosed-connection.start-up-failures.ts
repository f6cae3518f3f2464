// unclosed-connection: start-ups whose failure ends the process. An exported start-up awaited inside
// `Promise.all([...])` by a `main()` whose rejection exits fails into that exit (not inside `Promise.allSettled`, which
// never rejects); a start-up a script's top-level code calls without awaiting or catching, keeping the promise for a
// SIGTERM handler, rejects unhandled, which ends the process too (not once the script catches it). A static factory
// (`static async connect(uri)`) every call of which (`AuditLog.connect(url)`) is such a start-up's fails into the same
// exit. A project object's `init()` that rejects has opened nothing its caller could close.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A LISTEN connection opened once per process, kept in a module variable for the stop function. */
const LISTENER = `
      import { Client } from 'pg';
      let listener: Client | undefined;
      export async function startEnvelopeListener(): Promise<void> {
        if (listener) return;
        const client = new Client({ connectionString: process.env.DATABASE_URL });
        client.on('error', (err) => console.error(err));
        await client.connect();
        await client.query('LISTEN envelope_status');
        listener = client;
      }
      export async function stopEnvelopeListener(): Promise<void> {
        const client = listener;
        listener = undefined;
        if (client) await client.end();
      }`;

const INDEX = (combine: string) => ({
  'src/index.ts': `import { startEnvelopeListener, stopEnvelopeListener } from './lib/pgListener';\nasync function main(): Promise<void> {\n  await ${combine}([startEnvelopeListener(), Promise.resolve()]);\n  process.once('SIGTERM', () => void stopEnvelopeListener());\n}\nmain().catch((err) => {\n  console.error(err);\n  process.exit(1);\n});\n`,
});

/** A CommonJS LISTEN start-up that hands back its stop(). */
const BUILD_EVENTS = `
      const { Client } = require('pg');
      async function startBuildEventListener() {
        const listener = new Client({ connectionString: process.env.DATABASE_URL });
        await listener.connect();
        listener.on('error', () => process.exit(1));
        await listener.query('LISTEN build_events');
        return async function stop() {
          await listener.end();
        };
      }
      module.exports = { startBuildEventListener };`;

const SERVER = (handle: string) => ({
  'src/server.js': `const { startBuildEventListener } = require('./workers/buildEvents');\nif (require.main === module) {\n  const listening = startBuildEventListener();\n${handle}  process.once('SIGTERM', async () => {\n    await listening.then((stop) => stop()).catch(() => undefined);\n  });\n}\n`,
});

/** An audit log whose static connect() makes its MongoDB client and an index before handing the log out. */
const AUDIT = `
      import { MongoClient, type Collection } from 'mongodb';
      export class AuditLog {
        private readonly events: Collection;
        constructor(private readonly client: MongoClient) {
          this.events = client.db('audit').collection('events');
        }
        static async connect(uri: string): Promise<AuditLog> {
          const client = new MongoClient(uri);
          await client.connect();
          const log = new AuditLog(client);
          await log.events.createIndex({ claimId: 1 });
          return log;
        }
        async close(): Promise<void> {
          await this.client.close();
        }
      }`;

export const valid: ValidCase[] = [
  {
    name: "a static connect() awaited by a main() whose rejection exits: its failed createIndex ends the process",
    code: AUDIT,
    file: 'src/lib/auditLog.ts',
    files: { 'src/server.ts': "import { AuditLog } from './lib/auditLog';\nasync function main(): Promise<void> {\n  const audit = await AuditLog.connect(process.env.MONGO_URL!);\n  process.once('SIGTERM', () => void audit.close());\n}\nmain().catch((err) => {\n  console.error(err);\n  process.exit(1);\n});\n" },
  },
  {
    name: 'a LISTEN start-up awaited in Promise.all by a main() whose rejection exits: its failure ends the process',
    code: LISTENER,
    file: 'src/lib/pgListener.ts',
    files: INDEX('Promise.all'),
  },
  {
    name: "a CommonJS start-up whose promise a script's top-level code keeps for its SIGTERM handler: a rejection at start-up is unhandled",
    code: BUILD_EVENTS,
    ext: '.js',
    file: 'src/workers/buildEvents.js',
    files: SERVER(''),
  },
  {
    name: "a lazily made indexer whose init() rejects: the object opened nothing its caller could close",
    code: `
      import { Client } from '@elastic/elasticsearch';
      import mariadb from 'mariadb';
      export class ResultIndexer {
        private es = new Client({ node: process.env.ES_URL });
        private meta: mariadb.Connection | null = null;
        async init(): Promise<void> {
          this.meta = await mariadb.createConnection({ host: process.env.META_HOST });
        }
        async close(): Promise<void> {
          await this.es.close();
          await this.meta?.end();
        }
      }
      let indexer: ResultIndexer | null = null;
      export async function getIndexer(): Promise<ResultIndexer> {
        if (!indexer) {
          const created = new ResultIndexer();
          await created.init();
          indexer = created;
        }
        return indexer;
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'the same static connect() called per request by a route handler: the process goes on after a failure',
    code: AUDIT,
    file: 'src/lib/auditLog.ts',
    files: { 'src/routes.ts': "import express from 'express';\nimport { AuditLog } from './lib/auditLog';\nexport const app = express();\napp.get('/audit', async (req, res) => {\n  const log = await AuditLog.connect(process.env.MONGO_URL!);\n  res.json({ ok: true });\n  await log.close();\n});\n" },
    errors: [{ line: 8, messageId: 'somePaths' }],
  },
  {
    name: 'the same start-up awaited in Promise.allSettled: a failure does not end the process',
    code: LISTENER,
    file: 'src/lib/pgListener.ts',
    files: INDEX('Promise.allSettled'),
    errors: [{ line: 5, messageId: 'somePaths' }],
  },
  {
    name: 'the CommonJS start-up whose promise the script catches at once: the process goes on after a failed LISTEN',
    code: BUILD_EVENTS,
    ext: '.js',
    file: 'src/workers/buildEvents.js',
    files: SERVER('  listening.catch((err) => console.error(err));\n'),
    errors: [{ line: 3, messageId: 'somePaths' }],
  },
];
