import * as net from 'net';
import { EventEmitter } from 'events';

export interface TransportOptions {
  host: string;
  port: number;
  connectTimeoutMs?: number;
}

/** A framed TCP connection. Nothing is opened until connect() is called. */
export class TcpTransport extends EventEmitter {
  private socket?: net.Socket;

  constructor(private readonly opts: TransportOptions) {
    super();
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.opts.port, this.opts.host);
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('connect timeout'));
      }, this.opts.connectTimeoutMs ?? 5_000);
      socket.once('connect', () => {
        clearTimeout(timer);
        this.socket = socket;
        resolve();
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.on('data', (chunk) => this.emit('data', chunk));
      socket.on('close', () => this.emit('close'));
    });
  }

  write(frame: Buffer): void {
    if (!this.socket) throw new Error('not connected');
    this.socket.write(frame);
  }

  close(): void {
    this.socket?.end();
    this.socket = undefined;
  }
}

export function createTransport(opts: TransportOptions): TcpTransport {
  return new TcpTransport(opts);
}
