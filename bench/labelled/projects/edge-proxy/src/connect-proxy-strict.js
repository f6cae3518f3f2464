import http from 'node:http';
import net from 'node:net';

/** Same tunnel as connect-proxy.js, used by the CI runners; both halves tear each other down. */
export function createStrictTunnel(port) {
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, clientSocket, head) => {
    const [host, p] = req.url.split(':');
    const upstream = net.connect(Number(p) || 443, host);
    upstream.once('connect', () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    upstream.on('error', () => clientSocket.destroy());
    clientSocket.on('error', () => upstream.destroy());
    upstream.setTimeout(120_000, () => {
      upstream.destroy();
      clientSocket.destroy();
    });
  });
  server.listen(port);
  return server;
}
