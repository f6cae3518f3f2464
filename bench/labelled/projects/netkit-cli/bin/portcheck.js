#!/usr/bin/env node
import net from 'node:net';

export function check(host, port, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs);
    socket.on('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [host, port] = process.argv.slice(2);
  const open = await check(host, Number(port));
  console.log(`${host}:${port} ${open ? 'open' : 'closed'}`);
  process.exitCode = open ? 0 : 1;
}
