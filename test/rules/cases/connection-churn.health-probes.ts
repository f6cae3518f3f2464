// connection-churn: health probes connect to each dependency on purpose — a /health route's handler, the health
// branch of a server that routes by itself, and the helpers only they call, also two calls down (`displaysHealthy()`
// of a /healthz route calling `probeDisplays(url)`). A server handler that also routes other paths
// (`url.pathname.startsWith('/robots')`, a pattern kept in a const, `STREAM_PATH.exec(url.pathname)`) runs for every
// request: a helper it calls is no health probe. Nor is a branch for a subtree under `/live/` (`startsWith('/live/')`:
// the live results spectators poll), though an exact `/live` is a liveness probe. A health word as the last segment
// of a longer path (`/controller/ping`, `/api/healthz`) is a probe too; `/orders/ready` is not.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An HTTP/2 probe of the display service; `caller` is the rest of the module. */
const PROBE = (caller: string) => `
      import http2 from 'node:http2';
      import express from 'express';
      async function probeDisplays(url: string): Promise<number> {
        const session = http2.connect(url);
        try {
          return await new Promise<number>((resolve, reject) => {
            session.once('error', reject);
            const stream = session.request({ ':path': '/healthz' });
            stream.once('response', (headers) => resolve(Number(headers[':status'])));
            stream.resume();
            stream.end();
          });
        } finally {
          session.close();
        }
      }
      async function displaysHealthy(): Promise<boolean> {
        return (await probeDisplays('https://displays.local')) === 200;
      }
      export const app = express();${caller}`;

/** A race server whose handler proxies `test` paths to the results engine with `agent: false`. */
const LIVE = (test: string) => `
      import http from 'node:http';
      function proxyLive(req: http.IncomingMessage, res: http.ServerResponse): void {
        const upstream = http.request({ host: '127.0.0.1', port: 7001, method: req.method, path: req.url, agent: false }, (up) => {
          res.writeHead(up.statusCode ?? 502);
          up.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        req.pipe(upstream);
      }
      export const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (${test}) return proxyLive(req, res);
        res.writeHead(404).end();
      });`;

export const valid: ValidCase[] = [
  {
    name: 'an HTTP/2 probe per call of a helper that only a /healthz route calls, two calls down',
    code: PROBE(`
      app.get('/healthz', async (_req, res) => {
        res.json({ displays: await displaysHealthy() });
      });`),
  },
  {
    name: "the same proxy reached only from an exact `/live` (a liveness probe's path)",
    code: LIVE("url.pathname === '/live'"),
  },
  {
    name: 'the same proxy reached only from `/controller/ping`, a probe under a longer path',
    code: LIVE("url.pathname === '/controller/ping'"),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'the same helpers called from a server handler that answers /healthz itself and routes /rooms by prefix: it runs for every request',
    code: PROBE(`
      import http from 'node:http';
      export const server = http.createServer(async (req, res) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (url.pathname === '/healthz') {
          res.end('ok');
          return;
        }
        if (url.pathname.startsWith('/rooms')) res.end(String(await displaysHealthy()));
      });`),
    errors: [{ line: 4, messageId: 'clientPerCall' }],
  },
  {
    name: 'the same when the other route is a pattern kept in a const (STREAM_PATH.exec(url.pathname))',
    code: PROBE(`
      import http from 'node:http';
      const STREAM_PATH = /^\\/rooms\\/([\\w-]+)$/;
      export const server = http.createServer(async (req, res) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (url.pathname === '/healthz') {
          res.end('ok');
          return;
        }
        if (STREAM_PATH.exec(url.pathname)) res.end(String(await displaysHealthy()));
      });`),
    errors: [{ line: 4, messageId: 'clientPerCall' }],
  },
  {
    name: "the same proxy reached from `/orders/ready`: a list of orders, not a readiness probe",
    code: LIVE("url.pathname === '/orders/ready'"),
    errors: [{ line: 3, messageId: 'agentFalse' }],
  },
  {
    name: "an `agent: false` proxy for the live results under `/live/` (`startsWith('/live/')`): a subtree, not a probe",
    code: LIVE("url.pathname.startsWith('/live/')"),
    errors: [{ line: 3, messageId: 'agentFalse' }],
  },
];
