// unclosed-connection: connections kept in fields and replaced while the old one may still be open
// (a method run again by a timer or in a loop) or dropped from a collection without a close, beside the
// replacements and removals that close or lose nothing. A cache that evicts its least recently used
// entry when full (lru-cache without `dispose`, a project's own LRU map) drops open connections too.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const FOLLOWER_HEAD = `
      const { io } = require('socket.io-client');
      class Follower {
        constructor(url) { this.url = url; this.subs = new Map(); }
        follow(stream) {
          if (this.subs.has(stream)) return;
          const socket = io(this.url, { query: { stream } });
          const onLine = (line) => console.log(line);
          socket.on('line', onLine);
          socket.on('disconnect', () => this.subs.delete(stream));
          this.subs.set(stream, { socket, onLine });
        }
        close() {
          for (const { socket } of this.subs.values()) socket.disconnect();
          this.subs.clear();
        }`;

export const invalid: InvalidCase[] = [
  {
    name: 'an upstream Socket.IO client kept per stream in a Map, whose unfollow() only removes its listener and deletes the entry',
    code: FOLLOWER_HEAD + `
        unfollow(stream) {
          const sub = this.subs.get(stream);
          if (!sub) return;
          sub.socket.off('line', sub.onLine);
          this.subs.delete(stream);
        }
      }
      module.exports = { Follower };`,
    ext: '.js',
    errors: [{ line: 6, message: /is kept in `this.subs`, and the entry that holds it is deleted on line 20 by a method that does not close it/ }],
  },
  {
    name: 'a restart() that a health-check timer calls as well as the close listener: it may reconnect over an open connection',
    code: `
      const amqp = require('amqplib');
      class Fanout {
        constructor(url) { this.url = url; this.conn = null; }
        async start() {
          this.conn = await amqp.connect(this.url);
          this.conn.on('close', () => setTimeout(() => this.restart(), 2000));
        }
        async restart() { await this.start(); }
        watch() { setInterval(() => { if (this.lagging()) this.restart(); }, 10000); }
        lagging() { return false; }
        async close() { if (this.conn) await this.conn.close(); }
      }
      module.exports = { Fanout };`,
    ext: '.js',
    errors: [{ line: 5, message: /is given a new AMQP connection on line 5/ }],
  },
  {
    name: "a gateway's _reconnect() detaches the old WebSocket's listeners and connects again without closing it",
    code: `
      const WebSocket = require('ws');
      class Gateway {
        constructor(url) { this.url = url; this.ws = null; }
        connect() {
          const ws = new WebSocket(this.url);
          this.ws = ws;
          ws.on('message', (d) => this.onPacket(d));
          return this;
        }
        onPacket() {}
        _reconnect() {
          if (this.ws) this.ws.removeAllListeners();
          this.connect();
        }
        close() { if (this.ws) this.ws.close(); }
      }
      module.exports = { Gateway };`,
    ext: '.js',
    errors: [{ line: 5, message: /a reconnect, a retry, a move to another endpoint/ }],
  },
  {
    name: "a room's migrate() opens the relay to the new region over the old one",
    code: `
      const WebSocket = require('ws');
      class Room {
        constructor(urlFor) { this.urlFor = urlFor; this.upstream = null; this.region = 'eu'; }
        connectUpstream() {
          const ws = new WebSocket(this.urlFor(this.region));
          this.upstream = ws;
          ws.on('close', () => { if (this.upstream === ws) this.upstream = null; });
        }
        migrate(region) {
          if (region === this.region) return;
          this.region = region;
          this.connectUpstream();
        }
        dispose() { this.upstream?.close(); }
      }
      module.exports = { Room };`,
    ext: '.js',
    errors: [{ line: 5 }],
  },
  {
    name: 'a blocking Redis connection made again in the catch of a loop, the old one still open',
    code: `
      const { redis } = require('./redis');
      class Consumer {
        constructor(queues) { this.queues = queues; this.blocking = null; this.running = false; }
        connectBlocking() {
          this.blocking = redis.duplicate();
          this.blocking.on('error', () => {});
        }
        async start() {
          this.running = true;
          this.connectBlocking();
          while (this.running) {
            try {
              await this.blocking.blpop(...this.queues, 5);
            } catch (err) {
              this.connectBlocking();
              continue;
            }
          }
        }
        async stop() { this.running = false; await this.blocking.quit(); }
      }
      module.exports = { Consumer };`,
    files: { 'redis.js': `
      const Redis = require('ioredis');
      exports.redis = new Redis();` },
    ext: '.js',
    errors: [{ line: 5, messageId: 'overwrite' }],
  },
  {
    name: 'a socket put in the field through a local, made again by a drain timer while the old one is open',
    code: `
      import * as net from 'net';
      export class StatsdClient {
        private socket: net.Socket | null = null;
        private drainTimer: NodeJS.Timeout | null = null;
        constructor(private host: string, private port: number) {}
        connect(): void {
          const socket = net.connect({ host: this.host, port: this.port });
          socket.on('close', () => {
            if (this.socket === socket) this.socket = null;
          });
          this.socket = socket;
        }
        send(line: string): void {
          if (!this.socket || this.socket.write(line) || this.drainTimer) return;
          this.drainTimer = setTimeout(() => {
            this.drainTimer = null;
            this.connect();
          }, 5000);
        }
        close(): void { this.socket?.end(); }
      }`,
    errors: [{ line: 7, messageId: 'overwrite' }],
  },
  {
    name: 'Redis clients per tenant in an lru-cache without dispose: a full cache drops an open client',
    code: `
      import Redis from 'ioredis';
      import { LRUCache } from 'lru-cache';
      export class TenantRedis {
        private readonly clients = new LRUCache<string, Redis>({ max: 50 });
        get(tenant: string, url: string): Redis {
          let client = this.clients.get(tenant);
          if (!client) {
            client = new Redis(url);
            this.clients.set(tenant, client);
          }
          return client;
        }
        async closeAll(): Promise<void> {
          for (const c of this.clients.values()) await c.quit();
          this.clients.clear();
        }
      }`,
    errors: [{ line: 8, message: /is kept in `this.clients`, a cache that drops its least recently used entry when it is full \(stored on line 9\)/ }],
  },
  {
    name: "WebSockets per room in the project's own LRU map, whose set() deletes the oldest entry",
    code: `
      import WebSocket from 'ws';
      import { LruMap } from './lru';
      export class Feeds {
        private readonly feeds: LruMap<string, WebSocket>;
        constructor(max = 16) { this.feeds = new LruMap(max); }
        open(room: string): WebSocket {
          const ws = new WebSocket('wss://feeds.example.com/' + room);
          this.feeds.set(room, ws);
          return ws;
        }
        close(): void {
          for (const ws of this.feeds.values()) ws.close();
        }
      }`,
    files: { 'lru.ts': `
      export class LruMap<K, V> {
        private readonly map = new Map<K, V>();
        constructor(private readonly maxSize: number) {}
        values(): IterableIterator<V> { return this.map.values(); }
        set(key: K, value: V): this {
          if (this.map.has(key)) this.map.delete(key);
          this.map.set(key, value);
          while (this.map.size > this.maxSize) this.map.delete(this.map.keys().next().value as K);
          return this;
        }
      }` },
    errors: [{ line: 7, messageId: 'cacheEvicts' }],
  },
  {
    name: "a watchdog recreates an MQTT client through the class's own factory while the old one, disconnected, still retries",
    code: `
      import mqtt, { MqttClient } from 'mqtt';
      export class SiteLink {
        private client?: MqttClient;
        constructor(private url: string) {}
        start(): void {
          this.client = this.createClient();
          setInterval(() => this.checkStale(), 30_000);
        }
        private createClient(): MqttClient {
          const client = mqtt.connect(this.url, { reconnectPeriod: 5_000 });
          client.on('error', () => {});
          return client;
        }
        private checkStale(): void {
          if (!this.client || this.client.connected) return;
          this.client.removeAllListeners();
          this.client = this.createClient();
        }
        async stop(): Promise<void> {
          await this.client?.endAsync();
        }
      }`,
    errors: [{ line: 10, messageId: 'overwrite' }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "an lru-cache whose dispose() quits the client it evicts",
    code: `
      import Redis from 'ioredis';
      import { LRUCache } from 'lru-cache';
      export class TenantRedis {
        private readonly clients = new LRUCache<string, Redis>({ max: 50, dispose: (c) => { c.quit(); } });
        get(tenant: string, url: string): Redis {
          let client = this.clients.get(tenant);
          if (!client) {
            client = new Redis(url);
            this.clients.set(tenant, client);
          }
          return client;
        }
        async closeAll(): Promise<void> {
          for (const c of this.clients.values()) await c.quit();
          this.clients.clear();
        }
      }`,
  },
  {
    name: "a project LRU map that hands what it evicts to an onEvict callback",
    code: `
      import WebSocket from 'ws';
      import { LruMap } from './lru';
      export class Feeds {
        private readonly feeds = new LruMap<string, WebSocket>(16, (ws) => ws.close());
        open(room: string): WebSocket {
          const ws = new WebSocket('wss://feeds.example.com/' + room);
          this.feeds.set(room, ws);
          return ws;
        }
        close(): void {
          for (const ws of this.feeds.values()) ws.close();
        }
      }`,
    files: { 'lru.ts': `
      export class LruMap<K, V> {
        private readonly map = new Map<K, V>();
        constructor(private readonly maxSize: number, private readonly onEvict: (v: V) => void) {}
        values(): IterableIterator<V> { return this.map.values(); }
        set(key: K, value: V): this {
          this.map.set(key, value);
          while (this.map.size > this.maxSize) {
            const k = this.map.keys().next().value as K;
            this.onEvict(this.map.get(k)!);
            this.map.delete(k);
          }
          return this;
        }
      }` },
  },
  {
    name: 'a plain Map of clients per tenant never evicts: nothing is dropped',
    code: `
      import Redis from 'ioredis';
      export class TenantRedis {
        private readonly clients = new Map<string, Redis>();
        get(tenant: string, url: string): Redis {
          let client = this.clients.get(tenant);
          if (!client) {
            client = new Redis(url);
            this.clients.set(tenant, client);
          }
          return client;
        }
        async closeAll(): Promise<void> {
          for (const c of this.clients.values()) await c.quit();
          this.clients.clear();
        }
      }`,
  },
  {
    name: 'an upstream Socket.IO client kept per stream, disconnected by unfollow() before its entry is deleted',
    code: FOLLOWER_HEAD + `
        unfollow(stream) {
          const sub = this.subs.get(stream);
          if (!sub) return;
          sub.socket.disconnect();
          this.subs.delete(stream);
        }
      }
      module.exports = { Follower };`,
    ext: '.js',
  },
  {
    name: 'an entry taken out of the Map and handed to the caller, who closes it',
    code: FOLLOWER_HEAD + `
        take(stream) {
          const sub = this.subs.get(stream);
          this.subs.delete(stream);
          return sub;
        }
      }
      module.exports = { Follower };`,
    ext: '.js',
  },
  {
    name: 'a restart() that only the connection\'s close listener schedules: the old connection is gone when it reconnects',
    code: `
      const amqp = require('amqplib');
      class Fanout {
        constructor(url) { this.url = url; this.conn = null; this.closing = false; }
        async start() {
          this.conn = await amqp.connect(this.url);
          this.conn.on('error', (err) => console.warn(err.message));
          this.conn.on('close', () => { if (!this.closing) setTimeout(() => this.restart(), 2000); });
          this.channel = await this.conn.createChannel();
        }
        async restart() {
          try { await this.start(); } catch (err) { setTimeout(() => this.restart(), 5000); }
        }
        async close() { this.closing = true; if (this.conn) await this.conn.close(); }
      }
      module.exports = { Fanout };`,
    ext: '.js',
  },
  {
    name: "a _reconnect() that closes the old WebSocket when it holds one before connecting again",
    code: `
      const WebSocket = require('ws');
      class Gateway {
        constructor(url) { this.url = url; this.ws = null; }
        connect() {
          const ws = new WebSocket(this.url);
          this.ws = ws;
          ws.on('message', (d) => this.onPacket(d));
        }
        onPacket() {}
        _reconnect() {
          if (this.ws) {
            this.ws.removeAllListeners();
            this.ws.terminate();
          }
          this.connect();
        }
        close() { if (this.ws) this.ws.close(); }
      }
      module.exports = { Gateway };`,
    ext: '.js',
  },
  {
    name: 'a reconnect scheduled from the close listener and again from its own failed retry: the old socket is gone both times',
    code: `
      import { WebSocket } from 'ws';
      export class Relay {
        ws: WebSocket | null = null;
        closed = false;
        attempt = 0;
        constructor(private url: string) {}
        async start() {
          this.ws = await this.connect();
          this.attempt = 0;
        }
        connect(): Promise<WebSocket> {
          return new Promise((resolve, reject) => {
            const ws = new WebSocket(this.url);
            ws.once('open', () => {
              ws.on('close', () => this.scheduleReconnect());
              resolve(ws);
            });
            ws.once('error', (err) => { ws.terminate(); reject(err); });
          });
        }
        scheduleReconnect() {
          if (this.closed) return;
          setTimeout(() => {
            this.start().catch(() => this.scheduleReconnect());
          }, 500 * 2 ** this.attempt++);
        }
        close() { this.closed = true; this.ws?.close(); }
      }`,
  },
  {
    name: 'a connection made again in a loop after the old one is closed',
    code: `
      import Redis from 'ioredis';
      export class Consumer {
        private blocking: Redis | null = null;
        private running = false;
        connectBlocking(): void { this.blocking = new Redis(); }
        async start(queue: string): Promise<void> {
          this.running = true;
          this.connectBlocking();
          while (this.running) {
            try {
              await this.blocking!.blpop(queue, 5);
            } catch {
              this.blocking!.disconnect();
              this.connectBlocking();
            }
          }
        }
        stop(): void { this.running = false; this.blocking?.disconnect(); }
      }`,
  },
  {
    name: 'a reconnect timer set by a method that only the close listener calls: the old socket is gone',
    code: `
      import * as net from 'net';
      export class Link {
        private socket: net.Socket | null = null;
        private stopped = true;
        constructor(private host: string, private port: number) {}
        start(): void { this.stopped = false; this.connect(); }
        private connect(): void {
          const socket = net.connect({ host: this.host, port: this.port });
          this.socket = socket;
          socket.on('close', () => {
            if (this.socket === socket) this.socket = null;
            if (!this.stopped) this.scheduleReconnect();
          });
        }
        private scheduleReconnect(): void {
          setTimeout(() => this.connect(), 1000);
        }
        stop(): void { this.stopped = true; this.socket?.end(); }
      }`,
  },
  {
    name: "a timer makes an MQTT client only while the field holds none",
    code: `
      import mqtt, { MqttClient } from 'mqtt';
      export class SiteLink {
        private client?: MqttClient;
        constructor(private url: string) {
          setInterval(() => this.ensure(), 30_000);
        }
        private ensure(): void {
          if (this.client) return;
          this.client = mqtt.connect(this.url);
        }
        async stop(): Promise<void> {
          await this.client?.endAsync();
        }
      }`,
  },
];
