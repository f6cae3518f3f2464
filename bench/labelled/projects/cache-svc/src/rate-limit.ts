import Redis from 'ioredis';

const WINDOW_SECONDS = 60;

/** Fixed-window counter; returns how many hits `key` has had in the current window. */
export async function hit(key: string, redisUrl = process.env.RATE_LIMIT_REDIS_URL!): Promise<number> {
  const r = new Redis(redisUrl);
  const bucket = `rl:${key}:${Math.floor(Date.now() / 1000 / WINDOW_SECONDS)}`;
  const count = await r.incr(bucket);
  if (count === 1) {
    await r.expire(bucket, WINDOW_SECONDS);
  }
  r.disconnect();
  return count;
}
