import http, { IncomingMessage, ServerResponse } from 'node:http';

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 128 });

export function proxyTo(host: string, port: number) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const upstream = http.request(
      { host, port, method: req.method, path: req.url, headers: { ...req.headers, host }, agent: keepAlive },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  };
}
