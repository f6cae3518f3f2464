// connection-churn: an agent made for one request in code that runs once (a test body, a `listen`
// callback, a script's main()) piles up nothing; the same line on a request path does.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const ENRICH = (end: string) => `
      import { Agent, fetch } from 'undici';
      import { Router } from 'express';
      export const router = Router();
      router.get('/:id/enriched', async (req, res) => {
        const dispatcher = new Agent({ connections: 1 });
        const out: unknown[] = [];
        for (const id of String(req.query.ids).split(',')) {
          const r = await fetch(\`https://musicbrainz.example/ws/2/recording/\${id}\`, { dispatcher });
          out.push(await r.json());
        }${end}
        res.json(out);
      });`;

export const valid: ValidCase[] = [
  {
    name: "node-fetch's agent option as a function that picks one of two agents made once per module",
    code: `
      import http from 'node:http';
      import https from 'node:https';
      import fetch from 'node-fetch';
      const httpAgent = new http.Agent({ keepAlive: true });
      const httpsAgent = new https.Agent({ keepAlive: true });
      export async function submit(reading: object) {
        const res = await fetch(process.env.QC_URL!, { method: 'POST', body: JSON.stringify(reading), agent: (url) => (url.protocol === 'http:' ? httpAgent : httpsAgent) });
        return res.json();
      }`,
  },
  {
    name: 'an agent per request for the batch of lookups it makes in a loop, closed after them',
    code: ENRICH(`\n        await dispatcher.close();`),
  },
  {
    name: 'a long-lived consumer closed only when setting it up fails, and by the stop() it returns',
    code: `
      import amqp from 'amqplib';
      export async function startConsumer(url: string, handler: (m: unknown) => Promise<void>) {
        const conn = await amqp.connect(url);
        let ch: amqp.Channel;
        try {
          ch = await conn.createChannel();
          await ch.consume('jobs', async (msg) => { if (msg) { await handler(msg); ch.ack(msg); } });
        } catch (err) {
          await conn.close().catch(() => {});
          throw err;
        }
        return {
          async stop() {
            await ch.close();
            await conn.close();
          },
        };
      }`,
  },
  {
    name: 'a per-test agent for a self-signed certificate',
    code: `
      import { Agent } from 'undici';
      declare function test(name: string, fn: () => Promise<void>): void;
      test('https works', async () => {
        const res = await fetch('https://localhost:3443/', { dispatcher: new Agent({ connect: { rejectUnauthorized: false } }) } as RequestInit);
        await res.text();
      });`,
  },
  {
    name: 'an agent made in a listen callback, which runs once',
    code: `
      import * as http from 'http';
      import * as https from 'https';
      export function start(port: number) {
        const server = http.createServer((req, res) => res.end());
        server.listen(port, () => {
          https.get('https://registry.internal/up', { agent: new https.Agent({ keepAlive: true }) }, (r) => r.resume());
        });
      }`,
  },
  {
    name: 'an agent made in the main() of a one-shot script',
    code: `
      import { Agent, request } from 'undici';
      async function main() {
        const { body } = await request('https://example.com/', { dispatcher: new Agent({ pipelining: 0 }) });
        await body.text();
      }
      main().catch(() => process.exit(1));`,
  },
  {
    name: 'a helper of a test file that makes an agent per call (a handful of calls per run)',
    code: `
      import { Agent, request } from 'undici';
      export async function checkHealthyTls(url: string) {
        const { body } = await request(url, { dispatcher: new Agent({ connect: { rejectUnauthorized: false } }) });
        return body.json();
      }`,
    file: 'test/helpers/tls.ts',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "node-fetch's agent option as a function that makes a new agent: node-fetch calls it for every request (one finding for either protocol's branch)",
    code: `
      import http from 'node:http';
      import https from 'node:https';
      import fetch from 'node-fetch';
      export async function submit(reading: object) {
        const res = await fetch(process.env.QC_URL!, {
          method: 'POST',
          body: JSON.stringify(reading),
          agent: (url) => (url.protocol === 'http:' ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true })),
        });
        return res.json();
      }`,
    errors: [{ line: 8, message: /A new `http.Agent` is created on every call of `submit` and used for a single request/ }],
  },
  {
    name: 'the same agent per request, never closed: its keep-alive sockets stay behind after every request',
    code: ENRICH(''),
    errors: [{ line: 5, message: /created on every call of .* and never closed/ }],
  },
  {
    name: 'the same per-request agent in a request handler',
    code: `
      import { Agent } from 'undici';
      export async function handler(url: string) {
        const res = await fetch(url, { dispatcher: new Agent({ connect: { rejectUnauthorized: false } }) } as RequestInit);
        return res.text();
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'an agent per iteration inside a test loop still churns',
    code: `
      import * as https from 'https';
      declare function it(name: string, fn: () => void): void;
      it('hammers', () => {
        for (let i = 0; i < 1000; i++) {
          https.get('https://localhost:3443/', { agent: new https.Agent({ keepAlive: true }) }, (r) => r.resume());
        }
      });`,
    errors: [{ line: 5 }],
  },
];
