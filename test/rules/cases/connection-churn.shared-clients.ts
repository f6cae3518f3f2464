// connection-churn: pools and multiplexed clients (Redis, MongoDB, AMQP, HTTP/2, a pooled SMTP
// transport) made and closed again on every call or iteration, beside the same clients made once,
// handed on, kept for the process or made where the code runs once (also in a method only an object's
// `start()` calls, configuring what it has just started).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A replica set that starts its servers and configures them once through a MongoClient of its own; `more` is added to the class. */
function replicaSet(more: string): string {
  return `
      import { MongoClient } from 'mongodb';
      export class ReplicaSet {
        private uris: string[] = [];
        async start(): Promise<void> {
          this.uris = await this.spawnAll();
          await this.initiate();
        }
        protected async initiate(): Promise<void> {
          const con = await MongoClient.connect(this.uris[0], { directConnection: true });
          try {
            await con.db('admin').command({ replSetInitiate: { _id: 'rs', members: this.uris.map((host, _id) => ({ _id, host })) } });
          } finally {
            await con.close();
          }
        }
        private async spawnAll(): Promise<string[]> { return ['127.0.0.1:27017']; }
${more}
      }`;
}

export const invalid: InvalidCase[] = [
  {
    name: 'the replica set whose configuring method also runs on every reconfigure() call',
    code: replicaSet('        async reconfigure(): Promise<void> { await this.initiate(); }'),
    errors: [{ line: 9, messageId: 'clientPerCall' }],
  },
  {
    name: 'an HTTP/2 session per pushed document, closed in the finally() of the promise the function returns, called in a loop over a table',
    code: `
      import http2 from 'node:http2';
      export function pushToIndexer(url: string, doc: { id: string }): Promise<number> {
        const session = http2.connect(url);
        return new Promise<number>((resolve, reject) => {
          session.once('error', reject);
          const req = session.request({ ':method': 'PUT', ':path': '/documents/' + doc.id });
          req.on('response', (headers) => resolve(Number(headers[':status'])));
          req.on('error', reject);
          req.end(JSON.stringify(doc));
        }).finally(() => session.close());
      }
      export async function reindexAll(url: string, docs: { id: string }[]) {
        for (const doc of docs) await pushToIndexer(url, doc);
      }`,
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
  {
    name: 'an Elasticsearch client made for every search request and never closed',
    code: `
      import { Client } from '@elastic/elasticsearch';
      export async function searchOrders(req: { query: { q: string } }, res: { json(v: unknown): void }) {
        const es = new Client({ node: process.env.ES_URL });
        const result = await es.search({ index: 'orders', q: req.query.q });
        res.json(result.hits.hits);
      }`,
    errors: [{ line: 3, messageId: 'httpClientPerCallOpen' }],
  },
  {
    name: 'a knex instance made and destroyed on every call of a report query',
    code: `
      const knex = require('knex');
      async function monthlyReport(month) {
        const db = knex({ client: 'mysql2', connection: process.env.DB_URL });
        try {
          return await db('orders').where({ month }).sum('total');
        } finally {
          await db.destroy();
        }
      }
      module.exports = { monthlyReport };`,
    ext: '.js',
    errors: [{ line: 3, messageId: 'clientPerCall', message: /`knex` is created on every call of `monthlyReport`/ }],
  },
  {
    name: 'a kafkajs producer made, connected and disconnected for every command',
    code: `
      import { Kafka } from 'kafkajs';
      const kafka = new Kafka({ clientId: 'bot', brokers: ['kafka:9092'] });
      export async function recordAudit(entry: { user: string; command: string }) {
        const producer = kafka.producer();
        await producer.connect();
        try {
          await producer.send({ topic: 'audit', messages: [{ value: JSON.stringify(entry) }] });
        } finally {
          await producer.disconnect();
        }
      }`,
    errors: [{ line: 4, message: /A new `kafkajs.Kafka.producer` is created on every call of `recordAudit`/ }],
  },
  {
    name: 'a pg Pool made for one query and ended on every call',
    code: `
      import pg from 'pg';
      export async function dailyTotals(url: string, day: string) {
        const pool = new pg.Pool({ connectionString: url, max: 2 });
        try {
          const { rows } = await pool.query('select 1 where $1 = $1', [day]);
          return rows;
        } finally {
          await pool.end();
        }
      }`,
    errors: [{ line: 3, messageId: 'clientPerCall', message: /`pg\.Pool` is created on every call of `dailyTotals`/ }],
  },
  {
    name: 'an ioredis client per call of a session lookup, disconnected in finally',
    code: `
      const Redis = require('ioredis');
      async function resolveSession(token) {
        const sessions = new Redis(process.env.REDIS_URL, { lazyConnect: true });
        try {
          await sessions.connect();
          return await sessions.get('session:' + token);
        } finally {
          sessions.disconnect();
        }
      }
      module.exports = { resolveSession };`,
    ext: '.js',
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
  {
    name: 'an MQTT client connected, used for one publish and ended on every call',
    code: `
      import mqtt from 'mqtt';
      export async function forwardToCloud(topic, reading) {
        const client = await mqtt.connectAsync('mqtts://cloud.example.com:8883', { clientId: 'gw-' + reading.deviceId });
        try {
          await client.publishAsync(topic, JSON.stringify(reading), { qos: 1 });
        } finally {
          await client.endAsync();
        }
      }`,
    ext: '.mjs',
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
  {
    name: 'a node-redis client per chat message, in a message listener',
    code: `
      import { createClient } from 'redis';
      export function attach(socket: { on(e: string, cb: (m: string) => void): void }) {
        socket.on('message', async (msg) => {
          const client = createClient({ url: 'redis://cache:6379' });
          await client.connect();
          try {
            await client.incr('messages:' + msg.length);
          } finally {
            await client.quit();
          }
        });
      }`,
    errors: [{ line: 4, messageId: 'clientPerCall', message: /on every call of this function/ }],
  },
  {
    name: 'a mysql2 connection of its own made and ended in an express route handler, for every request',
    code: `
      const express = require('express');
      const mysql = require('mysql2/promise');
      const app = express();
      app.get('/users/:id', async (req, res) => {
        const conn = await mysql.createConnection({ host: 'db', user: 'app', database: 'shop' });
        try {
          const [rows] = await conn.execute('SELECT * FROM users WHERE id = ?', [req.params.id]);
          res.json(rows[0]);
        } finally {
          await conn.end();
        }
      });
      module.exports = app;`,
    ext: '.js',
    errors: [{ line: 5, messageId: 'clientPerCall' }],
  },
  {
    name: "a pg client of its own per queue message, in the consumer's message listener",
    code: `
      import { Client } from 'pg';
      export function persist(queue: { on(e: 'message', cb: (m: { body: string }) => void): void }) {
        queue.on('message', async (m) => {
          const client = new Client({ connectionString: process.env.DATABASE_URL });
          await client.connect();
          try {
            await client.query('INSERT INTO events(body) VALUES ($1)', [m.body]);
          } finally {
            await client.end();
          }
        });
      }`,
    errors: [{ line: 4, messageId: 'clientPerCall' }],
  },
  {
    name: 'an HTTP/2 session per batch, closed after it',
    code: `
      import * as http2 from 'http2';
      export class Collector {
        constructor(private readonly origin: string) {}
        async push(body: string): Promise<void> {
          const session = http2.connect(this.origin);
          try {
            await new Promise<void>((resolve, reject) => {
              const req = session.request({ ':method': 'POST', ':path': '/v1/metrics' });
              req.on('response', () => resolve());
              req.on('error', reject);
              req.end(body);
            });
          } finally {
            session.close();
          }
        }
      }`,
    errors: [{ line: 5, messageId: 'clientPerCall', message: /on every call of `push`/ }],
  },
  {
    name: 'a pooled SMTP transport per recipient, closed at the end of each iteration',
    code: `
      const nodemailer = require('nodemailer');
      async function sendDigest(recipients, smtp) {
        for (const r of recipients) {
          const transporter = nodemailer.createTransport({ ...smtp, pool: true, maxConnections: 1 });
          try {
            await transporter.sendMail({ to: r.email, text: 'digest' });
          } finally {
            transporter.close();
          }
        }
      }
      module.exports = { sendDigest };`,
    ext: '.js',
    errors: [{ line: 4, messageId: 'clientPerIteration' }],
  },
  {
    name: 'a MongoClient connected per request handler call',
    code: `
      import express from 'express';
      import { MongoClient } from 'mongodb';
      const app = express();
      app.get('/count', async (req, res) => {
        const client = await new MongoClient('mongodb://db').connect();
        try {
          res.json(await client.db().collection('x').countDocuments());
        } finally {
          await client.close();
        }
      });
      app.listen(3000);`,
    errors: [{ line: 5, messageId: 'clientPerCall' }],
  },
  {
    name: 'an HTTP/2 session per call, lent to a project helper that only opens a stream on it',
    code: `
      import http2 from 'node:http2';
      function push(session: http2.ClientHttp2Session, path: string): Promise<number> {
        return new Promise((resolve, reject) => {
          const stream = session.request({ ':method': 'POST', ':path': path });
          stream.on('response', (h) => resolve(Number(h[':status'])));
          stream.on('error', reject);
          stream.end();
        });
      }
      export async function sendOne(token: string): Promise<number> {
        const session = http2.connect('https://api.push.example');
        try {
          return await push(session, '/3/device/' + token);
        } finally {
          session.close();
        }
      }`,
    errors: [{ line: 11, messageId: 'clientPerCall' }],
  },
  {
    name: 'a database client per call of a function this file calls in a loop',
    code: `
      import pg from 'pg';
      async function lookup(id: number) {
        const crm = new pg.Client({ connectionString: process.env.CRM_URL });
        await crm.connect();
        try {
          return (await crm.query('SELECT * FROM customers WHERE id = $1', [id])).rows[0];
        } finally {
          await crm.end();
        }
      }
      export async function enrich(orders: Array<{ customerId: number }>) {
        const out = [];
        for (const order of orders) out.push({ ...order, customer: await lookup(order.customerId) });
        return out;
      }`,
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
  {
    name: 'a MySQL connection per file of an import loop, used for each row of that file and ended in finally',
    code: `
      import { readFile } from 'node:fs/promises';
      import mysql from 'mysql2/promise';
      const dbConfig = { host: 'db', user: 'arena', database: 'arena' };
      export async function importReplays(files: string[]): Promise<number> {
        let imported = 0;
        for (const file of files) {
          const replay = JSON.parse(await readFile(file, 'utf8')) as { matchId: string; players: { id: string; score: number }[] };
          const conn = await mysql.createConnection(dbConfig);
          try {
            for (const p of replay.players) {
              await conn.execute('INSERT IGNORE INTO score_history VALUES (?, ?, ?)', [replay.matchId, p.id, p.score]);
            }
            imported++;
          } finally {
            await conn.end();
          }
        }
        return imported;
      }`,
    errors: [{ line: 8, messageId: 'clientPerIteration' }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "a MongoClient a replica set opens once to configure the servers it has just started, from a method only its start() calls",
    code: replicaSet(''),
  },
  {
    name: 'an MQTT client made once for the process and shared by every publish',
    code: `
      const mqtt = require('mqtt');
      const client = mqtt.connect('mqtt://broker:1883');
      function publishReading(topic, reading) {
        client.publish(topic, JSON.stringify(reading));
      }
      module.exports = { publishReading };`,
    ext: '.js',
  },
  {
    name: 'a kafkajs producer made once by start() and kept for the process',
    code: `
      import { Kafka, Producer } from 'kafkajs';
      let producer: Producer | undefined;
      export async function start(brokers: string[]) {
        producer = new Kafka({ clientId: 'bot', brokers }).producer();
        await producer.connect();
      }`,
  },
  {
    name: 'one pool made at module level and shared by every call',
    code: `
      import pg from 'pg';
      const pool = new pg.Pool();
      export async function dailyTotals(day: string) {
        const { rows } = await pool.query('select 1 where $1 = $1', [day]);
        return rows;
      }`,
  },
  {
    name: 'a script main() that makes a pool, uses it and ends it: it runs once',
    code: `
      import pg from 'pg';
      async function main() {
        const pool = new pg.Pool();
        try {
          await pool.query('vacuum');
        } finally {
          await pool.end();
        }
      }
      main();`,
  },
  {
    name: 'a CLI command action that makes a Redis client once per run',
    code: `
      import { Command } from 'commander';
      import Redis from 'ioredis';
      const program = new Command();
      program.command('flush').action(async () => {
        const redis = new Redis();
        try {
          await redis.flushdb();
        } finally {
          redis.disconnect();
        }
      });
      program.parse();`,
  },
  {
    name: 'a helper that hands its client to a callback (a factory of scoped clients) is not judged here',
    code: `
      import { createClient } from 'redis';
      export async function withRedis<T>(fn: (c: unknown) => Promise<T>): Promise<T> {
        const client = createClient();
        await client.connect();
        try {
          return await fn(client);
        } finally {
          await client.quit();
        }
      }`,
  },
  {
    name: 'a pool made in start() and ended only in its shutdown handler is kept for the process',
    code: `
      import pg from 'pg';
      export async function start() {
        const pool = new pg.Pool();
        await pool.query('select 1');
        process.once('SIGTERM', () => pool.end());
      }`,
  },
  {
    name: 'a pool made in a test and ended at its end',
    code: `
      import pg from 'pg';
      it('counts', async () => {
        const pool = new pg.Pool();
        try {
          await pool.query('select 1');
        } finally {
          await pool.end();
        }
      });`,
    file: 'test/count.test.ts',
  },
  {
    name: 'a MongoClient closed on the healthy path only is unclosed-connection\'s finding, not churn',
    code: `
      import { MongoClient } from 'mongodb';
      export async function probe(url: string) {
        const client = new MongoClient(url);
        await client.connect();
        const status = await client.db('admin').command({ ping: 1 });
        if (!status.ok) return false;
        await client.close();
        return true;
      }`,
  },
  {
    name: 'a script whose async IIFE connects, sends and closes: it runs once',
    code: `
      const amqp = require('amqplib');
      (async () => {
        const connection = await amqp.connect('amqp://localhost');
        const channel = await connection.createChannel();
        await channel.sendToQueue('q', Buffer.from('hi'));
        await channel.close();
        await connection.close();
      })();`,
    ext: '.js',
  },
  {
    name: "a test runner's global setup file makes a pool once per run",
    code: `
      import { Pool } from 'pg';
      export default async function (): Promise<void> {
        const pool = new Pool({ connectionString: process.env.DATABASE_URL });
        try {
          await pool.query('DROP SCHEMA IF EXISTS app CASCADE');
        } finally {
          await pool.end();
        }
      }`,
    file: 'vitest.postgres.global-setup.ts',
  },
  {
    name: 'an HTTP/2 session per call handed to a project helper that keeps it',
    code: `
      import http2 from 'node:http2';
      const sessions: http2.ClientHttp2Session[] = [];
      function remember(session: http2.ClientHttp2Session) {
        sessions.push(session);
      }
      export async function open(origin: string) {
        const session = http2.connect(origin);
        remember(session);
        await new Promise((r) => setTimeout(r, 10));
        session.close();
      }`,
  },
  {
    name: 'a database client per call of a function this file calls once, outside any loop',
    code: `
      import pg from 'pg';
      async function lookup(id: number) {
        const crm = new pg.Client({ connectionString: process.env.CRM_URL });
        await crm.connect();
        try {
          return (await crm.query('SELECT * FROM customers WHERE id = $1', [id])).rows[0];
        } finally {
          await crm.end();
        }
      }
      export async function enrichOne(order: { customerId: number }) {
        return { ...order, customer: await lookup(order.customerId) };
      }`,
  },
];
