import WebSocket from 'ws';
import { EventEmitter } from 'events';

/** A market-data feed that reconnects with backoff when the server drops it. */
export class FeedClient extends EventEmitter {
  private ws?: WebSocket;
  private stopped = false;
  private attempt = 0;

  constructor(private readonly url: string) {
    super();
  }

  connect(): void {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.on('open', () => {
      this.attempt = 0;
      this.emit('connected');
    });
    ws.on('message', (data) => this.emit('tick', JSON.parse(data.toString())));
    ws.on('error', (err) => this.emit('warning', err));
    ws.on('close', () => {
      if (this.stopped) return;
      const delay = Math.min(30_000, 500 * 2 ** this.attempt++);
      setTimeout(() => this.connect(), delay);
    });
  }

  close(): void {
    this.stopped = true;
    this.ws?.close(1000, 'client shutdown');
  }
}
