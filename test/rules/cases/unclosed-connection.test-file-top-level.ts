// unclosed-connection: a connection or a listening server a test suite's file makes at its top level,
// when the runner loads it (`const server = http.createServer(app).listen(0)` above the `describe`), is
// the tests' like a `before` hook's: when nothing in the file closes it or hands it on, it outlives the
// suite and a runner without `--exit` never ends (triage 88: live-server's tests). supertest's
// `request(server)` closes only a server it had to listen on itself; a helper module with no suite, an
// exported value, a pool (its idle clients time out) and a server that never listens are left alone.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const SUITE = `
      describe('routes', () => {
        after(() => quitted.quit());
        it('answers', async () => {
          await request(server).get('/').expect(200);
          await redis.set('seen', '1');
        });
      });`;

/** A jest file's knex instance made at its top level; `options` ends its config, `after` is the afterAll body. */
const GALLERY_SUITE = (options: string, after = '') => `
      const knex = require('knex');
      const db = knex({ client: 'mysql2', connection: process.env.MYSQL_URL${options} });
      afterAll(async () => {${after}
      });
      test('reads a gallery', async () => {
        const row = await db('galleries').where({ id: 7 }).first();
        expect(row.id).toBe(7);
      });`;

export const invalid: InvalidCase[] = [
  {
    name: "a knex instance at the top of a test file, never destroyed: its pool keeps its 'min' connections (2) open",
    code: GALLERY_SUITE(''),
    file: 'test/galleries.test.js',
    ext: '.js',
    errors: [{ line: 2, message: /^The connection pool from `knex` that the test file makes when it loads \(`db`, line 2\) is never closed/ }],
  },
  {
    name: "a node-redis client made in a top-level describe's body, connected in beforeAll, and never quit (afterAll closes another client)",
    code: `
      import { createClient } from 'redis';
      import { closeRedis } from './redis';
      describe('waitForOcrDone', () => {
        const publisher = createClient({ url: process.env.REDIS_URL });
        beforeAll(async () => { await publisher.connect(); });
        afterAll(async () => { await closeRedis(); });
        it('publishes', async () => { await publisher.publish('ocr:done:doc-1', 'job-77'); });
      });`,
    file: 'src/cache/notify.test.ts',
    errors: [{ line: 4, message: /that the test file makes when it loads \(`publisher`, line 4\)/ }],
  },
  {
    name: 'a listening server and a Redis client made above the describe and never closed: supertest closes neither',
    code: `
      const http = require('http');
      const request = require('supertest');
      const Redis = require('ioredis');
      const server = http.createServer((req, res) => res.end('ok')).listen(0);
      const redis = new Redis();
      const quitted = new Redis();${SUITE}`,
    ext: '.js',
    file: 'test/routes.test.js',
    errors: [
      { line: 4, message: /^The server from `http\.createServer` that the test file makes when it loads \(`server`, line 4\) is never closed or handed on anywhere in the file/ },
      { line: 5, message: /that the test file makes when it loads \(`redis`, line 5\)/ },
    ],
  },
  {
    name: "a server a project helper makes and listens, at a mocha file's top level under test/",
    code: `
      const request = require('supertest');
      const { startServer } = require('../lib/serve');
      const server = startServer({ port: 0 });
      describe('cors', () => {
        it('sets the header', (done) => {
          request(server).get('/').set('Origin', 'http://example.com').expect('Access-Control-Allow-Origin', '*', done);
        });
      });`,
    ext: '.js',
    file: 'test/cors.js',
    files: { 'lib/serve.js': `
      const http = require('http');
      exports.startServer = function (options) {
        const server = http.createServer((req, res) => { res.setHeader('Access-Control-Allow-Origin', '*'); res.end(); });
        server.listen(options.port);
        return server;
      };` },
    errors: [{ line: 3, message: /that the test file makes when it loads \(`server`, line 3\)/ }],
  },
  {
    name: 'a helper of an exports object that picks http or https into a `var` assigned in branches, called in a test',
    code: `
      const serve = require('../lib/serve');
      it('serves over https', async () => {
        const server = serve.start({ https: true, port: 0 });
        await new Promise((resolve) => server.once('listening', resolve));
      });`,
    ext: '.js',
    file: 'test/https.test.js',
    files: { 'lib/serve.js': `
      const http = require('http');
      const https = require('https');
      const Serve = {};
      Serve.start = function (options) {
        var server;
        if (options.https) server = https.createServer({}, (req, res) => res.end());
        else server = http.createServer((req, res) => res.end());
        server.listen(options.port);
        return server;
      };
      module.exports = Serve;` },
    errors: [{ line: 3, message: /^Server from `start\(\)` is never closed/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "a project transporter made in a describe's body that its unit tests only init, never connect",
    code: `
      const net = require('net');
      class TcpTransporter {
        constructor(opts) { this.opts = opts; this.socket = null; }
        init(transit) { this.transit = transit; }
        connect() { this.socket = net.connect(this.opts.port); }
        disconnect() { if (this.socket) this.socket.end(); }
      }
      describe('TcpTransporter init', () => {
        const transporter = new TcpTransporter({ port: 1234 });
        it('inits', () => {
          transporter.init({});
          expect(transporter.transit).toBeDefined();
        });
      });`,
    ext: '.js',
    file: 'test/unit/tcp.spec.js',
  },
  {
    name: "the same describe-body client quit in afterAll",
    code: `
      import { createClient } from 'redis';
      describe('waitForOcrDone', () => {
        const publisher = createClient({ url: process.env.REDIS_URL });
        beforeAll(async () => { await publisher.connect(); });
        afterAll(async () => { await publisher.quit(); });
        it('publishes', async () => { await publisher.publish('ocr:done:doc-1', 'job-77'); });
      });`,
    file: 'src/cache/notify.test.ts',
  },
  {
    name: "a client a test's own body makes is the leak engine's, not the file's (closed in the test)",
    code: `
      import { createClient } from 'redis';
      it('publishes', async () => {
        const publisher = createClient({ url: process.env.REDIS_URL });
        await publisher.connect();
        try { await publisher.publish('a', 'b'); } finally { await publisher.quit(); }
      });`,
    file: 'src/cache/notify.test.ts',
  },
  {
    name: 'the same file closing both in its after hook',
    code: `
      const http = require('http');
      const request = require('supertest');
      const Redis = require('ioredis');
      const server = http.createServer((req, res) => res.end('ok')).listen(0);
      const redis = new Redis();
      const quitted = new Redis();${SUITE.replace('quitted.quit()', 'Promise.all([quitted.quit(), redis.quit(), new Promise((r) => server.close(r))])')}`,
    ext: '.js',
    file: 'test/routes.test.js',
  },
  {
    name: 'a server that never listens, handed to supertest (which listens and closes it per request)',
    code: `
      const http = require('http');
      const request = require('supertest');
      const server = http.createServer((req, res) => res.end('ok'));
      describe('routes', () => {
        it('answers', () => request(server).get('/').expect(200));
      });`,
    ext: '.js',
    file: 'test/routes.test.js',
  },
  {
    name: 'a helper module of the tests with no suite of its own, and an exported server',
    code: `
      const http = require('http');
      const net = require('net');
      const probe = net.connect(6379);
      probe.on('error', () => {});
      export const server = http.createServer((req, res) => res.end('ok')).listen(0);`,
    file: 'test/helpers/servers.ts',
  },
  {
    name: 'a pg pool at the top of a test file: its idle clients time out, the runner ends',
    code: `
      import { Pool } from 'pg';
      const pool = new Pool();
      describe('orders', () => {
        it('counts', async () => {
          const { rows } = await pool.query('SELECT count(*) FROM orders');
          expect(rows).toHaveLength(1);
        });
      });`,
    file: 'test/orders.test.ts',
  },
  {
    name: 'a client made at the top level and handed to a framework function the test cannot see into',
    code: `
      import Redis from 'ioredis';
      import { createApp } from 'some-framework';
      const redis = new Redis();
      const app = createApp({ redis });
      describe('cache', () => {
        it('starts', () => expect(app).toBeDefined());
      });`,
    file: 'test/cache.test.ts',
  },
  {
    name: 'the same knex instance destroyed in afterAll',
    code: GALLERY_SUITE('', `
        await db.destroy();`),
    file: 'test/galleries.test.js',
    ext: '.js',
  },
  {
    name: 'the same knex instance with pool.min 0: its idle connections time out',
    code: GALLERY_SUITE(', pool: { min: 0 }'),
    file: 'test/galleries.test.js',
    ext: '.js',
  },
];
