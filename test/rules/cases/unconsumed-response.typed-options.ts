// unconsumed-response: a client taken apart from options whose type the project declares: a fastify plugin's
// `(app, { archive })` typed by its `const` (`FastifyPluginAsync<RouteOptions>`), which a checker without fastify's
// types cannot follow, or a parameter typed directly (`({ archive }: RouteOptions)`). The option's own type, an undici
// `Pool`, says what `archive.request(…)` returns.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A route that looks only at a report's size; `handled` is what it does with the body of a 200 answer. */
const REPORT = (head: string, handled: string) => `
      import type { FastifyPluginAsync } from 'fastify';
      import type { Pool } from 'undici';
      interface RouteOptions { archive: Pool; prefix?: string }
      ${head}
        app.get('/reports/:id', async (req) => {
          const dv = await archive.request({ path: '/dv/' + (req.params as { id: string }).id, method: 'GET' });
          if (dv.statusCode === 200) {
            ${handled}
            return { bytes: Number(dv.headers['content-length'] ?? 0) };
          }
          await dv.body.dump();
          return { bytes: 0 };
        });
      };`;

const PLUGIN = 'export const reportRoutes: FastifyPluginAsync<RouteOptions> = async (app, { archive }) => {';
const TYPED = 'export async function reportRoutes(app: any, { archive }: RouteOptions) {';

export const invalid: InvalidCase[] = [
  {
    name: "a fastify plugin's undici Pool option whose 200 body is never read (the plugin's const types the options)",
    code: REPORT(PLUGIN, ''),
    errors: [{ line: 6, message: /^The body of the response from `undici.Pool.request` is not consumed or cancelled when the `return` on line 9 is taken/ }],
  },
  {
    name: 'the same route in a function whose parameter is typed with the options directly',
    code: REPORT(TYPED, '').replace(/};$/, '}'),
    errors: [{ line: 6, message: /^The body of the response from `undici.Pool.request` is not consumed/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same plugin dumping the body on both paths',
    code: REPORT(PLUGIN, 'await dv.body.dump();'),
  },
];
