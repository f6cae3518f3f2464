// connection-churn: clients whose pool is an HTTP keep-alive agent (ClickHouse: idle sockets go at the keep-alive
// timeout, so one per call and never closed costs TIME_WAIT, not a pile of sockets) and Neon's serverless driver
// (pg's API over a WebSocket: a pool per request is churn in a Node.js function, the documented shape in an edge one).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: "a ClickHouse client per query of a route's handler, never closed: its keep-alive agent drops idle sockets, but no call reuses another's",
    code: `
      import { createClient } from '@clickhouse/client';
      import type { Request, Response } from 'express';
      export async function runReport(req: Request, res: Response) {
        const client = createClient({ url: process.env.CLICKHOUSE_URL, username: 'reports' });
        const rs = await client.query({ query: 'SELECT count() FROM events WHERE day = {d:Date}', query_params: { d: req.query.day }, format: 'JSONEachRow' });
        res.json(await rs.json());
      }`,
    errors: [{ line: 4, messageId: 'httpClientPerCallOpen', message: /idle ones close only at its keep-alive timeout/ }],
  },
  {
    name: "a Neon serverless Pool made for each request of a Node.js route handler and never ended",
    code: `
      import { Pool } from '@neondatabase/serverless';
      export const config = { runtime: 'nodejs' };
      export async function GET(req: Request): Promise<Response> {
        const warehouse = new Pool({ connectionString: process.env.WAREHOUSE_DATABASE_URL });
        const { rows } = await warehouse.query('SELECT sku FROM stock WHERE sku = ANY($1)', [new URL(req.url).searchParams.getAll('sku')]);
        return Response.json(rows);
      }`,
    file: 'api/inventory.ts',
    errors: [{ line: 4, messageId: 'clientPerCallOpen' }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'one ClickHouse client for the process, made at module level and used by every request',
    code: `
      import { createClient } from '@clickhouse/client';
      import type { Request, Response } from 'express';
      const clickhouse = createClient({ url: process.env.CLICKHOUSE_URL, username: 'reports' });
      export async function runReport(req: Request, res: Response) {
        const rs = await clickhouse.query({ query: 'SELECT count() FROM events', format: 'JSONEachRow' });
        res.json(await rs.json());
      }`,
  },
  {
    name: "a Neon serverless Pool per request of an edge function, ended after the response: the driver's WebSocket cannot outlive the request",
    code: `
      import { Pool } from '@neondatabase/serverless';
      import { waitUntil } from '@vercel/functions';
      export const config = { runtime: 'edge' };
      export default async function handler(req: Request): Promise<Response> {
        const pool = new Pool({ connectionString: process.env.DATABASE_URL });
        try {
          const { rows } = await pool.query('SELECT count(*)::int AS n FROM orders WHERE created_at::date = $1', [new URL(req.url).searchParams.get('day')]);
          return Response.json(rows[0]);
        } finally {
          waitUntil(pool.end());
        }
      }`,
    file: 'api/report.ts',
  },
];

/** A Lambda whose handler's event is `eventType`, making a pg client per invocation for the batch's records. */
const LAMBDA = (eventType: string) => `
      import type { ${eventType} } from 'aws-lambda';
      import pg from 'pg';
      export const handler = async (event: ${eventType}) => {
        const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await db.connect();
        try {
          for (const record of event.Records) await db.query('INSERT INTO delays (body) VALUES ($1)', [JSON.stringify(record)]);
        } finally {
          await db.end();
        }
      };`;

invalid.push({
  name: 'a pg client per invocation of an SQS-fed Lambda (one run per batch of messages): one module-level client would be reused by the warm container',
  code: LAMBDA('SQSEvent'),
  errors: [{ line: 4, message: /^A new `pg.Client` is created on every call of `handler` and closed before it returns/ }],
});
valid.push({
  name: 'the same client per invocation of a scheduled Lambda (EventBridge): a few runs a day',
  code: LAMBDA('ScheduledEvent'),
});
