// Each socket is followed through its own events only: 'connect' gives the 4-tuple, 'end' says the
// peer closed first, 'close' ends it. Nothing is held: the listeners live and die with the socket.
// They go first (prepended): an app listener may destroy the socket or exit the process.
import type { Socket } from 'node:net';
import type { KindHint } from '../records';
import type { Journal } from './journal';

export interface SocketInfo {
  id: number;
  site: number;
}

export class SocketTracker {
  private known = new WeakMap<object, SocketInfo>();
  private next = 0;

  constructor(private readonly journal: Journal) {}

  get(socket: object | null | undefined): SocketInfo | undefined {
    return socket ? this.known.get(socket) : undefined;
  }

  /** Starts following `socket` (once; later calls return the first site). */
  observe(socket: Socket, site: number, hint: KindHint): SocketInfo {
    const existing = this.known.get(socket);
    if (existing) return existing;
    const info: SocketInfo = { id: ++this.next, site };
    this.known.set(socket, info);
    let opened = false;
    let peerEnded = false;
    const open = () => {
      if (opened || typeof socket.remotePort !== 'number') return;
      opened = true;
      this.journal.push(['open', info.id, info.site, hint, socket.localAddress ?? '', socket.localPort ?? 0,
        socket.remoteAddress ?? '', socket.remotePort, Date.now(), halfOpen(socket) ? 1 : 0]);
    };
    if (socket.connecting || typeof socket.remotePort !== 'number') socket.prependOnceListener('connect', open);
    else open();
    socket.prependOnceListener('end', () => {
      peerEnded = true;
      if (opened) this.journal.push(['end', info.id, Date.now()]);
    });
    socket.prependOnceListener('close', (hadError: boolean) => {
      if (opened) this.journal.push(['close', info.id, Date.now(), !peerEnded && !hadError ? 1 : 0]);
    });
    return info;
  }
}

/**
 * `allowHalfOpen` that the app asked for: an http server sets it on its sockets and ends them itself
 * on the peer's FIN (`httpAllowHalfOpen` false), so there it means nothing.
 */
function halfOpen(socket: Socket): boolean {
  const server = (socket as Socket & { server?: { httpAllowHalfOpen?: boolean } }).server;
  return socket.allowHalfOpen === true && server?.httpAllowHalfOpen !== false;
}
