import { randomUUID } from 'crypto';
import { redis } from './redis';

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/**
 * Runs fn while holding a lock. The lock uses its own connection so that a blocking
 * command in fn cannot delay the release.
 */
export async function withLock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T | undefined> {
  const conn = redis.duplicate();
  const token = randomUUID();
  const ok = await conn.set(`lock:${key}`, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') {
    await conn.quit();
    return undefined;
  }
  try {
    return await fn();
  } finally {
    await conn.eval(RELEASE, 1, `lock:${key}`, token);
    await conn.quit();
  }
}
