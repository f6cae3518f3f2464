import dgram from 'node:dgram';

/** SSDP M-SEARCH: collects answers for `waitMs`, then closes the socket. */
export function discover(st = 'ssdp:all', waitMs = 2000) {
  return new Promise((resolve, reject) => {
    const found = new Map();
    const sock = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    sock.on('message', (msg, rinfo) => {
      const location = /^location:\s*(.+)$/im.exec(msg.toString())?.[1]?.trim();
      if (location) found.set(location, rinfo.address);
    });
    sock.on('error', (err) => {
      sock.close();
      reject(err);
    });
    const query = Buffer.from(
      `M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ${st}\r\n\r\n`,
    );
    sock.bind(() => {
      sock.send(query, 1900, '239.255.255.250');
      setTimeout(() => {
        sock.close();
        resolve([...found.entries()].map(([location, address]) => ({ location, address })));
      }, waitMs);
    });
  });
}
