// unclosed-connection: clients whose connection opens after they are made, or reaches the code through a
// helper or an option: a Kafka producer a restart gives its field again once connected, a duplicate of an
// ioredis Cluster, an mssql pool a helper hands back from its `connect()`, a BullMQ queue given the options of
// the project's settings, an AMQP connection a publisher makes again after a failed publish, an ssh2 client a
// project helper opens (`await ready(conn, opts)` calls `conn.connect(opts)`); and the
// look-alikes: an ssh2 client whose failed readiness wait (made before the connect call) has closed it, a
// producer the restart disconnects first, a queue lent a client, a publisher that closes the old connection.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A Kafka producer kept in a field, made again by `restart()` on its own REQUEST_TIMEOUT; `before` runs first in restart(). */
const winProducer = (before: string) => `
      import { Kafka, Producer } from 'kafkajs';
      export class WinProducer {
        private producer: Producer | undefined;
        constructor(private readonly kafka: Kafka) {}
        async start(): Promise<void> {
          this.producer = this.kafka.producer({ idempotent: true });
          this.producer.on(this.producer.events.REQUEST_TIMEOUT, () => { void this.restart(); });
          await this.producer.connect();
        }
        private async restart(): Promise<void> {${before}
          await this.start();
        }
        async stop(): Promise<void> {
          await this.producer?.disconnect();
        }
      }`;

/** A site database from a helper that connects an mssql pool and returns `pool.connect()`, dropped by a `continue`. */
const SITE_DB = `
      import * as sql from 'mssql';
      export async function openSiteDb(host: string): Promise<sql.ConnectionPool> {
        const pool = new sql.ConnectionPool({ server: host, pool: { min: 1 } });
        return pool.connect();
      }`;

/** A confirm-channel publisher that starts again when a publish fails; `reopen` is what its catch does first. */
const publisher = (reopen: string) => `
      import amqp from 'amqplib';
      import type { ConfirmChannel } from 'amqplib';
      export class CrewEventPublisher {
        private connection?: Awaited<ReturnType<typeof amqp.connect>>;
        private channel?: ConfirmChannel;
        constructor(private readonly url: string) {}
        async start(): Promise<void> {
          this.connection = await amqp.connect(this.url);
          this.channel = await this.connection.createConfirmChannel();
        }
        async publish(type: string, body: Buffer): Promise<void> {
          if (!this.channel) await this.start();
          try {
            await this.send(type, body);
          } catch (err) {${reopen}
            await this.start();
            await this.send(type, body);
          }
        }
        private send(type: string, body: Buffer): Promise<void> {
          const channel = this.channel!;
          return new Promise((resolve, reject) => channel.publish('crew.events', type, body, {}, (err) => (err ? reject(err) : resolve())));
        }
        async stop(): Promise<void> {
          await this.channel?.close();
          await this.connection?.close();
        }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: 'an AMQP connection a publisher makes again after a failed publish: a nacked publish leaves the old connection open',
    code: publisher(''),
    errors: [{ line: 8, messageId: 'overwrite', message: /`this\.connection` is given a new AMQP connection/ }],
  },
  {
    name: "a Kafka producer a restart on its own REQUEST_TIMEOUT makes again once connected, without disconnecting the old one",
    code: winProducer(''),
    errors: [{ line: 6, message: /`this\.producer` is given a new Kafka client/ }],
  },
  {
    name: 'a duplicate of an ioredis Cluster left subscribed when the timer settles the wait',
    code: `
      import type { Cluster } from 'ioredis';
      export function waitForRefill(cluster: Cluster, id: string, ms: number): Promise<boolean> {
        const sub = cluster.duplicate();
        return new Promise((resolve, reject) => {
          setTimeout(() => resolve(false), ms);
          sub.on('message', () => { sub.quit().then(() => resolve(true), reject); });
          sub.subscribe('budget:' + id).catch(reject);
        });
      }`,
    errors: [{ line: 3, message: /ioredis\.Cluster\.duplicate/ }],
  },
  {
    name: "an mssql pool a helper connects and returns (`return pool.connect()`), dropped by the caller's `continue`",
    code: `
      import { openSiteDb } from './siteDb';
      export async function syncSites(hosts: string[]): Promise<number> {
        let synced = 0;
        for (const host of hosts) {
          const db = await openSiteDb(host);
          const pending = await db.request().query('SELECT sku FROM pending');
          if (pending.recordset.length === 0) continue;
          synced++;
          await db.close();
        }
        return synced;
      }`,
    files: { 'siteDb.ts': SITE_DB },
    errors: [{ line: 5, message: /openSiteDb\(\)/ }],
  },
  {
    name: "a BullMQ queue a beforeAll makes with the connection options of the project's settings (`config.redis`), never closed",
    code: `
      import { afterAll, beforeAll, describe, it } from 'vitest';
      import { Queue, QueueEvents } from 'bullmq';
      import { config } from './config';
      describe('transcode worker', () => {
        let queue: Queue;
        let events: QueueEvents;
        beforeAll(async () => {
          queue = new Queue('transcode', { connection: config.redis });
          events = new QueueEvents('transcode', { connection: config.redis });
        });
        afterAll(async () => {
          await events.close();
        });
        it('adds a job', async () => {
          await queue.add('transcode', { id: 1 });
        });
      });`,
    file: 'src/queue/worker.test.ts',
    files: { 'src/queue/config.ts': `export const config = { redis: { host: process.env.REDIS_HOST ?? '127.0.0.1', port: 6379 } };` },
    errors: [{ line: 8, message: /bullmq\.Queue/ }],
  },
  {
    name: "an ssh2 client per host opened by a project helper (`await ready(conn, opts)` calls `conn.connect(opts)`), skipped by a `continue` before its end()",
    code: `
      const { Client } = require('ssh2');
      function ready(conn, opts) {
        return new Promise((resolve, reject) => {
          conn.once('ready', resolve);
          conn.once('error', reject);
          conn.connect(opts);
        });
      }
      async function rotate(hosts, isCurrent) {
        for (const host of hosts) {
          const conn = new Client();
          await ready(conn, { host, username: 'deploy' });
          if (await isCurrent(conn)) continue;
          conn.end();
        }
      }
      module.exports = { rotate };`,
    ext: '.js',
    errors: [{ line: 11, message: /^SSH connection from `ssh2.Client` is not closed before the next loop iteration \(line 13\)/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same publisher closing the old connection before it starts again',
    code: publisher(`
            await this.connection?.close().catch(() => undefined);`),
  },
  {
    name: 'the same producer, disconnected by the restart before it makes the next one',
    code: winProducer(`
          await this.producer?.disconnect();`),
  },
  {
    name: "an ssh2 client whose readiness wait, made before its connect call, rejects: ssh2 has closed it",
    code: `
      const { once } = require('node:events');
      const { Client } = require('ssh2');
      async function create(target) {
        const conn = new Client();
        const ready = once(conn, 'ready');
        conn.connect({ readyTimeout: 10000, ...target });
        await ready;
        return conn;
      }
      module.exports = { create };`,
    ext: '.js',
  },
  {
    name: 'the same ssh2 client when the helper only registers listeners and never connects it: it holds nothing',
    code: `
      const { Client } = require('ssh2');
      function watch(conn, log) {
        conn.on('error', (err) => log(err));
      }
      async function rotate(hosts, isCurrent) {
        for (const host of hosts) {
          const conn = new Client();
          watch(conn, console.error);
          if (await isCurrent(host)) continue;
          conn.end();
        }
      }
      module.exports = { rotate };`,
    ext: '.js',
  },
  {
    name: 'a BullMQ queue lent a client kept in the settings (`config.redis` is an ioredis instance)',
    code: `
      import { afterAll, beforeAll, describe, it } from 'vitest';
      import { Queue } from 'bullmq';
      import { config } from './config';
      describe('queue', () => {
        let queue: Queue;
        beforeAll(() => { queue = new Queue('transcode', { connection: config.redis }); });
        afterAll(async () => { await config.redis.quit(); });
        it('adds a job', async () => { await queue.add('transcode', { id: 1 }); });
      });`,
    file: 'src/queue/queue.test.ts',
    files: { 'src/queue/config.ts': `import Redis from 'ioredis';\nexport const config = { redis: new Redis({ maxRetriesPerRequest: null }) };` },
  },
];
