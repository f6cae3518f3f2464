// unclosed-connection: how a class's own code reaches its fields. A list of fields iterated in place
// (`for (const s of [this.primary, this.fallback]) …`) uses each of them: a close there closes them all, a read
// hands nothing on. A field a class inherits, closed by its base class. A database client class that
// keeps its knex instance in the base class's field beside a Cassandra client it shuts down itself, and
// calls `super.disconnect()`, which destroys the knex pool; not when its disconnect() never calls the base's.
// A private method given the field (`this.#discard(this.ws)`) that terminates what it is given closes it.
// A socket made with the signal of a controller the class keeps (`signal: this.controller.signal`) is closed
// where the class aborts that controller. A listener of the field's own socket that checks which socket the field holds
// (`if (this.socket !== socket) return`) and then clears the field without closing it drops an open socket. A field
// given a connection on one branch of a conditional (`opts.legacyUrl ? new MongoClient(opts.legacyUrl) : null`) holds one.
// A field holding the promise of a connection made on first use is closed through what that promise settles to
// (`const nc = await pending.catch(() => undefined); await nc?.drain()`).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const LAZY_NATS = (close: string) => `
      import * as https from 'https';
      import { connect, NatsConnection } from 'nats';
      export class Inventory {
        private readonly agent = new https.Agent({ keepAlive: true });
        private nc?: Promise<NatsConnection>;
        events(): Promise<NatsConnection> {
          if (!this.nc) {
            const pending = connect({ servers: process.env.NATS_URL });
            pending.catch(() => {
              if (this.nc === pending) this.nc = undefined;
            });
            this.nc = pending;
          }
          return this.nc;
        }
        async close(): Promise<void> {
          const pending = this.nc;
          this.nc = undefined;
          if (pending) {
            const nc = await pending.catch(() => undefined);
${close}
          }
          this.agent.destroy();
        }
      }`;

/** A timecode receiver whose UDP socket is made with `options`; `stop` is its stop()'s body. */
const TIMECODE = (stop: string, options = "{ type: 'udp4', reuseAddr: true, signal: this.controller.signal }") => `
      import dgram from 'node:dgram';
      export class TimecodeReceiver {
        private controller: AbortController | null = null;
        private socket: dgram.Socket | null = null;
        constructor(private port: number) {}
        start(onFrame: (msg: Buffer) => void): void {
          this.controller = new AbortController();
          this.socket = dgram.createSocket(${options});
          this.socket.on('message', onFrame);
          this.socket.bind(this.port);
        }
        stop(): void {
${stop}
        }
      }`;

/** A Modbus session whose idle 'timeout' listener starts a fresh one; `onTimeout` is that listener's body. */
const SESSION = (onTimeout: string) => `
      import net from 'node:net';
      export class ModbusSession {
        private socket: net.Socket | null = null;
        constructor(private host: string) {}
        connect(): Promise<void> {
          return new Promise((resolve, reject) => {
            const socket = net.connect({ host: this.host, port: 502 });
            socket.once('error', reject);
            socket.once('connect', () => {
              socket.setTimeout(30_000);
              socket.on('timeout', () => {
${onTimeout}
              });
              this.socket = socket;
              resolve();
            });
          });
        }
        close(): void { this.socket?.end(); this.socket = null; }
      }`;

/** A blob store with an optional legacy MongoClient; `close` is its close()'s body. */
const BLOBS = (close: string) => `
      import { MongoClient } from 'mongodb';
      import { Pool } from 'undici';
      export class BlobStore {
        private readonly primary: Pool;
        private readonly legacy: MongoClient | null;
        constructor(opts: { primaryUrl: string; legacyMongoUrl?: string }) {
          this.primary = new Pool(opts.primaryUrl);
          this.legacy = opts.legacyMongoUrl ? new MongoClient(opts.legacyMongoUrl) : null;
        }
        async legacyFile(id: string) { return this.legacy?.db('images').collection('files').findOne({ id }); }
        async close(): Promise<void> {
${close}
        }
      }`;

const BASE = `
      import type { Knex } from 'knex';
      export abstract class BasicDatabaseClient {
        knex: Knex | null = null;
        abstract connect(): Promise<void>;
        async disconnect(): Promise<void> {
          await this.knex?.destroy();
          this.knex = null;
        }
      }`;

const CLIENT = (disconnect: string) => `
      import knexlib from 'knex';
      import * as cassandra from 'cassandra-driver';
      import { BasicDatabaseClient } from './base';
      export class CassandraClient extends BasicDatabaseClient {
        client: cassandra.Client | null = null;
        async connect(): Promise<void> {
          this.client = new cassandra.Client({ contactPoints: ['db'], localDataCenter: 'dc1' });
          await this.client.connect();
          this.knex = knexlib({ client: 'pg', connection: process.env.DATABASE_URL });
        }
        async disconnect(): Promise<void> {${disconnect}
          await this.client?.shutdown();
          this.client = null;
        }
      }`;

const SEARCH = (close: string) => `
      import http2 from 'node:http2';
      export class SearchBackend {
        private readonly primary: http2.ClientHttp2Session;
        private readonly fallback: http2.ClientHttp2Session;
        constructor(primaryOrigin: string, fallbackOrigin: string) {
          this.primary = http2.connect(primaryOrigin);
          this.fallback = http2.connect(fallbackOrigin);
          for (const session of [this.primary, this.fallback]) session.on('error', (err) => console.warn(err.message));
        }
        ping(): boolean {
          return !this.primary.closed && !this.fallback.closed;
        }
        close(): void {
          ${close}
        }
      }`;

/** An exchange feed whose watchdog reconnects; `discard` is the body of its `#discard(ws)`. */
const FEED = (discard: string) => `
      import WebSocket from 'ws';
      export class Feed {
        constructor(url) { this.url = url; this.ws = null; this.watchdog = null; }
        start() { this.#connect(); }
        #discard(ws) { ${discard} }
        #connect() {
          if (this.ws) this.#discard(this.ws);
          const ws = new WebSocket(this.url);
          this.ws = ws;
          ws.on('message', () => this.#arm());
        }
        #arm() {
          clearTimeout(this.watchdog);
          this.watchdog = setTimeout(() => this.#connect(), 30000);
        }
        close() { clearTimeout(this.watchdog); this.ws?.close(); }
      }`;

export const valid: ValidCase[] = [
  {
    name: "a UDP listener a factory makes with the caller's abort signal, its result dropped by main(): the signal's abort closes it",
    code: `
      import dgram from 'node:dgram';
      function startUdpListener({ port, signal }: { port: number; signal: AbortSignal }) {
        const socket = dgram.createSocket({ type: 'udp4', signal });
        socket.on('message', (msg) => console.log(String(msg)));
        socket.bind(port);
        return socket;
      }
      export async function main(): Promise<void> {
        const ingest = new AbortController();
        startUdpListener({ port: 5005, signal: ingest.signal });
        process.once('SIGTERM', () => ingest.abort());
      }`,
  },
  {
    name: "a Kafka consumer a worker function runs until the signal it is handed on its own aborts, its result dropped by main()",
    code: `
      import { Kafka, type Consumer } from 'kafkajs';
      const kafka = new Kafka({ clientId: 'calibration', brokers: ['kafka:9092'] });
      async function runCalibrationWorker(signal: AbortSignal): Promise<Consumer> {
        const consumer = kafka.consumer({ groupId: 'calibration' });
        await consumer.connect();
        await consumer.run({ eachMessage: async ({ message }) => console.log(String(message.value)) });
        signal.addEventListener('abort', () => void consumer.disconnect(), { once: true });
        return consumer;
      }
      export async function main(): Promise<void> {
        const workers = new AbortController();
        await runCalibrationWorker(workers.signal);
        process.once('SIGTERM', () => workers.abort());
      }`,
  },
  {
    name: 'an optional legacy MongoClient (made on one branch of a conditional) that close() closes beside the pool',
    code: BLOBS('          await this.primary.close();\n          await this.legacy?.close();'),
  },
  {
    name: "a session whose idle-timeout listener destroys its own socket before starting a fresh one",
    code: SESSION('                if (this.socket !== socket) return;\n                socket.destroy();\n                this.socket = null;\n                this.connect().catch(() => {});'),
  },
  {
    name: "a UDP socket made with the signal of the class's controller, which stop() aborts (Node closes the socket)",
    code: TIMECODE('          this.controller?.abort();\n          this.controller = null;\n          this.socket = null;'),
  },
  {
    name: 'a watchdog reconnect that first gives the old WebSocket to a private method of the class that terminates it',
    code: FEED('ws.removeAllListeners(); ws.on(\'error\', () => {}); ws.terminate();'),
    ext: '.js',
  },
  {
    name: 'two HTTP/2 sessions closed by a loop over both fields',
    code: SEARCH('for (const session of [this.primary, this.fallback]) session.close();'),
  },
  {
    name: "a subclass's knex instance destroyed by its base class's disconnect(), which its own disconnect() calls through super",
    code: CLIENT(`
          await super.disconnect();`),
    files: { 'src/base.ts': BASE },
    file: 'src/cassandra.ts',
  },
  {
    name: 'a NATS connection made on first use, kept as a promise, drained through what the promise settles to',
    code: LAZY_NATS('            await nc?.drain();'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'an optional legacy MongoClient (made on one branch of a conditional) that close() forgets beside the pool',
    code: BLOBS('          await this.primary.close();'),
    errors: [{ line: 8, message: /^MongoDB client from `mongodb.MongoClient` is kept in `this.legacy`, and nothing in its class ever closes it/ }],
  },
  {
    name: "a session whose idle-timeout listener checks the field still holds its socket, then clears it and reconnects: the idle socket stays open",
    code: SESSION('                if (this.socket !== socket) return;\n                this.socket = null;\n                this.connect().catch(() => {});'),
    errors: [{ line: 7, message: /^`this.socket` is set to nothing on line 13, in a timer or listener, while the socket it holds may still be open/ }],
  },
  {
    name: 'the same receiver with a socket made without the signal: aborting the controller leaves it bound',
    code: TIMECODE('          this.controller?.abort();\n          this.controller = null;\n          this.socket = null;', "{ type: 'udp4', reuseAddr: true }"),
    errors: [{ line: 8, message: /^UDP socket from `dgram.createSocket` is kept in `this.socket`/ }],
  },
  {
    name: 'the same reconnect when the private method only removes the old WebSocket\'s listeners: it stays open',
    code: FEED('ws.removeAllListeners();'),
    ext: '.js',
    errors: [{ line: 8, message: /^`this\.ws` is given a new WebSocket on line 8/ }],
  },
  {
    name: "the same sessions when close() closes only the primary (the loop in the constructor only listens for errors)",
    code: SEARCH('this.primary.close();'),
    errors: [{ line: 7, message: /HTTP\/2 session from `http2.connect` is kept in `this.fallback`, and nothing in its class ever closes it/ }],
  },
  {
    name: "the same subclass when its own disconnect() never calls the base's",
    code: CLIENT(''),
    files: { 'src/base.ts': BASE },
    file: 'src/cassandra.ts',
    errors: [{ line: 9, message: /is kept in `this.knex`, and nothing in its class ever closes it/ }],
  },
  {
    name: 'the same lazy NATS connection when close() only logs what the promise settles to',
    code: LAZY_NATS('            console.log(nc?.getServer());'),
    errors: [{ line: 8, message: /^NATS connection from `nats.connect` is kept in `this.nc`, and nothing in its class ever closes it/ }],
  },
];
