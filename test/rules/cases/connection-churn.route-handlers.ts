// connection-churn: a database client of its own made and ended in a function that answers every request of
// a route, known by how it is declared rather than by a router call around it: a NestJS route method
// (`@Get()`), a Lambda whose event type is an API Gateway request, the handler given to `http.createServer()`.
// A scheduled Lambda runs too seldom to churn, and so do a server's `listen` callback and a health endpoint
// (`/health`, `/readyz`), probed every few seconds to check the database with a connection of its own. A test of
// the client (`if (conn) await conn.end()`) hands it to nobody.
// A GraphQL resolver of a root type (`Query`, `Mutation`) runs once per query; a handler given to an error wrapper
// (`app.post(path, wrap(async (req, res) => …))`) runs as often as the route.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An ops status endpoint on a node http server; `handle` wraps the request handler. */
function statusServer(handle: (handler: string) => string): string {
  const handler = `async (req, res) => {
        const client = new pg.Client({ connectionString: process.env.STATUS_DB, statement_timeout: 3000 });
        try {
          await client.connect();
          const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY applied_at DESC LIMIT 1');
          res.end(JSON.stringify({ latest: rows[0]?.version ?? null }));
        } finally {
          await client.end().catch(() => undefined);
        }
      }`;
  return `
      import http from 'node:http';
      import pg from 'pg';
      ${handle(handler)}`;
}

/** A GraphQL resolver map whose `type` field makes a pg client per call of `salesReport`. */
function resolverMap(type: string): string {
  return `
      import { Client } from 'pg';
      export const reportResolvers = {
        ${type}: {
          async salesReport(_: unknown, args: { from: string }): Promise<unknown[]> {
            const client = new Client({ connectionString: process.env.REPLICA_URL });
            await client.connect();
            try {
              return (await client.query('SELECT * FROM sales WHERE day >= $1', [args.from])).rows;
            } finally {
              await client.end();
            }
          },
        },
      };`;
}

/** A node http server that routes by itself: a `/health` branch, then a track route; `health` is that branch's body. */
function vesselRouter(health: string): string {
  return `
      const http = require('http');
      const { Client } = require('pg');
      async function track(mmsi) {
        const client = new Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        try {
          const { rows } = await client.query('SELECT lat, lon FROM positions WHERE mmsi = $1', [mmsi]);
          return rows;
        } finally {
          await client.end();
        }
      }
      function createStatusServer() {
        return http.createServer(async (req, res) => {
          const url = new URL(req.url, 'http://localhost');
          if (url.pathname === '/health') {
            ${health}
          }
          const m = /^\\/vessels\\/(\\d{9})\\/track$/.exec(url.pathname);
          if (m) return res.end(JSON.stringify(await track(Number(m[1]))));
          res.writeHead(404).end();
        });
      }
      module.exports = { createStatusServer };`;
}


export const invalid: InvalidCase[] = [
  {
    name: "a node-redis client per request made by a withRedis(fn) helper that lends it to the callback and quits it in its finally",
    ext: '.js',
    code: `
      import { Router } from 'express';
      import { createClient } from 'redis';
      const router = Router();
      async function withRedis(fn) {
        const client = createClient({ url: process.env.REDIS_URL });
        await client.connect();
        try {
          return await fn(client);
        } finally {
          await client.quit();
        }
      }
      router.get('/:id', async (req, res, next) => {
        try {
          res.json(await withRedis((redis) => redis.lRange(\`waitlist:\${req.params.id}\`, 0, -1)));
        } catch (err) {
          next(err);
        }
      });
      export default router;`,
    errors: [{ line: 5, message: /^A new `redis.createClient` is created on every call of `withRedis` and closed before it returns/ }],
  },
  {
    name: "a Redis client per request in a server handler that routes by path segments besides answering /healthz",
    ext: '.js',
    code: `
      import http from 'node:http';
      import { createClient } from 'redis';
      async function handlePostCue(req, res, roomId) {
        const redis = createClient({ url: process.env.REDIS_URL });
        await redis.connect();
        await redis.publish(\`room:\${roomId}\`, 'cue');
        res.writeHead(202).end();
      }
      export const server = http.createServer(async (req, res) => {
        const url = new URL(req.url, 'http://localhost');
        const parts = url.pathname.split('/').filter(Boolean);
        if (url.pathname === '/healthz') return res.end('ok');
        if (parts[0] === 'rooms' && req.method === 'POST') {
          switch (parts[2]) {
            case 'cues':
              return handlePostCue(req, res, parts[1]);
          }
        }
        res.writeHead(404).end();
      });`,
    errors: [{ line: 4, message: /^A new `redis.createClient` is created on every call of `handlePostCue` and never closed/ }],
  },
  {
    name: "a mysql2 connection per MQTT command, made in a function called by the handler a factory returns for the bus's 'command' listener",
    ext: '.js',
    code: `
      const mysql = require('mysql2/promise');
      async function audit(entry) {
        const conn = await mysql.createConnection({ host: 'db', database: 'greenhouse' });
        try {
          await conn.execute('INSERT INTO command_audit (command) VALUES (?)', [entry.command]);
        } finally {
          await conn.end();
        }
      }
      function createCommandHandler({ logger = console } = {}) {
        return async function onCommand(msg) {
          try {
            await audit(msg);
          } catch (err) {
            logger.error(err.message);
          }
        };
      }
      module.exports = { createCommandHandler };`,
    files: { 'index.js': "const { EventEmitter } = require('node:events');\nconst { createCommandHandler } = require('./case');\nconst bus = new EventEmitter();\nbus.on('command', createCommandHandler({}));\n" },
    errors: [{ line: 3, message: /^A new `mysql2\/promise.createConnection` is created on every call of `audit` and closed before it returns/ }],
  },
  {
    name: "an ioredis lock client per request, made in a function an Express handler calls through the app's async error wrapper",
    code: `
      const express = require('express');
      const Redis = require('ioredis');
      const wrap = (fn) => (req, res, next) => fn(req, res, next).catch(next);
      async function withLock(key, fn) {
        const redis = new Redis(process.env.REDIS_URL);
        if (!(await redis.set(key, '1', 'PX', 10000, 'NX'))) throw new Error('busy');
        try {
          return await fn();
        } finally {
          await redis.del(key);
        }
      }
      const app = express();
      app.post('/fridges/:id/transfer', wrap(async (req, res) => {
        res.json(await withLock(\`lock:\${req.params.id}\`, () => Promise.resolve(1)));
      }));
      module.exports = { app };`,
    ext: '.js',
    errors: [{ line: 5, message: /^A new `ioredis` is created on every call of `withLock` and never closed/ }],
  },
  {
    name: "a kafkajs producer per request of an express route, made from the app's `kafka` dependency in a package that depends on kafkajs",
    code: `
      const express = require('express');
      /**
       * @param {object} deps
       * @param {import('kafkajs').Kafka} deps.kafka
       */
      function createApp({ kafka }) {
        const app = express();
        app.post('/v1/events/sync', async (req, res, next) => {
          const acked = kafka.producer({ idempotent: true });
          try {
            await acked.connect();
            await acked.send({ topic: 'raw', messages: [{ value: JSON.stringify(req.body) }] });
            res.sendStatus(201);
          } catch (err) {
            next(err);
          } finally {
            await acked.disconnect().catch(() => {});
          }
        });
        return app;
      }
      module.exports = { createApp };`,
    file: 'src/http/app.js',
    ext: '.js',
    files: { 'package.json': '{ "name": "ingest", "dependencies": { "express": "4.21.2", "kafkajs": "2.2.4" } }\n' },
    errors: [{ line: 9, messageId: 'clientPerCall' }],
  },
  {
    name: 'a pg client per invocation of a Lambda handler typed APIGatewayProxyHandlerV2 (the type is on the const, not the parameter)',
    code: `
      import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';
      import pg from 'pg';
      export const handler: APIGatewayProxyHandlerV2 = async (event) => {
        const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        try {
          const { rows } = await client.query('SELECT * FROM customers WHERE id = $1', [event.pathParameters?.id]);
          return { statusCode: 200, body: JSON.stringify(rows[0] ?? null) };
        } finally {
          await client.end();
        }
      };`,
    errors: [{ line: 4, messageId: 'clientPerCall' }],
  },
  {
    name: "a pg client per call of a tenant helper that a GraphQL Query map's field returns (the map is the module's const Query, the resolver in another file)",
    code: `
      import { Client } from 'pg';
      export async function tenantQuery(dsn: string, text: string, values: unknown[] = []): Promise<unknown[]> {
        const client = new Client({ connectionString: dsn, statement_timeout: 5000 });
        await client.connect();
        try {
          return (await client.query(text, values)).rows;
        } finally {
          await client.end();
        }
      }`,
    file: 'tenant-db.ts',
    files: {
      'resolvers/queries.ts': `import { tenantQuery } from '../tenant-db';
export const Query = {
  salesByDay: async (_: unknown, { days }: { days: number }, ctx: { dsn: string }) => {
    return tenantQuery(ctx.dsn, 'SELECT day, count(*) FROM orders WHERE created_at > now() - make_interval(days => $1) GROUP BY 1', [days]);
  },
};
`,
    },
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
  {
    name: 'a pg client of its own per call of a GraphQL Query resolver, ended in finally',
    code: resolverMap('Query'),
    errors: [{ line: 5, messageId: 'clientPerCall' }],
  },
  {
    name: 'a pg client of its own per request of a NestJS route (@Get), ended in finally',
    code: `
      import { Controller, Get, Query } from '@nestjs/common';
      import { Client } from 'pg';
      @Controller('stats')
      export class StatsController {
        @Get('signups')
        async signups(@Query('since') since: string) {
          const client = new Client({ connectionString: process.env.REPLICA_URL });
          await client.connect();
          try {
            return (await client.query('SELECT count(*) FROM users WHERE created_at >= $1', [since])).rows[0];
          } finally {
            await client.end();
          }
        }
      }`,
    errors: [{ line: 7, messageId: 'clientPerCall' }],
  },
  {
    name: 'a pg client of its own per invocation of a Lambda behind API Gateway (its event type says so)',
    code: `
      import type { APIGatewayProxyEventV2 } from 'aws-lambda';
      import { Client } from 'pg';
      export async function handler(event: APIGatewayProxyEventV2) {
        const client = new Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        try {
          const { rows } = await client.query('SELECT name FROM products WHERE sku = $1', [event.pathParameters?.sku]);
          return { statusCode: rows.length ? 200 : 404, body: JSON.stringify(rows[0] ?? null) };
        } finally {
          await client.end();
        }
      }`,
    errors: [{ line: 4, messageId: 'clientPerCall' }],
  },
  {
    name: "a pg client of its own per request of a node http server's handler (http.createServer(handler))",
    code: statusServer((h) => `export const createStatusServer = () => http.createServer(${h});`),
    ext: '.mjs',
    errors: [{ line: 4, messageId: 'clientPerCall' }],
  },
  {
    name: 'a NestJS microservice client made for each shipped order and closed after its one emit',
    code: `
      import { Injectable } from '@nestjs/common';
      import { ClientProxyFactory, Transport } from '@nestjs/microservices';
      import { lastValueFrom } from 'rxjs';
      @Injectable()
      export class NotifierService {
        async orderShipped(notice: { orderId: string }): Promise<void> {
          const client = ClientProxyFactory.create({ transport: Transport.REDIS, options: { host: 'redis', port: 6379 } });
          try {
            await lastValueFrom(client.emit('customer.order-shipped', notice), { defaultValue: undefined });
          } finally {
            await client.close();
          }
        }
      }`,
    errors: [{ line: 7, messageId: 'clientPerCall' }],
  },
  {
    name: "a pg client made and ended in a route handler given to the app's own async wrapper (`router.get(path, asyncRoute(async (req, res) => …))`)",
    code: `
      import { Router, type Request, type Response, type NextFunction } from 'express';
      import pg from 'pg';
      export const artistsRouter = Router();
      const asyncRoute = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
        fn(req, res).catch(next);
      };
      artistsRouter.get('/:id/stats', asyncRoute(async (req, res) => {
        const reporting = new pg.Client({ connectionString: process.env.REPORTING_URL });
        await reporting.connect();
        try {
          res.json((await reporting.query('SELECT count(*) FROM sessions WHERE artist_id = $1', [req.params.id])).rows);
        } finally {
          await reporting.end();
        }
      }));`,
    errors: [{ line: 8, messageId: 'clientPerCall' }],
  },
  {
    name: 'a memjs client made for each request of an express route and closed after its one get',
    code: `
      import express from 'express';
      import memjs from 'memjs';
      const app = express();
      app.get('/sessions/:id', async (req, res) => {
        const mc = memjs.Client.create(process.env.MEMCACHE_SERVERS);
        try {
          const { value } = await mc.get('session:' + req.params.id);
          res.json({ active: value !== null });
        } finally {
          mc.close();
        }
      });
      app.listen(3000);`,
    errors: [{ line: 5, messageId: 'clientPerCall' }],
  },
  {
    name: "a pg client per call of a function a node http server's handler calls for its track route, beside a /health branch (the handler serves every request)",
    code: vesselRouter("return res.end('ok');"),
    ext: '.js',
    errors: [{ line: 4, messageId: 'clientPerCall' }],
  },
  {
    name: 'an express route that opens a MariaDB connection into a `let` for every request and ends it under `if (conn)` in finally: a test of the client keeps nothing',
    ext: '.js',
    code: `
      const express = require('express');
      const mariadb = require('mariadb');
      const router = express.Router();
      router.get('/equipment/:tag', async (req, res, next) => {
        let conn;
        try {
          conn = await mariadb.createConnection({ host: process.env.DB_HOST, connectTimeout: 3000 });
          const rows = await conn.query('SELECT * FROM equipment WHERE tag = ?', [req.params.tag]);
          if (rows.length === 0) return res.sendStatus(404);
          res.json(rows[0]);
        } catch (err) {
          next(err);
        } finally {
          if (conn) await conn.end();
        }
      });
      module.exports = router;`,
    errors: [{ line: 7, message: /^A new `mariadb.createConnection` is created on every call of this function and closed before it returns/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "a handler that answers only /healthz, checking Redis with a client of its own (by its path's segments)",
    ext: '.js',
    code: `
      import http from 'node:http';
      import { createClient } from 'redis';
      export const server = http.createServer(async (req, res) => {
        if (req.url !== '/healthz') return res.writeHead(404).end();
        const redis = createClient({ url: process.env.REDIS_URL });
        try {
          await redis.connect();
          await redis.ping();
          res.end('ok');
        } finally {
          await redis.quit();
        }
      });`,
  },
  {
    name: "the same lock client made in a handler wrapped by once(): it runs a single time",
    code: `
      const express = require('express');
      const Redis = require('ioredis');
      const once = require('lodash/once');
      async function withLock(key, fn) {
        const redis = new Redis(process.env.REDIS_URL);
        if (!(await redis.set(key, '1', 'PX', 10000, 'NX'))) throw new Error('busy');
        try {
          return await fn();
        } finally {
          await redis.del(key);
        }
      }
      const app = express();
      app.post('/maintenance/start', once(async (req, res) => {
        res.json(await withLock('lock:maintenance', () => Promise.resolve(1)));
      }));
      module.exports = { app };`,
    ext: '.js',
  },
  {
    name: 'the same method in an object that is no GraphQL root type (a job table run by a scheduler)',
    code: resolverMap('NightlyJobs'),
  },
  {
    name: 'a pg client of its own per run of a scheduled Lambda (a nightly job, not a request handler)',
    code: `
      import type { ScheduledEvent } from 'aws-lambda';
      import { Client } from 'pg';
      export async function handler(event: ScheduledEvent) {
        const client = new Client({ connectionString: process.env.REPORTS_URL });
        await client.connect();
        try {
          await client.query('REFRESH MATERIALIZED VIEW daily_sales');
          return { refreshedAt: event.time };
        } finally {
          await client.end();
        }
      }`,
  },
  {
    name: "the same client made once in the listen callback of a node http server: one per run",
    code: statusServer((h) => `const server = http.createServer((req, res) => res.end('ok'));
      server.listen(8089, ${h.replace('async (req, res) =>', 'async () =>').replace('res.end(', 'console.log(')});`),
    ext: '.mjs',
  },
  {
    name: "a node http server's health endpoint that checks the database with a client of its own: one per probe, on purpose",
    code: statusServer((h) => `export const createHealthServer = () => http.createServer(${h.replace('try {', "if (req.url !== '/health') return res.writeHead(404).end();\n        try {")});`),
    ext: '.mjs',
  },
  {
    name: "an express /readyz route that checks the database with a client of its own",
    code: `
      import express from 'express';
      import pg from 'pg';
      export const app = express();
      app.get('/readyz', async (_req, res) => {
        const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
        try {
          await client.connect();
          await client.query('SELECT 1');
          res.sendStatus(200);
        } catch {
          res.sendStatus(503);
        } finally {
          await client.end().catch(() => undefined);
        }
      });`,
    ext: '.mjs',
    file: 'src/app.mjs',
    files: { 'package.json': '{ "name": "api", "dependencies": { "express": "^4.21.0", "pg": "^8.13.0" } }' },
  },
  {
    name: "the same function called only in the /health branch of the handler: one client per probe, on purpose",
    code: vesselRouter("return res.end(JSON.stringify(await track(0)));").replace('if (m) return res.end(JSON.stringify(await track(Number(m[1]))));', 'if (m) return res.end(m[1]);'),
    ext: '.js',
  },
];
