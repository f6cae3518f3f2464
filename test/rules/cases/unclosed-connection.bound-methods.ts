// unclosed-connection: a connection used through its own methods called with it as `this`: a gRPC client lent to a
// promisified call helper of the project (`const fn = client[method]; fn.call(client, req, opts, cb)`), a mysql
// connection's `promisify(plant.query).bind(plant)`. Neither hands it on, so it still has to be closed on every path.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A TOS move check whose client is closed by `close` after three unary calls through `unary()`. */
const YARD_MOVES = (body: string) => `
      import * as grpc from '@grpc/grpc-js';
      import * as protoLoader from '@grpc/proto-loader';
      const proto = grpc.loadPackageDefinition(protoLoader.loadSync('tos.proto')) as any;
      function createTosClient() {
        return new proto.terminal.tos.v1.YardOperations(process.env.TOS_ADDR, grpc.credentials.createInsecure());
      }
      function unary<Res>(client: grpc.Client, method: string, request: object): Promise<Res> {
        return new Promise((resolve, reject) => {
          const fn = (client as any)[method] as (req: object, opts: grpc.CallOptions, cb: (err: Error | null, res: Res) => void) => void;
          fn.call(client, request, { deadline: Date.now() + 5000 }, (err, res) => (err ? reject(err) : resolve(res)));
        });
      }
      export async function confirmUnplugged(containerId: string, plugId: string): Promise<boolean> {
        const tos = createTosClient();
${body}
        return true;
      }`;

/** A sync through a mysql connection's promisified methods; `empty` is what it does when there are no rows. */
const PLANT_SYNC = (empty: string) => `
      import mysql from 'mysql';
      import { promisify } from 'node:util';
      export async function syncPlantBatches(since: Date): Promise<number> {
        const plant = mysql.createConnection({ host: process.env.PLANT_DB_HOST, user: 'hospital_ro' });
        const query = promisify(plant.query).bind(plant) as (sql: string, values: unknown[]) => Promise<Array<{ tag: string }>>;
        await promisify(plant.connect).bind(plant)();
        const rows = await query('SELECT tag FROM processed_items WHERE finished_at > ?', [since]);
        if (rows.length === 0) {${empty}
          return 0;
        }
        await promisify(plant.end).bind(plant)();
        return rows.length;
      }`;

export const invalid: InvalidCase[] = [
  {
    name: 'a mysql connection used through promisify(plant.query).bind(plant), left open by the early return when there are no rows',
    code: PLANT_SYNC(''),
    errors: [{ line: 4, message: /^Database connection from `mysql.createConnection` is not closed when the `return` on line 9 is taken/ }],
  },
  {
    name: 'a gRPC client lent to a promisified unary helper, closed only after its calls succeed',
    code: YARD_MOVES(`        await unary(tos, 'getBooking', { containerId });
        await unary(tos, 'confirmUnplug', { containerId, plugId });
        tos.close();`),
    errors: [{ line: 14, message: /^gRPC client from `createTosClient\(\)` is not closed if the `await` on line 15 rejects/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same client closed in finally',
    code: YARD_MOVES(`        try {
          await unary(tos, 'getBooking', { containerId });
          await unary(tos, 'confirmUnplug', { containerId, plugId });
        } finally {
          tos.close();
        }`),
  },
  {
    name: 'the same sync ending the connection in finally',
    code: `
      import mysql from 'mysql';
      import { promisify } from 'node:util';
      export async function syncPlantBatches(since: Date): Promise<number> {
        const plant = mysql.createConnection({ host: process.env.PLANT_DB_HOST, user: 'hospital_ro' });
        const query = promisify(plant.query).bind(plant) as (sql: string, values: unknown[]) => Promise<Array<{ tag: string }>>;
        try {
          await promisify(plant.connect).bind(plant)();
          const rows = await query('SELECT tag FROM processed_items WHERE finished_at > ?', [since]);
          return rows.length;
        } finally {
          plant.end();
        }
      }`,
  },

];
