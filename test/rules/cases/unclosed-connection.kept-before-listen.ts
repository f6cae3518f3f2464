// unclosed-connection: a server opens at its `listen()`; what the code does with it before that counts: pushed
// to a collection a hook closes, it is kept there, like `suiteServer = srv` (flow-creation.ts).
import { ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: "servers pushed to the suite's list before listen(), closed by the after hook",
    code: `
      import { describe, it, after } from 'node:test';
      import net from 'node:net';
      import { once } from 'node:events';
      describe('banner', () => {
        const servers = [];
        async function serve(banner) {
          const server = net.createServer((socket) => socket.end(banner + '\\r\\n'));
          servers.push(server);
          server.listen(0, '127.0.0.1');
          await once(server, 'listening');
          return server.address().port;
        }
        after(async () => {
          await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
        });
        it('reads the banner', async () => {
          const port = await serve('220 ready');
          const socket = net.connect(port, '127.0.0.1');
          socket.setEncoding('utf8');
          const [line] = await once(socket, 'data');
          socket.destroy();
          if (!line.startsWith('220')) throw new Error(line);
        });
      });`,
    ext: '.mjs',
    file: 'test/banner.test.mjs',
  },
];
