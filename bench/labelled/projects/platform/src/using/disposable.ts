import net from 'node:net';
import { once } from 'node:events';

/** Finds a free port by binding to 0 and releasing it immediately. */
export async function freePort(): Promise<number> {
  await using server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as net.AddressInfo).port;
}

/** Checks that something answers on host:port; the socket is disposed when the block ends. */
export async function answers(host: string, port: number): Promise<boolean> {
  await using socket = net.connect(port, host);
  try {
    await once(socket, 'connect');
    return true;
  } catch {
    return false;
  }
}
