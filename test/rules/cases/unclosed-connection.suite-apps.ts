// unclosed-connection: a suite's server that a `before` hook starts from an app it builds in a local of its own
// (`const app = createApp(deps); server = app.listen(0)`), read by the tests through `server.address()`: the
// after hook must close it, as for `server = createApp().listen(0)`. A fastify app's `listen()` resolves to its
// address, not a server: the app is what the after hook closes.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A mocha suite of an express app the hook builds with a publish stub; `after` is the body of its after hook. */
const APP_SUITE = (after: string) => `
      const assert = require('node:assert');
      const { createApp } = require('../src/server');
      const { knex } = require('../src/db');
      describe('bookings API', function () {
        let server;
        const published = [];
        before(async function () {
          const app = createApp({ publish: (queue, payload) => published.push({ queue, payload }) });
          server = app.listen(0);
          await new Promise((resolve) => server.once('listening', resolve));
        });
        after(async function () {
          ${after}
        });
        it('books a desk', async function () {
          const res = await fetch(\`http://127.0.0.1:\${server.address().port}/api/bookings\`, { method: 'POST' });
          assert.strictEqual(res.status, 201);
          await res.text();
        });
      });`;

const FILES = {
  'src/server.js': `const express = require('express');
function createApp({ publish }) {
  const app = express();
  app.post('/api/bookings', (req, res) => { publish('booking.created', {}); res.status(201).end(); });
  return app;
}
module.exports = { createApp };
`,
  'src/db.js': "const knex = require('knex')({ client: 'mysql2' });\nmodule.exports = { knex };\n",
  'package.json': '{ "name": "deskhop", "dependencies": { "express": "^4.21.0", "knex": "^3.1.0" }, "devDependencies": { "mocha": "^10.7.0" } }',
};

export const invalid: InvalidCase[] = [
  {
    name: "a suite's server started by the before hook from a hook-local app (`const app = createApp(…); server = app.listen(0)`), never closed: the after hook ends only the database",
    ext: '.js',
    file: 'test/bookings.test.js',
    files: FILES,
    code: APP_SUITE('await knex.destroy();'),
    errors: [{ line: 9, message: /^The server from `express\.listen` that a test hook keeps in `server`/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same suite whose after hook closes the server',
    ext: '.js',
    file: 'test/bookings.test.js',
    files: FILES,
    code: APP_SUITE('await knex.destroy();\n          await new Promise((resolve) => server.close(resolve));'),
  },
  {
    name: "a fastify app built in the hook whose listen() resolves to its address, the app closed by a function the after hook calls",
    ext: '.js',
    file: 'test/api.test.js',
    files: { 'src/app.js': "const Fastify = require('fastify');\nfunction buildApp() { const app = Fastify(); app.get('/', async () => 'ok'); return app; }\nmodule.exports = { buildApp };\n",
      'package.json': '{ "name": "api", "dependencies": { "fastify": "^4.28.0" } }' },
    code: `
      const { buildApp } = require('../src/app');
      describe('api', function () {
        let address;
        let close;
        before(async function () {
          const app = buildApp();
          address = await app.listen({ port: 0 });
          close = () => app.close();
        });
        after(() => close());
        it('answers', async function () {
          const res = await fetch(address);
          await res.text();
        });
      });`,
  },
];
