import assert from 'assert';
import { once } from 'events';
import http from 'http';
import { AddressInfo } from 'net';
import WebSocket from 'ws';
import { attachRealtime } from '../src/ws/server';
import { enableBroadcast } from '../src/ws/broadcast';

function token(user: string) {
  const { createHmac } = require('crypto');
  return `${user}.${createHmac('sha256', 'dev-secret').update(user).digest('base64url')}`;
}

describe('realtime hub', () => {
  let server: http.Server;
  let url: string;

  before(async () => {
    server = http.createServer();
    enableBroadcast(attachRealtime(server));
    server.listen(0);
    await once(server, 'listening');
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after((done) => {
    server.close(done);
  });

  it('rejects a missing token', async () => {
    const ws = new WebSocket(url);
    const [err] = await once(ws, 'error');
    assert.match(String(err), /401/);
  });

  it('broadcasts to the other clients', async () => {
    const a = new WebSocket(`${url}/?token=${token('a')}`);
    const b = new WebSocket(`${url}/?token=${token('b')}`);
    await Promise.all([once(a, 'open'), once(b, 'open')]);
    a.send('hello');
    const [data] = await once(b, 'message');
    assert.strictEqual(data.toString(), 'hello');
    a.close();
    b.close();
  });

  it('keeps a client connected after a ping', async () => {
    const c = new WebSocket(`${url}/?token=${token('c')}`);
    await once(c, 'open');
    c.ping();
    await once(c, 'pong');
    assert.strictEqual(c.readyState, WebSocket.OPEN);
  });
});
