// The listener inventory: every listen()/bind() site, with port, host and what the runtime does
// about address reuse there.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Listener } from '../../server/src/core/types';
import { dedent } from '../helpers/rule-tester';
import { createAnalyzer } from '../../server/src/analyzer';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-listeners-'));
fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"cases","private":true}');
const analyzer = createAnalyzer();
let n = 0;

function listeners(code: string, ext = '.ts'): Array<Omit<Listener, 'file'>> {
  const file = path.join(dir, `case${++n}${ext}`);
  const text = `${dedent(code)}\nexport {};\n`;
  fs.writeFileSync(file, text);
  const r = analyzer.analyzeFile(file, text);
  assert.equal(r.skipped, undefined);
  return r.listeners.map(({ file: _f, ...l }) => l);
}

const L = (line: number, column: number, api: string, port: number | null, host: string | null = null, reuseAddr: Listener['reuseAddr'] = 'implicit', reusePort = false) =>
  ({ line, column, api, port, host, reuseAddr, reusePort });

describe('listener inventory', () => {
  it('Node TCP servers: implicit SO_REUSEADDR, port and host from the arguments', () => {
    assert.deepEqual(listeners(`
      import * as net from 'net';
      import http from 'node:http';
      import { createServer } from 'https';
      const server = net.createServer((s) => s.end());
      server.listen(7000, '127.0.0.1');
      http.createServer().listen({ port: 8080, host: '::', reusePort: true });
      createServer({}).listen(443);
    `), [
      L(5, 1, 'net.Server.listen', 7000, '127.0.0.1'),
      L(6, 1, 'http.Server.listen', 8080, '::', 'implicit', true),
      L(7, 1, 'https.Server.listen', 443),
    ]);
  });

  it('reads the literal default of a configurable port, null when unknown, 0 when none', () => {
    assert.deepEqual(listeners(`
      import http from 'http';
      const a = http.createServer();
      a.listen(process.env.PORT ?? 8080);
      a.listen(process.env.PORT || 8081);
      a.listen(Number(process.env.PORT) || 3000);
      a.listen(parseInt(process.env.PORT || '3001', 10));
      export function start(port: number) { a.listen(port); }
      a.listen(() => console.log('random port'));
      a.listen('/tmp/app.sock');
    `).map((l) => l.port), [8080, 8081, 3000, 3001, null, 0, null]);
  });

  it('express, fastify, koa, NestJS and tls/http2 servers', () => {
    assert.deepEqual(listeners(`
      import express from 'express';
      import Fastify from 'fastify';
      import Koa from 'koa';
      import tls from 'tls';
      import http2 from 'http2';
      import { NestFactory } from '@nestjs/core';
      const app = express();
      app.listen(3000);
      const f = Fastify();
      f.listen({ port: 3001, host: '0.0.0.0' });
      new Koa().listen(3002);
      tls.createServer({}).listen(8443);
      http2.createServer().listen(8444);
      async function main() { const nest = await NestFactory.create({}); await nest.listen(3003); }
    `).map((l) => [l.api, l.port, l.host]), [
      ['express.Application.listen', 3000, null],
      ['fastify.listen', 3001, '0.0.0.0'],
      ['koa.Application.listen', 3002, null],
      ['tls.Server.listen', 8443, null],
      ['http2.Http2Server.listen', 8444, null],
      ['NestApplication.listen', 3003, null],
    ]);
  });

  it('dgram: off unless createSocket asks for reuseAddr; reusePort read from the options', () => {
    assert.deepEqual(listeners(`
      import * as dgram from 'dgram';
      const a = dgram.createSocket('udp4');
      a.bind(41234, '0.0.0.0');
      const b = dgram.createSocket({ type: 'udp4', reuseAddr: true, reusePort: true });
      b.bind({ port: 5353 });
      const c = dgram.createSocket('udp6');
      c.bind();
    `), [
      L(3, 1, 'dgram.Socket.bind', 41234, '0.0.0.0', 'off'),
      L(5, 1, 'dgram.Socket.bind', 5353, null, 'explicit', true),
      L(7, 1, 'dgram.Socket.bind', 0, null, 'off'),
    ]);
  });

  it('Deno: TCP implicit, datagrams off unless reuseAddress; Deno.serve defaults to 8000', () => {
    assert.deepEqual(listeners(`
      declare const Deno: any;
      Deno.listen({ port: 8080, hostname: '0.0.0.0', reusePort: true });
      Deno.serve((req: Request) => new Response('hi'));
      Deno.listenDatagram({ port: 5353, transport: 'udp' });
      Deno.listenDatagram({ port: 5354, transport: 'udp', reuseAddress: true });
    `), [
      L(2, 1, 'Deno.listen', 8080, '0.0.0.0', 'implicit', true),
      L(3, 1, 'Deno.serve', 8000),
      L(4, 1, 'Deno.listenDatagram', 5353, null, 'off'),
      L(5, 1, 'Deno.listenDatagram', 5354, null, 'explicit'),
    ]);
  });

  it('Bun: TCP listeners implicit (usockets sets SO_REUSEADDR on Unix), reusePort as written', () => {
    assert.deepEqual(listeners(`
      import { serve } from 'bun';
      declare const Bun: any;
      Bun.serve({ port: 3000, reusePort: true, fetch: () => new Response('ok') });
      Bun.listen({ hostname: 'localhost', port: 9000, socket: {} });
      serve({ fetch: () => new Response('ok') });
      Bun.udpSocket({ port: 41234 });
    `), [
      L(3, 1, 'Bun.serve', 3000, null, 'implicit', true),
      L(4, 1, 'Bun.listen', 9000, 'localhost'),
      L(5, 1, 'Bun.serve', null),
      L(6, 1, 'Bun.udpSocket', 41234),
    ]);
  });

  it('a server kept in a field and listened to elsewhere, and ws servers with their own port', () => {
    assert.deepEqual(listeners(`
      import * as http from 'http';
      import { WebSocketServer } from 'ws';
      export class App {
        private server = http.createServer();
        start() { this.server.listen(8080); }
      }
      const wss = new WebSocketServer({ port: 8081 });
    `).map((l) => [l.line, l.api, l.port]), [[5, 'http.Server.listen', 8080], [7, 'ws.WebSocketServer', 8081]]);
  });

  it('a variable given a UDP socket on one branch and a TCP server on another: each call on the one it fits', () => {
    assert.deepEqual(listeners(`
      const dgram = require('dgram');
      const net = require('net');
      let server;
      function start(protocol, cb) {
        if (protocol === 'udp') {
          server = dgram.createSocket('udp4');
          server.bind(0, '127.0.0.1', cb);
        } else {
          server = net.createServer((socket) => socket.resume());
          server.listen(0, 'localhost', cb);
        }
      }
      module.exports = { start };
    `, '.js').map((l) => [l.line, l.api, l.port]), [[7, 'dgram.Socket.bind', 0], [10, 'net.Server.listen', 0]]);
  });

  it('ignores listen() and bind() on things that are not servers or sockets', () => {
    assert.deepEqual(listeners(`
      const emitter = { listen(p: number) { return p; } };
      emitter.listen(80);
      function f(this: unknown, a: number) { return a; }
      f.bind(null, 8080);
      const Deno = { listen: (o: object) => o };
      Deno.listen({ port: 1 });
    `), []);
  });

  it('records binds to port 0 too (the rule ignores them, the inventory does not)', () => {
    const r = listeners(`
      import * as net from 'net';
      net.createServer().listen(0);
    `);
    assert.deepEqual(r, [L(2, 1, 'net.Server.listen', 0)]);
  });
});
