#!/usr/bin/env node
import net from 'node:net';

const [target, timeoutArg = '30'] = process.argv.slice(2);
const [host, port] = target.split(':');
const deadline = Date.now() + Number(timeoutArg) * 1000;

function attempt() {
  const socket = net.connect(Number(port), host);
  socket.on('connect', () => {
    socket.destroy();
    console.log(`${target} is up`);
    process.exit(0);
  });
  socket.on('error', () => {
    if (Date.now() > deadline) {
      console.error(`timed out waiting for ${target}`);
      process.exit(1);
    }
    setTimeout(attempt, 500);
  });
}

attempt();
