// connection-churn: how often the code runs decides whether new connections pile up in TIME_WAIT; a
// function of one module that other modules call only from code that runs once (a CLI's main()) runs once,
// and one they call only from a cron job's callback runs as rarely as the job. A client for each server of a
// loop is made again for all of them on every call when the loop reads the module's own list and the function
// runs for every event (an interval's tick); not when the caller gives the list.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A module that publishes a crawl's URLs over one AMQP connection per call. */
const PUBLISHER = `
      import amqp from 'amqplib';
      export async function publishForScreenshots(amqpUrl: string, urls: string[]): Promise<number> {
        const conn = await amqp.connect(amqpUrl);
        try {
          const ch = await conn.createConfirmChannel();
          for (const url of urls) ch.sendToQueue('render', Buffer.from(url), { persistent: true });
          await ch.waitForConfirms();
          return urls.length;
        } finally {
          await conn.close();
        }
      }`;

/** The crawl command (src/cli.ts), calling it from `body`. */
function crawlCommand(body: string): Record<string, string> {
  return {
    'package.json': '{ "name": "crawler", "bin": { "crawl": "dist/cli.js" }, "dependencies": { "amqplib": "^0.10.4", "express": "^4.21.0" } }',
    'src/cli.ts': `
      import { publishForScreenshots } from './screenshot-queue';
      ${body}`,
  };
}

const REPORT = `
      import nodemailer from 'nodemailer';
      export async function sendReport(summary: { failed: boolean }) {
        const transporter = nodemailer.createTransport({ host: 'smtp.internal', port: 587 });
        const info = await transporter.sendMail({ to: 'ops@example.com', subject: summary.failed ? 'FAILED' : 'ok', text: '' });
        return info.messageId;
      }`;

/** A report that reads with a MongoClient of its own, closed in finally (churn when it runs for every request). */
const SHIFT_REPORT = `
      import { MongoClient } from 'mongodb';
      export async function sendReport(summary: { failed: boolean }) {
        const client = new MongoClient(process.env.ANALYTICS_URI!);
        try {
          await client.connect();
          return await client.db('ops').collection('reports').insertOne(summary);
        } finally {
          await client.close();
        }
      }`;

/** A yargs command module whose helper makes an agent for its one request; `exported` is what the module exports. */
const IMPORT_COMMAND = (exported: string) => `
      const axios = require('axios');
      const https = require('https');
      const readSpec = async (source, options = {}) => {
        const config = { timeout: 30000 };
        if (options.insecure) config.httpsAgent = new https.Agent({ rejectUnauthorized: false });
        const response = await axios.get(source, config);
        return response.data;
      };
      const handler = async (argv) => {
        const spec = await readSpec(argv.source, { insecure: argv.insecure });
        console.log(Object.keys(spec.paths || {}).length, 'paths');
      };
      module.exports = ${exported};`;

/** A price fallback that asks each origin of `list` with an undici Pool of its own, run by an interval of main.ts. */
const fallbackQuote = (list: string) => ({
  file: 'src/fallback.ts',
  code: `
      import { Pool } from 'undici';
      const ORIGINS = ['https://api.exchange-a.example', 'https://api.exchange-b.example'];
      export async function fallbackQuote(symbol: string, origins: string[] = []): Promise<number | null> {
        for (const origin of ${list}) {
          const pool = new Pool(origin, { connections: 2 });
          try {
            const { statusCode, body } = await pool.request({ path: '/ticker/' + symbol, method: 'GET' });
            if (statusCode !== 200) { await body.dump(); continue; }
            return Number((await body.json() as { price: string }).price);
          } finally {
            await pool.close();
          }
        }
        return null;
      }`,
  files: { 'src/main.ts': `import { fallbackQuote } from './fallback';\nsetInterval(() => {\n  fallbackQuote('BTC-USD').catch(() => undefined);\n}, 500);\n` },
});

export const valid: ValidCase[] = [
  {
    name: 'the same fallback over origins its caller gives: each may be another server, nothing says they repeat',
    ...fallbackQuote('origins'),
  },
  {
    name: "an agent made by the one call of a yargs command module's handler (the CLI runs it once)",
    ext: '.js',
    code: IMPORT_COMMAND("{ command: 'import <source>', desc: 'Import a spec', handler, readSpec }"),
  },
  {
    name: "an SMTP transport per call of a report that another module's cron job (croner) sends once a run",
    code: REPORT,
    file: 'src/mail/report.ts',
    files: {
      'src/main.ts': `import { Cron } from 'croner';\nimport { sendReport } from './mail/report';\nasync function runBackup() {\n  await sendReport({ failed: false });\n}\nnew Cron(process.env.SCHEDULE ?? '0 3 * * *', { protect: true }, runBackup);\n`,
    },
  },
  {
    name: "the same report sent on a failed run of cron's CronJob.from({ onTick }), also run once at the top level",
    code: REPORT,
    file: 'src/mail/report.ts',
    files: {
      'src/main.ts': `import { CronJob } from 'cron';\nimport { sendReport } from './mail/report';\nasync function runJob() {\n  try {\n    await Promise.resolve();\n  } catch {\n    await sendReport({ failed: true });\n  }\n}\nif (process.argv.includes('--once')) {\n  await runJob();\n} else {\n  CronJob.from({ cronTime: '0 4 * * *', onTick: runJob, start: true });\n}\n`,
    },
  },
  {
    name: 'the same report sent from a node-cron schedule with a cron pattern',
    code: REPORT,
    file: 'src/mail/report.ts',
    files: {
      'src/main.ts': `import cron from 'node-cron';\nimport { sendReport } from './mail/report';\nasync function nightly() {\n  await sendReport({ failed: false });\n}\ncron.schedule('30 2 * * *', nightly);\n`,
    },
  },
  {
    name: 'a MongoClient per call of a shift report that an inline node-cron callback runs, its options (timezone) after it',
    code: SHIFT_REPORT,
    file: 'src/reports/shift.ts',
    files: {
      'src/main.ts': `import cron from 'node-cron';\nimport { sendReport } from './reports/shift';\ncron.schedule('5 7,19 * * *', () => {\n  sendReport({ failed: false }).catch(console.error);\n}, { timezone: 'Europe/Dublin' });\n`,
    },
  },
  {
    name: 'the same shift report sent every half hour by node-cron and once more from the top level when run by hand',
    code: SHIFT_REPORT,
    file: 'src/reports/shift.ts',
    files: {
      'src/main.ts': `import cron from 'node-cron';\nimport { sendReport } from './reports/shift';\ncron.schedule('*/30 * * * *', async () => {\n  await sendReport({ failed: false });\n});\nif (process.argv.includes('--now')) sendReport({ failed: false }).catch(console.error);\n`,
    },
  },
  {
    name: "agent: false in an exported health probe of an upstream's `/healthz` (or its configured path): a fresh handshake is the point, at the scheduler's rate",
    code: `
      import http from 'node:http';
      export function httpProbe(target: { host: string; port: number; healthPath?: string }, timeoutMs = 2000): Promise<boolean> {
        return new Promise((resolve) => {
          const req = http.get({ host: target.host, port: target.port, path: target.healthPath ?? '/healthz', agent: false, timeout: timeoutMs }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode === 200));
          });
          req.on('timeout', () => req.destroy());
          req.on('error', () => resolve(false));
        });
      }`,
  },
  {
    name: "the same publisher as an arrow function bound to a module-level const, called once from the command's main()",
    code: PUBLISHER.replace('export async function publishForScreenshots(amqpUrl: string, urls: string[]): Promise<number> {', 'export const publishForScreenshots = async (amqpUrl: string, urls: string[]): Promise<number> => {') + ';',
    file: 'src/screenshot-queue.ts',
    files: crawlCommand(`const main = async () => {
        await publishForScreenshots(process.env.AMQP_URL!, process.argv.slice(2));
      };
      main().catch((err) => { console.error(err); process.exitCode = 1; });`),
  },
  {
    name: "an AMQP connection per call of a function the crawl command calls once, from its main()",
    code: PUBLISHER,
    file: 'src/screenshot-queue.ts',
    files: crawlCommand(`async function main() {
        const seen = await crawl(process.argv.slice(2));
        if (process.env.AMQP_URL) await publishForScreenshots(process.env.AMQP_URL!, [...seen]);
      }
      async function crawl(seeds: string[]) { return new Set(seeds); }
      main().catch((err) => { console.error(err); process.exitCode = 1; });`),
  },
  {
    name: 'agent: false in a probe run every 30 s by a timer',
    code: `
      var http = require('http');
      function probe(host, cb) {
        var req = http.get({ host: host, path: '/ping', agent: false }, function (res) {
          res.resume();
          cb(res.statusCode === 200);
        });
        req.on('error', function () { cb(false); });
      }
      function watch(host, onChange) {
        setInterval(function () { probe(host, onChange); }, 30 * 1000);
      }
      module.exports = { watch: watch };`,
    ext: '.js',
  },
  {
    name: 'agent: false on the CONNECT request of a proxy agent: the tunnel socket is handed to the pooling agent',
    code: `
      const http = require('http');
      class TunnelAgent extends http.Agent {
        constructor(proxy, options) { super(options); this.proxy = proxy; }
        createConnection(options, callback) {
          const req = http.request({ host: this.proxy.host, port: this.proxy.port, method: 'CONNECT', path: options.host + ':' + options.port, agent: false });
          req.once('connect', (res, socket) => {
            res.resume();
            if (res.statusCode === 200) callback(null, socket);
            else { socket.destroy(); callback(new Error('proxy refused: ' + res.statusCode)); }
          });
          req.once('error', callback);
          req.end();
        }
      }
      module.exports = { TunnelAgent };`,
    ext: '.js',
  },
  {
    name: 'an undici Pool made once per call and used for several requests',
    code: `
      import { Pool } from 'undici';
      export async function both(origin: string) {
        const pool = new Pool(origin);
        try {
          const a = await pool.request({ path: '/a', method: 'GET' });
          const b = await pool.request({ path: '/b', method: 'GET' });
          return [await a.body.json(), await b.body.json()];
        } finally {
          await pool.close();
        }
      }`,
  },
  {
    name: 'an undici Client per node of a loop, each bound to that node (no reuse possible)',
    code: `
      import { Client } from 'undici';
      export async function configs(nodes: string[]) {
        const out: unknown[] = [];
        for (const node of nodes) {
          const client = new Client(\`http://\${node}:8500\`);
          try {
            const { body } = await client.request({ path: '/v1/agent/self', method: 'GET' });
            out.push(await body.json());
          } finally {
            await client.close();
          }
        }
        return out;
      }`,
  },
  {
    name: "agent: false on a WebSocket handshake request: the upgraded socket leaves every agent",
    code: `
      const http = require('http');
      function handshake(url, key, onSocket, onError) {
        const req = http.request({ hostname: url.hostname, port: url.port, path: url.pathname, agent: false,
          headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13' } });
        req.on('upgrade', (res, socket, head) => onSocket(socket, head));
        req.on('error', onError);
        req.end();
      }
      module.exports = { handshake };`,
    ext: '.js',
  },
  {
    name: "an undici Client per peer exchange, called for each peer of a configured list by a one-minute gossip timer",
    code: `
      import { Client } from 'undici';
      const peers = (process.env.PEERS ?? '').split(',');
      export async function exchangeWithPeer(peer: string, digests: string[]): Promise<number> {
        const api = new Client('https://' + peer + ':8443');
        const { statusCode, body } = await api.request({ method: 'POST', path: '/peer/announce', body: JSON.stringify(digests) });
        await body.dump();
        return statusCode;
      }
      export function startGossip(digests: () => string[]) {
        return setInterval(async () => {
          await Promise.all(peers.map((peer) => exchangeWithPeer(peer, digests()).catch(() => 0)));
        }, 60_000);
      }`,
  },
];

valid.push({
  // A non-pooled transport is reported only where the code is known to run for every request, event or item:
  // a limiter's schedule() runs the job at once, as often as it is asked, but nothing here asks often.
  name: "the same report sent from a job a rate limiter's schedule() runs, where nothing shows how often it is asked",
  code: REPORT,
  file: 'src/mail/report.ts',
  files: {
    'src/main.ts': `import Bottleneck from 'bottleneck';\nimport { sendReport } from './mail/report';\nconst limiter = new Bottleneck({ maxConcurrent: 2 });\nasync function onFailure() {\n  await sendReport({ failed: true });\n}\nexport function report() {\n  return limiter.schedule({ priority: 1 }, onFailure);\n}\n`,
  },
});

export const invalid: InvalidCase[] = [
  {
    name: "an undici Pool for each of the module's fallback origins, made again on every tick of a half-second interval",
    ...fallbackQuote('ORIGINS'),
    errors: [{ line: 5, messageId: 'perCall', message: /A new `undici.Pool` is created on every call of `fallbackQuote`/ }],
  },
  {
    name: 'the same helper in a module that is no command module (its handler may run for every request)',
    ext: '.js',
    code: IMPORT_COMMAND('{ handler, readSpec }'),
    errors: [{ line: 5, message: /A new `https.Agent` is created on every call of `readSpec`/ }],
  },
  {
    name: 'the same report sent by an interval of another module that fires every second: made again and again',
    code: REPORT,
    file: 'src/mail/report.ts',
    files: {
      'src/main.ts': `import { sendReport } from './mail/report';\nsetInterval(() => {\n  sendReport({ failed: false }).catch(() => undefined);\n}, 1_000);\n`,
    },
    errors: [{ line: 3, messageId: 'smtpPerCall' }],
  },
  {
    name: 'agent: false on a request written over several lines: reported at the request, the option is the related location',
    code: `
      import * as http from 'http';
      export function forward(path: string, body: string) {
        const req = http.request({
          host: 'legacy.internal',
          path,
          method: 'POST',
          agent: false,
        });
        req.end(body);
      }`,
    errors: [{ line: 3, messageId: 'agentFalse' }],
  },
  {
    name: "a Connection: close header in a fetch written over several lines: reported at the request",
    code: `
      export async function relay(url: string, body: string) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', connection: 'close' },
          body,
        });
        await res.body?.cancel();
      }`,
    errors: [{ line: 2, messageId: 'requestClose' }],
  },
  {
    name: 'agent: false in a request to an API path from a function that is also exported for any caller',
    code: `
      var http = require('http');
      function lookup(host, cb) {
        http.get({ host: host, path: '/v1/lookup', agent: false }, function (res) {
          res.resume();
          cb(res.statusCode === 200);
        });
      }
      setInterval(function () { lookup('a', function () {}); }, 30000);
      module.exports = { lookup: lookup };`,
    ext: '.js',
    errors: [{ line: 3, messageId: 'agentFalse' }],
  },
  {
    name: 'agent: false in a timer that fires every 10 ms',
    code: `
      var http = require('http');
      setInterval(function () {
        http.get({ host: 'a', path: '/ping', agent: false }, function (res) { res.resume(); });
      }, 10);`,
    ext: '.js',
    errors: [{ line: 3, messageId: 'agentFalse' }],
  },
  {
    name: 'an undici ProxyAgent made per call when a proxy is set',
    code: `
      import { ProxyAgent, fetch as undiciFetch } from 'undici';
      const PROXY = process.env.HTTPS_PROXY;
      export async function partner(url: string) {
        const res = await undiciFetch(url, { dispatcher: PROXY ? new ProxyAgent(PROXY) : undefined });
        return res.json();
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'an undici Pool per call, used for one pool.request() and closed',
    code: `
      import { Pool } from 'undici';
      export async function call(origin: string, path: string) {
        const pool = new Pool(origin, { connections: 4 });
        try {
          const { body } = await pool.request({ path, method: 'GET' });
          return await body.json();
        } finally {
          await pool.close();
        }
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'an undici Client per loop iteration to the same origin',
    code: `
      import { Client } from 'undici';
      export async function poll(origin: string, ids: string[]) {
        const out: unknown[] = [];
        for (const id of ids) {
          const client = new Client(origin);
          try {
            const { body } = await client.request({ path: '/items/' + id, method: 'GET' });
            out.push(await body.json());
          } finally {
            await client.close();
          }
        }
        return out;
      }`,
    errors: [{ line: 5 }],
  },
  {
    name: "agent: false on a request made beside a server's 'upgrade' listener: the request itself is not upgraded",
    code: `
      const http = require('http');
      function bridge(server, target) {
        server.on('upgrade', (req, socket) => socket.destroy());
        server.on('request', (req, res) => {
          const up = http.request({ host: target, path: req.url, method: req.method, agent: false }, (r) => r.pipe(res));
          req.pipe(up);
        });
      }
      module.exports = { bridge };`,
    ext: '.js',
    errors: [{ line: 5, messageId: 'agentFalse' }],
  },
  {
    name: 'the same function also called by a route handler of another module: once per request',
    code: PUBLISHER,
    file: 'src/screenshot-queue.ts',
    files: {
      ...crawlCommand(`async function main() {
        await publishForScreenshots(process.env.AMQP_URL!, process.argv.slice(2));
      }
      main();`),
      'src/routes.ts': `
      import express from 'express';
      import { publishForScreenshots } from './screenshot-queue';
      export const router = express.Router();
      router.post('/screenshots', async (req, res) => {
        res.json({ queued: await publishForScreenshots(process.env.AMQP_URL!, req.body.urls) });
      });`,
    },
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
  {
    name: 'the same function called by the command once per site, in a loop',
    code: PUBLISHER,
    file: 'src/screenshot-queue.ts',
    files: crawlCommand(`async function main() {
        for (const site of process.argv.slice(2)) await publishForScreenshots(process.env.AMQP_URL!, [site]);
      }
      main();`),
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
  {
    name: "an Elasticsearch client per finished session, reached through a local of main() that a 'reading' listener's debounce timer (setTimeout, 5 s) runs: once per event, however late",
    code: `
      import { EventEmitter } from 'node:events';
      import { Client } from '@elastic/elasticsearch';
      export async function indexRun(run: { serial: string }): Promise<void> {
        const es = new Client({ node: 'http://es:9200' });
        await es.index({ index: 'runs', document: run });
      }
      declare const listener: EventEmitter;
      async function main(): Promise<void> {
        const finish = async (serial: string) => {
          await Promise.allSettled([indexRun({ serial })]);
        };
        let timer: NodeJS.Timeout | undefined;
        listener.on('reading', (r: { serial: string }) => {
          clearTimeout(timer);
          timer = setTimeout(() => { finish(r.serial).catch(() => undefined); }, 5000);
        });
      }
      main().catch(() => { process.exitCode = 1; });`,
    errors: [{ line: 4, messageId: 'httpClientPerCallOpen' }],
  },
];
