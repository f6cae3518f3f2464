// unclosed-connection: a method named for moving to another endpoint (`retarget`) that connects again over the
// field's open socket (also through a private `#open()` that makes it, or a watchdog timer refilling it from a
// `connect()` that lends its client to a method of the class that only publishes); a restart from the 'close' listener of a channel the field's connection made (an AMQP
// channel closes alone, its connection stays open); a module timer that sweeps idle HTTP/2 sessions out of the
// module's map without closing them; a tedious completion callback that settles with `return reject(err)`; a
// half-open server's local line handler written as an arrow (it ends the connection only where it is called);
// a test's mock server that answers without reading, left alone; a registry that keeps project links as
// `link.start()` hands them back and drops one from its map without closing it; a WebSocket whose 'error' and
// 'close' listeners both reconnect (a failure emits both); and an AMQP channel whose own
// operation rejects (the broker closed it), unlike `waitForConfirms()`, which rejects on a nack; a module function
// named for rotating its session that overwrites the module's open one; a WebSocket awaited open before the promise
// a give-up timer settles; and a socket read line by line to its end.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A line-protocol status server with `allowHalfOpen: true`; `onEnd` is the body of its 'end' listener. */
const HALF_OPEN_STATUS = (onEnd: string) => `
      const net = require('node:net');
      function createStatusServer(store) {
        return net.createServer({ allowHalfOpen: true }, (socket) => {
          let buf = '';
          const handle = async (line) => {
            if (line === 'QUIT') socket.end('BYE\\n');
            else socket.write(store.summary(line) + '\\n');
          };
          socket.on('data', (data) => {
            buf += data;
            const lines = buf.split('\\n');
            buf = lines.pop();
            for (const line of lines) void handle(line.trim());
          });
          socket.on('end', () => {
            ${onEnd}
          });
          socket.on('error', () => {});
        });
      }
      module.exports = { createStatusServer };`;

/** An AMQP publisher that starts again from the 'close' listener of `emitter`. */
const PUBLISHER = (emitter: string) => `
      import amqp from 'amqplib';
      export class ResultPublisher {
        constructor(url) {
          this.url = url;
          this.conn = null;
          this.ch = null;
          this.closing = false;
        }
        async start() {
          this.conn = await amqp.connect(this.url);
          this.conn.on('error', (err) => console.warn(err.message));
          this.ch = await this.conn.createConfirmChannel();
          ${emitter}.on('close', () => {
            if (this.closing) return;
            setTimeout(() => this.start().catch(() => undefined), 1000);
          });
        }
        async close() {
          this.closing = true;
          await this.ch?.close();
          await this.conn?.close();
        }
      }`;

/** A WebSocket upstream whose 'error' and 'close' listeners both schedule a reconnect; `schedule` is that method's body. */
const UPSTREAM = (schedule: string, guard = '') => `
      import WebSocket from 'ws';
      export class Upstream {
        constructor(url) {
          this.url = url;
          this.ws = null;
          this.timer = null;
          this.stopped = false;
        }
        connect() {${guard}
          const ws = new WebSocket(this.url, { handshakeTimeout: 10_000 });
          ws.on('error', (err) => {
            console.warn(err.message);
            this.scheduleReconnect();
          });
          ws.on('close', () => this.scheduleReconnect());
          this.ws = ws;
        }
        scheduleReconnect() {
          ${schedule}
        }
        stop() {
          this.stopped = true;
          clearTimeout(this.timer);
          this.ws?.close(1001, 'stopping');
        }
      }`;

/** A module's HTTP/2 session to a weather API, made on demand and closed by closeSession(); `more` adds functions. */
const WEATHER_SESSION = (more: string, close = `
        if (session && !session.closed) session.close();
        session = null;`) => `
      const http2 = require('node:http2');
      const ORIGIN = process.env.WEATHER_ORIGIN || 'https://api.weather.example';
      let session = null;
      function onSessionError(err) {
        console.warn(err.message);
      }
      function currentSession() {
        if (session === null || session.closed || session.destroyed) {
          session = http2.connect(ORIGIN);
          session.on('error', onSessionError);
        }
        return session;
      }
      function closeSession() {${close}
      }${more}
      module.exports = { currentSession, closeSession };`;

/** A rotateSession() that gives the module's variable a new session without closing the one it holds. */
const ROTATE = `
      function rotateSession() {
        session = http2.connect(ORIGIN);
        session.on('error', onSessionError);
        return session;
      }`;

/** A per-call AMQP publisher on a shared connection; `confirm` runs after the publish, before the close. */
const PUBLISH_ONCE = (confirm: string) => `
      export async function publishOnce(conn, routingKey, body) {
        const ch = await conn.createConfirmChannel();
        await ch.assertExchange('contest', 'topic', { durable: true });
        ch.publish('contest', routingKey, Buffer.from(body));
        ${confirm}
        await ch.close();
      }`;

export const valid: ValidCase[] = [
  {
    name: 'an RFID inventory read line by line with readline to its end: the reader closes, and Node ends the socket after its end',
    code: `
      import readline from 'node:readline';
      import tls from 'node:tls';
      export async function dumpInventory(host: string, port: number): Promise<string[]> {
        const socket = tls.connect({ host, port });
        socket.setTimeout(10_000, () => socket.destroy(new Error('timed out')));
        socket.write('INVENTORY\\n');
        const tags = new Set<string>();
        const lines = readline.createInterface({ input: socket, crlfDelay: Infinity });
        for await (const line of lines) {
          if (line.startsWith('TAG ')) tags.add(line.slice(4).trim());
        }
        return [...tags];
      }`,
  },
  {
    name: "a module's session made again only when the one it holds is closed (`currentSession()`), and closed by closeSession()",
    code: WEATHER_SESSION(''),
    ext: '.js',
  },
  {
    name: "a WebSocket upstream whose reconnect is scheduled once: the method tests the timer field it sets",
    code: UPSTREAM("if (this.stopped || this.timer) return;\n          this.timer = setTimeout(() => { this.timer = null; this.connect(); }, 2000);"),
    ext: '.js',
  },
  {
    name: "a WebSocket upstream whose connect() returns while the field's socket is not closed: the second reconnect does nothing",
    code: UPSTREAM("if (this.stopped) return;\n          setTimeout(() => this.connect(), 2000);", "\n          if (this.ws && this.ws.readyState !== WebSocket.CLOSED) return;"),
    ext: '.js',
  },
  {
    name: "an AMQP channel whose assertExchange() may reject: amqplib rejects it when the broker has closed the channel",
    code: PUBLISH_ONCE(''),
    ext: '.js',
    files: { 'package.json': '{ "name": "contest", "dependencies": { "amqplib": "^0.10.4" } }' },
  },
  {
    name: "a half-open server's arrow line handler that always ends the connection, called from its 'end' listener",
    code: HALF_OPEN_STATUS('void handle(buf.trim());').replace("if (line === 'QUIT') socket.end('BYE\\n');\n            else socket.write(store.summary(line) + '\\n');", "socket.end(store.summary(line) + '\\n');"),
    ext: '.js',
  },
  {
    name: "an AMQP publisher that starts again from its connection's own 'close' listener: the old connection is gone",
    code: PUBLISHER('this.conn'),
    ext: '.js',
  },
  {
    name: "a test's mock server that writes a banner and never reads: its client, the code under test, is closed by the test",
    code: `
      const net = require('node:net');
      const assert = require('node:assert');
      const { checkBanner } = require('./tcp');
      describe('banner check', () => {
        let server;
        before((done) => {
          server = net.createServer((sock) => {
            sock.on('error', () => {});
            sock.write('SSH-2.0-OpenSSH_9.6 test\\r\\n');
          });
          server.listen(0, '127.0.0.1', done);
        });
        after(() => server.close());
        it('reads the banner', async () => {
          assert.match(await checkBanner('127.0.0.1', server.address().port), /OpenSSH/);
        });
      });`,
    file: 'test/tcp.test.js',
    ext: '.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a module's rotateSession() that gives its variable a new HTTP/2 session over the open one, which closeSession() alone closes",
    code: WEATHER_SESSION(ROTATE),
    ext: '.js',
    errors: [{ line: 19, message: /`session` is given a new HTTP\/2 session on line 19 while the one it holds may still be open/ }],
  },
  {
    name: 'the same when closeSession() closes a copy it takes before clearing the variable (const s = session)',
    code: WEATHER_SESSION(ROTATE, `
        const s = session;
        session = null;
        if (s && !s.closed) s.close();`),
    ext: '.js',
    errors: [{ line: 20, message: /`session` is given a new HTTP\/2 session on line 20 while the one it holds may still be open/ }],
  },
  {
    name: "a WebSocket awaited open before the promise that waits for its ack: the give-up timer rejects and leaves it open",
    code: `
      import WebSocket from 'ws';
      import { once } from 'node:events';
      export async function sendCommand(url: string, cmd: { id: string }, timeoutMs = 5_000): Promise<unknown> {
        const ws = new WebSocket(url);
        await once(ws, 'open');
        ws.send(JSON.stringify(cmd));
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no ack')), timeoutMs);
          ws.on('message', (data) => {
            const ack = JSON.parse(String(data));
            if (ack.id !== cmd.id) return;
            clearTimeout(timer);
            ws.close(1000);
            resolve(ack);
          });
          ws.once('error', (err) => {
            clearTimeout(timer);
            reject(err);
          });
        });
      }`,
    errors: [{ line: 4, message: /WebSocket from `ws` is not closed once the promise is settled on line 8/ }],
  },
  {
    name: "a WebSocket upstream whose 'error' and 'close' listeners both schedule a reconnect: each failure opens two, and the first is dropped open",
    code: UPSTREAM("if (this.stopped) return;\n          setTimeout(() => this.connect(), 2000);"),
    ext: '.js',
    errors: [{ line: 10, message: /`this.ws` is given a new WebSocket by both the `'error'` and the `'close'` listener/ }],
  },
  {
    name: 'the same channel left open when waitForConfirms() rejects: a nacked message leaves the channel open',
    code: PUBLISH_ONCE('await ch.waitForConfirms();'),
    ext: '.js',
    files: { 'package.json': '{ "name": "contest", "dependencies": { "amqplib": "^0.10.4" } }' },
    errors: [{ line: 2, message: /AMQP channel from `.*createConfirmChannel` is not closed if the `await` on line 5 rejects/ }],
  },
  {
    name: 'a registry that keeps the links `link.start()` hands back and drops an unwanted one from its map without closing it',
    code: `
      const { ControllerLink } = require('./controller-link');
      class ControllerRegistry {
        constructor(tlsOpts) {
          this.tlsOpts = tlsOpts;
          this.links = new Map();
        }
        sync(controllers) {
          const wanted = new Set(controllers.map((c) => c.id));
          for (const c of controllers) {
            if (this.links.has(c.id)) continue;
            const link = new ControllerLink({ ...this.tlsOpts, ...c });
            this.links.set(c.id, link.start());
          }
          for (const id of [...this.links.keys()]) {
            if (!wanted.has(id)) this.links.delete(id);
          }
        }
        closeAll() {
          for (const link of this.links.values()) link.close();
          this.links.clear();
        }
      }
      module.exports = { ControllerRegistry };`,
    ext: '.js',
    files: {
      'controller-link.js': "const tls = require('node:tls');\nclass ControllerLink {\n  constructor(opts) { this.opts = opts; this.socket = null; }\n  start() { this.socket = tls.connect(this.opts); return this; }\n  close() { if (this.socket) this.socket.end(); }\n}\nmodule.exports = { ControllerLink };\n",
    },
    errors: [{ line: 11, message: /kept in `this.links`, and the entry that holds it is deleted on line 15/ }],
  },
  {
    name: "a half-open server's arrow line handler that ends only on QUIT, and an 'end' listener that calls it only for a trailing line",
    code: HALF_OPEN_STATUS('const rest = buf.trim();\n            if (rest) void handle(rest);'),
    ext: '.js',
    errors: [{ line: 3, message: /Socket from `net.createServer` is never closed/ }],
  },
  {
    name: 'a TLS console link whose retarget() connects again over the open socket of the field',
    code: `
      const tls = require('node:tls');
      class TlsConsole {
        constructor({ host, port }) {
          this.host = host;
          this.port = port;
          this.socket = null;
          this.closing = false;
        }
        connect() {
          const socket = tls.connect({ host: this.host, port: this.port });
          socket.on('error', () => {});
          socket.on('close', () => {
            if (this.socket === socket && !this.closing) setTimeout(() => this.connect(), 2000).unref();
          });
          this.socket = socket;
          return this;
        }
        retarget(host) {
          this.host = host;
          return this.connect();
        }
        close() {
          this.closing = true;
          if (this.socket) this.socket.end();
        }
      }
      module.exports = { TlsConsole };`,
    ext: '.js',
    errors: [{ line: 10, message: /`this.socket` is given a new socket on line 10/ }],
  },
  {
    name: "an AMQP publisher that starts again from its channel's 'close' listener: the connection stays open and is overwritten",
    code: PUBLISHER('this.ch'),
    ext: '.js',
    errors: [{ line: 10, message: /`this.conn` is given a new AMQP connection on line 10/ }],
  },
  {
    name: "a module's interval that sweeps idle HTTP/2 sessions out of its map without closing them, while closeSessions() closes the rest",
    code: `
      import http2 from 'node:http2';
      const sessions = new Map();
      function sessionFor(origin) {
        let entry = sessions.get(origin);
        if (!entry || entry.session.closed) {
          const session = http2.connect(origin);
          session.on('error', () => sessions.delete(origin));
          entry = { session, lastUsed: Date.now() };
          sessions.set(origin, entry);
        }
        entry.lastUsed = Date.now();
        return entry.session;
      }
      const sweeper = setInterval(() => {
        for (const [origin, entry] of sessions) {
          if (Date.now() - entry.lastUsed > 60_000) sessions.delete(origin);
        }
      }, 10_000);
      sweeper.unref();
      export function post(origin, path) {
        const req = sessionFor(origin).request({ ':method': 'POST', ':path': path });
        req.end();
        return req;
      }
      export function closeSessions() {
        for (const { session } of sessions.values()) session.close();
        sessions.clear();
      }`,
    ext: '.js',
    errors: [{ line: 6, message: /kept in `sessions`, and the entry that holds it is deleted on line 16/ }],
  },
  {
    name: "a tedious query whose completion callback settles with `return reject(reqErr)` and closes only on success",
    code: `
      import { Connection, Request } from 'tedious';
      export function currentShift(line: string): Promise<unknown> {
        return new Promise((resolve, reject) => {
          const conn = new Connection({ server: 'sql', options: { database: 'andon' } });
          conn.connect((err) => {
            if (err) return reject(err);
            let shift: unknown = null;
            const req = new Request('SELECT TOP 1 * FROM Shifts WHERE Line = @line', (reqErr) => {
              if (reqErr) return reject(reqErr);
              conn.close();
              resolve(shift);
            });
            req.on('row', (cols: unknown) => { shift = cols; });
            conn.execSql(req);
          });
        });
      }`,
    errors: [{ line: 4, message: /not closed once the promise is settled on line 9/ }],
  },
  {
    name: "a feed whose setRegions() stores a new Socket.IO client from its private #open() over the open one",
    ext: '.js',
    code: `
      const { io } = require('socket.io-client');
      class AlertsFeed {
        constructor(url) { this.url = url; this.regions = []; this.socket = null; }
        start() { this.socket = this.#open(); }
        #open() {
          const socket = io(this.url, { forceNew: true, auth: { regions: this.regions } });
          socket.on('alert', (a) => console.log(a.id));
          return socket;
        }
        setRegions(regions) {
          this.regions = [...regions];
          this.socket = this.#open();
        }
        stop() {
          if (this.socket) { this.socket.disconnect(); this.socket = null; }
        }
      }
      module.exports = { AlertsFeed };`,
    errors: [{ line: 6, message: /`this.socket` is given a new Socket.IO client on line 12 while the one it holds may still be open/ }],
  },
  {
    name: "a presence publisher whose watchdog timer stores a new MQTT client from connect() over the open one; connect() lends its client to a method that only publishes",
    code: `
      import mqtt, { type MqttClient } from 'mqtt';
      export class PresencePublisher {
        private client: MqttClient;
        private lastAck = Date.now();
        private readonly statuses = new Map<string, string>();
        constructor(private readonly brokerUrl: string) {
          this.client = this.connect();
        }
        private connect(): MqttClient {
          const client = mqtt.connect(this.brokerUrl, { reconnectPeriod: 2_000 });
          client.on('connect', () => {
            this.lastAck = Date.now();
            for (const [id, status] of this.statuses) this.publishPlayer(client, id, status);
          });
          return client;
        }
        start(): void {
          setInterval(() => {
            if (Date.now() - this.lastAck > 45_000) {
              this.client = this.connect();
              return;
            }
            this.client.publish('heartbeat', String(Date.now()));
          }, 15_000);
        }
        private publishPlayer(client: MqttClient, id: string, status: string): void {
          client.publish('players/' + id, status, { retain: true });
        }
        async stop(): Promise<void> {
          await this.client.endAsync();
        }
      }`,
    errors: [{ line: 10, message: /`this.client` is given a new MQTT client on line 20 while the one it holds may still be open/ }],
  },
];
