import Redis, { RedisOptions } from 'ioredis';

/** Typed JSON cache with a key prefix. */
export class Cache {
  private readonly redis: Redis;

  constructor(private readonly prefix: string, options: RedisOptions = {}) {
    this.redis = new Redis({ lazyConnect: false, ...options });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(this.prefix + key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  }

  async set(key: string, value: unknown, ttlSeconds = 3600): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', ttlSeconds);
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
