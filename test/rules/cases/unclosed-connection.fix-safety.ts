// unclosed-connection: the close a fix inserts must not change what the code does. A socket the code
// wrote to is ended (`end()`: its data flushed first), not destroyed, which would drop what is queued.
import { InvalidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: "a test's ws client refused by a route, never closed, and no 'error' listener: a close() while it connects would throw, so the fix is for review",
    code: `
      import WebSocket from 'ws';
      it('refuses the upgrade without a token', async () => {
        const ws = new WebSocket('ws://127.0.0.1:8080/live');
        const status = await new Promise<number>((resolve, reject) => {
          ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.once('open', () => reject(new Error('upgraded')));
        });
        expect(status).toBe(401);
      });`,
    file: 'test/live.test.ts',
    errors: [{ line: 3 }],
    fixes: [
      "review: Close \`ws\` before the leaking exit (review: closing it while it still connects emits 'error', which nothing here listens for)",
      "review: Wrap the uses of \`ws\` in try/finally and close it in \`finally\` (review: closing it while it still connects emits 'error', which nothing here listens for)",
    ],
  },
  {
    name: "the same client with an 'error' listener: closing it in finally is safe",
    code: `
      import WebSocket from 'ws';
      it('refuses the upgrade without a token', async () => {
        const ws = new WebSocket('ws://127.0.0.1:8080/live');
        const status = await new Promise<number>((resolve, reject) => {
          ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.once('open', () => reject(new Error('upgraded')));
          ws.once('error', reject);
        });
        expect(status).toBe(401);
      });`,
    file: 'test/live2.test.ts',
    errors: [{ line: 3 }],
    fixes: ['safe: Close \`ws\` before the leaking exit', 'safe: Wrap the uses of \`ws\` in try/finally and close it in \`finally\`'],
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
];
