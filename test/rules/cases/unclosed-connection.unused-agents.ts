// unclosed-connection: an agent opens sockets only for the requests made with it. One used only by the request
// handler of a server the function starts holds nothing when that server fails to listen (the handler never ran);
// one a request of the function itself used before the failing `await` holds that request's socket.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A same-origin proxy; `before` runs between the agent's creation and the listen that may fail. */
const PROXY = (before = '') => `
      import http from 'node:http';
      export async function createProxy(upstream: URL, port: number) {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
        const server = http.createServer((req, res) => {
          const up = http.request({ hostname: upstream.hostname, port: upstream.port, path: req.url, agent }, (r) => r.pipe(res));
          up.on('error', () => res.destroy());
          up.end();
        });${before}
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, resolve);
        });
        return {
          server,
          close: () => new Promise<void>((resolve) => server.close(() => { agent.destroy(); resolve(); })),
        };
      }`;

export const valid: ValidCase[] = [
  {
    name: "an agent used only by the handler of the server the function starts: a failed listen leaves it without sockets",
    code: PROXY(),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'the same proxy checking the upstream with the agent before it listens: a failed listen leaves that socket open',
    code: PROXY(`
        await new Promise((resolve, reject) => http.get({ hostname: upstream.hostname, path: '/health', agent }, (r) => resolve(r.resume())).on('error', reject));`),
    errors: [{ line: 3, message: /is not closed if the `await` on line 9 rejects, and on 1 other path/ }],
  },
];
