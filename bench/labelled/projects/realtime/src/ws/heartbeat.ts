import type WebSocket from 'ws';
import type { WebSocketServer } from 'ws';

type Tracked = WebSocket & { isAlive?: boolean };

/** Terminates clients that stopped answering pings (the ws README's recipe). */
export function startHeartbeat(wss: WebSocketServer, intervalMs = 30_000) {
  wss.on('connection', (ws: Tracked) => {
    ws.isAlive = true;
    ws.on('pong', () => {
      ws.isAlive = true;
    });
  });

  const interval = setInterval(() => {
    for (const ws of wss.clients as Set<Tracked>) {
      if (ws.isAlive === false) {
        ws.terminate();
        continue;
      }
      ws.isAlive = false;
      ws.ping();
    }
  }, intervalMs);

  wss.on('close', () => clearInterval(interval));
}
