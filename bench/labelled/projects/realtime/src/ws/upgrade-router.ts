import http from 'http';
import { WebSocketServer } from 'ws';

export function createRealtimeServer(handler: http.RequestListener) {
  const server = http.createServer(handler);
  const chat = new WebSocketServer({ noServer: true });
  const presence = new WebSocketServer({ noServer: true });

  server.on('upgrade', (req, socket, head) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname === '/chat') {
      chat.handleUpgrade(req, socket, head, (ws) => chat.emit('connection', ws, req));
    } else if (pathname === '/presence') {
      presence.handleUpgrade(req, socket, head, (ws) => presence.emit('connection', ws, req));
    }
  });

  return { server, chat, presence };
}
