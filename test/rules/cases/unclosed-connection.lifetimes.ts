// unclosed-connection: who ends a connection's life. Relays whose pipes end each side, connections a
// process keeps on purpose (cached for the process, reconnected on loss), connect() that resolves to the
// client, waiting for 'error'; beside the look-alikes that do leak.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: 'a server a beforeEach starts only when there is none yet, closed after all the tests',
    code: `
      import express from 'express';
      let server: any;
      beforeEach((done) => {
        if (!server) server = express().listen(13371, done);
        else done();
      });
      afterAll((done) => server.close(done));
      it('answers', () => expect(server).toBeDefined());`,
    file: 'spec/http.spec.ts',
  },
  {
    name: 'a relay: each side is piped into the other, and an error on one destroys the other',
    code: `
      const net = require('net');
      function relay(client, port) {
        const upstream = net.connect(port);
        client.pipe(upstream).pipe(client);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      }
      module.exports = { relay };`,
    ext: '.js',
  },
  {
    name: 'a file sent over a socket: the pipe ends the socket when the file ends',
    code: `
      import * as fs from 'fs';
      import * as net from 'net';
      export function send(path: string, port: number) {
        const s = net.connect(port, () => fs.createReadStream(path).pipe(s));
        s.on('error', () => {});
      }`,
  },
  {
    name: 'a client cached for the process through ??= and connect()',
    code: `
      import { MongoClient } from 'mongodb';
      let pending: Promise<MongoClient> | undefined;
      export function db() {
        pending ??= new MongoClient(process.env.URL!).connect();
        return pending.then((c) => c.db());
      }`,
  },
  {
    name: 'a connection cached for the process through a then() chain',
    code: `
      const amqp = require('amqplib');
      let channel = null;
      function getChannel() {
        if (!channel) {
          channel = amqp.connect(process.env.AMQP_URL).then((conn) => {
            conn.on('close', () => { channel = null; });
            return conn.createChannel();
          });
        }
        return channel;
      }
      module.exports = { getChannel };`,
    ext: '.js',
  },
  {
    name: 'a consumer connection that reconnects when it closes',
    code: `
      const amqp = require('amqplib/callback_api');
      function consume(queue, onMessage) {
        amqp.connect(process.env.AMQP_URL, function (err, conn) {
          if (err) return setTimeout(function () { consume(queue, onMessage); }, 5000);
          conn.on('close', function () { setTimeout(function () { consume(queue, onMessage); }, 1000); });
          conn.createChannel(function (err, ch) {
            if (err) throw err;
            ch.consume(queue, onMessage);
          });
        });
      }
      module.exports = { consume };`,
    ext: '.js',
  },
  {
    name: 'a WebSocket the server rejects: waiting for its error waits for its close',
    code: `
      import { once } from 'events';
      import WebSocket from 'ws';
      export async function rejected(url: string) {
        const ws = new WebSocket(url);
        const [err] = await once(ws, 'error');
        return String(err);
      }`,
  },
  {
    name: 'ioredis with lazyConnect that is never connected holds nothing',
    code: `
      import Redis from 'ioredis';
      export function make(url: string) {
        const r = new Redis(url, { lazyConnect: true });
        return r.options.host;
      }`,
  },
  {
    name: 'a test starts an app made elsewhere and closes it',
    code: `
      const { createApp } = require('../src/app');
      test('echoes', async () => {
        const server = createApp().listen(0);
        const { port } = server.address();
        const res = await fetch(\`http://127.0.0.1:\${port}/echo\`);
        expect(await res.text()).toBe('ok');
        server.close();
      });`,
    ext: '.js',
    file: 'test/echo.test.js',
  },
  {
    name: 'an Express app started by main() runs for the life of the process',
    code: `
      import express from 'express';
      export function main() {
        const app = express();
        app.get('/', (req, res) => res.send('ok'));
        app.listen(Number(process.env.PORT ?? 3000));
      }`,
  },
  {
    name: 'a server started before each test and closed after each',
    code: `
      const http = require('http');
      let server;
      beforeEach((done) => {
        server = http.createServer((req, res) => res.end('ok')).listen(0, done);
      });
      afterEach((done) => server.close(done));
      test('answers', async () => {
        await fetch('http://127.0.0.1:' + server.address().port).then((r) => r.text());
      });`,
    ext: '.js',
    file: 'test/app.test.js',
  },
  {
    name: 'a secureConnect listener that ends the socket on every path',
    code: `
      const tls = require('tls');
      function peerCert(host) {
        return new Promise((resolve, reject) => {
          const socket = tls.connect({ host, port: 443, servername: host });
          socket.once('secureConnect', () => {
            const cert = socket.getPeerCertificate();
            socket.end();
            if (!cert.subject) return reject(new Error('no certificate'));
            resolve(cert.subject.CN);
          });
          socket.once('error', reject);
        });
      }
      module.exports = { peerCert };`,
    ext: '.js',
  },
  {
    name: "a CONNECT proxy whose upstream 'error' listener destroys the client's socket",
    code: `
      const http = require('http');
      const net = require('net');
      function tunnelProxy() {
        const server = http.createServer((req, res) => res.end());
        server.on('connect', (req, client, head) => {
          const upstream = net.connect(443, req.url.split(':')[0], () => {
            client.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
            upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
          });
          upstream.on('error', () => client.destroy());
          client.on('error', () => upstream.destroy());
        });
        return server;
      }
      module.exports = { tunnelProxy };`,
    ext: '.js',
  },
  {
    name: 'a CONNECT tunnel through an undici Pool that destroys the socket on a refusal',
    code: `
      import { Pool } from 'undici';
      import * as tls from 'tls';
      const proxy = new Pool('http://proxy.internal:3128');
      export async function tunnel(host: string, port: number) {
        const { socket, statusCode } = await proxy.connect({ path: host + ':' + port });
        if (statusCode !== 200) {
          socket.destroy();
          throw new Error('refused: ' + statusCode);
        }
        return tls.connect({ socket, servername: host });
      }`,
  },
  {
    name: 'a disconnect with a listener that only logs it',
    code: `
      import { io } from 'socket.io-client';
      export function once(url: string, log: (m: string) => void) {
        const socket = io(url);
        socket.once('disconnect', () => log('bye'));
        socket.emit('ping');
        socket.disconnect();
      }`,
  },
  {
    name: 'a { url, close } server handle started by main() runs for the life of the process',
    code: `
      import { startServer } from './serve';
      export async function main() {
        const app = await startServer((req, res) => res.end('ok'));
        console.log('listening on', app.url);
      }`,
    files: { 'serve.ts': `
      import http from 'http';
      import { AddressInfo } from 'net';
      export async function startServer(handler: http.RequestListener) {
        const server = http.createServer(handler);
        await new Promise<void>((resolve) => server.listen(0, resolve));
        const { port } = server.address() as AddressInfo;
        return { url: 'http://127.0.0.1:' + port, close: () => new Promise<void>((r) => server.close(() => r())) };
      }` },
  },
  {
    name: 'a test that closes the { url, close } handle',
    code: `
      import { startServer } from '../serve';
      it('serves', async () => {
        const srv = await startServer((req, res) => res.end('x'));
        const res = await fetch(srv.url);
        if ((await res.text()) !== 'x') throw new Error('body');
        await srv.close();
      });`,
    file: 'test/one.test.ts',
    files: { 'serve.ts': `
      import http from 'http';
      import { AddressInfo } from 'net';
      export async function startServer(handler: http.RequestListener) {
        const server = http.createServer(handler);
        await new Promise<void>((resolve) => server.listen(0, resolve));
        const { port } = server.address() as AddressInfo;
        return { url: 'http://127.0.0.1:' + port, close: () => new Promise<void>((r) => server.close(() => r())) };
      }` },
  },
  {
    name: 'a server with no handler of its own, handed to a WebSocketServer that serves through it, started for good',
    code: `
      import http from 'node:http';
      import { WebSocketServer } from 'ws';
      export function start(port: number, onSocket: (ws: unknown) => void) {
        const httpServer = http.createServer();
        const wss = new WebSocketServer({ server: httpServer });
        wss.on('connection', onSocket);
        httpServer.listen(port);
      }`,
  },
  {
    name: 'a WebSocketServer attached to a test\'s server binds no port of its own; the server is closed',
    code: `
      const http = require('http');
      const { WebSocketServer } = require('ws');
      it('upgrades', (done) => {
        const server = http.createServer();
        const wss = new WebSocketServer({ server });
        wss.on('connection', (ws) => ws.close());
        server.listen(0, () => {
          server.close(done);
        });
      });`,
    ext: '.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a socket only read into the client: nothing ends it when the client goes away',
    code: `
      const net = require('net');
      function oneWay(client, port) {
        const upstream = net.connect(port);
        upstream.pipe(client);
      }
      module.exports = { oneWay };`,
    ext: '.js',
    errors: [{ line: 3 }],
  },
  {
    name: 'pipe with { end: false } leaves the socket open',
    code: `
      import * as fs from 'fs';
      import * as net from 'net';
      export function send(path: string, port: number) {
        const s = net.connect(port);
        fs.createReadStream(path).pipe(s, { end: false });
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'a MongoClient per call, connected and never closed',
    code: `
      import { MongoClient } from 'mongodb';
      export async function count(url: string) {
        const client = await new MongoClient(url).connect();
        return client.db().collection('x').countDocuments();
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'a server given no handler, listened on to learn a free port, never closed',
    code: `
      const net = require('net');
      function freePort() {
        return new Promise((resolve, reject) => {
          const srv = net.createServer();
          srv.on('error', reject);
          srv.listen(0, () => resolve(srv.address().port));
        });
      }
      module.exports = { freePort };`,
    ext: '.js',
    errors: [{ line: 4 }],
  },
  {
    name: 'a WebSocketServer on a port of its own in a test, never closed',
    code: `
      const { WebSocketServer } = require('ws');
      it('accepts', (done) => {
        const wss = new WebSocketServer({ port: 0 });
        wss.on('listening', () => done());
      });`,
    ext: '.js',
    errors: [{ line: 3 }],
  },
  {
    name: 'ioredis with lazyConnect, connected for a health check and never quit',
    code: `
      import Redis from 'ioredis';
      export async function healthy(url: string) {
        const r = new Redis(url, { lazyConnect: true });
        try {
          await r.connect();
          return (await r.ping()) === 'PONG';
        } catch {
          return false;
        }
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'a test starts an app made elsewhere, reads its address, never closes it',
    code: `
      const { createApp } = require('../src/app');
      test('echoes', async () => {
        const server = createApp().listen(0);
        const { port } = server.address();
        const res = await fetch(\`http://127.0.0.1:\${port}/echo\`);
        expect(await res.text()).toBe('ok');
      });`,
    ext: '.js',
    file: 'test/echo.test.js',
    errors: [{ line: 3 }],
  },
  {
    name: 'an Express app listened on in a test and never closed',
    code: `
      import express from 'express';
      it('serves', async () => {
        const app = express();
        app.get('/', (req, res) => res.send('ok'));
        const server = app.listen(0);
        await fetch('http://127.0.0.1:' + (server.address() as any).port).then((r) => r.text());
      });`,
    file: 'test/serve.test.ts',
    errors: [{ line: 5 }],
  },
  {
    name: 'a server started before each test and closed only after all of them',
    code: `
      const http = require('http');
      let server;
      beforeEach((done) => {
        server = http.createServer((req, res) => res.end('ok')).listen(0, done);
      });
      afterAll((done) => server.close(done));
      test('answers', async () => {
        await fetch('http://127.0.0.1:' + server.address().port).then((r) => r.text());
      });`,
    ext: '.js',
    file: 'test/app.test.js',
    errors: [{ line: 4, messageId: 'everyTest' }],
  },
  {
    name: 'a secureConnect listener that rejects on one path without ending the socket',
    code: `
      const tls = require('tls');
      function peerCert(host) {
        return new Promise((resolve, reject) => {
          const socket = tls.connect({ host, port: 443, servername: host });
          socket.once('secureConnect', () => {
            const cert = socket.getPeerCertificate();
            if (!cert.subject) {
              reject(new Error('no certificate'));
              return;
            }
            socket.end();
            resolve(cert.subject.CN);
          });
          socket.once('error', reject);
        });
      }
      module.exports = { peerCert };`,
    ext: '.js',
    errors: [{ line: 4 }],
  },
  {
    name: "a CONNECT proxy whose upstream 'error' listener only logs: the client's socket stays open",
    code: `
      const http = require('http');
      const net = require('net');
      function tunnelProxy(log) {
        const server = http.createServer((req, res) => res.end());
        server.on('connect', (req, client, head) => {
          const upstream = net.connect(443, req.url.split(':')[0], () => {
            client.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
            upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
          });
          upstream.on('error', (err) => log(err));
          client.on('error', () => upstream.destroy());
        });
        return server;
      }
      module.exports = { tunnelProxy };`,
    ext: '.js',
    errors: [{ line: 5 }],
  },
  {
    name: 'a CONNECT tunnel through an undici Pool that throws on a refusal without destroying the socket',
    code: `
      import { Pool } from 'undici';
      import * as tls from 'tls';
      const proxy = new Pool('http://proxy.internal:3128');
      export async function tunnel(host: string, port: number) {
        const { socket, statusCode } = await proxy.connect({ path: host + ':' + port });
        if (statusCode !== 200) throw new Error('refused: ' + statusCode);
        return tls.connect({ socket, servername: host });
      }`,
    errors: [{ line: 5 }],
  },
  {
    name: 'a disconnect undone by a listener that connects the same client again',
    code: `
      import { io } from 'socket.io-client';
      export async function bounce(url: string, until: Promise<void>) {
        const socket = io(url, { reconnection: true });
        socket.once('disconnect', () => socket.connect());
        socket.disconnect();
        await until;
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'a test helper returning { url, close } for a server: a test that never calls close',
    code: `
      import { startServer } from '../serve';
      it('serves a second instance', async () => {
        const other = await startServer((req, res) => res.end('x'));
        const res = await fetch(other.url);
        if ((await res.text()) !== 'x') throw new Error('body');
      });`,
    file: 'test/second.test.ts',
    files: { 'serve.ts': `
      import http from 'http';
      import { AddressInfo } from 'net';
      export async function startServer(handler: http.RequestListener) {
        const server = http.createServer(handler);
        await new Promise<void>((resolve) => server.listen(0, resolve));
        const { port } = server.address() as AddressInfo;
        return { url: 'http://127.0.0.1:' + port, close: () => new Promise<void>((r) => server.close(() => r())) };
      }` },
    errors: [{ line: 3 }],
  },
];
