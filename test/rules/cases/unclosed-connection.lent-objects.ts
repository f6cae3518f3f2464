// unclosed-connection: a client a test hook keeps, lent to a project function as a property of an object
// (`archive(name, { mongo })`, or a fixture `const deps = () => ({ mongo, log })` given as `deps()`): the
// function only reads it there, so nothing closes it; one that closes `deps.mongo` is its owner. The same for
// a class given it in a parameter property (`constructor(private readonly nc: NatsConnection)`) that only
// publishes on it: it closes nothing and hands it to nobody. A client the hook makes in a local and keeps in the
// suite's variable inside a project object whose `close()` quits it (`cache = new FlagCache(redis)`) is closed
// by that `close()` or not at all. A hub class whose constructor lends the suite's HTTP server to a ws
// WebSocketServer (`new WebSocketServer({ server })`) only uses it: the hub's `close()` leaves it listening. So does
// a class that closes nothing at all (`cache = new FareCache(redis, 60)`): the client stays the hook's to close.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A node:test suite whose before() connects a MongoClient lent to `archive()` in a deps object; `body` is archive's. */
function lentInDeps(body: string, lend = 'const deps = () => ({ mongo, log: console });'): { code: string; file: string; files: Record<string, string> } {
  return {
    code: `
      import { before, after, it } from 'node:test';
      import { MongoClient } from 'mongodb';
      import { MongoMemoryServer } from 'mongodb-memory-server';
      import { archive } from './archive';
      let mongod: MongoMemoryServer;
      let mongo: MongoClient;
      before(async () => {
        mongod = await MongoMemoryServer.create();
        mongo = new MongoClient(mongod.getUri());
        await mongo.connect();
      });
      after(async () => {
        await mongod.stop();
      });
      ${lend}
      it('archives the orders', async () => {
        await archive('orders', ${lend.startsWith('const deps') ? 'deps()' : '{ mongo, log: console }'});
      });`,
    file: 'src/archive.test.ts',
    files: {
      'src/archive.ts': `import type { MongoClient } from 'mongodb';
export async function archive(name: string, deps: { mongo: MongoClient; log: Console }): Promise<number> {
${body}
}
`,
    },
  };
}

/** A jest suite whose beforeAll connects to NATS and lends the connection to a publisher class; `release` is the class's extra member. */
function natsSuite(release: string): { code: string; file: string; files: Record<string, string> } {
  return {
    code: `
      import { connect, type NatsConnection } from 'nats';
      import { TickPublisher } from './ticks';
      describe('TickPublisher', () => {
        let nc: NatsConnection;
        beforeAll(async () => {
          nc = await connect({ servers: 'nats://127.0.0.1:4222' });
        });
        it('publishes a tick', () => {
          const publisher = new TickPublisher(nc, 'test.ticks');
          publisher.publish({ venue: 'x', price: 1 });
          expect(publisher.count).toBe(1);
        });
      });`,
    file: 'src/ticks.test.ts',
    files: {
      'src/ticks.ts': `import type { NatsConnection } from 'nats';
export class TickPublisher {
  private published = 0;
  constructor(private readonly nc: NatsConnection, private readonly prefix = 'ticks') {}
  publish(tick: { venue: string; price: number }): void {
    if (this.nc.isClosed()) return;
    this.nc.publish(this.prefix + '.' + tick.venue, JSON.stringify(tick));
    this.published++;
  }
  get count(): number { return this.published; }
${release}
}
`,
    },
  };
}

/** A node:test suite whose before() connects a Redis client and keeps it in a FlagCache; `after` is the rest of the suite. */
const flagSuite = (after: string) => ({
  file: 'test/flagCache.test.ts',
  files: { 'src/cache/flagCache.ts': `import type { RedisClientType } from 'redis';
export class FlagCache {
  constructor(private readonly redis: RedisClientType, private readonly ttl: number) {}
  async get(env: string, key: string): Promise<string | null> { return this.redis.get(env + ':' + key); }
  async close(): Promise<void> { await this.redis.quit(); }
}
` },
  code: `
      import { after, before, describe, it } from 'node:test';
      import assert from 'node:assert/strict';
      import { createClient, RedisClientType } from 'redis';
      import { FlagCache } from '../src/cache/flagCache';
      describe('FlagCache', () => {
        let cache: FlagCache;
        before(async () => {
          const redis = createClient({ url: process.env.TEST_REDIS_URL });
          await redis.connect();
          await redis.flushDb();
          cache = new FlagCache(redis as RedisClientType, 5);
        });
        it('reads nothing from an empty store', async () => {
          assert.equal(await cache.get('test', 'new-checkout'), null);
        });
${after}
      });`,
});

/** A vitest suite attaching a BidHub to an HTTP server its beforeAll listens on; `after` is the afterAll's body. */
const hubSuite = (after: string) => ({
  file: 'test/wsHub.test.ts',
  files: { 'src/realtime/wsHub.ts': `import { WebSocketServer } from 'ws';
import type { Server } from 'node:http';
export class BidHub {
  private readonly wss: WebSocketServer;
  constructor(server: Server) {
    this.wss = new WebSocketServer({ server, path: '/ws' });
  }
  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
` },
  code: `
      import { afterAll, beforeAll, describe, expect, it } from 'vitest';
      import http from 'node:http';
      import type { AddressInfo } from 'node:net';
      import { BidHub } from '../src/realtime/wsHub';
      describe('BidHub', () => {
        let server: http.Server;
        let hub: BidHub;
        beforeAll(async () => {
          server = http.createServer();
          hub = new BidHub(server);
          await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        });
        afterAll(async () => {
${after}
        });
        it('listens', () => {
          expect((server.address() as AddressInfo).port).toBeGreaterThan(0);
        });
      });`,
});

export const invalid: InvalidCase[] = [
  {
    name: "an ioredis client made before each test and lent to a cache class that closes nothing; no hook quits it",
    ext: '.js',
    file: 'test/cache.test.js',
    code: `
      import Redis from 'ioredis';
      import { FareCache } from '../src/cache.js';
      describe('FareCache', () => {
        let redis;
        let cache;
        beforeEach(async () => {
          redis = new Redis(process.env.TEST_REDIS_URL);
          cache = new FareCache(redis, 60);
        });
        it('round-trips fares', async () => {
          await cache.put('a', 1);
        });
      });`,
    files: { 'src/cache.js': "export class FareCache {\n  constructor(redis, ttl) {\n    this.redis = redis;\n    this.ttl = ttl;\n  }\n  async put(k, v) {\n    await this.redis.set(k, JSON.stringify(v), 'EX', this.ttl);\n  }\n}\n" },
    errors: [{ line: 7, message: /that a test hook keeps in `redis` \(line 7\) is never closed or handed on anywhere in the file/ }],
  },
  {
    name: "an HTTP server a hub's WebSocketServer is attached to, whose afterAll closes only the hub: the server stays listening",
    ...hubSuite('          await hub.close();'),
    errors: [{ line: 9, messageId: 'suiteNeverCloses' }],
  },
  {
    name: "a hook's Redis client kept in the suite's FlagCache, which nothing closes: the client stays open after the tests",
    ...flagSuite(''),
    errors: [{ line: 8, messageId: 'suiteNeverCloses' }],
  },
  {
    name: "a NATS connection of beforeAll lent to a class's parameter property that only publishes on it, never closed",
    ...natsSuite(''),
    errors: [{ line: 6, message: /^The NATS connection from `nats.connect` that a test hook keeps in `nc`/ }],
  },
  {
    name: "a MongoClient of before() lent in a deps fixture (`const deps = () => ({ mongo })`) to a function that only reads it, never closed",
    ...lentInDeps("  const n = await deps.mongo.db('shop').collection(name).countDocuments();\n  deps.log.info(name + ': ' + n);\n  return n;"),
    errors: [{ line: 9, message: /MongoDB client .* that a test hook keeps in `mongo`/ }],
  },
  {
    name: 'a MongoClient of before() lent inline (`archive(name, { mongo })`) to a function that only reads it, never closed',
    ...lentInDeps("  const n = await deps.mongo.db('shop').collection(name).countDocuments();\n  deps.log.info(name + ': ' + n);\n  return n;", ''),
    errors: [{ line: 9, message: /MongoDB client .* that a test hook keeps in `mongo`/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same suite whose afterAll closes the hub and then the server',
    ...hubSuite('          await hub.close();\n          await new Promise<void>((resolve) => server.close(() => resolve()));'),
  },
  {
    name: "the same suite whose after() closes the FlagCache, which quits the client",
    ...flagSuite('        after(() => cache.close());'),
  },
  {
    name: 'the same connection lent to a publisher class whose close() drains it',
    ...natsSuite('  async close(): Promise<void> { await this.nc.drain(); }'),
  },
  {
    name: 'a MongoClient of before() lent in a deps fixture to a function that closes it',
    ...lentInDeps("  try {\n    return await deps.mongo.db('shop').collection(name).countDocuments();\n  } finally {\n    await deps.mongo.close();\n  }"),
  },
];
