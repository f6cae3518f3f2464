// Fix regressions, as rule tables: issue 14's reproductions of "safe" fixes that broke code, and every
// failure the generative fix checker (test/robustness/fixgen/) has found. Each case pins the fixes the
// first finding offers (`safe:` ones are applied by fix-all) and, where there is one, the text after
// the first; the tester also checks that every fix parses, adds no TypeScript error, removes its
// finding and adds none.
import { RuleTester } from '../helpers/rule-tester';

const tester = new RuleTester();
const WRAP = 'safe: Wrap the uses of `s` in try/finally and close it in `finally`';

tester.run('unclosed-connection', {
  valid: [],
  invalid: [
    {
      name: 'issue 14: another statement on the line of the declaration moves into try, the declaration stays out',
      code: `
        import * as net from 'net';
        export async function send(port: number, flush: () => Promise<void>) {
          const s = net.connect(port); s.setNoDelay(true);
          await flush();
          s.end();
        }`,
      errors: [{ line: 3 }],
      fixes: [WRAP],
      output: `
        import * as net from 'net';
        export async function send(port: number, flush: () => Promise<void>) {
          const s = net.connect(port);
          try {
            s.setNoDelay(true);
            await flush();
          } finally {
            s.end();
          }
        }`,
    },
    {
      name: 'issue 14: a function declaration called above would move into try: no try/finally',
      code: `
        import * as net from 'net';
        export async function send(port: number, flush: () => Promise<void>) {
          greet();
          const s = net.connect(port);
          await flush();
          s.end();
          function greet() { console.log('hi'); }
        }`,
      errors: [{ line: 4 }],
      fixes: [],
    },
    {
      name: 'issue 14: a const read by a closure declared earlier would move into try (temporal dead zone): no try/finally',
      code: `
        import * as net from 'net';
        export async function send(port: number, flush: () => Promise<void>) {
          const show = () => console.log(limit);
          const s = net.connect(port);
          const limit = 5;
          show();
          await flush();
          s.end();
        }`,
      errors: [{ line: 4 }],
      fixes: [],
    },
    {
      name: 'issue 14: conditional creation: the release before the exit is guarded (`s?.destroy()`)',
      code: `
        import * as net from 'net';
        export function send(port: number, on: boolean, skip: boolean) {
          let s: net.Socket | undefined;
          if (on) s = net.connect(port);
          if (skip) return;
          s?.end();
        }`,
      errors: [{ line: 4 }],
      fixes: ['safe: Close `s` before the leaking exit'],
      output: `
        import * as net from 'net';
        export function send(port: number, on: boolean, skip: boolean) {
          let s: net.Socket | undefined;
          if (on) s = net.connect(port);
          if (skip) { s?.destroy(); return; }
          s?.end();
        }`,
    },
    {
      name: 'issue 14: a typed variable that may be unassigned cannot be read at all: no fix',
      code: `
        import * as net from 'net';
        export function send(port: number, on: boolean, skip: boolean) {
          let s: net.Socket;
          if (on) s = net.connect(port);
          if (skip) return;
          s!.end();
        }`,
      errors: [{ line: 4 }],
      fixes: [],
    },
    {
      name: 'issue 14: an exit inside a try whose finally uses the socket: no release before it, try/finally around all',
      code: `
        import * as net from 'net';
        export function send(port: number, skip: boolean) {
          const s = net.connect(port);
          try {
            if (skip) return;
            s.write('x');
          } finally {
            s.write('bye');
          }
          s.end();
        }`,
      errors: [{ line: 3 }],
      fixes: [WRAP],
      output: `
        import * as net from 'net';
        export function send(port: number, skip: boolean) {
          const s = net.connect(port);
          try {
            try {
              if (skip) return;
              s.write('x');
            } finally {
              s.write('bye');
            }
          } finally {
            s.end();
          }
        }`,
    },
    {
      name: 'a declaration in a switch case: try/finally inside the case, the code\'s own close and break kept in place',
      code: `
        import * as net from 'net';
        export function act(kind: string, port: number, skip: boolean) {
          switch (kind) {
            case 'a':
              const s = net.connect(port);
              if (skip) break;
              s.end();
              break;
            default:
              console.log(kind);
          }
        }`,
      errors: [{ line: 5 }],
      fixes: [WRAP],
      output: `
        import * as net from 'net';
        export function act(kind: string, port: number, skip: boolean) {
          switch (kind) {
            case 'a':
              const s = net.connect(port);
              try {
                if (skip) break;
                break;
              } finally {
                s.end();
              }
            default:
              console.log(kind);
          }
        }`,
    },
    {
      name: 'a one-line function stays one line',
      code: `
        import * as net from 'net';
        export const probe = async (port: number, x: boolean) => { const s = net.connect(port); if (x) return 1; s.end(); return 2; };`,
      errors: [{ line: 2 }],
      fixes: ['safe: Close `s` before the leaking exit', WRAP],
    },
    {
      name: 'fix checker: handed to a callback on the normal path and never closed: closing before the throw would make the function its owner (the callback path would leak): no fix',
      code: `
        import * as tls from 'tls';
        export function check(port: number, handlers: Array<() => void>, fail: boolean) {
          const s = tls.connect({ port });
          if (fail) throw new Error('x');
          handlers.push(() => s.setNoDelay(true));
        }`,
      errors: [{ line: 3 }],
      fixes: [],
    },
  ],
});

tester.run('unreleased-pool-connection', {
  valid: [],
  invalid: [
    {
      name: 'issue 14: an arrow function\'s expression body becomes a block before the release goes in',
      code: `
        import { Pool } from 'pg';
        const pool = new Pool();
        export function warm() {
          pool.connect((err, client, done) => console.log(err));
        }`,
      errors: [{ line: 4 }],
      fixes: ['safe: Release `client` before the leaking exit'],
      output: `
        import { Pool } from 'pg';
        const pool = new Pool();
        export function warm() {
          pool.connect((err, client, done) => { done(); return console.log(err); });
        }`,
    },
  ],
});

tester.run('unreleased-pool-connection', {
  valid: [],
  invalid: [
    {
      name: 'the own release followed by a return that calls a function (not with the connection): it moves into finally',
      code: `
        import { Pool } from 'pg';
        const pool = new Pool();
        export async function countOrders(customer: string): Promise<number> {
          const client = await pool.connect();
          const result = await client.query('SELECT count(*) AS n FROM orders WHERE customer = $1', [customer]);
          client.release();
          return Number(result.rows[0].n);
        }`,
      errors: [{ line: 4 }],
      fixes: ['safe: Wrap the uses of `client` in try/finally and release it in `finally`'],
      output: `
        import { Pool } from 'pg';
        const pool = new Pool();
        export async function countOrders(customer: string): Promise<number> {
          const client = await pool.connect();
          try {
            const result = await client.query('SELECT count(*) AS n FROM orders WHERE customer = $1', [customer]);
            return Number(result.rows[0].n);
          } finally {
            client.release();
          }
        }`,
    },
    {
      name: 'the own release followed by a return that awaits: moving the release after it would hold the connection while waiting: no fix',
      code: `
        import { Pool } from 'pg';
        const pool = new Pool();
        export async function audit(id: string, log: (id: string) => Promise<number>) {
          const client = await pool.connect();
          await client.query('UPDATE t SET seen = now() WHERE id = $1', [id]);
          client.release();
          return await log(id);
        }`,
      errors: [{ line: 4 }],
      fixes: [],
    },
  ],
});

tester.run('timeout-without-destroy', {
  valid: [],
  invalid: [
    {
      name: 'a one-line handler whose last statement has no semicolon: the destroy call is separated from it',
      code: `
        import * as net from 'net';
        export function probe(port: number) {
          const s = net.connect(port);
          s.setTimeout(1000);
          s.on('timeout', () => { console.log('timed out') });
          s.end();
        }`,
      errors: [{ line: 5 }],
      fixes: ['safe: Destroy `s` in the timeout handler'],
      output: `
        import * as net from 'net';
        export function probe(port: number) {
          const s = net.connect(port);
          s.setTimeout(1000);
          s.on('timeout', () => { console.log('timed out'); s.destroy(); });
          s.end();
        }`,
    },
    {
      name: 'a handler that declares its own variable of the same name: no fix (it would destroy the wrong thing)',
      code: `
        import * as net from 'net';
        export function probe(port: number) {
          const s = net.connect(port);
          s.setTimeout(1000);
          s.on('timeout', () => { const s = 'late'; console.log(s); });
          s.end();
        }`,
      errors: [{ line: 5 }],
      fixes: [],
    },
    {
      name: 'fix checker: a socket handed to a callback and never closed: a destroying timeout handler would make the function its owner (a new unclosed-connection finding): no fix',
      code: `
        import * as net from 'net';
        export function stream(port: number, handlers: Array<(x: string) => void>) {
          const s = net.connect(port);
          s.setTimeout(1000);
          handlers.push((x) => { s.write(x); });
        }`,
      errors: [{ line: 4 }],
      fixes: [],
    },
    {
      name: 'fix checker: the same with a handler that does not destroy: no fix either',
      code: `
        import * as net from 'net';
        export function stream(port: number, handlers: Array<(x: string) => void>) {
          const s = net.connect(port);
          s.setTimeout(1000);
          s.on('timeout', () => { console.log('idle') });
          handlers.push((x) => { s.write(x); });
        }`,
      errors: [{ line: 5 }],
      fixes: [],
    },
  ],
});

tester.run('connection-churn', {
  valid: [],
  invalid: [
    {
      name: 'the shared agent goes above a function declaration that code above it calls: after the import, not in its temporal dead zone',
      code: `
        import * as http from 'http';
        main('/a');
        main('/b');
        export function main(path: string) {
          http.get({ host: 'api', path, agent: new http.Agent({ keepAlive: true }) }, (res) => res.resume());
        }`,
      errors: [{ line: 5 }],
      fixes: ['review: Create one http.Agent at module scope with `keepAlive: true` and reuse it'],
      output: `
        import * as http from 'http';
        const sharedAgent = new http.Agent({ keepAlive: true });

        main('/a');
        main('/b');
        export function main(path: string) {
          http.get({ host: 'api', path, agent: sharedAgent }, (res) => res.resume());
        }`,
    },
  ],
});
