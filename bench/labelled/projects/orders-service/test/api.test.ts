import assert from 'assert';
import { AddressInfo } from 'net';
import { Server } from 'http';
import { createApp } from '../src/server';

describe('HTTP API', () => {
  let server: Server;
  let base: string;

  before((done) => {
    server = createApp().listen(0, () => {
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      done();
    });
  });

  after((done) => {
    server.close(done);
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    assert.strictEqual(res.status, 200);
    assert.deepStrictEqual(await res.json(), { db: 'ok' });
  });

  it('returns 404 for an unknown order', async () => {
    const res = await fetch(`${base}/orders/does-not-exist`);
    assert.strictEqual(res.status, 404);
    assert.strictEqual(await res.text(), '');
  });
});

describe('HTTP API on a second port', () => {
  it('serves two apps side by side', async () => {
    const other = createApp().listen(0);
    const port = (other.address() as AddressInfo).port;
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.strictEqual(res.status, 200);
    assert.ok(await res.json());
  });
});
