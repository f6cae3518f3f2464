// unconsumed-response: a fetch the caller hands in through options (`new Client({ fetch })`), the way
// SDKs that run on several runtimes take theirs. Only a call shaped like a request counts: a URL first,
// or request settings second. Also a fetch taken as a parameter whose default is the global one
// (`fetchImpl: FetchImplementation = fetch`), in a module that asks where it runs (`typeof navigator`): it
// runs in Node too.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const transport = (send: string) => `
      interface Options { fetch: (url: string, init?: object) => Promise<any>; endpoint: string }
      export class HttpTransport {
        constructor(private options: Options) {}
${send}
      }`;

/** A key-set loader whose fetch is a parameter defaulting to the global one; `more` is added at the top of the module. */
function keySetLoader(more: string): string {
  return `
      ${more}
      export type FetchImplementation = (url: string, options: { method: 'GET'; signal: AbortSignal; redirect: 'manual' }) => Promise<Response>;
      export async function fetchKeys(url: string, signal: AbortSignal, fetchImpl: FetchImplementation = fetch) {
        const response = await fetchImpl(url, { method: 'GET', signal, redirect: 'manual' });
        if (response.status !== 200) throw new Error('Expected 200 OK from the key set');
        return response.json();
      }`;
}

export const invalid: InvalidCase[] = [
  {
    name: 'a fetch parameter that defaults to the global fetch, its non-200 answer thrown away unread',
    code: keySetLoader(''),
    errors: [{ line: 4, message: /^The body of the response from `fetch` is not consumed or cancelled when the `throw` on line 5 runs/ }],
  },
  {
    name: "the same loader in a module that asks whether it runs in a browser (`typeof navigator`): it runs in Node too",
    code: keySetLoader("const USER_AGENT = typeof navigator === 'undefined' || !navigator.userAgent?.startsWith('Mozilla/5.0 ') ? 'keys/1.0' : undefined;"),
    errors: [{ line: 4 }],
  },
  {
    name: 'a fire-and-forget POST through the fetch of the options, held in a local',
    code: transport(`
        send(batch: unknown[]) {
          const fetchFunc = this.options.fetch;
          const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) };
          fetchFunc(this.options.endpoint, init);
        }`),
    errors: [{ line: 8, messageId: 'dropped' }],
  },
  {
    name: "a parameter named self is the file's own, not the page's global: no sign of browser code",
    code: transport(`
        static ping(self: HttpTransport) {
          const fetchFunc = self.options.fetch;
          fetchFunc(self.options.endpoint, { method: 'POST', body: '{}' });
        }`),
    errors: [{ line: 7, messageId: 'dropped' }],
  },
  {
    name: 'an injected fetch whose response is read only on success',
    code: `
      export async function report(opts, url, payload) {
        const res = await opts.fetch(url, { method: 'PUT', body: JSON.stringify(payload) });
        if (!res.ok) throw new Error('report failed: ' + res.status);
        return res.json();
      }`,
    ext: '.js',
    errors: [{ line: 2, messageId: 'somePaths', message: /`throw` on line 3/ }],
  },
  {
    name: "a fetcher the caller may hand in (`options.fetcher ?? fetch`): the fix reads the body with text() and is for review, the response type being the caller's",
    code: `
      type Fetcher = (url: string, init?: { method?: string; body?: string }) => Promise<{ ok: boolean; status: number; text(): Promise<string>; json(): Promise<any> }>;
      export class SchemaReporter {
        private readonly fetcher: Fetcher;
        constructor(private readonly endpointUrl: string, options: { fetcher?: Fetcher } = {}) {
          this.fetcher = options.fetcher ?? fetch;
        }
        async report(schema: string) {
          const httpResponse = await this.fetcher(this.endpointUrl, { method: 'POST', body: schema });
          if (!httpResponse.ok) throw new Error('report failed: ' + httpResponse.status);
          return httpResponse.json();
        }
      }`,
    errors: [{ line: 8 }],
    fixes: ["review: Consume or cancel `httpResponse` before the leaking exit (review: the fetch was handed in, and its response type is the caller's)"],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'an injected fetch whose body is read on every path',
    code: transport(`
        async send(batch: unknown[]) {
          const res = await this.options.fetch(this.options.endpoint, { method: 'POST', body: JSON.stringify(batch) });
          const text = await res.text();
          if (!res.ok) throw new Error(text);
          return text;
        }`),
  },
  {
    name: 'a cache loader named fetch in the options: its result is a value, not a response',
    code: `
      export class Memo<T> {
        private values = new Map<string, T>();
        constructor(private options: { fetch: (key: string) => Promise<T> }) {}
        async warm(key: string) {
          await this.options.fetch(key);
        }
      }`,
  },
  {
    name: 'a fetch method of a project object that is not an options object',
    code: `
      export async function refresh(repo: { fetch(url: string): Promise<unknown> }, url: string) {
        await repo.fetch(url);
      }`,
  },
];
