import { Cache } from '../cache';

export async function prune(keys: string[]): Promise<void> {
  const cache = new Cache('page:', { host: process.env.REDIS_HOST });
  try {
    for (const key of keys) {
      const v = await cache.get<{ loadedAt: number }>(key);
      if (v && Date.now() - v.loadedAt > 7 * 24 * 3600 * 1000) await cache.set(key, null, 1);
    }
  } finally {
    await cache.close();
  }
}
