import net from 'node:net';

/**
 * Announces the build version to whoever connects. The fleet inventory scanner reads the
 * banner, answers with its own hostname and hangs up.
 */
export function startBannerServer(port: number, version: string) {
  const server = net.createServer((socket) => {
    socket.write(`platform ${version}\r\n`);
  });
  server.listen(port);
  return server;
}
