import Redis from 'ioredis';
import { Cache } from '../src/cache';

describe('Cache', () => {
  let cache: Cache;
  let raw: Redis;

  beforeAll(() => {
    cache = new Cache('test:');
    raw = new Redis();
  });

  afterAll(async () => {
    await cache.close();
    await raw.quit();
  });

  it('round-trips JSON', async () => {
    await cache.set('a', { n: 1 });
    expect(await cache.get('a')).toEqual({ n: 1 });
  });

  it('prefixes keys', async () => {
    await cache.set('b', 2);
    expect(await raw.exists('test:b')).toBe(1);
  });

  it('expires entries', async () => {
    const r = new Redis();
    await r.set('test:ttl', '1', 'EX', 1);
    await new Promise((res) => setTimeout(res, 1100));
    expect(await r.get('test:ttl')).toBeNull();
  });
});
