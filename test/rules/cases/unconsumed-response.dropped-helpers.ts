// unconsumed-response: the response of a project helper dropped by its caller; the helper may resolve to
// null (`return null` on a 404), so the fix cancels the body through `?.`.
import { InvalidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: "a project fetch helper that resolves to null on a 404, its response dropped by the caller: the fix cancels the body through `?.`",
    code: `
      async function awsFetch(url: string, init?: RequestInit): Promise<Response | null> {
        const res = await fetch(url, init);
        if (res.status === 404) { await res.body?.cancel(); return null; }
        if (!res.ok) { await res.body?.cancel(); throw new Error(String(res.status)); }
        return res;
      }
      export async function putObject(url: string, value: string): Promise<void> {
        await awsFetch(url, { method: 'PUT', body: value });
      }`,
    errors: [{ line: 8, messageId: 'dropped' }],
    output: `
      async function awsFetch(url: string, init?: RequestInit): Promise<Response | null> {
        const res = await fetch(url, init);
        if (res.status === 404) { await res.body?.cancel(); return null; }
        if (!res.ok) { await res.body?.cancel(); throw new Error(String(res.status)); }
        return res;
      }
      export async function putObject(url: string, value: string): Promise<void> {
        await (await awsFetch(url, { method: 'PUT', body: value }))?.body?.cancel();
      }`,
  },
];
