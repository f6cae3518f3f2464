// unclosed-connection: a callback a call runs before it returns or settles (an awaited call's, an array method's)
// keeps nothing of the client it uses in its own body, so a client never closed stays the function's finding
// (`await session.withTransaction(async () => { await client.db(n)… })`); one its nested functions use (route handlers a
// plugin registers) lives on there. An object that holds a socket in a property (`resolve({ socket, sessionId })`) is
// handed to a helper that destructures it (`const { socket } = session`) as the socket itself: a stop() the helper
// returns that ends it releases it, and a helper that only reads it leaves it the caller's.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A login that resolves `{ socket, sessionId }`, and a stream helper that returns a stop() ending the socket. */
const LEGACY = `import * as tls from 'node:tls';
export interface LegacySession { socket: tls.TLSSocket; sessionId: string }
export function loginLegacyFeed(host: string, port: number): Promise<LegacySession> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port });
    socket.once('data', (chunk: Buffer) => {
      const line = chunk.toString();
      if (line.startsWith('OK ')) resolve({ socket, sessionId: line.slice(3) });
      else { socket.destroy(); reject(new Error(line)); }
    });
    socket.once('error', reject);
  });
}
export function streamLegacyQuotes(session: LegacySession, onQuote: (t: string) => void): () => void {
  const { socket } = session;
  socket.on('data', (c: Buffer) => onQuote(c.toString()));
  socket.write('STREAM ' + session.sessionId);
  return () => {
    socket.end('LOGOUT');
  };
}
`;

export const valid: ValidCase[] = [
  {
    name: "a session object handed to a helper that destructures its socket and returns a stop() ending it, called at SIGTERM",
    file: 'src/main.ts',
    code: `
      import { loginLegacyFeed, streamLegacyQuotes } from './legacy';
      async function main(): Promise<void> {
        let stopLegacy: (() => void) | undefined;
        try {
          const session = await loginLegacyFeed('quotes.example', 7000);
          stopLegacy = streamLegacyQuotes(session, (t) => console.log(t));
        } catch (err) {
          console.error(err);
        }
        process.once('SIGTERM', () => stopLegacy?.());
      }
      main().catch(() => process.exit(1));`,
    files: { 'src/legacy.ts': LEGACY },
  },
  {
    name: "a client an awaited plugin's route handlers use: it lives on in the routes",
    code: `
      import { MongoClient } from 'mongodb';
      type App = { register(plugin: (app: App) => Promise<void>): Promise<void>; get(path: string, h: () => Promise<unknown>): void };
      export async function buildApp(app: App): Promise<App> {
        const client = new MongoClient('mongodb://db/orders');
        await client.connect();
        await app.register(async (routes) => {
          routes.get('/orders', () => client.db().collection('orders').find().toArray());
        });
        return app;
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a MongoDB client used in an awaited transaction callback and never closed: the callback kept nothing",
    code: `
      import { MongoClient } from 'mongodb';
      export async function archivePass(summary: { passId: string }): Promise<void> {
        const client = new MongoClient('mongodb://db/groundlink');
        await client.connect();
        const session = client.startSession();
        try {
          await session.withTransaction(async () => {
            await client.db('groundlink').collection('passes').insertOne(summary, { session });
          });
        } finally {
          await session.endSession();
        }
      }`,
    errors: [{ line: 3, messageId: 'never' }],
  },
  {
    name: 'a Redis client used in the callback of an array method and never closed',
    code: `
      import Redis from 'ioredis';
      export async function warm(keys: string[]): Promise<number> {
        const redis = new Redis(process.env.REDIS_URL!);
        const hits = await Promise.all(keys.map((k) => redis.exists(k)));
        return hits.filter(Boolean).length;
      }`,
    errors: [{ line: 3, messageId: 'never' }],
  },
  {
    name: "a session object handed to a helper that destructures its socket and only reads it: still the caller's",
    file: 'src/main.ts',
    code: `
      import { loginLegacyFeed } from './legacy';
      import type { LegacySession } from './legacy';
      function watch(session: LegacySession): () => void {
        const { socket } = session;
        const onData = (c: Buffer) => console.log(c.length);
        socket.on('data', onData);
        return () => {
          socket.off('data', onData);
        };
      }
      export async function run(): Promise<() => void> {
        const session = await loginLegacyFeed('quotes.example', 7000);
        return watch(session);
      }`,
    files: { 'src/legacy.ts': LEGACY },
    errors: [{ line: 12, messageId: 'never' }],
  },
];
