// unconsumed-response: HTTP clients of SDKs whose response wraps Node's IncomingMessage. An
// @actions/http-client `HttpClient` resolves `get`/`post`/`sendStream`/… to a response whose `message`
// must be read (`readBody()`, or the message's own readers) before its socket goes back to the agent.
// @clickhouse/client's `exec()` resolves to `{ stream, query_id }`: the response stream, the caller's to read or destroy.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: "@clickhouse/client: exec() awaited for its side effect, its stream dropped",
    ext: '.js',
    files: { 'clickhouse.js': "import { createClient } from '@clickhouse/client';\nexport const ch = createClient({ url: process.env.CLICKHOUSE_URL });\n" },
    code: `
      import { ch } from './clickhouse.js';
      export async function rollupDay(day) {
        await ch.exec({ query: 'INSERT INTO daily SELECT * FROM events WHERE toDate(ts) = {day:Date}', query_params: { day } });
        return day;
      }`,
    errors: [{ line: 3, message: /dropped without consuming or cancelling its body/ }],
  },
  {
    name: '@actions/http-client: an error status thrown without reading the message',
    code: `
      import { HttpClient } from '@actions/http-client';
      export async function openDownload(url: string): Promise<NodeJS.ReadableStream> {
        const client = new HttpClient('setup-tool');
        const res = await client.get(url);
        if (res.message.statusCode !== 200) {
          throw new Error('download failed: ' + res.message.statusCode);
        }
        return res.message;
      }`,
    errors: [{ line: 4, message: /`throw` on line 6/ }],
  },
  {
    name: '@actions/http-client: the response to an uploaded chunk is never read',
    code: `
      import * as httpm from '@actions/http-client';
      export async function putChunk(client: httpm.HttpClient, url: string, body: NodeJS.ReadableStream): Promise<void> {
        const res = await client.sendStream('PATCH', url, body, {});
        if ((res.message.statusCode ?? 0) >= 300) throw new Error('chunk upload failed');
      }`,
    errors: [{ line: 3 }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "@clickhouse/client: exec()'s stream piped to its end, or destroyed",
    ext: '.js',
    files: { 'clickhouse.js': "import { createClient } from '@clickhouse/client';\nexport const ch = createClient({ url: process.env.CLICKHOUSE_URL });\n" },
    code: `
      import { pipeline } from 'node:stream/promises';
      import { createWriteStream } from 'node:fs';
      import { ch } from './clickhouse.js';
      export async function exportDay(day, file) {
        const { stream } = await ch.exec({ query: 'SELECT * FROM events FORMAT CSV' });
        await pipeline(stream, createWriteStream(file));
      }
      export async function touch() {
        const { stream } = await ch.exec({ query: 'SYSTEM FLUSH LOGS' });
        stream.destroy();
      }`,
  },
  {
    name: '@actions/http-client: readBody() on every path',
    code: `
      import { HttpClient } from '@actions/http-client';
      export async function latestVersion(url: string): Promise<string> {
        const client = new HttpClient('setup-tool');
        const res = await client.get(url);
        const body = await res.readBody();
        if (res.message.statusCode !== 200) throw new Error('lookup failed: ' + body);
        return body.trim();
      }`,
  },
  {
    name: '@actions/http-client: getJson() reads the body itself',
    code: `
      import { HttpClient } from '@actions/http-client';
      export async function release(url: string) {
        const client = new HttpClient('setup-tool');
        const res = await client.getJson<{ tag_name: string }>(url);
        return res.result?.tag_name;
      }`,
  },
];
