import { RuleTester } from '../helpers/rule-tester';

// The rule is off by default: enable it for the cases through a .lingerrc.json beside them.
const tester = new RuleTester({ config: { rules: { 'missing-keepalive': 'hint' } } });

tester.run('missing-keepalive', {
  valid: [
    {
      name: 'a short-lived socket in a function',
      code: `
        import * as net from 'net';
        export function ping(port: number) {
          const s = net.connect(port, 'localhost', () => s.end('PING'));
        }`,
    },
    {
      name: 'keepAlive: true in the options',
      code: `
        import * as net from 'net';
        export class Conn {
          private socket = net.connect({ host: 'db', port: 5432, keepAlive: true, keepAliveInitialDelay: 10_000 });
        }`,
    },
    {
      name: 'setKeepAlive on the field',
      code: `
        import * as net from 'net';
        export class Conn {
          private socket?: net.Socket;
          open(port: number) {
            this.socket = net.connect(port);
            this.socket.setKeepAlive(true, 30_000);
          }
        }`,
    },
    {
      name: 'setKeepAlive in the connect callback',
      code: `
        import * as net from 'net';
        export const feed = net.connect(9000, 'feed', () => {
          feed.setKeepAlive(true);
        });`,
    },
    {
      name: 'options built elsewhere may carry keepAlive',
      code: `
        import * as net from 'net';
        export class Conn {
          socket: net.Socket;
          constructor(opts: net.NetConnectOpts) {
            this.socket = net.connect(opts);
          }
        }`,
    },
    {
      name: 'a socket returned to the caller',
      code: `
        import * as net from 'net';
        export function open(port: number) {
          return net.connect(port);
        }`,
    },
    {
      name: 'a server is not a client socket',
      code: `
        import * as net from 'net';
        export const server = net.createServer((s) => s.end());`,
    },
    {
      name: 'an HTTP agent has keep-alive of its own',
      code: `
        import * as http from 'http';
        export const agent = new http.Agent({ keepAlive: true });`,
    },
    {
      name: 'a socket in a local variable of a method',
      code: `
        import * as tls from 'tls';
        export class Checker {
          check(host: string) {
            const s = tls.connect({ host, port: 443, servername: host }, () => s.end());
          }
        }`,
    },
    {
      name: 'a static field holding a connection factory result is not per-object',
      code: `
        import * as net from 'net';
        export class Registry {
          static probe = () => net.connect(1);
        }`,
    },
    {
      name: 'keepAlive from configuration',
      code: `
        import * as net from 'net';
        declare const config: { keepAlive: boolean };
        export const link = net.connect({ port: 7000, keepAlive: config.keepAlive });`,
    },
  ],
  invalid: [
    {
      name: 'a module-level connection without keep-alive',
      code: `
        import * as net from 'net';
        export const link = net.connect({ host: 'broker', port: 1883 });`,
      errors: [{ line: 2 }],
      output: `
        import * as net from 'net';
        export const link = net.connect({ host: 'broker', port: 1883, keepAlive: true });`,
    },
    {
      name: 'a field assigned in a method',
      code: `
        import * as net from 'net';
        export class Conn {
          private socket?: net.Socket;
          open(port: number) {
            this.socket = net.connect({ port, host: 'db' });
          }
        }`,
      errors: [{ line: 5 }],
      output: `
        import * as net from 'net';
        export class Conn {
          private socket?: net.Socket;
          open(port: number) {
            this.socket = net.connect({ port, host: 'db', keepAlive: true });
          }
        }`,
    },
    {
      name: 'a property initialiser',
      code: `
        import { createConnection } from 'net';
        export class Tail {
          conn = createConnection({ port: 514, host: 'syslog' });
        }`,
      errors: [{ line: 3 }],
    },
    {
      name: 'new net.Socket in a constructor',
      code: `
        import * as net from 'net';
        export class Plc {
          private sock: net.Socket;
          constructor() {
            this.sock = new net.Socket();
            this.sock.connect(502, 'plc.local');
          }
        }`,
      errors: [{ line: 5 }],
    },
    {
      name: 'port and host arguments',
      code: `
        import * as net from 'net';
        export class Stream {
          private s: net.Socket;
          constructor(port: number, host: string) {
            this.s = net.connect(port, host);
          }
        }`,
      errors: [{ line: 5 }],
    },
    {
      name: 'tls.connect kept in a field',
      code: `
        import * as tls from 'tls';
        export class Secure {
          private s?: tls.TLSSocket;
          start() {
            this.s = tls.connect({ host: 'mq', port: 5671, servername: 'mq' });
          }
        }`,
      errors: [{ line: 5 }],
    },
    {
      name: 'keepAlive: false',
      code: `
        import * as net from 'net';
        export const control = net.connect({ port: 21, host: 'ftp', keepAlive: false });`,
      errors: [{ line: 2 }],
    },
    {
      name: 'CommonJS module variable',
      code: `
        const net = require('net');
        let upstream = net.createConnection({ port: 6379 });
        module.exports = { get: () => upstream };`,
      ext: '.js',
      errors: [{ line: 2 }],
    },
    {
      name: 'multi-line options with a trailing comma',
      code: `
        import * as net from 'net';
        export const link = net.connect({
          host: 'broker',
          port: 1883,
        });`,
      errors: [{ line: 2 }],
      output: `
        import * as net from 'net';
        export const link = net.connect({
          host: 'broker',
          port: 1883,
          keepAlive: true,
        });`,
    },
    {
      name: 'a reconnecting client keeps its socket in a field',
      code: `
        import * as net from 'net';
        export class Reconnecting {
          private socket?: net.Socket;
          connect() {
            this.socket = net.connect({ port: 4222, host: 'nats' });
            this.socket.on('close', () => setTimeout(() => this.connect(), 1000));
          }
        }`,
      errors: [{ line: 5 }],
    },
  ],
});
