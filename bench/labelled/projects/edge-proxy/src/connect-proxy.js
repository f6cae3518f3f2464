import http from 'node:http';
import net from 'node:net';
import { log } from './log.js';

/** A forward proxy that only tunnels (CONNECT), for outbound HTTPS from the build farm. */
export function createTunnelProxy({ allow }) {
  const server = http.createServer((req, res) => {
    res.writeHead(405, { allow: 'CONNECT' });
    res.end();
  });

  server.on('connect', (req, clientSocket, head) => {
    const { hostname, port } = new URL(`http://${req.url}`);
    if (!allow(hostname)) {
      clientSocket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(port) || 443, hostname, () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\nProxy-agent: edge-proxy\r\n\r\n');
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    upstream.on('error', (err) => {
      log.warn({ host: hostname, err: err.code }, 'tunnel upstream failed');
    });
    clientSocket.on('error', () => upstream.destroy());
  });

  return server;
}
