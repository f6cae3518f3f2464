// unconsumed-response: @hapi/wreck's `request()` resolves to the IncomingMessage, unread (its `get`/`post`
// read it themselves); library functions that read a stream to its end consume it: `Wreck.read(res)`,
// node's `stream/consumers`, raw-body, get-stream; and a project helper that reads it with chained listeners; a `let reader`
// set only by `res.body.getReader()` is truthy only once the body is taken; a helper that pipes what it is given,
// converted first when it is a web stream (`source instanceof ReadableStream ? Readable.fromWeb(source) : source`).
// A `const reader = res.body.getReader()` that reads one chunk, or loops until a count of its own, and then only
// `releaseLock()`s: the rest of the body stays unread (releasing a reader cancels nothing), unlike one read until `done`;
// so does a `for (;;)` read loop over a server-sent-event stream that returns on the event it waited for, uncancelled, and
// a helper's loop that stops on its own count with the reader never released or cancelled.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const CLIENT = `
      const Wreck = require('@hapi/wreck');
      const client = Wreck.defaults({ baseUrl: 'https://catalog.internal/', timeout: 2000 });`;

/** A file-type sniffer reading the first bytes through a reader; `onFinally` is its finally block. */
function sniffer(onFinally: string): string {
  return `
      export async function sniffType(url: string): Promise<number | null> {
        const res = await fetch(url, { headers: { range: 'bytes=0-15' } });
        let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
        try {
          if (!res.ok || !res.body) return null;
          reader = res.body.getReader();
          const { value } = await reader.read();
          return value ? value[0] : null;
        } finally {
${onFinally}
        }
      }`;
}

/** A camera check reading the first chunk of a snapshot through a reader; `read` reads, `after` follows the reads. */
const CAMERA = (read: string, after = 'reader.releaseLock();') => `
      export async function cameraReady(url: string): Promise<boolean> {
        const res = await fetch(url);
        if (!res.ok || !res.body) {
          await res.body?.cancel();
          return false;
        }
        const reader = res.body.pipeThrough(new TransformStream()).getReader();
        let first: Uint8Array | undefined;
${read}
        ${after}
        return first?.[0] === 0xff;
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a reader that reads the snapshot's first chunk and releases its lock: the rest of the body stays unread",
    code: CAMERA('        first = (await reader.read()).value;'),
    errors: [{ line: 2, message: /is not consumed or cancelled when the `return` on line 11 is taken/ }],
  },
  {
    name: 'a read loop that stops on a count of its own before the body ends, then releases the lock',
    code: CAMERA(`        let chunks = 0;
        while (chunks < 2) {
          const { value, done } = await reader.read();
          if (done) break;
          first ??= value;
          chunks++;
        }`),
    errors: [{ line: 2, message: /is not consumed or cancelled when the `return` on line 17 is taken/ }],
  },
  {
    name: 'the same sniffer whose finally cancels only a reader it took: the early return for a non-ok answer leaves the body unread',
    code: sniffer('          if (reader) await reader.cancel();'),
    errors: [{ line: 2, message: /when the `return` on line 5 is taken/ }],
  },
  {
    name: 'a Wreck.defaults() client request whose 404 returns before reading the response',
    code: `${CLIENT}
      exports.fetchProduct = async function (id) {
        const res = await client.request('GET', 'products/' + encodeURIComponent(id));
        if (res.statusCode === 404) {
          return null;
        }
        return Wreck.read(res, { json: 'force' });
      };`,
    ext: '.js',
    errors: [{ line: 4, message: /not consumed or cancelled when the `return` on line 6 is taken/ }],
    output: `${CLIENT}
      exports.fetchProduct = async function (id) {
        const res = await client.request('GET', 'products/' + encodeURIComponent(id));
        if (res.statusCode === 404) {
          res.resume();
          return null;
        }
        return Wreck.read(res, { json: 'force' });
      };`,
  },
  {
    name: 'Wreck.request() in a route handler that throws on a conflict without reading the response',
    code: `
      import Wreck from '@hapi/wreck';
      export async function reserve(items: string[]) {
        const res = await Wreck.request('POST', 'https://stock.internal/reservations', { payload: { items } });
        if (res.statusCode !== 201) throw new Error('conflict ' + res.statusCode);
        return Wreck.read(res, { json: 'force' });
      }`,
    errors: [{ line: 3 }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "the same reader read until `done` before it releases its lock",
    code: CAMERA(`        while (true) {
          const { value, done } = await reader.read();
          if (done) break;
          first ??= value;
        }`),
  },
  {
    name: 'the same first chunk, the reader cancelled after it',
    code: CAMERA('        first = (await reader.read()).value;', 'await reader.cancel();'),
  },
  {
    name: "an undici body handed to a helper that pipes it, through Readable.fromWeb when it is a web stream: either branch reads it",
    code: `
      import { Readable } from 'node:stream';
      import { pipeline } from 'node:stream/promises';
      import type { ServerResponse } from 'node:http';
      import { request } from 'undici';
      async function proxyAudio(source: unknown, res: ServerResponse) {
        const readable = source instanceof ReadableStream ? Readable.fromWeb(source as any) : (source as NodeJS.ReadableStream);
        res.writeHead(200, { 'content-type': 'audio/mpeg' });
        await pipeline(readable, res);
      }
      export async function relay(url: string, res: ServerResponse) {
        const { body } = await request(url);
        await proxyAudio(body, res);
      }`,
  },
  {
    name: "a sniffer whose finally cancels the reader when one was taken, else the body: `if (reader)` holds only once getReader() took the body",
    code: sniffer('          if (reader) await reader.cancel();\n          else await res.body?.cancel();'),
  },
  {
    name: "a project helper that reads the response with chained listeners, 'data' before the 'error' that rejects",
    code: `
      import * as https from 'node:https';
      import type * as http from 'node:http';
      import type * as stream from 'node:stream';
      function readAsBuffer(res: stream.Readable): Promise<Buffer> {
        return new Promise((resolve, reject) => {
          const chunks: Buffer[] = [];
          res
            .on('data', (c: Buffer) => chunks.push(c))
            .on('error', (e) => reject(e))
            .on('end', () => resolve(Buffer.concat(chunks)));
        });
      }
      function request(opts: https.RequestOptions): Promise<http.IncomingMessage> {
        return new Promise((resolve, reject) => {
          const req = https.request(opts, resolve);
          req.on('error', reject);
          req.end();
        });
      }
      export async function credentials(host: string): Promise<unknown> {
        const res = await request({ hostname: host, path: '/creds', method: 'POST' });
        const body = await readAsBuffer(res);
        return JSON.parse(body.toString());
      }`,
  },
  {
    name: 'a Wreck response read with Wreck.read() on the error path and piped to a file on the other',
    code: `${CLIENT}
      const { pipeline } = require('stream/promises');
      const fs = require('fs');
      exports.exportCatalog = async function (destination) {
        const res = await client.request('GET', 'catalog/export', { timeout: 0 });
        if (res.statusCode !== 200) {
          const body = await Wreck.read(res).catch(() => Buffer.alloc(0));
          throw new Error('export failed: ' + body.toString().slice(0, 200));
        }
        await pipeline(res, fs.createWriteStream(destination));
        return destination;
      };`,
    ext: '.js',
  },
  {
    name: "Wreck.get() reads the payload itself",
    code: `
      import Wreck from '@hapi/wreck';
      export async function stock(sku: string) {
        const { res, payload } = await Wreck.get('https://stock.internal/' + sku, { json: true });
        return res.statusCode === 200 ? payload : null;
      }`,
  },
  {
    name: "an http response read with node's stream/consumers text() on its error path",
    code: `
      import https from 'node:https';
      import { text } from 'node:stream/consumers';
      export function status(url: string): Promise<number> {
        return new Promise((resolve, reject) => {
          https.get(url, async (res) => {
            if (res.statusCode !== 200) {
              reject(new Error(await text(res)));
              return;
            }
            res.resume();
            resolve(res.statusCode);
          }).on('error', reject);
        });
      }`,
  },
];

/** Waits in a server-sent-event stream for an arrival; `onArrival` runs when it comes. */
const ARRIVAL = (onArrival: string) => `
      export async function waitForArrival(url: string, bookingId: string): Promise<Date | null> {
        const res = await fetch(url, { headers: { accept: 'text/event-stream' } });
        if (!res.ok || !res.body) {
          await res.body?.cancel();
          return null;
        }
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let arrived: Date | null = null;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return arrived;
          const event = JSON.parse(value.replace(/^data:/, ''));
          if (event.type === 'arrived' && event.bookingId === bookingId) {
            ${onArrival}
          }
        }
      }`;

invalid.push({
  name: 'a read loop over a server-sent-event stream that returns on the event it waited for, without cancelling the reader',
  code: ARRIVAL('return new Date(event.at);'),
  errors: [{ line: 2, message: /is not consumed or cancelled when the `return` on line 14 is taken/ }],
});

valid.push({
  name: 'the same loop that cancels the reader before it returns',
  code: ARRIVAL('await reader.cancel();\n            return new Date(event.at);'),
}, {
  name: 'the same loop that only notes the arrival and reads on until the stream ends',
  code: ARRIVAL('arrived = new Date(event.at);'),
});

/** A forecast reader: a helper reads the first `hours` NDJSON records through a reader it never releases; `after` follows its loop. */
const FORECAST = (after: string) => `
      async function readHours(stream, hours) {
        const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
        const out = [];
        while (out.length < hours) {
          const { value, done } = await reader.read();
          if (done) break;
          out.push(...value.split('\\n').filter(Boolean).map((l) => JSON.parse(l)));
        }
        ${after}
        return out;
      }
      export async function getSeaState(url, hours = 48) {
        const res = await fetch(url, { headers: { accept: 'application/x-ndjson' } });
        if (!res.ok || !res.body) {
          await res.body?.cancel();
          throw new Error('sea-state service answered ' + res.status);
        }
        return readHours(res.body, hours);
      }`;

invalid.push({
  name: "a helper's read loop that stops on a count of its own and never releases or cancels its reader: the rest of the forecast stays unread",
  code: FORECAST(''),
  ext: '.mjs',
  errors: [{ line: 13, message: /^The body of the response from `fetch` is not consumed or cancelled when the `return` on line 18 is taken/ }],
});
valid.push({
  name: 'the same helper cancelling its reader after the loop',
  code: FORECAST('await reader.cancel();'),
  ext: '.mjs',
});

/** A photo-link check reading one chunk through a reader it never releases; `after` follows the read. */
const PHOTO_SNIFF = (after: string) => `
      export async function looksLikePhoto(url: string): Promise<boolean> {
        const res = await fetch(url, { headers: { accept: 'image/*' } });
        if (!res.ok || !res.body) {
          await res.body?.cancel();
          return false;
        }
        const reader = res.body.getReader();
        const { value } = await reader.read();
        if (!value) return false;
        ${after}
        return value[0] === 0xff && value[1] === 0xd8;
      }`;

invalid.push({
  name: "a reader that reads a photo's first chunk and returns without cancelling: the rest of the photo stays unread (an empty read is its end)",
  code: PHOTO_SNIFF(''),
  errors: [{ line: 2, message: /is not consumed or cancelled when the `return` on line 11 is taken/ }],
});
valid.push({
  name: 'the same check cancelling its reader after the first chunk',
  code: PHOTO_SNIFF('await reader.cancel();'),
});
