import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import WebSocket, { WebSocketServer } from 'ws';

describe('echo server', () => {
  let wss: WebSocketServer;
  let url: string;

  beforeAll(async () => {
    wss = new WebSocketServer({ port: 0 });
    wss.on('connection', (ws) => ws.on('message', (m) => ws.send(m)));
    await once(wss, 'listening');
    url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
  });

  afterAll(() => {
    for (const c of wss.clients) c.terminate();
    wss.close();
  });

  it('echoes', async () => {
    const ws = new WebSocket(url);
    await once(ws, 'open');
    ws.send('ping');
    const [msg] = await once(ws, 'message');
    expect(msg.toString()).toBe('ping');
    ws.close();
  });
});
