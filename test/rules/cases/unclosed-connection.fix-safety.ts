// unclosed-connection: the close a fix inserts must not change what the code does. A socket the code
// wrote to is ended (`end()`: its data flushed first), not destroyed, which would drop what is queued.
// A project class whose release is `async stop()` is stopped with `await` where the function can wait.
import { InvalidCase } from '../../helpers/rule-tester';

/** A test of a project engine whose class closes its Redis client in `async stop()`; `end` ends the test. */
function engineTest(end: string): string {
  return `
      import Redis from 'ioredis';
      class Engine {
        private client?: Redis;
        async start(): Promise<void> { this.client = new Redis(); await this.client.ping(); }
        async stop(): Promise<void> { await this.client?.quit(); }
      }
      it('gets what it set', async () => {
        const engine = new Engine();
        await engine.start();
        expect(engine).toBeDefined();
${end}      });`;
}

export const invalid: InvalidCase[] = [
  {
    name: "a test's ws client never waited for and never closed, with no 'error' listener: a close() while it still connects would throw, so the fix is for review",
    code: `
      import WebSocket from 'ws';
      import { viewers } from './stats';
      it('counts the viewer', async () => {
        const ws = new WebSocket('ws://127.0.0.1:8080/live');
        const count = await viewers();
        expect(count).toBeGreaterThan(0);
      });`,
    file: 'test/live.test.ts',
    files: { 'test/stats.ts': 'export async function viewers(): Promise<number> { return 1; }\n' },
    errors: [{ line: 4 }],
    fixes: [
      "review: Close \`ws\` before the leaking exit (review: closing it while it still connects emits 'error', which nothing here listens for)",
      "review: Wrap the uses of \`ws\` in try/finally and close it in \`finally\` (review: closing it while it still connects emits 'error', which nothing here listens for)",
    ],
  },
  {
    name: "the same client with an 'error' listener: closing it at the end is safe",
    code: `
      import WebSocket from 'ws';
      import { viewers } from './stats';
      it('counts the viewer', async () => {
        const ws = new WebSocket('ws://127.0.0.1:8080/live');
        ws.on('error', () => undefined);
        const count = await viewers();
        expect(count).toBeGreaterThan(0);
      });`,
    file: 'test/live2.test.ts',
    files: { 'test/stats.ts': 'export async function viewers(): Promise<number> { return 1; }\n' },
    errors: [{ line: 4 }],
    fixes: ['safe: Close \`ws\` before the leaking exit', 'review: Wrap the uses of \`ws\` in try/finally and close it in \`finally\` (review: a callback may still use it)'],
  },
  {
    name: "a test proxy's CONNECT handler that writes a 407 and returns: the fix ends the socket (destroy() could drop the answer)",
    code: `
      const http = require('http');
      const net = require('net');
      function createProxy(auth) {
        const server = http.createServer();
        server.on('connect', (req, clientSocket, head) => {
          if (req.headers['proxy-authorization'] !== auth) {
            clientSocket.write('HTTP/1.1 407 Proxy Authentication Required\\r\\n\\r\\n');
            return;
          }
          const upstream = net.connect(443, 'example.com', () => {
            clientSocket.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
            upstream.write(head);
            upstream.pipe(clientSocket);
            clientSocket.pipe(upstream);
          });
        });
        return server;
      }
      module.exports = { createProxy };`,
    ext: '.js',
    errors: [{ line: 5, message: /`return` on line 8/ }],
    fixes: ['safe: Close `clientSocket` before the leaking exit'],
    output: `
      const http = require('http');
      const net = require('net');
      function createProxy(auth) {
        const server = http.createServer();
        server.on('connect', (req, clientSocket, head) => {
          if (req.headers['proxy-authorization'] !== auth) {
            clientSocket.write('HTTP/1.1 407 Proxy Authentication Required\\r\\n\\r\\n');
            clientSocket.end();
            return;
          }
          const upstream = net.connect(443, 'example.com', () => {
            clientSocket.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
            upstream.write(head);
            upstream.pipe(clientSocket);
            clientSocket.pipe(upstream);
          });
        });
        return server;
      }
      module.exports = { createProxy };`,
  },
  {
    name: 'a tarpit server whose handler never uses its connections: closing them is for review',
    code: `
      const net = require('node:net');
      function startTarpit(port) {
        const server = net.createServer((_socket) => {});
        server.listen(port);
        return server;
      }
      module.exports = { startTarpit };`,
    ext: '.js',
    errors: [{ line: 3, message: /CLOSE_WAIT/ }],
    fixes: ['review: Close `_socket` before the leaking exit (review: the handler never uses the connection, and may hold it open on purpose)'],
  },
  {
    name: "a stub server that answers each connection and leaves it to the client: the fix drains it (ending it would close first, which its client does not expect)",
    code: `
      const { createServer } = require('net');
      function keepAliveStub() {
        const server = createServer((socket) => {
          socket.write('HTTP/1.1 200 OK\\r\\n');
          socket.write('Keep-Alive: timeout=2s\\r\\n\\r\\n');
        });
        server.listen(0);
        return server;
      }
      module.exports = { keepAliveStub };`,
    ext: '.js',
    errors: [{ line: 3 }],
    fixes: ["safe: Drain `socket` before the leaking exit (the client's close then closes it)"],
    output: `
      const { createServer } = require('net');
      function keepAliveStub() {
        const server = createServer((socket) => {
          socket.write('HTTP/1.1 200 OK\\r\\n');
          socket.write('Keep-Alive: timeout=2s\\r\\n\\r\\n');
          socket.resume();
        });
        server.listen(0);
        return server;
      }
      module.exports = { keepAliveStub };`,
  },
  {
    name: 'the same answer from a server with allowHalfOpen: draining would not close it, so it is ended',
    code: `
      const { createServer } = require('net');
      test('half-open server', async () => {
        const server = createServer({ allowHalfOpen: true }, (socket) => {
          socket.write('HTTP/1.1 200 OK\\r\\n\\r\\n');
        });
        after(() => server.close());
        server.listen(0);
      });`,
    ext: '.js',
    errors: [{ line: 3 }],
    output: `
      const { createServer } = require('net');
      test('half-open server', async () => {
        const server = createServer({ allowHalfOpen: true }, (socket) => {
          socket.write('HTTP/1.1 200 OK\\r\\n\\r\\n');
          socket.end();
        });
        after(() => server.close());
        server.listen(0);
      });`,
  },
  {
    name: "a test's engine whose class stops it with `async stop()`: the fix awaits the stop",
    code: engineTest(''),
    file: 'test/engine.test.ts',
    errors: [{ line: 8 }],
    fixes: ['safe: Close `engine` before the leaking exit', 'safe: Wrap the uses of `engine` in try/finally and close it in `finally`'],
    output: engineTest('        await engine.stop();\n'),
  },
];
