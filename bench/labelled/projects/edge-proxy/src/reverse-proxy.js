import http from 'node:http';
import httpProxy from 'http-proxy';

const proxy = httpProxy.createProxyServer({
  target: process.env.UPSTREAM ?? 'http://app:3000',
  xfwd: true,
  proxyTimeout: 30_000,
});

proxy.on('error', (err, req, res) => {
  if (res instanceof http.ServerResponse && !res.headersSent) {
    res.writeHead(502, { 'content-type': 'text/plain' });
  }
  res.end('bad gateway');
});

export function startReverseProxy(port) {
  return http
    .createServer((req, res) => proxy.web(req, res))
    .on('upgrade', (req, socket, head) => proxy.ws(req, socket, head))
    .listen(port);
}
