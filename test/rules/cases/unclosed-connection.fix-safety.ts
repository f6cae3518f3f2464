// unclosed-connection: the close a fix inserts must not change what the code does. A socket the code
// wrote to is ended (`end()`: its data flushed first), not destroyed, which would drop what is queued.
import { InvalidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
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
