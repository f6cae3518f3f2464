// unclosed-connection: servers handed to supertest's request(). Given an app function or a server that
// is not listening, supertest listens itself and closes that server when the request ends; given one
// that is already listening (`request(app.listen())`), it closes nothing — also when the request is made
// in the server's listen callback, which is no hand-over to supertest (triage 66, ladjs/supertest's tests).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A jest suite whose beforeAll runs `make` for its server and whose test hands it to supertest's request(); `after` is its teardown. */
function healthSuite(make: string, after = ''): Pick<ValidCase, 'code' | 'file' | 'files'> {
  return {
    code: `
      import http from 'node:http';
      import type { Server } from 'node:http';
      import request from 'supertest';
      import { createApp } from '../src/app';
      describe('GET /health', () => {
        let server: Server;
        beforeAll((done) => {
${make}        });
${after}        it('reports ok', async () => {
          const res = await request(server).get('/health');
          expect(res.status).toBe(200);
        });
      });`,
    file: 'test/health.test.ts',
    files: { 'src/app.ts': "import express from 'express';\nexport function createApp() { const app = express(); app.get('/health', (_req, res) => res.send('ok')); return app; }\n" },
  };
}

export const invalid: InvalidCase[] = [
  {
    name: "a suite's server that beforeAll makes listen (createApp().listen(0, done)), handed to supertest's request() by each test and never closed",
    ...healthSuite('          server = createApp().listen(0, done);\n'),
    errors: [{ line: 8, message: /server/i }],
  },
  {
    name: 'a listening server created inside request(): supertest does not close it',
    code: `
      const express = require('express');
      const request = require('supertest');
      it('404s unknown paths', (done) => {
        const app = express();
        request(app.listen()).get('/nope').expect(404, done);
      });`,
    ext: '.js',
    file: 'test/routes.test.js',
    errors: [{ line: 5, message: /dropped where it is created/ }],
  },
  {
    name: 'a listening server kept in a variable and handed to request(), never closed',
    code: `
      import express from 'express';
      import request from 'supertest';
      it('answers', async () => {
        const server = express().listen(0);
        await request(server).get('/').expect(404);
      });`,
    file: 'test/answers.test.ts',
    errors: [{ line: 4, message: /never closed/ }],
  },
  {
    name: "the project framework's own listen() (a method returning http.createServer(…).listen()) handed to request()",
    code: `
      const http = require('http');
      const request = require('supertest');
      class Server {
        handle(req, res) { res.end('ok'); }
        listen(...args) { return http.createServer(this.handle.bind(this)).listen(...args); }
      }
      it('404s unknown paths', async () => {
        const server = new Server();
        await request(server.listen()).get('/nope').expect(404);
      });`,
    ext: '.js',
    file: 'test/server.test.js',
    errors: [{ line: 9, message: /dropped where it is created/ }],
  },
  {
    name: "a server already listening handed to request() in its listen callback: supertest closes nothing, the test neither",
    code: `
      const express = require('express');
      const request = require('supertest');
      it('works with an active server', function (done) {
        const app = express();
        app.get('/', (req, res) => res.send('hi'));
        const server = app.listen(function () {
          request(server)
            .get('/')
            .end(function (err) {
              done(err);
            });
        });
      });`,
    ext: '.js',
    file: 'test/active.test.js',
    errors: [{ line: 6, message: /never closed.*It keeps listening/s }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "a suite's server that beforeAll makes but does not listen on: supertest's request() listens on it and closes it after each request",
    ...healthSuite('          server = http.createServer(createApp());\n          done();\n'),
  },
  {
    name: "the listening suite server closed by afterAll",
    ...healthSuite('          server = createApp().listen(0, done);\n', '        afterAll((done) => { server.close(done); });\n'),
  },
  {
    name: 'supertest given the app, or a server that is not listening: it listens and closes by itself; a listening one closed by the test',
    code: `
      import http from 'node:http';
      import express from 'express';
      import request from 'supertest';
      it('answers', async () => {
        const app = express();
        await request(app).get('/').expect(404);
        await request(http.createServer(app)).get('/').expect(404);
        const server = app.listen(0);
        await request(server).get('/').expect(404);
        server.close();
      });`,
    file: 'test/answers.test.ts',
  },
  {
    name: 'a server the test never listens, kept in a variable and handed to request(): supertest listens on it and closes it',
    code: `
      import * as http from 'node:http';
      import request from 'supertest';
      it('serves through a server the test never listens', async () => {
        const onRequest: http.RequestListener = (_req, res) => res.end('pong');
        const srv = http.createServer(onRequest);
        const res = await request(srv).get('/ping').expect(200);
        expect(res.text).toBe('pong');
      });`,
    file: 'test/unlistened.test.ts',
  },
  {
    name: 'a listening server handed to request() in its listen callback, closed by the test when the request ends',
    code: `
      const express = require('express');
      const request = require('supertest');
      it('works with an active server', function (done) {
        const server = express().listen(function () {
          request(server).get('/').end(function (err) {
            server.close(() => done(err));
          });
        });
      });`,
    ext: '.js',
    file: 'test/active.test.js',
  },
];
