// connection-churn: route objects as hapi's `server.route()` and fastify's `route()` take them
// (`{ method: 'POST', path: '/shows/{id}/cues', handler }`), wherever the project builds them: a handler answers
// every request of its route, except a health probe's, which connects on purpose.
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
