import { Cache } from '../cache';

async function load(key: string) {
  return { key, loadedAt: Date.now() };
}

/** Nightly: pre-computes the hottest product pages. */
export async function warm(keys: string[]): Promise<number> {
  const cache = new Cache('page:', { host: process.env.REDIS_HOST });
  let n = 0;
  for (const key of keys) {
    await cache.set(key, await load(key), 24 * 3600);
    n++;
  }
  await cache.close();
  return n;
}
