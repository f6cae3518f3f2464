// unclosed-connection: a project client class that connects on first use into a field (`this.socket ??=
// net.connect(…)`) and closes it in `unbind()` (an LDAP client's close), and a test that asserts the field
// is gone after a failed connect (a passing run holds no connection); a project object whose only
// connection is a pool (no socket before its first query), made by a test that never uses it. A getter that returns the
// field's redis v4 client only while it is ready (`if (this.client?.isReady) return this.client`) and otherwise makes a
// new one drops one still reconnecting by itself; one that quits the old one first does not.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const CLIENT = `
      import * as net from 'net';
      export class DirClient {
        private socket?: net.Socket;
        async bind(): Promise<void> { this.socket ??= net.connect(389, 'localhost'); }
        async unbind(): Promise<void> { this.socket?.destroy(); this.socket = undefined; }
        async [Symbol.asyncDispose]() { return this.unbind(); }
      }`;

/** A test of `test/bind.test.ts` that makes a DirClient and runs `body`. */
function bindTest(name: string, title: string, body: string) {
  return {
    name,
    code: `
      import { DirClient } from '../src/client';
      it('${title}', async () => {
        const client = new DirClient();${body}
      });`,
    files: { 'src/client.ts': CLIENT },
    file: 'test/bind.test.ts',
  };
}

/** A store owning a pg pool; `use` is the test's line after making it. */
function sqlStoreTest(use: string): string {
  return `
      import { Pool } from 'pg';
      class SqlStore {
        pool: Pool;
        constructor(connectionString: string) {
          this.pool = new Pool({ connectionString });
        }
        async close() { await this.pool.end(); }
      }
      it('accepts a connection string', async () => {
        const store = new SqlStore('postgresql://localhost/test');
        ${use}
      });`;
}

/** A setpoint store whose ready() hands out its redis v4 client; `before` runs before it makes a new one. */
const SETPOINTS = (before: string) => `
      import { createClient, type RedisClientType } from 'redis';
      export class SetpointStore {
        private client: RedisClientType | null = null;
        async ready(): Promise<RedisClientType> {
          if (this.client?.isReady) return this.client;
${before}
          this.client = createClient({ url: process.env.REDIS_URL });
          await this.client.connect();
          return this.client;
        }
        async forPen(pen: string) { return (await this.ready()).hGetAll('setpoints:' + pen); }
        async close(): Promise<void> { await this.client?.quit(); this.client = null; }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a getter that makes a new redis v4 client whenever the field's is not ready: one still reconnecting is dropped open",
    code: SETPOINTS(''),
    errors: [{ line: 7, message: /^`this.client` is given a new Redis connection on line 7 while the one it holds may still be open/ }],
  },
  {
    name: 'a store owning a pg pool that the test queries and never closes',
    code: sqlStoreTest("await store.pool.query('SELECT 1');"),
    file: 'test/store.test.ts',
    errors: [{ line: 10, message: /^Connection-owning object from `new SqlStore\(\)` is never closed/ }],
  },
  {
    ...bindTest('a client bound in a test and never unbound', 'binds', `
        await client.bind();`),
    errors: [{ line: 3, message: /new DirClient\(\)` is never closed/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "the same getter quitting the field's client that is not ready before making a new one",
    code: SETPOINTS('          if (this.client) await this.client.quit().catch(() => {});'),
  },
  {
    name: 'a store owning a pg pool, made by a test that never uses it: a pool opens no socket before its first query',
    code: sqlStoreTest('expect(store).toBeDefined();'),
    file: 'test/store.test.ts',
  },
  bindTest('the client unbound at the end of the test', 'binds', `
        await client.bind();
        await client.unbind();`),
  bindTest('a test that expects the connect to fail and asserts that the client holds no socket', 'drops the socket when the connect fails', `
        try {
          await client.bind();
        } catch {
          // expected
        } finally {
          expect((client as any).socket).toBeUndefined();
        }`),
];
