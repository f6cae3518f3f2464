// unclosed-connection: a connection of a server made with `allowHalfOpen: true`, whose handler ends it
// somewhere. Node does not end it when the client does: after the client's FIN only its 'end' listener (or an
// idle timeout that destroys it) can, and an end() in a 'data' listener covers only the clients that ask for
// it. (A handler that never ends its connections is the half-open-socket rule's finding.) Options spread before
// `allowHalfOpen: true` cannot undo it; spread after it, they may. A readline interface's 'line' listener is one on its
// 'data': an end() there (a `quit` command) covers only the clients that ask for it.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A TLS collector whose 'end' listener flushes, then answers and ends; `options` are the server's options. */
const signalServer = (options: string) => `
      const tls = require('tls');
      const { postBatch } = require('./historian');
      function createSignalServer(tlsOptions) {
        return tls.createServer(${options}, (socket) => {
          const batch = [];
          socket.on('data', (chunk) => batch.push(chunk));
          socket.on('end', async () => {
            try {
              await postBatch(batch);
              socket.end('ACK\\n');
            } catch (err) {
              console.error('final flush failed', err.message);
            }
          });
          socket.on('error', () => {});
        });
      }
      module.exports = { createSignalServer };`;

export const valid: ValidCase[] = [
  {
    name: 'the same collector when the options are spread after `allowHalfOpen` (they may turn it off again)',
    ext: '.js',
    code: signalServer('{ allowHalfOpen: true, ...tlsOptions }'),
  },
  {
    name: "a half-open server whose 'end' listener answers and ends the connection on every path",
    code: `
      import net from 'node:net';
      export function startCallbackListener(port: number, onFrame: (f: Buffer) => void): net.Server {
        const server = net.createServer({ allowHalfOpen: true }, (socket) => {
          const chunks: Buffer[] = [];
          socket.on('data', (chunk: Buffer) => chunks.push(chunk));
          socket.on('end', () => {
            const message = Buffer.concat(chunks);
            if (message.length < 6) {
              socket.end('NAK\\n');
              return;
            }
            onFrame(message);
            socket.end('ACK\\n');
          });
          socket.on('error', () => socket.destroy());
        });
        server.listen(port);
        return server;
      }`,
  },
  {
    name: 'a half-open command port whose idle timeout destroys connections the client left',
    code: `
      import net from 'node:net';
      export function startStatusPort(port: number): net.Server {
        const server = net.createServer({ allowHalfOpen: true }, (sock) => {
          sock.setTimeout(60_000, () => sock.destroy());
          sock.on('data', (chunk: Buffer) => {
            if (chunk.toString().trim() === 'quit') sock.end('bye\\n');
            else sock.write('pong\\n');
          });
          sock.on('error', () => sock.destroy());
        });
        server.listen(port, '127.0.0.1');
        return server;
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a half-open admin console that ends a connection only on its 'quit' line: a client that just disconnects stays in CLOSE_WAIT",
    ext: '.js',
    code: `
      const net = require('net');
      const readline = require('readline');
      function startAdminConsole(port) {
        const server = net.createServer({ allowHalfOpen: true }, (socket) => {
          const rl = readline.createInterface({ input: socket, crlfDelay: Infinity });
          socket.on('error', () => rl.close());
          rl.on('line', (line) => {
            if (line.trim() === 'quit') {
              socket.end('bye\\n');
              return;
            }
            socket.write('ok\\n');
          });
        });
        server.listen(port);
        return server;
      }
      module.exports = { startAdminConsole };`,
    errors: [{ line: 4, message: /^Socket from `net.createServer` is never closed; it stays open when the function ends \(line 14\)/ }],
  },
  {
    name: "a half-open TLS collector, its options spread before `allowHalfOpen: true`, whose failed flush leaves the connection unended",
    ext: '.js',
    code: signalServer('{ ...tlsOptions, requestCert: true, allowHalfOpen: true }'),
    errors: [{ line: 4, message: /^Socket from `tls.createServer` is not closed when the function ends \(line 14\)/ }],
  },
  {
    name: "a half-open server whose 'end' listener returns on a malformed frame without ending the connection",
    code: `
      import net from 'node:net';
      export function startCallbackListener(port: number, onFrame: (f: Buffer) => void): net.Server {
        const server = net.createServer({ allowHalfOpen: true }, (socket) => {
          const chunks: Buffer[] = [];
          socket.on('data', (chunk: Buffer) => chunks.push(chunk));
          socket.on('end', () => {
            const message = Buffer.concat(chunks);
            if (message.length < 6) {
              return;
            }
            onFrame(message);
            socket.end('ACK\\n');
          });
          socket.on('error', () => socket.destroy());
        });
        server.listen(port);
        return server;
      }`,
    errors: [{ line: 3, message: /when the `return` on line 9 is taken\. With `allowHalfOpen: true`/ }],
    fixes: [],
  },
  {
    name: "a half-open command port that ends connections only on 'quit': a client that just closes leaves one in CLOSE_WAIT",
    code: `
      import net from 'node:net';
      export function startStatusPort(port: number): net.Server {
        const server = net.createServer({ allowHalfOpen: true }, (sock) => {
          sock.on('data', (chunk: Buffer) => {
            if (chunk.toString().trim() === 'quit') sock.end('bye\\n');
            else sock.write('pong\\n');
          });
          sock.on('error', () => sock.destroy());
        });
        server.listen(port, '127.0.0.1');
        return server;
      }`,
    errors: [{ line: 3, message: /CLOSE_WAIT until the process exits; end it in its 'end' listener/ }],
    fixes: [],
  },
  {
    name: "the same command port with an 'end' listener that only logs: the client's FIN closes nothing of a half-open connection",
    code: `
      import net from 'node:net';
      export function startStatusPort(port: number): net.Server {
        const server = net.createServer({ allowHalfOpen: true }, (sock) => {
          sock.on('data', (chunk: Buffer) => {
            if (chunk.toString().trim() === 'quit') sock.end('bye\\n');
            else sock.write('pong\\n');
          });
          sock.on('end', () => console.log('client finished sending'));
          sock.on('error', () => sock.destroy());
        });
        server.listen(port, '127.0.0.1');
        return server;
      }`,
    errors: [{ line: 3, message: /CLOSE_WAIT until the process exits; end it in its 'end' listener/ }],
    fixes: [],
  },
];
