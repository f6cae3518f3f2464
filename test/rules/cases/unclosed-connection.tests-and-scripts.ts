// unclosed-connection: test code and one-shot scripts, where what only happens when a test fails or
// the process exits is not reported (mocha and node:test tests, a script's main() whose rejection
// exits the process).
import { ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
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
];
