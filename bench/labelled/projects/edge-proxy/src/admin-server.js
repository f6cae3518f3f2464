import http from 'node:http';
import { once } from 'node:events';

export async function startAdmin(port, routes) {
  const server = http.createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(route()));
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return server;
}
