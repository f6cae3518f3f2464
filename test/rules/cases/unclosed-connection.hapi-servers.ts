// unclosed-connection: hapi servers (`Hapi.server(o)`), whose port is bound by `start()` and released by
// `stop()`: a test's upstream started and never stopped, beside one stopped, one only `inject()`ed (never
// started) and an application's `init()` that starts the server it gives routes to, for the process.
// `stop({ timeout })` ends idle connections and destroys the rest once the timeout passes (`lib/core.js`
// `_unlisten`), unless the server is made with `operations: { cleanStop: false }`: a test's raw client of a
// server the test stops is closed by its peer. A stop inside a route handler whose promise the test awaits
// has run on a passing path. hapi's own tests take it by path (`require('..')`).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A lab test that starts an upstream hapi server on line 6; `end` ends the test. */
function upstreamTest(end: string): string {
  return `
      const Hapi = require('@hapi/hapi');
      const Lab = require('@hapi/lab');
      const { expect } = require('@hapi/code');
      const { it } = (exports.lab = Lab.script());
      it('proxies to the upstream', async () => {
        const upstream = Hapi.server();
        upstream.route({ method: 'GET', path: '/', handler: () => 'ok' });
        await upstream.start();
        const res = await fetch(upstream.info.uri);
        expect(res.status).to.equal(200);
        await res.text();
${end}
      });`;
}


/** A lab test of hapi's connection handling: a raw socket connected by a helper of the file, then `stop`. */
function stopTest(options: string, stop: string): string {
  return `
      const Net = require('net');
      const Hapi = require('@hapi/hapi');
      const internals = {};
      it('destroys unhandled connections', async () => {
        const server = Hapi.server(${options});
        await server.start();
        await internals.socket(server);
        ${stop}
      });
      internals.socket = function (server) {
        const socket = new Net.Socket();
        socket.on('error', () => {});
        return new Promise((resolve) => socket.connect(server.info.port, '127.0.0.1', () => resolve(socket)));
      };`;
}

/** hapi's own test (`require('..')`) that stops the server from inside its route handler. */
const HANDLER_STOP = (awaitStop: string) => `
      const Hapi = require('..');
      const Wreck = require('@hapi/wreck');
      it('emits closing while a request is active', async () => {
        const server = Hapi.server();
        let stop;
        const handler = async () => {
          stop = server.stop({ timeout: 200 });
          return 'ok';
        };
        server.route({ method: 'GET', path: '/', handler });
        await server.start();
        await Wreck.get('http://localhost:' + server.info.port + '/');
        ${awaitStop}
      });`;

const HAPI_PACKAGE = { 'package.json': '{ "name": "@hapi/hapi", "main": "lib/index.js" }', 'lib/index.js': 'exports.server = function (o) { return o; };' };

export const invalid: InvalidCase[] = [
  {
    name: "a raw client of a server made with cleanStop off: its stop() leaves the connection open",
    code: stopTest('{ operations: { cleanStop: false } }', 'await server.stop({ timeout: 100 });'),
    ext: '.js',
    file: 'test/core.js',
    errors: [{ line: 7, message: /^Socket from `socket\(\)` is dropped where it is created/ }],
  },
  {
    name: "hapi's own test, by path: a stop in the handler whose promise the test never awaits",
    code: HANDLER_STOP(''),
    ext: '.js',
    file: 'test/core.js',
    files: HAPI_PACKAGE,
    errors: [{ line: 4, message: /^Server from `@hapi\/hapi.server` is never closed/ }],
  },
  {
    name: 'a server from a local helper that starts it before returning it, never stopped by the test',
    code: provisionedTest('        await server.start();'),
    file: 'test/file.js',
    errors: [{ line: 10, message: /^Server from `provision\(\)` is never closed/ }],
  },
  {
    name: "a test's upstream hapi server, started and never stopped",
    code: upstreamTest(''),
    file: 'test/index.js',
    errors: [{ line: 6, message: /^Server from `@hapi\/hapi.server` is never closed/ }],
  },
];

/** A lab suite whose local `provision()` makes a hapi server (`opening` ends it) and whose test injects a request. */
function provisionedTest(opening: string): string {
  return `
      const Hapi = require('@hapi/hapi');
      const Inert = require('@hapi/inert');
      const provision = async (options) => {
        const server = new Hapi.Server(options);
        await server.register(Inert);
${opening}
        return server;
      };
      it('serves a file', async () => {
        const server = await provision({ routes: { files: { relativeTo: __dirname } } });
        server.route({ method: 'GET', path: '/file', handler: { file: 'index.js' } });
        const res = await server.inject('/file');
        if (res.statusCode !== 200) throw new Error('unexpected');
      });`;
}

export const valid: ValidCase[] = [
  {
    name: "a raw client of a hapi server the test stops: stop() destroys it once the timeout passes",
    code: stopTest('', 'await server.stop({ timeout: 100 });'),
    ext: '.js',
    file: 'test/core.js',
  },
  {
    name: "hapi's own test, by path: the stop promise its route handler started is awaited by the test",
    code: HANDLER_STOP('await stop;'),
    ext: '.js',
    file: 'test/core.js',
    files: HAPI_PACKAGE,
  },
  {
    name: 'a server from a local helper that registers a plugin and returns it unstarted; the test only injects',
    code: provisionedTest(''),
    file: 'test/file.js',
  },
  {
    name: 'the same upstream, stopped at the end of the test',
    code: upstreamTest('        await upstream.stop();'),
    file: 'test/index.js',
  },
  {
    name: 'a hapi server a test only injects requests into: never started, it binds no port',
    code: `
      const Hapi = require('@hapi/hapi');
      it('answers', async () => {
        const server = Hapi.server();
        server.route({ method: 'GET', path: '/', handler: () => 'ok' });
        const res = await server.inject('/');
        if (res.statusCode !== 200) throw new Error('unexpected');
      });`,
    file: 'test/inject.test.js',
  },
  {
    name: "an application's init() that starts the server it gives its routes to: it runs for the process",
    code: `
      const Hapi = require('@hapi/hapi');
      const init = async () => {
        const server = Hapi.server({ port: 3000, host: 'localhost' });
        server.route({ method: 'GET', path: '/', handler: () => 'Hello World!' });
        await server.start();
        console.log('Server running on %s', server.info.uri);
      };
      process.on('unhandledRejection', (err) => { console.log(err); process.exit(1); });
      init();`,
    ext: '.js',
  },
];
