// unclosed-connection: tap's subtests on the root test object it exports (`import t from 'tap'; t.test(name, async (t)
// => …)`) are test bodies like those of an enclosing test's `t`: a server a passing subtest leaves listening keeps the
// test process from exiting (tap then fails it on its timeout), and one its `t.teardown()` closes is closed.
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

export const valid: ValidCase[] = [
  {
    name: "a tap subtest whose t.teardown() closes its server",
    code: SUPPLIER_TEST('        t.teardown(() => new Promise<void>((resolve) => supplier.close(() => resolve())));'),
    file: 'test/supplier.test.ts',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a tap subtest on the root test object that leaves its server listening",
    code: SUPPLIER_TEST(''),
    file: 'test/supplier.test.ts',
    errors: [{ line: 5, message: /^Server from `http.createServer` is never closed/ }],
  },
];
