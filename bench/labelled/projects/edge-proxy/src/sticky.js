import http from 'node:http';

/**
 * Sessions are pinned to one backend. Each request gets its own keep-alive agent so that
 * connection reuse never crosses sessions.
 */
export function stickyForward(req, res, backend) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const upstream = http.request(
    { host: backend.host, port: backend.port, method: req.method, path: req.url, headers: req.headers, agent },
    (ures) => {
      res.writeHead(ures.statusCode ?? 502, ures.headers);
      ures.pipe(res);
    },
  );
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
}
