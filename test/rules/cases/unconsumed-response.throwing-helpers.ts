// unconsumed-response: a helper awaited after the request that throws only once it has read the body
// (`throwOnErrorResponse(response)`: `const text = await response.text(); throw new HttpError(text)`)
// leaves nothing unread when it rejects; one that throws before reading does. Koa's `ctx.throw(404)` throws too.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const TRANSPORT = (helperBody: string) => `
      class HttpError extends Error {
        constructor(readonly status: number, readonly body?: string) { super(String(status)); }
      }
      export class FetchTransport {
        async request(url: string): Promise<unknown> {
          const response = await fetch(url);
          await this.throwOnErrorResponse(response);
          return response.json();
        }
        private async throwOnErrorResponse(response: Response): Promise<void> {
          if (response.status >= 300) {
            ${helperBody}
          }
        }
      }`;

/** A Koa route that fetches a trace; `notFound` is what it does on a 404. */
const KOA_TRACE = (notFound: string) => `
      import Router from '@koa/router';
      export const router = new Router();
      router.get('/bags/:tag/trace', async (ctx) => {
        const res = await fetch('https://tracer.example/bags/' + encodeURIComponent(ctx.params.tag));
        if (res.status === 404) {
${notFound}
        }
        if (!res.ok) {
          await res.body?.cancel();
          ctx.throw(502, 'tracer answered ' + res.status);
        }
        ctx.body = await res.json();
      });`;

export const valid: ValidCase[] = [
  {
    name: "a Koa route that cancels the body before ctx.throw(404)",
    code: KOA_TRACE("          await res.body?.cancel();\n          ctx.throw(404, 'no trace for this tag');"),
  },
  {
    name: 'new URL(url) after fetch(url) succeeded: the URL already parsed, it cannot throw there',
    code: `
      import fs from 'node:fs';
      import path from 'node:path';
      import { Readable } from 'node:stream';
      import { pipeline } from 'node:stream/promises';
      export async function downloadSource(url, dir) {
        const res = await fetch(url, { headers: { accept: 'text/csv' } });
        if (!res.ok) {
          await res.body?.cancel();
          throw new Error('download failed: ' + res.status);
        }
        const dest = path.join(dir, path.basename(new URL(url).pathname));
        await pipeline(Readable.fromWeb(res.body), fs.createWriteStream(dest));
        return dest;
      }`,
  },
  {
    name: 'a method that reads the error body into a variable, then throws',
    code: TRANSPORT(`const text = await response.text();
            throw new HttpError(response.status, text);`),
  },
  {
    name: 'a method that reads the error body in a try, and throws in its catch or after it',
    code: TRANSPORT(`let text;
            try {
              text = await response.text();
            } catch (e) {
              throw new HttpError(response.status);
            }
            throw new HttpError(response.status, text);`),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a Koa route whose ctx.throw(404) leaves the body unread (ctx.throw throws)",
    code: KOA_TRACE("          ctx.throw(404, 'no trace for this tag');"),
    errors: [{ line: 4, message: /when the function called on line 6 throws/ }],
  },
  {
    name: 'a JSON header of the response parsed before its body is read: malformed JSON throws with the body unread',
    code: `
      export async function fetchPage(url: string) {
        const res = await fetch(url);
        const paging = JSON.parse(res.headers.get('x-pagination') ?? '{}');
        try {
          return { items: await res.json(), paging };
        } catch (e) {
          await res.body?.cancel();
          throw e;
        }
      }`,
    errors: [{ line: 2, message: /when the function called on line 3 throws/ }],
  },
  {
    name: 'a method that throws on one status before reading the body',
    code: TRANSPORT(`if (response.status === 429) throw new HttpError(429);
            const text = await response.text();
            throw new HttpError(response.status, text);`),
    errors: [{ line: 6, message: /if the `await` on line 7 rejects/ }],
  },
];
