// unconsumed-response: bodies handed to the caller or to a mock, and cancellations that never happen.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A hapi handler's promise of a DICOM preview, drained on the error branch; `ok` is what the 200 branch does with `res`. */
const PREVIEW = (ok: string) => `
      import http from 'node:http';
      export function preview(h: { response(s: unknown): { type(t: string): unknown } }, log: { info(o: unknown): void }, path: string) {
        return new Promise((resolve, reject) => {
          const upstream = http.request({ host: 'dicom-gw', path }, (res) => {
            if (res.statusCode !== 200) {
              res.resume();
              reject(new Error('gateway answered ' + res.statusCode));
              return;
            }
            ${ok}
          });
          upstream.on('error', reject);
          upstream.end();
        });
      }`;

export const valid: ValidCase[] = [
  {
    name: 'a 204/205 check on the status copied to a const: no body there',
    code: `
      export async function call(url: string) {
        const res = await fetch(url);
        const status = res.status;
        const out = { status, data: undefined as unknown };
        if (status === 204 || status === 205) return out;
        out.data = await res.text();
        return out;
      }`,
  },
  {
    name: "the body stored raw in the returned object's field on one branch, read on the other",
    code: `
      export async function call(url: string, raw: boolean) {
        const res = await fetch(url);
        const out = { status: res.status, data: undefined as unknown };
        out.data = raw ? res.body : await res.text();
        return out;
      }`,
  },
  {
    name: 'the body read through a Node stream a const holds (Readable.fromWeb), handed to pipeline()',
    code: `
      import { createWriteStream } from 'node:fs';
      import { Readable } from 'node:stream';
      import { pipeline } from 'node:stream/promises';
      import type { ReadableStream as WebReadableStream } from 'node:stream/web';
      export async function download(url: string, dest: string): Promise<number> {
        const res = await fetch(url);
        if (!res.ok || !res.body) {
          await res.body?.cancel();
          throw new Error('HTTP ' + res.status);
        }
        let bytes = 0;
        const source = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
        source.on('data', (chunk: Buffer) => { bytes += chunk.length; });
        await pipeline(source, createWriteStream(dest));
        return bytes;
      }`,
  },
  {
    name: 'a signal combined with AbortSignal.any() from a controller that a once-only completion helper aborts on every exit',
    code: `
      export async function watch(url: string, done: (err: unknown) => void): Promise<AbortController> {
        const controller = new AbortController();
        const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(30_000)]);
        let finished = false;
        const finish = (err: unknown) => {
          if (finished) return;
          finished = true;
          controller.abort();
          done(err);
        };
        try {
          const res = await fetch(url, { signal });
          if (res.status !== 200) throw new Error('watch failed: ' + res.status);
          for await (const chunk of res.body!) console.log(chunk.length);
          finish(null);
        } catch (err) {
          finish(err);
        }
        return controller;
      }`,
  },
  {
    name: 'a body read by a method picked at run time (res[type]() with type json or text)',
    code: `
      export async function handle(url: string, type: 'json' | 'text') {
        const res = await fetch(url);
        return res[type]();
      }`,
  },
  {
    name: "a test's fetch through a keep-alive agent of its own without a socket limit, body dropped: nothing waits for that socket",
    code: `
      import http from 'node:http';
      it('keeps the connection alive', async () => {
        const agent = new http.Agent({ keepAlive: true });
        await fetch('http://localhost:3000/json', { agent } as any);
        const res = await fetch('http://localhost:3000/json', { agent } as any);
        expect(res.status).toBe(200);
      });`,
    file: 'test/keepalive.test.ts',
  },
  {
    name: "a test helper's https.get to a URL no nock scope intercepts: the default agent, a small body read to the FIN",
    code: `
      const https = require('https');
      const nock = require('nock');
      function statusOf(url) {
        return new Promise((resolve) => https.get(url, (res) => resolve(res.statusCode)));
      }
      it('reads the live status', async () => {
        nock('https://api.example.test').get('/health').reply(200);
        await statusOf('https://status.example.org/');
      });`,
    ext: '.js',
    file: 'test/status.test.js',
  },
  {
    name: "an observer 'response' listener beside the one that reads the body",
    code: `
      const http = require('http');
      function send(url, onSeen) {
        const req = http.get(url);
        req.once('response', (res) => res.pipe(process.stdout));
        req.once('response', () => onSeen());
        return req;
      }
      module.exports = { send };`,
    ext: '.js',
  },
  {
    name: "an observer 'response' listener on a request made with a response callback",
    code: `
      import * as http from 'http';
      export function ping(url: string, done: () => void) {
        const req = http.get(url, (res) => res.resume());
        req.on('response', () => done());
      }`,
  },
  {
    name: "a 'response' listener that ignores the response, on a request made by the caller (its maker may read it)",
    code: `
      import type { ClientRequest } from 'http';
      export function markResponded(request: ClientRequest, state: { responded: boolean }) {
        request.once('response', () => {
          state.responded = true;
        });
      }`,
  },
  {
    name: 'the body returned as a stream after a throw guarded by body === null: there is no body to cancel there',
    code: `
      export async function sendStream(url: string): Promise<ReadableStream<Uint8Array>> {
        const res = await fetch(url, { redirect: 'manual' });
        if (!res.ok) {
          const text = await res.text();
          throw new Error('HTTP ' + res.status + ': ' + text);
        }
        if (res.body === null) {
          throw new Error('streaming not supported');
        }
        return res.body;
      }`,
  },
  {
    name: 'the body cancelled on the error branch and returned as a Node stream otherwise',
    code: `
      import { Readable } from 'stream';
      export async function open(url: string) {
        const res = await fetch(url);
        if (!res.ok || !res.body) {
          await res.body?.cancel();
          return null;
        }
        return Readable.fromWeb(res.body as any);
      }`,
  },
  {
    name: "the body handed to fastify's reply.send() as a Node stream (Readable.fromWeb), which streams it to the client",
    code: `
      import { Readable } from 'node:stream';
      export async function label(reply: { code(n: number): { send(b?: unknown): unknown }; send(b: unknown): unknown }, url: string) {
        const res = await fetch(url);
        if (!res.ok || !res.body) {
          await res.text();
          return reply.code(502).send();
        }
        return reply.send(Readable.fromWeb(res.body as any));
      }`,
  },
  {
    name: "an upstream response wrapped in hapi's h.response() and resolved from the handler's promise (hapi streams it), drained on the error branch",
    code: PREVIEW("resolve(h.response(res).type('image/png'));"),
  },
  {
    name: 'a helper of a nock test called only with intercepted URLs',
    code: `
      const https = require('https');
      const nock = require('nock');
      function statusOf(url) {
        return new Promise((resolve, reject) => {
          https.get(url, (res) => resolve(res.statusCode)).on('error', reject);
        });
      }
      it('reports 503', async () => {
        nock('https://api.example.test').get('/health').reply(503);
        if ((await statusOf('https://api.example.test/health')) !== 503) throw new Error('status');
      });`,
    ext: '.js',
    file: 'test/status.test.js',
  },
  {
    name: 'an abort timer that is never cleared cancels the body',
    code: `
      export async function status(url: string) {
        const ac = new AbortController();
        setTimeout(() => ac.abort(), 2000);
        const res = await fetch(url, { signal: ac.signal });
        return res.status;
      }`,
  },
  {
    name: 'a test of its own server whose route answers with an empty reply.send()',
    code: `
      const { test } = require('node:test');
      test('headers', async () => {
        const app = require('fastify')();
        app.get('/headers', (req, reply) => {
          reply.header('x-foo', 'foo');
          reply.send();
        });
        const base = await app.listen({ port: 0 });
        await fetch(\`\${base}/headers\`);
        await app.close();
      });`,
    ext: '.js',
    file: 'test/headers.test.js',
  },
  {
    name: "a helper that reads the body on every path but a HEAD request's (a HEAD response has no body)",
    code: `
      const handle = async function (response, req, resolve, reject) {
        if (response.status < 400) {
          if (req.method === 'head') { resolve(Object.fromEntries(response.headers)); return; }
          resolve(await response.text());
          return;
        }
        let body;
        try { body = await response.json(); } catch { body = {}; }
        reject(Object.assign(new Error('HTTP ' + response.status), body));
      };
      function call(url, req) {
        return new Promise((resolve, reject) => {
          fetch(url, req).then((r) => { handle(r, req, resolve, reject); }).catch(reject);
        });
      }
      module.exports = { call };`,
    ext: '.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a fetch with signal: AbortSignal.timeout(ms) left unread on a 404: until the timer fires, a large body holds its connection',
    code: `
      export async function latestVersion(name: string) {
        const res = await fetch('https://registry.npmjs.org/' + name, { signal: AbortSignal.timeout(10_000) });
        if (res.status === 404) return null;
        return ((await res.json()) as { version: string }).version;
      }`,
    errors: [{ line: 2 }],
  },
  {
    name: "a test's http.get through an agent of its own with maxSockets, response never read: the next request waits for that socket",
    code: `
      const http = require('http');
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      it('answers 404', (done) => {
        http.get({ host: 'localhost', port: 3000, path: '/nope', agent }, (res) => {
          if (res.statusCode !== 404) return done(new Error('status'));
          done();
        });
      });`,
    ext: '.js',
    file: 'test/routes.test.js',
    errors: [{ line: 4 }],
  },
  {
    name: "the only 'response' listener of a request made here ignores the response",
    code: `
      import * as http from 'http';
      export function ping(url: string, done: () => void) {
        const req = http.get(url);
        req.on('response', () => done());
      }`,
    errors: [{ line: 3, message: /dropped without consuming/ }],
  },
  {
    name: 'an abort timer cleared once the response is in: nothing cancels the body',
    code: `
      export async function status(url: string) {
        const ac = new AbortController();
        const timer = setTimeout(() => ac.abort(), 2000);
        try {
          const res = await fetch(url, { signal: ac.signal });
          return res.status;
        } finally {
          clearTimeout(timer);
        }
      }`,
    errors: [{ line: 5 }],
  },
  {
    name: 'fetch injected through the constructor, bound to globalThis, body left on 404',
    code: `
      type FetchLike = (input: string) => Promise<Response>;
      export class Flags {
        private readonly fetchImpl: FetchLike;
        constructor(opts: { fetch?: FetchLike }) {
          this.fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
        }
        async enabled(url: string) {
          const res = await this.fetchImpl(url);
          if (res.status === 404) return false;
          return ((await res.json()) as { on: boolean }).on;
        }
      }`,
    errors: [{ line: 8 }],
  },
  {
    name: 'a test of its own server whose route answers with a payload, body never read',
    code: `
      const { test } = require('node:test');
      test('headers', async () => {
        const app = require('fastify')();
        app.get('/headers', (req, reply) => {
          reply.send({ big: 'x'.repeat(1e6) });
        });
        const base = await app.listen({ port: 0 });
        const res = await fetch(\`\${base}/headers\`);
        if (res.status !== 200) throw new Error('status');
        await app.close();
      });`,
    ext: '.js',
    file: 'test/headers.test.js',
    errors: [{ line: 8 }],
  },
  {
    name: 'an abort timer cleared in a finally once the response is in, the response kept in a let assigned in the try: left unread on an error status',
    code: `
      export async function fallbackQuery(url: string, timeoutMs: number): Promise<Buffer> {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), timeoutMs);
        let res: Response;
        try {
          res = await fetch(url, { headers: { accept: 'application/dns-message' }, signal: controller.signal });
        } finally {
          clearTimeout(timer);
        }
        if (!res.ok) throw new Error('fallback resolver returned ' + res.status);
        return Buffer.from(await res.arrayBuffer());
      }`,
    errors: [{ line: 6 }],
  },
  {
    name: 'handed to an async helper that reads it on some paths: a cancel after the call is for review (the helper has locked the body)',
    code: `
      async function handle(response, resolve) {
        if (response.status === 500) { resolve(null); return; }
        resolve(await response.text());
      }
      function call(url) {
        return new Promise((resolve, reject) => {
          fetch(url).then((r) => { handle(r, resolve); }).catch(reject);
        });
      }
      module.exports = { call };`,
    ext: '.js',
    errors: [{ line: 7 }],
    fixes: ['review: Consume or cancel `r` before the leaking exit (review: a function it was handed to may still use it)'],
  },
  {
    name: 'the body wrapped in a Node stream (Readable.fromWeb) that is never read',
    code: `
      import { Readable } from 'node:stream';
      export async function queued(url: string): Promise<number> {
        const res = await fetch(url);
        if (!res.ok || !res.body) {
          await res.text();
          return 0;
        }
        const stream = Readable.fromWeb(res.body as any);
        return stream.readableLength;
      }`,
    errors: [{ line: 3, message: /not consumed or cancelled when the `return` on line 9 is taken/ }],
  },
  {
    name: "the same upstream response only logged before the handler's promise resolves with its status: nothing reads it",
    code: PREVIEW(`log.info(res.headers);
            resolve(res.statusCode);`),
    errors: [{ line: 4, message: /not consumed or cancelled/ }],
  },
];

/** An SDK's transport whose `raw(method, path)` returns node-fetch's response; the photo API asks it with `method`. */
const PHOTOS = (method: string) => `
      import fetch, { Response } from 'node-fetch';
      class Transport {
        async raw(method: string, path: string): Promise<Response> {
          return fetch('https://api.tidepool.example' + path, { method });
        }
      }
      export class Photos {
        constructor(private readonly transport: Transport) {}
        async exists(id: string): Promise<boolean> {
          const res = await this.transport.raw('${method}', '/v2/photos/' + id);
          return res.ok;
        }
      }`;

valid.push({ name: "a transport helper given the method 'HEAD' as an argument: its response has no body", code: PHOTOS('HEAD') });
invalid.push({
  name: "the same helper asked for a GET, whose body the method never reads",
  code: PHOTOS('GET'),
  errors: [{ line: 10, message: /never consumed or cancelled/ }],
});
