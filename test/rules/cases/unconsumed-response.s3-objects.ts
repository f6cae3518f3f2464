// unconsumed-response: an S3 object of the AWS SDK v3 (`s3.send(new GetObjectCommand(…))`) whose
// `Body`, the response stream itself, is never read: it holds one of the client's 50 sockets. And the
// stream of an axios instance made with `responseType: 'stream'`, the instance's default for each call. An
// object without `Body` has nothing to read (`if (!res.Body) return`), nor has a HEAD response tested through
// a `const` (`const isHead = method === 'HEAD'`). A minio object stream (`getObject()` resolves to the response
// itself) whose first bytes a helper reads (`stream.read(5)`: the rest stays unread) before a throw.
// An aws4fetch `AwsClient.fetch()` Response left unread on a 404.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const S3 = `import { S3Client, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
      const s3 = new S3Client({ region: 'eu-west-1' });`;

export const valid: ValidCase[] = [
  {
    name: 'an S3 lock object whose missing Body returns early: there is nothing to read on that branch',
    code: `
      ${S3}
      export async function lockHolder(bucket: string, key: string): Promise<string | false> {
        const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!response.Body) return false;
        const text = await response.Body.transformToString();
        return JSON.parse(text).owner as string;
      }`,
  },
  {
    name: "a HEAD request tested through a const before the body is read",
    code: `
      export async function call(url: string, method: string): Promise<unknown> {
        const isHead = method.toUpperCase() === 'HEAD';
        const res = await fetch(url, { method });
        if (!res.ok) {
          const text = await res.text();
          throw new Error(text);
        }
        if (isHead) return undefined;
        return res.json();
      }`,
  },
  {
    name: "a call of a streaming axios instance that asks for JSON itself: axios reads that body",
    ext: '.js',
    code: `
      const axios = require('axios');
      const remote = axios.create({ timeout: 8000, responseType: 'stream' });
      async function meta(url) {
        const response = await remote.get(url, { responseType: 'json' });
        if (response.status !== 200) throw new Error('no metadata');
        return response.data;
      }
      module.exports = { meta };`,
  },
  {
    name: 'an S3 object read with the SDK\'s transformToString()',
    code: `
      ${S3}
      export async function readText(bucket: string, key: string): Promise<string> {
        const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return Body ? Body.transformToString() : '';
      }`,
  },
  {
    name: 'an S3 object piped to a file, its command built first',
    code: `
      import { createWriteStream } from 'node:fs';
      import { pipeline } from 'node:stream/promises';
      import type { Readable } from 'node:stream';
      ${S3}
      export async function download(bucket: string, key: string, to: string): Promise<void> {
        const command = new GetObjectCommand({ Bucket: bucket, Key: key });
        const res = await s3.send(command);
        await pipeline(res.Body as Readable, createWriteStream(to));
      }`,
  },
  {
    name: 'the object\'s stream returned to the caller, and a HeadObject whose response has no body',
    code: `
      ${S3}
      export async function open(bucket: string, key: string) {
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return out.Body;
      }
      export async function size(bucket: string, key: string) {
        const res = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return res.ContentLength ?? 0;
      }`,
  },
];

const MINIO = (check: string) => `
      import { once } from 'node:events';
      import type { Readable } from 'node:stream';
      import { Client } from 'minio';
      const minio = new Client({ endPoint: 'minio.internal', accessKey: 'a', secretKey: 'b' });
      async function readHead(stream: Readable, size: number): Promise<Buffer> {
        for (;;) {
          const chunk = stream.read(size) as Buffer | null;
          if (chunk) return chunk;
          await once(stream, 'readable');
        }
      }
      export async function loadPdf(key: string): Promise<Buffer> {
        const stream = await minio.getObject('envelopes', key);
        const head = await readHead(stream, 5);
        ${check}
        const chunks: Buffer[] = [head];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      }`;

valid.push({
  name: "a minio object stream whose head a helper reads, destroyed in a finally on every path",
  code: MINIO(`if (head.toString('latin1') !== '%PDF-') throw new Error('not a PDF');`)
    .replace('const head = await readHead(stream, 5);', 'try {\n        const head = await readHead(stream, 5);')
    .replace('return Buffer.concat(chunks);', 'return Buffer.concat(chunks);\n        } finally {\n          stream.destroy();\n        }'),
});

export const invalid: InvalidCase[] = [
  {
    name: "a minio object stream whose head a helper reads (a sized read leaves the rest), left unread by the throw for a file that is no PDF",
    code: MINIO(`if (head.toString('latin1') !== '%PDF-') throw new Error('not a PDF');`),
    errors: [{ line: 13, message: /The body of the response from `minio.Client.getObject` is not consumed or cancelled when the `throw` on line 15 runs/ }],
  },
  {
    name: "an axios instance made with responseType 'stream': a call's stream left unread before a throw",
    ext: '.js',
    code: `
      const axios = require('axios');
      const remote = axios.create({ timeout: 8000, responseType: 'stream', validateStatus: (s) => s === 200 });
      async function streamRemoteImage(url) {
        const response = await remote.get(url);
        const type = String(response.headers['content-type'] || '');
        if (!type.startsWith('image/')) {
          throw new Error('unsupported content-type ' + type);
        }
        return { type, stream: response.data };
      }
      module.exports = { streamRemoteImage };`,
    errors: [{ line: 4, message: /when the `throw` on line 7 runs/ }],
  },
  {
    name: 'GetObject used to test that an object exists: the body is dropped, its socket held',
    code: `
      ${S3}
      export async function exists(bucket: string, key: string): Promise<boolean> {
        try {
          await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          return true;
        } catch {
          return false;
        }
      }`,
    errors: [{ line: 5, message: /S3Client\.send\(GetObjectCommand\)` is dropped .*50 sockets/ }],
    output: `
      ${S3}
      export async function exists(bucket: string, key: string): Promise<boolean> {
        try {
          await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToWebStream().cancel();
          return true;
        } catch {
          return false;
        }
      }`,
  },
  {
    name: 'only the metadata of an S3 object read, and a throw before its body on a wrong content type',
    code: `
      ${S3}
      export async function readJson(bucket: string, key: string): Promise<unknown> {
        const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (res.ContentType !== 'application/json') throw new Error('not json: ' + key);
        return JSON.parse(await res.Body!.transformToString());
      }
      export async function sizeOf(bucket: string, key: string): Promise<number> {
        const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return res.ContentLength ?? 0;
      }`,
    errors: [{ line: 4, message: /when the `throw` on line 5 runs/ }, { line: 9, message: /never consumed or cancelled/ }],
    output: `
      ${S3}
      export async function readJson(bucket: string, key: string): Promise<unknown> {
        const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (res.ContentType !== 'application/json') { await res.Body?.transformToWebStream().cancel(); throw new Error('not json: ' + key); }
        return JSON.parse(await res.Body!.transformToString());
      }
      export async function sizeOf(bucket: string, key: string): Promise<number> {
        const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return res.ContentLength ?? 0;
      }`,
  },
];

/** An S3-compatible store on aws4fetch: `aws.fetch()` resolves to a fetch Response; `onMissing` is the 404 branch. */
const AWS4FETCH_GET = (onMissing: string) => `
      import { AwsClient } from 'aws4fetch';
      const aws = new AwsClient({ accessKeyId: process.env.S3_KEY!, secretAccessKey: process.env.S3_SECRET!, service: 's3', retries: 0 });
      export async function getObject(url: string): Promise<ReadableStream<Uint8Array> | null> {
        const res = await aws.fetch(url);
        if (res.status === 404) {
          ${onMissing}
          return null;
        }
        if (!res.ok || !res.body) throw new Error('S3 answered ' + res.status + ': ' + (await res.text()));
        return res.body;
      }`;

invalid.push({
  name: "an aws4fetch object request whose 404 returns null without reading or cancelling the NoSuchKey body",
  code: AWS4FETCH_GET(''),
  errors: [{ line: 4, message: /^The body of the response from `aws4fetch.AwsClient.fetch` is not consumed or cancelled when the `return` on line 7 is taken/ }],
});
valid.push({
  name: 'the same 404 cancelling the body first',
  code: AWS4FETCH_GET('await res.body?.cancel();'),
});
