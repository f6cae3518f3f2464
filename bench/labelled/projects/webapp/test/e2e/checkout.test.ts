import assert from 'assert';
import { startServer, TestServer } from '../helpers/server';
const { createApp } = require('../../src/app');

describe('checkout flow', () => {
  let srv: TestServer;

  beforeEach(async () => {
    srv = await startServer(createApp());
  });

  afterEach(() => srv.close());

  it('creates then lists a user', async () => {
    const created = await fetch(`${srv.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'alan' }),
    });
    assert.strictEqual(created.status, 201);
    await created.body?.cancel();

    const list = await fetch(`${srv.url}/users`);
    assert.deepStrictEqual(await list.json(), [{ name: 'alan' }]);
  });

  it('serves a second instance on its own port', async () => {
    const other = await startServer(createApp({ users: [{ name: 'x' }] }));
    const res = await fetch(`${other.url}/users`);
    assert.deepStrictEqual(await res.json(), [{ name: 'x' }]);
  });
});
