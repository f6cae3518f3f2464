// unconsumed-response: a helper awaited after the request that throws only once it has read the body
// (`throwOnErrorResponse(response)`: `const text = await response.text(); throw new HttpError(text)`)
// leaves nothing unread when it rejects; one that throws before reading does.
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

export const valid: ValidCase[] = [
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
    name: 'a method that throws on one status before reading the body',
    code: TRANSPORT(`if (response.status === 429) throw new HttpError(429);
            const text = await response.text();
            throw new HttpError(response.status, text);`),
    errors: [{ line: 6, message: /if the `await` on line 7 rejects/ }],
  },
];
