// unclosed-connection: a generic-pool is closed by `clear()`, which destroys its idle resources; `drain()` only waits
// for the loans to come back and stops the evictor (lib/Pool.js), so a pool only drained keeps every idle connection
// open: a suite's afterAll that drains it leaves the process (and the server it talks to) waiting. Drained then
// cleared, as generic-pool's README shuts down, it is closed.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A jest suite over a generic-pool of TCP sessions to a fake daemon; `shutdown` is afterAll's body. */
const SUITE = (shutdown: string) => `
      import net from 'node:net';
      import { createPool, type Pool } from 'generic-pool';
      describe('render pool', () => {
        let server: net.Server;
        let pool: Pool<net.Socket>;
        beforeAll(async () => {
          server = net.createServer((s) => s.pipe(s));
          await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
          const { port } = server.address() as net.AddressInfo;
          pool = createPool({ create: async () => net.connect({ host: '127.0.0.1', port }), destroy: async (s) => { s.destroy(); } }, { max: 2 });
        });
        afterAll(async () => {
${shutdown}
          server.close();
        });
        test('echoes through a pooled session', async () => {
          const s = await pool.acquire();
          try {
            s.write('ping');
          } finally {
            await pool.release(s);
          }
        });
      });`;

/** A job that makes a generic-pool of sessions for one run; `closes` is its finally's body. */
const JOB = (closes: string) => `
      import net from 'node:net';
      import genericPool from 'generic-pool';
      export async function replay(host: string, port: number, frames: Buffer[]): Promise<void> {
        const pool = genericPool.createPool({ create: async () => net.connect({ host, port }), destroy: async (s: net.Socket) => { s.destroy(); } }, { max: 4 });
        try {
          await Promise.all(frames.map(async (f) => {
            const s = await pool.acquire();
            s.write(f);
            await pool.release(s);
          }));
        } finally {
${closes}
        }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a suite's generic-pool only drained in afterAll: drain() destroys no idle session",
    code: SUITE('          await pool.drain();'),
    errors: [{ line: 10, message: /never closed/ }],
  },
  {
    name: 'a generic-pool made for one run and only drained in its finally',
    code: JOB('          await pool.drain();'),
    errors: [{ line: 4, messageId: 'never' }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "the same suite's pool drained, then cleared",
    code: SUITE('          await pool.drain();\n          await pool.clear();'),
  },
  {
    name: 'the same job draining, then clearing in the callback of its promise',
    code: JOB('          await pool.drain().then(() => pool.clear());'),
  },
  {
    name: 'the same job clearing alone: every loan has come back by then',
    code: JOB('          await pool.clear();'),
  },
];
