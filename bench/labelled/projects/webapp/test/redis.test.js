const assert = require('assert');
const Redis = require('ioredis');

describe('session keys', function () {
  const redis = new Redis(process.env.TEST_REDIS_URL);

  afterEach(() => redis.flushdb());
  after(() => redis.quit());

  it('sets a TTL', async function () {
    await redis.set('sess:1', 'x', 'EX', 60);
    assert.ok((await redis.ttl('sess:1')) > 0);
  });
});
