// unclosed-connection: a connection opened inside an awaited promise's executor (`await new Promise((res, rej)
// => conn.connect(cb))`) is open once that promise is made, and a failed connect rejects the `await`. A server's
// `listen()` there is no such opening: handed to a project attach() before it, it is that object's.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: "a test hook's server handed to a project attach() before it listens in an awaited executor: the Socket.IO server it returns closes it",
    file: 'src/realtime/io.test.ts',
    code: `
      import { createServer } from 'node:http';
      import type { AddressInfo } from 'node:net';
      import { afterAll, beforeAll, describe, it } from 'vitest';
      import type { Server } from 'socket.io';
      import { attachRealtime } from './io';
      describe('realtime', () => {
        let io: Server;
        let url: string;
        beforeAll(async () => {
          const httpServer = createServer();
          io = attachRealtime(httpServer);
          await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve()));
          url = 'http://127.0.0.1:' + (httpServer.address() as AddressInfo).port;
        });
        afterAll(async () => {
          await new Promise<void>((resolve) => io.close(() => resolve()));
        });
        it('has a url', () => {
          if (!url) throw new Error('no url');
        });
      });`,
    files: {
      'src/realtime/io.ts': `import type { Server as HttpServer } from 'node:http';\nimport { Server } from 'socket.io';\nexport function attachRealtime(httpServer: HttpServer): Server {\n  const io = new Server(httpServer, { pingTimeout: 10_000 });\n  io.on('connection', (socket) => socket.emit('hello'));\n  return io;\n}\n`,
    },
  },
  {
    name: "a tedious connection opened in an awaited promise's executor, closed in finally (a failed connect rejects the await)",
    ext: '.mjs',
    code: `
      import { Connection } from 'tedious';
      export async function ping(config, run) {
        const connection = new Connection(config);
        await new Promise((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
        try {
          return await run(connection);
        } finally {
          connection.close();
        }
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a tedious connection opened in an awaited promise's executor, closed only at the end of the happy path",
    ext: '.mjs',
    code: `
      import { Connection, Request } from 'tedious';
      function exec(connection, sql) {
        return new Promise((resolve, reject) => {
          const rows = [];
          const request = new Request(sql, (err) => (err ? reject(err) : resolve(rows)));
          request.on('row', (columns) => rows.push(columns));
          connection.execSql(request);
        });
      }
      export async function countSites(config) {
        const connection = new Connection(config);
        await new Promise((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
        const sites = await exec(connection, 'SELECT SiteCode FROM dbo.Sites');
        if (sites.length === 0) {
          return 0;
        }
        connection.close();
        return sites.length;
      }`,
    errors: [{ line: 11, message: /when the `return` on line 15 is taken, and on 1 other path/ }],
  },
];
