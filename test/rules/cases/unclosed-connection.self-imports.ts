// unclosed-connection: a library's own tests use it by path (`import { Server } from '..'`). In the
// socket.io package that is Socket.IO's `Server`, whose `close()` closes the HTTP server it was made
// with, as it is for users who import it by name; in another package, '..' is just that package.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A protocol test of a realtime server package whose package.json is named `name`. */
function protocolTest(name: string): Pick<ValidCase, 'code' | 'file' | 'files'> {
  return {
    code: `
      import { createServer } from 'http';
      import request from 'supertest';
      import { Server } from '..';
      it('closes the session on an invalid packet', async () => {
        const httpServer = createServer();
        const io = new Server(httpServer);
        httpServer.listen(0);
        await request(httpServer).post('/socket.io/').send('4abc');
        io.close();
      });`,
    file: 'test/close.test.ts',
    files: { 'package.json': JSON.stringify({ name, main: './dist/index.js', devDependencies: { supertest: '^7.0.0' } }) },
  };
}

export const valid: ValidCase[] = [
  {
    name: "socket.io's own test: Server imported from '..' is Socket.IO's, whose close() closes the HTTP server",
    ...protocolTest('socket.io'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "the same test in another package: its Server from '..' is no Socket.IO, and the HTTP server stays open",
    ...protocolTest('realtime-gateway'),
    errors: [{ line: 5, message: /^Server from `http\.createServer` is never closed/ }],
  },
];
