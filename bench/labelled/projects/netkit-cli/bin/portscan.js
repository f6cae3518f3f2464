#!/usr/bin/env node
import net from 'node:net';

function probe(host, port, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.createConnection({ host, port, timeout: timeoutMs });
    socket.once('connect', () => resolve(true));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function scan(host, from, to, { concurrency = 100, timeoutMs = 500 } = {}) {
  const open = [];
  let next = from;
  async function worker() {
    while (next <= to) {
      const port = next++;
      if (await probe(host, port, timeoutMs)) open.push(port);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return open.sort((a, b) => a - b);
}

const [host = '127.0.0.1', range = '1-1024'] = process.argv.slice(2);
const [from, to] = range.split('-').map(Number);
console.log((await scan(host, from, to)).join('\n'));
