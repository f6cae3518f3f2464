import assert from 'assert';
import { once } from 'events';
import net from 'net';
import { AddressInfo } from 'net';
import { createRealtimeServer } from '../src/ws/upgrade-router';

describe('upgrade routing', () => {
  it('upgrades /chat', async () => {
    const { server } = createRealtimeServer((_req, res) => res.end());
    server.listen(0);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;

    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      'GET /chat HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const [head] = await once(socket, 'data');
    assert.match(head.toString(), /^HTTP\/1.1 101/);
    socket.destroy();
    server.close();
  });
});
