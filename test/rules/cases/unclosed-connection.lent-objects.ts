// unclosed-connection: a client a test hook keeps, lent to a project function as a property of an object
// (`archive(name, { mongo })`, or a fixture `const deps = () => ({ mongo, log })` given as `deps()`): the
// function only reads it there, so nothing closes it; one that closes `deps.mongo` is its owner.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A node:test suite whose before() connects a MongoClient lent to `archive()` in a deps object; `body` is archive's. */
function lentInDeps(body: string, lend = 'const deps = () => ({ mongo, log: console });'): { code: string; file: string; files: Record<string, string> } {
  return {
    code: `
      import { before, after, it } from 'node:test';
      import { MongoClient } from 'mongodb';
      import { MongoMemoryServer } from 'mongodb-memory-server';
      import { archive } from './archive';
      let mongod: MongoMemoryServer;
      let mongo: MongoClient;
      before(async () => {
        mongod = await MongoMemoryServer.create();
        mongo = new MongoClient(mongod.getUri());
        await mongo.connect();
      });
      after(async () => {
        await mongod.stop();
      });
      ${lend}
      it('archives the orders', async () => {
        await archive('orders', ${lend.startsWith('const deps') ? 'deps()' : '{ mongo, log: console }'});
      });`,
    file: 'src/archive.test.ts',
    files: {
      'src/archive.ts': `import type { MongoClient } from 'mongodb';
export async function archive(name: string, deps: { mongo: MongoClient; log: Console }): Promise<number> {
${body}
}
`,
    },
  };
}

export const invalid: InvalidCase[] = [
  {
    name: "a MongoClient of before() lent in a deps fixture (`const deps = () => ({ mongo })`) to a function that only reads it, never closed",
    ...lentInDeps("  const n = await deps.mongo.db('shop').collection(name).countDocuments();\n  deps.log.info(name + ': ' + n);\n  return n;"),
    errors: [{ line: 9, message: /MongoDB client .* that a test hook keeps in `mongo`/ }],
  },
  {
    name: 'a MongoClient of before() lent inline (`archive(name, { mongo })`) to a function that only reads it, never closed',
    ...lentInDeps("  const n = await deps.mongo.db('shop').collection(name).countDocuments();\n  deps.log.info(name + ': ' + n);\n  return n;", ''),
    errors: [{ line: 9, message: /MongoDB client .* that a test hook keeps in `mongo`/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'a MongoClient of before() lent in a deps fixture to a function that closes it',
    ...lentInDeps("  try {\n    return await deps.mongo.db('shop').collection(name).countDocuments();\n  } finally {\n    await deps.mongo.close();\n  }"),
  },
];
