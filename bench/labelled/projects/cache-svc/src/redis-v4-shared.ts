import { createClient } from 'redis';

export const client = createClient({ url: process.env.REDIS_URL });
client.on('error', (err) => console.error('redis client error', err));

let ready: Promise<unknown> | undefined;

export function connected() {
  ready ??= client.connect();
  return ready;
}

export async function cacheGet(key: string) {
  await connected();
  return client.get(key);
}
