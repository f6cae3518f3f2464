// unconsumed-response: a request raced against a timer or another request (`Promise.race`, `Promise.any`).
// The race settles with the first promise; a response that arrives after it has nobody to read it.
// A request with a timeout signal of its own still holds an unread body until the signal fires; so does one
// whose caller's signal aborts it through a listener the function removes again before it returns.
// Options spread from literals (`...(dispatcher ? { dispatcher } : {})`) are seen into; a spread variable may carry a signal.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const timeoutHelper = `
      function timeout(ms: number): Promise<never> {
        return new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), ms));
      }`;

/** An SSE stream followed in a loop, its options built by a helper with a controller's signal; `onLeave` ends the `finally`. */
const SSE_LOOP = (onLeave: string) => `
      function withDispatcher(init: RequestInit, d?: unknown): RequestInit {
        return d ? ({ ...init, dispatcher: d } as RequestInit) : init;
      }
      export async function follow(url: string, onEvent: (chunk: Uint8Array) => void, signal: AbortSignal, d?: unknown) {
        while (!signal.aborted) {
          const ctrl = new AbortController();
          try {
            const res = await fetch(url, withDispatcher({ headers: { accept: 'text/event-stream' }, signal: ctrl.signal }, d));
            if (!res.ok || !res.body) continue;
            for await (const chunk of res.body) onEvent(chunk);
          } catch {
            if (signal.aborted) return;
          } finally {
            ${onLeave}
          }
        }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: 'a fetch with AbortSignal.timeout() that returns early on a non-200: the body holds its connection until the timer fires',
    code: `
      export async function readStatus<T>(url: string): Promise<T | null> {
        const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
        if (res.status !== 200) return null;
        return (await res.json()) as T;
      }`,
    errors: [{ line: 2, message: /`return` on line 3/ }],
  },
  {
    name: 'a fetch raced against a timer, its response read when it wins',
    code: `${timeoutHelper}
      export async function latest(model: string) {
        const res = await Promise.race([fetch('https://vendor.example/' + model), timeout(4000)]);
        if (!res.ok) {
          await res.body?.cancel();
          throw new Error('status ' + res.status);
        }
        return res.json();
      }`,
    errors: [{ line: 5, messageId: 'raced', message: /raced against another promise on line 5/ }],
    fixes: [],
  },
  {
    name: 'a fetch raced against a timer in a JavaScript module, returned as the race',
    code: `
      const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
      export function quickly(url) {
        return Promise.race([fetch(url, { headers: { accept: 'application/json' } }), sleep(500).then(() => null)]);
      }`,
    ext: '.js',
    errors: [{ line: 3, messageId: 'raced' }],
  },
  {
    name: 'two mirrors raced with Promise.any: the slower response is never read',
    code: `
      export async function fromAnyMirror(path: string) {
        const res = await Promise.any([fetch('https://a.example' + path), fetch('https://b.example' + path)]);
        return res.arrayBuffer();
      }`,
    errors: [{ line: 2, messageId: 'raced' }, { line: 2, messageId: 'raced' }],
  },
  {
    name: 'a stream read in a loop whose non-200 responses are skipped with their bodies (options built by a helper, a controller nobody aborts)',
    code: SSE_LOOP("console.debug('reconnecting');"),
    errors: [{ line: 8, message: /before the next loop iteration \(line 9\)/ }],
  },
  {
    name: 'a fetch raced against a deadline whose options spread a dispatcher picked by a conditional: no signal in them',
    code: `${timeoutHelper}
      export async function deliver(url: string, payload: string, dispatcher?: import('undici').Dispatcher) {
        try {
          const res = await Promise.race([
            fetch(url, { method: 'POST', body: payload, ...(dispatcher ? { dispatcher } : {}) } as RequestInit),
            timeout(3000),
          ]);
          await res.body?.cancel();
          return res.ok;
        } catch {
          return false;
        }
      }`,
    errors: [{ line: 7, messageId: 'raced' }],
  },
];

/** A classifier call aborted by a timer or by the caller's signal, both cleared in `finally`; `bad` is its non-2xx path. */
const CLASSIFY = (bad: string) => `
      export async function classifyText(text: string, { signal }: { signal?: AbortSignal } = {}) {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(new Error('timed out')), 4000);
        const onAbort = () => controller.abort(signal?.reason);
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          const res = await fetch('https://ml.internal/v1/classify', { method: 'POST', body: text, signal: controller.signal });
          if (!res.ok) {
            ${bad}
          }
          return (await res.json()) as { labels: string[] };
        } finally {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        }
      }`;

invalid.push({
  name: "a non-2xx answer thrown unread, the caller's abort listener removed in the finally (it can no longer cancel it)",
  code: CLASSIFY("throw new Error('classifier answered ' + res.status);"),
  errors: [{ line: 7, message: /The body of the response from `fetch` is not consumed or cancelled when the `throw` on line 9 runs/ }],
});

export const valid: ValidCase[] = [
  {
    name: "the same non-2xx answer cancelled before the throw",
    code: CLASSIFY("await res.body?.cancel();\n            throw new Error('classifier answered ' + res.status);"),
  },
  {
    name: 'a fetch with an abort signal raced against a timer: the signal cancels a late body',
    code: `${timeoutHelper}
      export async function latest(model: string) {
        const ac = new AbortController();
        const res = await Promise.race([fetch('https://vendor.example/' + model, { signal: ac.signal }), timeout(4000)]).finally(() => ac.abort());
        return res.json();
      }`,
  },
  {
    name: 'a fetch whose own then() reads the body, raced against a timer',
    code: `${timeoutHelper}
      export async function latest(model: string) {
        return Promise.race([fetch('https://vendor.example/' + model).then((r) => r.json()), timeout(4000)]);
      }`,
  },
  {
    name: 'options this call cannot see into may carry a signal',
    code: `${timeoutHelper}
      export async function latest(url: string, init: RequestInit) {
        const res = await Promise.race([fetch(url, init), timeout(4000)]);
        return res.json();
      }`,
  },
  {
    name: "a project's own race() is not Promise.race",
    code: `
      import { race } from './util';
      export async function latest(url: string) {
        const res = await race([fetch(url), 1000]);
        return res.json();
      }`,
    files: { 'util.ts': 'export async function race(items: unknown[]): Promise<any> { return items[0]; }' },
  },
  {
    name: 'a stream read in a loop whose controller, given through an options helper, is aborted in finally: what is left of the body goes with it',
    code: SSE_LOOP('ctrl.abort();'),
  },
];
