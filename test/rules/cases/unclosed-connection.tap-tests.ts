// unclosed-connection: tap's subtests on the root test object it exports (`import t from 'tap'; t.test(name, async (t)
// => …)`) are test bodies like those of an enclosing test's `t`: a server a passing subtest leaves listening keeps the
// test process from exiting (tap then fails it on its timeout), and one its `t.teardown()` closes is closed. A client
// the file makes when it loads (also in a top-level `if` that skips without a server) is the suite's, as in a mocha file.
// A list of servers mapped to their closes (`[a, b].map((s) => new Promise((r) => s.close(r)))`) closes each.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A tap file whose one subtest starts a fake supplier; `after` follows the listen. */
const SUPPLIER_TEST = (after: string) => `
      import t from 'tap';
      import http from 'node:http';
      import { once } from 'node:events';
      t.test('parses the price list', async (t) => {
        const supplier = http.createServer((req, res) => res.end('sku,price\\n'));
        supplier.listen(0, '127.0.0.1');
        await once(supplier, 'listening');
${after}
        const res = await fetch('http://127.0.0.1:' + (supplier.address() as { port: number }).port + '/prices.csv');
        t.equal(await res.text(), 'sku,price\\n');
      });`;

/** A tap file that connects a Redis client when it loads, unless REDIS_URL is unset; `teardown` is its t.teardown(). */
const PROBE_TEST = (teardown: string) => `
      import t from 'tap';
      import { createClient } from 'redis';
      import { nearestCouriers, closeGeoIndex } from '../src/geo/geoIndex.mjs';
      if (!process.env.REDIS_URL) {
        t.skip('REDIS_URL not set');
      } else {
        const probe = createClient({ url: process.env.REDIS_URL });
        await probe.connect();
        t.teardown(${teardown});
        t.beforeEach(async () => { await probe.del('couriers:live'); });
        t.test('finds nobody in an empty index', async (t) => {
          t.same(await nearestCouriers(13.404, 52.521, 500), []);
        });
      }`;

export const valid: ValidCase[] = [
  {
    name: 'a Redis client a tap file connects when it loads, which its t.teardown() quits',
    code: PROBE_TEST('async () => { await probe.quit(); await closeGeoIndex(); }'),
    file: 'test/geoIndex.test.mjs',
  },
  {
    name: "a tap subtest whose t.teardown() closes its server",
    code: SUPPLIER_TEST('        t.teardown(() => new Promise<void>((resolve) => supplier.close(() => resolve())));'),
    file: 'test/supplier.test.ts',
  },
  {
    name: "a tap subtest whose t.teardown() closes its servers by mapping a list of them (`[a, b].map((s) => …s.close(r))`)",
    code: `
      import t from 'tap';
      import http from 'node:http';
      t.test('relays', async (t) => {
        const upstream = http.createServer((req, res) => res.end('{}'));
        const gateway = http.createServer((req, res) => res.end('{}'));
        upstream.listen(0);
        gateway.listen(0);
        t.teardown(async () => {
          await Promise.all([upstream, gateway].map((s) => new Promise((resolve) => s.close(resolve))));
        });
        t.ok(upstream.listening);
      });`,
    file: 'test/relay.test.mjs',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a tap subtest on the root test object that leaves its server listening",
    code: SUPPLIER_TEST(''),
    file: 'test/supplier.test.ts',
    errors: [{ line: 5, message: /^Server from `http.createServer` is never closed/ }],
  },
  {
    name: 'the same Redis client when t.teardown() only closes the module under test: it keeps tap from exiting',
    code: PROBE_TEST('closeGeoIndex'),
    file: 'test/geoIndex.test.mjs',
    errors: [{ line: 7, message: /^The Redis connection from `redis.createClient` that the test file makes when it loads/ }],
  },
];
