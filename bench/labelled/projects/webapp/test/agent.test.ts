import assert from 'assert';
import http from 'http';
import { once } from 'events';
import { AddressInfo } from 'net';

describe('keep-alive', () => {
  it('reuses one socket for sequential requests', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    server.listen(0);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const seen = new Set<unknown>();
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        http
          .get({ port, agent }, (res) => {
            seen.add(res.socket);
            res.resume();
            res.on('end', resolve);
          })
          .on('error', reject);
      });
    }
    assert.strictEqual(seen.size, 1);
    server.close();
    server.closeAllConnections();
  });
});
