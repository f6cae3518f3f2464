// connection-churn: an agent made inline in an options object spread into a request's options under a condition
// (`...(proxy ? { dispatcher: new ProxyAgent(proxy) } : {})`): one CONNECT tunnel per call whenever the proxy is set.
// The same for an agent made per call in a variable that the spread tests and hands on (`...(dispatcher ? { dispatcher } : {})`),
// and for one given in an options object to a project helper that destructures it into its one request
// (`postJson(url, body, { agent })` with `function postJson(url, body, { agent, headers } = {})`); and for one
// given as `httpsAgent` (an option only axios takes) to `this.http.get(url, o)` of an instance the class was given.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A project helper that destructures `agent` from its options; `request` is the body of its promise's executor. */
const POST_JSON = (request: string) => `
      import http from 'node:http';
      import https from 'node:https';
      function postJson(url, body, { agent, headers = {} } = {}) {
        const target = new URL(url);
        const lib = target.protocol === 'https:' ? https : http;
        const data = Buffer.from(JSON.stringify(body));
        return new Promise((resolve, reject) => {
${request}
        });
      }
      export function mirror(reading) {
        const agent = new http.Agent({ keepAlive: true, timeout: 10_000 });
        return postJson(process.env.MIRROR_URL, reading, { agent }).catch((err) => console.warn(err.message));
      }`;

const ONE_REQUEST = `          const req = lib.request(target, { method: 'POST', agent, headers }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode));
          });
          req.on('error', reject);
          req.end(data);`;

const FORECAST = (dispatcher: string, head = '') => `
      import { ProxyAgent } from 'undici';
      ${head}
      export async function inversionForecast(block: { id: string; lat: number }, opts: { proxyUrl?: string } = {}) {
        const proxy = opts.proxyUrl ?? process.env.HTTPS_PROXY;
        const res = await fetch('https://api.met.example/v1/point/' + block.lat, {
          headers: { accept: 'application/json' },
          ...(proxy ? { dispatcher: ${dispatcher} } : {}),
        } as RequestInit);
        return res.json();
      }
      export async function forecastAll(blocks: { id: string; lat: number }[]) {
        for (const b of blocks) await inversionForecast(b);
      }`;

export const valid: ValidCase[] = [
  {
    name: 'one ProxyAgent for the module, spread into the options of each request when a proxy is set',
    code: FORECAST('sharedProxy', 'const sharedProxy = new ProxyAgent(process.env.HTTPS_PROXY ?? "http://proxy:3128");'),
  },
  {
    name: 'an agent given to a project helper that makes two requests with it (the request and its retry): a batch',
    code: POST_JSON(`${ONE_REQUEST}
          req.on('timeout', () => lib.request(target, { method: 'POST', agent, headers }).end(data));`),
    ext: '.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a ProxyAgent made per call in an options object spread into the request under a condition',
    code: FORECAST('new ProxyAgent(proxy)'),
    errors: [{ line: 7, message: /^A new `undici.ProxyAgent` is created on every call of `inversionForecast` and used for a single request/ }],
  },
  {
    name: 'an mTLS undici Agent made per call when the partner has a certificate, spread into the options when it was made',
    code: `
      import { Agent } from 'undici';
      export async function deliver(url: string, payload: string, target: { cert?: string; key?: string }) {
        const dispatcher = target.cert ? new Agent({ connect: { cert: target.cert, key: target.key } }) : undefined;
        const res = await fetch(url, { method: 'POST', body: payload, ...(dispatcher ? { dispatcher } : {}) } as RequestInit);
        await res.body?.cancel();
        return res.ok;
      }`,
    errors: [{ line: 3, message: /^A new `undici.Agent` is created on every call of `deliver` and used for a single request/ }],
  },
  {
    name: 'an agent made per call and given in an options object to a project helper that destructures it into its one request',
    code: POST_JSON(ONE_REQUEST),
    ext: '.js',
    errors: [{ line: 17, message: /^A new `http.Agent` is created on every call of `mirror` and used for a single request/ }],
  },
  {
    name: 'a pinned-certificate https.Agent made per station on every poll, given as httpsAgent to the axios instance the class was given',
    code: `
      import https from 'node:https';
      export class Stations {
        /** @param {import('axios').AxiosInstance} http */
        constructor(http) {
          this.http = http;
        }
        async readAll(stations) {
          return Promise.allSettled(stations.map(async (st) => {
            const httpsAgent = new https.Agent({ keepAlive: true, ca: st.certPem });
            const { data } = await this.http.get(\`https://\${st.host}/api/now\`, { httpsAgent, timeout: 4000 });
            return { id: st.id, data };
          }));
        }
      }`,
    ext: '.js',
    errors: [{ line: 9, message: /^A new `https.Agent` is created on every call of this function and used for a single request/ }],
  },
];
