// unclosed-connection: shapes from real projects where nothing is left open (valid), beside the
// leaks of the same shape that must still be reported (invalid). One group per false-positive class
// of the precision work (see docs/rules/unclosed-connection.md, "What it does not report").
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: "a script's main() whose rejection is only logged: called once at the top level, it fails as a whole (the labelled sets call none of these a leak)",
    code: `
      import { MongoClient } from 'mongodb';
      async function main() {
        const client = new MongoClient('mongodb://localhost');
        await client.connect();
        await client.db('x').command({ ping: 1 });
        await client.close();
      }
      main().catch((e) => console.error(e));`,
  },
  // A project class that can connect is not a connection.
  {
    name: 'a wrapper whose constructor only stores options, never connected',
    code: `
      import * as net from 'net';
      class Client {
        private socket?: net.Socket;
        constructor(private port: number) {}
        connect() { this.socket = net.connect(this.port); }
        close() { this.socket?.destroy(); }
      }
      export function make(port: number) {
        const c = new Client(port);
        console.log('configured', c);
      }`,
  },
  {
    name: 'a wrapper that opens a WebSocket in open(), constructed and dropped',
    code: `
      import WebSocket from 'ws';
      class Feed {
        ws?: WebSocket;
        constructor(readonly url: string) {}
        open() { this.ws = new WebSocket(this.url); }
        close() { this.ws?.close(); }
      }
      export function configure(url: string) {
        new Feed(url);
      }`,
  },
  // The peer closes it, and the code waits for that.
  {
    name: 'a socket read until the peer ends it (allowHalfOpen is off)',
    code: `
      import * as net from 'net';
      export function fetchBanner(port: number): Promise<string> {
        return new Promise((resolve) => {
          let data = '';
          const s = net.connect(port);
          s.on('data', (c) => { data += c; });
          s.on('end', () => resolve(data));
        });
      }`,
  },
  {
    name: 'awaiting the WebSocket close the server starts',
    code: `
      import WebSocket from 'ws';
      import { once } from 'events';
      export async function expectKicked(url: string) {
        const ws = new WebSocket(url);
        await once(ws, 'open');
        ws.send('hello');
        await once(ws, 'close');
      }`,
  },
  {
    name: 'an HTTP/2 session whose close is awaited while the server shuts down',
    code: `
      import * as http2 from 'http2';
      export async function drain(url: string, stop: () => Promise<void>) {
        const session = http2.connect(url);
        const closed = new Promise((r) => session.once('close', r));
        await stop();
        await closed;
      }`,
  },
  // Close helpers with a state guard.
  {
    name: 'a close helper that returns early when the WebSocket is already closed',
    code: `
      import WebSocket from 'ws';
      function shutdown(ws: WebSocket) {
        if (ws.readyState === ws.CLOSED) return;
        ws.close();
      }
      export async function ping(url: string) {
        const ws = new WebSocket(url);
        ws.send('ping');
        shutdown(ws);
      }`,
  },
  {
    name: 'a close helper guarded by socket.destroyed',
    code: `
      import * as net from 'net';
      function finish(s: net.Socket) {
        if (s.destroyed) return;
        s.end();
      }
      export function hello(port: number) {
        const s = net.connect(port);
        s.write('hi');
        finish(s);
      }`,
  },
  // Long-lived servers.
  {
    name: 'the classic start(): createServer(h).listen(port), no variable',
    code: `
      import * as http from 'http';
      export function start(port: number) {
        http.createServer((req, res) => res.end('ok')).listen(port);
      }`,
  },
  {
    name: 'a server closed in a nested listen callback under if (err) … else …',
    code: `
      import * as net from 'net';
      export function main(port: number) {
        const server = net.createServer((c) => c.end());
        server.listen(port, () => {
          server.on('error', (err) => {
            if (err) { server.close(); } else { console.log('ok'); }
          });
        });
      }`,
  },
  {
    name: 'awaits before listen() cannot leave a port bound',
    code: `
      import * as http from 'http';
      export async function serve(port: number, load: () => Promise<void>) {
        const server = http.createServer((req, res) => res.end());
        await load();
        server.listen(port);
        await new Promise((r) => server.once('close', r));
      }`,
  },
  // Agents that hold nothing.
  {
    name: 'an http.Agent without keepAlive destroys each socket after its request',
    code: `
      import * as http from 'http';
      export function get(url: string) {
        const agent = new http.Agent({ maxSockets: 4 });
        http.get(url, { agent }, (res) => res.resume());
      }`,
  },
  {
    name: 'an https.Agent with default options is not a pool of idle sockets',
    code: `
      import * as https from 'https';
      export function options() {
        const agent = new https.Agent();
        return { rejectUnauthorized: false, ca: agent.options.ca };
      }`,
  },
  // Paths that cannot happen.
  {
    name: 'process.exit() ends the path',
    code: `
      import { MongoClient } from 'mongodb';
      export async function migrate(url: string, ok: boolean) {
        const client = new MongoClient(url);
        await client.connect();
        if (!ok) process.exit(1);
        await client.close();
      }`,
  },
  {
    name: 'a loop that never falls out has no end-of-function exit',
    code: `
      import * as dgram from 'dgram';
      export async function beacon(next: () => Promise<Buffer>) {
        const sock = dgram.createSocket('udp4');
        while (true) {
          const msg = await next().catch(() => Buffer.alloc(0));
          sock.send(msg, 9999, 'localhost');
        }
      }`,
  },
  {
    name: 'a return inside a server request handler is not an exit of the server',
    code: `
      import * as http from 'http';
      export function once(port: number) {
        const server = http.createServer((req, res) => {
          if (req.url !== '/stop') return res.end('still here');
          res.end('bye');
          server.close();
        });
        server.listen(port);
      }`,
  },
  {
    name: 'an exhaustive switch over a union type has no path on which no case runs',
    code: `
      import * as net from 'net';
      type Mode = 'quit' | 'keep';
      export function finish(port: number, mode: Mode, pool: net.Socket[]) {
        const s = net.connect(port);
        switch (mode) {
          case 'quit':
            s.end();
            break;
          case 'keep':
            pool.push(s);
            break;
        }
      }`,
  },
  // Returned through a chain.
  {
    name: 'returned through connect().then(() => client)',
    code: `
      import { Client } from 'pg';
      export function connected(url: string) {
        const client = new Client(url);
        return client.connect().then(() => client);
      }`,
  },
  {
    name: 'resolved through a ready promise chain',
    code: `
      import WebSocket from 'ws';
      import { once } from 'events';
      export function open(url: string): Promise<WebSocket> {
        const ws = new WebSocket(url);
        return once(ws, 'open').then(() => ws);
      }`,
  },
  // `this` is the resource in its own listeners.
  {
    name: 'this.end() in the connect listener given to net.connect',
    code: `
      import * as net from 'net';
      export function poke(port: number) {
        net.connect(port, function (this: net.Socket) { this.end('poke'); });
        const s = net.connect(port, function (this: net.Socket) { this.end('again'); });
        s.setNoDelay(true);
      }`,
  },
  {
    name: 'this.destroy() in an arrow inside the session listener',
    code: `
      import * as http2 from 'http2';
      export function head(url: string) {
        const session = http2.connect(url, function (this: http2.ClientHttp2Session) {
          this.request({ ':method': 'HEAD' }).on('response', () => this.destroy());
        });
        session.on('error', () => {});
      }`,
  },
  // A release registered with other code before the resource exists.
  {
    name: 'a closure that destroys the socket, registered before the socket is made',
    code: `
      import * as net from 'net';
      export async function abortMidway(port: number, hooks: { on(e: string, f: () => void): void }, done: Promise<void>) {
        hooks.on('request', () => client.destroy());
        const client = net.connect(port);
        client.write('GET / HTTP/1.1\\r\\n\\r\\n');
        await done;
      }`,
  },
  {
    name: 'a method of an options object, registered before the socket is made, destroys it',
    code: `
      import * as net from 'net';
      declare const server: { state(name: string, o: { autoValue(): Promise<string> }): void; start(): Promise<void>; port: number };
      export async function abortWhileMarshalling(log: Promise<unknown>) {
        server.state('always', {
          async autoValue() {
            client.destroy();
            return 'x';
          },
        });
        await server.start();
        const client = net.connect(server.port, () => client.write('GET / HTTP/1.1\\r\\n\\r\\n'));
        await log;
      }`,
  },
  // A release that runs after a timer or a settled promise.
  {
    name: 'destroyed after a timer promise',
    code: `
      import * as net from 'net';
      import { setTimeout as sleep } from 'timers/promises';
      export function slowClose(port: number) {
        const s = net.connect(port);
        s.write('x');
        sleep(500).then(() => s.destroy());
      }`,
  },
  {
    name: 'Promise.allSettled cannot reject',
    code: `
      import { Client } from 'undici';
      export async function pipelined(url: string, paths: string[]) {
        const client = new Client(url);
        await Promise.allSettled(paths.map((p) => client.request({ path: p, method: 'GET' }).then((r) => r.body.dump())));
        await client.close();
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a switch that misses a member of the union leaves the socket open on that path',
    code: `
      import * as net from 'net';
      type Mode = 'quit' | 'keep' | 'drop';
      export function finish(port: number, mode: Mode, pool: net.Socket[]) {
        const s = net.connect(port);
        switch (mode) {
          case 'quit':
            s.end();
            break;
          case 'keep':
            pool.push(s);
            break;
        }
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'a wrapper opened with connect() and not closed on an early return',
    code: `
      import * as net from 'net';
      class Client {
        private socket?: net.Socket;
        constructor(private port: number) {}
        connect() { this.socket = net.connect(this.port); }
        close() { this.socket?.destroy(); }
      }
      export function probe(port: number, quick: boolean) {
        const c = new Client(port);
        c.connect();
        if (quick) return false;
        c.close();
        return true;
      }`,
    errors: [{ line: 9 }],
  },
  {
    name: 'a half-open socket waits for end but never ends its side',
    code: `
      import * as net from 'net';
      export function read(port: number): Promise<string> {
        return new Promise((resolve) => {
          let data = '';
          const s = net.connect({ port, allowHalfOpen: true });
          s.on('data', (c) => { data += c; });
          s.on('end', () => resolve(data));
        });
      }`,
    errors: [{ line: 5 }],
  },
  {
    name: 'a close helper whose guard is not about the socket still leaks when it returns',
    code: `
      import * as net from 'net';
      function finish(s: net.Socket, ready: boolean) {
        if (!ready) return;
        s.end();
      }
      export function hello(port: number) {
        const s = net.connect(port);
        finish(s, false);
      }`,
    errors: [{ line: 7 }],
  },
  {
    name: 'a server made in a test and never closed keeps the runner alive',
    code: `
      import * as http from 'http';
      declare function it(name: string, fn: () => Promise<void>): void;
      it('answers', async () => {
        const server = http.createServer((req, res) => res.end('ok'));
        server.listen(0);
        await fetch('http://localhost:' + (server.address() as { port: number }).port).then((r) => r.text());
      });`,
    errors: [{ line: 4 }],
  },
  {
    name: 'a server listened in a test without a variable cannot be closed',
    code: `
      import * as net from 'net';
      declare function test(name: string, fn: () => void): void;
      test('binds', () => {
        net.createServer().listen(0);
      });`,
    errors: [{ line: 4 }],
  },
  {
    name: 'a production function still leaks when its await rejects',
    code: `
      import { Client } from 'pg';
      export async function count(url: string) {
        const client = new Client(url);
        await client.connect();
        const r = await client.query('select count(*) from t');
        await client.end();
        return r.rows[0];
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'a client never closed in a test case is reported (the runner hangs)',
    code: `
      import Redis from 'ioredis';
      declare function it(name: string, fn: () => Promise<void>): void;
      it('sets', async () => {
        const redis = new Redis(6379);
        await redis.set('k', 'v');
      });`,
    errors: [{ line: 4 }],
  },
  {
    name: 'an await before listen() is no exit, one after it is',
    code: `
      import * as http from 'http';
      export async function serve(port: number, load: () => Promise<void>, work: () => Promise<void>) {
        const server = http.createServer((req, res) => res.end());
        await load();
        server.listen(port);
        await work();
        server.close();
      }`,
    errors: [{ line: 3 }],
  },
];

/** An agent made per call for one request: connection-churn reports it (RuleMeta.supersedes); checked here with it off. */
export const perCallAgents: InvalidCase[] = [
  {
    name: 'a keep-alive agent made per call and never destroyed',
    code: `
      import * as https from 'https';
      export function get(url: string) {
        const agent = new https.Agent({ keepAlive: true });
        https.get(url, { agent }, (res) => res.resume());
      }`,
    errors: [{ line: 3 }],
  },
];
