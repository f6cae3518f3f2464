// connection-churn: agents and clients handed out by a function of the project — an agent or an
// options object made per call and fed to one request, a database client made per loop iteration by a
// factory, a project subclass of a library's agent — beside factories whose product is shared; and shared
// clients made per call and never closed; a project class whose connections are shared ones (an HTTP/2
// session, an undici Pool) made per request, beside one whose connection is a database client of its own; a lazy module
// pool kept through the promise its `connect()` returns; a factory that connects the client it returns.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A project client class; `connection` is the line that makes its connection in the constructor. */
function projectClient(connection: string): string {
  return `import http2 from 'node:http2';
import pg from 'pg';
export class LeaderboardClient {
  private readonly conn;
  constructor(url: string) {
    ${connection}
  }
  async top(limit: number): Promise<unknown> {
    return limit;
  }
  async close(): Promise<void> {
    await this.conn.close();
  }
}
`;
}

/** A node http handler that makes a LeaderboardClient per GET /leaderboard. */
const LEADERBOARD_ROUTE = `
      import type { IncomingMessage, ServerResponse } from 'node:http';
      import { LeaderboardClient } from './leaderboard';
      export async function handleHttp(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
        const leaderboard = new LeaderboardClient(url);
        try {
          res.end(JSON.stringify(await leaderboard.top(10)));
        } finally {
          await leaderboard.close();
        }
      }`;

const TUNNEL_AGENT = `
      const https = require('https');
      class TunnelAgent extends https.Agent {
        constructor(proxy, options) { super(options); this.proxy = proxy; }
      }`;

const REDIS_FACTORY = `
      import { createClient } from 'redis';
      export type RedisClient = ReturnType<typeof createClient>;
      export async function createRedis(name = 'app'): Promise<RedisClient> {
        const client = createClient({ url: process.env.REDIS_URL, name });
        client.on('error', (err: Error) => console.error(name, err.message));
        await client.connect();
        return client;
      }
      let shared: Promise<RedisClient> | undefined;
      export function sharedRedis(): Promise<RedisClient> {
        shared ??= createRedis('shared');
        return shared;
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a Redis client made per bid by a factory in another file that connects it before returning it, never closed",
    code: `
      import { Server } from 'socket.io';
      import { createRedis } from './redis';
      export async function placeBid(lotId: string, amount: number): Promise<boolean> {
        const redis = await createRedis('bids');
        const ok = await redis.set(\`lot:\${lotId}\`, String(amount), { XX: true });
        if (!ok) return false;
        await redis.publish(\`lot:\${lotId}:events\`, String(amount));
        return true;
      }
      export function attach(io: Server) {
        io.on('connection', (socket) => {
          socket.on('bid', async (bid: { lotId: string; amount: number }, ack: (ok: boolean) => void) => ack(await placeBid(bid.lotId, bid.amount)));
        });
      }`,
    files: { 'redis.ts': REDIS_FACTORY },
    errors: [{ line: 4, message: /^A new `createRedis\(\)` is created on every call of `placeBid` and never closed/ }],
  },
  {
    name: 'a project client class holding an HTTP/2 session, made and closed for every request a node http handler answers',
    code: LEADERBOARD_ROUTE,
    file: 'src/routes.ts',
    files: { 'src/leaderboard.ts': projectClient('this.conn = http2.connect(url);') },
    errors: [{ line: 4, message: /^A new `LeaderboardClient` is created on every call of `handleHttp` and closed before it returns/ }],
  },
  {
    name: "got's `agent: { http: makeAgent('http'), https: makeAgent('https') }` with a factory of another file: reported once, at the first agent",
    code: `
      const got = require('got');
      const { makeAgent } = require('../http/agent-factory');
      async function fetchFeed(url) {
        const res = await got(url, { agent: { http: makeAgent('http'), https: makeAgent('https') }, throwHttpErrors: false });
        return res.statusCode === 200 ? res.body : null;
      }
      module.exports = { fetchFeed };`,
    ext: '.js',
    file: 'src/feeds/fetch-feed.js',
    files: { 'src/http/agent-factory.js': `
      const http = require('http');
      const https = require('https');
      function makeAgent(protocol, overrides = {}) {
        const Agent = protocol === 'https' ? https.Agent : http.Agent;
        return new Agent({ keepAlive: true, maxSockets: 16, ...overrides });
      }
      module.exports = { makeAgent };` },
    errors: [{ line: 4, messageId: 'factoryPerCall' }],
  },
  {
    name: "an options helper that builds a new keep-alive agent for every got call",
    code: `
      import http from 'node:http';
      import got from 'got';
      function options(requestId) {
        return {
          prefixUrl: 'http://catalog.internal:8080',
          agent: { http: new http.Agent({ keepAlive: true, maxSockets: 16 }) },
          headers: requestId ? { 'x-request-id': requestId } : {},
        };
      }
      export function getProduct(slug, { requestId } = {}) {
        return got(\`products/\${slug}\`, options(requestId)).json();
      }
      export function listProducts(page, { requestId } = {}) {
        return got('products', { ...options(requestId), searchParams: { page } }).json();
      }`,
    ext: '.js',
    errors: [{ line: 6, message: /A new `http.Agent` is created on every call of `options`/ }],
  },
  {
    name: 'a dispatcher factory in another module returns a new undici Agent for some endpoints: reported at the request that gets it',
    code: `
      import { request } from 'undici';
      import { dispatcherFor } from './agents';
      export async function deliver(endpoint: { url: string; caPem?: string }, body: string) {
        const res = await request(endpoint.url, { method: 'POST', body, dispatcher: dispatcherFor(endpoint) });
        await res.body.dump();
        return res.statusCode;
      }`,
    files: { 'agents.ts': `
      import { Agent, type Dispatcher } from 'undici';
      const shared = new Agent({ connections: 64 });
      export function dispatcherFor(endpoint: { caPem?: string }): Dispatcher {
        if (!endpoint.caPem) return shared;
        return new Agent({ connect: { ca: endpoint.caPem } });
      }` },
    errors: [{ line: 4, message: /`dispatcherFor` returns a new `undici.Agent` on every call, and this request is the only one to use it/ }],
  },
  {
    name: 'a pg client made by a project factory for every CSV row, ended in finally',
    code: `
      const { createPgClient } = require('./pg');
      async function importRows(cfg, records, table) {
        let count = 0;
        for await (const record of records) {
          const client = createPgClient(cfg);
          await client.connect();
          try {
            await client.query(\`INSERT INTO \${table} VALUES ($1)\`, [record.id]);
          } finally {
            await client.end();
          }
          count += 1;
        }
        return count;
      }
      module.exports = { importRows };`,
    ext: '.js',
    files: { 'pg.js': `
      const { Client } = require('pg');
      function createPgClient(cfg) {
        return new Client({ ...cfg, statement_timeout: 60000 });
      }
      module.exports = { createPgClient };` },
    errors: [{ line: 5, message: /A new `createPgClient\(\)` is created on every loop iteration/ }],
  },
  {
    name: "a project subclass of https.Agent made with keepAlive for each request: it is an agent, one per call",
    code: `${TUNNEL_AGENT}
      function fetchViaProxy(url, proxy) {
        const agent = new TunnelAgent(proxy, { keepAlive: true });
        return new Promise((resolve, reject) => {
          https.get(url, { agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); }).on('error', reject);
        });
      }
      module.exports = { fetchViaProxy };`,
    ext: '.js',
    errors: [{ line: 6, messageId: 'perCall' }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "the same bids through the factory's process-wide client",
    code: `
      import { Server } from 'socket.io';
      import { sharedRedis } from './redis';
      export async function placeBid(lotId: string, amount: number): Promise<boolean> {
        const redis = await sharedRedis();
        const ok = await redis.set(\`lot:\${lotId}\`, String(amount), { XX: true });
        if (!ok) return false;
        await redis.publish(\`lot:\${lotId}:events\`, String(amount));
        return true;
      }
      export function attach(io: Server) {
        io.on('connection', (socket) => {
          socket.on('bid', async (bid: { lotId: string; amount: number }, ack: (ok: boolean) => void) => ack(await placeBid(bid.lotId, bid.amount)));
        });
      }`,
    files: { 'redis.ts': REDIS_FACTORY },
  },
  {
    name: "a pooled SMTP transport made for every bounce and never closed: it keeps its connections, unclosed-connection's finding",
    code: `
      import nodemailer from 'nodemailer';
      export async function sendBounce(msg: { from?: string; id: string }) {
        if (!msg.from) return null;
        const transporter = nodemailer.createTransport({ pool: true, host: 'smtp.internal', port: 587 });
        return transporter.sendMail({ from: 'postmaster@example.com', to: msg.from, subject: 'Undelivered', text: msg.id });
      }`,
  },
  {
    name: 'a lazily made module pool kept through the promise of its connect(), with a catch that resets it',
    ext: '.mjs',
    code: `
      import sql from 'mssql';
      let poolPromise = null;
      export function getSqlPool(config) {
        if (!poolPromise) {
          const pool = new sql.ConnectionPool(config);
          pool.on('error', (err) => console.error('[mssql] pool error', err.message));
          poolPromise = pool.connect().catch((err) => {
            poolPromise = null;
            throw err;
          });
        }
        return poolPromise;
      }`,
  },
  {
    name: 'the same per-request class, holding a pg client of its own (a database connection per call is often deliberate)',
    code: LEADERBOARD_ROUTE,
    file: 'src/routes.ts',
    files: { 'src/leaderboard.ts': projectClient('this.conn = new pg.Client({ connectionString: url });') },
  },
  {
    name: 'a keep-alive agent per client, reused by every call of the function the factory returns',
    code: `
      import https from 'node:https';
      export function makeClient(host: string) {
        const agent = new https.Agent({ keepAlive: true });
        return function call(path: string, cb: (err: Error | null) => void) {
          const req = https.request({ host, path, agent }, (res) => {
            res.resume();
            res.on('end', () => cb(null));
          });
          req.on('error', cb);
          req.end();
        };
      }`,
  },
  {
    name: 'a pool made by start() and kept by the interval that uses it',
    code: `
      import pg from 'pg';
      export function start() {
        const pool = new pg.Pool();
        setInterval(() => { pool.query('select 1').catch(() => {}); }, 10_000);
      }`,
  },
  {
    name: 'an options helper that hands every call the same module-level agent',
    code: `
      import http from 'node:http';
      import got from 'got';
      const agent = new http.Agent({ keepAlive: true });
      function options(requestId) {
        return { agent: { http: agent }, headers: { 'x-request-id': requestId } };
      }
      export function getProduct(slug, requestId) {
        return got(\`products/\${slug}\`, options(requestId)).json();
      }`,
    ext: '.js',
  },
  {
    name: 'a pg client per call of a migration step, not in a loop (one connection per step on purpose)',
    code: `
      const { Client } = require('pg');
      async function runStep(cfg, sql) {
        const client = new Client(cfg);
        await client.connect();
        try {
          await client.query(sql);
        } finally {
          await client.end();
        }
      }
      module.exports = { runStep };`,
    ext: '.js',
  },
  {
    name: 'an agent factory whose agents are kept in a cache by the caller',
    code: `
      import { Agent } from 'undici';
      const byHost = new Map<string, Agent>();
      function makeAgent(ca: string) {
        return new Agent({ connect: { ca } });
      }
      export async function post(host: string, ca: string, body: string) {
        let agent = byHost.get(host);
        if (!agent) byHost.set(host, (agent = makeAgent(ca)));
        return fetch(\`https://\${host}/\`, { method: 'POST', body, dispatcher: agent } as RequestInit);
      }`,
  },
  {
    name: "an undici Client per call closed on success only: unclosed-connection's finding, not hidden by churn",
    code: `
      import { Client } from 'undici';
      export async function introspect(origin: string, path: string): Promise<unknown> {
        const client = new Client(origin);
        const { statusCode, body } = await client.request({ path, method: 'POST', body: '{}' });
        if (statusCode !== 200) {
          await body.dump();
          throw new Error('HTTP ' + statusCode);
        }
        const result = await body.json();
        await client.close();
        return result;
      }`,
  },
  {
    name: 'the same https.Agent subclass made once per proxy and kept for the process',
    code: `${TUNNEL_AGENT}
      const agents = new Map();
      function fetchViaProxy(url, proxy) {
        let agent = agents.get(proxy.host);
        if (!agent) agents.set(proxy.host, (agent = new TunnelAgent(proxy, { keepAlive: true })));
        return new Promise((resolve, reject) => {
          https.get(url, { agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); }).on('error', reject);
        });
      }
      module.exports = { fetchViaProxy };`,
    ext: '.js',
  },
];

invalid.push({
  name: 'an express route that makes a project LoyaltyClient (whose constructor makes an undici Pool) for every check-in and never closes it',
  ext: '.js',
  file: 'src/routes/checkin.js',
  code: `
      import { Router } from 'express';
      import { LoyaltyClient } from '../lib/loyaltyClient.js';
      export const checkinRouter = Router();
      checkinRouter.post('/:bookingId', async (req, res, next) => {
        try {
          const loyalty = new LoyaltyClient(process.env.LOYALTY_URL);
          const member = await loyalty.memberByEmail(req.body.email);
          res.json({ checkedIn: true, member });
        } catch (err) {
          next(err);
        }
      });`,
  files: {
    'src/lib/loyaltyClient.js': "import { Pool } from 'undici';\nexport class LoyaltyClient {\n  constructor(origin) { this.pool = new Pool(origin, { connections: 4, keepAliveTimeout: 30000 }); }\n  async memberByEmail(email) {\n    const { body } = await this.pool.request({ method: 'GET', path: '/members?email=' + encodeURIComponent(email) });\n    return body.json();\n  }\n  close() { return this.pool.close(); }\n}\n",
  },
  errors: [{ line: 6, message: /^A new `LoyaltyClient` is created on every call of this function and never closed/ }],
});

invalid.push(
  {
    name: "a module-local factory's Elasticsearch client used once in a chain (`esClient().search(q)`) by a function each request calls: reported at the factory",
    ext: '.js',
    code: `
      import { Client } from '@elastic/elasticsearch';
      function esClient() {
        return new Client({ node: process.env.ES_URL ?? 'http://localhost:9200', requestTimeout: 10000 });
      }
      export async function searchEntries(q) {
        const result = await esClient().search({ index: 'entries', query: { match: { remarks: q } } });
        return result.hits.hits;
      }
      export async function indexEntry(entry) {
        await esClient().index({ index: 'entries', id: String(entry.id), document: entry });
      }`,
    file: 'src/search/logSearch.js',
    files: { 'src/server.js': "import express from 'express';\nimport { searchEntries } from './search/logSearch.js';\nconst app = express();\napp.get('/entries', async (req, res) => res.json(await searchEntries(String(req.query.q))));\napp.listen(3000);\n" },
    errors: [{ line: 3, message: /^A new `esClient\(\)` is created on every call of `searchEntries` and never closed/ }],
  },
);

/** An undici Client from a factory of the module, used by `optimizeCuts` as `use` says and closed in its finally. */
const OPTIMIZER = (use: string) => `
      import { Client } from 'undici';
      function optimizerClient(): Client {
        return new Client('http://optimizer:8080', { keepAliveTimeout: 10_000 });
      }
      export async function optimizeCuts(scan: { logId: string }): Promise<unknown> {
        const client = optimizerClient();
        try {
          ${use}
        } finally {
          await client.close();
        }
      }`;

invalid.push({
  name: "an undici Client from a module-local factory, used by each call for one `client.request(…)` and closed: reported at the factory's creation",
  code: OPTIMIZER("const { body } = await client.request({ path: '/optimize', method: 'POST', body: JSON.stringify(scan) });\n          return await body.json();"),
  errors: [{ line: 3, message: /^A new `undici.Client` is created on every call of `optimizerClient` and used for a single request/ }],
});

valid.push({
  name: 'the same factory whose client serves two requests of each call (a batch of its own)',
  code: OPTIMIZER("const a = await client.request({ path: '/grade', method: 'POST', body: JSON.stringify(scan) });\n          await a.body.dump();\n          const b = await client.request({ path: '/optimize', method: 'POST', body: JSON.stringify(scan) });\n          return await b.body.json();"),
});

/** An axios instance with its own keep-alive agent from a factory of the file; `use` is what `charge()` does with it. */
const PAYMENTS_API = (use: string) => `
      const https = require('node:https');
      const axios = require('axios');
      function paymentsApi(key) {
        return axios.create({ baseURL: 'https://pay.example/v1', httpsAgent: new https.Agent({ keepAlive: true }), headers: { 'idempotency-key': key } });
      }
      async function charge(order) {
        const api = paymentsApi('order-' + order.id);
        ${use}
      }
      module.exports = { charge };`;

invalid.push({
  name: 'a factory of the file whose axios instance (with a new keep-alive agent) each call holds in a const for one request',
  ext: '.js',
  code: PAYMENTS_API("const { data } = await api.post('/charges', { amount: order.cents });\n        return data.id;"),
  errors: [{ line: 4, message: /^A new `https.Agent` is created on every call of `paymentsApi` and used for a single request/ }],
});
valid.push({
  name: 'the same instance used by each call for two requests (a charge, then its capture)',
  ext: '.js',
  code: PAYMENTS_API("const { data } = await api.post('/charges', { amount: order.cents });\n        await api.post('/charges/' + data.id + '/capture');\n        return data.id;"),
});

invalid.push({
  name: "an exported factory's Elasticsearch client per search of its own file (`module.exports = { searchClient, searchStudies }`): reported at the factory",
  ext: '.js',
  code: `
      const { Client } = require('@elastic/elasticsearch');
      function searchClient() {
        return new Client({ node: process.env.ES_URL || 'http://localhost:9200' });
      }
      async function searchStudies(text) {
        const es = searchClient();
        const res = await es.search({ index: 'studies', query: { match: { notes: text } } });
        return res.hits.hits;
      }
      module.exports = { searchClient, searchStudies };`,
  errors: [{ line: 3, message: /^A new `searchClient\(\)` is created on every call of `searchStudies` and never closed/ }],
});

invalid.push({
  name: 'a module-local factory that connects the client it returns (`const client = createClient(o); await client.connect(); return client`): reported at the creation, not the return',
  code: `
      import { createClient } from 'redis';
      async function redisConnection() {
        const client = createClient({ url: process.env.REDIS_URL });
        await client.connect();
        return client;
      }
      export async function hourlyRate(zone: string): Promise<number | null> {
        const redis = await redisConnection();
        try {
          const v = await redis.hGet('tariff:' + zone, 'weekday');
          return v == null ? null : Number(v);
        } finally {
          await redis.quit();
        }
      }`,
  files: { 'routes.ts': "import express from 'express';\nimport { hourlyRate } from './test';\nexport const app = express();\napp.get('/zones/:zone/quote', async (req, res) => { res.json(await hourlyRate(req.params.zone)); });\n" },
  errors: [{ line: 3, message: /^A new `redisConnection\(\)` is created on every call of `hourlyRate`/ }],
});

invalid.push({
  name: "a kafkajs producer made by a factory of the file for every audit entry, connected and disconnected: reported at the factory",
  code: `
      import { Kafka } from 'kafkajs';
      const kafka = new Kafka({ clientId: 'bot', brokers: ['kafka:9092'] });
      function auditProducer() { return kafka.producer({ idempotent: true }); }
      export async function recordAudit(entry: { user: string }) {
        const producer = auditProducer();
        await producer.connect();
        await producer.send({ topic: 'audit', messages: [{ value: JSON.stringify(entry) }] }).finally(() => producer.disconnect());
      }`,
  errors: [{ line: 3, message: /^A new `auditProducer\(\)` is created on every call of `recordAudit`/ }],
});
