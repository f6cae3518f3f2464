import assert from 'assert';
import http from 'http';
import { AddressInfo } from 'net';
const { createApp } = require('../src/app');

describe('users API', () => {
  let server: http.Server;
  let base: string;

  before((done) => {
    server = http.createServer(createApp({ users: [{ name: 'ada' }] }));
    server.listen(0, () => {
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      done();
    });
  });

  after((done) => server.close(done));

  it('lists users', async () => {
    const res = await fetch(`${base}/users`);
    assert.strictEqual(res.status, 200);
    assert.deepStrictEqual(await res.json(), [{ name: 'ada' }]);
  });

  it('creates a user', async () => {
    const res = await fetch(`${base}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'grace' }),
    });
    assert.strictEqual(res.status, 201);
    assert.strictEqual((await res.json()).name, 'grace');
  });
});
