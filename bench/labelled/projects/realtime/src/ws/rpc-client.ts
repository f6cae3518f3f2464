import WebSocket from 'ws';
import { once } from 'events';

let nextId = 1;

export class RpcClient {
  private ws?: WebSocket;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly url: string, private readonly headers: Record<string, string> = {}) {}

  async open(): Promise<void> {
    const ws = new WebSocket(this.url, { headers: this.headers });
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString());
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('connection closed'));
      this.pending.clear();
    });
    await once(ws, 'open');
    this.ws = ws;
  }

  call(method: string, params: unknown): Promise<unknown> {
    if (!this.ws) throw new Error('not connected');
    const id = nextId++;
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  close(): void {
    this.ws?.close();
  }
}

export function createRpcClient(url: string) {
  return new RpcClient(url, { 'user-agent': 'realtime-hub' });
}
