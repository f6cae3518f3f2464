import WebSocket from 'ws';

export interface Subscription {
  stop(): void;
}

export function subscribe(url: string, topic: string, onMessage: (data: unknown) => void): Subscription {
  const ws = new WebSocket(url);
  ws.on('open', () => ws.send(JSON.stringify({ op: 'subscribe', topic })));
  ws.on('message', (raw) => onMessage(JSON.parse(raw.toString())));
  return {
    stop() {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ op: 'unsubscribe', topic }));
      ws.close();
    },
  };
}
