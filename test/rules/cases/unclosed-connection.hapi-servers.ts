// unclosed-connection: hapi servers (`Hapi.server(o)`), whose port is bound by `start()` and released by
// `stop()`: a test's upstream started and never stopped, beside one stopped, one only `inject()`ed (never
// started) and an application's `init()` that starts the server it gives routes to, for the process.
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

export const invalid: InvalidCase[] = [
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
