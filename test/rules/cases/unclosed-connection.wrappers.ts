// unclosed-connection: project classes that own a connection (wrappers), opened through a private
// method, through a local stored in a field, by a wrapper they own, or handed out by a factory; and
// project helpers that return an object holding a connection they made (`return { client, db }`).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A project class that keeps a WebSocket in a field and closes it in `close()` (the wrapper cases below). */
const SESSION = `      import WebSocket from 'ws';
      class Session {
        constructor(private ws: WebSocket) {}
        send(method: string): Promise<{ product: string }> {
          this.ws.send(JSON.stringify({ method }));
          return new Promise((resolve) => this.ws.once('message', (m) => resolve(JSON.parse(String(m)))));
        }
        close(): void { this.ws.close(); }
      }`;

/** A class owning a socket it opens in connect(), and one owning that class, which it connects in start(). */
const LINK_SESSION = `
  import * as net from 'net';
  class Link {
    private socket?: net.Socket;
    constructor(private port: number) {}
    connect() {
      const socket = net.connect(this.port);
      this.socket = socket;
    }
    close() { this.socket?.destroy(); }
  }
  export class Session {
    private link: Link;
    constructor(port: number) { this.link = new Link(port); }
    start() { this.link.connect(); }
    close() { this.link.close(); }
  }`;

export const valid: ValidCase[] = [
  {
    name: "a factory connects a mail client class whose logout() closes its socket (as close() does); the caller logs out in finally",
    code: `
      import { connectClient } from './client';
      export async function listFolders(host: string) {
        const client = await connectClient(host);
        try {
          return await client.list();
        } finally {
          await client.logout();
        }
      }`,
    files: { 'client.ts': `
      import * as tls from 'tls';
      export class MailClient {
        private socket: tls.TLSSocket | null = null;
        constructor(private host: string) {}
        connect(): Promise<void> {
          return new Promise((resolve, reject) => {
            const s = tls.connect(993, this.host, () => { this.socket = s; resolve(); });
            s.once('error', reject);
          });
        }
        async list(): Promise<string[]> { this.socket!.write('A1 LIST "" *\\r\\n'); return []; }
        async logout() {
          try { this.socket?.write('A2 LOGOUT\\r\\n'); } finally { this.close(); }
        }
        close() { this.socket?.destroy(); this.socket = null; }
      }
      export async function connectClient(host: string): Promise<MailClient> {
        const client = new MailClient(host);
        await client.connect();
        return client;
      }` },
  },
  {
    name: 'a test helper returns { server, port, teardown } and teardown closes the server: the caller keeps only teardown',
    code: `
      import { setup } from '../setup';
      it('connects', async () => {
        const { port, teardown } = await setup();
        if (!port) throw new Error('no port');
        await teardown();
      });`,
    files: { 'setup.ts': `
      import * as net from 'net';
      import { once } from 'events';
      export async function setup() {
        const server = net.createServer((s) => s.end());
        await once(server.listen(0), 'listening');
        const port = (server.address() as net.AddressInfo).port;
        return { server, port, teardown: async () => { server.close(); } };
      }` },
    file: 'test/connect.test.ts',
  },
  {
    name: 'a helper returns { client, collection }; the caller closes the client in finally',
    code: `
      import { openArchive } from './archive-client.js';
      export async function archiveDay(docs) {
        const archive = await openArchive();
        try {
          if (docs.length === 0) return 0;
          await archive.collection('telemetry').insertMany(docs);
          return docs.length;
        } finally {
          await archive.client.close();
        }
      }`,
    ext: '.mjs',
    files: { 'archive-client.js': `
      import { MongoClient } from 'mongodb';
      export async function openArchive(uri = 'mongodb://localhost:27018') {
        const client = new MongoClient(uri);
        await client.connect();
        return { client, collection: (name) => client.db('archive').collection(name) };
      }`, 'package.json': '{ "name": "gw", "type": "module" }' },
  },
  {
    name: 'a helper returns an object with a client it keeps in a cache too: not the caller\'s to close',
    code: `
      import { clientFor } from './clients.js';
      export async function ping(uri) {
        const { client } = clientFor(uri);
        if (!uri) return false;
        await client.db('admin').command({ ping: 1 });
        return true;
      }`,
    ext: '.mjs',
    files: { 'clients.js': `
      import { MongoClient } from 'mongodb';
      const cache = new Map();
      export function clientFor(uri) {
        const client = new MongoClient(uri);
        cache.set(uri, client);
        return { client };
      }`, 'package.json': '{ "name": "gw", "type": "module" }' },
  },
  {
    name: 'a wrapper whose public start() opens through a private method, made by a factory and never started',
    code: `
      import { createFeed } from './feed';
      export function configure(port: number) {
        const feed = createFeed(port);
        console.log('configured', feed);
      }`,
    files: { 'feed.ts': `
      import * as net from 'net';
      export class Feed {
        #socket?: net.Socket;
        constructor(private port: number) {}
        start() { this.#connect(); }
        #connect() {
          const socket = net.connect(this.port);
          this.#socket = socket;
        }
        close() { this.#socket?.destroy(); }
      }
      export function createFeed(port: number) { return new Feed(port); }` },
  },
  {
    name: 'a wrapper started through a private opener and closed in finally',
    code: `
      import * as net from 'net';
      class Feed {
        #socket?: net.Socket;
        constructor(private port: number) {}
        start() { this.#connect(); }
        #connect() { this.#socket = net.connect(this.port); }
        close() { this.#socket?.destroy(); }
      }
      export async function once(port: number, work: () => Promise<void>) {
        const feed = new Feed(port);
        feed.start();
        try { await work(); } finally { feed.close(); }
      }`,
  },
  {
    name: 'a wrapper of a wrapper: the outer class makes the inner one at construction but connects it only in start()',
    code: `
      import { Session } from './session';
      export function configure(port: number) {
        const s = new Session(port);
        console.log('configured', s);
      }`,
    files: { 'session.ts': LINK_SESSION },
  },
  {
    name: 'a wrapper whose constructor connects unless it is handed a stream, made in a test with a mock stream',
    code: `
      import { Duplex } from 'stream';
      import { createConnection } from '../connection';
      it('reports its state', () => {
        const conn = createConnection({ stream: new Duplex({ read() {}, write(_c, _e, cb) { cb(); } }) });
        if (!conn.stream) throw new Error('no stream');
      });`,
    files: { 'connection.ts': `
      import * as net from 'net';
      import { Duplex } from 'stream';
      export class Connection {
        stream: Duplex;
        constructor(opts: { stream?: Duplex; port?: number }) {
          if (!opts.stream) this.stream = net.connect(opts.port ?? 3306);
          else this.stream = opts.stream;
        }
        end() { this.stream.end(); }
      }
      export function createConnection(opts: { stream?: Duplex; port?: number }) { return new Connection(opts); }` },
    file: 'test/connection.test.ts',
  },
  {
    name: 'a WebSocket wrapped in a project session that closes it, closed through the session on the failing path',
    code: `
${SESSION}
      export async function create(url: string): Promise<Session> {
        const ws = new WebSocket(url);
        await new Promise((r) => ws.once('open', r));
        const session = new Session(ws);
        try {
          const version = await session.send('Browser.getVersion');
          if (!version.product.startsWith('Headless')) throw new Error('not headless');
        } catch (err) {
          session.close();
          throw err;
        }
        return session;
      }`,
  },
  {
    name: 'a wrapper opened once per document, its promise kept in a map and the opened wrapper stored for the room list',
    code: `
      const { createClient } = require('redis');
      class Room {
        constructor(id) { this.id = id; this.sub = null; }
        async open() { this.sub = createClient(); await this.sub.connect(); }
        async close() { await this.sub.quit(); }
      }
      class Rooms {
        constructor() { this.rooms = new Map(); this.opening = new Map(); }
        async join(id) {
          let room = this.rooms.get(id);
          if (!room) {
            const fresh = new Room(id);
            const pending = fresh.open().then(() => fresh);
            this.opening.set(id, pending);
            room = await pending;
            this.rooms.set(id, room);
          }
          return room;
        }
        async closeAll() { await Promise.all([...this.rooms.values()].map((r) => r.close())); }
      }
      module.exports = { Rooms };`,
    ext: '.js',
  },
  {
    name: "a project helper's server closed from the callback option given to the helper itself, hoisted or inline",
    code: `
      const net = require('net');
      function startServer({ next }) {
        const srv = net.createServer((sock) => { sock.on('data', (buf) => { next({ kind: 'data', buf }); sock.destroy(); }); });
        srv.listen(0, '127.0.0.1', () => next({ kind: 'ready', port: srv.address().port }));
        return srv;
      }
      it('closes from the hoisted callback', function (done) {
        const server = startServer({ next });
        function next(ev) {
          if (ev.kind === 'ready') net.connect(ev.port).end('x');
          if (ev.kind === 'data') server.close(() => { done(); });
        }
      });
      it('closes from the inline callback', function (done) {
        const server = startServer({
          next: (ev) => {
            if (ev.kind === 'ready') net.connect(ev.port).end('x');
            if (ev.kind === 'data') server.close(() => done());
          },
        });
      });`,
    ext: '.js',
    file: 'test/next.test.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a factory connects the wrapper it hands out (connect() is its opener); the loop `continue`s past the close when a read rejects',
    code: `
      import { openDevice } from './device';
      export async function verify(hosts: string[]) {
        const failed: string[] = [];
        for (const host of hosts) {
          const conn = await openDevice(host);
          try {
            await conn.read(0x9c40);
          } catch {
            failed.push(host);
            continue;
          }
          await conn.close();
        }
        return failed;
      }`,
    files: { 'device.ts': `
      import * as net from 'net';
      export class DeviceClient {
        private socket: net.Socket | null = null;
        constructor(private host: string) {}
        connect(): Promise<void> {
          return new Promise((resolve, reject) => {
            const s = net.connect(502, this.host, () => { this.socket = s; resolve(); });
            s.once('error', reject);
          });
        }
        async read(register: number): Promise<number> { this.socket!.write(String(register)); return 0; }
        async close() { this.socket?.destroy(); this.socket = null; }
      }
      export async function openDevice(host: string): Promise<DeviceClient> {
        const client = new DeviceClient(host);
        try {
          await client.connect();
        } catch (err) {
          await client.close();
          throw err;
        }
        return client;
      }` },
    errors: [{ line: 5, message: /openDevice\(\)/ }],
  },
  {
    name: 'a helper returns { client, collection } of a MongoClient it connected; the caller returns early without closing it',
    code: `
      import { openArchive } from './archive-client.js';
      export async function archiveDay(docs) {
        const { client, collection } = await openArchive();
        if (docs.length === 0) return 0;
        await collection('telemetry').insertMany(docs);
        await client.close();
        return docs.length;
      }`,
    ext: '.mjs',
    files: { 'archive-client.js': `
      import { MongoClient } from 'mongodb';
      export async function openArchive(uri = 'mongodb://localhost:27018') {
        const client = new MongoClient(uri);
        await client.connect();
        return { client, collection: (name) => client.db('archive').collection(name) };
      }`, 'package.json': '{ "name": "gw", "type": "module" }' },
    errors: [{ line: 3 }],
  },
  {
    name: 'a wrapper opened by a public start() through a private method that keeps the socket via a local',
    code: `
      import * as net from 'net';
      class Feed {
        #socket: net.Socket | null = null;
        constructor(private port: number) {}
        start() { this.#open(); return this; }
        #open() {
          const socket = net.connect(this.port);
          socket.on('error', () => {});
          this.#socket = socket;
        }
        close() { this.#socket?.destroy(); }
      }
      export function probe(port: number, quick: boolean) {
        const f = new Feed(port);
        f.start();
        if (quick) return false;
        f.close();
        return true;
      }`,
    errors: [{ line: 14 }],
  },
  {
    name: 'a wrapper made by a factory, started in a test and never closed',
    code: `
      import { createFeed } from '../feed';
      it('receives', async () => {
        const feed = createFeed(4000);
        feed.start();
        await new Promise((r) => setTimeout(r, 10));
      });`,
    files: { 'feed.ts': `
      import * as net from 'net';
      export class Feed {
        private socket?: net.Socket;
        constructor(private port: number) {}
        start() { this.connect(); }
        private connect() { this.socket = net.connect(this.port); }
        close() { this.socket?.destroy(); }
      }
      export function createFeed(port: number) { return new Feed(port); }` },
    file: 'test/feed.test.ts',
    errors: [{ line: 3 }],
  },
  {
    name: 'a wrapper of a wrapper, started and dropped on an early return',
    code: `
      import { Session } from './session';
      export function probe(port: number, quick: boolean) {
        const s = new Session(port);
        s.start();
        if (quick) return false;
        s.close();
        return true;
      }`,
    files: { 'session.ts': LINK_SESSION },
    errors: [{ line: 3 }],
  },
  {
    name: 'a WebSocket wrapped in a project session that closes it: the throw after a failed check leaves both open',
    code: `
${SESSION}
      export async function create(url: string): Promise<Session> {
        const ws = new WebSocket(url);
        await new Promise((r) => ws.once('open', r));
        const session = new Session(ws);
        const version = await session.send('Browser.getVersion');
        if (!version.product.startsWith('Headless')) throw new Error('not headless');
        return session;
      }`,
    errors: [{ line: 11 }],
  },
  {
    name: 'a helper returns { server, stop() } and the test takes only the server: nothing can call stop()',
    code: `
      import { startStatusServer } from '../src/status-server';
      it('reports status', async () => {
        const { server } = startStatusServer(0);
        if (!server.address()) throw new Error('not listening');
      });`,
    files: { 'src/status-server.ts': `
      import http from 'node:http';
      export function startStatusServer(port: number) {
        const server = http.createServer((req, res) => res.end('ok'));
        server.listen(port);
        return { server, stop: () => new Promise<void>((r) => server.close(() => r())) };
      }` },
    file: 'test/status.test.ts',
    errors: [{ line: 3, message: /Server from `startStatusServer\(\)` is never closed/ }],
  },
  {
    name: "a project class whose constructor connects over TLS or plain TCP (`this.socket = secure ? tls.connect(o) : net.connect(o)`), left open by a test that expects the login refused",
    code: `
      import net from 'node:net';
      import tls from 'node:tls';
      import assert from 'node:assert/strict';
      import { test } from 'node:test';
      class ImapConnection {
        constructor({ host, port, secure = true }) {
          this.socket = secure ? tls.connect({ host, port }) : net.connect({ host, port });
        }
        login(user) { this.socket.write('A1 LOGIN ' + user + '\\r\\n'); return new Promise((resolve, reject) => this.socket.once('data', (d) => (String(d).includes('OK') ? resolve() : reject(new Error('bad credentials'))))); }
        logout() { this.socket.end('A2 LOGOUT\\r\\n'); }
      }
      test('rejects bad credentials', async () => {
        const imap = new ImapConnection({ host: '127.0.0.1', port: Number(process.env.PORT), secure: false });
        await assert.rejects(imap.login('wrong'), /bad credentials/);
      });
      test('logs in and out', async () => {
        const imap = new ImapConnection({ host: '127.0.0.1', port: Number(process.env.PORT), secure: false });
        await imap.login('good');
        imap.logout();
      });`,
    ext: '.mjs',
    errors: [{ line: 13 }],
  },
];
