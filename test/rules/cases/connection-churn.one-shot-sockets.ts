// connection-churn: a WebSocket, Socket.IO or MQTT client opened for one exchange and closed again on
// every call of a function that runs per request, event or item (`socketPerCall`, `socketPerIteration`),
// and the look-alikes that are not churn: one a script runs once, one closed only when the client it
// relays for leaves (a session per client), one kept in a map for later calls, one left open on a
// failure path (unclosed-connection's finding, not this rule's), one made in a test. A plain TCP socket written
// to for one exchange is one too (`tcpSocketPerCall`), but not a probe that writes nothing, nor one to the server
// each request names.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A helper that sends one message over a new ws connection and closes it once the send completes. */
const NOTIFY = `
      import WebSocket from 'ws';
      export function notifyScoreboard(event: { match: string; score: string }): Promise<void> {
        return new Promise((resolve, reject) => {
          const ws = new WebSocket(process.env.SCOREBOARD_URL ?? 'ws://scoreboard:9000', { handshakeTimeout: 2000 });
          ws.once('open', () => {
            ws.send(JSON.stringify(event), (err) => {
              ws.close(1000);
              if (err) reject(err); else resolve();
            });
          });
          ws.once('error', reject);
        });
      }`;

export const valid: ValidCase[] = [
  {
    name: "a clamd INSTREAM scan per upload: the request ends with the client's half-close, the reply is read until the server's end",
    ext: '.js',
    code: `
      const net = require('node:net');
      const express = require('express');
      function scanBuffer(buffer) {
        return new Promise((resolve, reject) => {
          const socket = net.createConnection({ host: 'clamd', port: 3310 });
          const replies = [];
          socket.on('error', reject);
          socket.on('data', (chunk) => replies.push(chunk));
          socket.on('end', () => resolve(Buffer.concat(replies).toString('utf8')));
          socket.on('connect', () => {
            socket.write('zINSTREAM\\0');
            const size = Buffer.alloc(4);
            size.writeUInt32BE(buffer.length);
            socket.write(size);
            socket.write(buffer);
            socket.end(Buffer.alloc(4));
          });
        });
      }
      const router = express.Router();
      router.post('/documents', async (req, res) => res.json(await scanBuffer(req.body)));
      module.exports = { router };`,
  },
  {
    name: "a raw print job per label request (port 9100): sent whole and half-closed on connect, drained until the printer hangs up",
    ext: '.js',
    code: `
      const net = require('node:net');
      const express = require('express');
      function printLabel(zpl, { host, port = 9100 } = {}) {
        return new Promise((resolve, reject) => {
          const socket = net.connect({ host, port });
          socket.setTimeout(5000, () => socket.destroy(new Error('printer timed out')));
          socket.once('error', reject);
          socket.once('connect', () => socket.end(zpl, 'latin1'));
          socket.resume();
          socket.once('close', (hadError) => { if (!hadError) resolve(); });
        });
      }
      const router = express.Router();
      router.post('/units/:id/label', async (req, res) => { await printLabel(req.body.zpl, { host: 'zebra-2' }); res.sendStatus(204); });
      module.exports = { router };`,
  },
  {
    name: "a TLS connection per certificate check that only reads the peer's certificate: a probe, whose connection is the point",
    code: `
      import net from 'node:net';
      import amqp from 'amqplib';
      export function sendHl7(dest: { host: string; port: number }, payload: string): Promise<string> {
        return new Promise((resolve, reject) => {
          const socket = net.connect({ host: dest.host, port: dest.port });
          socket.setTimeout(10_000, () => socket.destroy(new Error('no ACK')));
          socket.once('connect', () => {
            const alive = socket.remoteAddress;
            socket.destroy();
            resolve(String(alive));
          });
          socket.on('error', reject);
        });
      }
      const EHR = { host: 'ehr.internal', port: 6661 };
      export async function route(ch: amqp.Channel) {
        await ch.consume('lab.results', async (m) => {
          if (!m) return;
          await sendHl7(EHR, m.content.toString('utf8'));
          ch.ack(m);
        });
      }`,
  },
  {
    name: "a raw print job per request to the printer the request names (port 9100 takes one job per connection)",
    ext: '.js',
    code: `
      const net = require('node:net');
      const express = require('express');
      function printLabel(host, zpl) {
        return new Promise((resolve, reject) => {
          const sock = net.connect({ host, port: 9100 });
          sock.once('error', reject);
          sock.once('connect', () => sock.end(zpl, 'ascii'));
          sock.once('close', (hadError) => { if (!hadError) resolve(); });
        });
      }
      const app = express();
      app.post('/items/:id/label', async (req, res) => {
        await printLabel(req.body.printerHost, '^XA^XZ');
        res.sendStatus(204);
      });
      module.exports = { app, printLabel };`,
  },
  {
    name: 'the one-message helper called once by a script',
    code: NOTIFY,
    files: { 'main.ts': "import { notifyScoreboard } from './case';\nawait notifyScoreboard({ match: 'final', score: '2-1' });\n" },
  },
  {
    name: "an upstream WebSocket per client session, closed when that client leaves: a relay, one connection for the session's life",
    code: `
      import WebSocket, { WebSocketServer } from 'ws';
      const wss = new WebSocketServer({ port: 8080 });
      wss.on('connection', (client) => {
        const upstream = new WebSocket('ws://engine:7000/analyse');
        upstream.on('message', (data) => client.send(data));
        client.on('message', (data) => upstream.send(data));
        client.on('close', () => upstream.close());
        upstream.on('close', () => client.close());
      });`,
  },
  {
    name: 'a Socket.IO client per tenant kept in a map for the next calls',
    code: `
      import { io, Socket } from 'socket.io-client';
      const feeds = new Map<string, Socket>();
      export function pushPledge(app: { post(path: string, h: (req: any, res: any) => void): void }) {
        app.post('/pledge', (req, res) => {
          let socket = feeds.get(req.body.tenant);
          if (!socket) {
            socket = io('https://feed.example.com', { auth: { tenant: req.body.tenant } });
            feeds.set(req.body.tenant, socket);
          }
          socket.emit('pledge', req.body, () => res.sendStatus(204));
        });
      }`,
  },
  {
    name: 'a WebSocket per request closed only when it fails: left open on success, which is a leak and not churn',
    code: `
      import WebSocket from 'ws';
      export function mount(app: { post(path: string, h: (req: any, res: any) => void): void }) {
        app.post('/display', (req, res) => {
          const ws = new WebSocket('ws://display:9000');
          ws.once('open', () => { ws.send(JSON.stringify(req.body)); res.sendStatus(202); });
          ws.once('error', () => { ws.terminate(); res.sendStatus(502); });
        });
      }`,
  },
  {
    name: 'a test that opens a client for one exchange in each case',
    code: `
      import { io } from 'socket.io-client';
      import { it } from 'vitest';
      for (const room of ['a', 'b', 'c']) {
        it('joins ' + room, async () => {
          const socket = io('http://127.0.0.1:3000', { forceNew: true });
          try { await socket.emitWithAck('join', room); } finally { socket.disconnect(); }
        });
      }`,
    file: 'rooms.test.ts',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a TCP connection per queued HL7 message to the one EHR endpoint: connect, write the frame, end after the ACK",
    code: `
      import net from 'node:net';
      import amqp from 'amqplib';
      export function sendHl7(dest: { host: string; port: number }, payload: string): Promise<string> {
        return new Promise((resolve, reject) => {
          const socket = net.connect({ host: dest.host, port: dest.port });
          socket.setTimeout(10_000, () => socket.destroy(new Error('no ACK')));
          socket.once('connect', () => socket.write(payload));
          socket.on('data', (chunk) => {
            socket.end();
            resolve(chunk.toString());
          });
          socket.on('error', reject);
        });
      }
      const EHR = { host: 'ehr.internal', port: 6661 };
      export async function route(ch: amqp.Channel) {
        await ch.consume('lab.results', async (m) => {
          if (!m) return;
          await sendHl7(EHR, m.content.toString('utf8'));
          ch.ack(m);
        });
      }`,
    errors: [{ line: 5, messageId: 'tcpSocketPerCall' }],
  },
  {
    name: "a Modbus TCP read per inverter on every tick of a poller, over the host list the poller was started with",
    ext: '.js',
    code: `
      const net = require('node:net');
      function readRegister(host, address) {
        return new Promise((resolve, reject) => {
          const socket = net.createConnection({ host, port: 502 });
          socket.once('connect', () => socket.write(Buffer.from([0, 1, 0, 0, 0, 6, 1, 3, address >> 8, address & 255, 0, 1])));
          socket.once('data', (frame) => {
            socket.destroy();
            resolve(frame.readUInt16BE(9));
          });
          socket.once('error', reject);
        });
      }
      async function pollPower(hosts, onSample) {
        const tick = async () => {
          for (const host of hosts) onSample(host, await readRegister(host, 0x56));
        };
        return setInterval(() => { void tick(); }, 1000);
      }
      module.exports = { pollPower };`,
    errors: [{ line: 4, messageId: 'tcpSocketPerCall' }],
  },
  {
    name: 'the one-message helper called for every bid a WebSocket server receives, in another file',
    code: NOTIFY,
    files: {
      'server.ts': `import { WebSocketServer } from 'ws';
import { notifyScoreboard } from './case';
const wss = new WebSocketServer({ port: 8081 });
wss.on('connection', (ws) => {
  ws.on('message', (raw) => { void notifyScoreboard(JSON.parse(String(raw))).catch(() => {}); });
});
`,
    },
    errors: [{ line: 4, messageId: 'socketPerCall', message: /^A new `ws` is opened on every call of `notifyScoreboard` for one exchange and closed again/ }],
  },
  {
    name: 'the same helper called from a method that a message listener of its class runs',
    code: NOTIFY,
    files: {
      'room.ts': `import WebSocket from 'ws';
import { notifyScoreboard } from './case';
export class MatchRoom {
  constructor(private readonly players: WebSocket[]) {
    for (const p of players) p.on('message', (raw) => this.onScore(String(raw)));
  }
  private onScore(raw: string): void {
    void notifyScoreboard({ match: 'm1', score: raw });
  }
}
`,
    },
    errors: [{ line: 4, messageId: 'socketPerCall' }],
  },
  {
    name: 'a Socket.IO client per finished game, disconnected in finally after one acknowledged emit (JavaScript)',
    code: `
      const { io } = require('socket.io-client');
      async function reportResult(result) {
        const socket = io(process.env.RATING_URL, { transports: ['websocket'], reconnection: false });
        try {
          return await socket.timeout(5000).emitWithAck('game:result', result);
        } catch {
          return null;
        } finally {
          socket.disconnect();
        }
      }
      module.exports = function attach(games) {
        games.on('finished', (result) => { void reportResult(result); });
      };`,
    file: 'rating.js',
    errors: [{ line: 3, messageId: 'socketPerCall', message: /`socket\.io-client\.io` is opened on every call of `reportResult`/ }],
  },
  {
    name: "a Socket.IO client per call of a function called by a module function handed in an options literal (`startUdpListener({ port, onPosition })`) to a function that calls it for each datagram",
    ext: '.mjs',
    files: { 'udp.mjs': `import dgram from 'node:dgram';
export function startUdpListener({ port, onPosition }) {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg) => { onPosition(JSON.parse(String(msg))).catch(() => undefined); });
  socket.bind(port);
  return socket;
}
` },
    code: `
      import { io } from 'socket.io-client';
      import { startUdpListener } from './udp.mjs';
      function notifyApproaching(stop) {
        const socket = io(process.env.GATEWAY_URL + '/stops', { transports: ['websocket'], reconnection: false });
        return new Promise((resolve) => {
          socket.once('connect_error', () => { socket.close(); resolve(false); });
          socket.timeout(5000).emit('bus:approaching', stop, (err, ack) => {
            socket.disconnect();
            resolve(!err && Boolean(ack?.delivered));
          });
        });
      }
      async function onPosition(pos) {
        if (pos.metersToStop < 300) await notifyApproaching({ busId: pos.busId, stopId: pos.stopId });
      }
      startUdpListener({ port: 5005, onPosition });`,
    errors: [{ line: 4, messageId: 'socketPerCall', message: /`socket\.io-client\.io` is opened on every call of `notifyApproaching`/ }],
  },
  {
    name: 'a WebSocket per peer and per relayed operation, closed by the callback of its one send',
    code: `
      import WebSocket from 'ws';
      const peers = (process.env.PEERS ?? '').split(',');
      export function mount(app: { post(path: string, h: (req: any, res: any) => void): void }) {
        app.post('/ops', async (req, res) => {
          await Promise.all(peers.map((peer) => new Promise<void>((resolve) => {
            const ws = new WebSocket(peer + '/relay');
            ws.once('open', () => ws.send(JSON.stringify(req.body), () => ws.close()));
            ws.once('close', () => resolve());
            ws.once('error', () => resolve());
          })));
          res.sendStatus(204);
        });
      }`,
    errors: [{ line: 6, messageId: 'socketPerCall' }],
  },
  {
    name: 'a Socket.IO client per guess in a loop over a chat stream, disconnected in the ack of its one emit',
    code: `
      import { io } from 'socket.io-client';
      export async function relayChat(url: string, chat: AsyncIterable<{ user: string; text: string }>) {
        for await (const { user, text } of chat) {
          await new Promise<void>((resolve, reject) => {
            const socket = io(url, { forceNew: true, reconnection: false });
            socket.on('connect', () => socket.emit('guess', { user, text }, () => { socket.disconnect(); resolve(); }));
            socket.on('connect_error', (err) => { socket.close(); reject(err); });
          });
        }
      }`,
    errors: [{ line: 5, messageId: 'socketPerIteration' }],
  },
  {
    name: "an MQTT client per reading, ended in its one publish's callback; the caller, run per message, is also handed on elsewhere",
    code: `
      import mqtt from 'mqtt';
      export function publishReading(reading: { station: string }): Promise<void> {
        return new Promise((resolve, reject) => {
          const client = mqtt.connect(process.env.MQTT_URL ?? 'mqtt://broker', { reconnectPeriod: 0 });
          client.once('connect', () => {
            client.publish('wx/' + reading.station, JSON.stringify(reading), { qos: 1 }, (err) => {
              client.end(false, () => (err ? reject(err) : resolve()));
            });
          });
          client.once('error', (err) => { client.end(true); reject(err); });
        });
      }`,
    files: {
      'ingest.ts': `import { publishReading } from './case';
function handleReading(reading: { station: string }) {
  return publishReading(reading);
}
export function start(feed: { on(e: string, cb: (t: string, p: Buffer) => void): void }, poller: { every(ms: number, cb: (r: { station: string }) => unknown): void }) {
  feed.on('message', (topic, payload) => { handleReading(JSON.parse(String(payload))).catch(() => {}); });
  poller.every(60000, handleReading);
}
`,
    },
    errors: [{ line: 4, messageId: 'socketPerCall', message: /pays the TCP \(and TLS\) handshake and the MQTT CONNECT/ }],
  },
  {
    name: "an MQTT client per acknowledgement, called from the callbacks of a promise in a named listener handed to bus.on('message')",
    code: `
      import mqtt from 'mqtt';
      declare const bus: { on(e: string, cb: (t: string, p: Buffer) => void): void };
      function acknowledge(zone: string, status: string): void {
        const ackClient = mqtt.connect('mqtt://broker', { clean: true });
        ackClient.on('connect', () => {
          ackClient.publish('zones/' + zone + '/ack', status, { qos: 1 }, () => ackClient.end());
        });
        ackClient.on('error', (err) => console.error(err.message));
      }
      export function listen(handler: (zone: string) => Promise<void>): void {
        const onMessage = (topic: string) => {
          const zone = topic.split('/')[1];
          handler(zone).then(() => acknowledge(zone, 'applied'), () => acknowledge(zone, 'rejected'));
        };
        bus.on('message', onMessage);
      }`,
    errors: [{ line: 4, messageId: 'socketPerCall' }],
  },
  {
    name: "a TCP connection per MQTT reading to the one historian, its line written and the socket ended in the connect listener given to net.connect",
    code: `
      const net = require('net');
      const mqtt = require('mqtt');
      function forwardToHistorian(reading, target = { host: 'historian.lan', port: 5140 }) {
        return new Promise((resolve, reject) => {
          const sock = net.connect(target.port, target.host, () => {
            sock.end(reading.oven + '|' + reading.temp + '\\n');
          });
          sock.on('error', reject);
          sock.on('close', (hadError) => { if (!hadError) resolve(); });
        });
      }
      const client = mqtt.connect('mqtt://broker:1883');
      client.on('message', (topic, payload) => {
        forwardToHistorian(JSON.parse(payload.toString())).catch((err) => console.warn(err.message));
      });`,
    ext: '.js',
    errors: [{ line: 5, messageId: 'tcpSocketPerCall' }],
  },
];

/** A Modbus read per host on every tick of a poller class over its `hosts` field; `assign` may set the field again. */
const MODBUS_POLLER = (assign: string) => `
      import net from 'node:net';
      function readRegister(host: string): Promise<number> {
        return new Promise((resolve, reject) => {
          const socket = net.connect({ host, port: 502 });
          socket.once('connect', () => socket.write(Buffer.from([0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 1])));
          socket.once('data', (frame: Buffer) => {
            socket.destroy();
            resolve(frame.readUInt16BE(9));
          });
          socket.once('error', reject);
        });
      }
      export class Poller {
        private timer?: NodeJS.Timeout;
        constructor(private hosts: string[], private readonly onSample: (host: string, v: number) => void) {}
        start(): void {
          this.timer = setInterval(() => this.pollAll(), 1000);
        }${assign}
        private pollAll(): void {
          for (const host of this.hosts) readRegister(host).then((v) => this.onSample(host, v), () => undefined);
        }
      }`;

invalid.push({
  name: 'a Modbus read per host on every tick of a poller class, over the hosts its constructor was given',
  code: MODBUS_POLLER(''),
  errors: [{ line: 4, messageId: 'tcpSocketPerCall' }],
});
valid.push({
  name: 'the same poller whose hosts a method replaces: which servers a tick reaches, the code does not say',
  code: MODBUS_POLLER(`
        setHosts(hosts: string[]): void {
          this.hosts = hosts;
        }`),
});

/** A washer's controller takes one command per connection; `start` is how the route reaches `sendCommand` (`unlockDoor` has no caller here). */
const WASHER = (start: string) => `
      const net = require('node:net');
      const express = require('express');
      function sendCommand(host, command) {
        return new Promise((resolve, reject) => {
          const socket = net.createConnection({ host, port: 4001 });
          socket.on('connect', () => socket.write(command + '\\r\\n'));
          socket.on('data', (chunk) => {
            socket.end();
            resolve(String(chunk).trim());
          });
          socket.on('error', reject);
        });
      }
      async function startCycle(machine, program) {
        return sendCommand(machine.ip, 'START ' + program);
      }
      async function unlockDoor(machine) {
        return sendCommand(machine.ip, 'UNLOCK');
      }
      const app = express();
      app.post('/machines/:id/start', async (req, res) => {
${start}
        res.status(202).json(await startCycle(machine, req.body.program));
      });
      module.exports = { app, unlockDoor };`;

valid.push({
  name: "a command per request to the machine the request names, two calls down (`sendCommand(machine.ip, …)` in `startCycle(machine)`)",
  ext: '.js',
  code: WASHER('        const machine = await lookupMachine(req.params.id);\n        async function lookupMachine(id) { return { ip: "10.0.0." + id }; }'),
});
invalid.push({
  name: 'the same command path to one configured machine',
  ext: '.js',
  code: WASHER("        const machine = { ip: process.env.WASHER_HOST };"),
  errors: [{ line: 5, messageId: 'tcpSocketPerCall' }],
});
