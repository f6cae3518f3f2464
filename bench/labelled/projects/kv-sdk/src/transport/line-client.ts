import * as net from 'net';

/** A line-protocol client that reconnects when the server closes the connection. */
export class LineClient {
  private socket!: net.Socket;
  private stopping = false;

  constructor(private readonly port: number, private readonly host = '127.0.0.1') {
    this.connect();
  }

  private connect(): void {
    this.socket = net.connect(this.port, this.host);
    this.socket.setKeepAlive(true, 10_000);
    this.socket.setTimeout(60_000);
    this.socket.on('timeout', () => this.socket.destroy());
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      if (!this.stopping) setTimeout(() => this.connect(), 1_000);
    });
  }

  send(line: string): boolean {
    return this.socket.write(line + '\n');
  }

  stop(): void {
    this.stopping = true;
    this.socket.end();
  }
}
