import http from 'node:http';
import httpProxy from 'http-proxy';

const wsProxy = httpProxy.createProxyServer({
  target: process.env.WS_BACKEND ?? 'ws://realtime:8081',
  ws: true,
  agent: new http.Agent({ keepAlive: true }),
});

/** Front server: HTTP is answered here, WebSocket upgrades go to the realtime service. */
export function startGateway(port: number) {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('gateway\n');
  });
  server.on('upgrade', (req, socket, head) => {
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    wsProxy.ws(req, socket, head);
  });
  server.listen(port);
  return server;
}
