// connection-churn: an agent handed out by an instance method of a class (`private dispatcher()`, `#nextDispatcher()`)
// and given to one request of each call of the class's methods (`fetch(u, { dispatcher: this.dispatcher() })`): a new
// pool, and a new CONNECT tunnel to the proxy, per request; beside a method that keeps the one it makes, and one whose
// agent feeds the request of a closure a retry helper runs again and again (one agent for all of them).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An SDK resource class whose `dispatcher()` body is `body`; `get()` gives its result to one fetch. */
const DESIGNERS = (body: string) => `
      import { fetch, ProxyAgent, type Dispatcher } from 'undici';
      export class Designers {
        #agent: Dispatcher | undefined;
        constructor(private readonly options: { baseUrl: string; proxyUrl?: string }) {}
        private dispatcher(): Dispatcher | undefined {
          ${body}
        }
        async get(id: string): Promise<unknown> {
          const res = await fetch(new URL('/v1/designers/' + encodeURIComponent(id), this.options.baseUrl), { dispatcher: this.dispatcher() });
          if (!res.ok) throw new Error('HTTP ' + res.status + ': ' + (await res.text()));
          return res.json();
        }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a ProxyAgent made by a class's dispatcher() for each fetch of its methods",
    code: DESIGNERS('return this.options.proxyUrl ? new ProxyAgent(this.options.proxyUrl) : undefined;'),
    errors: [{ line: 6, message: /^A new `undici.ProxyAgent` is created on every call of `dispatcher` and used for a single request/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same dispatcher() keeping the ProxyAgent it makes in a private field: one per instance',
    code: DESIGNERS('if (!this.options.proxyUrl) return undefined;\n          return (this.#agent ??= new ProxyAgent(this.options.proxyUrl));'),
  },
  {
    name: 'an agent a method makes once per wait and gives to the request of a closure a retry helper runs again and again',
    code: `
      import { Agent, request } from 'undici';
      import { retryUntil } from './retry';
      export class HttpWaitStrategy {
        constructor(private readonly insecure: boolean) {}
        private createInsecureAgent(): Agent | undefined {
          return this.insecure ? new Agent({ connect: { rejectUnauthorized: false } }) : undefined;
        }
        async waitUntilReady(url: string): Promise<void> {
          const agent = this.createInsecureAgent();
          try {
            await retryUntil(async () => {
              const { statusCode, body } = await request(url, { dispatcher: agent });
              await body.dump();
              return statusCode === 200;
            });
          } finally {
            await agent?.close();
          }
        }
      }`,
    files: { 'retry.ts': 'export async function retryUntil(fn: () => Promise<boolean>): Promise<void> {\n  while (!(await fn())) await new Promise((r) => setTimeout(r, 100));\n}\n' },
  },
];
