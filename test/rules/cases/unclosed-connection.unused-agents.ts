// unclosed-connection: an agent opens sockets only for the requests made with it. One used only by the request
// handler of a server the function starts holds nothing when that server fails to listen (the handler never ran);
// one a request of the function itself used before the failing `await` holds that request's socket.
// A project object given a controller's signal as an argument (`startUdpIngest(port, shutdown.signal)`) is closed by its abort().
// Its quick fix calls the teardown the object has (`udp.stop()`), not a `close()` it lacks.
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

/** A service main() starting a UDP ingest of the project given its shutdown signal; `onStop` is its SIGTERM handler's body. */
const UDP_MAIN = (onStop: string) => `
      import dgram from 'node:dgram';
      import { once } from 'node:events';
      async function startUdpIngest(port: number, signal: AbortSignal) {
        const socket = dgram.createSocket({ type: 'udp4', signal });
        socket.bind(port);
        await once(socket, 'listening');
        return { port: socket.address().port, stop: () => socket.close() };
      }
      export async function main() {
        const shutdown = new AbortController();
        const udp = await startUdpIngest(5140, shutdown.signal);
        console.info('udp', udp.port);
        const stop = () => {
          ${onStop}
        };
        process.once('SIGTERM', stop);
      }`;

valid.push({
  name: "a project object given the shutdown controller's signal, which the SIGTERM handler aborts",
  code: UDP_MAIN('shutdown.abort();'),
});
invalid.push({
  name: 'the same service when the SIGTERM handler only logs: nothing aborts the signal or stops the ingest',
  code: UDP_MAIN("console.info('bye');"),
  errors: [{ line: 11, message: /never closed/ }],
});
