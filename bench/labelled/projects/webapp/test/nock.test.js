const assert = require('assert');
const https = require('https');
const nock = require('nock');

function getStatus(url) {
  return new Promise((resolve, reject) => {
    https.get(url, (res) => resolve(res.statusCode)).on('error', reject);
  });
}

describe('status client', () => {
  afterEach(() => nock.cleanAll());

  it('reports 503 from the status API', async () => {
    nock('https://status.example.com').get('/api').reply(503, 'maintenance');
    assert.strictEqual(await getStatus('https://status.example.com/api'), 503);
  });

  it('reads the body when the API is up', (done) => {
    nock('https://status.example.com').get('/api').reply(200, { ok: true });
    https.get('https://status.example.com/api', (res) => {
      assert.strictEqual(res.statusCode, 200);
      done();
    });
  });
});
