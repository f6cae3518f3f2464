// unclosed-connection: how a connection is opened, and what the opening says about the paths after it. A project
// object's ready promise (`await link.ready`) rejects only when the connection it made failed, which leaves nothing
// open; a static `open()` that resolves a new wrapper of the client it made (`resolve(new SftpSession(conn, sftp))`)
// is a creator like one that returns it; an opener chained on the creation (`createConnection(url).asPromise()`) keeps
// the connection in a test hook's variable, and `factory().connect().then((c) => (shared = c))` keeps it in the
// module; a reconnect (or a watchdog timer) that keeps the old connection in a local and destroys it before
// connecting again leaves nothing open; one made again when the field is empty or marked unhealthy (`if (!this.client ||
// !this.healthy)`) drops the unhealthy one open.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A project link whose constructor opens its socket and a ready promise for it. */
const NTCIP_LINK = `
      const net = require('node:net');
      class NtcipLink {
        constructor({ host, port }) {
          this.socket = net.connect({ host, port });
          this.ready = new Promise((resolve, reject) => {
            this.socket.once('connect', resolve);
            this.socket.once('error', reject);
          });
          this.ready.catch(() => {});
        }
        send(frame) { this.socket.write(frame); }
        close() { this.socket.end(); }
      }
      module.exports = { NtcipLink };`;

/** A promise wrapper of an ssh2 SFTP channel whose static open() resolves a new session around the client it made. */
const SFTP_SESSION = `import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
export class SftpSession {
  private constructor(private readonly conn: Client, private readonly sftp: SFTPWrapper) {}
  static open(config: ConnectConfig): Promise<SftpSession> {
    return new Promise((resolve, reject) => {
      const conn = new Client();
      conn
        .on('ready', () => {
          conn.sftp((err, sftp) => {
            if (err) { conn.end(); reject(err); return; }
            resolve(new SftpSession(conn, sftp));
          });
        })
        .on('error', (err) => { conn.end(); reject(err); })
        .connect(config);
    });
  }
  list(dir: string): Promise<string[]> {
    return new Promise((resolve, reject) => this.sftp.readdir(dir, (err, list) => (err ? reject(err) : resolve(list.map((e) => e.filename)))));
  }
  close(): void { this.sftp.end(); this.conn.end(); }
}
`;

/** A cache that makes its client again when the field is empty or marked unhealthy; `part` runs before it does. */
const HEALTH_FLAGGED_CACHE = (part: string) => `
      import Redis from 'ioredis';
      export class Cache {
        private client: Redis | null = null;
        private healthy = false;
        private ensure(): Redis {
          if (!this.client || !this.healthy) {${part}
            this.client = new Redis(process.env.REDIS_URL!);
            this.healthy = true;
          }
          return this.client;
        }
        async get(key: string): Promise<string | null> {
          try {
            return await this.ensure().get(key);
          } catch (err) {
            this.healthy = false;
            throw err;
          }
        }
        async close(): Promise<void> {
          await this.client?.quit();
          this.client = null;
        }
      }`;

/** A generic-pool of project links whose create() awaits the link's ready promise; `part` follows that await. */
const CONTROLLER_POOL = (part: string) => `
      const genericPool = require('generic-pool');
      const { NtcipLink } = require('./ntcipLink');
      function createControllerPool(controller) {
        return genericPool.createPool({
          create: async () => {
            const link = new NtcipLink(controller);
            await link.ready;${part}
            return link;
          },
          destroy: async (link) => link.close(),
        }, { max: 2 });
      }
      module.exports = { createControllerPool };`;

export const valid: ValidCase[] = [
  {
    name: "the same unhealthy client disconnected before a new one is made",
    code: HEALTH_FLAGGED_CACHE(`
            this.client?.disconnect();`),
  },
  {
    name: "a feed whose watchdog timer keeps the stale socket in a local, destroys it, then connects again",
    code: `
      import tls from 'node:tls';
      export class TurnstileFeed {
        private socket?: tls.TLSSocket;
        private watchdog?: NodeJS.Timeout;
        constructor(private readonly host: string) {}
        start(): void {
          this.connect();
        }
        private connect(): void {
          const socket = tls.connect({ host: this.host, port: 7443, servername: this.host });
          this.socket = socket;
          socket.on('data', () => this.armWatchdog());
          socket.on('close', () => {
            if (this.socket !== socket) return;
            this.socket = undefined;
            setTimeout(() => this.connect(), 2000);
          });
          this.armWatchdog();
        }
        private armWatchdog(): void {
          clearTimeout(this.watchdog);
          this.watchdog = setTimeout(() => {
            const stale = this.socket;
            this.socket = undefined;
            stale?.destroy();
            this.connect();
          }, 30_000);
        }
        stop(): void {
          clearTimeout(this.watchdog);
          this.socket?.destroy();
        }
      }`,
  },
  {
    name: "a memoised connect through a factory's client, kept by the then() that stores it in the module",
    code: `
      import { MongoClient } from 'mongodb';
      export function createCatalogClient(): MongoClient {
        return new MongoClient(process.env.MONGO_URL!, { maxPoolSize: 5 });
      }
      let shared: MongoClient | undefined;
      let connecting: Promise<MongoClient> | undefined;
      export function catalog(): Promise<MongoClient> {
        if (shared) return Promise.resolve(shared);
        connecting ??= createCatalogClient()
          .connect()
          .then((client) => (shared = client));
        return connecting;
      }
      export async function closeCatalog(): Promise<void> {
        await shared?.close();
      }`,
  },
  {
    name: "a FIX session whose reconnect() keeps the old socket in a local, destroys it, then connects again",
    code: `
      import net from 'node:net';
      export class FixSession {
        private socket: net.Socket | null = null;
        constructor(private readonly host: string, private readonly port: number) {}
        connect(): Promise<void> {
          return new Promise((resolve, reject) => {
            const socket = net.connect({ host: this.host, port: this.port });
            socket.once('error', (err) => { socket.destroy(); reject(err); });
            socket.once('connect', () => {
              socket.on('close', () => { if (socket === this.socket) this.socket = null; });
              this.socket = socket;
              resolve();
            });
          });
        }
        async reconnect(): Promise<void> {
          const old = this.socket;
          this.socket = null;
          if (old) {
            old.removeAllListeners('close');
            old.destroy();
          }
          await this.connect();
        }
        close(): void {
          this.socket?.end();
          this.socket = null;
        }
      }`,
  },
  {
    name: "the same sessions closed in a finally",
    code: `
      import { SftpSession } from './sftpSession';
      export async function collectAcks(hosts: string[]): Promise<number> {
        let n = 0;
        for (const host of hosts) {
          const session = await SftpSession.open({ host });
          try {
            const files = await session.list('/outbound');
            if (files.length === 0) continue;
            n += files.length;
          } finally {
            session.close();
          }
        }
        return n;
      }`,
    files: {
      'sftpSession.ts': SFTP_SESSION,
    },
  },
  {
    name: "the same asPromise() connection closed after each test",
    ext: '.js',
    file: 'test/listings.test.js',
    code: `
      import mongoose from 'mongoose';
      describe('Listing model', () => {
        let conn;
        beforeEach(async () => {
          conn = await mongoose.createConnection(process.env.MONGO_TEST_URL).asPromise();
        });
        afterEach(async () => {
          await conn.close();
        });
        it('stores listings', async () => {
          await conn.db.collection('listings').insertOne({ title: 'x' });
        });
      });`,
  },
  {
    name: "a pool's create() that awaits the project link's ready promise: when it rejects, the link's socket failed and is gone",
    ext: '.js',
    code: CONTROLLER_POOL(''),
    files: { 'ntcipLink.js': NTCIP_LINK },
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a client made again when the field is empty or a failed command marked it unhealthy: the unhealthy one is dropped open",
    code: HEALTH_FLAGGED_CACHE(''),
    errors: [{ line: 7, message: /^`this.client` is given a new Redis connection on line 7 while the one it holds may still be open/ }],
  },
  {
    name: "the same watchdog that connects again without closing the stale socket",
    code: `
      import tls from 'node:tls';
      export class TurnstileFeed {
        private socket?: tls.TLSSocket;
        private watchdog?: NodeJS.Timeout;
        constructor(private readonly host: string) {}
        start(): void {
          this.connect();
        }
        private connect(): void {
          const socket = tls.connect({ host: this.host, port: 7443, servername: this.host });
          this.socket = socket;
          socket.on('data', () => this.armWatchdog());
          socket.on('close', () => {
            if (this.socket !== socket) return;
            this.socket = undefined;
            setTimeout(() => this.connect(), 2000);
          });
          this.armWatchdog();
        }
        private armWatchdog(): void {
          clearTimeout(this.watchdog);
          this.watchdog = setTimeout(() => {
            this.socket = undefined;
            this.connect();
          }, 30_000);
        }
        stop(): void {
          clearTimeout(this.watchdog);
          this.socket?.destroy();
        }
      }`,
    errors: [{ line: 10, message: /^`this.socket` is set to nothing on line 23, in a timer or listener, while the socket it holds may still be open/ }],
  },
  {
    name: "the same reconnect() that keeps the old socket in a local but only removes its listeners",
    code: `
      import net from 'node:net';
      export class FixSession {
        private socket: net.Socket | null = null;
        constructor(private readonly host: string, private readonly port: number) {}
        connect(): Promise<void> {
          return new Promise((resolve, reject) => {
            const socket = net.connect({ host: this.host, port: this.port });
            socket.once('error', (err) => { socket.destroy(); reject(err); });
            socket.once('connect', () => {
              socket.on('close', () => { if (socket === this.socket) this.socket = null; });
              this.socket = socket;
              resolve();
            });
          });
        }
        async reconnect(): Promise<void> {
          const old = this.socket;
          this.socket = null;
          if (old) old.removeAllListeners('close');
          await this.connect();
        }
        close(): void {
          this.socket?.end();
          this.socket = null;
        }
      }`,
    errors: [{ line: 7, message: /is given a new socket on line 7 while the one it holds may still be open/ }],
  },
  {
    name: "a session from a static open() that resolves a new wrapper of the SSH client it made; a bank with no files continues past the close",
    code: `
      import { SftpSession } from './sftpSession';
      export async function collectAcks(hosts: string[]): Promise<number> {
        let n = 0;
        for (const host of hosts) {
          const session = await SftpSession.open({ host });
          const files = await session.list('/outbound');
          if (files.length === 0) continue;
          n += files.length;
          session.close();
        }
        return n;
      }`,
    files: {
      'sftpSession.ts': SFTP_SESSION,
    },
    errors: [{ line: 5, message: /not closed before the next loop iteration/ }],
  },
  {
    name: "a mongoose connection opened with createConnection(url).asPromise() before each test and never closed",
    ext: '.js',
    file: 'test/listings.test.js',
    code: `
      import mongoose from 'mongoose';
      describe('Listing model', () => {
        let conn;
        beforeEach(async () => {
          conn = await mongoose.createConnection(process.env.MONGO_TEST_URL).asPromise();
        });
        it('stores listings', async () => {
          await conn.db.collection('listings').insertOne({ title: 'x' });
        });
      });`,
    errors: [{ line: 5, message: /that a test hook keeps in `conn` \(line 5\) is never closed or handed on anywhere in the file/ }],
  },
  {
    name: "the same create() that sends a greeting after the link is ready and returns nothing when it is refused",
    ext: '.js',
    code: CONTROLLER_POOL(`
            if (controller.readOnly) return null;`),
    files: { 'ntcipLink.js': NTCIP_LINK },
    errors: [{ line: 6, message: /not closed when the `return` on line 8 is taken/ }],
  },
];
