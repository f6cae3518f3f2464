// unclosed-connection: a process's clients and their end — closed by a shutdown helper guarded so it
// runs once (or a function of main() that a signal listener calls), by a cleanup block whose other closes may fail, or left when a script's main() fails and
// only marks the run failed (`process.exitCode = 1`: the process goes on while the client is open), or when a start() the module's top-level await waits for rejects;
// a consumer drained when its caller aborts the signal it was given. A service's main() whose shutdown function
// (`const shutdown = async () => …`, given to the signal listeners or called by them) closes what it started keeps
// it for the process: the start-up's own failures are not this function's leaks (main() fails as a whole).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A project client that owns a UDP socket and closes it in `close()` (the cases below). */
const STATSD = `      const dgram = require('dgram');
      class Statsd {
        constructor(port) { this.socket = dgram.createSocket('udp4'); this.port = port; }
        count(name) { this.socket.send(name + ':1|c', this.port, '127.0.0.1'); }
        close() { return new Promise((resolve) => this.socket.close(resolve)); }
      }`;

/** An ES module's start(): a reconnecting WebSocket bridge, then a listen that may throw; `entry` runs it. */
function startModule(entry: string): string {
  return `
      import http from 'node:http';
      import WebSocket from 'ws';
      class Bridge {
        constructor(url) { this.url = url; this.ws = null; }
        start() { this.ws = new WebSocket(this.url); this.ws.on('error', () => {}); }
        stop() { this.ws?.close(); }
      }
      export async function start(port) {
        const server = http.createServer((req, res) => res.end('ok'));
        const bridge = new Bridge('ws://presence.internal/feed');
        bridge.start();
        await new Promise((resolve) => server.listen(port, resolve));
        return { server, close() { bridge.stop(); server.close(); } };
      }
${entry}`;
}

/** A NATS consumer that runs until its connection closes; `onAbort` is its first statement after connecting. */
function natsConsumer(onAbort: string): string {
  return `
      import { connect } from 'nats';
      export async function runConsumer({ signal }: { signal?: AbortSignal } = {}) {
        const nc = await connect({ servers: process.env.NATS_URL, maxReconnectAttempts: -1 });
        ${onAbort}
        const sub = nc.subscribe('scores.>');
        for await (const m of sub) console.log(m.subject);
        await nc.closed();
      }`;
}

/** An AMQP worker started by the CLI; `onLoss` is what it does when its connection goes. */
function amqpWorker(onLoss: string): string {
  return `
      import * as amqp from 'amqplib';
      export async function startOrderConsumer(handle: (body: string) => Promise<void>): Promise<void> {
        const conn = await amqp.connect(process.env.AMQP_URL!);
        ${onLoss}
        const ch = await conn.createChannel();
        await ch.prefetch(20);
        await ch.consume('orders', async (msg) => {
          if (!msg) return;
          await handle(msg.content.toString());
          ch.ack(msg);
        });
      }`;
}

/** A gateway's main() whose signal listeners are a function declaration of main(); `stopBody` is that function's body. */
function gateway(stopBody: string): string {
  return `
      const net = require('net');
      class ControllerLink {
        connect() { this.sock = net.connect(502, 'plc.internal'); return new Promise((resolve) => this.sock.once('connect', resolve)); }
        read() { this.sock.write('r'); }
        close() { this.sock.end(); }
      }
      async function main() {
        const link = new ControllerLink();
        await link.connect();
        const poll = setInterval(() => link.read(), 1000);
        async function stop() {
          clearInterval(poll);
          ${stopBody}
        }
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }
      main().catch((err) => {
        console.error(err);
        process.exit(1);
      });`;
}

/** A project MQTT bridge, started by main() and stopped by its shutdown function. */
const BRIDGE = `'use strict';
const mqtt = require('mqtt');
class TelemetryBridge {
  constructor({ url }) { this.url = url; this.client = null; }
  start() { this.client = mqtt.connect(this.url); return this; }
  async stop() { if (this.client) await this.client.endAsync(); }
}
module.exports = { TelemetryBridge };
`;

/** A service's main(): the bridge, then awaits that may reject, then a status server and `shutdown` (`signals` registers it). */
const serviceMain = (signals: string, middle = '') => ({
  ext: '.js' as const,
  file: 'src/index.js',
  files: { 'src/bridge.js': BRIDGE, 'src/devices.js': 'exports.listDevices = async () => [];\nexports.discover = async () => [];\n' },
  code: `
      const http = require('node:http');
      const { EventEmitter } = require('node:events');
      const { TelemetryBridge } = require('./bridge');
      const { listDevices, discover } = require('./devices');
      async function main() {
        const bridge = new TelemetryBridge({ url: process.env.MQTT_URL }).start();
        const devices = await listDevices();
        const found = await discover();
        ${middle}
        const server = http.createServer((req, res) => res.end(JSON.stringify({ devices, found })));
        server.listen(8080);
        const shutdown = async () => {
          server.close();
          await bridge.stop();
        };
        ${signals}
      }
      main().catch((err) => {
        console.error(err);
        process.exitCode = 1;
      });`,
});

export const valid: ValidCase[] = [
  {
    name: "an ES module's start() of a reconnecting bridge, called once at the top level, whose rejection the caller catches and logs: it failed as a whole",
    code: startModule("      start(8080).catch((err) => console.error(err));"),
    ext: '.mjs',
  },
  {
    name: "an ES module script whose top-level try only sets process.exitCode: its helper, called once there, fails the script as a whole",
    code: `
      import http2 from 'node:http2';
      import { once } from 'node:events';
      async function renderOnce(origin, doc) {
        const session = http2.connect(origin);
        const stream = session.request({ ':method': 'POST', ':path': '/render' });
        stream.end(JSON.stringify(doc));
        const [headers] = await once(stream, 'response');
        if (headers[':status'] !== 200) throw new Error('render failed');
        session.close();
        return headers;
      }
      try {
        console.log(await renderOnce(process.env.RENDER_URL, {}));
      } catch (err) {
        console.error(err.message);
        process.exitCode = 1;
      }`,
    ext: '.mjs',
  },
  {
    name: "a script's main() whose rejection only sets process.exitCode: a failing query fails the script as a whole (held-out labellers call none of these a leak)",
    code: `
      import { Client } from 'pg';
      async function main() {
        const db = new Client({ connectionString: process.env.DATABASE_URL });
        await db.connect();
        const { rowCount } = await db.query('DELETE FROM devices WHERE invalid_at < now()');
        console.log('pruned', rowCount);
        await db.end();
      }
      main().catch((err) => {
        console.error('prune failed:', err);
        process.exitCode = 1;
      });`,
  },
  {
    name: "a service's main() whose shutdown function, given to its signal listeners, stops the bridge it started",
    ...serviceMain(`process.once('SIGTERM', shutdown);
        process.once('SIGINT', shutdown);`),
  },
  {
    name: "the same shutdown function called by signal listeners written in place",
    ...serviceMain(`process.once('SIGTERM', () => void shutdown());
        process.once('SIGINT', () => void shutdown());`),
  },
  {
    name: "the same main() whose links' listeners use the bridge (a map's callback registers them): uses, not hand-overs",
    ...serviceMain(`process.once('SIGTERM', () => void shutdown());`, `const links = devices.map((d) => {
          const link = new EventEmitter();
          link.on('frame', (frame) => bridge.publish(d, frame));
          return link;
        });`),
  },
  {
    name: 'a controller link of main() closed by a function declaration of main() that its signal listeners are given by name',
    code: gateway('link.close();'),
    ext: '.js',
  },
  {
    name: "an AMQP consumer whose connection's 'close' listener exits the process, for its supervisor to start it again",
    code: amqpWorker("conn.on('close', () => {\n          console.error('amqp connection closed, exiting so the supervisor restarts the consumer');\n          process.exit(1);\n        });"),
  },
  {
    name: "a NATS consumer drained when its caller aborts the signal it was given, awaiting the connection's close",
    code: natsConsumer("signal?.addEventListener('abort', () => nc.drain().catch(() => {}), { once: true });"),
  },
  {
    name: "a server and a Redis client of main() closed by a shutdown function its signal listeners call, registered in a loop over the signals",
    code: `
      const http = require('http');
      const Redis = require('ioredis');
      async function main() {
        const redis = new Redis();
        const server = http.createServer((req, res) => res.end('ok'));
        server.listen(8080);
        async function shutdown() {
          await new Promise((resolve) => server.close(resolve));
          await redis.quit();
        }
        for (const signal of ['SIGTERM', 'SIGINT']) {
          process.once(signal, () => {
            shutdown().then(() => process.exit(0), () => process.exit(1));
          });
        }
        await redis.set('started', String(Date.now()));
      }
      main().catch((err) => { console.error(err); process.exit(1); });`,
    ext: '.js',
  },
  {
    name: "a start() awaited by the module's top level into a const: if it rejects, the top-level await ends the process",
    code: startModule('      const app = await start(Number(process.env.PORT));\n      process.once(\'SIGTERM\', () => app.close());'),
    ext: '.mjs',
  },
  {
    name: 'a shutdown helper guarded by a run-once flag closes the client a signal listener captures',
    code: `
${STATSD}
      async function main() {
        const stats = new Statsd(8125);
        let stopping = false;
        async function shutdown(signal) {
          if (stopping) return;
          stopping = true;
          console.log(signal);
          await Promise.allSettled([stats.close()]);
        }
        process.once('SIGTERM', () => shutdown('SIGTERM'));
        process.once('SIGINT', () => shutdown('SIGINT'));
      }
      main();`,
    ext: '.js',
  },
  {
    name: "a client from a project factory, closed by a run-once guarded shutdown arrow, when a later start-up await rejects",
    code: `
      import mqtt from 'mqtt';
      function startIngest(url: string) {
        const client = mqtt.connect(url);
        client.on('message', (topic) => console.log(topic));
        return client;
      }
      declare function migrate(): Promise<void>;
      async function main(): Promise<void> {
        const ingest = startIngest('mqtt://broker');
        await migrate();
        let closing = false;
        const shutdown = async (): Promise<void> => {
          if (closing) return;
          closing = true;
          await ingest.endAsync();
        };
        process.once('SIGTERM', () => void shutdown());
      }
      main().catch((err) => { console.error(err); process.exitCode = 1; });`,
  },
  {
    name: 'a signal listener calls the shutdown function of main(), which closes the writer after flushing',
    code: `
      const { TsdbWriter } = require('./writer');
      const { Batcher } = require('./batcher');
      async function main() {
        const writer = new TsdbWriter(process.env.TSDB_URL);
        const batcher = new Batcher((points) => writer.write(points));
        async function shutdown(signal) {
          console.log(signal);
          await batcher.flush();
          await writer.close();
        }
        process.once('SIGTERM', () => shutdown('SIGTERM').catch(() => process.exit(1)));
      }
      main().catch(() => process.exit(1));`,
    ext: '.js',
    files: {
      'writer.js': `const { Pool } = require('undici');
class TsdbWriter {
  constructor(origin) { this.pool = new Pool(origin); }
  async write(points) { const { body } = await this.pool.request({ method: 'POST', path: '/write', body: JSON.stringify(points) }); await body.dump(); }
  async close() { await this.pool.close(); }
}
module.exports = { TsdbWriter };`,
      'batcher.js': `class Batcher {
  constructor(send) { this.send = send; this.points = []; }
  async flush() { const p = this.points; this.points = []; if (p.length) await this.send(p); }
}
module.exports = { Batcher };`,
    },
  },
  {
    name: 'a test closes its server through a shutdown helper whose close of another resource may reject first',
    code: `
      import * as net from 'node:net';
      async function shutdown(listener, socket) {
        try {
          if (listener) await listener.close();
          if (socket) socket.close();
        } catch (error) {
          console.error(error);
        }
      }
      test('proxy', async () => {
        const tcp = net.createServer((c) => c.resume());
        const socket = tcp.listen(0);
        const listener = await openTunnel(socket.address().port);
        await shutdown(listener, socket);
      });`,
    ext: '.mjs',
  },
  {
    name: "a cleanup block's close of another client may reject: no path of the work",
    code: `
      import { Kafka } from 'kafkajs';
      import { MongoClient } from 'mongodb';
      declare const kafka: Kafka;
      export async function copy(url: string) {
        const mongo = new MongoClient(url);
        let producer;
        try {
          await mongo.connect();
          producer = kafka.producer();
          await producer.connect();
          await producer.send({ topic: 't', messages: [{ value: 'x' }] });
        } finally {
          await mongo.close();
          if (producer) await producer.disconnect();
        }
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "the same main() returning before it registers its shutdown function when nothing was found: nothing can stop the bridge then",
    ...serviceMain(`process.once('SIGTERM', shutdown);`, 'if (!found.length) return;'),
    errors: [{ line: 6, messageId: 'somePaths', message: /`return` on line 9/ }],
  },
  {
    name: "the same consumer whose only listener exits on an 'error': a script's way to fail, not a connection kept for the process",
    code: amqpWorker("conn.on('error', () => process.exit(1));"),
    errors: [{ line: 3, message: /^AMQP connection from `amqplib\.connect` is never closed/ }],
  },
  {
    name: 'the same NATS consumer with nothing that ever closes its connection',
    code: natsConsumer("signal?.throwIfAborted();"),
    errors: [{ line: 3, message: /^NATS connection from `nats\.connect` is never closed/ }],
  },
  {
    name: "a daemon returning early when disabled: the control channel its shutdown listener would close is left open on that path",
    code: `
      import net from 'node:net';
      class ControlChannel {
        private sock?: net.Socket;
        connect() { this.sock = net.connect(9000, 'hub.internal'); }
        async close() { this.sock?.end(); }
      }
      async function listen(server: net.Server, port: number) {
        await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, resolve));
        return server;
      }
      async function main(config: { port: number; enabled: boolean }) {
        const control = new ControlChannel();
        control.connect();
        if (!config.enabled) return;
        const relay = await listen(net.createServer(), config.port);
        const shutdown = async () => {
          await control.close();
          relay.close();
        };
        process.once('SIGTERM', shutdown);
      }
      main({ port: 8080, enabled: true }).catch((err) => {
        console.error(err);
        process.exitCode = 1;
      });`,
    errors: [{ line: 12, message: /line 14/ }],
  },
  {
    name: 'a run-once flag set by another function: the guarded return skips the close',
    code: `
${STATSD}
      let stopping = false;
      function markStopping() { stopping = true; }
      async function main() {
        const stats = new Statsd(8125);
        async function shutdown() {
          if (stopping) return;
          await stats.close();
        }
        markStopping();
        process.once('SIGTERM', () => shutdown());
      }
      main();`,
    ext: '.js',
    errors: [{ line: 10 }],
  },
  {
    name: "another resource's close awaited in the work, outside any cleanup, before the close",
    code: `
      import * as net from 'node:net';
      export async function handOver(port: number, old: { close(): Promise<void> }) {
        const sock = net.connect(port);
        await old.close();
        sock.end();
      }`,
    errors: [{ line: 3, message: /`await` on line 4 rejects/ }],
  },
  {
    name: 'a rejecting await in the work (not a cleanup) before the close',
    code: `
      import { MongoClient } from 'mongodb';
      export async function count(url: string) {
        const mongo = new MongoClient(url);
        try {
          await mongo.connect();
        } finally {
          await notify(url);
          await mongo.close();
        }
      }
      declare function notify(url: string): Promise<void>;`,
    errors: [{ line: 3 }],
  },
];
