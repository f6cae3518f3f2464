// unconsumed-response: a fetch the caller hands in through options (`new Client({ fetch })`), the way
// SDKs that run on several runtimes take theirs. Only a call shaped like a request counts: a URL first,
// or request settings second.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const transport = (send: string) => `
      interface Options { fetch: (url: string, init?: object) => Promise<any>; endpoint: string }
      export class HttpTransport {
        constructor(private options: Options) {}
${send}
      }`;

export const invalid: InvalidCase[] = [
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
