import { RuleTester } from '../helpers/rule-tester';
import * as recall from './cases/unconsumed-response.recall';
import * as statusTests from './cases/unconsumed-response.status-tests';
import * as guardedDiscards from './cases/unconsumed-response.guarded-discards';
import * as consequences from './cases/unconsumed-response.consequences';
import * as browser from './cases/unconsumed-response.browser';
import * as handoffs from './cases/unconsumed-response.handoffs';
import * as helpers from './cases/unconsumed-response.helpers';
import * as callbacks from './cases/unconsumed-response.callbacks';
import * as races from './cases/unconsumed-response.races';
import * as injected from './cases/unconsumed-response.injected-fetch';
import * as typedOptions from './cases/unconsumed-response.typed-options';
import * as privateFields from './cases/unconsumed-response.private-fields';
import * as sdkClients from './cases/unconsumed-response.sdk-clients';
import * as promised from './cases/unconsumed-response.promised';
import * as localScripts from './cases/unconsumed-response.local-scripts';
import * as nodeStreamBodies from './cases/unconsumed-response.node-stream-bodies';
import * as throwingHelpers from './cases/unconsumed-response.throwing-helpers';
import * as streamReaders from './cases/unconsumed-response.stream-readers';
import * as caughtRethrows from './cases/unconsumed-response.caught-rethrows';
import * as s3Objects from './cases/unconsumed-response.s3-objects';
import * as rejectedStreams from './cases/unconsumed-response.rejected-streams';
import * as droppedHelpers from './cases/unconsumed-response.dropped-helpers';
import * as factoryWrappers from './cases/unconsumed-response.factory-wrappers';
import * as clickhouseResults from './cases/unconsumed-response.clickhouse-results';
import * as http2Streams from './cases/unconsumed-response.http2-streams';
import * as lookAlikes from './cases/unconsumed-response.look-alikes';

new RuleTester().run('unconsumed-response', {
  valid: [
    ...statusTests.valid,
    ...guardedDiscards.valid,
    ...clickhouseResults.valid,
    ...http2Streams.valid,
    ...factoryWrappers.valid,
    ...s3Objects.valid,
    ...rejectedStreams.valid,
    ...caughtRethrows.valid,
    ...localScripts.valid,
    ...streamReaders.valid,
    ...throwingHelpers.valid,
    ...handoffs.valid,
    ...helpers.valid,
    ...callbacks.valid,
    ...recall.valid,
    ...consequences.valid,
    ...browser.valid,
    ...races.valid,
    ...injected.valid,
    ...typedOptions.valid,
    ...privateFields.valid,
    ...sdkClients.valid,
    ...lookAlikes.valid,
    {
      name: 'fetch body read with json()',
      code: `
        export async function get(url: string) {
          const res = await fetch(url);
          return res.json();
        }`,
    },
    {
      name: 'cancelled before the throw',
      code: `
        export async function get(url: string) {
          const res = await fetch(url);
          if (!res.ok) {
            await res.body?.cancel();
            throw new Error(String(res.status));
          }
          return await res.text();
        }`,
    },
    {
      name: 'HEAD request has no body',
      code: `
        export async function exists(url: string) {
          const res = await fetch(url, { method: 'HEAD' });
          return res.ok;
        }`,
    },
    {
      name: 'response returned to the caller',
      code: `
        export async function raw(url: string) {
          const res = await fetch(url);
          if (res.status === 404) {
            await res.body?.cancel();
            return null;
          }
          return res;
        }`,
    },
    {
      name: 'read in a then() chain',
      code: `
        export function get(url: string) {
          return fetch(url).then((r) => r.json());
        }`,
    },
    {
      name: 'body consumed with for await',
      code: `
        export async function size(url: string) {
          const res = await fetch(url);
          let n = 0;
          for await (const chunk of res.body!) n += chunk.length;
          return n;
        }`,
    },
    {
      name: 'body piped with pipeline',
      code: `
        import { pipeline } from 'stream/promises';
        import { Readable } from 'stream';
        import * as fs from 'fs';
        export async function download(url: string, to: string) {
          const res = await fetch(url);
          await pipeline(Readable.fromWeb(res.body as any), fs.createWriteStream(to));
        }`,
    },
    {
      name: 'undici request body consumed',
      code: `
        import { request } from 'undici';
        export async function get(url: string) {
          const { statusCode, body } = await request(url);
          const text = await body.text();
          return { statusCode, text };
        }`,
    },
    {
      name: 'undici request body dumped on error',
      code: `
        import { request } from 'undici';
        export async function get(url: string) {
          const { statusCode, body } = await request(url);
          if (statusCode >= 400) {
            await body.dump();
            throw new Error('failed');
          }
          return body.json();
        }`,
    },
    {
      name: 'http.get response resumed on error and read otherwise',
      code: `
        const http = require('http');
        function get(url, cb) {
          http.get(url, (res) => {
            if (res.statusCode !== 200) {
              res.resume();
              cb(new Error('status ' + res.statusCode));
              return;
            }
            let data = '';
            res.on('data', (c) => { data += c; });
            res.on('end', () => cb(null, data));
          });
        }`,
      ext: '.js',
    },
    {
      name: 'http.request response piped to a file',
      code: `
        import * as https from 'https';
        import * as fs from 'fs';
        export function save(url: string, to: string) {
          const req = https.request(url, (res) => {
            res.pipe(fs.createWriteStream(to));
          });
          req.end();
        }`,
    },
    {
      name: 'response resolved from a Promise',
      code: `
        import * as http from 'http';
        export function get(url: string): Promise<http.IncomingMessage> {
          return new Promise((resolve, reject) => {
            http.get(url, (res) => resolve(res)).on('error', reject);
          });
        }`,
    },
    {
      name: 'response handler registered with on("response") consumes',
      code: `
        import * as http from 'http';
        export function get(url: string) {
          const req = http.request(url);
          req.on('response', (res) => {
            res.setEncoding('utf8');
            res.on('data', console.log);
          });
          req.end();
        }`,
    },
    {
      name: 'passed to a consuming helper of the project',
      code: `
        async function readAll(r: Response) {
          return await r.text();
        }
        export async function get(url: string) {
          const res = await fetch(url);
          return readAll(res);
        }`,
    },
    {
      name: 'arrayBuffer consumed in both branches',
      code: `
        export async function bytes(url: string, asText: boolean) {
          const res = await fetch(url);
          if (asText) return res.text();
          return res.arrayBuffer();
        }`,
    },
    {
      name: 'a local fetch function is not the global fetch',
      code: `
        function fetch(u: string) { return { ok: true, u }; }
        export async function f() {
          const r = await fetch('x');
          return r.ok;
        }`,
    },
  ],
  invalid: [
    ...statusTests.invalid,
    ...guardedDiscards.invalid,
    ...clickhouseResults.invalid,
    ...http2Streams.invalid,
    ...factoryWrappers.invalid,
    ...s3Objects.invalid,
    ...rejectedStreams.invalid,
    ...droppedHelpers.invalid,
    ...caughtRethrows.invalid,
    ...localScripts.invalid,
    ...streamReaders.invalid,
    ...nodeStreamBodies.invalid,
    ...throwingHelpers.invalid,
    ...promised.invalid,
    ...handoffs.invalid,
    ...helpers.invalid,
    ...callbacks.invalid,
    ...recall.invalid,
    ...consequences.invalid,
    ...browser.invalid,
    ...races.invalid,
    ...injected.invalid,
    ...typedOptions.invalid,
    ...privateFields.invalid,
    ...sdkClients.invalid,
    ...lookAlikes.invalid,
    {
      name: 'if (!res.ok) throw without cancelling',
      code: `
        export async function get(url: string) {
          const res = await fetch(url);
          if (!res.ok) throw new Error(String(res.status));
          return res.json();
        }`,
      errors: [{ line: 2, messageId: 'somePaths' }],
      output: `
        export async function get(url: string) {
          const res = await fetch(url);
          if (!res.ok) { await res.body?.cancel(); throw new Error(String(res.status)); }
          return res.json();
        }`,
    },
    {
      name: 'early return on 404',
      code: `
        export async function find(url: string) {
          const res = await fetch(url);
          if (res.status === 404) {
            return null;
          }
          return await res.json();
        }`,
      errors: [{ line: 2 }],
      output: `
        export async function find(url: string) {
          const res = await fetch(url);
          if (res.status === 404) {
            await res.body?.cancel();
            return null;
          }
          return await res.json();
        }`,
    },
    {
      name: 'only the status is read',
      code: `
        export async function alive(url: string) {
          const res = await fetch(url);
          return res.status === 200;
        }`,
      errors: [{ line: 2, messageId: 'never' }],
    },
    {
      name: 'response discarded',
      code: `
        export async function notify(url: string) {
          await fetch(url, { method: 'POST', body: 'hi' });
        }`,
      errors: [{ line: 2, messageId: 'dropped' }],
      output: `
        export async function notify(url: string) {
          await (await fetch(url, { method: 'POST', body: 'hi' })).body?.cancel();
        }`,
    },
    {
      name: 'undici body destructured away',
      code: `
        import { request } from 'undici';
        export async function status(url: string) {
          const { statusCode } = await request(url);
          return statusCode;
        }`,
      errors: [{ line: 3, messageId: 'dropped' }],
    },
    {
      name: 'undici body not dumped on the error path',
      code: `
        import { request } from 'undici';
        export async function get(url: string) {
          const { statusCode, body } = await request(url);
          if (statusCode !== 200) throw new Error('bad');
          return body.json();
        }`,
      errors: [{ line: 3 }],
      output: `
        import { request } from 'undici';
        export async function get(url: string) {
          const { statusCode, body } = await request(url);
          if (statusCode !== 200) { await body.dump(); throw new Error('bad'); }
          return body.json();
        }`,
    },
    {
      name: 'http.get callback returns early without resume',
      code: `
        const https = require('https');
        function get(url, cb) {
          https.get(url, (res) => {
            if (res.statusCode !== 200) {
              cb(new Error('bad status'));
              return;
            }
            res.pipe(process.stdout);
          });
        }`,
      ext: '.js',
      errors: [{ line: 3 }],
      output: `
        const https = require('https');
        function get(url, cb) {
          https.get(url, (res) => {
            if (res.statusCode !== 200) {
              cb(new Error('bad status'));
              res.resume();
              return;
            }
            res.pipe(process.stdout);
          });
        }`,
    },
    {
      name: 'http.request response handler reads only headers',
      code: `
        import * as http from 'http';
        export function headers(url: string, cb: (h: http.IncomingHttpHeaders) => void) {
          const req = http.request(url, (res) => {
            cb(res.headers);
          });
          req.end();
        }`,
      errors: [{ line: 3, messageId: 'never' }],
    },
    {
      name: 'an await between fetch and reading can reject',
      code: `
        export async function get(url: string, log: (s: string) => Promise<void>) {
          const res = await fetch(url);
          await log('got ' + res.status);
          return res.json();
        }`,
      errors: [{ line: 2 }],
    },
    {
      name: 'fetch in a loop, continue skips the body',
      code: `
        export async function firstOk(urls: string[]) {
          for (const u of urls) {
            const res = await fetch(u);
            if (!res.ok) continue;
            return res.json();
          }
        }`,
      errors: [{ line: 3 }],
      output: `
        export async function firstOk(urls: string[]) {
          for (const u of urls) {
            const res = await fetch(u);
            if (!res.ok) { await res.body?.cancel(); continue; }
            return res.json();
          }
        }`,
    },
    {
      name: 'node-fetch default import',
      code: `
        import fetch from 'node-fetch';
        export async function ok(url: string) {
          const r = await fetch(url);
          if (r.status >= 500) return false;
          await r.text();
          return true;
        }`,
      errors: [{ line: 3 }],
    },
    {
      name: 'then callback drops the body',
      code: `
        export function status(url: string) {
          return fetch(url).then((r) => r.status);
        }`,
      errors: [{ line: 2 }],
    },
    {
      name: 'on("response") handler without consuming',
      code: `
        import * as http from 'http';
        export function ping(url: string) {
          const req = http.get(url);
          req.on('response', (res) => {
            console.log(res.statusCode);
          });
        }`,
      errors: [{ line: 3 }],
    },
    {
      name: 'switch on status forgets one case',
      code: `
        export async function load(url: string) {
          const res = await fetch(url);
          switch (res.status) {
            case 200:
              return res.json();
            case 204:
              return null;
            default:
              await res.body?.cancel();
              throw new Error('unexpected');
          }
        }`,
      errors: [{ line: 2 }],
    },
    {
      name: 'a helper that reads only on success does not count',
      code: `
        async function maybeRead(r: Response) {
          if (r.ok) return r.text();
          return '';
        }
        export async function get(url: string) {
          const res = await fetch(url);
          return maybeRead(res);
        }`,
      errors: [{ line: 6 }],
    },
    {
      name: 'globalThis-free fetch in a JavaScript module with try/catch that swallows',
      code: `
        async function check(url) {
          try {
            const res = await fetch(url);
            if (res.status !== 200) return false;
            return (await res.json()).ok;
          } catch {
            return false;
          }
        }
        module.exports = { check };`,
      ext: '.js',
      errors: [{ line: 3 }],
    },
  ],
});
