// unclosed-connection: a socket used inside a closure (issue 13) gets a one-keystroke fix that keeps
// the closures working (try/finally around the uses, the function's own close moved to finally), or
// none when closing at the end would cut an event handler off; and a server handed back through the
// local function that closes it; a returned teardown that only unsubscribes is no hand-over.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: "a subscriber duplicated from the client a helper's promise resolves to (`client.connect().then(() => client)`), whose returned unwatch() only unsubscribes",
    ext: '.js',
    file: 'src/redis/subscriber.js',
    files: {
      'src/redis/store.js': "const { createClient } = require('redis');\nconst client = createClient({ url: process.env.REDIS_URL });\nlet ready = null;\nfunction redis() {\n  if (!ready) ready = client.connect().then(() => client);\n  return ready;\n}\nmodule.exports = { redis };\n",
    },
    code: `
      const { redis } = require('./store');
      async function watchMatch(matchId, onScore) {
        const base = await redis();
        const sub = base.duplicate();
        await sub.connect();
        await sub.subscribe('match:' + matchId, (m) => onScore(JSON.parse(m)));
        return async function unwatch() {
          await sub.unsubscribe('match:' + matchId);
        };
      }
      module.exports = { watchMatch };`,
    errors: [{ line: 4, message: /^Redis connection from `redis\.createClient\.duplicate` is never closed/ }],
  },
  {
    name: "a script's TLS client used in its connect callback: a finally of the synchronous listen callback would destroy it before it connects, so no fix",
    code: `
      const tls = require('tls');
      const server = tls.createServer({}, (s) => s.pipe(s)).listen(3000, function () {
        const c = tls.connect({ host: 'localhost', port: 3000, rejectUnauthorized: true }, function () {
          c.on('data', (chunk) => console.log('C:' + chunk));
          c.write('Hello');
        });
        c.on('error', (err) => console.log(err));
      });`,
    ext: '.js',
    errors: [{ line: 3, message: /never closed/ }],
    fixes: [],
  },
  {
    name: "a test file's helper whose after() closes another server: the one it returns is still the test's to close",
    code: `
      const { test, after } = require('node:test');
      const { once } = require('node:events');
      const http = require('node:http');
      let proxy;
      function createServer() {
        const server = http.createServer((req, res) => res.end('ok'));
        after(() => proxy && proxy.close());
        return server;
      }
      test('answers', async () => {
        const server = createServer();
        await once(server.listen(0), 'listening');
      });`,
    ext: '.js',
    file: 'test/plain.test.js',
    errors: [{ line: 11 }],
  },
  {
    // The promise rejects only with the socket's own 'error', after which Node has destroyed it: the early return is the leak.
    name: 'closure: read inside an awaited promise (the walkthrough example): a close before the early return, or try/finally with the own end() moved to finally',
    code: `
      import * as net from 'net';
      export async function isSsh(host: string, port: number): Promise<boolean> {
        const socket = net.connect({ host, port });
        const banner = await new Promise<string>((resolve, reject) => {
          socket.once('data', (d) => resolve(d.toString()));
          socket.once('error', reject);
        });
        if (!banner.startsWith('SSH-')) {
          return false;
        }
        socket.end();
        return true;
      }`,
    errors: [{ line: 3, message: /not closed when the `return` on line 9 is taken/ }],
    fixes: ['safe: Close `socket` before the leaking exit', 'safe: Wrap the uses of `socket` in try/finally and close it in `finally`'],
    output: `
      import * as net from 'net';
      export async function isSsh(host: string, port: number): Promise<boolean> {
        const socket = net.connect({ host, port });
        const banner = await new Promise<string>((resolve, reject) => {
          socket.once('data', (d) => resolve(d.toString()));
          socket.once('error', reject);
        });
        if (!banner.startsWith('SSH-')) {
          socket.destroy();
          return false;
        }
        socket.end();
        return true;
      }`,
  },
  {
    name: 'closure: written by a timer callback, closed at the end: try/finally',
    code: `
      import * as net from 'net';
      export async function ping(port: number, flush: () => Promise<void>) {
        const s = net.connect(port);
        setTimeout(() => s.write('ping'), 100);
        await flush();
        s.end();
      }`,
    errors: [{ line: 3 }],
    fixes: ['safe: Wrap the uses of `s` in try/finally and close it in `finally`'],
    output: `
      import * as net from 'net';
      export async function ping(port: number, flush: () => Promise<void>) {
        const s = net.connect(port);
        try {
          setTimeout(() => s.write('ping'), 100);
          await flush();
        } finally {
          s.end();
        }
      }`,
  },
  {
    name: 'closure: written by an event handler, closed at the end: try/finally',
    code: `
      import * as net from 'net';
      export async function greet(port: number, flush: () => Promise<void>) {
        const s = net.connect(port);
        s.on('connect', () => s.write('hello'));
        await flush();
        s.end();
      }`,
    errors: [{ line: 3 }],
    fixes: ['safe: Wrap the uses of `s` in try/finally and close it in `finally`'],
    output: `
      import * as net from 'net';
      export async function greet(port: number, flush: () => Promise<void>) {
        const s = net.connect(port);
        try {
          s.on('connect', () => s.write('hello'));
          await flush();
        } finally {
          s.end();
        }
      }`,
  },
  {
    name: 'closure: written in a forEach callback (runs before the function goes on): try/finally',
    code: `
      import * as net from 'net';
      export async function sendAll(port: number, lines: string[], flush: () => Promise<void>) {
        const s = net.connect(port);
        lines.forEach((l) => s.write(l));
        await flush();
        s.end();
      }`,
    errors: [{ line: 3 }],
    fixes: ['safe: Wrap the uses of `s` in try/finally and close it in `finally`'],
    output: `
      import * as net from 'net';
      export async function sendAll(port: number, lines: string[], flush: () => Promise<void>) {
        const s = net.connect(port);
        try {
          lines.forEach((l) => s.write(l));
          await flush();
        } finally {
          s.end();
        }
      }`,
  },
  {
    name: 'closure: an event handler and no close anywhere (async): try/finally offered for review only, not in fix-all',
    code: `
      import * as net from 'net';
      export async function watch(port: number, until: () => Promise<void>) {
        const s = net.connect(port);
        s.on('connect', () => s.write('subscribe'));
        await until();
      }`,
    errors: [{ line: 3, messageId: 'never' }],
    fixes: ['review: Wrap the uses of `s` in try/finally and close it in `finally` (review: a callback may still use it)'],
    output: `
      import * as net from 'net';
      export async function watch(port: number, until: () => Promise<void>) {
        const s = net.connect(port);
        try {
          s.on('connect', () => s.write('subscribe'));
          await until();
        } finally {
          s.destroy();
        }
      }`,
  },
  {
    name: 'closure: an event handler and no close anywhere (synchronous): no fix (closing at the end would cut the handler off)',
    code: `
      import * as net from 'net';
      export function hello(port: number) {
        const s = net.connect(port);
        s.on('connect', () => s.write('hi'));
      }`,
    errors: [{ line: 3, messageId: 'never' }],
    fixes: [],
  },
  {
    name: 'a request handler given to the creator of a chained listen() that closes nothing: still reported',
    code: `
      const http = require('http');
      const test = require('tape');
      test('answers', function (t) {
        const server = http.createServer(function (req, res) {
          res.end('ok');
          t.end();
        }).listen(0, function () {
          http.get('http://localhost:' + server.address().port, (r) => r.resume());
        });
      });`,
    errors: [{ line: 4 }],
    file: 'test/answers.test.js',
  },
  {
    name: 'a teardown closure kept before the pool is made that closes another pool: still reported',
    code: `
      const mysql = require('mysql');
      let teardown, other, queryable;
      function setup(cb) { if (teardown) teardown(); cb(); }
      function createPoolAndGetConnection(options, cb) {
        setup(function () {
          teardown = function () { if (other) other.end(); };
          var pool = mysql.createPool(options);
          pool.getConnection(function (err, conn) {
            if (err) throw err;
            queryable = conn;
            cb();
          });
        });
      }
      module.exports = { createPoolAndGetConnection };`,
    ext: '.js',
    file: 'test/mysql.test.js',
    errors: [{ line: 7 }],
  },
  {
    name: 'a subscriber per room whose returned teardown only unsubscribes: the connection stays open and out of reach',
    code: `
      import type { Redis } from 'ioredis';
      export class Bridge {
        constructor(private readonly pub: Redis) {}
        watchRoom(roomId: string, onEvent: (e: unknown) => void): () => Promise<void> {
          const channel = 'room:' + roomId;
          const watcher = this.pub.duplicate();
          watcher.on('message', (ch: string, raw: string) => { if (ch === channel) onEvent(JSON.parse(raw)); });
          watcher.subscribe(channel).catch(() => {});
          return async () => {
            await watcher.unsubscribe(channel);
          };
        }
      }`,
    errors: [{ line: 6, message: /never closed; it stays open when the `return` on line 9 is taken/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "a test server closed in finally by a helper that returns early when it is not listening",
    code: `
      import { createServer, type Server } from 'node:http';
      import { test } from 'vitest';
      async function shutDown(srv: Server): Promise<void> {
        if (!srv.listening) return;
        await new Promise<void>((resolve) => srv.close(() => resolve()));
      }
      test('answers on loopback', async () => {
        const srv = createServer((_req, res) => res.end('hi'));
        srv.listen(0, '127.0.0.1');
        try {
          await fetch('http://127.0.0.1:1/').catch(() => undefined);
        } finally {
          await shutDown(srv);
        }
      });`,
    file: 'test/loopback.test.ts',
  },
  {
    name: "a pool factory's socket wrapped in a line client its connect listener resolves",
    code: `
      import net from 'node:net';
      class LineClient {
        constructor(socket) { this.socket = socket; }
        close() { this.socket.destroy(); }
      }
      export function connect(host, port) {
        return new Promise((resolve, reject) => {
          const socket = net.connect({ host, port });
          socket.once('connect', () => {
            socket.off('error', reject);
            resolve(new LineClient(socket));
          });
          socket.once('error', reject);
        });
      }`,
    ext: '.mjs',
  },
  {
    name: 'a port probe whose connect and error listeners are function declarations that destroy it',
    code: `
      const net = require('net');
      function probe(port, deferred) {
        const sock = new net.Socket();
        function onConnect() { deferred.resolve(true); sock.destroy(); }
        function onError() { deferred.resolve(false); sock.destroy(); }
        sock.once('connect', onConnect);
        sock.once('error', onError);
        sock.connect({ port, host: '127.0.0.1' });
        return deferred.promise;
      }
      module.exports = probe;`,
    ext: '.js',
  },
  {
    name: 'a port probe whose listeners call a cleanup helper of the function that destroys it',
    code: `
      const net = require('net');
      function check(port, deferred) {
        var client;
        function cleanUp() {
          if (client) {
            client.removeAllListeners('error');
            client.end();
            client.destroy();
          }
        }
        function onConnectCb() { deferred.resolve(true); cleanUp(); }
        function onErrorCb(err) { deferred.resolve(false); cleanUp(); }
        client = new net.Socket();
        client.once('connect', onConnectCb);
        client.once('error', onErrorCb);
        client.connect({ port, host: '127.0.0.1' }, function () {});
        return deferred.promise;
      }
      module.exports = check;`,
    ext: '.js',
  },
  {
    name: "a test that calls done() only from its server's 'close' listener, closed in a later callback",
    code: `
      const http = require('http');
      describe('tunnel', function () {
        it('answers every request', function (done) {
          var count = 0;
          var server = http.createServer(function (req, res) { res.end('ok'); });
          server.listen(3000, setupClient);
          function setupClient() {
            for (var i = 0; i < 3; i++) {
              http.get({ port: 3000, path: '/' + i }, function (res) {
                res.resume();
                res.on('end', function () { if (++count === 3) server.close(); });
              });
            }
          }
          server.on('close', function () {
            count.should.equal(3);
            done();
          });
        });
      });`,
    ext: '.js',
    file: 'test/tunnel.js',
  },
  {
    name: 'a subscriber per room whose returned teardown unsubscribes, then quits it',
    code: `
      import type { Redis } from 'ioredis';
      export function watchRoom(pub: Redis, roomId: string): () => Promise<void> {
        const watcher = pub.duplicate();
        watcher.subscribe('room:' + roomId).catch(() => {});
        return async () => {
          await watcher.unsubscribe('room:' + roomId);
          await watcher.quit();
        };
      }`,
  },
  {
    name: 'a class declared in the test before the servers, whose handler method closes them once both handshakes arrive (t.plan passes only then)',
    code: `
      const test = require('tape');
      const net = require('net');
      const { attach } = require('../../lib/wire');
      test('extension support', (t) => {
        t.plan(2);
        let handshakes = 0;
        class Extension {
          constructor(wire) { wire.extendedHandshake.test = 'hi'; }
          onExtendedHandshake() {
            handshakes += 1;
            t.pass('handshake');
            if (handshakes === 2) {
              server1.close();
              server2.close();
            }
          }
        }
        const server1 = net.createServer((socket) => attach(socket, Extension));
        const server2 = net.createServer((socket) => attach(socket, Extension));
        server1.listen(0, () => server2.listen(0, () => net.connect(server1.address().port)));
      });`,
    ext: '.js',
    file: 'test/node/extensions.js',
  },
  {
    name: "a test file's helper makes the server and registers after(() => server.close()) itself: the runner closes it, not the test",
    code: `
      const { test, after } = require('node:test');
      const { once } = require('node:events');
      const http2 = require('node:http2');
      function createServer() {
        const server = http2.createSecureServer({ allowHTTP1: true }, (req, res) => { res.writeHead(200); res.end(); });
        after(() => server.close());
        return server;
      }
      test('answers over h2', async () => {
        const server = createServer();
        await once(server.listen(0), 'listening');
        const session = http2.connect('https://localhost:' + server.address().port);
        after(() => session.close());
      });`,
    ext: '.js',
    file: 'test/alpn.test.js',
  },
  {
    name: 'the request handler given to the creator of a chained listen() closes the server (the passing path reaches it)',
    code: `
      const http = require('http');
      const test = require('tape');
      function makeServer(onRequest) {
        const server = http.createServer(onRequest);
        server.on('connection', (socket) => socket.unref());
        return server;
      }
      test('custom headers', function (t) {
        let client;
        const server = makeServer(function (req, res) {
          t.equal(req.headers['x-foo'], 'bar');
          res.end();
          server.close();
          t.end();
        }).listen(function () {
          http.get({ port: server.address().port, headers: { 'x-foo': 'bar' } }, (r) => r.resume());
        });
      });`,
    file: 'test/config.test.js',
  },
  {
    name: 'a teardown closure assigned before the hoisted var it closes (run by the next setup or the suite teardown)',
    code: `
      const mysql = require('mysql');
      let teardown = function () {};
      function setup(options, cb) {
        teardown();
        teardown = function () {
          if (pool) {
            pool.end();
            pool = undefined;
          }
        };
        var pool = mysql.createPool(options);
        pool.getConnection(function (err, conn) { cb(err, conn); });
      }
      module.exports = { setup, teardown: () => teardown() };`,
    ext: '.js',
    file: 'test/mysql.test.js',
  },
  {
    name: 'a test helper returns the local function that closes its server with the URL: the caller closes it through that function',
    code: `
      import http from 'node:http';
      describe('reporting', () => {
        async function makeFakeReporter(status: number) {
          const server = http.createServer((_, res) => { res.writeHead(status); res.end('text'); });
          await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
          async function closeServer() {
            await new Promise<void>((resolve) => server.close(() => resolve()));
          }
          const { port } = server.address() as { port: number };
          return { closeServer, url: 'http://127.0.0.1:' + port };
        }
        it('reports', async () => {
          const { closeServer, url } = await makeFakeReporter(200);
          try {
            expect(url).toBeDefined();
          } finally {
            await closeServer();
          }
        });
      });`,
    file: 'test/reporting.test.ts',
  },
];
