// unclosed-connection: test code and one-shot scripts, where what only happens when a test fails or
// the process exits is not reported (mocha and node:test tests, a script's main() whose rejection
// exits the process).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A service's `main()` that starts a server and subscribes; `entry` is how the file runs it. */
function serviceMain(entry: string): string {
  return `
      const express = require('express');
      const { subscribe } = require('./pubsub');
      async function main() {
        const server = express().listen(3000);
        const unsubscribe = await subscribe('broadcast', () => {});
        const shutdown = async () => {
          await unsubscribe();
          server.close();
        };
        process.once('SIGTERM', shutdown);
      }
      if (require.main === module) {
        main().catch((err) => {
          console.error(err);
          process.exit(1);
        });
${entry}`;
}

export const valid: ValidCase[] = [
  {
    name: "the same main() also exported (for its tests, or a bin wrapper that runs it the same way): exporting it is no call that survives its rejection",
    code: serviceMain(`      }
      module.exports = { main };`),
    ext: '.js',
  },
  {
    name: "a script's helper only awaited by its main(), whose rejection exits the process: the failing awaits leave nothing behind",
    code: `
      const { Client } = require('pg');
      async function recreateDatabase(name) {
        const admin = new Client({ database: 'postgres' });
        await admin.connect();
        await admin.query('DROP DATABASE IF EXISTS ' + name);
        await admin.query('CREATE DATABASE ' + name);
        await admin.end();
      }
      async function main() {
        await recreateDatabase('seed');
      }
      main().catch((err) => { console.error(err); process.exit(1); });`,
    ext: '.js',
    file: 'scripts/seed.js',
  },
  {
    name: 'a test returns the promise chain whose last then() quits the client: only a failing test skips it',
    code: `
      const Redis = require('ioredis');
      const assert = require('assert');
      it('reads a key', () => {
        const client = new Redis();
        return client.get('k')
          .then((v) => { assert.equal(v, null); })
          .then(() => client.quit());
      });`,
    ext: '.js',
    file: 'test/keys.test.js',
  },
  {
    name: 'a server of before() handed to a project helper that closes it',
    code: `
      import * as http from 'node:http';
      import { stopAll } from './teardown';
      let server: http.Server;
      before(() => {
        server = http.createServer((req, res) => res.end());
        server.listen(0);
      });
      after(() => stopAll(server));
      it('serves', () => {});`,
    files: { 'test/teardown.ts': `
      import type { Server } from 'node:http';
      export function stopAll(s: Server): void {
        s.close();
      }` },
    file: 'test/serve.test.ts',
  },
  {
    name: 'a CLI command whose send callback exits the process',
    code: `
      import dgram from 'node:dgram';
      export function sendEvent(name: string, host: string) {
        const socket = dgram.createSocket('udp4');
        socket.send(Buffer.from(name + ':1|c'), 8125, host, (err) => {
          if (err) console.error('could not send: ' + err.message);
          process.exit(err ? 1 : 0);
        });
      }`,
  },
  {
    name: "a test whose expected outcome is an 'error': the server is closed in the listener that ends it",
    code: `
      const http = require('http');
      it('hangs up at the timeout', (done) => {
        const source = http.createServer((req, res) => setTimeout(() => res.end('late'), 50));
        source.listen(0, () => {
          const req = http.request({ port: source.address().port });
          req.setTimeout(5, () => req.destroy(new Error('timeout')));
          req.on('error', () => {
            source.close();
            done();
          });
          req.end();
        });
      });`,
    ext: '.js',
    file: 'test/timeout.test.js',
  },
  {
    name: "a WebSocket whose 'error' ends the test: ws has closed it",
    code: `
      const WebSocket = require('ws');
      it('refuses a plain connection to a TLS port', (done) => {
        const ws = new WebSocket('ws://localhost:8443');
        ws.on('error', () => done());
        ws.on('open', () => done(new Error('should not open')));
      });`,
    ext: '.js',
    file: 'test/ws.test.js',
  },
  {
    name: "a WebSocket whose 'error' event listener (EventTarget style) ends the test",
    code: `
      const WebSocket = require('ws');
      it('is refused by the upgrade middleware', (done) => {
        const ws = new WebSocket('ws://localhost:8080/refused');
        ws.addEventListener('error', () => {
          done();
        });
      });`,
    ext: '.js',
    file: 'test/ws-refused.test.js',
  },
  {
    name: 'a socket made while a Mitm() of a hook intercepts net.connect is mitm\'s in-memory socket',
    code: `
      import Mitm from 'mitm';
      import * as net from 'net';
      describe('connector', () => {
        let mitm: ReturnType<typeof Mitm>;
        beforeEach(() => { mitm = Mitm(); });
        afterEach(() => { mitm.disable(); });
        it('connects', (done) => {
          mitm.on('connect', () => done());
          net.connect({ host: '127.0.0.2', port: 1433 });
        });
      });`,
    file: 'test/connector.test.ts',
  },
  {
    name: 'a socket from a project helper, dropped while a require(\'mitm\')() of the test intercepts it',
    code: `
      const net = require('net');
      const Mitm = require('mitm');
      function open(port) {
        return net.connect(port);
      }
      it('opens', () => {
        const mitm = Mitm();
        open(1433);
        mitm.disable();
      });`,
    ext: '.js',
    file: 'test/open.test.js',
  },
  {
    name: 'a server made by a project factory and dropped without listen() binds no port',
    code: `
      const http = require('http');
      function createAppServer(app) {
        return http.createServer((req, res) => app(req, res));
      }
      it('installs the handler', () => {
        createAppServer((req, res) => res.end());
      });`,
    ext: '.js',
    file: 'test/server.test.js',
  },
  {
    name: 'a server a before() hook starts and an after() hook closes',
    code: `
      const http = require('http');
      describe('api', () => {
        let server;
        before((done) => {
          server = http.createServer((req, res) => res.end('ok'));
          server.listen(0, done);
        });
        after((done) => server.close(done));
        it('answers', async () => {
          await fetch('http://127.0.0.1:' + server.address().port).then((r) => r.text());
        });
      });`,
    ext: '.js',
    file: 'test/api.test.js',
  },
  {
    name: 'a client a beforeAll() hook connects, handed to a teardown helper',
    code: `
      import { MongoClient } from 'mongodb';
      import { teardown } from './helpers';
      declare function beforeAll(fn: () => Promise<void>): void;
      declare function afterAll(fn: () => Promise<void>): void;
      let client: MongoClient;
      beforeAll(async () => {
        client = new MongoClient('mongodb://localhost');
        await client.connect();
      });
      afterAll(() => teardown(client));`,
    file: 'test/db.test.ts',
  },
  {
    name: 'a suite variable the module exports (another file closes it)',
    code: `
      import * as http from 'http';
      declare function before(fn: () => void): void;
      export let server: http.Server;
      before(() => {
        server = http.createServer().listen(0);
      });`,
    file: 'test/setup.test.ts',
  },
  {
    name: 'a test that closes its client on the normal path (mocha-style it)',
    code: `
      import { Client } from 'pg';
      declare function it(name: string, fn: () => Promise<void>): void;
      it('queries', async () => {
        const client = new Client({ host: 'localhost' });
        await client.connect();
        const r = await client.query('SELECT 1');
        if (r.rows.length !== 1) throw new Error('unexpected');
        await client.end();
      });`,
  },
  {
    name: 'node:test subtest that closes its socket unless an assertion fails',
    code: `
      import { test } from 'node:test';
      import * as net from 'net';
      import { once } from 'events';
      test('echo', async (t) => {
        await t.test('sub', async () => {
          const s = net.connect(7);
          await once(s, 'connect');
          s.write('x');
          const [d] = await once(s, 'data');
          if (String(d) !== 'x') t.fail('bad echo');
          s.end();
        });
      });`,
  },
  {
    name: 'a script main() whose rejection exits the process',
    code: `
      import { MongoClient } from 'mongodb';
      async function run() {
        const client = new MongoClient('mongodb://localhost');
        await client.connect();
        await client.db('bench').collection('c').insertOne({ a: 1 });
        await client.close();
        process.exit(0);
      }
      run().catch(() => process.exit(-1));`,
  },
  {
    name: 'an undici Client made in a test and never closed (idle sockets are unreferenced)',
    code: `
      import { Client } from 'undici';
      declare function test(name: string, fn: () => Promise<void>): void;
      test('routes', async () => {
        const client = new Client('http://localhost:3000');
        const { body } = await client.request({ path: '/', method: 'GET' });
        await body.text();
      });`,
  },
  {
    name: "a service's main() run under if (require.main === module), whose rejection exits: a failed start-up leaves nothing behind",
    code: serviceMain(`      }`),
    ext: '.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a test's WebSocket that an assertion compares (`toBe(ws)`) and nothing closes",
    code: `
      declare const vi: any, expect: any, it: any;
      it('targets the socket', async () => {
        const ws = new WebSocket('ws://127.0.0.1:8080/');
        const onOpen = vi.fn();
        ws.onopen = onOpen;
        await expect.poll(() => onOpen).toHaveBeenCalledTimes(1);
        expect(onOpen.mock.calls[0][0].target).toBe(ws);
      });`,
    file: 'test/events.test.ts',
    errors: [{ line: 3 }],
  },
  {
    name: "a helper awaited by a script's main() and also exported: another caller may survive its rejection",
    code: `
      const { Client } = require('pg');
      async function recreateDatabase(name) {
        const admin = new Client({ database: 'postgres' });
        await admin.connect();
        await admin.query('DROP DATABASE IF EXISTS ' + name);
        await admin.end();
      }
      async function main() {
        await recreateDatabase('seed');
      }
      main().catch((err) => { console.error(err); process.exit(1); });
      module.exports = { recreateDatabase };`,
    ext: '.js',
    file: 'scripts/seed2.js',
    errors: [{ line: 3 }],
  },
  {
    name: 'a test server on an ephemeral port, never closed: it keeps the run alive, but the next start gets another port',
    code: `
      const http = require('http');
      it('answers', (done) => {
        const server = http.createServer((req, res) => res.end('hi'));
        server.listen(0, () => http.get(\`http://localhost:\${server.address().port}\`, (res) => { res.resume(); res.on('end', done); }));
      });
      it('answers on a fixed port', (done) => {
        const server = http.createServer((req, res) => res.end('hi'));
        server.listen(3000, () => done());
      });`,
    ext: '.js',
    file: 'test/answers.test.js',
    errors: [
      { line: 3, message: /It keeps listening and its accepted connections stay open: a process \(or test run\) that never exits on its own\.$/ },
      { line: 7, message: /EADDRINUSE on the next start/ },
    ],
  },
  {
    name: 'a send callback that exits only on success leaves the socket open when it returns first',
    code: `
      import dgram from 'node:dgram';
      export function sendEvent(name: string, host: string) {
        const socket = dgram.createSocket('udp4');
        socket.send(Buffer.from(name), 8125, host, (err) => {
          if (err) return console.error(err);
          process.exit(0);
        });
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: "a WebSocket a test opens, with an 'error' listener that only logs",
    code: `
      const WebSocket = require('ws');
      it('sends', (done) => {
        const ws = new WebSocket('ws://localhost:8080');
        ws.on('error', (e) => console.error(e));
        ws.on('open', () => {
          ws.send('hello');
          done();
        });
      });`,
    ext: '.js',
    file: 'test/ws-send.test.js',
    errors: [{ line: 3 }],
  },
  {
    name: "a WebSocket a test opens, with an 'error' event listener that only logs",
    code: `
      const WebSocket = require('ws');
      it('sends', (done) => {
        const ws = new WebSocket('ws://localhost:8080');
        ws.addEventListener('error', (e) => console.error(e));
        ws.addEventListener('open', () => {
          ws.send('hello');
          done();
        });
      });`,
    ext: '.js',
    file: 'test/ws-send-events.test.js',
    errors: [{ line: 3 }],
  },
  {
    name: 'a socket from a project helper, dropped in a test that loads mitm but never turns it on',
    code: `
      const net = require('net');
      const Mitm = require('mitm');
      function open(port) {
        return net.connect(port);
      }
      it('opens', () => {
        open(1433);
      });
      module.exports = { Mitm };`,
    ext: '.js',
    file: 'test/open-real.test.js',
    errors: [{ line: 7, messageId: 'dropped' }],
  },
  {
    name: 'a server made by a project factory that listens, dropped',
    code: `
      const http = require('http');
      function serve(app, port) {
        return http.createServer(app).listen(port);
      }
      it('answers', async () => {
        serve((req, res) => res.end('ok'), 3000);
        await fetch('http://127.0.0.1:3000').then((r) => r.text());
      });`,
    ext: '.js',
    file: 'test/serve.test.js',
    errors: [{ line: 6, messageId: 'dropped' }],
  },
  {
    name: 'a fake server started in before() that nothing ever closes',
    code: `
      import * as http from 'http';
      import type { AddressInfo } from 'net';
      declare function describe(name: string, fn: () => void): void;
      declare function before(fn: () => Promise<void>): void;
      declare function it(name: string, fn: () => Promise<void>): void;
      describe('client', () => {
        let fake: http.Server;
        before(async () => {
          fake = http.createServer((req, res) => res.end('{}'));
          await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
        });
        it('calls the API', async () => {
          const { port } = fake.address() as AddressInfo;
          const res = await fetch('http://127.0.0.1:' + port);
          await res.json();
        });
      });`,
    file: 'test/client.test.ts',
    errors: [{ line: 9, messageId: 'suiteNeverCloses' }],
  },
  {
    name: 'a database client connected in beforeAll() and only used afterwards',
    code: `
      const { MongoClient } = require('mongodb');
      let mongo;
      beforeAll(async () => {
        mongo = new MongoClient(process.env.MONGO_URL);
        await mongo.connect();
      });
      afterEach(() => mongo.db('test').dropDatabase());
      test('archives', async () => {
        const n = await mongo.db('test').collection('orders').countDocuments();
        expect(n).toBe(0);
      });`,
    ext: '.js',
    file: 'test/archive.test.js',
    errors: [{ line: 4, messageId: 'suiteNeverCloses' }],
  },
  {
    name: 'a WebSocket server of beforeEach given to a project helper that only uses it, never closed',
    code: `
      import { once } from 'node:events';
      import { WebSocketServer } from 'ws';
      import { startHeartbeat } from './heartbeat';
      let wss: WebSocketServer;
      let stop: () => void;
      beforeEach(async () => {
        wss = new WebSocketServer({ port: 0 });
        await once(wss, 'listening');
        stop = startHeartbeat(wss, 50);
      });
      afterEach(() => stop());
      it('pings', () => {});`,
    files: { 'test/heartbeat.ts': `
      import type { WebSocketServer } from 'ws';
      export function startHeartbeat(wss: WebSocketServer, ms: number): () => void {
        const timer = setInterval(() => {
          for (const ws of wss.clients) ws.ping();
        }, ms);
        wss.once('close', () => clearInterval(timer));
        return () => clearInterval(timer);
      }` },
    file: 'test/heartbeat.test.ts',
    errors: [{ line: 7, messageId: 'suiteNeverCloses' }],
  },
  {
    name: "an exported main() whose own file also runs it again on SIGHUP, where a rejection is only logged: that call survives a failed start-up",
    code: serviceMain(`      }
      process.on('SIGHUP', () => main().catch((err) => console.error(err)));
      module.exports = { main };`),
    ext: '.js',
    errors: [{ line: 4 }],
  },
];
