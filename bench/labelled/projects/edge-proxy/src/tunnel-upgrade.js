import net from 'node:net';

/** Forwards WebSocket upgrades byte for byte to the backend that terminates them. */
export function forwardUpgrades(server, backend) {
  server.on('upgrade', (req, socket, head) => {
    const upstream = net.connect(backend.port, backend.host, () => {
      let raw = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        raw += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      }
      upstream.write(raw + '\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
  });
}
