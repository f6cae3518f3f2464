// unclosed-connection: pools kept in fields live on by design, except in a class whose release closes its
// other connections and forgets one pool or Kafka client (forgotten-connections.ts).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const TRADES = (stop: string) => `
      import type { Admin, Consumer, Kafka } from 'kafkajs';
      export class TradeConsumer {
        private consumer?: Consumer;
        private admin?: Admin;
        constructor(private readonly kafka: Kafka, private readonly topic: string) {}
        async start(): Promise<void> {
          this.consumer = this.kafka.consumer({ groupId: 'trades' });
          await this.consumer.connect();
          await this.consumer.subscribe({ topic: this.topic });
          this.admin = this.kafka.admin();
          await this.admin.connect();
        }
        async lag() {
          return this.admin?.fetchTopicOffsets(this.topic);
        }
        async stop(): Promise<void> {
          ${stop}
        }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a store whose close() ends its primary pool and forgets the replica's: that pool's connections outlive the store",
    code: `
      import { Pool } from 'pg';
      export class OrderStore {
        private readonly primary = new Pool({ connectionString: process.env.PRIMARY_URL });
        private readonly replica = new Pool({ connectionString: process.env.REPLICA_URL, max: 4 });
        byId(id: string) {
          return this.replica.query('SELECT * FROM orders WHERE id = $1', [id]);
        }
        save(id: string, total: number) {
          return this.primary.query('UPDATE orders SET total = $2 WHERE id = $1', [id, total]);
        }
        async close(): Promise<void> {
          await this.primary.end();
        }
      }`,
    errors: [{ line: 4, message: /^Connection pool from `pg\.Pool` is kept in `this\.replica`, and nothing in its class ever closes it/ }],
  },
  {
    name: 'a stop() that disconnects the Kafka consumer and forgets the admin client polling its lag',
    code: TRADES('await this.consumer?.disconnect();'),
    errors: [{ line: 10, message: /kept in `this.admin`, and nothing in its class ever closes it/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'pools kept in fields: a class without any release (a process-wide holder), and one whose close() ends both',
    code: `
      import { Pool } from 'pg';
      export class Databases {
        readonly primary = new Pool({ connectionString: process.env.PRIMARY_URL });
        readonly replica = new Pool({ connectionString: process.env.REPLICA_URL });
      }
      export class Store {
        private readonly primary = new Pool({ connectionString: process.env.PRIMARY_URL });
        private readonly replica = new Pool({ connectionString: process.env.REPLICA_URL });
        read(id: string) { return this.replica.query('SELECT 1 WHERE $1::text IS NOT NULL', [id]); }
        write(id: string) { return this.primary.query('SELECT 2 WHERE $1::text IS NOT NULL', [id]); }
        async close() {
          await Promise.all([this.primary.end(), this.replica.end()]);
        }
      }`,
  },
  {
    name: 'a stop() that disconnects both Kafka clients',
    code: TRADES('await Promise.all([this.consumer?.disconnect(), this.admin?.disconnect()]);'),
  },
];
