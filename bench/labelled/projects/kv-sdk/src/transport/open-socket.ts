import * as net from 'net';

/** Resolves with a connected socket, or rejects (and leaves nothing open). */
export function openSocket(opts: net.NetConnectOpts): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(opts);
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
