// connection-churn: route objects as hapi's `server.route()` and fastify's `route()` take them
// (`{ method: 'POST', path: '/shows/{id}/cues', handler }`), wherever the project builds them: a handler answers
// every request of its route, except a health probe's, which connects on purpose; so does a handler named in a route object
// of its own module (`export const trackingRoutes = [{ method, path, handler: track }]`).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A module of hapi routes (`server.route(showRoutes())`) whose route `path` calls publishCue, which connects to AMQP for each call. */
const HAPI_ROUTES = (path: string) => `
      import amqp from 'amqplib';
      async function publishCue(showId, cue) {
        const conn = await amqp.connect(process.env.AMQP_URL);
        try {
          const ch = await conn.createChannel();
          ch.publish('show.commands', 'show.' + showId, Buffer.from(JSON.stringify(cue)));
          await ch.close();
        } finally {
          await conn.close();
        }
      }
      export function showRoutes() {
        return [
          { method: 'GET', path: '/shows', handler: () => [] },
          {
            method: 'POST',
            path: '${path}',
            handler: async (request, h) => {
              await publishCue(request.params.id, request.payload);
              return h.response({ accepted: true }).code(202);
            },
          },
        ];
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "an AMQP connection per call of a function called by the handler of a hapi route object that a module returns (`{ method: 'POST', path, handler }`)",
    code: HAPI_ROUTES('/shows/{id}/cues'),
    ext: '.mjs',
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "the same hapi route object answering /healthz: one connection per probe, on purpose",
    code: HAPI_ROUTES('/healthz'),
    ext: '.mjs',
  },
  {
    name: "a hapi /readyz route object whose own handler checks the database with a client of its own",
    code: `
      import pg from 'pg';
      export function register(server) {
        server.route({
          method: 'GET',
          path: '/readyz',
          handler: async (_request, h) => {
            const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
            try {
              await client.connect();
              await client.query('SELECT 1');
              return h.response('ok');
            } finally {
              await client.end();
            }
          },
        });
      }`,
    ext: '.mjs',
  },
];

/**
 * A route handler of its own module (`createOrder`) that another module registers by name in a hapi route object
 * (`{ method: 'POST', path, handler: createOrder }`), and that calls publishOrderEvent, which connects to AMQP per call and
 * closes only its channel (or, with `closeConnection`, the connection too): never closed, only the handler shows that it
 * is made per request; closed, a named function is presumed to run per request unless only health routes run it.
 */
const NAMED_HANDLER = (path: string, closeConnection = false) => ({
  code: `
      import amqp from 'amqplib';
      export async function publishOrderEvent(event) {
        const conn = await amqp.connect(process.env.AMQP_URL);
        ${closeConnection ? 'try {\n          ' : ''}const ch = await conn.createChannel();
        ch.publish('workshop.events', event.type, Buffer.from(JSON.stringify(event)));
        await ch.close();${closeConnection ? '\n        } finally {\n          await conn.close();\n        }' : ''}
      }`,
  ext: '.mjs' as const,
  file: 'src/events/publisher.mjs',
  files: {
    'src/orders/intake.mjs': "import { publishOrderEvent } from '../events/publisher.mjs';\nexport async function createOrder(request, h) {\n  await publishOrderEvent({ type: 'order.created', order: request.payload });\n  return h.response({ ok: true }).code(201);\n}\n",
    'src/server.mjs': `import Hapi from '@hapi/hapi';\nimport { createOrder } from './orders/intake.mjs';\nconst server = Hapi.server({ port: 3000 });\nserver.route([{ method: 'POST', path: '${path}', handler: createOrder }]);\nawait server.start();\n`,
  },
});

invalid.push({
  name: "an AMQP connection per call of a function that a route handler calls, the handler registered by name in another module's hapi route object (`handler: createOrder`)",
  ...NAMED_HANDLER('/orders'),
  errors: [{ line: 3, message: /^A new `amqplib.connect` is created on every call of `publishOrderEvent` and never closed/ }],
});
valid.push({
  name: 'the same handler registered by name for a /health route object: one connection per probe, on purpose',
  ...NAMED_HANDLER('/health'),
});
valid.push({
  name: 'the same handler for a /health route object, with the connection closed after each probe: a named function presumed per request, but only a probe runs it',
  ...NAMED_HANDLER('/health', true),
});
invalid.push({
  name: 'the same handler for /orders with the connection closed after each event: opened and torn down per request',
  ...NAMED_HANDLER('/orders', true),
  errors: [{ line: 3, messageId: 'clientPerCall' }],
});

/** A hapi route module whose handler `track`, named in a route object of the same file, opens a pg client per request and ends it. */
const SAME_FILE_ROUTE = (path: string) => `
      import pg from 'pg';
      async function track(request) {
        const replica = new pg.Client({ connectionString: process.env.REPLICA_URL });
        await replica.connect();
        try {
          const { rows } = await replica.query('select status from commissions where tracking_token = $1', [request.params.token]);
          return rows[0] ?? null;
        } finally {
          await replica.end();
        }
      }
      export const trackingRoutes = [{ method: 'GET', path: '${path}', options: { auth: false }, handler: track }];`;

invalid.push({
  name: 'a pg client per request of a handler named in a route object of its own module (`handler: track`), ended each time',
  code: SAME_FILE_ROUTE('/track/{token}'),
  ext: '.mjs',
  errors: [{ line: 3, message: /^A new `pg.Client` is created on every call of `track` and closed before it returns/ }],
});
valid.push({
  name: 'the same handler named only by a /health route object of its module: one connection per probe, on purpose',
  code: SAME_FILE_ROUTE('/health'),
  ext: '.mjs',
});
