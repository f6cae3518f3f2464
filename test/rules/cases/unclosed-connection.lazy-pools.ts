// unclosed-connection: a pg or mysql pool opens no connection until its first use, so a path that leaves
// before the code uses it holds nothing; and a `finally` that closes another resource through a function
// named for it (`await closeGeocoderPool(g)`) before this one's close is cleanup, not a path of the work.
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

export const valid: ValidCase[] = [
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
    name: 'the same pool queried before the await that may reject: a connection is open then',
    code: `
      import mysql from 'mysql2/promise';
      import { MongoClient } from 'mongodb';
      async function main() {
        const pool = mysql.createPool({ uri: process.env.MYSQL_URI, connectionLimit: 4 });
        const [rows] = await pool.query('SELECT id, name FROM places');
        const mongo = await MongoClient.connect(process.env.MONGO_URI);
        try {
          await mongo.db().collection('places').insertMany(rows);
        } finally {
          await mongo.close();
          await pool.end();
        }
      }
      main().catch((err) => { console.error(err); process.exitCode = 1; });`,
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
