import { RuleTester } from '../helpers/rule-tester';

new RuleTester().run('fixed-local-port', {
  valid: [
    {
      name: 'localPort: 0 lets the kernel choose',
      code: `
        import * as net from 'net';
        export const s = net.connect({ host: 'db.internal', port: 5432, localPort: 0 });`,
    },
    {
      name: 'localAddress alone only picks the interface',
      code: `
        import * as net from 'net';
        export const s = net.connect({ host: 'db.internal', port: 5432, localAddress: '10.0.0.5' });`,
    },
    {
      name: 'no local options at all',
      code: `
        import https from 'https';
        https.get('https://example.com', (res) => res.resume());`,
    },
    {
      name: 'localPort from the caller is not a constant',
      code: `
        import * as net from 'net';
        export function open(port: number, localPort: number) {
          return net.connect({ port, localPort });
        }`,
    },
    {
      name: 'a localPort property on an unrelated object',
      code: `
        export const config = { localPort: 40000, remotePort: 22 };
        console.log(config.localPort);`,
    },
    {
      name: 'reading socket.localPort',
      code: `
        import * as net from 'net';
        const s = net.connect(80, 'example.com', () => {
          console.log('bound to', s.localPort);
          s.end();
        });`,
    },
    {
      name: 'the server side port is not a local client port',
      code: `
        import * as net from 'net';
        net.createServer((s) => s.end()).listen({ port: 40000 });`,
    },
    {
      name: 'a localPort option passed to a library we do not know',
      code: `
        import { Client } from 'ssh2';
        const conn = new Client();
        conn.connect({ host: 'h', port: 22, localPort: 40000 } as any);`,
    },
    {
      name: 'localPort from the environment with no default',
      code: `
        import * as net from 'net';
        export const s = net.connect({ port: 25, localPort: Number(process.env.SMTP_LOCAL_PORT) });`,
    },
    {
      name: 'options spread after the localPort may replace it',
      code: `
        import * as net from 'net';
        export function open(extra: net.NetConnectOpts) {
          return net.connect({ port: 25, localPort: 40000, ...extra });
        }`,
    },
    {
      name: 'a local function named connect',
      code: `
        function connect(o: { localPort: number }) { return o; }
        connect({ localPort: 40000 });`,
    },
  ],
  invalid: [
    {
      name: 'net.connect with a fixed localPort',
      code: `
        import * as net from 'net';
        export const socket = net.connect({ host: 'db.internal', port: 5432, localPort: 40000 });`,
      errors: [{ line: 2, messageId: 'fixed' }],
      output: `
        import * as net from 'net';
        export const socket = net.connect({ host: 'db.internal', port: 5432 });`,
    },
    {
      name: 'multi-line options: the whole line goes',
      code: `
        import net from 'node:net';
        export const socket = net.createConnection({
          host: 'db.internal',
          localPort: 40000,
          port: 5432,
        });`,
      errors: [{ line: 4 }],
      output: `
        import net from 'node:net';
        export const socket = net.createConnection({
          host: 'db.internal',
          port: 5432,
        });`,
    },
    {
      name: 'reconnect in a close handler',
      code: `
        import * as net from 'net';
        export function connect(): net.Socket {
          const s = net.connect({ port: 6379, localPort: 50000 });
          s.on('close', () => setTimeout(connect, 1000));
          return s;
        }`,
      errors: [{ line: 3, messageId: 'fixed' }],
    },
    {
      name: 'retry loop',
      code: `
        import * as net from 'net';
        export async function probe(hosts: string[]) {
          for (const host of hosts) {
            const s = net.connect({ host, port: 443, localPort: 41000 });
            s.destroy();
          }
        }`,
      errors: [{ line: 4, messageId: 'reconnect' }],
    },
    {
      name: 'inside a close handler',
      code: `
        import * as net from 'net';
        export class Link {
          private sock?: net.Socket;
          start() {
            this.sock = net.connect(7000);
            this.sock.on('close', () => {
              this.sock = net.connect({ port: 7000, localPort: 7001 });
            });
          }
        }`,
      errors: [{ line: 7, messageId: 'reconnect' }],
    },
    {
      name: 'tls.connect',
      code: `
        import * as tls from 'tls';
        export const s = tls.connect({ host: 'mail', port: 465, localPort: 2525, servername: 'mail' });`,
      errors: [{ line: 2 }],
    },
    {
      name: 'http.request options',
      code: `
        import * as http from 'http';
        export function ping() {
          const req = http.request({ host: 'api', path: '/health', localPort: 33000 }, (res) => res.resume());
          req.end();
        }`,
      errors: [{ line: 3 }],
    },
    {
      name: 'https.get with url and options',
      code: `
        import { get } from 'https';
        get('https://api.example.com', { localPort: 33001 }, (res) => res.resume());`,
      errors: [{ line: 2 }],
    },
    {
      name: 'an Agent whose sockets all bind one port',
      code: `
        import * as http from 'http';
        export const agent = new http.Agent({ keepAlive: true, maxSockets: 8, localPort: 45000 });`,
      errors: [{ line: 2, messageId: 'agent' }],
      output: `
        import * as http from 'http';
        export const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });`,
    },
    {
      name: 'options held by a const',
      code: `
        import * as net from 'net';
        const OPTIONS = { host: 'collector', port: 2003, localPort: 2004 };
        export function send(line: string) {
          const s = net.connect(OPTIONS, () => s.end(line));
        }`,
      errors: [{ line: 2 }],
    },
    {
      name: 'socket.connect on a net.Socket',
      code: `
        const net = require('net');
        const socket = new net.Socket();
        socket.connect({ port: 9000, host: 'plc.local', localPort: 9001 });`,
      ext: '.js',
      errors: [{ line: 3 }],
    },
    {
      name: 'localPort with an environment default',
      code: `
        import * as net from 'net';
        export const s = net.connect({ port: 25, localPort: Number(process.env.SMTP_LOCAL_PORT) || 2500 });`,
      errors: [{ line: 2 }],
    },
    {
      name: 'the only property',
      code: `
        import * as http from 'http';
        export const agent = new http.Agent({ localPort: 45000 });`,
      errors: [{ line: 2 }],
      output: `
        import * as http from 'http';
        export const agent = new http.Agent({});`,
    },
  ],
});
