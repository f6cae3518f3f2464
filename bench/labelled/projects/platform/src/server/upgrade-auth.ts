import http from 'node:http';
import { EventEmitter } from 'node:events';

export const audit = new EventEmitter();

async function authenticate(req: http.IncomingMessage): Promise<string | null> {
  const header = req.headers['sec-websocket-protocol'];
  return typeof header === 'string' && header.startsWith('token.') ? header.slice(6) : null;
}

/** Upgrades are authenticated before being handed to the tunnel. */
export function createUpgradeServer(onTunnel: (socket: import('node:stream').Duplex, user: string) => void) {
  const server = http.createServer((_req, res) => res.writeHead(426).end());
  server.on('upgrade', async (req, socket, head) => {
    let user: string | null;
    try {
      user = await authenticate(req);
    } catch (err) {
      audit.emit('error', err);
      return;
    }
    if (!user) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    if (head.length) socket.unshift(head);
    onTunnel(socket, user);
  });
  return server;
}
