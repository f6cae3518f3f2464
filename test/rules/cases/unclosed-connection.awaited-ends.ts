// unclosed-connection: a test that awaits a connection's own end event in a promise of its own
// (`await new Promise((resolve) => client.once('disconnect', resolve))`): past it, the connection is gone — a Socket.IO
// client the server disconnected does not reconnect ("io server disconnect").
import { ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: "a test's Socket.IO client from a local helper whose awaited 'disconnect' promise ends the test: the server hung up, and it does not reconnect",
    code: `
      const { io: ioClient } = require('socket.io-client');
      const url = process.env.GATEWAY_URL;
      function connect(query) {
        const client = ioClient(url, { query, transports: ['websocket'], forceNew: true });
        return { client, firstQueue: new Promise((resolve) => client.once('queue', resolve)) };
      }
      test('turns away viewers of unknown locks', async () => {
        const { client } = connect({ lock: '../../etc' });
        const error = await new Promise((resolve) => client.once('gateway-error', resolve));
        expect(error).toEqual({ message: 'unknown lock' });
        await new Promise((resolve) => client.once('disconnect', resolve));
      });`,
    ext: '.js',
    file: 'test/gateway.test.js',
  },
];
