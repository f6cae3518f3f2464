// unclosed-connection: clients and servers of Sequelize (a pool per instance; SQLite opens a file, not a
// connection), mssql's `ConnectionPool`, a @grpc/grpc-js `Server`, a cassandra-driver `Client`, a
// chrome-remote-interface DevTools session, an eager graphql-ws client and an ldapts `Client` (connected by its first operation, which
// may fail with it connected), nodemailer's own `SMTPConnection` (a failed login leaves it open), beside look-alikes
// that close them; an smtp-server `SMTPServer` (a mail double in tests: `listen()` binds it, `close()` closes it).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An SMTP check with nodemailer's SMTPConnection; `onLoginError` runs before a failed login rejects. */
const verifySmtp = (onLoginError: string) => `
      import SMTPConnection from 'nodemailer/lib/smtp-connection';
      export function verifySmtp(host: string, user: string, pass: string): Promise<void> {
        return new Promise((resolve, reject) => {
          const conn = new SMTPConnection({ host, port: 587, connectionTimeout: 5000 });
          conn.once('error', reject);
          conn.connect(() => {
            conn.login({ user, pass }, (err) => {
              if (err) {
                ${onLoginError}
                reject(err);
                return;
              }
              conn.quit();
              resolve();
            });
          });
        });
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "an SMTP check whose failed login rejects with nodemailer's SMTPConnection still open",
    code: verifySmtp("console.warn('login failed');"),
    errors: [{ line: 4, message: /^SMTP connection from `nodemailer\/lib\/smtp-connection` is not closed/ }],
  },
  {
    name: "a test's mssql pool lent to a helper that only opens a transaction on it (`new sql.Transaction(pool)`), never closed",
    ext: '.mjs',
    file: 'src/mssql/lock.test.mjs',
    code: `
      import { test } from 'node:test';
      import sql from 'mssql';
      import { withAppLock } from './lock.mjs';
      test('runs the callback inside the locking transaction', async () => {
        const pool = await new sql.ConnectionPool({ server: 'localhost' }).connect();
        await withAppLock(pool, 'ci-lock', async (tx) => new sql.Request(tx).query('SELECT 1'));
      });`,
    files: { 'src/mssql/lock.mjs': `import sql from 'mssql';\nexport async function withAppLock(pool, name, fn) {\n  const tx = new sql.Transaction(pool);\n  await tx.begin();\n  try {\n    const value = await fn(tx);\n    await tx.commit();\n    return value;\n  } catch (err) {\n    await tx.rollback();\n    throw err;\n  }\n}\n` },
    errors: [{ line: 5, message: /never closed/ }],
  },
  {
    name: "a BullMQ queue given connection options from another module (an options literal, not a client): its own connection, left open on the dry run",
    code: `
      import { Queue } from 'bullmq';
      import { redisOptions } from './redis';
      export async function clean(name: string, dryRun: boolean) {
        const queue = new Queue(name, { connection: redisOptions });
        const counts = await queue.getJobCounts('completed', 'failed');
        if (dryRun) return counts;
        await queue.clean(86_400_000, 10_000, 'completed');
        await queue.close();
        return counts;
      }`,
    files: { 'redis.ts': "export const redisOptions = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: 6379 };\nexport const redis = { duplicate() { return this; } };\n" },
    errors: [{ line: 4, message: /`return` on line 6/ }],
  },
  {
    name: 'a suite whose beforeAll opens its own Sequelize instance and no afterAll closes it',
    code: `
      import { Sequelize } from 'sequelize';
      let db: Sequelize;
      beforeAll(async () => {
        db = new Sequelize(process.env.BILLING_URL!, { logging: false });
        await db.authenticate();
      });
      it('counts invoices', async () => {
        const [rows] = await db.query('SELECT count(*) FROM invoices');
        expect(rows).toBeDefined();
      });`,
    file: 'src/billing/invoices.test.ts',
    errors: [{ line: 4, message: /Sequelize/ }],
  },
  {
    name: 'an mssql ConnectionPool connected per call and closed only after a successful read',
    code: `
      const sql = require('mssql');
      async function readGroups(config) {
        const pool = new sql.ConnectionPool(config);
        await pool.connect();
        const r = await pool.request().query('SELECT name FROM groups');
        if (r.recordset.length === 0) return [];
        await pool.close();
        return r.recordset;
      }
      module.exports = { readGroups };`,
    ext: '.js',
    errors: [{ line: 3, message: /line 6/ }],
  },
  {
    name: 'an mssql ConnectionPool connected in a chain (`connect()` resolves to the pool) per tenant, left open when the tenant has no rows',
    code: `
      import sql from 'mssql';
      export async function exportTenant(tenant: { id: string; connectionString: string }) {
        const pool = await new sql.ConnectionPool(tenant.connectionString).connect();
        const { recordset } = await pool.request().input('t', sql.NVarChar, tenant.id).query('SELECT * FROM invoices WHERE tenant = @t');
        if (!recordset.length) {
          console.warn('nothing to export for', tenant.id);
          return 0;
        }
        await pool.close();
        return recordset.length;
      }`,
    errors: [{ line: 3, message: /`return` on line 7/ }],
  },
  {
    name: 'an ldapts client whose bind is refused (a wrong password): ldapts connected for the bind and keeps the socket; the catch returns without unbind()',
    code: `
      import { Client, InvalidCredentialsError } from 'ldapts';
      export async function authenticate(url: string, dn: string, password: string): Promise<boolean> {
        const client = new Client({ url, timeout: 10_000 });
        try {
          await client.bind(dn, password);
        } catch (err) {
          if (err instanceof InvalidCredentialsError) return false;
          throw err;
        }
        await client.unbind();
        return true;
      }`,
    errors: [{ line: 3, message: /`return` on line 7/ }],
  },
  {
    name: 'a graphql-ws client made eager (`lazy: false`) for a one-off query and never disposed: its WebSocket stays open, retrying when it drops',
    code: `
      import { createClient } from 'graphql-ws';
      export async function fetchOnce(url: string, query: string): Promise<unknown> {
        const client = createClient({ url, lazy: false, retryAttempts: 5 });
        return new Promise((resolve, reject) => {
          client.subscribe({ query }, { next: (v) => resolve(v), error: reject, complete: () => {} });
        });
      }`,
    errors: [{ line: 3, message: /WebSocket from `graphql-ws\.createClient` is never closed/ }],
  },
  {
    name: 'a gRPC server a beforeAll binds and the afterAll leaves running (it closes only the client)',
    code: `
      import * as grpc from '@grpc/grpc-js';
      let server: grpc.Server;
      let client: grpc.Client;
      beforeAll(async () => {
        server = new grpc.Server();
        const port = await new Promise<number>((resolve, reject) =>
          server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
        client = new grpc.Client(\`127.0.0.1:\${port}\`, grpc.credentials.createInsecure());
      });
      afterAll(() => client.close());
      it('is up', () => expect(client).toBeDefined());`,
    file: 'src/services/inventory-service.test.ts',
    errors: [{ line: 5 }],
  },
  {
    name: "a cassandra-driver client whose catch logs and returns before shutdown()",
    code: `
      const cassandra = require('cassandra-driver');
      async function archiveDay(day) {
        const client = new cassandra.Client({ contactPoints: ['cold-dc'], localDataCenter: 'dc2' });
        try {
          await client.connect();
          await client.execute('INSERT INTO archive_days (day) VALUES (?)', [day], { prepare: true });
        } catch (err) {
          console.error('archive failed', err);
          return 0;
        }
        await client.shutdown();
        return 1;
      }
      module.exports = { archiveDay };`,
    ext: '.js',
    errors: [{ line: 3, message: /line 9 is taken\. Its control connection and its connection pool to every node of the cluster stay open/ }],
  },
  {
    name: 'a chrome-remote-interface session that an evaluation error leaves open before close()',
    code: `
      import CDP from 'chrome-remote-interface';
      export async function evaluateInPage(port: number, expression: string): Promise<unknown> {
        const client = await CDP({ port });
        const { result, exceptionDetails } = await client.Runtime.evaluate({ expression, returnByValue: true });
        if (exceptionDetails) throw new Error(exceptionDetails.text);
        await client.close();
        return result.value;
      }`,
    errors: [{ line: 3, message: /line 5/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "the same SMTP check closing the connection when the login fails (its 'error' closes it by itself)",
    code: verifySmtp('conn.close();'),
  },
  {
    name: 'an ldapts client from a project factory (it connects on its first operation): a throw before the first bind leaves nothing open',
    code: `
      import { Attribute, Change } from 'ldapts';
      import { newLdapClient } from './ldap';
      export async function changePassword(dn: string, current: string, next: string): Promise<void> {
        const client = newLdapClient();
        if (next.length < 12) throw new Error('too short');
        try {
          await client.bind(dn, current);
          await client.modify(dn, [new Change({ operation: 'replace', modification: new Attribute({ type: 'userPassword', values: [next] }) })]);
        } finally {
          await client.unbind();
        }
      }`,
    files: { 'ldap.ts': "import { Client } from 'ldapts';\nexport function newLdapClient(): Client {\n  return new Client({ url: process.env.LDAP_URL! });\n}\n" },
  },
  {
    name: 'a lazy graphql-ws client (the default) connects per subscription and closes once none is left; an eager one disposed in finally',
    code: `
      import { createClient } from 'graphql-ws';
      export function watch(url: string, query: string, onValue: (v: unknown) => void) {
        const client = createClient({ url });
        return client.subscribe({ query }, { next: onValue, error: console.error, complete: () => {} });
      }
      export async function ping(url: string) {
        const client = createClient({ url, lazy: false });
        try {
          return await new Promise((resolve, reject) => client.on('connected', resolve) && client.on('error', reject));
        } finally {
          await client.dispose();
        }
      }`,
  },
  {
    name: "a suite's in-memory SQLite Sequelize (no connection) never closed, and a Postgres one closed in afterAll",
    code: `
      import { Sequelize } from 'sequelize';
      const memory = new Sequelize('sqlite::memory:', { logging: false });
      const file = new Sequelize({ dialect: 'sqlite', storage: 'test.db' });
      let db: Sequelize;
      beforeAll(() => { db = new Sequelize(process.env.BILLING_URL!); });
      afterAll(() => db.close());
      it('syncs', async () => {
        await memory.sync();
        await file.sync();
        await db.authenticate();
      });`,
    file: 'src/models.test.ts',
  },
  {
    name: 'a gRPC server the suite shuts down with tryShutdown, and a cassandra client shut down in finally',
    code: `
      import * as grpc from '@grpc/grpc-js';
      import { Client } from 'cassandra-driver';
      let server: grpc.Server;
      beforeAll((done) => {
        server = new grpc.Server();
        server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), () => done());
      });
      afterAll((done) => server.tryShutdown(() => done()));
      it('archives', async () => {
        const client = new Client({ contactPoints: ['127.0.0.1'], localDataCenter: 'dc1' });
        try {
          await client.execute('SELECT now() FROM system.local');
        } finally {
          await client.shutdown();
        }
      });`,
    file: 'src/server.test.ts',
  },
];

/** A jest suite whose hook starts an smtp-server double (`new SMTPServer(o)`, bound by `listen()`); `after` is the afterAll body. */
const SMTP_DOUBLE = (kept: string, after: string) => `
      import { SMTPServer } from 'smtp-server';
      const inbox: string[] = [];
      ${kept}
      beforeAll(async () => {
        server = new SMTPServer({
          authOptional: true,
          onData(stream, _session, callback) {
            let raw = '';
            stream.on('data', (c) => (raw += c));
            stream.on('end', () => { inbox.push(raw); callback(); });
          },
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      });
      afterAll(async () => {
        ${after}
      });
      test('delivers', () => {});`;

valid.push({
  name: 'an smtp-server double a suite starts and closes after the tests',
  code: SMTP_DOUBLE('let server: SMTPServer;', 'await new Promise<void>((resolve) => server.close(() => resolve()));'),
});
invalid.push({
  name: 'an smtp-server double a hook starts in a local and never closes: the port stays bound after the tests',
  code: SMTP_DOUBLE('', 'inbox.length = 0;').replace('server = new SMTPServer', 'const server = new SMTPServer'),
  errors: [{ line: 5, message: /^Server from `smtp-server.SMTPServer` is never closed/ }],
});
