// unconsumed-response: responses that reach the code through the project's own helpers (a function
// that picks `http` or `https`, or returns it in an object with its agent: `const { mod, agent } =
// transportFor(url)`; a promisified request), HEAD requests on node:http, and the timers
// and streams around them.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An axios stream request whose non-200 response goes to a `discardResponse` helper; `guard` is how it drains. */
function discardingProbe(guard: string): string {
  return `
      const axios = require('axios');
      function discardResponse(response) {
        const stream = response?.data;
        if (!stream) return;
        stream.on('error', () => {});
${guard}
      }
      async function probe(url) {
        const response = await axios.request({ method: 'POST', url, responseType: 'stream', validateStatus: () => true });
        if (response.status !== 200) {
          discardResponse(response);
          return null;
        }
        response.data.resume();
        return response.status;
      }
      module.exports = { probe };`;
}

export const invalid: InvalidCase[] = [
  {
    name: "a Deno script's unread fetch body: the message is Deno's, not undici's",
    code: `
      export async function latest(repo: string): Promise<string | null> {
        const res = await fetch('https://api.github.com/repos/' + repo + '/releases/latest');
        if (!res.ok) return null;
        const body = await res.json();
        await Deno.writeTextFile('latest.txt', body.tag_name);
        return body.tag_name;
      }`,
    errors: [{ line: 2, message: /In Deno a response body is a resource/ }],
  },
  {
    name: "a helper's fetch response dropped by its caller: the message is undici's, not an http.Agent's",
    code: `
      import { restoreSnapshot } from './util';
      export async function reset() {
        await restoreSnapshot();
      }`,
    files: { 'util.ts': `
      export async function restoreSnapshot() {
        return fetch('http://localhost:3001/_e2e/restore');
      }` },
    errors: [{ line: 3, message: /undici's 64 KiB buffer/ }],
  },
  {
    name: 'request() on the undici Pool that an imported project helper is declared to return',
    code: `
      import { getPool } from './pools';
      export async function product(id: string) {
        const { statusCode, body } = await getPool('catalog').request({ method: 'GET', path: '/p/' + id });
        if (statusCode === 410) return null;
        return body.json();
      }`,
    files: { 'pools.ts': `
      import { Pool } from 'undici';
      const pools = new Map<string, Pool>();
      export function getPool(origin: string): Pool {
        let pool = pools.get(origin);
        if (!pool) {
          pool = new Pool(origin);
          pools.set(origin, pool);
        }
        return pool;
      }` },
    errors: [{ line: 3, message: /undici\.Pool\.request/ }],
  },
  {
    name: 'request() on the undici Pool a project helper is declared to return, body left on a return',
    code: `
      import { Pool } from 'undici';
      const pools = new Map<string, Pool>();
      function getPool(origin: string): Pool {
        let pool = pools.get(origin);
        if (!pool) {
          pool = new Pool(origin);
          pools.set(origin, pool);
        }
        return pool;
      }
      export async function product(id: string) {
        const { statusCode, body } = await getPool('http://catalog').request({ method: 'GET', path: '/p/' + id });
        if (statusCode === 410) return null;
        return body.json();
      }`,
    errors: [{ line: 12, message: /is not consumed or cancelled when the `return` on line 13/ }],
  },
  {
    name: 'a helper picks http or https; the response is left unread on a non-200 status',
    code: `
      const http = require('http');
      const https = require('https');
      function clientFor(url) {
        return url.protocol === 'https:' ? https : http;
      }
      function proxy(url, out, done) {
        clientFor(url).get(url, (res) => {
          if (res.statusCode !== 200) return done(new Error(String(res.statusCode)));
          res.pipe(out);
        });
      }
      module.exports = { proxy };`,
    ext: '.js',
    errors: [{ line: 7, message: /response from `https\.get` is not consumed/ }],
  },
  {
    name: 'a HEAD request on node:http whose response is never read holds its socket',
    code: `
      import * as http from 'http';
      export function exists(url: string): Promise<boolean> {
        return new Promise((resolve, reject) => {
          const req = http.request(url, { method: 'HEAD' }, (res) => {
            resolve(res.statusCode === 200);
          });
          req.on('error', reject);
          req.end();
        });
      }`,
    errors: [{ line: 4, messageId: 'never' }],
  },
  {
    name: 'a timer that destroys the request is cleared once the response arrives: it releases nothing',
    code: `
      import * as https from 'https';
      export function status(url: string, ms: number): Promise<number> {
        return new Promise((resolve, reject) => {
          const req = https.get(url, (res) => {
            clearTimeout(timer);
            resolve(res.statusCode!);
          });
          const timer = setTimeout(() => req.destroy(new Error('timed out')), ms);
          req.on('error', (err) => { req.destroy(); reject(err); });
        });
      }`,
    errors: [{ line: 4, messageId: 'never' }],
  },
  {
    name: 'a promisified https.get resolves with the response; the caller leaves it unread on one path',
    code: `
      import * as https from 'https';
      function get(url: string): Promise<import('http').IncomingMessage> {
        return new Promise((resolve, reject) => {
          https.get(url, resolve).on('error', reject);
        });
      }
      export async function check(url: string) {
        const res = await get(url);
        if (res.statusCode !== 200) return false;
        res.resume();
        return true;
      }`,
    errors: [{ line: 8, message: /response from `get\(\)`/ }],
  },
  {
    name: "a helper resolves with the response from its 'response' listener; a loop skips it unread",
    code: `
      const https = require('https');
      function fetchUpstream(url) {
        return new Promise((resolve, reject) => {
          const req = https.request(url);
          req.once('response', (res) => resolve(res));
          req.once('error', reject);
          req.end();
        });
      }
      async function warm(urls) {
        for (const url of urls) {
          const res = await fetchUpstream(url);
          if (res.statusCode !== 200) continue;
          res.resume();
        }
      }
      module.exports = { warm };`,
    ext: '.js',
    errors: [{ line: 12, messageId: 'somePaths' }],
  },
  {
    name: "a 'response' listener returns on success without reading the body; named after its request",
    code: `
      const http = require('http');
      function submit(url, payload, callback) {
        const req = http.request(url, { method: 'POST' });
        req.on('response', (res) => {
          if (res.statusCode === 202) {
            callback(null, res.headers['x-job-id']);
            return;
          }
          res.resume();
          callback(new Error(String(res.statusCode)));
        });
        req.on('error', callback);
        req.end(payload);
      }
      module.exports = { submit };`,
    ext: '.js',
    errors: [{ line: 3, message: /response from `http\.request` is not consumed/ }],
  },
  {
    name: "a 'timeout' listener that destroys the request fires only after the unread response held the socket",
    code: `
      import * as http from 'http';
      export function status(url: string): Promise<number> {
        return new Promise((resolve, reject) => {
          const req = http.get(url, { timeout: 5000 }, (res) => resolve(res.statusCode!));
          req.on('timeout', () => req.destroy());
          req.on('error', reject);
        });
      }`,
    errors: [{ line: 4, messageId: 'never' }],
  },
  {
    name: "the same idle timeout in a 'timeout' listener chained on the request (`https.get(…).on('error', …).on('timeout', …)`), with a reject on an error status before the body is read",
    code: `
      const https = require('https');
      const agent = new https.Agent({ keepAlive: true });
      function lookup(url) {
        return new Promise((resolve, reject) => {
          const req = https
            .get(url, { timeout: 1000, agent }, (res) => {
              if (res.statusCode !== 200 && res.statusCode !== 404) return reject(new Error('status ' + res.statusCode));
              let data = '';
              res.on('data', (chunk) => { data += chunk; });
              res.on('end', () => resolve(data));
            })
            .on('error', reject)
            .on('timeout', () => { req.destroy(); reject(new Error('timeout')); });
        });
      }
      module.exports = { lookup };`,
    ext: '.js',
    errors: [{ line: 6, message: /not consumed or cancelled when the `return` on line 7 is taken/ }],
  },
  {
    name: 'a crawl loop awaits an inline promise of https.get and skips a non-HTML page unread',
    code: `
      const https = require('https');
      async function crawl(urls, agent) {
        const pages = [];
        for (const url of urls) {
          const res = await new Promise((resolve, reject) => https.get(url, { agent }, resolve).on('error', reject));
          if (!String(res.headers['content-type']).includes('text/html')) {
            pages.push({ url, skipped: true });
            continue;
          }
          res.resume();
          pages.push({ url });
        }
        return pages;
      }
      module.exports = { crawl };`,
    ext: '.js',
    errors: [{ line: 5, message: /response from `https\.get` is not consumed or cancelled before the next loop iteration/ }],
  },
  {
    name: "an undici Client from a project cache class whose get() says it returns one: a 5xx body left unread",
    code: `
      import type { Clients } from './clients';
      export async function revalidate(clients: Clients, origin: string, path: string): Promise<string | null> {
        const client = clients.get(origin);
        const { statusCode, body } = await client.request({ path, method: 'GET' });
        if (statusCode !== 200) return null;
        return body.text();
      }`,
    files: { 'clients.ts': `
      import { Client } from 'undici';
      export class Clients {
        private readonly byOrigin = new Map<string, Client>();
        get(origin: string): Client {
          let client = this.byOrigin.get(origin);
          if (!client) {
            client = new Client(origin);
            this.byOrigin.set(origin, client);
          }
          return client;
        }
      }` },
    errors: [{ line: 4, message: /not consumed or cancelled when the `return` on line 5 is taken/ }],
  },
  {
    name: "the same helper in a package whose name only starts like a test package's (e2e-shop): the throw path leaves the body unread",
    code: `
      export async function assertGraphiQL(endpoint: string): Promise<void> {
        const response = await fetch(endpoint, { headers: { accept: 'text/html' } });
        if (response.status !== 200) throw new Error('no GraphiQL: ' + response.status);
        const html = await response.text();
        if (!html.includes('<title>')) throw new Error('not GraphiQL');
      }`,
    file: 'utils.ts',
    files: { 'package.json': '{ "name": "e2e-shop", "private": true }' },
    errors: [{ line: 2, message: /when the `throw` on line 3 runs/ }],
  },
  {
    name: 'a retry loop drops a 5xx response of a request made through a transport typed `Pick<typeof http, "request">`',
    code: `
      import type * as http from 'node:http';
      type Transport = Pick<typeof http, 'request'>;
      function send(transport: Transport, opt: http.RequestOptions): Promise<http.IncomingMessage> {
        return new Promise((resolve, reject) => {
          const req = transport.request(opt, (res) => resolve(res));
          req.on('error', reject);
          req.end();
        });
      }
      export async function withRetry(transport: Transport, opt: http.RequestOptions): Promise<http.IncomingMessage> {
        for (let attempt = 0; attempt < 3; attempt++) {
          const res = await send(transport, opt);
          if ((res.statusCode ?? 0) >= 500) continue;
          return res;
        }
        throw new Error('retries exhausted');
      }`,
    errors: [{ line: 12 }],
  },
  {
    name: 'a response dropped on a redirect, from a request made through a parameter typed `typeof https`',
    code: `
      import * as https from 'https';
      export function head(agent: typeof https, url: string, cb: (status: number) => void) {
        agent.get(url, (res) => {
          if (res.statusCode === 302) return cb(302);
          res.resume();
          cb(res.statusCode ?? 0);
        });
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: "a discard helper that resumes the stream only when bytes are buffered already: one still waiting is left paused",
    code: discardingProbe(`        if (stream.readableLength > 0) stream.resume();`),
    ext: '.js',
    errors: [{ line: 9 }],
  },
  {
    name: "a request through the module a project helper returns with its agent (`const { mod, agent } = transportFor(url)`): a non-200 rejects with the body unread",
    code: `
      const http = require('node:http');
      const https = require('node:https');
      const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 32 });
      const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
      function transportFor(url) {
        return url.protocol === 'http:' ? { mod: http, agent: httpAgent } : { mod: https, agent: httpsAgent };
      }
      function uploadPart(url, chunk) {
        const { mod, agent } = transportFor(url);
        return new Promise((resolve, reject) => {
          const req = mod.request(url, { method: 'PUT', agent }, (res) => {
            if (res.statusCode !== 200) {
              reject(new Error('part failed: ' + res.statusCode));
              return;
            }
            res.resume();
            resolve(res.headers.etag);
          });
          req.on('error', reject);
          req.end(chunk);
        });
      }
      module.exports = { uploadPart };`,
    ext: '.js',
    errors: [{ line: 11 }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "an e2e package's assertion helper: its throw fails the run, and only the passing path counts",
    code: `
      export async function assertGraphiQL(endpoint: string): Promise<void> {
        const response = await fetch(endpoint, { headers: { accept: 'text/html' } });
        if (response.status !== 200) throw new Error('no GraphiQL: ' + response.status);
        const html = await response.text();
        if (!html.includes('<title>')) throw new Error('not GraphiQL');
      }`,
    file: 'utils.ts',
    files: { 'package.json': '{ "name": "@acme/e2e-testing", "private": true }' },
  },
  {
    name: 'a response read through `gzipped ? res.pipe(gunzip) : res`',
    code: `
      const https = require('https');
      const zlib = require('zlib');
      function getXml(url) {
        return new Promise((resolve, reject) => {
          https.get(url, (res) => {
            if (res.statusCode !== 200) {
              res.resume();
              reject(new Error('status ' + res.statusCode));
              return;
            }
            const gzipped = res.headers['content-encoding'] === 'gzip';
            const source = gzipped ? res.pipe(zlib.createGunzip()) : res;
            const chunks = [];
            source.on('data', (c) => chunks.push(c));
            source.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          }).on('error', reject);
        });
      }
      module.exports = { getXml };`,
    ext: '.js',
  },
  {
    name: 'a body cancelled in finally unless it was already read (bodyUsed)',
    code: `
      export async function getPrice(url: string) {
        const res = await fetch(url);
        try {
          if (!res.ok) throw new Error('pricing ' + res.status);
          return await res.json();
        } finally {
          if (!res.bodyUsed) await res.body?.cancel().catch(() => undefined);
        }
      }`,
  },
  {
    name: 'the web body is piped through Readable.fromWeb, which reads it to its end',
    code: `
      import { Readable } from 'stream';
      import { pipeline } from 'stream/promises';
      export async function relay(url: string, out: NodeJS.WritableStream) {
        const upstream = await fetch(url);
        if (!upstream.ok || !upstream.body) {
          await upstream.body?.cancel();
          return;
        }
        await pipeline(Readable.fromWeb(upstream.body as any), out);
      }`,
  },
  {
    name: 'a promisified https.get whose caller reads the response on every path',
    code: `
      import * as https from 'https';
      function get(url: string): Promise<import('http').IncomingMessage> {
        return new Promise((resolve, reject) => {
          https.get(url, (res) => resolve(res)).on('error', reject);
        });
      }
      export async function check(url: string) {
        const res = await get(url);
        res.resume();
        return res.statusCode === 200;
      }`,
  },
  {
    name: 'a helper that resolves with the text it read, not the response, hands out nothing',
    code: `
      import * as https from 'https';
      function text(url: string): Promise<string> {
        return new Promise((resolve, reject) => {
          https.get(url, (res) => {
            let s = '';
            res.on('data', (c) => (s += c));
            res.on('end', () => resolve(s));
          }).on('error', reject);
        });
      }
      export async function first(url: string) {
        const s = await text(url);
        return s.slice(0, 10);
      }`,
  },
  {
    name: "a guard for a response without a status, and a log helper that validates its arguments with TypeError",
    code: `
      import * as https from 'https';
      import type { IncomingMessage } from 'http';
      function logResponse(res: IncomingMessage | null, log?: NodeJS.WritableStream) {
        if (!log) return;
        if (res && typeof res.pipe !== 'function') throw new TypeError('res should be a stream');
        log.write(\`RESPONSE \${res?.statusCode}\\n\`);
      }
      function get(url: string): Promise<IncomingMessage> {
        return new Promise((resolve, reject) => https.get(url, resolve).on('error', reject));
      }
      export async function fetchText(url: string): Promise<string> {
        const res = await get(url);
        if (!res.statusCode) throw new Error('no status code');
        logResponse(res);
        res.setEncoding('utf8');
        let text = '';
        for await (const chunk of res) text += chunk;
        return text;
      }`,
  },

  {
    name: "a discard helper that checks its stream has resume() (or destroy()) before calling it: a real stream always has",
    code: discardingProbe(`        if (stream.resume) stream.resume();
        else if (stream.destroy) stream.destroy();`),
    ext: '.js',
  },
];
