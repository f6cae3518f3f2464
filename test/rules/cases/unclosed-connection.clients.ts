// unclosed-connection: connections other than a net.Socket or a server, left open on some path:
// database and cache clients (pg, mysql2, ioredis, MongoDB), WebSocket and socket.io clients, an
// undici Client, an http2 session, an HTTP agent or a UDP socket made per call.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A health check that makes an undici Agent per call and never closes it. */
const HEALTH_CHECK = `
      import { Agent, fetch } from 'undici';
      export async function checkInflux(url: string): Promise<boolean> {
        const dispatcher = new Agent({ connect: { timeout: 2000 }, headersTimeout: 2000 });
        try {
          const res = await fetch(new URL('/health', url), { dispatcher });
          return (await res.json()).status === 'pass';
        } catch {
          return false;
        }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: 'an iovalkey client (the Valkey fork of ioredis) made in a test and never disconnected',
    code: `
      import Redis from 'iovalkey';
      test('exposes the client', () => {
        const redis = new Redis('redis://localhost:6370');
        expect(redis).toBeDefined();
      });`,
    file: 'test/main.test.ts',
    errors: [{ line: 3 }],
  },
  {
    name: 'an ldapjs client left connected when the bind fails',
    code: `
      const ldap = require('ldapjs');
      function authenticate(url, dn, password, cb) {
        const client = ldap.createClient({ url });
        client.on('error', (err) => console.error(err.message));
        client.bind(dn, password, (err) => {
          if (err) return cb(false);
          client.unbind();
          cb(true);
        });
      }
      module.exports = { authenticate };`,
    ext: '.js',
    errors: [{ line: 3, message: /LDAP client/ }],
  },
  {
    name: 'an undici Client from a dynamic import, made and dropped on every call',
    code: `
      export async function fetchPage(url: URL) {
        const { Client } = await import('undici');
        const { body } = await new Client(url.origin).request({ path: url.pathname, method: 'GET' });
        return body.text();
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'node-redis: a client connected where it is made, left open on an early return',
    code: `
      import { createClient } from 'redis';
      export async function flag(url: string, name: string) {
        const client = await createClient({ url }).connect();
        if (!name) return null;
        const v = await client.get(name);
        await client.quit();
        return v;
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'a dedicated Redis connection duplicated from a client the caller hands in, kept in a field and never quit',
    code: `
      class StreamReader {
        constructor(redis, stream) {
          this.redis = redis;
          this.reader = redis.duplicate();
          this.stream = stream;
          this.running = false;
        }
        async start() {
          this.running = true;
          while (this.running) await this.reader.xread('BLOCK', 5000, 'STREAMS', this.stream, '$');
        }
        stop() { this.running = false; }
      }
      module.exports = { StreamReader };`,
    ext: '.js',
    files: { 'package.json': '{ "name": "gateway", "dependencies": { "ioredis": "^5.4.0" } }' },
    errors: [{ line: 4 }],
  },
  {
    name: 'an MQTT client left connected when the device is unknown (it reconnects until end())',
    code: `
      const mqtt = require('mqtt');
      function pushConfig(url, device, config) {
        const client = mqtt.connect(url);
        if (!device.id) return false;
        client.publish('config/' + device.id, JSON.stringify(config), () => client.end());
        return true;
      }
      module.exports = { pushConfig };`,
    ext: '.js',
    errors: [{ line: 3, message: /MQTT client/ }],
  },
  {
    name: 'a class that binds its server in listen(): listened on and never destroyed',
    code: `
      import * as net from 'net';
      class TunnelAgent {
        server = net.createServer();
        async listen() { await new Promise<void>((r) => this.server.listen(0, () => r())); }
        destroy() { this.server.close(); }
      }
      export async function probe() {
        const agent = new TunnelAgent();
        await agent.listen();
        return true;
      }`,
    file: 'test/agent.test.ts',
    errors: [{ line: 8, message: /never closed/ }],
  },
  {
    name: 'an AMQP channel opened per call on a shared connection, left open when the queue is empty',
    code: `
      import type { Connection } from 'amqplib';
      import * as amqp from 'amqplib';
      export const connecting = amqp.connect('amqp://localhost');
      export async function depth(conn: Connection, queue: string): Promise<number> {
        const ch = await conn.createChannel();
        const { messageCount } = await ch.checkQueue(queue);
        if (messageCount === 0) return 0;
        await ch.close();
        return messageCount;
      }`,
    errors: [{ line: 5 }],
  },
  {
    name: 'a kafkajs admin client connected per call, left connected on an early return',
    code: `
      import { Kafka } from 'kafkajs';
      const kafka = new Kafka({ clientId: 'lag', brokers: ['kafka:9092'] });
      export async function lag(groupId: string, topic: string) {
        const admin = kafka.admin();
        await admin.connect();
        const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
        if (committed.length === 0) return [];
        const offsets = await admin.fetchTopicOffsets(topic);
        await admin.disconnect();
        return offsets;
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'pg client: query rejection skips end()',
    code: `
      import { Client } from 'pg';
      export async function count() {
        const client = new Client();
        await client.connect();
        const r = await client.query('select count(*) from t');
        await client.end();
        return r.rows[0].count;
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'ws WebSocket not closed on the error branch',
    code: `
      import WebSocket from 'ws';
      export async function hello(url: string, ready: () => Promise<boolean>) {
        const ws = new WebSocket(url);
        if (!(await ready())) {
          return;
        }
        ws.send('hi');
        ws.close();
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'mysql2 connection not ended when the query throws',
    code: `
      import mysql from 'mysql2/promise';
      export async function rows() {
        const conn = await mysql.createConnection({ host: 'db' });
        const [r] = await conn.query('select 1');
        await conn.end();
        return r;
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'ioredis client never quit',
    code: `
      const Redis = require('ioredis');
      async function get(key) {
        const redis = new Redis();
        return await redis.get(key);
      }`,
    ext: '.js',
    errors: [{ line: 3, messageId: 'never' }],
  },
  {
    name: 'MongoClient not closed when the insert throws',
    code: `
      import { MongoClient } from 'mongodb';
      export async function save(doc: object) {
        const client = new MongoClient('mongodb://localhost');
        await client.connect();
        await client.db('a').collection('b').insertOne(doc);
        await client.close();
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'socket.io client not disconnected on early exit',
    code: `
      import { io } from 'socket.io-client';
      export function join(room: string) {
        const socket = io('http://localhost:3000');
        if (!room) return null;
        socket.emit('join', room);
        socket.disconnect();
        return room;
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'a UDP socket made per call to send one datagram and never closed',
    code: `
      import * as dgram from 'dgram';
      export function notify(msg: string) {
        const sock = dgram.createSocket('udp4');
        sock.send(msg, 8125, 'localhost');
      }`,
    errors: [{ line: 3, messageId: 'never' }],
  },
  {
    name: 'http2 session not closed when the request fails',
    code: `
      import * as http2 from 'http2';
      export async function get(origin: string, send: (s: http2.ClientHttp2Session) => Promise<string>) {
        const session = http2.connect(origin);
        const body = await send(session);
        session.close();
        return body;
      }`,
    errors: [{ line: 3 }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'an undici Agent per call of a health check another module runs every 15 s: its idle socket closes at its keep-alive timeout first',
    code: HEALTH_CHECK,
    files: { 'main.ts': "import { checkInflux } from './case';\nsetInterval(async () => { if (!(await checkInflux('http://influx:8086'))) console.warn('influx unhealthy'); }, 15_000);\n" },
  },
  {
    name: 'an ldapjs client unbound whatever the bind says',
    code: `
      const ldap = require('ldapjs');
      function authenticate(url, dn, password, cb) {
        const client = ldap.createClient({ url });
        client.on('error', (err) => console.error(err.message));
        client.bind(dn, password, (err) => {
          client.unbind();
          cb(!err);
        });
      }
      module.exports = { authenticate };`,
    ext: '.js',
  },
  {
    name: 'an Angular service holding a Socket.IO client for the page',
    code: `
      import { Injectable } from '@angular/core';
      import { io, Socket } from 'socket.io-client';
      @Injectable({ providedIn: 'root' })
      export class Store {
        private socket: Socket;
        constructor() { this.socket = io('/todos'); }
        add(text: string) { this.socket.emit('add', text); }
      }`,
  },
  {
    name: 'an undici Client from a dynamic import, closed in finally',
    code: `
      export async function fetchPage(url: URL) {
        const undici = await import('undici');
        const client = new undici.Client(url.origin);
        try {
          const { body } = await client.request({ path: url.pathname, method: 'GET' });
          return await body.text();
        } finally {
          await client.close();
        }
      }`,
  },
  {
    name: 'node-redis: a throw before connect() leaves nothing open (v4 and later connect only in connect())',
    code: `
      import { createClient } from 'redis';
      export async function connectCache(url: string | undefined) {
        const client = createClient({ url });
        client.on('error', (err) => console.error(err));
        if (!url) throw new Error('REDIS_URL is not set');
        await client.connect();
        return client;
      }`,
  },
  {
    name: 'a duplicate() of an untyped "redis" in a package without a Redis driver: unknown is silence',
    code: `
      class Mirror {
        constructor(redis) { this.copy = redis.duplicate(); }
        size() { return this.copy.size; }
      }
      module.exports = { Mirror };`,
    ext: '.js',
    files: { 'package.json': '{ "name": "mirror" }' },
  },
  {
    name: 'a dedicated Redis connection duplicated from a handed-in client and quit in stop()',
    code: `
      class StreamReader {
        constructor(redis) { this.reader = redis.duplicate(); this.running = false; }
        async start() {
          this.running = true;
          while (this.running) await this.reader.xread('BLOCK', 5000, 'STREAMS', 's', '$');
        }
        async stop() { this.running = false; await this.reader.quit(); }
      }
      module.exports = { StreamReader };`,
    ext: '.js',
    files: { 'package.json': '{ "name": "gateway", "dependencies": { "ioredis": "^5.4.0" } }' },
  },
  {
    name: 'an MQTT client ended in finally',
    code: `
      import { connectAsync } from 'mqtt';
      export async function ping(url: string) {
        const client = await connectAsync(url);
        try {
          await client.publishAsync('health', 'ping');
        } finally {
          await client.endAsync();
        }
      }`,
  },
  {
    name: 'a class whose constructor makes a server it binds only in listen(): built and never listened, it holds nothing',
    code: `
      import * as net from 'net';
      class TunnelAgent {
        server = net.createServer();
        listen(): Promise<number> {
          return new Promise((resolve) => this.server.listen(0, () => resolve((this.server.address() as net.AddressInfo).port)));
        }
        destroy() { this.server.close(); }
      }
      export function stats() {
        const agent = new TunnelAgent();
        return typeof agent;
      }`,
  },
  {
    name: 'a wrapper handed to its owner before it is opened',
    code: `
      import * as net from 'net';
      class TunnelAgent {
        server = net.createServer();
        async listen() { await new Promise<void>((r) => this.server.listen(0, () => r())); }
        destroy() { this.server.close(); }
      }
      export async function newClient(clients: Map<string, object>, id: string) {
        const agent = new TunnelAgent();
        clients.set(id, { id, agent });
        await agent.listen();
        return id;
      }`,
  },
  {
    name: "an AMQP channel whose connection is closed in finally (closing the connection closes its channels)",
    code: `
      const amqp = require('amqplib');
      async function depth(url, queue) {
        const conn = await amqp.connect(url);
        try {
          const ch = await conn.createChannel();
          const { messageCount } = await ch.checkQueue(queue);
          return messageCount;
        } finally {
          await conn.close();
        }
      }
      module.exports = { depth };`,
    ext: '.js',
  },
  {
    name: "a consumer's channel is meant to run as long as its connection",
    code: `
      import type { Connection } from 'amqplib';
      import * as amqp from 'amqplib';
      export const ready = amqp.connect('amqp://localhost');
      export async function consume(conn: Connection, queue: string, handle: (body: Buffer) => Promise<void>) {
        const ch = await conn.createChannel();
        await ch.assertQueue(queue);
        await ch.consume(queue, async (msg) => {
          if (!msg) return;
          await handle(msg.content);
          ch.ack(msg);
        });
      }`,
  },
  {
    name: 'a running kafkajs consumer is a service, and a producer made but never connected holds nothing',
    code: `
      import { Kafka } from 'kafkajs';
      const kafka = new Kafka({ clientId: 'orders', brokers: ['kafka:9092'] });
      export async function start(handle: (value: Buffer | null) => Promise<void>) {
        const consumer = kafka.consumer({ groupId: 'orders' });
        await consumer.connect();
        await consumer.subscribe({ topic: 'orders' });
        await consumer.run({ eachMessage: async ({ message }) => handle(message.value) });
      }
      export function unused() {
        const producer = kafka.producer();
        return typeof producer;
      }`,
  },
  {
    name: 'a kafkajs producer disconnected in finally',
    code: `
      import { Kafka } from 'kafkajs';
      const kafka = new Kafka({ clientId: 'cli', brokers: ['kafka:9092'] });
      export async function send(topic: string, value: string) {
        const producer = kafka.producer();
        await producer.connect();
        try {
          await producer.send({ topic, messages: [{ value }] });
        } finally {
          await producer.disconnect();
        }
      }`,
  },
];

/** Agents made per call for one request: connection-churn reports them (RuleMeta.supersedes); checked here with it off. */
export const perCallAgents: InvalidCase[] = [
  {
    name: 'the same health check run for every request of a status route: an agent per request, never closed',
    code: HEALTH_CHECK,
    files: { 'routes.ts': "import { checkInflux } from './case';\nexport function mount(app: { get(p: string, h: (req: unknown, res: { json(v: unknown): void }) => void): void }) {\n  app.get('/status', async (_req, res) => res.json({ influx: await checkInflux('http://influx:8086') }));\n}\n" },
    errors: [{ line: 3, messageId: 'never' }],
  },
  {
    name: 'undici Client created per call and never closed',
    code: `
      import { Client } from 'undici';
      export async function get(origin: string) {
        const client = new Client(origin);
        const { body } = await client.request({ path: '/', method: 'GET' });
        return body.text();
      }`,
    errors: [{ line: 3, messageId: 'never' }],
  },
  {
    name: 'an agent made per call serves one request and is never destroyed',
    code: `
      import * as https from 'https';
      export function get(url: string) {
        const agent = new https.Agent({ keepAlive: true });
        return new Promise((resolve) => https.get(url, { agent }, resolve));
      }`,
    errors: [{ line: 3, messageId: 'never' }],
  },
];
