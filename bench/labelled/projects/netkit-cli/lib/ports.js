import net from 'node:net';

/** True when nothing listens on `port` (we can bind it ourselves). */
export function isFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.once('listening', () => srv.close(() => resolve(true)));
    srv.listen(port, host);
  });
}

/** A port the OS considers free right now, for the `serve` subcommand's --port auto. */
export function randomPort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, () => {
      resolve(srv.address().port);
    });
  });
}
