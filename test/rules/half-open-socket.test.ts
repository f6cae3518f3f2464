import { RuleTester } from '../helpers/rule-tester';

new RuleTester().run('half-open-socket', {
  valid: [
    {
      name: 'the default (allowHalfOpen: false): Node ends our side after end',
      code: `
        import * as net from 'net';
        net.createServer((socket) => {
          socket.on('data', (d) => console.log(d));
        }).listen(7000);`,
    },
    {
      name: 'allowHalfOpen: false written out',
      code: `
        import * as net from 'net';
        net.createServer({ allowHalfOpen: false }, (socket) => {
          socket.on('data', (d) => console.log(d));
        }).listen(7000);`,
    },
    {
      name: 'the end handler ends our side after the last write',
      code: `
        import * as net from 'net';
        net.createServer({ allowHalfOpen: true }, (socket) => {
          const chunks: Buffer[] = [];
          socket.on('data', (d) => chunks.push(d));
          socket.on('end', () => {
            socket.write(Buffer.concat(chunks).reverse());
            socket.end();
          });
        }).listen(7000);`,
    },
    {
      name: 'socket.pipe(socket): the echo ends itself',
      code: `
        import * as net from 'net';
        net.createServer({ allowHalfOpen: true }, (socket) => {
          socket.pipe(socket);
        }).listen(7001);`,
    },
    {
      name: 'a response stream piped into the socket ends it',
      code: `
        import * as net from 'net';
        import * as fs from 'fs';
        net.createServer({ allowHalfOpen: true }, (socket) => {
          socket.on('end', () => fs.createReadStream('/etc/motd').pipe(socket));
        }).listen(7002);`,
    },
    {
      name: 'pipeline into the socket',
      code: `
        import * as net from 'net';
        import { pipeline } from 'stream';
        import * as zlib from 'zlib';
        net.createServer({ allowHalfOpen: true }, (socket) => {
          pipeline(socket, zlib.createGzip(), socket, () => undefined);
        }).listen(7003);`,
    },
    {
      name: 'handed to a handler we cannot see',
      code: `
        import * as net from 'net';
        import { handle } from './protocol';
        net.createServer({ allowHalfOpen: true }, (socket) => handle(socket)).listen(7004);`,
    },
    {
      name: 'destroyed with a function-expression handler using this',
      code: `
        const net = require('net');
        net.createServer({ allowHalfOpen: true }, (socket) => {
          socket.on('end', function () { this.destroy(); });
        }).listen(7005);`,
      ext: '.js',
    },
    {
      name: 'a client that ends after writing its request',
      code: `
        import * as net from 'net';
        export function send(port: number, line: string) {
          const s = net.connect({ port, allowHalfOpen: true });
          s.on('data', (d) => console.log(d.toString()));
          s.end(line);
        }`,
    },
    {
      name: 'a client socket returned to the caller',
      code: `
        import * as net from 'net';
        export function open(port: number) {
          const s = new net.Socket({ allowHalfOpen: true });
          s.connect(port);
          return s;
        }`,
    },
    {
      name: 'a local helper that ends the socket',
      code: `
        import * as net from 'net';
        function finish(sock: net.Socket) {
          sock.on('end', () => sock.end());
        }
        net.createServer({ allowHalfOpen: true }, (socket) => {
          socket.write('hello');
          finish(socket);
        }).listen(7006);`,
    },
    {
      name: 'an http server (its own half-open handling)',
      code: `
        import * as http from 'http';
        http.createServer({ allowHalfOpen: true } as any, (req, res) => res.end()).listen(8080);`,
    },
  ],
  invalid: [
    {
      name: 'the end handler only logs',
      code: `
        import * as net from 'net';
        net.createServer({ allowHalfOpen: true }, (socket) => {
          socket.on('data', (d) => socket.write(d));
          socket.on('end', () => console.log('client done'));
        }).listen(7000);`,
      errors: [{ line: 2, messageId: 'server' }],
      output: `
        import * as net from 'net';
        net.createServer({ allowHalfOpen: true }, (socket) => {
          socket.on('end', () => socket.end());
          socket.on('data', (d) => socket.write(d));
          socket.on('end', () => console.log('client done'));
        }).listen(7000);`,
    },
    {
      name: 'no end handler at all',
      code: `
        const net = require('net');
        const server = net.createServer({ allowHalfOpen: true }, function (conn) {
          conn.setEncoding('utf8');
          conn.on('data', (line) => console.log(line));
        });
        server.listen(9000);`,
      ext: '.js',
      errors: [{ line: 2 }],
    },
    {
      name: 'connection event on the server',
      code: `
        import net from 'node:net';
        const server = net.createServer({ allowHalfOpen: true });
        server.on('connection', (sock) => {
          sock.on('data', (d) => console.log(d.length));
        });
        server.listen(7100);`,
      errors: [{ line: 2 }],
      output: `
        import net from 'node:net';
        const server = net.createServer({ allowHalfOpen: true });
        server.on('connection', (sock) => {
          sock.on('end', () => sock.end());
          sock.on('data', (d) => console.log(d.length));
        });
        server.listen(7100);`,
    },
    {
      name: 'new net.Server',
      code: `
        import { Server } from 'net';
        const srv = new Server({ allowHalfOpen: true }, (s) => {
          s.on('readable', () => s.read());
        });
        srv.listen(7200);`,
      errors: [{ line: 2 }],
    },
    {
      name: 'a client socket that is read but never ended',
      code: `
        import * as net from 'net';
        export function tail(port: number) {
          const s = net.connect({ port, allowHalfOpen: true });
          s.on('data', (d) => process.stdout.write(d));
          s.on('end', () => console.log('server finished'));
        }`,
      errors: [{ line: 3, messageId: 'client' }],
      output: `
        import * as net from 'net';
        export function tail(port: number) {
          const s = net.connect({ port, allowHalfOpen: true });
          s.on('end', () => s.end());
          s.on('data', (d) => process.stdout.write(d));
          s.on('end', () => console.log('server finished'));
        }`,
    },
    {
      name: 'new net.Socket with allowHalfOpen',
      code: `
        import * as net from 'net';
        export function subscribe(port: number) {
          const sock = new net.Socket({ allowHalfOpen: true });
          sock.connect(port, 'feed.local');
          sock.on('data', (d) => console.log(d));
        }`,
      errors: [{ line: 3 }],
    },
    {
      name: 'options held by a const',
      code: `
        import * as net from 'net';
        const OPTS = { allowHalfOpen: true, pauseOnConnect: false };
        net.createServer(OPTS, (socket) => {
          socket.on('data', (d) => console.log(d));
        }).listen(7300);`,
      errors: [{ line: 2 }],
    },
    {
      name: 'a listener that ignores its socket',
      code: `
        import * as net from 'net';
        let count = 0;
        net.createServer({ allowHalfOpen: true }, () => {
          count++;
        }).listen(7400);`,
      errors: [{ line: 3 }],
    },
    {
      name: 'writes in the end handler but never ends',
      code: `
        import * as net from 'net';
        net.createServer({ allowHalfOpen: true }, (socket) => {
          let total = 0;
          socket.on('data', (d) => { total += d.length; });
          socket.on('end', () => {
            socket.write(String(total));
          });
        }).listen(7500);`,
      errors: [{ line: 2 }],
    },
    {
      name: 'a socket piped out to a file only',
      code: `
        import * as net from 'net';
        import * as fs from 'fs';
        net.createServer({ allowHalfOpen: true }, (socket) => {
          socket.pipe(fs.createWriteStream('/tmp/upload.bin'));
        }).listen(7600);`,
      errors: [{ line: 3 }],
    },
    {
      name: 'createConnection in a class method',
      code: `
        import { createConnection } from 'net';
        export class Feed {
          start(port: number) {
            const conn = createConnection({ port, allowHalfOpen: true });
            conn.on('data', (d) => this.onData(d));
          }
          onData(d: Buffer) { console.log(d); }
        }`,
      errors: [{ line: 4 }],
    },
  ],
});
