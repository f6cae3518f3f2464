// unclosed-connection: the basic cases. Valid: a connection closed on every path, handed over
// (returned, stored, captured, resolved, passed to a constructor) or meant to live (a server, a bound
// UDP socket, a module-level connection). Invalid: a path that skips the close (early return, an
// await that rejects, throw, continue, switch, labelled break, reassignment), a close on some paths
// only (of an alias, in a helper, of a server), a socket from a local creator function or owned by a
// local class, or no close at all.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: 'closed in finally',
    code: `
      import * as net from 'net';
      export async function probe(port: number, read: (s: net.Socket) => Promise<string>) {
        const s = net.connect(port);
        try {
          return await read(s);
        } finally {
          s.destroy();
        }
      }`,
  },
  {
    name: 'returned to the caller (ownership transfer)',
    code: `
      import net from 'node:net';
      export function open(port: number) {
        const socket = net.createConnection({ port });
        socket.setNoDelay(true);
        return socket;
      }`,
  },
  {
    name: 'stored in a field',
    code: `
      import { connect, Socket } from 'net';
      export class Conn {
        private socket?: Socket;
        start(port: number) {
          const s = connect(port);
          this.socket = s;
        }
      }`,
  },
  {
    name: 'pushed into a collection',
    code: `
      const net = require('net');
      const sockets = [];
      function add(port) {
        const s = net.connect(port);
        sockets.push(s);
      }`,
    ext: '.js',
  },
  {
    name: 'resolved from a Promise',
    code: `
      import * as net from 'net';
      export function connected(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const s = net.connect(port);
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
      }`,
  },
  {
    name: 'closed in an event handler registered on it',
    code: `
      import * as net from 'net';
      export function echoOnce(port: number) {
        const s = net.connect(port);
        s.on('data', (d) => {
          console.log(d.toString());
          s.end();
        });
      }`,
  },
  {
    name: 'closed by a local helper on every path',
    code: `
      import * as net from 'net';
      function shutdown(sock: net.Socket) {
        sock.removeAllListeners();
        sock.destroy();
      }
      export function check(port: number, ok: boolean) {
        const s = net.connect(port);
        if (!ok) {
          shutdown(s);
          return false;
        }
        s.end();
        return true;
      }`,
  },
  {
    name: 'await using',
    code: `
      import * as net from 'net';
      export async function serve() {
        await using server = net.createServer();
        server.listen(0);
      }`,
  },
  {
    name: 'a server that is never closed here is meant to run',
    code: `
      import * as http from 'http';
      export function main() {
        const server = http.createServer((req, res) => res.end('ok'));
        server.listen(8080);
      }`,
  },
  {
    name: 'the connect step itself rejecting leaves nothing open',
    code: `
      import { Client } from 'pg';
      export async function version() {
        const client = new Client();
        await client.connect();
        try {
          const r = await client.query('select version()');
          return r.rows[0];
        } finally {
          await client.end();
        }
      }`,
  },
  {
    name: 'optional chaining release in finally',
    code: `
      import WebSocket from 'ws';
      export async function send(url: string, msg: string, wait: () => Promise<void>) {
        let ws: WebSocket | undefined;
        try {
          ws = new WebSocket(url);
          await wait();
          ws.send(msg);
        } finally {
          ws?.close();
        }
      }`,
  },
  {
    name: 'passed to a constructor (TLS takes over the socket)',
    code: `
      import * as net from 'net';
      import * as tls from 'tls';
      export function upgrade(port: number) {
        const raw = net.connect(port);
        const secure = new tls.TLSSocket(raw);
        return secure;
      }`,
  },
  {
    name: 'closed on timeout and on end, through a named handler',
    code: `
      import * as net from 'net';
      export function watch(port: number) {
        const s = net.connect(port);
        const close = () => s.destroy();
        s.setTimeout(1000);
        s.on('timeout', close);
      }`,
  },
  {
    name: 'closed by a captured cleanup function called on each path',
    code: `
      import Redis from 'ioredis';
      export async function ping(flag: boolean) {
        const redis = new Redis();
        function cleanup() { redis.disconnect(); }
        if (flag) {
          cleanup();
          return 'skipped';
        }
        redis.ping();
        cleanup();
        return 'pinged';
      }`,
  },
  {
    name: 'captured by a returned API',
    code: `
      import { createClient } from 'redis';
      export function cache() {
        const client = createClient();
        return { get: (k: string) => client.get(k), close: () => client.quit() };
      }`,
  },
  {
    name: 'module-level connection lives as long as the process',
    code: `
      import { MongoClient } from 'mongodb';
      const client = new MongoClient('mongodb://localhost');
      export const db = client.db('app');`,
  },
  {
    name: 'null check on the variable guards the close',
    code: `
      import * as dgram from 'dgram';
      export function send(msg: Buffer, port: number) {
        const sock = dgram.createSocket('udp4');
        sock.send(msg, port, 'localhost', () => sock.close());
      }`,
  },
  {
    name: 'a UDP socket bound to a port is a listener, meant to keep running',
    code: `
      import * as dgram from 'dgram';
      export function listen(onMessage: (m: Buffer) => void) {
        const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
        socket.on('message', onMessage);
        socket.bind(41234);
      }`,
  },
  {
    name: 'closed in catch and after the try',
    code: `
      import * as amqp from 'amqplib';
      export async function publish(q: string, body: Buffer) {
        const conn = await amqp.connect('amqp://localhost');
        try {
          const ch = await conn.createChannel();
          ch.sendToQueue(q, body);
        } catch (e) {
          await conn.close();
          throw e;
        }
        await conn.close();
      }`,
  },
  {
    name: "a MongoClient variable reassigned to a database handle made from it (the handle keeps its client), handed to the callback",
    code: `
      const { MongoClient } = require('mongodb');
      function open(url, dbName, callback) {
        MongoClient.connect(url, (err, db) => {
          if (err) return callback(err);
          if (dbName) db = db.db(dbName);
          return callback(null, db);
        });
      }
      module.exports = { open };`,
    ext: '.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'early return skips the close',
    code: `
      import * as net from 'net';
      export function probe(port: number, skip: boolean) {
        const s = net.connect(port);
        if (skip) {
          return false;
        }
        s.end();
        return true;
      }`,
    errors: [{ line: 3, messageId: 'somePaths' }],
    output: `
      import * as net from 'net';
      export function probe(port: number, skip: boolean) {
        const s = net.connect(port);
        if (skip) {
          s.destroy();
          return false;
        }
        s.end();
        return true;
      }`,
  },
  {
    name: 'an await that rejects skips the close',
    code: `
      import * as net from 'net';
      export async function send(port: number, flush: () => Promise<void>) {
        const s = net.connect(port);
        s.write('hello');
        await flush();
        s.end();
      }`,
    errors: [{ line: 3, messageId: 'somePaths' }],
    output: `
      import * as net from 'net';
      export async function send(port: number, flush: () => Promise<void>) {
        const s = net.connect(port);
        try {
          s.write('hello');
          await flush();
        } finally {
          s.end();
        }
      }`,
  },
  {
    name: 'never closed',
    code: `
      const net = require('net');
      function hello(port) {
        const s = net.connect(port);
        s.write('hello');
      }`,
    ext: '.js',
    errors: [{ line: 3, messageId: 'never' }],
    output: `
      const net = require('net');
      function hello(port) {
        const s = net.connect(port);
        s.write('hello');
        s.end();
      }`,
  },
  {
    name: 'throw between open and close',
    code: `
      import * as tls from 'tls';
      export function check(host: string, valid: (c: unknown) => boolean) {
        const s = tls.connect({ host, port: 443 });
        if (!valid(s.getPeerCertificate())) throw new Error('bad certificate');
        s.end();
      }`,
    errors: [{ line: 3 }],
    output: `
      import * as tls from 'tls';
      export function check(host: string, valid: (c: unknown) => boolean) {
        const s = tls.connect({ host, port: 443 });
        if (!valid(s.getPeerCertificate())) { s.destroy(); throw new Error('bad certificate'); }
        s.end();
      }`,
  },
  {
    name: 'reassignment drops the first socket',
    code: `
      import * as net from 'net';
      export function reconnect(a: number, b: number) {
        let s = net.connect(a);
        s = net.connect(b);
        s.end();
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'continue in a loop skips the close',
    code: `
      import * as net from 'net';
      export function scan(ports: number[], wanted: (p: number) => boolean) {
        for (const p of ports) {
          const s = net.connect(p);
          if (!wanted(p)) continue;
          s.write('x');
          s.end();
        }
      }`,
    errors: [{ line: 4 }],
    output: `
      import * as net from 'net';
      export function scan(ports: number[], wanted: (p: number) => boolean) {
        for (const p of ports) {
          const s = net.connect(p);
          if (!wanted(p)) { s.destroy(); continue; }
          s.write('x');
          s.end();
        }
      }`,
  },
  {
    name: 'switch case falls out without closing',
    code: `
      import * as net from 'net';
      export function act(kind: string, port: number) {
        const s = net.connect(port);
        switch (kind) {
          case 'a':
            s.write('a');
            break;
          case 'b':
            s.end();
            return 1;
          default:
            s.destroy();
        }
        return 0;
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'server closed on one path only',
    code: `
      import * as http from 'http';
      export async function withServer(run: (port: number) => Promise<void>) {
        const server = http.createServer();
        server.listen(0);
        await run(8080);
        server.close();
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'a helper that closes only on some paths does not count',
    code: `
      import * as net from 'net';
      function maybeClose(s: net.Socket, really: boolean) {
        if (really) s.end();
      }
      export function go(port: number) {
        const s = net.connect(port);
        maybeClose(s, false);
      }`,
    errors: [{ line: 6 }],
  },
  {
    name: 'a local creator function returns a socket that is then leaked',
    code: `
      import * as net from 'net';
      function dial(port: number) {
        const s = net.connect(port);
        s.setKeepAlive(true);
        return s;
      }
      export function ping(port: number, quiet: boolean) {
        const conn = dial(port);
        if (quiet) return;
        conn.end('ping');
      }`,
    errors: [{ line: 8 }],
  },
  {
    name: 'a local class owning a socket is itself a resource',
    code: `
      import * as net from 'net';
      class Link {
        private sock = net.connect(9000);
        send(m: string) { this.sock.write(m); }
        close() { this.sock.end(); }
      }
      export function notify(m: string, ok: boolean) {
        const link = new Link();
        if (!ok) return;
        link.send(m);
        link.close();
      }`,
    errors: [{ line: 8 }],
  },
  {
    name: 'an alias is closed but not on every path',
    code: `
      import * as net from 'net';
      export function f(port: number, x: boolean) {
        const s = net.connect(port);
        const t = s;
        if (x) {
          t.end();
        }
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'labelled break leaves the socket open',
    code: `
      import * as net from 'net';
      export function firstOpen(hosts: string[][]) {
        outer: for (const group of hosts) {
          for (const h of group) {
            const s = net.connect(80, h);
            if (h === 'stop') break outer;
            s.destroy();
          }
        }
      }`,
    errors: [{ line: 5 }],
  },
  {
    name: "a server assigned to a let whose listen callback names it (server.address()): the assignment is its creation, not a handle made from it",
    code: `
      const express = require('express');
      const request = require('supertest');
      it('serves hello', function (done) {
        const app = express();
        let server;
        app.get('/', (req, res) => res.send('hello'));
        server = app.listen(function () {
          request('http://localhost:' + server.address().port).get('/').expect('hello', done);
        });
      });`,
    ext: '.js',
    file: 'test/hello.test.js',
    errors: [{ line: 7 }],
  },
];
