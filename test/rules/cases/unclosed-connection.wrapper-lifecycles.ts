// unclosed-connection: project classes that own a connection, by how they are opened, named and
// released: connect() returning the instance, start()/stop() services, a release method of their own
// (`handleShutdown`), a class exported under another name or from JavaScript with hand-written typings,
// a static factory that returns a new instance around the connection it made, and a constructor that calls
// the class's own connect().
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** Project classes shared by the valid and invalid cases (each case writes them as its own files). */
const GATEWAY_JS = `
      const WebSocket = require('ws');
      class GatewayConnection {
        constructor(url) { this.url = url; this.ws = null; }
        connect() {
          this.ws = new WebSocket(this.url);
          this.ws.on('message', (d) => this.onPacket(d));
          return this;
        }
        onPacket() {}
        close() { this.ws?.close(); }
      }
      module.exports = { GatewayConnection };`;

const ENGINE_JS = `
      'use strict';
      const IoRedis = require('ioredis');
      exports.Engine = class RedisEngine {
        constructor(options = {}) { this.settings = options; }
        async start() {
          if (this.client) return;
          const client = this._connection(this.settings);
          await client.connect();
          this.client = client;
        }
        _connection(options) { return new IoRedis({ ...options, lazyConnect: true }); }
        async stop() {
          if (!this.client) return;
          try { await this.client.disconnect(); } finally { this.client = null; }
        }
      };`;

/** A class whose static factory makes the socket and hands it to its private constructor. */
const STORE_CLIENT_TS = `
      import * as tls from 'node:tls';
      import { once } from 'node:events';
      export class StoreClient {
        private constructor(private readonly socket: tls.TLSSocket) {}
        static async connect(host: string, port: number): Promise<StoreClient> {
          const socket = tls.connect({ host, port, servername: host });
          try {
            await once(socket, 'secureConnect');
            return new StoreClient(socket);
          } catch (err) {
            socket.destroy();
            throw err;
          }
        }
        async put(name: string): Promise<void> { this.socket.write(name); }
        close(): void { this.socket.end(); }
      }`;

const REDIS_CACHE_ADAPTER = `
      import { createClient } from 'redis';
      export class RedisCacheAdapter {
        private client: ReturnType<typeof createClient>;
        constructor(url?: string) { this.client = createClient({ url }); }
        async connect() { if (this.client.isOpen) return; await this.client.connect(); }
        async handleShutdown() { await this.client.quit(); }
        get(key: string) { return this.client.get(key); }
      }`;

const TYPED_ENGINE_JS = `
      'use strict';
      const IoRedis = require('ioredis');
      exports.Engine = class RedisEngine {
        constructor(options = {}) { this.settings = options; }
        async start() {
          const client = new IoRedis({ ...this.settings, lazyConnect: true });
          client.on('error', () => { if (!this.client) client.disconnect(); });
          await client.connect();
          this.client = client;
        }
        async stop() { await this.client.quit(); this.client = null; }
      };`;

const ENGINE_TYPINGS = `
      export interface Options { host?: string; port?: number }
      export class Engine {
        constructor(options?: Options);
        start(): Promise<void>;
        stop(): Promise<void>;
      }`;

/**
 * A suite of REDIS_CACHE_ADAPTER whose `beforeEach` makes the adapter on line 5 and then runs `then`
 * (statements of the hook), followed by the suite's `rest` (other hooks and tests); `cache` is of `type`.
 */
function cacheSuite(then: string[], rest: string[], type = 'RedisCacheAdapter'): string {
  const lines = [
    '', "import { RedisCacheAdapter } from '../cache';", "describe('cache', () => {", `  let cache: ${type};`,
    '  beforeEach(async () => {', "    cache = new RedisCacheAdapter('redis://localhost:6379');", ...then.map((l) => '    ' + l), '  });',
    ...rest.map((l) => '  ' + l), '});',
  ];
  return lines.map((l) => (l ? '      ' + l : l)).join('\n');
}

/** A project SMTP server started per configuration through `start(callback)`; `onStarted` runs once it has started. */
function smtpProxies(onStarted: string): string {
  return `
      const net = require('net');
      class SMTPProxy {
        constructor(key, options) { this.key = key; this.options = options; this.server = null; }
        start(done) {
          this.server = net.createServer((socket) => socket.end('220 ready\\r\\n'));
          this.server.once('error', done);
          this.server.listen(this.options.port, () => done());
        }
        close(done) { this.server.close(done); }
      }
      function startInterfaces(configs, done) {
        const started = [];
        let pos = 0;
        const next = () => {
          if (pos >= configs.length) return done(null, started);
          const proxy = new SMTPProxy(pos, configs[pos++]);
          proxy.start((err) => {
            if (err) return done(err);
${onStarted}
            return next();
          });
        };
        next();
      }
      module.exports = { startInterfaces };`;
}

const CDP_SESSION_JS = `
      'use strict';
      const WebSocket = require('ws');
      const { once } = require('events');
      class CdpSession {
        constructor(ws) { this.ws = ws; this.nextId = 1; }
        static async connect(url) {
          const ws = new WebSocket(url);
          await once(ws, 'open');
          return new CdpSession(ws);
        }
        send(method, params) { this.ws.send(JSON.stringify({ id: this.nextId++, method, params })); return Promise.resolve(); }
        close() { this.ws.close(); }
      }`;

export const valid: ValidCase[] = [
  {
    name: 'a wrapper a hook connects after replacing its methods with stubs: a test double, not a connection',
    code: cacheSuite(
      ['cache.client = { connect: jest.fn(), quit: jest.fn(), get: jest.fn() };', 'cache.connect = jest.fn(() => Promise.resolve());', 'return cache.connect();'],
      ["it('is made', () => expect(cache).toBeDefined());"], 'any'),
    files: { 'cache.ts': REDIS_CACHE_ADAPTER },
    file: 'test/cache-stubbed.test.ts',
  },
  {
    name: 'a wrapper connected before each test and shut down after each with its own release method',
    code: cacheSuite(['await cache.connect();'],
      ['afterEach(() => cache.handleShutdown());', "it('misses', async () => expect(await cache.get('nope')).toBeNull());"]),
    files: { 'cache.ts': REDIS_CACHE_ADAPTER },
    file: 'test/cache-closed.test.ts',
  },
  {
    name: 'a wrapper a hook makes but never connects: it holds nothing',
    code: cacheSuite([], ["it('is made', () => expect(cache).toBeDefined());"]),
    files: { 'cache.ts': REDIS_CACHE_ADAPTER },
    file: 'test/cache-unopened.test.ts',
  },
  {
    name: 'a client made by its static connect() and closed in finally',
    code: `
      import { StoreClient } from './store';
      export async function upload(names: string[]) {
        const store = await StoreClient.connect('store', 4433);
        try {
          for (const n of names) await store.put(n);
        } finally {
          store.close();
        }
      }`,
    files: { 'store.ts': STORE_CLIENT_TS },
  },
  {
    name: 'a wrapper whose connect() returns the instance, kept by a hook through the chained call',
    code: `
      import { ArchiveStore } from '../store';
      let store: ArchiveStore;
      beforeAll(async () => {
        store = await new ArchiveStore('mongodb://127.0.0.1:27017').connect();
      });
      afterAll(async () => {
        await store.close();
      });
      it('opens', () => expect(store).toBeDefined());`,
    files: { 'store.ts': `
      import { MongoClient } from 'mongodb';
      export class ArchiveStore {
        private client: MongoClient;
        constructor(uri: string) { this.client = new MongoClient(uri); }
        async connect(): Promise<this> {
          await this.client.connect();
          return this;
        }
        async close(): Promise<void> { await this.client.close(); }
      }` },
    file: 'test/archive.test.ts',
  },
  {
    name: 'a wrapper per shard handed on through connect(), which returns the instance',
    code: `
      const { GatewayConnection } = require('./gateway');
      const shards = [];
      function start(count) {
        for (let i = 0; i < count; i++) {
          const shard = new GatewayConnection('wss://gateway.example/?shard=' + i);
          shard.onPacket = () => {};
          shards.push(shard.connect());
        }
      }
      module.exports = { start, stop: () => shards.forEach((s) => s.close()) };`,
    files: { 'gateway.js': GATEWAY_JS },
    ext: '.js',
  },
  {
    name: 'a test that stops the engine it started',
    code: `
      'use strict';
      const { Engine: Cache } = require('../lib');
      it('starts', async () => {
        const cache = new Cache({ port: 6379 });
        await cache.start();
        await cache.stop();
      });`,
    files: { 'lib.js': ENGINE_JS },
    ext: '.js',
    file: 'test/start2.test.js',
  },
  {
    name: "a service the script's main() starts: it runs until the process ends",
    code: `
      import Redis from 'ioredis';
      class Worker {
        private client?: Redis;
        async start() { this.client = new Redis(); this.client.on('message', () => undefined); }
        async stop() { await this.client?.quit(); }
      }
      async function main() {
        const w = new Worker();
        await w.start();
        console.log('worker started');
      }
      main().catch((e) => { console.error(e); process.exit(1); });`,
  },
  {
    name: "a handle a factory returns, started by the script's main(): the server it owns runs until the process ends",
    code: `
      import { createServer } from 'node:http';
      function buildApp() {
        const server = createServer((req, res) => res.end('ok'));
        return {
          start: (port: number) => new Promise<void>((resolve) => server.listen(port, () => resolve())),
          stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
        };
      }
      async function main() {
        const app = buildApp();
        await app.start(4000);
      }
      main().catch((e) => { console.error(e); process.exit(1); });`,
  },
  {
    name: 'a cache adapter shut down with its own handleShutdown() at the end of the test',
    code: `
      import { RedisCacheAdapter } from '../cache';
      it('gets', async () => {
        const cache = new RedisCacheAdapter('redis://localhost:6379');
        await cache.connect();
        try {
          await cache.get('k');
        } finally {
          await cache.handleShutdown();
        }
      });`,
    files: { 'cache.ts': REDIS_CACHE_ADAPTER },
    file: 'spec/cache2.spec.ts',
  },
  {
    name: "a test that expects the engine's start() to reject: in a passing run nothing opened",
    code: `
      'use strict';
      const { Engine } = require('../lib');
      const { expect } = require('@hapi/code');
      it('fails on a closed port', async () => {
        const redis = new Engine({ port: 6380 });
        await expect(redis.start()).to.reject();
      });
      it('fails on a closed port (node:assert)', async () => {
        const redis = new Engine({ port: 6380 });
        await require('node:assert').rejects(redis.start());
      });`,
    files: { 'lib/index.js': TYPED_ENGINE_JS, 'lib/index.d.ts': ENGINE_TYPINGS, 'package.json': '{ "name": "engine", "main": "lib/index.js", "types": "lib/index.d.ts" }' },
    ext: '.js',
    file: 'test/engine2.test.js',
  },
  {
    name: "a project server whose start(callback) failed: where the callback's error is set, nothing was opened",
    code: smtpProxies(`            started.push(proxy);`),
    ext: '.js',
  },
  {
    name: 'the same factory-made session closed in finally',
    code: `${CDP_SESSION_JS}
      async function render(url) {
        const cdp = await CdpSession.connect(url);
        try {
          await cdp.send('Page.navigate', { url });
        } finally {
          cdp.close();
        }
      }
      module.exports = { render };`,
    ext: '.js',
  },
  {
    name: "a test helper class whose constructor connects and registers the instance for the suite's afterEach to stop: the registry owns it",
    code: `
      import { createServer, Server } from 'node:net';
      let created: MockServer[] = [];
      afterEach(() => { for (const s of created) s.disconnect(); created = []; });
      export default class MockServer {
        private server?: Server;
        constructor(private port: number) {
          this.connect();
          created.push(this);
        }
        connect() {
          this.server = createServer((c) => c.end('+OK\\r\\n'));
          this.server.listen(this.port);
        }
        disconnect() { this.server?.close(); }
      }
      it('answers', () => {
        new MockServer(30001);
      });`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a wrapper made and connected before each test and never shut down: every test leaves one open',
    code: cacheSuite(['await cache.connect();'], ["it('misses', async () => expect(await cache.get('nope')).toBeNull());"]),
    files: { 'cache.ts': REDIS_CACHE_ADAPTER },
    file: 'test/cache-each.test.ts',
    errors: [{ line: 5, message: /that a test hook keeps in `cache` \(line 5\) is never closed/ }],
  },
  {
    name: 'a client whose static connect() hands its TLS socket to a private constructor, left open when an upload throws into a catch',
    code: `
      import { StoreClient } from './store';
      export async function upload(names: string[]) {
        try {
          const store = await StoreClient.connect('store', 4433);
          for (const n of names) await store.put(n);
          store.close();
          return 'ok';
        } catch {
          return 'errored';
        }
      }`,
    files: { 'store.ts': STORE_CLIENT_TS },
    errors: [{ line: 4, message: /Connection-owning object from `connect\(\)` is not closed when the `return` on line 9 is taken/ }],
  },
  {
    name: 'a wrapper whose connect() returns the instance, connected and dropped in a loop',
    code: `
      const { GatewayConnection } = require('./gateway');
      function probe(count) {
        for (let i = 0; i < count; i++) {
          const shard = new GatewayConnection('wss://gateway.example/?shard=' + i);
          shard.connect();
        }
      }
      module.exports = { probe };`,
    files: { 'gateway.js': GATEWAY_JS },
    ext: '.js',
    errors: [{ line: 4 }],
  },
  {
    name: 'a class exported as exports.Engine, required under another name, started by a test and never stopped',
    code: `
      'use strict';
      const { Engine: Cache } = require('../lib');
      it('starts', async () => {
        const cache = new Cache({ port: 6379 });
        await cache.start();
      });`,
    files: { 'lib.js': ENGINE_JS },
    ext: '.js',
    file: 'test/start.test.js',
    errors: [{ line: 4 }],
  },
  {
    name: 'a worker class with start() and stop() started per request and never stopped',
    code: `
      import Redis from 'ioredis';
      class Worker {
        private client?: Redis;
        async start() { this.client = new Redis(); this.client.on('message', () => undefined); }
        async stop() { await this.client?.quit(); }
      }
      export async function handle(job: string) {
        const w = new Worker();
        await w.start();
        return job;
      }`,
    errors: [{ line: 8 }],
  },
  {
    name: 'a cache adapter whose own release method is handleShutdown(), connected by a test and never shut down',
    code: `
      import { RedisCacheAdapter } from '../cache';
      it('gets', async () => {
        const cache = new RedisCacheAdapter('redis://localhost:6379');
        await cache.connect();
        await cache.get('k');
      });`,
    files: { 'cache.ts': REDIS_CACHE_ADAPTER },
    file: 'spec/cache.spec.ts',
    errors: [{ line: 3, message: /never closed/ }],
  },
  {
    name: 'a class of a JavaScript module with hand-written typings beside it (require resolves to the .d.ts), started and never stopped',
    code: `
      'use strict';
      const { Engine } = require('../lib');
      it('connects', async () => {
        const redis = new Engine({ port: 6379 });
        await redis.start();
      });`,
    files: { 'lib/index.js': TYPED_ENGINE_JS, 'lib/index.d.ts': ENGINE_TYPINGS, 'package.json': '{ "name": "engine", "main": "lib/index.js", "types": "lib/index.d.ts" }' },
    ext: '.js',
    file: 'test/engine.test.js',
    errors: [{ line: 4 }],
  },
  {
    name: "a project server whose start(callback) succeeded, dropped when the next check fails",
    code: smtpProxies(`            if (!proxy.options.announce) return done(new Error('no banner'));
            started.push(proxy);`),
    ext: '.js',
    errors: [{ line: 16 }],
  },
  {
    name: 'a static factory that makes a WebSocket and returns a new instance of its (public-constructor) class around it: a send that rejects leaves it open',
    code: `${CDP_SESSION_JS}
      async function render(url) {
        const cdp = await CdpSession.connect(url);
        await cdp.send('Page.navigate', { url });
        cdp.close();
      }
      module.exports = { render };`,
    ext: '.js',
    errors: [{ line: 15, message: /`await` on line 16 rejects/ }],
  },
  {
    name: "a project client whose constructor calls its own connect(): a test that makes one and never closes it leaves the connection open",
    code: `
      import net from 'node:net';
      import { test } from 'node:test';
      class GraphiteClient {
        constructor({ host, port }) {
          this.host = host;
          this.port = port;
          this.socket = null;
          this.connect();
        }
        connect() {
          const socket = net.connect({ host: this.host, port: this.port });
          this.socket = socket;
          socket.on('close', () => { if (!this.closed) setTimeout(() => this.connect(), 2000); });
        }
        gauge(name, value) { this.socket?.write(name + ' ' + value + '\\n'); }
        close() { this.closed = true; this.socket?.end(); }
      }
      test('writes a gauge', () => {
        const client = new GraphiteClient({ host: '127.0.0.1', port: 2003 });
        client.gauge('cpu', 0.5);
      });
      test('closes', () => {
        const client = new GraphiteClient({ host: '127.0.0.1', port: 2003 });
        client.gauge('cpu', 0.5);
        client.close();
      });`,
    ext: '.mjs',
    errors: [{ line: 19 }],
  },
];
