// unclosed-connection: fastify apps (`Fastify(opts)`), whose port is bound by `listen()` (it resolves to the
// address, not the app) and released by `close()`: a test that starts one (directly, or through a project
// function that listens and returns it) and never closes it, beside one closed in a hook, one only `inject()`ed
// (no port) and an application's entry point that listens for the life of the process.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A project function that builds an app, listens and returns it (src/server.js). */
const START_SERVER = `import Fastify from 'fastify';
export function buildApp() {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ ok: true }));
  return app;
}
export async function startServer(opts = {}) {
  const app = buildApp();
  await app.listen({ port: opts.port ?? 3000, host: opts.host ?? '0.0.0.0' });
  return app;
}
`;

/** A vitest suite that starts the app on line 5; `teardown` is written after the tests. */
const E2E = (teardown: string) => `
      import { afterAll, beforeAll, expect, it } from 'vitest';
      import { startServer } from '../src/server.js';
      let app;
      let base = '';
      beforeAll(async () => {
        app = await startServer({ port: 0, host: '127.0.0.1' });
        base = 'http://127.0.0.1:' + app.server.address().port;
      });
      ${teardown}
      it('answers health checks', async () => {
        const res = await fetch(base + '/healthz');
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      });`;

export const valid: ValidCase[] = [
  {
    name: "a suite that closes the fastify app its hook started (afterAll(() => app.close()))",
    code: E2E('afterAll(async () => { await app.close(); });'),
    ext: '.js',
    file: 'test/e2e.test.js',
    files: { 'src/server.js': START_SERVER },
  },
  {
    name: 'a test of a fastify app it only inject()s: no port is bound',
    code: `
      import Fastify from 'fastify';
      import { test } from 'node:test';
      import assert from 'node:assert';
      test('health', async () => {
        const app = Fastify();
        app.get('/healthz', async () => ({ ok: true }));
        const res = await app.inject({ method: 'GET', url: '/healthz' });
        assert.equal(res.statusCode, 200);
      });`,
    ext: '.js',
  },
  {
    name: "an application's entry point that listens for the life of the process and closes on SIGTERM",
    code: `
      import Fastify from 'fastify';
      const app = Fastify({ logger: true });
      app.get('/healthz', async () => ({ ok: true }));
      await app.listen({ port: Number(process.env.PORT ?? 3000), host: '0.0.0.0' });
      process.once('SIGTERM', () => { app.close().then(() => process.exit(0)); });`,
    ext: '.mjs',
  },
  {
    name: 'a test that closes the app it listened on with t.after (node:test)',
    code: `
      const fastify = require('fastify');
      const { test } = require('node:test');
      test('listens', async (t) => {
        const app = fastify();
        app.get('/', async () => 'hi');
        t.after(() => app.close());
        await app.listen({ port: 0 });
        const res = await fetch('http://127.0.0.1:' + app.server.address().port);
        await res.text();
      });`,
    ext: '.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a suite whose hook starts the app through a project function and never closes it: the port stays bound',
    code: E2E(''),
    ext: '.js',
    file: 'test/e2e.test.js',
    files: { 'src/server.js': START_SERVER },
    errors: [{ line: 6, message: /server from `startServer\(\)` that a test hook keeps in `app` \(line 6\) is never closed/ }],
  },
  {
    name: 'a test that listens on a fastify app it made and never closes it',
    code: `
      const fastify = require('fastify');
      const { test } = require('node:test');
      test('listens', async () => {
        const app = fastify();
        app.get('/', async () => 'hi');
        await app.listen({ port: 0 });
        const res = await fetch('http://127.0.0.1:' + app.server.address().port);
        await res.text();
      });`,
    ext: '.js',
    errors: [{ line: 4, message: /never closed/ }],
  },
];
