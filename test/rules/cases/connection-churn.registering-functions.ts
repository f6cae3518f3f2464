// connection-churn: an agent made by a function that registers route handlers (a fastify plugin), used by one of
// them: the plugin runs once, and every request of the route shares the agent. Unlike the same agent made inside the
// handler, which is made again for each request.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A fastify plugin whose status route fetches from the valve controller with an undici Agent; `outside` or `inside` (the handler) makes `controllerAgent`. */
const VALVE_PLUGIN = (outside: string, inside: string) => `
      import type { FastifyPluginAsync } from 'fastify';
      import { Agent, fetch } from 'undici';
      const valveRoutes: FastifyPluginAsync = async (app) => {${outside}
        app.get<{ Params: { id: string } }>('/valves/:id/status', async (req, reply) => {${inside}
          const res = await fetch(\`https://valves.internal/api/valves/\${req.params.id}\`, { dispatcher: controllerAgent });
          if (!res.ok) {
            await res.body?.cancel();
            return reply.code(502).send({ error: res.status });
          }
          return res.json();
        });
      };
      export default valveRoutes;`;

export const valid: ValidCase[] = [
  {
    name: "an undici Agent a fastify plugin makes once and closes in onClose, used by its route handler for every request",
    code: VALVE_PLUGIN(`
        const controllerAgent = new Agent({ keepAliveTimeout: 10_000 });
        app.addHook('onClose', async () => controllerAgent.close());`, ''),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'the same Agent made inside the route handler: one per request',
    code: VALVE_PLUGIN('', `
          const controllerAgent = new Agent({ keepAliveTimeout: 10_000 });`),
    errors: [{ line: 5, messageId: 'perCall' }],
  },
];
