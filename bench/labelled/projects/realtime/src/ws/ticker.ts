import WebSocket from 'ws';

const HEARTBEAT_MS = 15_000;

/** Streams quotes; if the server stops answering pings we open a fresh connection. */
export class Ticker {
  private ws: WebSocket;
  private alive = true;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly url: string, private readonly onQuote: (q: unknown) => void) {
    this.ws = this.open();
    this.timer = setInterval(() => this.check(), HEARTBEAT_MS);
  }

  private open(): WebSocket {
    const ws = new WebSocket(this.url);
    ws.on('pong', () => (this.alive = true));
    ws.on('message', (m) => this.onQuote(JSON.parse(m.toString())));
    ws.on('error', () => undefined);
    return ws;
  }

  private check(): void {
    if (!this.alive) {
      this.reconnect();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  private reconnect(): void {
    this.alive = true;
    this.ws = new WebSocket(this.url);
    this.ws.on('pong', () => (this.alive = true));
    this.ws.on('message', (m) => this.onQuote(JSON.parse(m.toString())));
    this.ws.on('error', () => undefined);
  }

  stop(): void {
    clearInterval(this.timer);
    this.ws.close();
  }
}
