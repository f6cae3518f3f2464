// unclosed-connection: connections test hooks keep for the suite: a hook given a timeout after its
// function (vitest and jest `beforeAll(fn, ms)`), and a client handed to a project class whose
// constructor only uses it, beside one the class keeps in a parameter property; a test client left to
// the mock server of a project helper that drops (or keeps) the sockets it accepted; a test's server
// listened through a bound method (`promisify(server.listen.bind(server))`); a test that expects a call
// on its client to fail because the server dropped the connection; an afterEach that destroys every
// socket the server's connection listener collected.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A project's DevTools connection: a class that keeps a WebSocket in a field and closes it in `close()`. */
const CDP = `import WebSocket from 'ws';
export class CdpConnection {
  private ws: WebSocket | null = null;
  static async open(url: string): Promise<CdpConnection> {
    const conn = new CdpConnection();
    await conn.connect(url);
    return conn;
  }
  private connect(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => { this.ws = ws; resolve(); });
      ws.once('error', (err) => { ws.terminate(); reject(err); });
    });
  }
  send(method: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.ws?.once('close', () => reject(new Error('CDP connection closed')));
      this.ws?.send(JSON.stringify({ id: 1, method }));
    });
  }
  close(): void { this.ws?.close(); }
}
`;

/** A test whose fake browser drops the connection; it expects `cdp.send()` to reject with `pattern`. */
function browserGoneTest(pattern: string): { code: string; file: string; files: Record<string, string> } {
  return {
    code: `
      import { it, expect } from 'vitest';
      import { once } from 'node:events';
      import { WebSocketServer } from 'ws';
      import { CdpConnection } from './cdp';
      it('rejects pending calls when the browser goes away', async () => {
        const browser = new WebSocketServer({ port: 0 });
        await once(browser, 'listening');
        browser.on('connection', (ws) => ws.on('message', () => ws.terminate()));
        const cdp = await CdpConnection.open('ws://127.0.0.1:' + (browser.address() as { port: number }).port);
        await expect(cdp.send('Browser.crash')).rejects.toThrow(${pattern});
        browser.close();
      });`,
    file: 'test/cdp.test.ts',
    files: { 'test/cdp.ts': CDP },
  };
}

/** A vitest suite whose beforeEach opens a WebSocket; `teardown` is what follows that hook. */
function signallingSuite(teardown: string): string {
  return `
      import { once } from 'node:events';
      import WebSocket from 'ws';
      import { beforeEach, afterEach, describe, expect, it } from 'vitest';
      function nextMessage(ws: WebSocket): Promise<unknown> {
        return once(ws, 'message').then(([data]) => JSON.parse(String(data)));
      }
      describe('signalling', () => {
        let alice: WebSocket;
        beforeEach(async () => {
          alice = new WebSocket('ws://127.0.0.1:8080/signal');
          await once(alice, 'open');
        });
${teardown}
          const reply = nextMessage(alice);
          alice.send('{not json');
          expect(await reply).toEqual({ type: 'error' });
        });
      });`;
}

/**
 * A client library's test: the sender (a project class that connects on send) is left to the mock
 * server the helper runs; `stopClients` is what the mock server's close() does to the sockets it accepted.
 */
function mockServerSuite(stopClients: string): Pick<ValidCase, 'code' | 'ext' | 'file' | 'files'> {
  return {
    code: `
      const { Sender } = require('../lib/sender');
      const { runServer } = require('../lib/helper');
      describe('sender', () => {
        it('sends', (done) => {
          runServer((server, finish) => {
            const s = new Sender(server.port);
            s.send('x', () => finish(done));
          });
        });
      });`,
    ext: '.js',
    file: 'test/sender.test.js',
    files: {
      'lib/sender.js': `
        const net = require('net');
        class Sender {
          constructor(port) { this.port = port; this.sock = null; }
          send(msg, cb) {
            this.sock = net.connect(this.port, () => this.sock.write(msg, cb));
            this.sock.on('error', () => { this.sock.destroy(); this.sock = null; });
          }
          end() { if (this.sock) this.sock.end(); }
        }
        module.exports = { Sender };`,
      'lib/helper.js': `
        const net = require('net');
        class MockServer {
          constructor() { this.clients = {}; this.n = 0; this.server = net.createServer((c) => { this.clients[this.n++] = c; c.resume(); }); }
          listen(cb) { this.server.listen(0, () => { this.port = this.server.address().port; cb(); }); }
          close(cb) {
            this.server.close(cb);
${stopClients}
          }
        }
        module.exports = {
          runServer(callback) {
            const server = new MockServer();
            server.listen(() => callback(server, (done) => setTimeout(() => server.close(done), 100)));
          },
        };`,
    },
  };
}

/** A vitest suite whose beforeAll starts the project's app with `listen(0)`; `teardown` follows the hook. */
function appSuite(teardown: string): Pick<ValidCase, 'code' | 'file' | 'files'> {
  return {
    code: `
      import { once } from 'node:events';
      import type { Server } from 'node:http';
      import { afterAll, beforeAll, describe, expect, it } from 'vitest';
      import { createApp } from '../src/app';
      describe('routes', () => {
        let server: Server;
        beforeAll(async () => {
          server = createApp().listen(0, '127.0.0.1');
          await once(server, 'listening');
        });
${teardown}
        it('answers', async () => {
          const res = await fetch('http://127.0.0.1:' + (server.address() as { port: number }).port + '/health');
          expect(await res.text()).toBe('ok');
        });
      });`,
    file: 'test/routes.test.ts',
    files: { 'src/app.ts': `
      import express from 'express';
      export function createApp() {
        const app = express();
        app.get('/health', (_req, res) => { res.send('ok'); });
        return app;
      }` },
  };
}

/** A suite whose server's connection listener collects each socket; `after` is what its afterEach does before closing the server. */
function collectingSuite(after: string): string {
  return `
      import net from 'node:net';
      describe('feed reader', () => {
        let server: net.Server;
        const activeSockets = new Set<net.Socket>();
        beforeEach((done) => {
          server = net.createServer((socket) => {
            activeSockets.add(socket);
            socket.on('close', () => activeSockets.delete(socket));
          });
          server.listen(0, '127.0.0.1', done);
        });
        afterEach((done) => {
          ${after}
          server.close(() => done());
        });
        it('reads the banner', (done) => {
          server.on('connection', (socket) => { socket.write('hello\\n'); });
          const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
          client.once('data', () => done());
        });
      });`;
}

/** A suite whose beforeAll hands its HTTP server to a Socket.IO server; `after` is its afterAll's body. */
function socketIoSuite(after: string): string {
  return `
      import { createServer, Server as HttpServer } from 'node:http';
      import { Server } from 'socket.io';
      describe('socket handlers', () => {
        let httpServer: HttpServer;
        let io: Server;
        beforeAll(async () => {
          httpServer = createServer();
          io = new Server(httpServer);
          io.on('connection', (socket) => socket.emit('hello'));
          await new Promise<void>((resolve) => httpServer.listen(0, resolve));
        });
        afterAll(() => { ${after} });
        it('greets', () => {});
      });`;
}

export const valid: ValidCase[] = [
  {
    name: "a test that expects a call on its client to reject because the server closed the connection",
    ...browserGoneTest('/closed/'),
  },
  {
    name: 'the same server closed at the end of the test',
    code: `
      import { promisify } from 'node:util';
      import net from 'node:net';
      import test from 'ava';
      test('an occupied port is skipped', async (t) => {
        const server = net.createServer();
        await promisify(server.listen.bind(server))(8282);
        t.is((server.address() as net.AddressInfo).port, 8282);
        await promisify(server.close.bind(server))();
      });`,
    file: 'test.ts',
  },
  {
    name: "a suite's server that beforeAll starts with the project app's listen(0), closed by afterAll",
    ...appSuite('        afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));'),
  },
  {
    name: "a test's client left to the mock server a project helper runs, whose close() ends every socket it accepted (the FIN closes the client)",
    ...mockServerSuite('            for (const i in this.clients) this.clients[i].end();'),
  },
  {
    name: 'a client a beforeEach makes, kept by a project class in a parameter property (its stop() may close it)',
    code: `
      import { Redis } from 'ioredis';
      import { Cache } from '../src/cache';
      let redis: Redis;
      beforeEach(() => {
        redis = new Redis('redis://127.0.0.1:6379/15');
      });
      it('caches', async () => {
        const cache = new Cache(redis);
        await cache.stop();
      });`,
    file: 'test/cache.test.ts',
    files: { 'src/cache.ts': `
      import type { Redis } from 'ioredis';
      export class Cache {
        constructor(private readonly redis: Redis) {
          redis.ping();
        }
        async stop(): Promise<void> { await this.redis.quit(); }
      }` },
  },
  {
    name: "a WebSocket each test gets from beforeEach, closed in afterEach; a local helper only waits for its messages",
    code: signallingSuite(`        afterEach(() => alice.close());
        it('answers malformed messages', async () => {`),
    file: 'test/signalling.test.ts',
  },
  {
    name: "test WebSockets of a suite whose afterAll stops a project object that closes every client of its WebSocketServer: the close frame ends them",
    code: `
      import http from 'node:http';
      import WebSocket, { WebSocketServer } from 'ws';
      function attachFeed(server: http.Server) {
        const wss = new WebSocketServer({ server });
        return {
          close() {
            for (const ws of wss.clients) ws.close(1001, 'Going Away');
            return new Promise<void>((resolve) => wss.close(() => resolve()));
          },
        };
      }
      describe('feed', () => {
        let server: http.Server;
        let feed: { close(): Promise<void> };
        let url = '';
        beforeAll(async () => {
          server = http.createServer();
          feed = attachFeed(server);
          await new Promise<void>((resolve) => server.listen(0, resolve));
          url = 'ws://127.0.0.1:' + (server.address() as { port: number }).port;
        });
        afterAll(async () => {
          await feed.close();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        });
        it('says hello', async () => {
          const client = new WebSocket(url);
          await new Promise((resolve) => client.once('message', resolve));
        });
      });`,
  },
  {
    name: "test WebSockets of a suite whose afterEach closes a project server (another module) that terminates every client: the test file never names `.clients`",
    code: `
      import { once } from 'node:events';
      import WebSocket from 'ws';
      import { MatchServer } from './matchServer';
      describe('MatchServer', () => {
        let server: MatchServer;
        let port: number;
        beforeEach(async () => { server = new MatchServer(); port = await server.start(); });
        afterEach(async () => { await server.close(); });
        it('broadcasts', async () => {
          const a = new WebSocket('ws://127.0.0.1:' + port + '/?player=a');
          await once(a, 'open');
          a.send('ready');
        });
      });`,
    file: 'src/matchServer.test.ts',
    files: {
      'src/matchServer.ts': `import { WebSocketServer } from 'ws';\nexport class MatchServer {\n  private wss?: WebSocketServer;\n  async start(): Promise<number> {\n    this.wss = new WebSocketServer({ port: 0 });\n    await new Promise((resolve) => this.wss!.once('listening', resolve));\n    return (this.wss.address() as { port: number }).port;\n  }\n  async close(): Promise<void> {\n    for (const ws of this.wss!.clients) ws.terminate();\n    await new Promise<void>((resolve) => this.wss!.close(() => resolve()));\n  }\n}\n`,
    },
  },
  {
    name: "a test WebSocket whose upgrade the test expects refused: it ends in ws's 'unexpected-response' listener, and no WebSocket opened",
    code: `
      import WebSocket from 'ws';
      it('refuses an unknown path', (done) => {
        const ws = new WebSocket('ws://127.0.0.1:' + process.env.PORT + '/nope');
        ws.on('unexpected-response', (_req, res) => {
          if (res.statusCode !== 404) throw new Error('expected 404');
          done();
        });
      });`,
    ext: '.js',
  },
  {
    name: "a suite's HTTP server kept by the Socket.IO server made from it, which the suite closes (io.close() closes the HTTP server too)",
    code: socketIoSuite('io.close();'),
  },
  {
    name: "a test's accepted socket and client in a suite whose afterEach destroys every socket its server's connection listener collected",
    code: collectingSuite('activeSockets.forEach((s) => s.destroy());'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "the same test expecting a timeout: that says nothing of the connection, which stays open",
    ...browserGoneTest('/timeout/'),
    errors: [{ line: 9, message: /never closed/ }],
  },
  {
    name: 'a test server listened through promisify(server.listen.bind(server)) and never closed',
    code: `
      import { promisify } from 'node:util';
      import net from 'node:net';
      import test from 'ava';
      test('an occupied port is skipped', async (t) => {
        const server = net.createServer();
        await promisify(server.listen.bind(server))(8282);
        t.is((server.address() as net.AddressInfo).port, 8282);
      });`,
    file: 'test.ts',
    errors: [{ line: 5, message: /never closed/ }],
  },
  {
    name: "a suite's server that beforeAll starts with the project app's listen(0), and nothing closes",
    ...appSuite("        afterAll(() => console.log('done'));"),
    errors: [{ line: 8, message: /that a test hook keeps in `server`/ }],
  },
  {
    name: "a test's client left to the mock server a project helper runs, whose close() leaves the sockets it accepted open",
    ...mockServerSuite('            this.n = 0;'),
    errors: [{ line: 6 }],
  },
  {
    name: "a Kafka admin connected in a vitest beforeAll given a timeout, used by afterAll and never disconnected",
    code: `
      import { afterAll, beforeAll, it } from 'vitest';
      import { Kafka, type Admin } from 'kafkajs';
      const kafka = new Kafka({ clientId: 'test', brokers: ['localhost:9092'] });
      let admin: Admin;
      beforeAll(async () => {
        admin = kafka.admin();
        await admin.connect();
        await admin.createTopics({ topics: [{ topic: 'replay' }] });
      }, 30_000);
      afterAll(async () => {
        await admin.deleteTopics({ topics: ['replay'] });
      });
      it('replays', () => {});`,
    file: 'test/replay.test.ts',
    errors: [{ line: 6, messageId: 'suiteNeverCloses' }],
  },
  {
    name: "a client a beforeEach makes, handed to a project class whose constructor only duplicates it",
    code: `
      import { Redis } from 'ioredis';
      import { StreamTail } from '../src/tail';
      let redis: Redis;
      beforeEach(async () => {
        redis = new Redis('redis://127.0.0.1:6379/15');
        await redis.del('quotes');
      });
      it('tails', async () => {
        const tail = new StreamTail(redis, 'quotes');
        tail.stop();
      });`,
    file: 'test/tail.test.ts',
    files: { 'src/tail.ts': `
      import type { Redis } from 'ioredis';
      export class StreamTail {
        private readonly reader: Redis;
        constructor(redis: Redis, private readonly key: string) {
          this.reader = redis.duplicate();
        }
        stop(): void { this.reader.disconnect(); }
      }` },
    errors: [{ line: 5, messageId: 'suiteNeverCloses' }],
  },
  {
    name: "a WebSocket a test opens and never closes, though the suite's server drops every connection (an upgraded socket is not one of them)",
    code: `
      const http = require('node:http');
      const { once } = require('node:events');
      const WebSocket = require('ws');
      const { WebSocketServer } = require('ws');
      let server;
      beforeAll(async () => {
        server = http.createServer();
        new WebSocketServer({ server }).on('connection', (ws) => ws.send('joined'));
        server.listen(0);
        await once(server, 'listening');
      });
      afterAll(async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      });
      test('joins', async () => {
        const ws = new WebSocket('ws://127.0.0.1:' + server.address().port);
        await once(ws, 'message');
      });`,
    ext: '.js',
    file: 'test/sync.test.js',
    errors: [{ line: 17 }],
  },
  {
    name: "a WebSocket each test gets from beforeEach and nothing closes; a local helper only waits for its messages (events.once hands it to nobody)",
    code: signallingSuite(`        it('answers malformed messages', async () => {`),
    file: 'test/signalling.test.ts',
    errors: [{ line: 10 }],
  },
  {
    name: "a database client a test opens, in a file whose HTTP server drops its connections (closeAllConnections): the database is its peer, not that server",
    code: `
      import http from 'node:http';
      import pg from 'pg';
      describe('webhooks', () => {
        let server: http.Server;
        beforeAll(() => { server = http.createServer((req, res) => res.end()).listen(0); });
        afterAll(async () => {
          server.closeAllConnections();
          await new Promise((r) => server.close(r));
        });
        it('has the outbox columns', async () => {
          const db = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
          await db.connect();
          const { rows } = await db.query('SELECT 1');
          expect(rows.length).toBe(1);
        });
      });`,
    file: 'test/webhooks.test.ts',
    errors: [{ line: 11, message: /pg\.Client. is never closed/ }],
  },
  {
    name: "a test WebSocket whose suite only closes the WebSocketServer: since ws 8 that leaves its clients open",
    code: `
      import WebSocket, { WebSocketServer } from 'ws';
      describe('feed', () => {
        let wss: WebSocketServer;
        beforeAll(() => { wss = new WebSocketServer({ port: 0 }); });
        afterAll(() => new Promise<void>((resolve) => wss.close(() => resolve())));
        it('says hello', async () => {
          const client = new WebSocket('ws://127.0.0.1:' + (wss.address() as { port: number }).port);
          await new Promise((resolve) => client.once('open', resolve));
        });
      });`,
    errors: [{ line: 7 }],
  },
  {
    name: "a suite's HTTP server handed to a Socket.IO server that nothing in the file closes",
    code: socketIoSuite('io.disconnectSockets();'),
    errors: [{ line: 7 }],
  },
  {
    name: "the same suite whose afterEach only closes the server: the accepted socket the test writes to and its client stay open",
    code: collectingSuite('activeSockets.clear();'),
    errors: [{ line: 17 }, { line: 18 }],
  },
];
