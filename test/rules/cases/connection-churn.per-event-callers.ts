// connection-churn: how often a function runs, told by what calls it. A callback handed in an options literal
// (`createPlcPool(host, { onAlarm: (a) => notifyAlarm(a) })`) to a project function that registers it as a
// listener runs for every event; so does a callback the project function calls from a callback inside its loop
// (`for (const s of sensors) readSensor(s, (err, r) => onReading(r))`). A function called only from a router's
// `/healthz` branch connects once per probe, on purpose. kafkajs runs `consumer.run({ eachMessage })`'s callback
// for every message: a pooled SMTP transport made by the alert it sends for some messages piles up with them. An
// exported function another module hands over in a deps literal (`attachSessionRelay(io, { publishFlag })`) that the
// project function calls as `deps.publishFlag?.(flag)` in a per-event listener runs for every event too, and so does
// one another module registers by name (`app.get(path, laneUtilisation)`), also handed down a second options literal
// (`createApp({ notify: sendResultReady })` gives it to `samplesRouter({ notify })`). A handler of a server's own route
// table (`['POST', /^\/attempts$/, async (req, res) => …]`) runs for every request of its route (not a health probe's).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An MQTT alarm sent on a connection of its own per call, closed after its one publish. */
const NOTIFY = `
      import mqtt from 'mqtt';
      export function notifyAlarm(alarm: { station: string }): Promise<void> {
        return new Promise((resolve, reject) => {
          const client = mqtt.connect('mqtt://broker.plant.local:1883', { reconnectPeriod: 0 });
          client.once('connect', () => {
            client.publish('plant/alarms/' + alarm.station, JSON.stringify(alarm), { qos: 1 }, (err) => {
              client.end();
              if (err) reject(err);
              else resolve();
            });
          });
          client.once('error', (err) => {
            client.end(true);
            reject(err);
          });
        });
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "an MQTT client per forwarded packet, published from its connect listener inside the promise the function returns",
    code: `
      import mqtt from 'mqtt';
      import { EventEmitter } from 'node:events';
      export function forwardToSar(p: { source: string }): Promise<void> {
        const sar = mqtt.connect('mqtts://sar.example:8883');
        return new Promise((resolve, reject) => {
          sar.once('connect', () => {
            sar.publish(\`sar/\${p.source}\`, JSON.stringify(p), { qos: 1 }, (err) => (err ? reject(err) : resolve()));
          });
          sar.once('error', reject);
        });
      }
      export function attach(feed: EventEmitter) {
        feed.on('packet', async (p: { source: string }) => {
          try {
            await forwardToSar(p);
          } catch (err) {
            console.warn(err);
          }
        });
      }`,
    errors: [{ line: 4, message: /^A new `mqtt.connect` is created on every call of `forwardToSar` and never closed/ }],
  },
  {
    name: "an Elasticsearch client per job from a factory, in a function a worker loop started once calls through another",
    ext: '.js',
    code: `
      import { makeEsClient } from './es.js';
      export async function findSimilar(text) {
        const es = makeEsClient();
        const res = await es.search({ index: 'submissions', query: { match: { text } } });
        return res.hits.hits;
      }`,
    files: {
      'es.js': "import { Client } from '@elastic/elasticsearch';\nexport function makeEsClient(opts = {}) {\n  return new Client({ node: 'http://localhost:9200', ...opts });\n}\n",
      'worker.js': "import { findSimilar } from './case.js';\nlet running = true;\nasync function check(job) {\n  return findSimilar(job);\n}\nasync function workLoop(queue) {\n  while (running) {\n    const job = await queue.pop();\n    if (!job) continue;\n    await check(job);\n  }\n}\nconst loop = workLoop({ pop: async () => 'x' });\nprocess.once('SIGTERM', () => { running = false; });\n",
    },
    errors: [{ line: 3, message: /^A new `makeEsClient\(\)` is created on every call of `findSimilar` and never closed/ }],
  },
  {
    name: "a pooled SMTP transport per receipt, sent by a job handler that main() hands by name to the queue consumer's per-message callback",
    code: `
      import nodemailer from 'nodemailer';
      export async function sendReceipt(to: string): Promise<string> {
        const transporter = nodemailer.createTransport({ host: 'smtp.internal', pool: true, maxConnections: 2 });
        const info = await transporter.sendMail({ to, text: 'received' });
        return info.messageId;
      }`,
    file: 'src/mailer.ts',
    files: {
      'src/main.ts': "import { startConsumer } from './consumer';\nimport { sendReceipt } from './mailer';\nasync function handleJob(job: string): Promise<void> {\n  await sendReceipt(job);\n}\nconst stop = await startConsumer(handleJob);\nprocess.once('SIGTERM', () => stop());\n",
      'src/consumer.ts': "import amqp from 'amqplib';\nexport async function startConsumer(handle: (job: string) => Promise<void>): Promise<() => Promise<void>> {\n  const conn = await amqp.connect('amqp://mq');\n  const ch = await conn.createChannel();\n  await ch.consume('jobs', async (msg) => {\n    if (!msg) return;\n    await handle(msg.content.toString());\n    ch.ack(msg);\n  });\n  return async () => { await conn.close(); };\n}\n",
    },
    errors: [{ line: 3, message: /^A new `nodemailer.createTransport` is created on every call of `sendReceipt` and never closed/ }],
  },
  {
    name: "an MQTT connection per alarm of a callback handed in an options literal to a project function that listens with it",
    code: NOTIFY,
    file: 'src/alarmNotify.ts',
    files: {
      'src/plcPool.ts': "import { EventEmitter } from 'node:events';\nexport function createPlcPool(client: EventEmitter, { max = 4, onAlarm }: { max?: number; onAlarm?: (a: { station: string }) => void } = {}) {\n  if (onAlarm) client.on('alarm', onAlarm);\n  return { max };\n}\n",
      'src/index.ts': "import { EventEmitter } from 'node:events';\nimport { createPlcPool } from './plcPool';\nimport { notifyAlarm } from './alarmNotify';\nexport const start = (client: EventEmitter) => createPlcPool(client, { onAlarm: (alarm) => notifyAlarm(alarm).catch(() => undefined) });\n",
    },
    errors: [{ line: 4, messageId: 'socketPerCall' }],
  },
  {
    name: 'an MQTT connection per alarm of a callback a poller calls from the completion callback inside its loop over sensors',
    code: NOTIFY,
    file: 'src/alarmNotify.ts',
    files: {
      'src/poller.ts': "type Reading = { station: string };\nexport function startPolling(sensors: string[], read: (s: string, cb: (err: Error | null, r: Reading) => void) => void, onReading: (r: Reading) => void) {\n  const tick = () => {\n    for (const s of sensors) read(s, (err, r) => (err ? undefined : onReading(r)));\n  };\n  return setInterval(tick, 60_000);\n}\n",
      'src/index.ts': "import { startPolling } from './poller';\nimport { notifyAlarm } from './alarmNotify';\nexport const start = (sensors: string[], read: Parameters<typeof startPolling>[1]) => startPolling(sensors, read, (r) => void notifyAlarm(r));\n",
    },
    errors: [{ line: 4, messageId: 'socketPerCall' }],
  },
];

invalid.push({
  name: "an MQTT connection per alarm of the function a server factory takes as a parameter's default and calls from its per-line listener",
  code: NOTIFY,
  file: 'src/alarmNotify.ts',
  files: {
    'src/tapServer.ts': "import net from 'node:net';\nimport readline from 'node:readline';\nimport { notifyAlarm } from './alarmNotify';\nexport function createTapServer({ alert = notifyAlarm }: { alert?: typeof notifyAlarm } = {}) {\n  return net.createServer((socket) => {\n    const rl = readline.createInterface({ input: socket });\n    rl.on('line', (line) => {\n      alert({ station: line }).catch(() => undefined);\n    });\n  });\n}\n",
  },
  errors: [{ line: 4, messageId: 'socketPerCall' }],
});

/** A WebSocket per frame pushed to an LED board, closed once the frame is sent; `src/main.ts` pushes one per split. */
const DISPLAY_LINK = `
      import WebSocket from 'ws';
      export class DisplayLink {
        constructor(private readonly url: string) {}
        push(rows: string[]): Promise<void> {
          return new Promise((resolve, reject) => {
            const ws = new WebSocket(this.url);
            ws.once('open', () => ws.send(JSON.stringify(rows), (err) => { ws.close(); if (err) reject(err); else resolve(); }));
            ws.once('error', reject);
          });
        }
      }`;
const SCOREBOARD = "import type { DisplayLink } from './displayLink';\nexport class Scoreboard {\n  constructor(private readonly display: DisplayLink) {}\n  async onSplit(lane: number): Promise<void> {\n    await this.display.push([String(lane)]);\n  }\n}\n";

invalid.push({
  name: "a WebSocket per frame of a method another class's method calls on its field, which a timing listener calls on a const instance",
  code: DISPLAY_LINK,
  file: 'src/displayLink.ts',
  files: {
    'src/scoreboard.ts': SCOREBOARD,
    'src/main.ts': "import { EventEmitter } from 'node:events';\nimport { DisplayLink } from './displayLink';\nimport { Scoreboard } from './scoreboard';\nexport function start(timing: EventEmitter) {\n  const board = new Scoreboard(new DisplayLink('ws://board.local/frames'));\n  timing.on('split', (lane: number) => void board.onSplit(lane));\n}\n",
  },
  errors: [{ line: 6, messageId: 'socketPerCall' }],
});

/** A delay alert sent through a pooled SMTP transport a factory of the module makes per call (reported in the factory, once for its callers), never closed. */
const NOTIFIER = `
      'use strict';
      const nodemailer = require('nodemailer');
      function buildTransport() {
        return nodemailer.createTransport({ pool: true, maxConnections: 2, host: process.env.SMTP_HOST, port: 587 });
      }
      async function sendDelayAlert({ to, car, hours }) {
        const transport = buildTransport();
        const info = await transport.sendMail({ from: 'yard@example.com', to, subject: car + ' held for ' + hours + 'h', text: '' });
        return info.messageId;
      }
      module.exports = { sendDelayAlert };`;

invalid.push({
  name: "a pooled SMTP transport per alert of a kafkajs consumer's eachMessage, through a function of the consumer's module",
  code: NOTIFIER,
  ext: '.js',
  file: 'src/services/notifier.js',
  files: {
    'src/workers/kafkaConsumer.js': `'use strict';
const { Kafka } = require('kafkajs');
const { sendDelayAlert } = require('../services/notifier');
async function handleCarEvent(evt) {
  if (evt.hours < 48) return;
  await sendDelayAlert({ to: evt.email, car: evt.car, hours: evt.hours });
}
async function startDwellConsumer() {
  const kafka = new Kafka({ clientId: 'tracker', brokers: ['kafka:9092'] });
  const consumer = kafka.consumer({ groupId: 'dwell' });
  await consumer.connect();
  await consumer.subscribe({ topic: 'car-events' });
  await consumer.run({
    eachMessage: async ({ message }) => {
      await handleCarEvent(JSON.parse(message.value.toString('utf8')));
    },
  });
  return consumer;
}
module.exports = { startDwellConsumer };
`,
  },
  errors: [{ line: 4, messageId: 'clientPerCallOpen' }],
});

/** A pooled SMTP transport per receipt, never closed; `src/main.ts` hands the job handler to a project consumer class. */
const RECEIPT = `
      import nodemailer from 'nodemailer';
      export async function sendReceipt(to: string): Promise<void> {
        const transporter = nodemailer.createTransport({ host: 'smtp.internal', pool: true, maxConnections: 2 });
        await transporter.sendMail({ to, text: 'received' });
      }`;
const CONSUMER_CLASS = (body: string) => "import amqp from 'amqplib';\nexport class JobConsumer {\n  private ch?: amqp.Channel;\n  constructor(private readonly url: string, private readonly handler: (job: string) => Promise<void>) {}\n" + body + "}\n";
const MAIN = "import { JobConsumer } from './consumer';\nimport { sendReceipt } from './mailer';\nconst consumer = new JobConsumer('amqp://mq', (job) => sendReceipt(job));\nawait consumer.start();\n";

invalid.push({
  name: "a pooled SMTP transport per receipt, sent by the handler a consumer class keeps and calls from the method its per-message callback calls",
  code: RECEIPT,
  file: 'src/mailer.ts',
  files: {
    'src/main.ts': MAIN,
    'src/consumer.ts': CONSUMER_CLASS("  async start(): Promise<void> {\n    const conn = await amqp.connect(this.url);\n    this.ch = await conn.createChannel();\n    await this.ch.consume('jobs', (msg) => { void this.onMessage(msg); });\n  }\n  private async onMessage(msg: amqp.ConsumeMessage | null): Promise<void> {\n    if (!msg) return;\n    await this.handler(msg.content.toString());\n    this.ch?.ack(msg);\n  }\n"),
  },
  errors: [{ line: 3, messageId: 'clientPerCallOpen' }],
});

invalid.push({
  name: "the same receipt sent by a function of main's module handed by name in the options the consumer class's constructor takes apart (`new JobConsumer({ onJob })`, kept as `this.onJob`)",
  code: RECEIPT,
  file: 'src/mailer.ts',
  files: {
    'src/main.js': "import { JobConsumer } from './consumer.js';\nimport { sendReceipt } from './mailer.js';\nasync function onJob(job) {\n  if (job) await sendReceipt(job);\n}\nconst consumer = new JobConsumer({ onJob });\nawait consumer.start();\n",
    'src/consumer.js': "import amqp from 'amqplib';\nexport class JobConsumer {\n  constructor({ onJob, logger = console }) {\n    this.onJob = onJob;\n    this.logger = logger;\n  }\n  async start() {\n    const conn = await amqp.connect('amqp://mq');\n    this.ch = await conn.createChannel();\n    await this.ch.consume('jobs', async (msg) => {\n      await this.onJob(msg.content.toString());\n      this.ch.ack(msg);\n    });\n  }\n}\n",
  },
  errors: [{ line: 3, messageId: 'clientPerCallOpen' }],
});

export const valid: ValidCase[] = [
  {
    name: "the same frame push from a method its caller runs once, at start-up",
    code: DISPLAY_LINK,
    file: 'src/displayLink.ts',
    files: {
      'src/scoreboard.ts': SCOREBOARD,
      'src/main.ts': "import { DisplayLink } from './displayLink';\nimport { Scoreboard } from './scoreboard';\nexport async function start() {\n  const board = new Scoreboard(new DisplayLink('ws://board.local/frames'));\n  await board.onSplit(0);\n}\n",
    },
  },
  {
    name: "the same transport per call of a handler the consumer class calls once, when it has started (left to unclosed-connection)",
    code: RECEIPT,
    file: 'src/mailer.ts',
    files: {
      'src/main.ts': MAIN,
      'src/consumer.ts': CONSUMER_CLASS("  async start(): Promise<void> {\n    const conn = await amqp.connect(this.url);\n    this.ch = await conn.createChannel();\n    await this.handler('started');\n  }\n"),
    },
  },
  {
    name: "the same MQTT publish through a client the function ends once the message is sent",
    code: `
      import mqtt from 'mqtt';
      export function forwardOnce(p: { source: string }): Promise<void> {
        const sar = mqtt.connect('mqtts://sar.example:8883');
        return new Promise((resolve, reject) => {
          sar.once('connect', () => {
            sar.publish(\`sar/\${p.source}\`, JSON.stringify(p), { qos: 1 }, (err) => {
              sar.end();
              if (err) reject(err); else resolve();
            });
          });
          sar.once('error', (err) => { sar.end(); reject(err); });
        });
      }`,
  },
  {
    name: "an AMQP connection per call of a broker check that only a router's /healthz branch makes",
    code: `
      import amqp from 'amqplib';
      export async function checkBroker() {
        const conn = await amqp.connect(process.env.AMQP_URL);
        try {
          const ch = await conn.createChannel();
          await ch.checkQueue('transcode');
          await ch.close();
        } finally {
          await conn.close();
        }
      }`,
    file: 'src/rpc.js',
    ext: '.js',
    files: {
      'src/server.js': "import http from 'node:http';\nimport { checkBroker } from './rpc.js';\nexport const server = http.createServer(async (req, res) => {\n  const url = new URL(req.url, 'http://local');\n  const ads = /^\\/episodes\\/([\\w-]+)\\/ads$/.exec(url.pathname);\n  if (ads) return res.end(ads[1]);\n  if (req.method === 'GET' && url.pathname === '/healthz') {\n    await checkBroker();\n    return res.end('ok');\n  }\n  res.writeHead(404).end();\n});\n",
    },
  },
];

/** A relay whose `deps.publishFlag?.(flag)` runs for each socket's 'flag' event, given the publisher by src/server.ts as `deps`; `publish` is its body. */
const flagRelay = (publish: string) => ({
  file: 'src/queue/flagPublisher.ts',
  code: `
      import amqp from 'amqplib';
      export async function publishFlag(flag: { kind: string }): Promise<void> {
        const conn = await amqp.connect(process.env.AMQP_URL!);
        const ch = await conn.createConfirmChannel();
        ch.publish('proctor.flags', 'flag.' + flag.kind, Buffer.from(JSON.stringify(flag)));
        await ch.waitForConfirms();
        ${publish}
      }`,
  files: {
    'src/relay/sessionRelay.ts': `import type { Server } from 'socket.io';
export interface RelayDeps { publishFlag?: (flag: { kind: string }) => Promise<void> }
export function attachSessionRelay(io: Server, deps: RelayDeps): void {
  io.on('connection', (socket) => {
    socket.on('flag', (flag: { kind: string }) => {
      deps.publishFlag?.(flag).catch((err) => console.warn(err.message));
    });
  });
}
`,
    'src/server.ts': `import { Server } from 'socket.io';
import { attachSessionRelay } from './relay/sessionRelay';
import { publishFlag } from './queue/flagPublisher';
attachSessionRelay(new Server(3000), { publishFlag });
`,
  },
});

invalid.push({
  name: "an exported publisher another module hands to a relay in its deps literal (`{ publishFlag }`), which calls `deps.publishFlag?.(flag)` for every socket's 'flag': an AMQP connection per flag, never closed",
  ...flagRelay('await ch.close();'),
  errors: [{ line: 3, message: /^A new `amqplib.connect` is created on every call of `publishFlag` and never closed/ }],
});

invalid.push({
  name: "a route handler of its own module (`laneUtilisation(req, res, next)`) that another module registers by name (`app.get(path, laneUtilisation)`): a knex pool per request, never destroyed",
  ext: '.js',
  file: 'src/league/reports.js',
  code: `
      const knex = require('knex');
      async function laneUtilisation(req, res, next) {
        const db = knex({ client: 'mysql2', connection: process.env.REPORTS_DB });
        try {
          res.json(await db('tabs').select('lane').whereBetween('opened_at', [req.query.from, req.query.to]));
        } catch (err) {
          next(err);
        }
      }
      module.exports = { laneUtilisation };`,
  files: {
    'src/index.js': "const express = require('express');\nconst { laneUtilisation } = require('./league/reports');\nconst app = express();\napp.get('/reports/utilisation', laneUtilisation);\napp.listen(3000);\n",
  },
  errors: [{ line: 3, message: /^A new `knex` is created on every call of `laneUtilisation` and never closed/ }],
});

invalid.push({
  name: "an exported mailer handed down two options literals (`createApp({ notify: sendResultReady })`, then `samplesRouter({ notify })`) to a route that calls `notify(…)` per request: a pooled SMTP transport per mail, never closed",
  ext: '.js',
  file: 'src/notify/mailer.js',
  code: `
      import nodemailer from 'nodemailer';
      export async function sendResultReady(clinic, sample) {
        const transporter = nodemailer.createTransport({ pool: true, host: process.env.SMTP_HOST, port: 587 });
        const info = await transporter.sendMail({ to: clinic.email, subject: 'Results ready: ' + sample.barcode, text: 'ready' });
        return info.messageId;
      }`,
  files: {
    'src/routes/samples.js': "import express from 'express';\nexport function samplesRouter({ notify }) {\n  const router = express.Router();\n  router.post('/:id/results', async (req, res) => {\n    await notify(req.body.clinic, req.body.sample);\n    res.sendStatus(204);\n  });\n  return router;\n}\n",
    'src/app.js': "import express from 'express';\nimport { samplesRouter } from './routes/samples.js';\nimport { sendResultReady } from './notify/mailer.js';\nexport function createApp({ notify }) {\n  const app = express();\n  app.use('/samples', samplesRouter({ notify }));\n  return app;\n}\ncreateApp({ notify: sendResultReady }).listen(3000);\n",
  },
  errors: [{ line: 3, message: /^A new `nodemailer.createTransport` is created on every call of `sendResultReady` and never closed/ }],
});

/** A server's own route table, each entry `[method, path, handler]`; the handler of `path` makes a pg client per request. */
const routeTable = (path: string) => `
      const http = require('node:http');
      const { Client } = require('pg');
      const routes = [
        ['POST', ${path}, async (req, res, params) => {
          const db = new Client({ connectionString: process.env.DATABASE_URL });
          await db.connect();
          try {
            res.end(JSON.stringify((await db.query('SELECT 1 AS ok')).rows[0]));
          } finally {
            await db.end();
          }
        }],
      ];
      http.createServer((req, res) => {
        for (const [method, pattern, handler] of routes) {
          const m = req.method === method && pattern.exec(req.url);
          if (m) return void handler(req, res, m.slice(1));
        }
        res.statusCode = 404;
        res.end();
      }).listen(3000);`;

invalid.push({
  name: "a handler of the server's own route table (`['POST', /^\\/attempts\\/(\\w+)$/, async (req, res) => …]`) that connects a pg client per request",
  ext: '.js',
  code: routeTable('/^\\/attempts\\/(\\w+)$/'),
  errors: [{ line: 5, message: /^A new `pg.Client` is created on every call of this function and closed before it returns/ }],
});

valid.push({
  name: "the same route table's health probe (`/^\\/healthz$/`), which connects on purpose",
  ext: '.js',
  code: routeTable('/^\\/healthz$/'),
});

/** A bridge whose start() registers an MQTT 'message' listener that calls the private method `call` names, or calls it once. */
const bridge = (call: string) => `
      import mqtt from 'mqtt';
      import { connect, StringCodec } from 'nats';
      const sc = StringCodec();
      export class TelemetryBridge {
        #client;
        start() {
          this.#client = mqtt.connect(process.env.MQTT_URL);
          ${call}
          return this;
        }
        async #forward(topic, payload) {
          const nc = await connect({ servers: process.env.NATS_URL });
          try {
            nc.publish('controlroom.' + topic, sc.encode(String(payload)));
          } finally {
            await nc.drain();
          }
        }
      }`;

invalid.push({
  name: "a private method that a 'message' listener registered in start() calls: it runs for every message, not once with start()",
  ext: '.mjs',
  code: bridge("this.#client.on('message', (topic, payload) => { this.#forward(topic, payload).catch(() => undefined); });"),
  errors: [{ line: 12, message: /^A new `nats.connect` is created on every call of `#forward` and closed before it returns/ }],
});

valid.push({
  name: 'the same private method called once by start() itself: it runs once per bridge',
  ext: '.mjs',
  code: bridge("void this.#forward('hello', 'up');"),
});

/** A cue runner whose go() logs each cue on a mariadb connection of its own; `main` is how the app hands the runner to its router. */
const CUE_APP = (main: string) => ({
  code: `
      import mariadb from 'mariadb';
      export class CueRunner {
        async go(showingId, cue) {
          const conn = await mariadb.createConnection({ host: 'audit.local', database: 'show_audit' });
          try {
            await conn.query('INSERT INTO cue_log VALUES (?, ?)', [showingId, cue.number]);
          } finally {
            await conn.end();
          }
        }
      }`,
  ext: '.js' as const,
  file: 'src/cueRunner.js',
  files: {
    'src/console.js': "import Router from 'koa-router';\nexport function consoleRouter({ runner }) {\n  const router = new Router();\n  router.post('/cues/:id/:n/go', async (ctx) => {\n    ctx.body = await runner.go(ctx.params.id, { number: Number(ctx.params.n) });\n  });\n  return router;\n}\n",
    'src/main.js': main,
  },
});

invalid.push({
  name: "a connection per cue in a method the route calls on a runner the app hands over in an options literal (`createApp({ runner })` → `consoleRouter(deps)` → `({ runner })`)",
  ...CUE_APP("import { CueRunner } from './cueRunner.js';\nimport { consoleRouter } from './console.js';\nexport function createApp(deps) {\n  return consoleRouter(deps);\n}\nconst runner = new CueRunner();\ncreateApp({ runner });\n"),
  errors: [{ line: 4, messageId: 'clientPerCall' }],
});
valid.push({
  name: 'the same router given an object of another kind for `runner`: which method runs, the code does not say',
  ...CUE_APP("import { consoleRouter } from './console.js';\nconst runner = { go: async () => ({ ok: true }) };\nconsoleRouter({ runner });\n"),
});
