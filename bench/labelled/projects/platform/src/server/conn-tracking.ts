import http from 'node:http';
import type { Socket } from 'node:net';

/** An HTTP server that can be shut down quickly: it tracks its connections. */
export function createTrackedServer(handler: http.RequestListener) {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    server,
    async shutdown(graceMs = 5_000) {
      server.close();
      server.closeIdleConnections();
      const timer = setTimeout(() => sockets.forEach((s) => s.destroy()), graceMs);
      await new Promise((r) => server.once('close', r));
      clearTimeout(timer);
    },
  };
}
