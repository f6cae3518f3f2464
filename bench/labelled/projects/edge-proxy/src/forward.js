import http from 'node:http';

const BACKENDS = (process.env.BACKENDS ?? 'app-1:3000,app-2:3000').split(',').map((hp) => {
  const [host, port] = hp.split(':');
  return { host, port: Number(port) };
});

let rr = 0;

/** Express middleware: round-robin forward to a backend. */
export function forward(req, res) {
  const backend = BACKENDS[rr++ % BACKENDS.length];
  const upstream = http.request(
    {
      host: backend.host,
      port: backend.port,
      method: req.method,
      path: req.originalUrl,
      headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress },
      agent: false,
    },
    (ures) => {
      res.writeHead(ures.statusCode ?? 502, ures.headers);
      ures.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}
