// unreleased-pool-connection: a TypeORM query runner holds a connection of the pool from its `connect()`
// until its `release()`; reported at its `createQueryRunner()`, the checkout its users see. Its `query()`,
// `stream()` and `startTransaction()` connect it first, and a statement that fails leaves it connected
// (`stream()` fails only when it cannot connect; `startTransaction()` on a working connection does not fail).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const SERVICE = (body: string) => `
      import { DataSource } from 'typeorm';
      export class OrdersService {
        constructor(private readonly dataSource: DataSource) {}
        async place(externalId: string, total: number) {
          const queryRunner = this.dataSource.createQueryRunner();
          await queryRunner.connect();
          ${body}
        }
      }`;

/** A runner used only through its manager, which connects it at the first query. */
const CLONE_RECIPE = `
      import { DataSource } from 'typeorm';
      import { Recipe } from './recipe';
      export async function cloneRecipe(ds: DataSource, id: number, boilerId: string): Promise<number | null> {
        const runner = ds.createQueryRunner();
        const source = await runner.manager.findOne(Recipe, { where: { id } });
        if (!source) {
          return null;
        }
        const saved = await runner.manager.save(runner.manager.create(Recipe, { ...source, id: undefined, boilerId }));
        await runner.release();
        return saved.id;
      }`;
const RECIPE = "export class Recipe { id?: number; boilerId = ''; name = ''; }\n";

export const invalid: InvalidCase[] = [
  {
    name: "a runner connected by its manager's first query (runner.manager.findOne), left checked out by the return for a missing recipe",
    code: CLONE_RECIPE,
    files: { 'recipe.ts': RECIPE },
    errors: [{ line: 4, message: /not released when the `return` on line 7 is taken/ }],
  },
  {
    name: "a query runner per account of a loop, from the DataSource a project helper declares it resolves to (`Promise<DataSource>`), left checked out by a continue",
    file: 'db/expiry.ts',
    files: {
      'db/dataSource.ts': "import { DataSource } from 'typeorm';\nexport const AppDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL });\nlet initializing: Promise<DataSource> | undefined;\nexport function initDataSource(): Promise<DataSource> {\n  if (AppDataSource.isInitialized) return Promise.resolve(AppDataSource);\n  initializing ??= AppDataSource.initialize();\n  return initializing;\n}\n",
    },
    code: `
      import { initDataSource } from './dataSource';
      export async function expire(ids: number[]): Promise<number> {
        const ds = await initDataSource();
        let done = 0;
        for (const id of ids) {
          const runner = ds.createQueryRunner();
          await runner.connect();
          await runner.startTransaction();
          const [row] = await runner.query('SELECT points FROM accounts WHERE id = $1 FOR UPDATE', [id]);
          if (row.points <= 0) {
            await runner.commitTransaction();
            continue;
          }
          await runner.query('UPDATE accounts SET points = 0 WHERE id = $1', [id]);
          await runner.commitTransaction();
          await runner.release();
          done++;
        }
        return done;
      }`,
    errors: [{ line: 6, message: /not released before the next loop iteration/ }],
  },
  {
    name: 'a duplicate check that returns before the try whose finally releases the query runner',
    code: SERVICE(`const existing = await queryRunner.query('SELECT id FROM orders WHERE external_id = $1', [externalId]);
          if (existing.length) return existing[0];
          await queryRunner.startTransaction();
          try {
            await queryRunner.query('INSERT INTO orders (external_id, total) VALUES ($1, $2)', [externalId, total]);
            await queryRunner.commitTransaction();
          } catch (err) {
            await queryRunner.rollbackTransaction();
            throw err;
          } finally {
            await queryRunner.release();
          }`),
    errors: [{ line: 5, message: /not released when the `return` on line 8 is taken/ }],
  },
  {
    name: 'a query before the try whose finally releases the runner: a failing statement leaves it checked out',
    code: SERVICE(`await queryRunner.query('SELECT pg_advisory_xact_lock(42)');
          try {
            await queryRunner.query('INSERT INTO orders (external_id, total) VALUES ($1, $2)', [externalId, total]);
          } finally {
            await queryRunner.release();
          }`),
    errors: [{ line: 5, message: /not released if the `await` on line 7 rejects/ }],
  },
];

const STREAMED = (end: string) => `
      import { DataSource } from 'typeorm';
      import nodemailer from 'nodemailer';
      const mailer = nodemailer.createTransport({ host: 'smtp.internal', port: 587 });
      export async function sendOverdueNotices(ds: DataSource): Promise<number> {
        const queryRunner = ds.createQueryRunner();
        const rows = await queryRunner.stream('SELECT email, title FROM loans WHERE due_at < now()');
        let sent = 0;${end}
        return sent;
      }`;

invalid.push(
  {
    name: 'a runner never connected by hand whose stream() connects it, released after a loop whose sendMail may throw',
    code: STREAMED(`
        for await (const row of rows as AsyncIterable<{ email: string; title: string }>) {
          await mailer.sendMail({ to: row.email, subject: row.title, text: 'overdue' });
          sent += 1;
        }
        await queryRunner.release();`),
    errors: [{ line: 5, message: /The connection checked out by `typeorm.DataSource.createQueryRunner` is not released if the `await` on line 8 rejects/ }],
  },
  {
    name: "a runner whose first query() connects it, and a return when it finds nothing",
    code: `
      import { DataSource } from 'typeorm';
      export async function archive(ds: DataSource, id: string) {
        const runner = ds.createQueryRunner();
        const rows = await runner.query('SELECT id FROM loans WHERE id = $1', [id]);
        if (!rows.length) return false;
        await runner.query('DELETE FROM loans WHERE id = $1', [id]);
        await runner.release();
        return true;
      }`,
    errors: [{ line: 3, message: /when the `return` on line 5 is taken/ }],
  },
);

export const valid: ValidCase[] = [
  {
    name: 'a runner used through its manager and released in a finally',
    code: `
      import { DataSource } from 'typeorm';
      import { Recipe } from './recipe';
      export async function cloneRecipe(ds: DataSource, id: number, boilerId: string): Promise<number | null> {
        const runner = ds.createQueryRunner();
        try {
          const source = await runner.manager.findOne(Recipe, { where: { id } });
          if (!source) return null;
          const saved = await runner.manager.save(runner.manager.create(Recipe, { ...source, id: undefined, boilerId }));
          return saved.id;
        } finally {
          await runner.release();
        }
      }`,
    files: { 'recipe.ts': RECIPE },
  },
  {
    name: "a transaction started before the try (TypeORM's documented shape): on a working connection START TRANSACTION does not fail",
    code: SERVICE(`await queryRunner.startTransaction();
          try {
            await queryRunner.query('INSERT INTO orders (external_id, total) VALUES ($1, $2)', [externalId, total]);
            await queryRunner.commitTransaction();
          } finally {
            await queryRunner.release();
          }`),
  },
  {
    name: "the same loop releasing each runner in finally",
    file: 'db/expiry.ts',
    files: {
      'db/dataSource.ts': "import { DataSource } from 'typeorm';\nexport const AppDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL });\nlet initializing: Promise<DataSource> | undefined;\nexport function initDataSource(): Promise<DataSource> {\n  if (AppDataSource.isInitialized) return Promise.resolve(AppDataSource);\n  initializing ??= AppDataSource.initialize();\n  return initializing;\n}\n",
    },
    code: `
      import { initDataSource } from './dataSource';
      export async function expire(ids: number[]): Promise<void> {
        const ds = await initDataSource();
        for (const id of ids) {
          const runner = ds.createQueryRunner();
          await runner.connect();
          try {
            await runner.query('UPDATE accounts SET points = 0 WHERE id = $1', [id]);
          } finally {
            await runner.release();
          }
        }
      }`,
  },
  {
    name: 'a runner whose stream() connects it inside the try whose finally releases it',
    code: STREAMED(`
        try {
          for await (const row of rows as AsyncIterable<{ email: string; title: string }>) {
            await mailer.sendMail({ to: row.email, subject: row.title, text: 'overdue' });
            sent += 1;
          }
        } finally {
          await queryRunner.release();
        }`),
  },
  {
    name: 'a runner whose first query() is in the try whose finally releases it',
    code: `
      import { DataSource } from 'typeorm';
      export async function count(ds: DataSource) {
        const runner = ds.createQueryRunner();
        try {
          const [row] = await runner.query('SELECT count(*) AS n FROM loans');
          return Number(row.n);
        } finally {
          await runner.release();
        }
      }`,
  },
  {
    name: 'a transaction started in the try whose finally releases the query runner on every path',
    code: SERVICE(`try {
            await queryRunner.startTransaction();
            await queryRunner.query('INSERT INTO orders (external_id, total) VALUES ($1, $2)', [externalId, total]);
            await queryRunner.commitTransaction();
          } catch (err) {
            await queryRunner.rollbackTransaction();
            throw err;
          } finally {
            await queryRunner.release();
          }`),
  },
  {
    name: 'a query runner made and never connected holds no connection',
    code: `
      import { DataSource } from 'typeorm';
      export function describeRunner(dataSource: DataSource) {
        const queryRunner = dataSource.createQueryRunner();
        return queryRunner.isReleased;
      }`,
  },
];
