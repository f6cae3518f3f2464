// unclosed-connection: a field given a new connection (or pool: an mssql pool its own 'error' listener replaces) while
// the one it holds is still open, in the shapes
// reconnect and retry code takes besides a method named so: a store that reconnects in the catch of a failed
// operation, over a client that reconnects by itself; a heartbeat that replaces a socket that is still open
// (`readyState !== WebSocket.OPEN` returns); a watchdog interval written in start(); a reconnect scheduled by such
// a client's own 'error' (it goes on reconnecting), or by the 'error' of a change stream its client made, through a
// private method; a retry on a new client after the method used the old one; a reconnect from the callback of the
// connection's own slow ping; a socket's idle 'timeout' that reconnects, the socket made on either branch of a const;
// a method that moves a client the constructor opened to another server; a method named for a change of servers
// (`useServers(list)`) that starts the client again; a start() that a status watcher (an async function called in
// place) runs again to fail over. Each beside the same code closing the old connection first (or after, through a
// copy saved before).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A bridge to an mssql server whose pool's 'error' listener runs `onError`; the pool is kept by `keep`. */
const licensing = (onError: string, keep = 'this.pool = await pool.connect();') => `
      import sql from 'mssql';
      export class LegacyLicensing {
        private pool: sql.ConnectionPool | null = null;
        constructor(private readonly cfg: sql.config) {}
        async connect(): Promise<sql.ConnectionPool> {
          const pool = new sql.ConnectionPool(this.cfg);
          pool.on('error', (err) => {
            ${onError}
          });
          ${keep}
          return this.pool!;
        }
        async licenceFor(id: string) {
          const pool = this.pool ?? (await this.connect());
          return (await pool.request().input('id', id).query('SELECT 1 AS ok')).recordset[0];
        }
        async close(): Promise<void> { await this.pool?.close(); this.pool = null; }
      }`;

/** A store whose operations retry once after a network error, calling connect() from the catch; `recover` runs before it. */
function retryingStore(recover: string, attempt = 'return await operation();'): string {
  return `
      import { MongoClient, MongoNetworkError } from 'mongodb';
      export class OrderStore {
        private client: MongoClient | null = null;
        constructor(private readonly uri: string) {}
        async connect(): Promise<void> {
          this.client = new MongoClient(this.uri);
          await this.client.connect();
        }
        private async withRetry<T>(operation: () => Promise<T>): Promise<T> {
          try {
            ${attempt}
          } catch (err) {
            if (!(err instanceof MongoNetworkError)) throw err;
${recover}
            await this.connect();
            return operation();
          }
        }
        find(id: string) { return this.withRetry(() => this.client!.db().collection('orders').findOne({ id })); }
        async close(): Promise<void> { await this.client?.close(); this.client = null; }
      }`;
}

/** A link whose heartbeat interval reconnects when a ping went unanswered; `guard` is the heartbeat's first line. */
function heartbeatLink(guard: string): string {
  return `
      import WebSocket from 'ws';
      export class EngineLink {
        private ws!: WebSocket;
        private alive = false;
        private readonly heartbeat: NodeJS.Timeout;
        constructor(private readonly url: string) {
          this.connect();
          this.heartbeat = setInterval(() => this.checkAlive(), 15000);
        }
        private connect(): void {
          this.ws = new WebSocket(this.url);
          this.alive = true;
          this.ws.on('pong', () => { this.alive = true; });
          this.ws.on('close', () => setTimeout(() => this.connect(), 1000));
        }
        private checkAlive(): void {
          ${guard}
          if (!this.alive) { this.connect(); return; }
          this.alive = false;
          this.ws.ping();
        }
        close(): void { clearInterval(this.heartbeat); this.ws.close(); }
      }`;
}

/** A bridge whose start() runs a watchdog interval that reopens the session when acknowledgements stall; `reopen` is its body. */
function ackWatchdog(reopen: string): string {
  return `
      import { connect, type MqttClient } from 'mqtt';
      export class TelemetryBridge {
        private client: MqttClient;
        private lastAckAt = Date.now();
        private watchdog?: NodeJS.Timeout;
        constructor(private readonly url: string) {
          this.client = this.open();
        }
        private open(): MqttClient {
          const client = connect(this.url, { reconnectPeriod: 2000 });
          client.on('message', () => { this.lastAckAt = Date.now(); });
          return client;
        }
        start(): void {
          this.watchdog = setInterval(() => {
            if (Date.now() - this.lastAckAt < 90000) return;
            this.lastAckAt = Date.now();
${reopen}
          }, 15000);
        }
        async close(): Promise<void> {
          clearInterval(this.watchdog);
          await this.client.endAsync();
        }
      }`;
}

/** A node-redis subscriber whose own 'error' listener schedules start() again; `onError` runs first in the listener. */
function redisSubscriber(onError: string): string {
  return `
      import { createClient } from 'redis';
      const redis = createClient({ url: process.env.REDIS_URL });
      export class DoorEvents {
        private sub: ReturnType<typeof redis.duplicate> | null = null;
        private stopping = false;
        async start(): Promise<void> {
          const sub = redis.duplicate();
          sub.on('error', () => {
${onError}
            if (this.stopping) return;
            setTimeout(() => { this.start().catch(() => {}); }, 2000);
          });
          await sub.connect();
          await sub.pSubscribe('door:*', (message) => console.log(message));
          this.sub = sub;
        }
        async stop(): Promise<void> {
          this.stopping = true;
          await this.sub?.quit();
          this.sub = null;
        }
      }`;
}

/** A change-data-capture watcher whose streams' 'error' runs a private #recover(); `close` runs in it before #connect(). */
function changeWatcher(close: string): string {
  return `
      import { MongoClient } from 'mongodb';
      export class CdcWatcher {
        #client = null;
        #streams = [];
        constructor(uri, names) { this.uri = uri; this.names = names; }
        async start() { await this.#connect(); }
        async #connect() {
          this.#client = new MongoClient(this.uri);
          await this.#client.connect();
          const db = this.#client.db();
          this.#streams = this.names.map((name) => {
            const stream = db.collection(name).watch();
            stream.on('error', (err) => { this.#recover(err).catch(() => {}); });
            return stream;
          });
        }
        async #recover(err) {
          await Promise.allSettled(this.#streams.map((s) => s.close()));
${close}
          await this.#connect();
        }
        async stop() {
          await Promise.allSettled(this.#streams.map((s) => s.close()));
          await this.#client?.close();
        }
      }`;
}

/** A gate controller whose open() publishes, waits for an ack and, without one, retries on a new client set up by attach(); `before` runs before that. */
function gateController(before: string): string {
  return `
      import mqtt, { type MqttClient } from 'mqtt';
      export class GateController {
        private client: MqttClient;
        constructor(private readonly url: string) {
          this.client = this.attach(mqtt.connect(url));
        }
        private attach(client: MqttClient): MqttClient {
          client.on('error', (err) => console.error('mqtt', err.message));
          return client;
        }
        async open(gateId: string, acked: () => Promise<boolean>): Promise<boolean> {
          await this.client.publishAsync('gates/' + gateId + '/cmd', 'open', { qos: 1 });
          if (await acked()) return true;
${before}
          this.client = this.attach(mqtt.connect(this.url));
          await this.client.publishAsync('gates/' + gateId + '/cmd', 'open', { qos: 1 });
          return acked();
        }
        async close(): Promise<void> { await this.client.endAsync(); }
      }`;
}

/** An upstream monitor whose interval pings the session and calls connect() again from the ping's callback under `when`. */
function pingMonitor(when: string): string {
  return `
      const http2 = require('node:http2');
      class UpstreamMonitor {
        constructor(origin, maxRttMs = 400) { this.origin = origin; this.maxRttMs = maxRttMs; this.session = null; }
        start() {
          this.connect();
          this.timer = setInterval(() => this.check(), 15000);
        }
        connect() {
          this.session = http2.connect(this.origin);
          this.session.on('error', () => {});
        }
        check() {
          if (!this.session || this.session.destroyed) { this.connect(); return; }
          this.session.ping((err, rtt) => {
            const ok = !err && rtt <= this.maxRttMs;
            if (${when}) this.connect();
          });
        }
        stop() { clearInterval(this.timer); if (this.session) this.session.close(); }
      }
      module.exports = { UpstreamMonitor };`;
}

/** A syslog client whose socket's idle 'timeout' reconnects; the socket is TLS or plain TCP on either branch; `onIdle` runs first. */
function syslogClient(onIdle: string): string {
  return `
      const net = require('node:net');
      const tls = require('node:tls');
      class SyslogClient {
        constructor(opts) { this.opts = opts; this.socket = null; }
        start() { this._connect(); return this; }
        _connect() {
          const { host, port, secure } = this.opts;
          const socket = secure ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
          socket.setTimeout(30000);
          socket.on('timeout', () => {
${onIdle}
            this._connect();
          });
          socket.on('error', () => {});
          this.socket = socket;
        }
        close() { this.socket?.end(); }
      }
      module.exports = { SyslogClient };`;
}

/** A subscriber the constructor opens through its own `open()`; `move` is the body of `moveTo(url)` after its guard. */
const SUBSCRIBER = (move: string) => `
      import Redis from 'ioredis';
      export class ResilientSubscriber {
        private client: Redis;
        private current: string;
        constructor(private readonly channels: string[], initialUrl: string) {
          this.current = initialUrl;
          this.client = this.open(initialUrl);
        }
        private open(url: string): Redis {
          const client = new Redis(url, { maxRetriesPerRequest: null });
          client.subscribe(...this.channels).catch(() => undefined);
          return client;
        }
        moveTo(url: string): void {
          if (url === this.current) return;
          this.current = url;
          ${move}
        }
        async close(): Promise<void> {
          await this.client.quit();
        }
      }`;

/** NATS edge statistics whose useServers() starts again on new servers; `before` runs first in it. */
const edgeStats = (before: string) => `
      import { connect } from 'nats';
      export class EdgeStats {
        constructor(servers) { this.servers = servers; this.nc = null; }
        async start(servers = this.servers) {
          this.servers = servers;
          this.nc = await connect({ servers, name: 'edge-stats' });
          this.nc.subscribe('edge.stats.*', { callback: () => {} });
          return this;
        }
        async useServers(servers) {
${before}          await this.start(servers);
        }
        async stop() {
          if (this.nc) await this.nc.drain();
          this.nc = null;
        }
      }`;

/** A NATS presence feed whose status watcher (an async function run in place) moves to a fallback cluster; `move` does that. */
const PRESENCE = (move: string) => `
      import { connect } from 'nats';
      export class Presence {
        constructor(fallback) { this.nc = null; this.fallback = fallback; this.failedOver = false; }
        async start(servers) {
          this.nc = await connect({ servers, maxReconnectAttempts: -1 });
          this.watch(this.nc);
        }
        watch(nc) {
          (async () => {
            let attempts = 0;
            for await (const status of nc.status()) {
              if (status.type === 'reconnecting') attempts++;
              if (attempts >= 5 && !this.failedOver) {
                this.failedOver = true;${move}
                return;
              }
            }
          })().catch((err) => console.error(err));
        }
        async stop() { await this.nc?.drain(); }
      }`;

export const valid: ValidCase[] = [
  {
    name: 'the same watcher closing the unreachable connection before it moves to the fallback cluster',
    ext: '.js',
    code: PRESENCE(`
                await this.nc.close();
                await this.start(this.fallback);`),
  },
  {
    name: 'a move to other NATS servers that stops the client first',
    ext: '.js',
    code: edgeStats('          await this.stop();\n'),
  },
  {
    name: 'a move to another server that saves the old client, replaces it and then quits the saved one',
    code: SUBSCRIBER(`const previous = this.client;
          this.client = this.open(url);
          previous.quit().catch(() => undefined);`),
  },
  {
    name: "a syslog client whose idle 'timeout' destroys the stalled socket before connecting again",
    code: syslogClient('            socket.destroy();'),
    ext: '.js',
  },
  {
    name: "an upstream monitor that reconnects from its ping's callback only when the ping failed (the session is going away)",
    code: pingMonitor('err'),
    ext: '.js',
  },
  {
    name: "a gate controller that ends the silent client before retrying on a new one",
    code: gateController('          await this.client.endAsync(true);'),
  },
  {
    name: "a node-redis subscriber whose 'error' listener quits it before scheduling a new one",
    code: redisSubscriber('            void sub.quit().catch(() => {});'),
  },
  {
    name: "a change-stream watcher whose #recover() closes the client before connecting a new one",
    code: changeWatcher('          await this.#client?.close();'),
    ext: '.mjs',
  },
  {
    name: "a watchdog interval that ends the stalled MQTT client before it reopens the session",
    code: ackWatchdog('            this.client.end(true);\n            this.client = this.open();'),
  },
  {
    name: "a heartbeat that reconnects only once the socket it holds is closed (`readyState !== WebSocket.CLOSED` returns)",
    code: heartbeatLink('if (this.ws.readyState !== WebSocket.CLOSED) return;'),
  },
  {
    name: 'a store that closes the client it holds before reconnecting in the catch of a failed operation',
    code: retryingStore('            await this.client?.close().catch(() => {});'),
  },
  {
    name: "a store that retries its own failed connect() in the catch: that attempt's client never opened",
    code: retryingStore('', 'await this.connect(); return await operation();'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a start() that a status watcher (an async function called in place) runs again on failover: the old connection keeps reconnecting",
    ext: '.js',
    code: PRESENCE(`
                await this.start(this.fallback);`),
    errors: [{ line: 5, message: /`this\.nc` is given a new NATS connection on line 5 while the one it holds may still be open/ }],
  },
  {
    name: 'a move to other NATS servers (`useServers`) that starts again over the open client',
    ext: '.js',
    code: edgeStats(''),
    errors: [{ line: 6, messageId: 'overwrite' }],
  },
  {
    name: 'a move to another server that replaces the client the constructor opened without quitting it',
    code: SUBSCRIBER('this.client = this.open(url);'),
    errors: [{ line: 10, message: /`this.client` is given a new Redis connection on line 17 while the one it holds may still be open/ }],
  },
  {
    name: "a syslog client whose idle 'timeout' (which closes nothing) connects a new socket, TLS or TCP on either branch of a const, over the open one",
    code: syslogClient(''),
    ext: '.js',
    errors: [{ line: 8, messageId: 'overwrite' }],
  },
  {
    name: "an upstream monitor that reconnects from its ping's callback when the ping is slow, over the session that answered",
    code: pingMonitor('!ok'),
    ext: '.js',
    errors: [{ line: 9, messageId: 'overwrite' }],
  },
  {
    name: "a gate controller that publishes on its client, then retries on a new one set up by a method that returns it: the old one was open, and keeps reconnecting",
    code: gateController(''),
    errors: [{ line: 15, message: /^`this\.client` is given a new MQTT client on line 15 while the one it holds may still be open/ }],
  },
  {
    name: "a node-redis subscriber whose own 'error' listener schedules a new one: the client reports a dropped connection and goes on reconnecting",
    code: redisSubscriber(''),
    errors: [{ line: 7, messageId: 'overwrite' }],
  },
  {
    name: "a change-stream watcher whose private #recover(), run by a stream's 'error', connects a new client over the open one",
    code: changeWatcher(''),
    ext: '.mjs',
    errors: [{ line: 8, messageId: 'overwrite' }],
  },
  {
    name: "a watchdog interval written in start() that reopens the session over the stalled MQTT client, which keeps reconnecting",
    code: ackWatchdog('            this.client = this.open();'),
    errors: [{ line: 10, message: /^`this\.client` is given a new MQTT client on line 18 while the one it holds may still be open/ }],
  },
  {
    name: "a heartbeat that reconnects on a missed pong while the socket is open (`readyState !== WebSocket.OPEN` returns): the silent one stays open",
    code: heartbeatLink('if (this.ws.readyState !== WebSocket.OPEN) return;'),
    errors: [{ line: 11, messageId: 'overwrite' }],
  },
  {
    name: 'a MongoDB store that reconnects in the catch of a failed operation: the client it holds reconnects by itself and stays open',
    code: retryingStore(''),
    errors: [{ line: 6, message: /^`this.client` is given a new MongoDB client on line 6 while the one it holds may still be open/ }],
  },
  {
    name: "an mssql pool field given a new pool by its own 'error' listener (`this.pool = await pool.connect()`): a pool's 'error' reports one failed connection, and the old pool stays open",
    code: licensing("console.warn(err.message);\n            this.connect().catch(() => undefined);"),
    errors: [{ line: 6, message: /^`this.pool` is given a new connection pool on line 6 while the one it holds may still be open/ }],
  },
];

valid.push({
  name: "the same pool field when the 'error' listener only logs: a pool kept in a field for good and closed by close()",
  code: licensing('console.warn(err.message);'),
}, {
  name: "the same reconnect from the 'error' listener when it closes the old pool first",
  code: licensing("console.warn(err.message);\n            void pool.close().finally(() => this.connect().catch(() => undefined));"),
});

/** Still telemetry over UDP; `rebind(port)` binds a new socket after `before`. */
const TELEMETRY = (before: string) => `
      import dgram from 'node:dgram';
      export class StillTelemetry {
        private socket: dgram.Socket | null = null;
        start(port: number): void { this.bind(port); }
        rebind(port: number): void {
          ${before}
          this.bind(port);
        }
        stop(): void { this.socket?.close(); this.socket = null; }
        private bind(port: number): void {
          const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
          socket.on('message', (buf) => console.log(buf.length));
          socket.bind(port);
          this.socket = socket;
        }
      }`;

invalid.push({
  name: 'a UDP socket bound again by rebind(port) while the one the field holds is still bound: it keeps its port and its messages',
  code: TELEMETRY(''),
  errors: [{ line: 11, message: /`this.socket` is given a new UDP socket on line 11 while the one it holds may still be open/ }],
});

valid.push({
  name: 'the same rebind(port) that stops the bound socket first',
  code: TELEMETRY('this.stop();'),
});
