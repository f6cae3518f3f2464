// unclosed-connection: how a test's passing run ends what it opened: a test that skips itself, a
// server that drops every connection (`closeAllConnections()`), an idle timeout whose listener ends the
// test through a helper, a release function kept for `afterAll`; beside the look-alikes that do not.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: 'a TSTyche type test (*.tst.ts) is compiled, never run',
    code: `
      import { createServer } from 'http';
      it('types', (done) => {
        const srv = createServer();
        srv.listen(() => done());
      });`,
    file: 'test-types/server.tst.ts',
  },
  {
    name: "a hook's helper returns { server, mock }; the test keeps context.server in a variable an afterEach closes",
    code: `
      const http = require('http');
      function mockServer(done) {
        const server = http.createServer((req, res) => res.end('ok'));
        server.listen(0, done);
        return { server, mock: { calls: 0 } };
      }
      describe('transport', () => {
        let context;
        let server;
        afterEach((done) => { server.close(() => done()); });
        beforeEach((done) => {
          context = mockServer(done);
          server = context.server;
        });
        it('posts', () => { if (!context.mock) throw new Error('no mock'); });
      });`,
    ext: '.js',
    file: 'test/transport.test.js',
  },
  {
    name: 'test clients closed by a local function that awaits first, then hands them to a helper that disconnects them',
    code: `
      import { io as ioc, Socket } from 'socket.io-client';
      declare function serverSockets(): Promise<string[]>;
      function success(done: () => void, ...clients: Socket[]) {
        clients.forEach((c) => c.disconnect());
        done();
      }
      it('finds every client', (done) => {
        const c1 = ioc('http://localhost:3000/chat');
        const c2 = ioc('http://localhost:3000/chat', { forceNew: true });
        async function check() {
          const sids = await serverSockets();
          if (sids.length !== 2) throw new Error('expected two');
          success(done, c1, c2);
        }
        c2.on('connect', () => { check(); });
      });`,
    file: 'test/namespaces.test.ts',
  },
  {
    name: 'a type test (tsd, *.test-d.ts) is compiled, never run: its server opens nothing',
    code: `
      import { createServer } from 'http';
      declare function expectType<T>(v: T): void;
      it('infers the listener types', (done) => {
        const srv = createServer();
        srv.listen(() => {
          expectType<number>(1);
          done();
        });
      });`,
    file: 'test/server.test-d.ts',
  },
  {
    name: "a node:test test that skips itself before closing: a skipped test's path is no passing run",
    code: `
      const test = require('node:test');
      const net = require('net');
      test('drains on timeout', async (t) => {
        const c = net.connect(1883);
        await new Promise((r) => c.once('connect', r));
        c.pause();
        if (!c._handle || !c._handle.readStop) {
          t.skip('no readStop');
          return;
        }
        c._handle.readStop();
        c.end();
      });`,
    ext: '.js',
    file: 'test/drain.test.js',
  },
  {
    name: "a test client left to its server, which drops every connection at the end (closeAllConnections)",
    code: `
      const net = require('net');
      function finish(server, done) {
        server.closeAllConnections();
        server.close(() => done());
      }
      it('reads the greeting', (done) => {
        const server = require('http').createServer();
        server.on('connection', (s) => s.write('220 ready'));
        server.listen(0, () => {
          const client = net.connect(server.address().port);
          client.once('data', () => finish(server, done));
        });
      });`,
    ext: '.js',
    file: 'test/greeting.test.js',
  },
  {
    name: "a test whose socket is destroyed in its idle 'timeout' listener, which finishes the test through a helper",
    code: `
      const net = require('net');
      it('keeps the listener count', (done) => {
        const server = net.createServer((c) => c.resume());
        const finish = () => {
          server.close();
          done();
        };
        server.listen(0, () => {
          const client = net.connect(server.address().port);
          client.setTimeout(100);
          client.on('timeout', () => {
            client.destroy();
            finish();
          });
          client.write('ping');
        });
      });`,
    ext: '.js',
    file: 'test/idle.test.js',
  },
  {
    name: 'a test database handle whose disconnect function is kept in beforeAll and called in afterAll',
    code: `
      import { createTestDb } from '../helpers';
      describe('backend', () => {
        let db: unknown;
        let disconnectDb: () => Promise<void>;
        beforeAll(async () => {
          const result = await createTestDb();
          db = result.db;
          disconnectDb = result.disconnect;
        });
        afterAll(async () => {
          await disconnectDb();
        });
        it('has a db', () => { expect(db).toBeDefined(); });
      });`,
    files: { 'helpers.ts': `
      import { MongoClient } from 'mongodb';
      export async function createTestDb() {
        const client = new MongoClient('mongodb://localhost:27017');
        await client.connect();
        return { client, db: client.db('test'), disconnect: () => client.close() };
      }` },
    file: 'test/backend.test.ts',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a wrapper of an EventSource left open in a test whose server drops every connection: the stream reconnects',
    code: `
      import { EventSource } from 'eventsource';
      import * as http from 'http';
      class Feed {
        private es?: EventSource;
        constructor(private url: string) {}
        start() { this.es = new EventSource(this.url); }
        close() { this.es?.close(); }
      }
      const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write('data: 1\\n\\n'); });
      after(() => { server.closeAllConnections(); server.close(); });
      it('receives', async () => {
        const feed = new Feed('http://127.0.0.1:8080/stream');
        feed.start();
        await new Promise((r) => setTimeout(r, 10));
      });`,
    file: 'test/feed.test.ts',
    errors: [{ line: 12 }],
  },
  {
    name: 'a local function that closes one client says nothing of the other',
    code: `
      import { io as ioc } from 'socket.io-client';
      it('connects two', (done) => {
        const c1 = ioc('http://localhost:3000/a');
        const c2 = ioc('http://localhost:3000/b');
        function finish() {
          c1.disconnect();
          done();
        }
        c1.on('connect', () => finish());
        c2.on('connect', () => finish());
      });`,
    file: 'test/two.test.ts',
    errors: [{ line: 4 }],
  },
  {
    name: 'the same server in a test that runs (server.test.ts)',
    code: `
      import { createServer } from 'http';
      it('listens', (done) => {
        const srv = createServer();
        srv.listen(() => done());
      });`,
    file: 'test/server.test.ts',
    errors: [{ line: 3 }],
  },
  {
    name: "a skip() of something else (a MongoDB cursor) does not end a test's path",
    code: `
      const test = require('node:test');
      const net = require('net');
      test('pages', async (t) => {
        const c = net.connect(27017);
        const cursor = { skip: (n) => n };
        if (cursor.skip(10) > 5) return;
        c.end();
      });`,
    ext: '.js',
    file: 'test/pages.test.js',
    errors: [{ line: 4 }],
  },
  {
    name: "the same test client when the server is only closed (close() leaves open connections alone)",
    code: `
      const net = require('net');
      it('reads the greeting', (done) => {
        const server = require('http').createServer();
        server.on('connection', (s) => s.write('220 ready'));
        server.listen(0, () => {
          const client = net.connect(server.address().port);
          client.once('data', () => server.close(() => done()));
        });
      });`,
    ext: '.js',
    file: 'test/greeting.test.js',
    errors: [{ line: 6 }],
  },
];
