// Client sockets that no channel reported (`new net.Socket().connect()` as pg does, `tls.connect`)
// are found among the process's active handles once per interval and followed from then on, so the
// kernel join still sees them. Their creation line is known only with --all-sockets.
import type { Socket } from 'node:net';
import type { SocketTracker } from './sockets';

type ActiveHandles = () => unknown[];

export function scanUnseen(sockets: SocketTracker, siteOf: (socket: Socket) => number): number {
  const list = (process as unknown as { _getActiveHandles?: ActiveHandles })._getActiveHandles;
  if (typeof list !== 'function') return 0;
  let unseen = 0;
  for (const handle of list.call(process)) {
    const socket = handle as Socket;
    // Pipes (stdio) and servers have no remote port; sockets still connecting are seen next time.
    if (!socket || typeof socket.once !== 'function' || sockets.get(socket) || socket.connecting) continue;
    if (typeof socket.remotePort !== 'number') continue;
    unseen++;
    sockets.observe(socket, siteOf(socket), 'unseen');
  }
  return unseen;
}
