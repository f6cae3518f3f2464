// unclosed-connection: the other names a server goes by. `listen()` returns the server itself, so the
// value it returns (awaited or not) is the server; an Express app's route methods return the app, so
// `app.get('/', h).listen(port)` starts a server from it; a member of it handed to a helper that closes what it
// is given may be the server too (`server.socket = server.listen(0)`); and a `listen()` on an object a
// call has just made (a tunnel SDK's `session.httpEndpoint().listen()`) does not start a server. A
// Socket.IO server made with it (`new Server(httpServer)`) closes it in its own `close()`, and a server
// stored outside the function before its `listen()` is kept there. A helper that makes a server and returns a
// promise resolved with it once it listens hands it to the caller.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A test file whose helper resolves a server once it listens; `end` is the test body's last line. */
function serverHelperTest(end: string): string {
  return `
      const http = require('node:http');
      const { it } = require('node:test');
      function startServer(handler) {
        const srv = http.createServer(handler || ((req, res) => res.end('ok')));
        return new Promise((resolve) => srv.listen(0, () => resolve(srv)));
      }
      it('gets a page', async () => {
        const srv = await startServer();
        const res = await fetch('http://localhost:' + srv.address().port + '/');
        await res.text();
        ${end}
      });`;
}

export const valid: ValidCase[] = [
  {
    name: "a service's Express app listened on through a chain at the top level: it runs for the process",
    code: `
      const express = require('express');
      const app = express();
      app.use(express.json()).get('/', (req, res) => res.send('ok')).listen(3000, () => console.log('up'));`,
    ext: '.js',
  },
  {
    name: 'the value listen() returns, awaited, closed by a helper',
    code: `
      import * as net from 'node:net';
      async function cleanup(s) {
        try { s.close(); } catch (e) { console.error(e); }
      }
      test('echo', async () => {
        const srv = net.createServer((c) => c.resume());
        const bound = await srv.listen(0);
        await new Promise((r) => bound.once('listening', r));
        await cleanup(bound);
      });`,
    ext: '.mjs',
  },
  {
    name: 'a member of the server set from its own listen(), closed two helpers down',
    code: `
      import * as http from 'node:http';
      async function makeHttp() {
        const server = http.createServer((req, res) => res.end('ok'));
        const socket = await server.listen(0);
        server.socket = socket;
        return server;
      }
      async function shutdown(url, socket) {
        await forget(url);
        socket.close();
      }
      async function validateShutdown(httpServer, url) {
        await fetch(url).then((r) => r.text());
        await shutdown(url, httpServer.socket);
      }
      test('forward', async () => {
        const httpServer = await makeHttp();
        await validateShutdown(httpServer, 'http://localhost:' + httpServer.address().port);
      });
      async function forget(url) { console.log(url); }`,
    ext: '.mjs',
  },
  {
    name: 'a server never listened on, beside the listen() of an object another call made',
    code: `
      import * as http from 'node:http';
      function makeServer() { return http.createServer((req, res) => res.end('x')); }
      test('no bind', async () => {
        const server = makeServer();
        const endpoint = await openSession().then((s) => s.endpoint().listen(false));
        expect(endpoint.url).toBeUndefined();
        expect(server.listening).toBe(false);
      });
      declare function openSession(): Promise<{ endpoint(): { listen(bind: boolean): Promise<{ url?: string }> } }>;`,
  },
  {
    name: "a test's HTTP server handed to a Socket.IO server, which closes it in its own close() (also from the suite's afterEach)",
    code: `
      import { createServer } from 'node:http';
      import { Server } from 'socket.io';
      describe('rooms', () => {
        let io: Server;
        beforeEach((done) => {
          const srv = createServer();
          io = new Server(srv);
          srv.listen(() => done());
        });
        afterEach(() => io.close());
        it('joins', (done) => {
          const httpServer = createServer();
          const local = new Server(httpServer);
          httpServer.listen(() => { local.close(); done(); });
        });
      });`,
  },
  {
    name: "a test's server stored in the suite's variable before its listen(), closed by the suite's afterEach",
    code: `
      import http from 'node:http';
      describe('health', () => {
        let server: http.Server;
        beforeEach((done) => {
          const s = http.createServer((req, res) => res.end('ok'));
          server = s;
          s.listen(0, done);
        });
        afterEach((done) => { server.close(done); });
        it('answers', () => {});
      });`,
  },
  {
    name: "a test's server from a helper whose promise resolves it once listening, closed by the test",
    code: serverHelperTest('await new Promise((resolve) => srv.close(resolve));'),
    ext: '.js',
    file: 'test/pages.test.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a test's Express app listened on through a chain of its route methods, the server dropped",
    code: `
      const express = require('express');
      it('proxies to the target', function (done) {
        const target = express();
        target.get('/', (req, res) => res.sendStatus(204)).listen(4101);
        done();
      });`,
    ext: '.js',
    errors: [{ line: 4 }],
  },
  {
    name: 'the value listen() returns is the server: never closed through it either',
    code: `
      import * as net from 'node:net';
      test('echo', async () => {
        const srv = net.createServer((c) => c.resume());
        const bound = srv.listen(0);
        await new Promise((r) => bound.once('listening', r));
        expect(bound.address()).toBeTruthy();
      });`,
    ext: '.mjs',
    errors: [{ line: 3 }],
  },
  {
    name: 'a member of the server handed to a helper that only logs it: the server is still open',
    code: `
      import * as http from 'node:http';
      test('logs', async () => {
        const server = http.createServer((req, res) => res.end('ok'));
        server.listen(0);
        logSetting(server.maxHeadersCount);
      });
      function logSetting(value) { console.log(value); }`,
    ext: '.mjs',
    errors: [{ line: 3 }],
  },
  {
    name: "a test's HTTP server handed to a Socket.IO server that nothing closes",
    code: `
      import { createServer } from 'node:http';
      import { Server } from 'socket.io';
      describe('rooms', () => {
        it('joins', (done) => {
          const httpServer = createServer();
          const io = new Server(httpServer);
          io.on('connection', () => {});
          httpServer.listen(() => done());
        });
      });`,
    errors: [{ line: 5 }],
  },
  {
    name: "a test's HTTP server given to a ws WebSocketServer, whose close() leaves the HTTP server listening",
    code: `
      import { createServer } from 'node:http';
      import { WebSocketServer } from 'ws';
      describe('feed', () => {
        it('streams', (done) => {
          const httpServer = createServer();
          const wss = new WebSocketServer({ server: httpServer });
          httpServer.listen(() => { wss.close(); done(); });
        });
      });`,
    errors: [{ line: 5 }],
  },
  {
    name: "a test's server from a helper whose promise resolves it once listening (made just before the promise), never closed",
    code: serverHelperTest('// the server is left listening'),
    ext: '.js',
    file: 'test/pages.test.js',
    errors: [{ line: 8 }],
  },
];
