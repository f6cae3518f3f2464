// unclosed-connection: a field a class inherits, closed by its base class. A database client class that
// keeps its knex instance in the base class's field beside a Cassandra client it shuts down itself, and
// calls `super.disconnect()`, which destroys the knex pool; not when its disconnect() never calls the base's.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const BASE = `
      import type { Knex } from 'knex';
      export abstract class BasicDatabaseClient {
        knex: Knex | null = null;
        abstract connect(): Promise<void>;
        async disconnect(): Promise<void> {
          await this.knex?.destroy();
          this.knex = null;
        }
      }`;

const CLIENT = (disconnect: string) => `
      import knexlib from 'knex';
      import * as cassandra from 'cassandra-driver';
      import { BasicDatabaseClient } from './base';
      export class CassandraClient extends BasicDatabaseClient {
        client: cassandra.Client | null = null;
        async connect(): Promise<void> {
          this.client = new cassandra.Client({ contactPoints: ['db'], localDataCenter: 'dc1' });
          await this.client.connect();
          this.knex = knexlib({ client: 'pg', connection: process.env.DATABASE_URL });
        }
        async disconnect(): Promise<void> {${disconnect}
          await this.client?.shutdown();
          this.client = null;
        }
      }`;

export const valid: ValidCase[] = [
  {
    name: "a subclass's knex instance destroyed by its base class's disconnect(), which its own disconnect() calls through super",
    code: CLIENT(`
          await super.disconnect();`),
    files: { 'src/base.ts': BASE },
    file: 'src/cassandra.ts',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "the same subclass when its own disconnect() never calls the base's",
    code: CLIENT(''),
    files: { 'src/base.ts': BASE },
    file: 'src/cassandra.ts',
    errors: [{ line: 9, message: /is kept in `this.knex`, and nothing in its class ever closes it/ }],
  },
];
