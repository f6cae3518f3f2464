// unclosed-connection: leaks in the shapes production code ships (aliases, sockets handed to a
// handler, fields, listener bodies, sibling files, the catalog), each beside a look-alike that is fine.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: "a CONNECT tunnel's socket left open when the proxy refuses",
    code: `
      const http = require('http');
      const tls = require('tls');
      function openTunnel(proxyHost, target) {
        return new Promise((resolve, reject) => {
          const req = http.request({ host: proxyHost, port: 3128, method: 'CONNECT', path: target });
          req.once('connect', (res, socket) => {
            if (res.statusCode !== 200) {
              reject(new Error('proxy refused: ' + res.statusCode));
              return;
            }
            resolve(tls.connect({ socket, servername: target.split(':')[0] }));
          });
          req.once('error', reject);
          req.end();
        });
      }
      module.exports = { openTunnel };`,
    ext: '.js',
    errors: [{ line: 5, message: /Socket from `http\.request` is not closed when the `return` on line 9/ }],
  },
  // Aliases of modules and creators.
  {
    name: 'a module chosen by a conditional: (secure ? tls : net).connect',
    code: `
      import * as net from 'net';
      import * as tls from 'tls';
      export function dial(port: number, secure: boolean, skip: boolean) {
        const s = (secure ? tls : net).connect(port);
        if (skip) return;
        s.end();
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'a module alias held in a variable: const transport = secure ? tls : net',
    code: `
      const net = require('net');
      const tls = require('tls');
      function dial(port, secure) {
        const transport = secure ? tls : net;
        const s = transport.connect(port);
        s.write('PING');
      }
      module.exports = { dial };`,
    ext: '.js',
    errors: [{ line: 5 }],
  },
  {
    name: 'a creator held in a local constant: const open = net.createConnection',
    code: `
      import * as net from 'net';
      export function ping(port: number) {
        const open = net.createConnection;
        const s = open(port);
        s.write('PING');
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'a destructured constructor: const { WebSocket: WS } = require("ws")',
    code: `
      const { WebSocket: WS } = require('ws');
      function notify(url, msg) {
        const ws = new WS(url);
        ws.on('open', () => ws.send(msg));
      }
      module.exports = notify;`,
    ext: '.js',
    errors: [{ line: 3 }],
  },
  // Sockets handed to a handler that owns them.
  {
    name: "an 'upgrade' handler that rejects without destroying the socket",
    code: `
      import * as http from 'http';
      export function attach(server: http.Server, allowed: (u?: string) => boolean) {
        server.on('upgrade', (req, socket, head) => {
          if (!allowed(req.url)) return;
          socket.write('HTTP/1.1 101 Switching Protocols\\r\\n\\r\\n');
          socket.pipe(socket);
        });
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: "a 'connection' handler that drops sockets over the limit without destroying them",
    code: `
      import * as net from 'net';
      export function limit(server: net.Server, max: number) {
        let open = 0;
        server.on('connection', (socket) => {
          if (open >= max) {
            server.emit('overload', socket.remoteAddress);
            return;
          }
          open++;
          socket.on('close', () => open--);
        });
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: "a CONNECT handler that only calls back on error",
    code: `
      import * as http from 'http';
      import * as net from 'net';
      export function tunnel(server: http.Server, onError: (e: Error) => void) {
        server.on('connect', (req, clientSocket, head) => {
          const [host, port] = (req.url ?? '').split(':');
          if (!host) return onError(new Error('bad target'));
          const upstream = net.connect(Number(port), host, () => {
            clientSocket.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
            upstream.pipe(clientSocket);
            clientSocket.pipe(upstream);
          });
        });
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'handleUpgrade called only for allowed paths: the socket of the others stays open',
    code: `
      import * as http from 'http';
      import { WebSocketServer } from 'ws';
      export function route(server: http.Server, wss: WebSocketServer) {
        server.on('upgrade', (req, socket, head) => {
          if (req.url === '/ws') {
            wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
          }
        });
      }`,
    errors: [{ line: 4 }],
  },
  // Fields.
  {
    name: 'a reconnect that overwrites the field without closing the old WebSocket',
    code: `
      import WebSocket from 'ws';
      export class Feed {
        private ws?: WebSocket;
        constructor(private url: string) {}
        reconnect() {
          this.ws = new WebSocket(this.url);
          this.ws.on('message', (m) => console.log(String(m)));
        }
        close() { this.ws?.close(); }
      }`,
    errors: [{ line: 6 }],
  },
  {
    name: 'a retry on timeout that replaces the socket field (a timeout closes nothing)',
    code: `
      import * as net from 'net';
      export class Link {
        socket: net.Socket | null = null;
        connect(port: number) {
          this.socket = net.connect(port);
          this.socket.setTimeout(5000, () => this.connect(port));
        }
        stop() { this.socket?.destroy(); }
      }`,
    errors: [{ line: 5 }],
  },
  {
    name: 'a class that keeps a client in a field and never closes it anywhere',
    code: `
      import { Client } from 'pg';
      export class Repo {
        private client = new Client();
        async init() { await this.client.connect(); }
        count() { return this.client.query('select count(*) from t'); }
      }`,
    errors: [{ line: 3 }],
  },
  // Listener bodies are paths too.
  {
    name: "a close in the 'error' listener does not close the socket on the normal path",
    code: `
      import * as net from 'net';
      export function ping(port: number) {
        const s = net.connect(port);
        s.on('error', (e) => { console.error(e); s.destroy(); });
        s.write('PING');
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: "a close in the 'timeout' listener of a WebSocket that is otherwise kept forever",
    code: `
      import WebSocket from 'ws';
      export function watch(url: string, onMsg: (m: string) => void) {
        const ws = new WebSocket(url);
        ws.on('message', (m) => onMsg(String(m)));
        ws.on('unexpected-response', () => ws.terminate());
      }`,
    errors: [{ line: 3 }],
  },
  // Sibling files.
  {
    name: 'a factory in a sibling file returns a new socket that is then leaked',
    code: `
      import { dial } from './dial';
      export function ping(port: number, quiet: boolean) {
        const conn = dial(port);
        if (quiet) return;
        conn.end('PING');
      }`,
    files: { 'dial.ts': `
      import * as net from 'net';
      export function dial(port: number) {
        return net.connect(port);
      }` },
    errors: [{ line: 3 }],
  },
  {
    name: 'a wrapper class of a sibling JavaScript file',
    code: `
      const Db = require('./db');
      async function count() {
        const db = new Db('postgres://localhost/app');
        const r = await db.query('select 1');
        return r.rows.length;
      }
      module.exports = count;`,
    ext: '.js',
    files: { 'db.js': `
      const { Client } = require('pg');
      class Db {
        constructor(url) { this.client = new Client(url); }
        query(sql) { return this.client.query(sql); }
        end() { return this.client.end(); }
      }
      module.exports = Db;` },
    errors: [{ line: 3 }],
  },
  // Legacy JavaScript.
  {
    name: 'a sloppy-mode script with a legacy octal literal is analysed',
    code: `
      var net = require('net');
      var fs = require('fs');
      function serveLog(port) {
        fs.chmodSync('/tmp/log', 0755);
        var s = net.connect(port);
        s.write('\\033[1mhello\\033[0m');
      }
      module.exports = serveLog;`,
    ext: '.js',
    errors: [{ line: 5 }],
  },
  {
    name: "a 'timeout' listener that only re-emits an error does not close the socket",
    code: `
      import * as net from 'net';
      export function watch(port: number, onData: (d: Buffer) => void) {
        const s = net.connect(port);
        s.setTimeout(30_000, () => s.emit('error', new Error('idle')));
        s.on('data', onData);
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'a field assigned through a .catch() chain on reconnect, old client not closed',
    code: `
      import { createClient, RedisClientType } from 'redis';
      export class Cache {
        private client?: RedisClientType;
        async reconnect(url: string) {
          this.client = (await createClient({ url }).connect().catch(() => undefined)) as RedisClientType;
        }
        async close() { await this.client?.quit(); }
      }`,
    errors: [{ line: 5 }],
  },
  {
    name: 'an escape sequence in octal in a sloppy script',
    code: `
      var tls = require('tls');
      function banner(port) {
        var s = tls.connect(port);
        s.write('\\033[1mhello\\033[0m\\n');
      }
      module.exports = banner;`,
    ext: '.js',
    errors: [{ line: 3 }],
  },
  {
    name: 'a decimal with a leading zero in a sloppy script',
    code: `
      var net = require('net');
      function check(port) {
        var retries = 08;
        var s = net.connect(port);
        s.write(String(retries));
      }
      module.exports = check;`,
    ext: '.js',
    errors: [{ line: 4 }],
  },
  {
    name: 'undici.connect (CONNECT): the tunnel socket is never ended',
    code: `
      import { connect } from 'undici';
      export async function tunnel(proxy: string, target: string) {
        const { socket, statusCode } = await connect(proxy, { path: target });
        if (statusCode !== 200) return false;
        socket.write('PING');
        return true;
      }`,
    errors: [{ line: 3 }],
  },
  // Catalog.
  {
    name: 'node-redis v4 createClient never quit',
    code: `
      import { createClient } from 'redis';
      export async function getFlag(name: string) {
        const client = createClient({ url: 'redis://cache:6379' });
        await client.connect();
        return client.get(name);
      }`,
    errors: [{ line: 3 }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "a CONNECT tunnel's socket destroyed when the proxy refuses, handed to TLS otherwise",
    code: `
      const http = require('http');
      const tls = require('tls');
      function openTunnel(proxyHost, target) {
        return new Promise((resolve, reject) => {
          const req = http.request({ host: proxyHost, port: 3128, method: 'CONNECT', path: target });
          req.once('connect', (res, socket) => {
            if (res.statusCode !== 200) {
              socket.destroy();
              reject(new Error('proxy refused: ' + res.statusCode));
              return;
            }
            resolve(tls.connect({ socket, servername: target.split(':')[0] }));
          });
          req.once('error', reject);
          req.end();
        });
      }
      module.exports = { openTunnel };`,
    ext: '.js',
  },
  {
    name: 'the same conditional module, closed on every path',
    code: `
      import * as net from 'net';
      import * as tls from 'tls';
      export function dial(port: number, secure: boolean, skip: boolean) {
        const s = (secure ? tls : net).connect(port);
        if (skip) { s.destroy(); return; }
        s.end();
      }`,
  },
  {
    name: "an 'upgrade' handler that destroys the socket it rejects",
    code: `
      import * as http from 'http';
      export function attach(server: http.Server, allowed: (u?: string) => boolean) {
        server.on('upgrade', (req, socket, head) => {
          if (!allowed(req.url)) {
            socket.destroy();
            return;
          }
          socket.write('HTTP/1.1 101 Switching Protocols\\r\\n\\r\\n');
          socket.pipe(socket);
        });
      }`,
  },
  {
    name: 'handleUpgrade for allowed paths, destroy for the others',
    code: `
      import * as http from 'http';
      import { WebSocketServer } from 'ws';
      export function route(server: http.Server, wss: WebSocketServer) {
        server.on('upgrade', (req, socket, head) => {
          if (req.url === '/ws') wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
          else socket.destroy();
        });
      }`,
  },
  {
    name: "a 'connection' handler that keeps every socket in a set closed on shutdown",
    code: `
      import * as net from 'net';
      export function track(server: net.Server, sockets: Set<net.Socket>) {
        server.on('connection', (socket) => {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
        });
      }`,
  },
  {
    name: 'undici.upgrade: the socket is ended on every path',
    code: `
      import { upgrade } from 'undici';
      export async function ping(url: string) {
        const r = await upgrade(url, { protocol: 'echo' });
        r.socket.end('PING');
      }`,
  },
  {
    name: "closes in the 'end' and 'error' listeners cover the paths they run on",
    code: `
      import * as net from 'net';
      export function tail(port: number, onLine: (l: string) => void) {
        const s = net.connect({ port, allowHalfOpen: true });
        s.on('data', (d) => onLine(String(d)));
        s.on('end', () => s.end());
        s.on('error', () => s.destroy());
      }`,
  },
  {
    name: 'a reconnect that closes the previous WebSocket first',
    code: `
      import WebSocket from 'ws';
      export class Feed {
        private ws?: WebSocket;
        constructor(private url: string) {}
        reconnect() {
          this.ws?.close();
          this.ws = new WebSocket(this.url);
        }
        close() { this.ws?.close(); }
      }`,
  },
  {
    name: 'a class that keeps a client in a field and closes it in end()',
    code: `
      import { Client } from 'pg';
      export class Repo {
        private client = new Client();
        async init() { await this.client.connect(); }
        end() { return this.client.end(); }
      }`,
  },
  {
    name: 'a factory in a sibling file whose socket is closed on every path',
    code: `
      import { dial } from './dial';
      export function ping(port: number, quiet: boolean) {
        const conn = dial(port);
        if (quiet) { conn.destroy(); return; }
        conn.end('PING');
      }`,
    files: { 'dial.ts': `
      import * as net from 'net';
      export function dial(port: number) {
        return net.connect(port);
      }` },
  },
  {
    name: 'a helper in a sibling file that closes its argument',
    code: `
      import * as net from 'net';
      import { shutdown } from './shutdown';
      export function ping(port: number) {
        const s = net.connect(port);
        s.write('PING');
        shutdown(s);
      }`,
    files: { 'shutdown.ts': `
      import type { Socket } from 'net';
      export function shutdown(s: Socket) {
        s.removeAllListeners();
        s.destroy();
      }` },
  },
];
