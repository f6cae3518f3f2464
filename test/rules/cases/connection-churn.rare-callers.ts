// connection-churn: how often a per-call connection is made, read from its callers. A `for … of` over a collection in
// a cron job or a timer of a minute or more runs once per item and run (as `peers.map(…)` there does; each item holds
// one TIME_WAIT entry at a time), also through a one-line wrapper only such code
// calls; the function's own tests say nothing of how often the application runs it. A loop that sleeps more than a
// second each turn (`await sleep(POLL_MS)`, the delay a configured value's default) polls at that pace. A one-shot
// socket that some paths leave open is unclosed-connection's finding, not this rule's.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A floodlight controller spoken to with one line per connection; `caller` is the module that calls it. */
const LIGHTS = `
      import net from 'node:net';
      export function sendLightingCommand(command: string): Promise<string> {
        return new Promise((resolve, reject) => {
          const sock = net.createConnection({ host: 'lights.local', port: 10001 });
          let reply = '';
          sock.setEncoding('ascii');
          sock.on('connect', () => sock.write(command + '\\r\\n'));
          sock.on('data', (chunk: string) => {
            reply += chunk;
            if (!reply.endsWith('\\r\\n')) return;
            sock.end();
            resolve(reply.trim());
          });
          sock.on('error', reject);
        });
      }
      export const floodlightsOn = (court: number) => sendLightingCommand('ZONE ' + court + ' ON');`;

const CRON_SYNC = `import cron from 'node-cron';\nimport { floodlightsOn } from './lights';\nasync function sync(courts: number[]) {\n  for (const court of courts) await floodlightsOn(court);\n}\ncron.schedule('*/5 * * * *', () => { sync([1, 2, 3]).catch(console.error); });\n`;

/** A worklist poller whose loop calls pollOnce(), which makes an undici Client per call; `pause` ends each turn. */
const POLLER = (pause: string) => `
      import { setTimeout as sleep } from 'node:timers/promises';
      import { Client } from 'undici';
      const POLL_MS = Number(process.env.WORKLIST_POLL_MS ?? 60_000);
      async function pollOnce(): Promise<unknown> {
        const client = new Client('https://ris.radiology.local');
        try {
          const { body } = await client.request({ method: 'GET', path: '/api/v1/worklist' });
          return await body.json();
        } finally {
          await client.close();
        }
      }
      export function startWorklistPoller(onItems: (items: unknown) => void): { stop(): void } {
        const ac = new AbortController();
        (async () => {
          while (!ac.signal.aborted) {
            try { onItems(await pollOnce()); } catch (err) { console.warn(String(err)); }
${pause}
          }
        })();
        return { stop: () => ac.abort() };
      }`;

export const valid: ValidCase[] = [
  {
    name: 'an undici Client per poll of a loop that sleeps a minute (the configured default) each turn',
    code: POLLER('            await sleep(POLL_MS, undefined, { signal: ac.signal }).catch(() => undefined);'),
  },
  {
    name: 'a socket per doser reading a route asks for, ended once the reply arrives and left open on timeout: unclosed-connection\'s finding, not churn',
    ext: '.js',
    code: `
      const net = require('node:net');
      const express = require('express');
      function pollDoser(host, port) {
        return new Promise((resolve, reject) => {
          const sock = net.connect({ host, port });
          sock.setTimeout(1500);
          sock.on('connect', () => sock.write('LEVEL?\\n'));
          sock.on('data', (d) => { sock.end(); resolve(Number(String(d))); });
          sock.on('timeout', () => reject(new Error('doser timed out')));
          sock.on('error', reject);
        });
      }
      const router = express.Router();
      router.get('/doser/level', async (req, res) => res.json({ level: await pollDoser('doser-1.local', 4001) }));
      module.exports = { router };`,
  },
  {
    name: 'a connection per floodlight command, sent for each court of a five-minute cron job through a one-line wrapper; its tests call it too',
    code: LIGHTS,
    file: 'src/lights.ts',
    files: {
      'src/sync.ts': CRON_SYNC,
      'test/lights.test.ts': `import { sendLightingCommand } from '../src/lights';\nit('answers', async () => { await sendLightingCommand('PING'); });\n`,
    },
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a keep-alive agent per partner bracket, fetched for each tournament of a 30-second timer: shorter than TIME_WAIT, the entries pile up',
    ext: '.js',
    code: `
      const https = require('node:https');
      function fetchPartnerBracket(id) {
        const agent = new https.Agent({ keepAlive: true, maxSockets: 2 });
        return new Promise((resolve, reject) => {
          const req = https.get('https://partner.example/brackets/' + id, { agent }, (res) => {
            let raw = '';
            res.on('data', (c) => { raw += c; });
            res.on('end', () => resolve(raw));
          });
          req.on('error', reject);
        });
      }
      function startBracketRefresh(list) {
        return setInterval(async () => {
          for (const t of await list()) await fetchPartnerBracket(t.externalId).catch(() => {});
        }, 30_000);
      }
      module.exports = { startBracketRefresh };`,
    errors: [{ line: 3, message: /^A new `https.Agent` is created on every call of `fetchPartnerBracket`/ }],
  },
  {
    name: 'the same poller sleeping 200 ms each turn',
    code: POLLER('            await sleep(200);'),
    errors: [{ line: 5, message: /^A new `undici.Client` is created on every call of `pollOnce`/ }],
  },
  {
    name: 'the same command per court from a route handler: one connection per court and request',
    code: LIGHTS,
    file: 'src/lights.ts',
    files: {
      'src/routes.ts': `import express from 'express';\nimport { floodlightsOn } from './lights';\nexport const router = express.Router();\nrouter.post('/courts/:id/lights', async (req, res) => {\n  for (const court of [Number(req.params.id)]) await floodlightsOn(court);\n  res.sendStatus(204);\n});\n`,
    },
    errors: [{ line: 4, message: /^A new `net.createConnection` connection is opened on every call of `sendLightingCommand` for one exchange and closed again, and/ }],
  },
];

/** A report with a knex instance of its own, run by a self-rescheduling timer whose delay is `delay`. */
const SHIFT_REPORT = (delay: string) => `
      import knex from 'knex';
      export async function shiftReport() {
        const db = knex({ client: 'mysql2', connection: process.env.REPORTING_DB, pool: { min: 0, max: 2 } });
        try {
          return await db('press_downtime').count({ stops: '*' });
        } finally {
          await db.destroy();
        }
      }
      function msUntilNext(hours: number[]): number {
        const now = new Date();
        return Math.min(...hours.map((h) => {
          const t = new Date(now);
          t.setHours(h, 0, 0, 0);
          if (t <= now) t.setDate(t.getDate() + 1);
          return t.getTime() - now.getTime();
        }));
      }
      export function startShiftJobs() {
        const tick = async () => {
          await shiftReport();
          setTimeout(tick, ${delay});
        };
        setTimeout(tick, ${delay});
      }`;

valid.push({
  name: 'a knex instance per report, run by a timer rescheduled for the next shift change (a delay computed with setHours)',
  code: SHIFT_REPORT('msUntilNext([6, 14, 22])'),
});
invalid.push({
  name: 'the same report rescheduled every half second',
  code: SHIFT_REPORT('500'),
  errors: [{ line: 3, message: /^A new `knex` is created on every call of `shiftReport` and closed before it returns/ }],
});

/** A nightly report with a MongoClient of its own, rescheduled by a timer whose delay `msUntil` computes. */
const NIGHTLY_REPORT = (next: string) => `
      import { MongoClient } from 'mongodb';
      export async function runDailyReport() {
        const mongo = new MongoClient(process.env.MONGO_URL ?? 'mongodb://localhost:27017');
        try {
          await mongo.connect();
          return await mongo.db('reefer').collection('trips').countDocuments();
        } finally {
          await mongo.close();
        }
      }
      function msUntil(hourUtc: number): number {
        const now = new Date();
        const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc));
        if (next <= now) ${next};
        return next.getTime() - now.getTime();
      }
      export function scheduleReports() {
        const schedule = () => {
          setTimeout(async () => {
            await runDailyReport().catch(console.error);
            schedule();
          }, msUntil(2));
        };
        schedule();
      }`;

valid.push({
  name: 'a MongoClient per nightly report, rescheduled for 2 am the next day (`next.setUTCDate(next.getUTCDate() + 1)`)',
  code: NIGHTLY_REPORT('next.setUTCDate(next.getUTCDate() + 1)'),
});
invalid.push({
  name: 'the same report whose delay function sets no clock time: nothing says how often it runs',
  code: NIGHTLY_REPORT('next.setTime(now.getTime() + 1000)'),
  errors: [{ line: 3, message: /^A new `mongodb.MongoClient` is created on every call of `runDailyReport` and closed before it returns/ }],
});

/** A lock-guarded sync with a Redis client of its own, run by an interval of `period`. */
const LOCKED_SYNC = (period: string) => `
      import { Redis } from 'ioredis';
      declare const config: { redisUrl: string; syncMinutes: number };
      export async function syncPending(): Promise<number> {
        const redis = new Redis(config.redisUrl, { lazyConnect: true });
        try {
          await redis.connect();
          return (await redis.set('locks:sync', '1', 'EX', 240, 'NX')) === 'OK' ? 1 : 0;
        } finally {
          await redis.quit();
        }
      }
      export function startSync() {
        return setInterval(() => { syncPending().catch(() => undefined); }, ${period});
      }`;

valid.push({
  name: 'a Redis client per sync run by an interval of a configured number of minutes (`config.syncMinutes * 60_000`)',
  code: LOCKED_SYNC('config.syncMinutes * 60_000'),
});
invalid.push({
  name: 'the same sync every configured number of milliseconds (`config.syncMinutes * 1`: nothing says how often)',
  code: LOCKED_SYNC('config.syncMinutes * 1'),
  errors: [{ line: 4, message: /^A new `ioredis.Redis` is created on every call of `syncPending` and closed before it returns/ }],
});

/** An MQTT client per watering cycle, run by a timer helper of the project (`every(ms, name, job)`) every `period`. */
const WATERING = (period: string) => `
      import mqtt from 'mqtt';
      export async function runWateringCycle(topics: string[]) {
        const client = await mqtt.connectAsync('mqtt://irrigation.lan:1883', { reconnectPeriod: 0 });
        try {
          for (const t of topics) await client.publishAsync(t + '/open', '1', { qos: 1 });
        } finally {
          await client.endAsync();
        }
      }
      function every(ms: number, name: string, job: () => Promise<unknown>) {
        return setInterval(() => { job().catch((err) => console.error(name, err)); }, ms);
      }
      export function startJobs(topics: string[]) {
        return [every(${period}, 'watering', () => runWateringCycle(topics))];
      }`;

valid.push({
  name: "a client per run of a job a timer helper of the project runs every 15 minutes (`every(15 * 60_000, 'watering', job)`)",
  code: WATERING('15 * 60_000'),
});

invalid.push({
  name: 'the same helper running the job every 500 ms',
  code: WATERING('500'),
  errors: [{ line: 3, message: /A new `mqtt.connectAsync` is created on every call of `runWateringCycle`/ }],
});

/** A nightly archive with a MongoClient of its own, rescheduled by a timer to the next multiple of `period` (ms) plus `after`. */
const ARCHIVE = (period: string, after: string) => `
      import { MongoClient } from 'mongodb';
      const PERIOD_MS = ${period};
      export async function archiveDay(day: Date) {
        const archive = new MongoClient(process.env.ARCHIVE_URI ?? 'mongodb://archive:27017', { appName: 'rh-nightly' });
        try {
          await archive.connect();
          return await archive.db('seedvault_archive').collection('daily_rh').countDocuments({ day });
        } finally {
          await archive.close();
        }
      }
      export function scheduleNightly() {
        let timer: NodeJS.Timeout | undefined;
        const arm = () => {
          const now = Date.now();
          const next = Math.floor(now / PERIOD_MS) * PERIOD_MS + PERIOD_MS + ${after};
          timer = setTimeout(async () => {
            await archiveDay(new Date(Date.now() - PERIOD_MS)).catch(console.error);
            arm();
          }, next - now);
        };
        arm();
        return () => clearTimeout(timer);
      }`;

valid.push({
  name: 'a MongoClient per nightly archive, rescheduled to ten past the next UTC midnight (the clock rounded down to a day, plus a day)',
  code: ARCHIVE('24 * 3600_000', '10 * 60_000'),
});
invalid.push({
  name: 'the same archive rescheduled to the next half second boundary',
  code: ARCHIVE('500', '0'),
  errors: [{ line: 4, message: /^A new `mongodb.MongoClient` is created on every call of `archiveDay` and closed before it returns/ }],
});
