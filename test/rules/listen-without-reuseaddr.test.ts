import { RuleTester } from '../helpers/rule-tester';

new RuleTester().run('listen-without-reuseaddr', {
  valid: [
    {
      name: 'net server on a fixed port: libuv sets SO_REUSEADDR on Unix',
      code: `
        import * as net from 'net';
        const server = net.createServer((socket) => socket.pipe(socket));
        server.listen(7000, '0.0.0.0');`,
    },
    {
      name: 'http server with a configurable port',
      code: `
        import http from 'node:http';
        http.createServer((req, res) => res.end('ok')).listen(process.env.PORT ?? 8080);`,
    },
    {
      name: 'https, tls and http2 servers',
      code: `
        import https from 'https';
        import tls from 'tls';
        import http2 from 'http2';
        declare const key: Buffer, cert: Buffer;
        https.createServer({ key, cert }, (req, res) => res.end()).listen(443);
        tls.createServer({ key, cert }, (s) => s.end()).listen(8443);
        http2.createSecureServer({ key, cert }).listen({ port: 9443 });`,
    },
    {
      name: 'express app.listen',
      code: `
        import express from 'express';
        const app = express();
        app.get('/', (req: any, res: any) => res.send('hi'));
        app.listen(Number(process.env.PORT) || 3000, () => console.log('up'));`,
    },
    {
      name: 'fastify and koa listen',
      code: `
        const Fastify = require('fastify');
        const Koa = require('koa');
        const fastify = Fastify({ logger: true });
        fastify.listen({ port: 3000, host: '0.0.0.0' });
        const app = new Koa();
        app.listen(4000);`,
      ext: '.js',
    },
    {
      name: 'Deno TCP listeners: Deno sets SO_REUSEADDR except on Windows',
      code: `
        declare const Deno: any;
        const listener = Deno.listen({ port: 8080, hostname: '0.0.0.0' });
        Deno.serve({ port: 8000 }, () => new Response('hi'));`,
    },
    {
      name: 'Bun.serve and Bun.listen: usockets sets SO_REUSEADDR on Unix listen sockets',
      code: `
        declare const Bun: any;
        Bun.serve({ port: 3000, fetch: () => new Response('ok') });
        Bun.listen({ hostname: 'localhost', port: 9000, socket: { data() {} } });`,
    },
    {
      name: 'dgram socket bound to port 0 or to no port',
      code: `
        import * as dgram from 'dgram';
        const a = dgram.createSocket('udp4');
        a.bind(0);
        const b = dgram.createSocket('udp4');
        b.bind();
        const c = dgram.createSocket('udp6');
        c.bind(() => c.send('ping', 9999, 'localhost'));`,
    },
    {
      name: 'dgram socket that asks for reuseAddr',
      code: `
        import dgram from 'node:dgram';
        const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
        socket.bind(5353, () => socket.addMembership('224.0.0.251'));`,
    },
    {
      name: 'Deno.listenDatagram with reuseAddress',
      code: `
        declare const Deno: any;
        const conn = Deno.listenDatagram({ port: 5353, transport: 'udp', reuseAddress: true });`,
    },
    {
      name: 'dgram port only known at run time',
      code: `
        import * as dgram from 'dgram';
        export function listen(port: number) {
          const s = dgram.createSocket('udp4');
          s.bind(port, () => s.addMembership('239.1.2.3'));
          return s;
        }`,
    },
    {
      name: 'socket options built elsewhere',
      code: `
        import * as dgram from 'dgram';
        export function open(opts: dgram.SocketOptions) {
          const s = dgram.createSocket(opts);
          s.bind(41234, () => s.addMembership('239.1.2.3'));
          return s;
        }`,
    },
    {
      name: 'a bind() that is not a socket bind',
      code: `
        export class Handler {
          run() {}
        }
        const h = new Handler();
        const f = h.run.bind(h, 8080);`,
    },
    // A unicast receiver: UDP has no TIME_WAIT, so a restart binds again as soon as the old process is
    // gone; the exclusive bind only stops a second live instance, which with reuseAddr would silently
    // take the datagrams ("steal" semantics, dgram.md § createSocket).
    {
      name: "unicast: createSocket('udp4') bound to a fixed port",
      code: `
        import * as dgram from 'dgram';
        const server = dgram.createSocket('udp4');
        server.on('message', (msg, rinfo) => console.log(msg, rinfo));
        server.bind(41234);`,
    },
    {
      name: 'unicast: destructured createSocket',
      code: `
        import { createSocket } from 'dgram';
        const statsd = createSocket('udp4');
        statsd.bind(8125);`,
    },
    {
      name: 'unicast: port with an environment default',
      code: `
        import * as dgram from 'dgram';
        const s = dgram.createSocket('udp4');
        s.bind(Number(process.env.SYSLOG_PORT) || 5514);`,
    },
    {
      name: 'unicast: port held by a const',
      code: `
        import * as dgram from 'dgram';
        const PORT = 41848;
        const s = dgram.createSocket('udp4');
        s.bind(PORT);`,
    },
    {
      name: 'unicast: bound in a loop of sockets',
      code: `
        import * as dgram from 'dgram';
        for (const iface of ['a', 'b']) {
          const s = dgram.createSocket('udp4');
          s.bind(5000, iface);
        }`,
    },
    {
      name: 'unicast: chained createSocket().bind()',
      code: `
        import * as dgram from 'dgram';
        dgram.createSocket('udp4').bind(41234);`,
    },
    {
      name: 'unicast: Deno.listenDatagram on a fixed port',
      code: `
        declare const Deno: any;
        const conn = Deno.listenDatagram({ port: 5353, hostname: '0.0.0.0', transport: 'udp' });`,
    },
  ],
  invalid: [
    {
      name: 'a multicast receiver bound to a fixed port',
      code: `
        import dgram from 'node:dgram';
        const socket = dgram.createSocket({ type: 'udp4' });
        socket.bind(5353, () => {
          socket.addMembership('224.0.0.251');
        });`,
      errors: [{ line: 3, messageId: 'multicast' }],
      output: `
        import dgram from 'node:dgram';
        const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
        socket.bind(5353, () => {
          socket.addMembership('224.0.0.251');
        });`,
    },
    {
      name: 'reuseAddr: false turned on',
      code: `
        import * as dgram from 'dgram';
        const s = dgram.createSocket({ type: 'udp6', reuseAddr: false });
        s.bind({ port: 9999, address: '::' }, () => s.addMembership('ff02::fb'));`,
      errors: [{ line: 3 }],
      output: `
        import * as dgram from 'dgram';
        const s = dgram.createSocket({ type: 'udp6', reuseAddr: true });
        s.bind({ port: 9999, address: '::' }, () => s.addMembership('ff02::fb'));`,
    },
    {
      name: 'require and a callback to createSocket',
      code: `
        const dgram = require('dgram');
        const sock = dgram.createSocket("udp4", (msg) => console.log(msg));
        sock.bind(6000, '0.0.0.0', () => sock.addMembership('239.0.0.1'));`,
      ext: '.js',
      errors: [{ line: 3 }],
      output: `
        const dgram = require('dgram');
        const sock = dgram.createSocket({ type: "udp4", reuseAddr: true }, (msg) => console.log(msg));
        sock.bind(6000, '0.0.0.0', () => sock.addMembership('239.0.0.1'));`,
    },
    {
      name: 'socket kept in a class field',
      code: `
        import * as dgram from 'dgram';
        export class Discovery {
          private socket = dgram.createSocket({ type: 'udp4' });
          start() {
            this.socket.bind(1900, () => this.socket.addMembership('239.255.255.250'));
          }
        }`,
      errors: [{ line: 5, messageId: 'multicast' }],
    },
    {
      name: 'socket created in the constructor',
      code: `
        import * as dgram from 'dgram';
        export class Receiver {
          private socket: dgram.Socket;
          constructor() {
            this.socket = dgram.createSocket('udp4');
          }
          listen() {
            this.socket.bind(7777);
            this.socket.on('listening', () => this.socket.addSourceSpecificMembership('10.0.0.5', '232.1.1.1'));
          }
        }`,
      errors: [{ line: 8 }],
    },
    {
      name: 'Deno.listenDatagram joining a multicast group on a fixed port',
      code: `
        declare const Deno: any;
        const conn = Deno.listenDatagram({ port: 5353, hostname: '0.0.0.0', transport: 'udp' });
        await conn.joinMulticastV4('224.0.0.251', '0.0.0.0');`,
      errors: [{ line: 2, messageId: 'deno' }],
    },
  ],
});
