// connection-churn: clients meant to be made once. A `PrismaClient` runs a query engine with a connection pool of its
// own; a gRPC client's channel drops its connection when closed if no other channel uses it (grpc-js
// internal-channel.ts `close()` → `unrefUnusedSubchannels()`), so one made and closed per call connects again on the
// next; one never closed shares the target's one connection with the others (the global subchannel pool), but the
// channels pile up with the requests: churn too, with a message of its own. A client never closed (an AMQP connection per published order) made
// for every request or event piles up with them: churn, which says both. A job that reads a database cursor of its
// own connection for the whole call is one long session per call. A creator imported under another name (`connect as
// natsConnect`) is the same creator. A Redis `duplicate()` made per job to publish is one too; one that subscribes (a
// subscriber per peer) is left to unclosed-connection. One made in fastify's `onRequest` hook is made for every request.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const ROUTES = (handler: string) => `
      import express from 'express';
      import { PrismaClient } from '@prisma/client';
      export const router = express.Router();
      router.get('/:season', async (req, res, next) => {
        try {
${handler}
        } catch (err) {
          next(err);
        }
      });`;

/** A gRPC client made per call, its one RPC's completion callback closing it (or not); `recv` is how the call names it. */
const FRAUD = (close: string, recv = 'client') => `
      import * as grpc from '@grpc/grpc-js';
      import express from 'express';
      declare const FraudService: new (addr: string, creds: grpc.ChannelCredentials) => { Score(req: object, cb: (err: Error | null, r: { score: number }) => void): void; close(): void };
      export function scoreRequest(ip: string): Promise<number> {
        const client = new FraudService('fraud:50051', grpc.credentials.createInsecure());
        return new Promise((resolve, reject) => {
          ${recv}.Score({ ip }, (err: Error | null, reply: { score: number }) => {
${close}            if (err) return reject(err);
            resolve(reply.score);
          });
        });
      }
      export const app = express();
      app.post('/bid', async (req, res) => {
        res.json({ fraud: await scoreRequest(req.ip ?? '') });
      });`;

export const invalid: InvalidCase[] = [
  {
    name: "a gRPC client of a loaded package definition, from an exported factory, per pass of a planning loop, never closed",
    code: `
      import { createPointingClient, computeTrack } from './pointing';
      export async function planPasses(passes: { id: string }[]): Promise<number> {
        let planned = 0;
        for (const pass of passes) {
          const client = createPointingClient();
          try {
            await computeTrack(client, pass.id);
            planned++;
          } catch (err) {
            console.error(err);
          }
        }
        return planned;
      }`,
    files: {
      'pointing.ts': "import * as grpc from '@grpc/grpc-js';\nconst proto = grpc.loadPackageDefinition({}) as any;\nexport function createPointingClient(address = 'localhost:50051') {\n  return new proto.groundstation.v1.Pointing(address, grpc.credentials.createInsecure());\n}\nexport function computeTrack(client: unknown, id: string): Promise<unknown> {\n  return new Promise((resolve, reject) => {\n    (client as any).computeTrack({ id }, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res)));\n  });\n}\n",
    },
    errors: [{ line: 5, messageId: 'clientPerIterationOpen' }],
  },
  {
    name: 'a gRPC client per bid request never closed: the channels share one connection, but pile up (one per request) until they idle out',
    code: FRAUD(''),
    errors: [{ line: 5, messageId: 'grpcClientPerCallOpen' }],
  },
  {
    name: 'a PrismaClient per request, never disconnected',
    code: ROUTES("          const prisma = new PrismaClient();\n          res.json(await prisma.standing.findMany({ where: { season: Number(req.params.season) } }));"),
    errors: [{ line: 6, messageId: 'clientPerCallOpen' }],
  },
  {
    name: 'a PrismaClient per request, disconnected before the handler returns',
    code: ROUTES("          const prisma = new PrismaClient();\n          try {\n            res.json(await prisma.standing.findMany({ where: { season: Number(req.params.season) } }));\n          } finally {\n            await prisma.$disconnect();\n          }"),
    errors: [{ line: 6, messageId: 'clientPerCall' }],
  },
  {
    name: 'an AMQP connection per published order, never closed (only its channel is)',
    file: 'src/services/queue.js',
    ext: '.js',
    code: `
      import amqp from 'amqplib';
      export async function publishJob(job) {
        const conn = await amqp.connect(process.env.AMQP_URL);
        const channel = await conn.createConfirmChannel();
        channel.sendToQueue('print-jobs', Buffer.from(JSON.stringify(job)), { persistent: true });
        await channel.waitForConfirms();
        await channel.close();
      }`,
    files: {
      'src/routes/orders.js': "import { Router } from 'express';\nimport { publishJob } from '../services/queue.js';\nexport const orders = Router();\norders.post('/', async (req, res) => {\n  await publishJob({ orderId: req.body.id });\n  res.status(201).end();\n});\n",
    },
    errors: [{ line: 3, messageId: 'clientPerCallOpen' }],
  },
  {
    name: "a gRPC client per bid request, closed in its one RPC's completion callback",
    code: FRAUD('            client.close();\n'),
    errors: [{ line: 5, messageId: 'clientPerCall' }],
  },
  {
    name: 'the same with the RPC called through a type assertion ((client as any).Score(…))',
    code: FRAUD('            client.close();\n', '(client as any)'),
    errors: [{ line: 5, messageId: 'clientPerCall' }],
  },
  {
    name: "an AMQP connection per POST held in a `let` the try assigns once, closed in the finally",
    code: `
      import { Router } from 'express';
      import amqp from 'amqplib';
      export const escalations = Router();
      escalations.post('/:pageId', async (req, res, next) => {
        let conn: Awaited<ReturnType<typeof amqp.connect>> | undefined;
        try {
          conn = await amqp.connect(process.env.AMQP_URL!);
          const ch = await conn.createConfirmChannel();
          ch.sendToQueue('page.escalations', Buffer.from(req.params.pageId));
          await ch.waitForConfirms();
          res.status(202).end();
        } catch (err) {
          next(err);
        } finally {
          await conn?.close().catch(() => undefined);
        }
      });`,
    errors: [{ line: 7, messageId: 'clientPerCall' }],
  },
  {
    name: "an S3 client per export request, lent to the presigner's getSignedUrl() and never destroyed",
    code: `
      import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
      import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
      import express from 'express';
      export const app = express();
      app.post('/export/:user', async (req, res) => {
        const client = new S3Client({ region: 'eu-west-1' });
        const key = 'exports/' + req.params.user + '.json';
        await client.send(new PutObjectCommand({ Bucket: 'exports', Key: key, Body: '{}' }));
        res.json({ url: await getSignedUrl(client, new GetObjectCommand({ Bucket: 'exports', Key: key }), { expiresIn: 900 }) });
      });`,
    errors: [{ line: 6, messageId: 'httpClientPerCallOpen' }],
  },
  {
    name: "a pooled SMTP transport per duty-swap request, used for each recipient in rows.map and never closed",
    file: 'src/services/notifier.ts',
    code: `
      import nodemailer from 'nodemailer';
      export async function notifyCrew(emails: string[], message: string): Promise<void> {
        const transport = nodemailer.createTransport({ pool: true, host: 'smtp.crew.internal', port: 587, maxConnections: 3 });
        await Promise.all(emails.map((to) => transport.sendMail({ from: 'rostering@airline.example', to, text: message })));
      }`,
    files: {
      'src/routes/swaps.ts': "import { Router } from 'express';\nimport { notifyCrew } from '../services/notifier';\nexport const swaps = Router();\nswaps.post('/', (req, res) => {\n  notifyCrew(req.body.emails, 'Duty swap confirmed').catch(() => undefined);\n  res.status(201).end();\n});\n",
    },
    errors: [{ line: 3, messageId: 'clientPerCallOpen' }],
  },
  {
    name: "a NATS connection per driver offer, imported under another name (`import { connect as natsConnect } from 'nats'`) and drained in finally, for each candidate of a loop",
    ext: '.js',
    code: `
      import { connect as natsConnect, JSONCodec } from 'nats';
      const jc = JSONCodec();
      async function offerToDriver(driverId, assignment) {
        const nc = await natsConnect({ servers: process.env.NATS_URL, name: 'pickup-offer' });
        try {
          const reply = await nc.request('drivers.' + driverId + '.offer', jc.encode(assignment), { timeout: 20000 });
          return jc.decode(reply.data);
        } finally {
          await nc.drain();
        }
      }
      export async function offerAll(candidates, assignment) {
        for (const driverId of candidates) {
          const answer = await offerToDriver(driverId, assignment).catch(() => null);
          if (answer?.accepted) return driverId;
        }
        return null;
      }`,
    errors: [{ line: 4, message: /^A new `nats.connect` is created on every call of `offerToDriver` and closed before it returns/ }],
  },
  {
    name: "a gRPC client per request to the locker the request names, never closed (its method bound to it for a helper): the channels pile up, one per request, where one per locker would do",
    code: `
      import express from 'express';
      import { createLockerClient, unary } from './lockers';
      export async function compartmentState(address: string, compartment: number): Promise<unknown> {
        const client = createLockerClient(address);
        return unary(client.getCompartmentState.bind(client), { compartment });
      }
      export const router = express.Router();
      router.get('/lockers/:id/compartments/:n', async (req, res) => {
        res.json(await compartmentState(\`\${req.params.id}.lockers.internal:50051\`, Number(req.params.n)));
      });`,
    files: {
      'lockers.ts': "import * as grpc from '@grpc/grpc-js';\nconst proto = grpc.loadPackageDefinition({}) as any;\nexport function createLockerClient(address: string) {\n  return new proto.parcel.locker.v1.LockerControl(address, grpc.credentials.createInsecure());\n}\nexport function unary(call: (req: unknown, cb: (err: Error | null, res?: unknown) => void) => void, req: unknown): Promise<unknown> {\n  return new Promise((resolve, reject) => call(req, (err, res) => (err ? reject(err) : resolve(res))));\n}\n",
    },
    errors: [{ line: 4, message: /^A new `createLockerClient\(\)` is created on every call of `compartmentState` and never closed: each one is a gRPC channel of its own.* keep one per server \(a map keyed by its address\) and reuse it\.$/ }],
  },
  {
    name: 'a gRPC client per tile, its creation under a type assertion (`new Reprojector(addr, creds) as WarpClient`), called in a loop over the tiles and never closed',
    code: `
      import * as grpc from '@grpc/grpc-js';
      const proto = grpc.loadPackageDefinition({}) as any;
      type WarpClient = grpc.Client & { warp(req: object, cb: (err: Error | null, reply?: { png: Buffer }) => void): void };
      export function warpTile(req: object): Promise<Buffer> {
        const client = new proto.tiles.v1.Reprojector('gdal:50051', grpc.credentials.createInsecure()) as WarpClient;
        return new Promise((resolve, reject) => client.warp(req, (err, reply) => (err ? reject(err) : resolve(reply!.png))));
      }
      export async function warpScene(tiles: object[]): Promise<Buffer[]> {
        const out: Buffer[] = [];
        for (const t of tiles) out.push(await warpTile(t));
        return out;
      }`,
    errors: [{ line: 5, messageId: 'grpcClientPerCallOpen' }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "a gRPC client per firmware push to the locker the request names (looked up from its id): each locker is a server of its own",
    code: `
      import express from 'express';
      import { createFirmwareClient, computeTrack } from './pointing';
      declare function lockerHost(id: string): Promise<string | undefined>;
      export async function pushFirmware(address: string): Promise<unknown> {
        const client = createFirmwareClient(address);
        try {
          return await computeTrack(client, 'status');
        } finally {
          client.close();
        }
      }
      export const router = express.Router();
      router.post('/lockers/:id/firmware', async (req, res) => {
        const host = await lockerHost(req.params.id);
        if (!host) return res.sendStatus(404);
        res.json(await pushFirmware(\`\${host}:50051\`));
      });`,
    files: {
      'pointing.ts': "import * as grpc from '@grpc/grpc-js';\nconst proto = grpc.loadPackageDefinition({}) as any;\nexport function createFirmwareClient(address: string) {\n  return new proto.lockers.v1.Firmware(address, grpc.credentials.createInsecure());\n}\nexport function computeTrack(client: unknown, id: string): Promise<unknown> {\n  return new Promise((resolve, reject) => {\n    (client as any).computeTrack({ id }, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res)));\n  });\n}\n",
    },
  },
  {
    name: 'one PrismaClient for the module, shared by every request',
    code: `
      import express from 'express';
      import { PrismaClient } from '@prisma/client';
      const prisma = new PrismaClient();
      export const router = express.Router();
      router.get('/:season', async (req, res) => {
        res.json(await prisma.standing.findMany({ where: { season: Number(req.params.season) } }));
      });`,
  },
  {
    name: 'a nightly job that opens a mongoose connection of its own and reads an aggregation cursor over it',
    ext: '.js',
    code: `
      const mongoose = require('mongoose');
      const reviewSchema = new mongoose.Schema({ bibId: Number, rating: Number });
      async function reindexRatings(push) {
        const conn = await mongoose.createConnection(process.env.MONGO_URL, { maxPoolSize: 2 }).asPromise();
        try {
          const Review = conn.model('Review', reviewSchema);
          const cursor = Review.aggregate([{ $group: { _id: '$bibId', avg: { $avg: '$rating' } } }]).cursor({ batchSize: 500 });
          let n = 0;
          for await (const doc of cursor) n += await push(doc);
          return n;
        } finally {
          await conn.close();
        }
      }
      module.exports = { reindexRatings };`,
  },
  {
    name: "the AMQP connection's `let` given a second value later: not one client per call",
    code: `
      import amqp from 'amqplib';
      export async function publish(urls: string[], body: Buffer) {
        let conn;
        try {
          conn = await amqp.connect(urls[0]);
        } catch {
          conn = await amqp.connect(urls[1]);
        }
        const ch = await conn.createChannel();
        ch.sendToQueue('q', body);
        await conn.close();
      }`,
  },
];

/** A render worker's handle() of each queued job, whose Redis duplicate `use`s it. */
const renderJobs = (use: string) => `
      import Redis from 'ioredis';
      const queue = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
      async function handle(job: { id: string }): Promise<void> {
        const progress = queue.duplicate();
        ${use}
      }
      export async function work(): Promise<void> {
        for (;;) {
          const raw = await queue.brpop('render:jobs', 5);
          if (raw) await handle(JSON.parse(raw[1]));
        }
      }`;

invalid.push({
  name: "a Redis duplicate made for each job to publish its progress, never quit: a connection per job (ioredis `duplicate()` connects as `new Redis(o)` does)",
  code: renderJobs("await progress.publish('render:progress:' + job.id, 'started');"),
  errors: [{ line: 4, message: /^A new `ioredis.duplicate` is created on every call of `handle` and never closed/ }],
});

valid.push({
  name: "the same duplicate when it subscribes (a subscriber for as long as its peer stays): one per peer is by design, left to unclosed-connection",
  code: renderJobs("await progress.subscribe('render:cancel:' + job.id);"),
});

/** A fastify plugin that checks partner keys in a Redis db of their own, from a hook named `hook`. */
const PARTNER_KEYS = (hook: string) => `
      import fp from 'fastify-plugin';
      import { Redis } from 'ioredis';
      export default fp<{ redisUrl: string }>(async (app, opts) => {
        app.addHook('${hook}', async (req) => {
          const keys = new Redis(opts.redisUrl, { db: 2, lazyConnect: true });
          try {
            await keys.connect();
            await keys.hgetall('partner-key:' + String(req.headers['x-partner-key']));
          } finally {
            keys.disconnect();
          }
        });
      });`;

invalid.push({
  name: "an ioredis client per request, made in fastify's `onRequest` hook and disconnected after its lookup",
  code: PARTNER_KEYS('onRequest'),
  errors: [{ line: 5, message: /^A new `ioredis.Redis` is created on every call of this function and closed before it returns/ }],
});

valid.push({
  name: "the same client made in an `onReady` hook, which runs once",
  code: PARTNER_KEYS('onReady'),
});
