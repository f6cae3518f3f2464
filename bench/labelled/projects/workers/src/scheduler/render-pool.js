'use strict';

const genericPool = require('generic-pool');
const { spawn } = require('child_process');
const net = require('net');

// Long-running renderer processes, each reachable on its own local port.
let nextPort = 17000;
const renderers = genericPool.createPool(
  {
    create: () =>
      new Promise((resolve, reject) => {
        const port = nextPort++;
        const child = spawn('renderer', ['--port', String(port)], { stdio: 'ignore' });
        setTimeout(() => {
          const socket = net.connect(port, '127.0.0.1', () => resolve({ child, socket }));
          socket.once('error', reject);
        }, 500);
      }),
    destroy: async ({ child, socket }) => {
      socket.destroy();
      child.kill();
    },
  },
  { max: 4, min: 1 }
);

function send(r, job) {
  return new Promise((resolve, reject) => {
    r.socket.write(JSON.stringify(job) + '\n');
    r.socket.once('data', (d) => resolve(JSON.parse(d)));
    r.socket.once('error', reject);
  });
}

async function render(job) {
  const r = await renderers.acquire();
  const result = await send(r, job);
  if (result.error) {
    throw new Error(`render failed: ${result.error}`);
  }
  await renderers.release(r);
  return result.pdf;
}

module.exports = { render };
