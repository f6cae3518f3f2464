import { io, Socket } from 'socket.io-client';

export class LiveFeed {
  private readonly socket: Socket;

  constructor(url: string, onUpdate: (u: unknown) => void) {
    this.socket = io(url, { reconnectionDelayMax: 10_000 });
    this.socket.on('update', onUpdate);
  }

  disconnect(): void {
    this.socket.disconnect();
  }
}

/** Waits for one acknowledgement, then disconnects. */
export function requestSnapshot(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { reconnection: false, timeout: 5_000 });
    socket.on('connect_error', (err) => {
      socket.disconnect();
      reject(err);
    });
    socket.emit('snapshot', (data: unknown) => {
      socket.disconnect();
      resolve(data);
    });
  });
}
