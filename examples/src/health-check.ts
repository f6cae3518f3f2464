import * as net from 'net';

/** Probes a TCP port. Leaks the socket when the banner is unexpected. */
export async function probe(host: string, port: number): Promise<boolean> {
  const socket = net.connect({ host, port });
  const banner = await readBanner(socket);
  if (!banner.startsWith('SSH-')) {
    return false;
  }
  socket.end();
  return true;
}

function readBanner(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('data', (d) => resolve(d.toString()));
    socket.once('error', reject);
  });
}

/** The same probe, closing on every path. */
export async function probeSafely(host: string, port: number): Promise<boolean> {
  const socket = net.connect({ host, port });
  try {
    const banner = await readBanner(socket);
    return banner.startsWith('SSH-');
  } finally {
    socket.destroy();
  }
}
