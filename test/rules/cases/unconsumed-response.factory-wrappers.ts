// unconsumed-response: a project function that reads the response and throws on an unexpected status,
// and returns it otherwise, still hands out a response: what its throwing path does with it is no matter
// of the caller's. Followed through several such wrappers (a client's `removeTagging` → `makeRequest` →
// `makeRequestStream` → `requestWithRetry` → `request`).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const WRAPPERS = `
      import * as https from 'node:https';
      import type * as http from 'node:http';
      function readAll(res: http.IncomingMessage): Promise<string> {
        return new Promise((resolve, reject) => {
          let s = '';
          res.on('data', (c) => (s += c));
          res.on('error', reject);
          res.on('end', () => resolve(s));
        });
      }
      function request(opts: https.RequestOptions): Promise<http.IncomingMessage> {
        return new Promise((resolve, reject) => {
          const req = https.request(opts, resolve);
          req.on('error', reject);
          req.end();
        });
      }
      async function requestWithRetry(opts: https.RequestOptions): Promise<http.IncomingMessage> {
        return request(opts);
      }
      export class StoreClient {
        async makeRequestStream(opts: https.RequestOptions, codes: number[]): Promise<http.IncomingMessage> {
          const response = await requestWithRetry(opts);
          if (!codes.includes(response.statusCode!)) {
            const text = await readAll(response);
            throw new Error(text);
          }
          return response;
        }
        async makeRequest(opts: https.RequestOptions, codes: number[] = [200]): Promise<http.IncomingMessage> {
          return this.makeRequestStream(opts, codes);
        }
        async makeRequestDrained(opts: https.RequestOptions, codes: number[] = [200]): Promise<void> {
          const res = await this.makeRequest(opts, codes);
          await readAll(res);
        }`;

export const valid: ValidCase[] = [
  {
    name: 'a wrapper chain whose caller drains the response it is handed',
    code: `${WRAPPERS}
        async removeTags(bucket: string): Promise<void> {
          await this.makeRequestDrained({ method: 'DELETE', path: '/' + bucket + '?tagging' }, [200, 204]);
        }
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'the response of a wrapper that reads it only on an error status, dropped by its caller four wrappers up',
    code: `${WRAPPERS}
        async removeTags(bucket: string): Promise<void> {
          await this.makeRequest({ method: 'DELETE', path: '/' + bucket + '?tagging' }, [200, 204]);
        }
      }`,
    errors: [{ line: 38, message: /`makeRequest\(\)` is dropped/ }],
  },
];
