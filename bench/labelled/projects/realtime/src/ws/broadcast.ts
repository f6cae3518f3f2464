import WebSocket, { WebSocketServer } from 'ws';

export function enableBroadcast(wss: WebSocketServer) {
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      for (const client of wss.clients) {
        if (client !== ws && client.readyState === WebSocket.OPEN) {
          client.send(data, { binary: isBinary });
        }
      }
    });
  });
}
