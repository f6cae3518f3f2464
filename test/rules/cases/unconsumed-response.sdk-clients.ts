// unconsumed-response: HTTP clients of SDKs whose response wraps Node's IncomingMessage. An
// @actions/http-client `HttpClient` resolves `get`/`post`/`sendStream`/… to a response whose `message`
// must be read (`readBody()`, or the message's own readers) before its socket goes back to the agent.
// @clickhouse/client's `exec()` resolves to `{ stream, query_id }`: the response stream, the caller's to read or destroy.
// A project transport class's method returning its Pool's response, called on a typed field (`private readonly transport:
// Transport`): its methods are followed as on `this`, the annotation naming the class.
// A got instance made with `got.extend(o)` is the module: its `stream()` is got's;
// so is a value of the type `Got` (a getter declared `tsp(): Got`, a typed field of another class: `client.gateway.stream(p)`).
// A method returning the body of a response it made (`return res.data`, `return body`) hands the caller that body; a field
// of a typed receiver (`client.invoices`, `readonly invoices: InvoicesResource`) is followed one step.
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

/** An SDK's transport class whose `raw()` hands its caller the undici response of its Pool (src/transport.ts). */
const TRANSPORT = `import { Pool, type Dispatcher } from 'undici';
export class Transport {
  readonly dispatcher: Dispatcher;
  constructor(private readonly opts: { baseUrl: string; dispatcher?: Dispatcher }) {
    this.dispatcher = opts.dispatcher ?? new Pool(new URL(opts.baseUrl).origin, { connections: 8 });
  }
  raw(options: Omit<Dispatcher.RequestOptions, 'origin'>): Promise<Dispatcher.ResponseData> {
    return this.dispatcher.request({ ...options, origin: new URL(this.opts.baseUrl).origin });
  }
}
`;

/** A resource class of the SDK given the transport as a typed parameter property; `onGone` is its 404 branch. */
const LISTINGS = (onGone: string) => `
      import type { Transport } from './transport';
      export class Listings {
        constructor(private readonly transport: Transport) {}
        async get(id: string): Promise<unknown> {
          const { statusCode, body } = await this.transport.raw({ method: 'GET', path: '/v1/listings/' + encodeURIComponent(id) });
          if (statusCode === 404) {
            ${onGone}
          }
          return await body.json();
        }
      }`;

invalid.push({
  name: "a resource class's `this.transport.raw()` (a typed field of the project's Transport class) returning null on a 404 with the body unread",
  code: LISTINGS('return null;'),
  files: { 'transport.ts': TRANSPORT },
  errors: [{ line: 5, message: /^The body of the response from `raw\(\)` is not consumed or cancelled when the `return` on line 7 is taken/ }],
});
valid.push({
  name: 'the same 404 branch dumping the body before it returns null',
  code: LISTINGS('await body.dump();\n            return null;'),
  files: { 'transport.ts': TRANSPORT },
});

/** A route streaming a PDF through a got instance the project extends (`got.extend(o)`) in another module; `onOther` is its non-PDF branch. */
const TICKET_PROXY = (onOther: string) => `
      import { pipeline } from 'node:stream/promises';
      import { http } from './client';
      export function ticket(req, res, next) {
        const upstream = http.stream('tickets/' + req.params.id);
        upstream.once('error', (err) => next(err));
        upstream.once('response', (response) => {
          if (!String(response.headers['content-type'] ?? '').startsWith('application/pdf')) {
            res.status(503).json({ error: 'try again shortly' });
            ${onOther}
          }
          pipeline(upstream, res).catch(() => {});
        });
      }`;

const GOT_CLIENT = "import got from 'got';\nexport const http = got.extend({ prefixUrl: 'https://renderer.internal', timeout: { response: 10000 } });\n";

invalid.push({
  name: "a got.extend() instance's stream whose 'response' listener answers 503 and returns without reading or destroying it",
  code: TICKET_PROXY('return;'),
  files: { 'client.ts': GOT_CLIENT },
  errors: [{ line: 4, message: /^The body of the response from `got.stream` is not consumed or cancelled when the `return` on line 9 is taken/ }],
});
valid.push({
  name: 'the same branch destroying the stream before it returns',
  code: TICKET_PROXY('upstream.destroy();\n            return;'),
  files: { 'client.ts': GOT_CLIENT },
});

/** A lazily made got instance behind a getter declared to return `Got`; `onWrongType` is the 'response' listener's branch for a non-PEM answer. */
const SIGNER_CHAIN = (onWrongType: string) => `
      import got, { type Got } from 'got';
      let instance: Got | undefined;
      function tsp(): Got {
        instance ??= got.extend({ prefixUrl: process.env.TSP_URL, timeout: { request: 15_000 } });
        return instance;
      }
      export function fetchSignerChain(url: string): Promise<string> {
        return new Promise((resolve, reject) => {
          const chunks: Buffer[] = [];
          const stream = tsp().stream(url, { prefixUrl: '' });
          stream.once('response', (res) => {
            if (!String(res.headers['content-type'] ?? '').includes('pem')) {
              ${onWrongType}
              reject(new Error('not a certificate chain'));
              return;
            }
            stream.on('data', (c: Buffer) => chunks.push(c));
            stream.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          });
          stream.once('error', reject);
        });
      }`;

invalid.push({
  name: "a stream of a got instance a getter declared `(): Got` returns, left unread when its 'response' listener rejects a wrong content type",
  code: SIGNER_CHAIN(''),
  errors: [{ line: 10, message: /^The body of the response from `got.stream` is not consumed or cancelled when the `return` on line 15 is taken/ }],
});
valid.push({
  name: 'the same listener destroying the stream before it rejects',
  code: SIGNER_CHAIN('stream.destroy();'),
});

/** An SDK whose invoices resource (a typed field of its client) returns the PDF stream of an axios instance its constructor is given. */
const INVOICES = `import type { Readable } from 'node:stream';
import type { AxiosInstance } from 'axios';
export class InvoicesResource {
  constructor(private readonly http: AxiosInstance) {}
  async downloadPdf(id: string): Promise<Readable> {
    const res = await this.http.get<Readable>('/invoices/' + encodeURIComponent(id) + '/pdf', { responseType: 'stream' });
    return res.data;
  }
}
`;
const BAKERY_CLIENT = `import axios from 'axios';
import { InvoicesResource } from './invoices';
export class BakeryClient {
  readonly invoices: InvoicesResource;
  constructor(baseURL: string) {
    this.invoices = new InvoicesResource(axios.create({ baseURL }));
  }
}
`;

/** A CLI downloading a month of invoices; `onSkip` runs for one already on disk. */
const FETCH_INVOICES = (onSkip: string) => `
      import { createWriteStream, existsSync } from 'node:fs';
      import { pipeline } from 'node:stream/promises';
      import { BakeryClient } from './client';
      export async function fetchAll(ids: string[], dir: string): Promise<void> {
        const client = new BakeryClient(process.env.BAKERY_URL ?? '');
        for (const id of ids) {
          const pdf = await client.invoices.downloadPdf(id);
          const file = dir + '/' + id + '.pdf';
          if (existsSync(file)) {
            ${onSkip}
            continue;
          }
          await pipeline(pdf, createWriteStream(file));
        }
      }`;

invalid.push({
  name: "a resource method returning an axios stream's `res.data`, called on the client's typed field, skipped without reading it",
  code: FETCH_INVOICES(''),
  files: { 'invoices.ts': INVOICES, 'client.ts': BAKERY_CLIENT },
  errors: [{ line: 7, message: /^The body of the response from `downloadPdf\(\)` is not consumed or cancelled before the next loop iteration/ }],
});
valid.push({
  name: 'the same skip destroying the stream first',
  code: FETCH_INVOICES('pdf.destroy();'),
  files: { 'invoices.ts': INVOICES, 'client.ts': BAKERY_CLIENT },
});

/** Helpers returning a response's body: undici's destructured `body`, and a fetch's `res.body`; `onStale` is the callers' early branch. */
const BODY_HELPERS = (onStale: string) => `
      import { request } from 'undici';
      async function exportBody(url: string) {
        const { body } = await request(url);
        return body;
      }
      async function feedBody(url: string) {
        const res = await fetch(url);
        return res.body;
      }
      export async function sizes(url: string, stale: boolean): Promise<number> {
        const a = await exportBody(url);
        const b = await feedBody(url);
        if (stale) {
          ${onStale}
          return 0;
        }
        return (await a.text()).length + (b ? (await new Response(b).text()).length : 0);
      }`;

invalid.push({
  name: "helpers returning undici's destructured `body` and a fetch's `res.body`, dropped unread on the callers' stale branch",
  code: BODY_HELPERS(''),
  errors: [
    { line: 11, message: /^The body of the response from `exportBody\(\)` is not consumed or cancelled when the `return` on line 15 is taken/ },
    { line: 12, message: /^The body of the response from `feedBody\(\)` is not consumed or cancelled when the `return` on line 15 is taken/ },
  ],
});
valid.push({
  name: "a helper's undici body ended on the caller's stale branch and read on the other",
  code: `
      import { request } from 'undici';
      async function exportBody(url: string) {
        const { body } = await request(url);
        return body;
      }
      export async function size(url: string, stale: boolean): Promise<number> {
        const a = await exportBody(url);
        if (stale) {
          a.destroy();
          return 0;
        }
        return (await a.text()).length;
      }`,
});

/** A catalogue download through the `Got` instance a client class keeps in a typed field; `onKnown` is the unchanged branch. */
const CATALOGUE = (onKnown: string) => `
      import { once } from 'node:events';
      import { createWriteStream } from 'node:fs';
      import { pipeline } from 'node:stream/promises';
      import type { AuctionClient } from './client';
      export async function syncCatalogue(client: AuctionClient, saleNo: number, dest: string, known?: string) {
        const download = client.gateway.stream('sales/' + saleNo + '/catalogue.csv');
        const [response] = (await once(download, 'response')) as [{ headers: Record<string, string> }];
        const revision = String(response.headers['x-catalogue-revision'] ?? '');
        if (known && revision === known) {
          ${onKnown}
        }
        await pipeline(download, createWriteStream(dest));
        return true;
      }`;

const AUCTION_CLIENT = "import got, { type Got } from 'got';\nexport class AuctionClient {\n  readonly gateway: Got = got.extend({ prefixUrl: 'http://gateway.local' });\n}\n";

invalid.push({
  name: "a stream of the `Got` instance a client keeps in a typed field, left unread when the caller already holds its revision",
  code: CATALOGUE('return false;'),
  files: { 'client.ts': AUCTION_CLIENT },
  errors: [{ line: 6, message: /^The body of the response from `got.stream` is not consumed or cancelled when the `return` on line 10 is taken/ }],
});
valid.push({
  name: 'the same unchanged branch destroying the download before it returns',
  code: CATALOGUE('download.destroy();\n          return false;'),
  files: { 'client.ts': AUCTION_CLIENT },
});
