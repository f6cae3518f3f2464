// unreleased-pool-connection: a TypeORM query runner holds a connection of the pool from its `connect()`
// until its `release()`; reported at its `createQueryRunner()`, the checkout its users see.
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

export const invalid: InvalidCase[] = [
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
    name: "a transaction started before the try (TypeORM's documented shape): if START TRANSACTION fails, the runner keeps its connection",
    code: SERVICE(`await queryRunner.startTransaction();
          try {
            await queryRunner.query('INSERT INTO orders (external_id, total) VALUES ($1, $2)', [externalId, total]);
            await queryRunner.commitTransaction();
          } finally {
            await queryRunner.release();
          }`),
    errors: [{ line: 5, message: /not released if the `await` on line 7 rejects/ }],
  },
];

export const valid: ValidCase[] = [
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
