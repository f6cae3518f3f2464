import * as genericPool from 'generic-pool';
import * as net from 'net';

const factory: genericPool.Factory<net.Socket> = {
  create: () =>
    new Promise((resolve, reject) => {
      const s = net.connect(7379, process.env.KV_HOST ?? '127.0.0.1');
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    }),
  destroy: async (s) => {
    s.destroy();
  },
};

export const socketPool = genericPool.createPool(factory, { min: 0, max: 16 });

function readLine(s: net.Socket, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('read timeout')), timeoutMs);
    s.once('data', (d) => {
      clearTimeout(timer);
      resolve(d.toString());
    });
  });
}

export async function ping(): Promise<boolean> {
  const s = await socketPool.acquire();
  let healthy = false;
  try {
    s.write('PING\r\n');
    healthy = (await readLine(s, 1_000)).startsWith('+PONG');
    return healthy;
  } finally {
    if (healthy) await socketPool.release(s);
    else await socketPool.destroy(s);
  }
}

export async function flushAll(): Promise<void> {
  const s = await socketPool.acquire();
  try {
    s.write('FLUSHALL\r\n');
  } finally {
    await socketPool.release(s);
  }
}
