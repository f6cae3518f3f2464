// unclosed-connection: a field given a new connection by a method that a reconnect timer runs again —
// where every way to that timer first ends the connection the field holds (its 'error' listener, a
// method that clears the field first, or the method's own failed attempt, before the field ever got it), beside one that also runs it again
// while the field's connection is open; a project object that owns a connection, replaced by a recover()
// that a timer's promise chain runs (`this.tick().catch(() => this.recover())`); a device link whose
// backoff timer is scheduled from its socket's `once('close')` (a listener, not a closure runner); a
// reporter whose close() neither clears its pending reconnect timer nor sets anything the reconnect
// checks, so that a close during the backoff is followed by a connection nothing ends; a poller whose interval
// reconnects when its socket is destroyed or when the controller has gone silent (a stale socket is open); an
// endpoint switch that returns early only while the same URL is open, so a new URL overwrites the open client; a
// Redis deduper that connects again whenever its client is not ready (also while it reconnects by itself).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A Redis-backed deduper whose seen() connects again when `guard` holds, through a connect() that overwrites the field. */
const deduper = (guard: string) => `
      import { createClient } from 'redis';
      export class LabelDeduper {
        constructor(url) { this.url = url; this.client = null; }
        async connect() {
          this.client = createClient({ url: this.url });
          this.client.on('error', (err) => console.warn(err.message));
          await this.client.connect();
        }
        async seen(id, hash) {
          if (${guard}) await this.connect();
          return (await this.client.set('last:' + id, hash, { GET: true })) === hash;
        }
        async close() { if (this.client?.isOpen) await this.client.quit(); this.client = null; }
      }`;

/** A LISTEN client kept in a field, reconnected by a timer; `more` is added to the class. */
function listenerClass(more: string): string {
  return `
      import pg from 'pg';
      export class ChangeListener {
        private client: pg.Client | null = null;
        private retry: NodeJS.Timeout | null = null;
        private stopped = false;
        constructor(private readonly url: string, private readonly onChange: (id: string) => void) {}
        async start(): Promise<void> {
          const client = new pg.Client({ connectionString: this.url });
          client.on('notification', (msg) => { if (msg.payload) this.onChange(msg.payload); });
          client.on('error', () => {
            void client.end().catch(() => {});
            this.scheduleReconnect();
          });
          try {
            await client.connect();
            await client.query('LISTEN changed');
          } catch {
            await client.end().catch(() => {});
            this.scheduleReconnect();
            return;
          }
          this.client = client;
        }
        private scheduleReconnect(): void {
          this.client = null;
          if (this.stopped || this.retry) return;
          this.retry = setTimeout(() => { this.retry = null; void this.start(); }, 2000);
        }
${more}
        async stop(): Promise<void> {
          this.stopped = true;
          if (this.retry) clearTimeout(this.retry);
          const client = this.client;
          this.client = null;
          await client?.end();
        }
      }`;
}

/** A leader elector whose timer's promise chain runs `recover()` (its lines, `recover`) when a renewal fails. */
function leaderElector(recover: string[]): string {
  return `
      import { createClient } from 'redis';
      export class RedisLock {
        private constructor(private readonly client: ReturnType<typeof createClient>) {}
        static async connect(url: string): Promise<RedisLock> {
          const client = createClient({ url });
          await client.connect();
          return new RedisLock(client);
        }
        async renew(): Promise<boolean> { return (await this.client.pExpire('lock', 5000)) === 1; }
        async close(): Promise<void> { await this.client.quit(); }
      }
      export class LeaderElector {
        private lock?: RedisLock;
        private timer?: NodeJS.Timeout;
        constructor(private readonly url: string) {}
        async start(): Promise<void> {
          this.lock = await RedisLock.connect(this.url);
          this.loop();
        }
        private loop(): void {
          this.timer = setTimeout(() => {
            this.tick().catch(() => this.recover()).finally(() => this.loop());
          }, 1000);
        }
        private async tick(): Promise<void> { await this.lock?.renew(); }
        private async recover(): Promise<void> {
${recover.map((l) => '          ' + l).join('\n')}
        }
        async stop(): Promise<void> {
          clearTimeout(this.timer);
          await this.lock?.close();
        }
      }`;
}

/** A TCP device link that reconnects with backoff from its socket's `once(event)` listener. */
function deviceLink(event: string): string {
  return `
      import net from 'node:net';
      export class DeviceLink {
        private socket?: net.Socket;
        private timer?: NodeJS.Timeout;
        private attempt = 0;
        private stopped = false;
        constructor(private readonly host: string, private readonly port: number) {}
        start(): void {
          this.stopped = false;
          this.open();
        }
        private open(): void {
          const socket = net.connect({ host: this.host, port: this.port });
          this.socket = socket;
          socket.once('connect', () => { this.attempt = 0; });
          socket.on('error', (err) => console.warn(err));
          socket.once('${event}', () => {
            this.scheduleReconnect();
          });
        }
        private scheduleReconnect(): void {
          if (this.stopped) return;
          const delay = Math.min(30000, 500 * 2 ** this.attempt++);
          this.timer = setTimeout(() => this.open(), delay);
        }
        stop(): void {
          this.stopped = true;
          clearTimeout(this.timer);
          this.socket?.destroy();
          this.socket = undefined;
        }
      }`;
}

/** A capacity reporter reconnecting with backoff; `close` is its close() body, `connectGuard` the first line of connect(). */
function reporter(close: string, connectGuard = ''): string {
  return `
      import net from 'node:net';
      export class CapacityReporter {
        private socket: net.Socket | null = null;
        private reconnectTimer: NodeJS.Timeout | null = null;
        private attempt = 0;
        private closed = false;
        constructor(private readonly host: string, private readonly port: number) {}
        start(): void {
          this.connect();
        }
        private connect(): void {${connectGuard}
          const socket = net.connect({ host: this.host, port: this.port });
          this.socket = socket;
          socket.on('connect', () => { this.attempt = 0; });
          socket.on('error', () => {});
          socket.on('close', () => {
            this.socket = null;
            if (this.closed) return;
            this.reconnectTimer = setTimeout(() => this.connect(), Math.min(30000, 250 * 2 ** this.attempt++));
          });
        }
        close(): void {
${close}
        }
      }`;
}

/** A matchmaker's HTTP/2 session replaced when its ping is slow; `onPing` is the ping callback's body, `guard` what skips the ping. */
function slowPingClass(onPing: string, guard = 'this.session.destroyed'): string {
  return `
      import http2, { type ClientHttp2Session } from 'node:http2';
      export class MatchmakerClient {
        private session: ClientHttp2Session;
        constructor(private readonly authority: string, private readonly maxPingMs = 1500) {
          this.session = this.open();
        }
        private open(): ClientHttp2Session {
          const session = http2.connect(this.authority, { settings: { enablePush: false } });
          session.on('error', (err) => console.warn('matchmaker session error', err));
          return session;
        }
        checkLatency(): void {
          if (${guard}) return;
          this.session.ping((err, duration) => {
${onPing}
          });
        }
        close(): void {
          this.session.close();
        }
      }`;
}

/** An MQTT publisher whose interval watchdog calls `_checkStale()`, which starts over with `_connect()`; `stale` is its test. */
function watchdogPublisher(stale: string): string {
  return `
      const mqtt = require('mqtt');
      class TelemetryPublisher {
        constructor(url) { this.url = url; this.client = null; this.lastAckAt = Date.now(); }
        start() {
          this._connect();
          this.watchdog = setInterval(() => this._checkStale(), 15000);
          return this;
        }
        _connect() {
          const client = mqtt.connect(this.url, { reconnectPeriod: 5000 });
          client.on('connect', () => { this.lastAckAt = Date.now(); });
          this.client = client;
        }
        _checkStale() {
          if (${stale}) {
            this.lastAckAt = Date.now();
            this._connect();
          }
        }
        async stop() {
          clearInterval(this.watchdog);
          if (this.client) await this.client.endAsync();
        }
      }
      module.exports = { TelemetryPublisher };`;
}

/** A tank poller whose interval reconnects; `when` is the condition of its reconnect. */
const tankPoller = (when: string) => `
      import net from 'node:net';
      export class TankPoller {
        private socket: net.Socket;
        private lastFrameAt = Date.now();
        private timer?: NodeJS.Timeout;
        constructor(private readonly host: string) { this.socket = this.open(); }
        private open(): net.Socket {
          const socket = net.createConnection({ host: this.host, port: 502 });
          socket.on('data', () => { this.lastFrameAt = Date.now(); });
          socket.on('error', () => undefined);
          return socket;
        }
        start(): void { this.timer = setInterval(() => this.tick(), 1000); }
        private tick(): void {
          if (${when}) {
            this.socket = this.open();
            return;
          }
          this.socket.write(Buffer.from([0x01, 0x03]));
        }
        stop(): void {
          clearInterval(this.timer);
          this.socket.destroy();
        }
      }`;

/** A rollout store whose useEndpoint() returns early when `guard` holds, else connects a node-redis client to `url`. */
const rolloutState = (guard: string, before = '') => `
      import { createClient } from 'redis';
      export class RolloutState {
        constructor() { this.client = null; this.url = null; }
        async useEndpoint(url) {
          if (${guard}) return;
${before}          this.client = createClient({ url });
          this.client.on('error', (err) => console.error(err.message));
          await this.client.connect();
          this.url = url;
        }
        async close() {
          if (this.client?.isOpen) await this.client.quit();
          this.client = null;
        }
      }`;

export const valid: ValidCase[] = [
  {
    name: 'an endpoint switch that quits the client it holds before it connects to the new URL',
    code: rolloutState('url === this.url && this.client?.isOpen', '          if (this.client?.isOpen) await this.client.quit();\n'),
    ext: '.js',
  },
  {
    name: 'a poller that opens a new socket only once the old one is destroyed',
    code: tankPoller('this.socket.destroyed'),
  },
  {
    name: 'the same watchdog ending the old client before it starts over',
    code: watchdogPublisher('Date.now() - this.lastAckAt > 90000').replace('            this._connect();', '            this.client.end(true);\n            this._connect();'),
    ext: '.js',
  },
  {
    name: 'a retry scheduled by a method that first clears the field and ends the client it held',
    code: `
      import pg from 'pg';
      export class ShipmentListener {
        private client: pg.Client | null = null;
        private timer: NodeJS.Timeout | null = null;
        constructor(private readonly url: string) {}
        async start(): Promise<void> {
          const client = new pg.Client({ connectionString: this.url });
          client.on('error', (err) => this.onLost(client, err));
          try {
            await client.connect();
            await client.query('LISTEN shipments');
          } catch (err) {
            await client.end().catch(() => undefined);
            this.scheduleRetry();
            return;
          }
          this.client = client;
        }
        private onLost(client: pg.Client, err: Error): void {
          if (this.client !== client) return;
          this.client = null;
          client.end().catch(() => undefined);
          console.warn(err);
          this.scheduleRetry();
        }
        private scheduleRetry(): void {
          this.timer = setTimeout(() => { this.timer = null; void this.start(); }, 2000);
        }
        async stop(): Promise<void> {
          if (this.timer) clearTimeout(this.timer);
          const client = this.client;
          this.client = null;
          await client?.end();
        }
      }`,
  },
  {
    name: "a reconnect scheduled only by the client's 'error' listener (which ends it) and by the failed attempt before the field got it",
    code: listenerClass(''),
  },
  {
    name: "a leader elector whose recover() (run by its timer's promise chain) closes the lock object it holds before connecting a new one",
    code: leaderElector(['await this.lock?.close().catch(() => {});', 'const fresh = await RedisLock.connect(this.url);', 'this.lock = fresh;']),
  },
  {
    name: "a device link whose backoff timer is scheduled only from its socket's once('close') listener: the old socket is gone",
    code: deviceLink('close'),
  },
  {
    name: 'a reporter whose close() clears the pending reconnect timer',
    code: reporter('          this.closed = true;\n          if (this.reconnectTimer) clearTimeout(this.reconnectTimer);\n          this.socket?.end();'),
  },
  {
    name: 'a line client whose close listener schedules an unkept reconnect timer: the common idiom, its window left alone',
    code: `
      import * as net from 'net';
      export class LineClient {
        private socket!: net.Socket;
        private stopping = false;
        constructor(private readonly port: number) {
          this.connect();
        }
        private connect(): void {
          this.socket = net.connect(this.port, '127.0.0.1');
          this.socket.on('error', () => undefined);
          this.socket.on('close', () => {
            if (!this.stopping) setTimeout(() => this.connect(), 1_000);
          });
        }
        stop(): void {
          this.stopping = true;
          this.socket.end();
        }
      }`,
  },
  {
    name: 'a reporter whose connect() returns once closed: a pending reconnect opens nothing',
    code: reporter('          this.closed = true;\n          this.socket?.end();', '\n          if (this.closed) return;'),
  },
  {
    name: "an HTTP/2 session replaced only when its ping fails: a failed ping means the session is going away",
    code: slowPingClass(`            if (err) this.session = this.open();`),
  },
  {
    name: "a slow session closed before the field is given a new one",
    code: slowPingClass(`            if (err || duration <= this.maxPingMs) return;
            this.session.close();
            this.session = this.open();`),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'an endpoint switch that returns only while the same URL is open: a new URL overwrites the open client',
    code: rolloutState('url === this.url && this.client?.isOpen'),
    ext: '.js',
    errors: [{ line: 6, messageId: 'overwrite', message: /`this\.client` is given a new Redis connection on line 6/ }],
  },
  {
    name: 'a poller that also reconnects when the controller has gone silent: a stale socket is still open',
    code: tankPoller('this.socket.destroyed || Date.now() - this.lastFrameAt > 10_000'),
    errors: [{ line: 8, messageId: 'overwrite', message: /`this\.socket` is given a new socket on line 16/ }],
  },
  {
    name: "a stale-session watchdog run by an interval that starts a new MQTT client over the open one (it keeps reconnecting)",
    code: watchdogPublisher('Date.now() - this.lastAckAt > 90000'),
    ext: '.js',
    errors: [{ line: 10, message: /is given a new MQTT client on line 10 while the one it holds may still be open/ }],
  },
  {
    name: 'the same listener whose health check also schedules the reconnect while the field holds an open client',
    code: listenerClass(`        async ping(): Promise<void> {
          try {
            await this.client?.query('SELECT 1');
          } catch {
            this.scheduleReconnect();
          }
        }`),
    errors: [{ line: 8, messageId: 'overwrite' }],
  },
  {
    name: "a leader elector whose recover(), run by its timer's promise chain, gives the field a new project lock object without closing the one it holds",
    code: leaderElector(['const fresh = await RedisLock.connect(this.url);', 'this.lock = fresh;']),
    errors: [{ line: 27, message: /^`this.lock` is given a new connection-owning object on line 27 while the one it holds may still be open/ }],
  },
  {
    name: "the same device link scheduling its reconnect from once('timeout'), where the socket is still open",
    code: deviceLink('timeout'),
    errors: [{ line: 13, messageId: 'overwrite' }],
  },
  {
    name: 'a reporter whose close() only ends the socket: a close during the backoff is followed by a connection nothing ends',
    code: reporter('          this.closed = true;\n          this.socket?.end();'),
    errors: [{ line: 12, message: /^`this\.socket` is given a new socket by the reconnect scheduled on line 19 even after the object is closed/ }],
  },
  {
    name: "an HTTP/2 session replaced from its own ping callback when the ping is slow: the old session answered, and stays open",
    code: slowPingClass(`            if (err) return;
            if (duration > this.maxPingMs) this.session = this.open();`),
    errors: [{ line: 8, message: /`this.session` is given a new HTTP\/2 session on line 16 while the one it holds may still be open/ }],
  },
  {
    name: 'the same slow-ping replacement, skipped while the session is still connecting: once connected it gets through',
    code: slowPingClass(`            if (err) return;
            if (duration > this.maxPingMs) this.session = this.open();`, 'this.session.destroyed || this.session.connecting'),
    errors: [{ line: 8, message: /`this.session` is given a new HTTP\/2 session on line 16 while the one it holds may still be open/ }],
  },
  {
    name: "a gRPC client replaced when its stream errors or ends: the end of a call is not the end of the channel, which stays open",
    code: `
      import * as grpc from '@grpc/grpc-js';
      import { InventoryClient } from './proto';
      export class StockWatcher {
        private client?: any;
        private timer?: NodeJS.Timeout;
        constructor(private readonly address: string, private readonly skus: string[]) {}
        start(): void { this.connect(); }
        private connect(): void {
          this.client = new InventoryClient(this.address, grpc.credentials.createInsecure());
          const call = this.client.watchStock({ skus: this.skus });
          call.on('error', () => this.scheduleReconnect());
          call.on('end', () => this.scheduleReconnect());
        }
        private scheduleReconnect(): void {
          if (this.timer) return;
          this.timer = setTimeout(() => { this.timer = undefined; this.connect(); }, 1000);
        }
        stop(): void { clearTimeout(this.timer); this.client?.close(); }
      }`,
    files: { 'proto.ts': "import * as grpc from '@grpc/grpc-js';\nconst pkg = grpc.loadPackageDefinition({}) as any;\nexport const InventoryClient = pkg.inventory.v1.Inventory;\n" },
    errors: [{ line: 9, message: /is given a new gRPC client on line 9 while the one it holds may still be open/ }],
  },
  {
    name: "a Redis deduper whose seen() connects again while the client is not ready (`!this.client?.isReady`): redis v4 is open and reconnecting then, and the old client is dropped",
    code: deduper('!this.client?.isReady'),
    ext: '.js',
    errors: [{ line: 5, message: /^`this.client` is given a new Redis connection on line 5/ }],
  },
];

valid.push({
  name: 'the same deduper connecting only while it holds no client (`!this.client`): made once',
  code: deduper('!this.client'),
  ext: '.js',
});
