// unconsumed-response: a response whose every name belongs to a `try` block is out of reach in its
// `catch`. A rethrow from the catch leaves it where it was last in reach, at the throws inside the try,
// so those are the exits the finding names and where its fix cancels the body.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: 'the body read before every throw of the try, and the catch rethrows',
    code: `
      export async function post(url: string, body: string): Promise<unknown> {
        try {
          const response = await fetch(url, { method: 'POST', body });
          if (response.status === 429) {
            const text = await response.text();
            throw new Error('rate limited: ' + text);
          }
          return await response.json();
        } catch (e) {
          console.error('request failed', e);
          throw e;
        }
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a throw on a 429 inside the try, rethrown by the catch: named at the throws of the try, fixed there',
    code: `
      export class ApiClient {
        rejectRateLimited = false;
        async makeRequest(url: string, body: string): Promise<unknown> {
          try {
            const response = await fetch(url, { method: 'POST', body });
            if (response.status === 429) {
              if (this.rejectRateLimited) {
                throw new Error('rate limited');
              }
              throw new Error('retry later');
            }
            return await response.json();
          } catch (e) {
            if (e instanceof TypeError) {
              throw new Error('network error');
            }
            throw e;
          }
        }
      }`,
    errors: [{ line: 5, message: /when the `throw` on line 8 runs, and on 1 other path/ }],
    fixes: ['safe: Consume or cancel `response` before each of the 2 leaking exits'],
    output: `
      export class ApiClient {
        rejectRateLimited = false;
        async makeRequest(url: string, body: string): Promise<unknown> {
          try {
            const response = await fetch(url, { method: 'POST', body });
            if (response.status === 429) {
              if (this.rejectRateLimited) {
                await response.body?.cancel();
                throw new Error('rate limited');
              }
              await response.body?.cancel();
              throw new Error('retry later');
            }
            return await response.json();
          } catch (e) {
            if (e instanceof TypeError) {
              throw new Error('network error');
            }
            throw e;
          }
        }
      }`,
  },
];
