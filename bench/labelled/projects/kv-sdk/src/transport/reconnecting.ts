import * as net from 'net';
import { EventEmitter } from 'events';

/**
 * Keeps a subscription connection open. An idle connection (no server heartbeat for
 * `idleMs`) is treated as dead and replaced.
 */
export class ReconnectingSocket extends EventEmitter {
  private socket: net.Socket;
  private closed = false;

  constructor(private readonly port: number, private readonly host: string, private readonly idleMs = 30_000) {
    super();
    this.socket = this.open();
  }

  private open(): net.Socket {
    const socket = net.connect(this.port, this.host);
    socket.setTimeout(this.idleMs);
    socket.on('data', (d) => this.emit('data', d));
    socket.on('timeout', () => this.reconnect());
    socket.on('error', (err) => this.emit('warning', err));
    return socket;
  }

  private reconnect(): void {
    if (this.closed) return;
    this.emit('reconnect');
    this.socket = this.open();
  }

  send(line: string): void {
    this.socket.write(line + '\r\n');
  }

  close(): void {
    this.closed = true;
    this.socket.end();
  }
}
