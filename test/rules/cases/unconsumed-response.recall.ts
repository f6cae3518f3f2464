// unconsumed-response: unread bodies in the shapes real code uses, beside look-alikes that read them.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: 'undici request() on a pool per origin taken from a map (a package that depends on undici): an error status returned unread',
    code: `
      export class PageFetcher {
        constructor(pools) { this.pools = pools; }
        async fetchPage(url) {
          const target = new URL(url);
          const pool = this.pools.get(target.origin);
          const { statusCode, body } = await pool.request({ path: target.pathname, method: 'GET' });
          if (statusCode >= 400) return { url, status: statusCode };
          return { url, status: statusCode, html: await body.text() };
        }
      }`,
    ext: '.js',
    file: 'src/fetchers/page.js',
    files: { 'package.json': '{ "name": "crawler", "dependencies": { "undici": "^6.19.8" } }' },
    errors: [{ line: 6, message: /pool\.request.*undici/ }],
  },
  {
    name: "a got stream whose 'response' listener refuses a content type and returns without destroying it",
    code: `
      import got from 'got';
      export function fetchAsset(url: string): Promise<Buffer> {
        return new Promise((resolve, reject) => {
          const stream = got.stream(url);
          stream.once('error', reject);
          stream.once('response', (res) => {
            if (!String(res.headers['content-type']).startsWith('image/')) {
              reject(new Error('not an image'));
              return;
            }
            const chunks: Buffer[] = [];
            stream.on('data', (c: Buffer) => chunks.push(c));
            stream.once('end', () => resolve(Buffer.concat(chunks)));
          });
        });
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'a redirect followed by calling the same function again, without reading the 3xx response',
    code: `
      import * as https from 'https';
      export function download(url: string, redirects = 0): Promise<string> {
        return new Promise((resolve, reject) => {
          https.get(url, (res) => {
            if (res.statusCode! >= 300 && res.statusCode! < 400 && res.headers.location) {
              resolve(download(new URL(res.headers.location, url).toString(), redirects + 1));
              return;
            }
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => resolve(text));
          }).on('error', reject);
        });
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: "a redirect left unread while the 200 path destroys the request from a size check in its 'data' listener",
    code: `
      import * as https from 'https';
      export function fetchPage(url: URL, hops = 0, max = 1 << 20): Promise<string> {
        return new Promise((resolve, reject) => {
          const req = https.get(url, (res) => {
            if (res.statusCode! >= 300 && res.statusCode! < 400 && res.headers.location) {
              resolve(fetchPage(new URL(res.headers.location, url), hops + 1));
              return;
            }
            let size = 0;
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size > max) return req.destroy(new Error('too large'));
              chunks.push(c);
            });
            res.on('end', () => resolve(Buffer.concat(chunks).toString()));
          });
          req.on('error', reject);
        });
      }`,
    errors: [{ line: 4, message: /`return` on line 7/ }],
  },
  {
    name: 'an undici Pool from a helper of another file that caches one per origin in a Map: a non-200 body left unread',
    code: `
      import { poolFor } from './host-pool';
      export async function sitemap(origin: string): Promise<string[]> {
        const pool = poolFor(origin);
        const { statusCode, body } = await pool.request({ path: '/sitemap.xml', method: 'GET' });
        if (statusCode !== 200) return [];
        const xml = await body.text();
        return xml.split('<loc>');
      }`,
    files: { 'host-pool.ts': `
      import { Pool } from 'undici';
      const pools = new Map();
      export function poolFor(origin: string) {
        let pool = pools.get(origin);
        if (!pool) {
          pool = new Pool(origin, { connections: 2 });
          pools.set(origin, pool);
        }
        return pool;
      }` },
    errors: [{ line: 4, message: /`return` on line 5/ }],
  },
  {
    name: 'two fetches awaited together, only one body read',
    code: `
      export async function both(a: string, b: string) {
        const [ra, rb] = await Promise.all([fetch(a), fetch(b)]);
        const data = await ra.json();
        return { data, status: rb.status };
      }`,
    errors: [{ line: 2 }],
  },
  {
    name: 'a compound condition that throws without cancelling',
    code: `
      export async function stream(url: string) {
        const res = await fetch(url);
        if (!res.ok || !res.headers.get('content-length')) throw new Error('bad response ' + res.status);
        return res.arrayBuffer();
      }`,
    errors: [{ line: 2 }],
  },
  {
    name: 'an early return on a header check after a correct !ok branch',
    code: `
      export async function json(url: string) {
        const res = await fetch(url);
        if (!res.ok) {
          await res.body?.cancel();
          throw new Error('HTTP ' + res.status);
        }
        if (res.headers.get('x-version') !== '2') return null;
        return res.json();
      }`,
    errors: [{ line: 2 }],
  },
  {
    name: 'branches on content-type that fall through without reading',
    code: `
      export async function decode(url: string) {
        const res = await fetch(url);
        const type = res.headers.get('content-type') ?? '';
        if (type.includes('json')) return res.json();
        if (type.startsWith('text/')) return res.text();
        return undefined;
      }`,
    errors: [{ line: 2 }],
  },
  {
    name: 'an explicit throw caught by a catch that returns a fallback',
    code: `
      export async function config(url: string, fallback: object) {
        try {
          const res = await fetch(url);
          if (res.status !== 200) throw new Error('status ' + res.status);
          return await res.json();
        } catch {
          return fallback;
        }
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'fetch through a local alias',
    code: `
      export async function ping(url: string) {
        const get = fetch;
        const res = await get(url);
        return res.ok;
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'http or https chosen by a conditional, response never read',
    code: `
      import * as http from 'http';
      import * as https from 'https';
      export function status(url: string, cb: (code?: number) => void) {
        const client = url.startsWith('https:') ? https : http;
        client.get(url, (res) => cb(res.statusCode));
      }`,
    errors: [{ line: 5 }],
  },
  {
    name: 'a response callback given after a multi-line options object is reported at the request',
    code: `
      import https from 'node:https';
      export function upload(url: string, body: Buffer): Promise<string> {
        return new Promise((resolve, reject) => {
          const req = https.request(
            url,
            { method: 'PUT', headers: { 'content-length': body.length } },
            (res) => {
              if ((res.statusCode ?? 0) >= 300) {
                reject(new Error('HTTP ' + res.statusCode));
                return;
              }
              res.resume();
              res.on('end', () => resolve('ok'));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      }`,
    errors: [{ line: 4, message: /response from `https\.request` is not consumed/ }],
  },
  {
    name: "a 'response' listener without a parameter never reads the response",
    code: `
      import * as http from 'http';
      export function fire(url: string, done: () => void) {
        const req = http.get(url);
        req.on('response', () => done());
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'undici Client.request body never consumed',
    code: `
      import { Client } from 'undici';
      export async function status(client: Client, path: string) {
        const { statusCode } = await client.request({ path, method: 'GET' });
        return statusCode;
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'undici request destructured from require',
    code: `
      const { request } = require('undici');
      async function head(url) {
        const res = await request(url);
        return res.statusCode;
      }
      module.exports = head;`,
    ext: '.js',
    errors: [{ line: 3 }],
  },
  {
    name: "axios with responseType 'stream' whose stream is never read",
    code: `
      import axios from 'axios';
      export async function size(url: string) {
        const res = await axios.get(url, { responseType: 'stream' });
        return Number(res.headers['content-length']);
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: "an axios instance's stream left unread on a non-200 status",
    code: `
      import axios from 'axios';
      import { pipeline } from 'node:stream/promises';
      const media = axios.create({ baseURL: 'http://media.internal', timeout: 10_000 });
      export async function relay(id: string, out: NodeJS.WritableStream) {
        const upstream = await media.get('/assets/' + id, { responseType: 'stream', validateStatus: () => true });
        if (upstream.status !== 200) return upstream.status;
        await pipeline(upstream.data, out);
        return 200;
      }`,
    errors: [{ line: 5, message: /not consumed or cancelled when the `return` on line 6/ }],
  },
  {
    name: 'got.stream never read',
    code: `
      import got from 'got';
      export function open(url: string) {
        const stream = got.stream(url);
        stream.on('response', (r) => console.log(r.statusCode));
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: "a 'data' listener that pauses the response and rejects stops reading it",
    code: `
      import * as http from 'http';
      export function small(url: string, max: number): Promise<Buffer> {
        return new Promise((resolve, reject) => {
          http.get(url, (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size > max) { res.pause(); reject(new Error('too large')); return; }
              chunks.push(c);
            });
            res.on('end', () => resolve(Buffer.concat(chunks)));
          });
        });
      }`,
    errors: [{ line: 4 }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'an mssql pool.request() (no undici in the package): a query builder, not a response',
    code: `
      export async function count(pool, table) {
        const result = await pool.request().query('select count(*) as n from ' + table);
        return result.recordset[0].n;
      }`,
    ext: '.js',
    files: { 'package.json': '{ "name": "reports", "dependencies": { "mssql": "^11.0.0" } }' },
  },
  {
    name: 'a response callback that destroys its request before returning on a non-200 status',
    code: `
      import * as http from 'http';
      export function head(url: string): Promise<number> {
        return new Promise((resolve, reject) => {
          const req = http.get(url, (res) => {
            if (res.statusCode !== 200) {
              req.destroy();
              resolve(res.statusCode!);
              return;
            }
            res.resume();
            res.on('end', () => resolve(200));
          });
          req.on('error', reject);
        });
      }`,
  },
  {
    name: "a got stream read by a 'data' listener chained after its 'response' listener",
    code: `
      import got from 'got';
      export function prefetch(url: string, limit: number): Promise<Buffer> {
        return new Promise((resolve, reject) => {
          let buf = Buffer.alloc(0);
          const stream = got.stream(url);
          stream
            .on('response', (res) => {
              if (Number(res.headers['content-length']) > limit) stream.destroy();
            })
            .on('error', reject)
            .on('data', (d: Buffer) => { buf = Buffer.concat([buf, d]); })
            .on('end', () => resolve(buf));
        });
      }`,
  },
  {
    name: "a got stream whose 'response' listener destroys it before refusing it",
    code: `
      import got from 'got';
      export function fetchAsset(url: string): Promise<Buffer> {
        return new Promise((resolve, reject) => {
          const stream = got.stream(url);
          stream.once('error', reject);
          stream.once('response', (res) => {
            if (!String(res.headers['content-type']).startsWith('image/')) {
              stream.destroy();
              reject(new Error('not an image'));
              return;
            }
            const chunks: Buffer[] = [];
            stream.on('data', (c: Buffer) => chunks.push(c));
            stream.once('end', () => resolve(Buffer.concat(chunks)));
          });
        });
      }`,
  },
  {
    name: 'an axios instance asked for JSON buffers the body',
    code: `
      import axios from 'axios';
      const api = axios.create({ baseURL: 'http://api.internal' });
      export async function status(id: string) {
        const res = await api.get('/jobs/' + id);
        if (res.status !== 200) return null;
        return res.data;
      }`,
  },
  {
    name: "a 'data' listener that destroys the response when it is too large",
    code: `
      import * as http from 'http';
      export function small(url: string, max: number): Promise<Buffer> {
        return new Promise((resolve, reject) => {
          http.get(url, (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size > max) { res.destroy(); reject(new Error('too large')); return; }
              chunks.push(c);
            });
            res.on('end', () => resolve(Buffer.concat(chunks)));
          });
        });
      }`,
  },
  {
    name: "a 'data' listener that only rejects keeps the response flowing to its end",
    code: `
      import * as http from 'http';
      export function small(url: string, max: number): Promise<number> {
        return new Promise((resolve, reject) => {
          http.get(url, (res) => {
            let size = 0;
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size > max) reject(new Error('too large'));
            });
            res.on('end', () => resolve(size));
          });
        });
      }`,
  },
  {
    name: 'two fetches awaited together, both read',
    code: `
      export async function both(a: string, b: string) {
        const [ra, rb] = await Promise.all([fetch(a), fetch(b)]);
        return Promise.all([ra.json(), rb.text()]);
      }`,
  },
  {
    name: "aborting the fetch's own signal releases the response",
    code: `
      export async function json(url: string) {
        const ac = new AbortController();
        const res = await fetch(url, { signal: ac.signal });
        if (!res.ok) {
          ac.abort();
          throw new Error('HTTP ' + res.status);
        }
        return res.json();
      }`,
  },
  {
    name: 'content-type branches that cancel in the last one',
    code: `
      export async function decode(url: string) {
        const res = await fetch(url);
        const type = res.headers.get('content-type') ?? '';
        if (type.includes('json')) return res.json();
        if (type.startsWith('text/')) return res.text();
        await res.body?.cancel();
        return undefined;
      }`,
  },
  {
    name: "axios without responseType 'stream' buffers the body",
    code: `
      import axios from 'axios';
      export async function size(url: string) {
        const res = await axios.get(url);
        return Number(res.headers['content-length']);
      }`,
  },
  {
    name: 'got.stream piped to a file',
    code: `
      import got from 'got';
      import { createWriteStream } from 'fs';
      import { pipeline } from 'stream/promises';
      export function download(url: string, to: string) {
        return pipeline(got.stream(url), createWriteStream(to));
      }`,
  },
  {
    name: 'undici Client.request body dumped',
    code: `
      import { Client } from 'undici';
      export async function status(client: Client, path: string) {
        const { statusCode, body } = await client.request({ path, method: 'GET' });
        await body.dump();
        return statusCode;
      }`,
  },
];
