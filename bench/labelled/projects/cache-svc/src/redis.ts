import Redis from 'ioredis';

export const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', {
  maxRetriesPerRequest: 2,
  enableAutoPipelining: true,
});

redis.on('error', (err) => console.error('[redis]', err.message));
