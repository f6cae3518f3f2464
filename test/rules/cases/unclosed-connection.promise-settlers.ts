// unclosed-connection: promise executors that settle through more than `resolve` and `reject` — a settle
// function of their own, a give-up timer a listener arms, an idle timeout that closes the socket only
// while it connects, another attempt's promise handed the settlers (`retry().then(resolve, reject)`) — and a
// connection closed before the promise, which the executor never names.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A diagnostics push whose 'busy' answer schedules another attempt; `busy` is what that branch does first. */
const PUSH = (busy: string) => `
      import tls from 'node:tls';
      export function pushDiagnostics(snapshot, attempt = 1) {
        return new Promise((resolve, reject) => {
          const socket = tls.connect({ host: 'portal.example', port: 7443, servername: 'portal.example' });
          socket.setEncoding('utf8');
          let reply = '';
          socket.on('secureConnect', () => socket.write(JSON.stringify(snapshot) + '\\n'));
          socket.on('data', (chunk) => {
            reply += chunk;
            const nl = reply.indexOf('\\n');
            if (nl < 0) return;
            const answer = JSON.parse(reply.slice(0, nl));
            if (answer.status === 'busy' && attempt < 5) {
              ${busy}
              setTimeout(() => pushDiagnostics(snapshot, attempt + 1).then(resolve, reject), (answer.retryAfter ?? 60) * 1000);
              return;
            }
            socket.end();
            if (answer.status === 'ok') resolve();
            else reject(new Error('diagnostics not accepted: ' + answer.status));
          });
          socket.on('error', reject);
        });
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a 'busy' answer that retries on a new connection whose promise settles this one (then(resolve, reject)), leaving this socket open",
    code: PUSH('// the portal keeps the session open until the client closes it'),
    ext: '.mjs',
    errors: [{ line: 4, message: /^Socket from `tls.connect` is not closed once the promise is settled on line 15/ }],
  },
  {
    name: "a subscriber given a logging 'error' listener before the promise whose timer resolves without quitting it",
    code: `
      import { createClient } from 'redis';
      const redis = createClient({ url: process.env.REDIS_URL });
      export async function waitForDoorClosed(channel: string, timeoutMs: number): Promise<boolean> {
        const sub = redis.duplicate();
        sub.on('error', (err: Error) => console.warn('door subscriber: ' + err.message));
        await sub.connect();
        return new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), timeoutMs);
          void sub.subscribe(channel, () => {
            clearTimeout(timer);
            resolve(true);
            void sub.quit();
          });
        });
      }`,
    errors: [{ line: 4, message: /once the promise is settled on line 8/ }],
  },
  {
    name: "an MQTT client given the promise's reject as its 'error' listener: after a refused CONNACK it reconnects, never ended",
    ext: '.mjs',
    code: `
      import mqtt from 'mqtt';
      export function pushBundle(brokerUrl, device, bundle) {
        return new Promise((resolve, reject) => {
          const client = mqtt.connect(brokerUrl, { username: device.id, password: device.token, reconnectPeriod: 2000 });
          client.on('connect', () => {
            client.publish('devices/' + device.id + '/provision', JSON.stringify(bundle), { qos: 1 }, (err) => {
              client.end(false, () => (err ? reject(err) : resolve()));
            });
          });
          client.on('error', reject);
        });
      }`,
    errors: [{ line: 4, message: /once the promise is settled on line 10/ }],
  },
  {
    name: "an MQTT client whose 'error' listener rejects without end(): MQTT.js reconnects after an error until ended",
    code: `
      import mqtt from 'mqtt';
      export function announcePairing(brokerUrl: string, code: string, timeoutMs = 60_000): Promise<string> {
        return new Promise((resolve, reject) => {
          const client = mqtt.connect(brokerUrl, { clientId: 'pairing-' + code, connectTimeout: 5_000 });
          const timer = setTimeout(() => {
            client.end(true);
            reject(new Error('pairing timed out'));
          }, timeoutMs);
          client.on('message', (_topic, payload) => {
            clearTimeout(timer);
            client.end(false, {}, () => resolve(payload.toString('utf8')));
          });
          client.on('error', (err) => {
            clearTimeout(timer);
            reject(err);
          });
          client.subscribe('pairing/' + code + '/reply');
        });
      }`,
    errors: [{ line: 4, message: /once the promise is settled on line 15/ }],
  },
  {
    name: "a TLS probe whose connect callback reads the socket's properties by destructuring, and whose idle timeout rejects without destroying it",
    ext: '.js',
    code: `
      const tls = require('tls');
      function peerCertificate(host, port, timeoutMs) {
        return new Promise((resolve, reject) => {
          const socket = tls.connect({ host, port, servername: host, rejectUnauthorized: false }, () => {
            const cert = socket.getPeerCertificate();
            const { authorized, authorizationError } = socket;
            socket.end();
            resolve({ cert, authorized, authorizationError });
          });
          socket.setTimeout(timeoutMs, () => reject(new Error('TLS handshake timed out')));
          socket.once('error', reject);
        });
      }
      module.exports = { peerCertificate };`,
    errors: [{ line: 4, message: /once the promise is settled on line 10/ }],
  },
  {
    name: "a port probe whose idle timeout destroys the socket only while it is still connecting, and resolves 'open' with a connected, silent socket",
    code: `
      import net from 'node:net';
      export function probePort(host: string, port: number, timeout = 1500): Promise<{ port: number; state: string }> {
        return new Promise((resolve) => {
          const socket = net.connect({ host, port });
          socket.setTimeout(timeout, () => {
            if (socket.connecting) {
              socket.destroy();
              resolve({ port, state: 'filtered' });
              return;
            }
            resolve({ port, state: 'open' });
          });
          socket.once('data', () => {
            socket.destroy();
            resolve({ port, state: 'open' });
          });
          socket.once('error', () => resolve({ port, state: 'closed' }));
        });
      }`,
    errors: [{ line: 4, messageId: 'somePaths' }],
  },
  {
    name: "a WebSocket probe whose 'open' listener arms the give-up timer, which resolves without closing it (a gateway that never answers)",
    code: `
      const WebSocket = require('ws');
      function probeGateway(url, timeout = 3000) {
        return new Promise((resolve) => {
          const ws = new WebSocket(url, 'sip');
          let timer;
          ws.once('open', () => {
            ws.send('OPTIONS');
            timer = setTimeout(() => resolve({ url, ok: false }), timeout);
          });
          ws.on('message', () => {
            clearTimeout(timer);
            ws.close(1000);
            resolve({ url, ok: true });
          });
          ws.once('error', () => {
            clearTimeout(timer);
            resolve({ url, ok: false });
          });
        });
      }
      module.exports = { probeGateway };`,
    ext: '.js',
    errors: [{ line: 4, messageId: 'somePaths' }],
  },
  {
    name: "a settle function of the executor that only resolves: the timer settles through it and leaves a hung node's socket open",
    code: `
      import net from 'node:net';
      import { Transform } from 'node:stream';
      export function probeNode(host: string, port: number, decoder: Transform, timeoutMs = 2000): Promise<number | null> {
        return new Promise((resolve) => {
          let settled = false;
          const settle = (rtt: number | null) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve(rtt);
          };
          const socket = net.connect({ host, port, noDelay: true });
          const frames = socket.pipe(decoder);
          const timer = setTimeout(() => settle(null), timeoutMs);
          socket.once('connect', () => socket.write('HELLO'));
          frames.on('data', (frame: { type: string }) => {
            if (settled) return;
            if (frame.type === 'pong') {
              socket.end('BYE');
              settle(1);
            } else if (frame.type === 'error') {
              socket.destroy();
              settle(null);
            }
          });
          socket.once('error', () => settle(null));
        });
      }`,
    errors: [{ line: 12, messageId: 'somePaths' }],
  },
  {
    name: "a UDP discovery broadcast bound to an ephemeral port in the executor, resolved by a timer and never closed: nothing reaches it once the promise settles",
    ext: '.mjs',
    code: `
      import dgram from 'node:dgram';
      export function discoverSensors({ windowMs = 2000, broadcast = '255.255.255.255' } = {}) {
        return new Promise((resolve, reject) => {
          const found = new Map();
          const socket = dgram.createSocket('udp4');
          socket.on('message', (msg, rinfo) => found.set(rinfo.address, String(msg)));
          socket.once('error', reject);
          socket.bind(0, () => {
            socket.setBroadcast(true);
            socket.send('CO2?DISCOVER', 30303, broadcast);
            setTimeout(() => resolve([...found.values()]), windowMs);
          });
        });
      }`,
    errors: [{ line: 5 }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "the same 'busy' retry that ends this socket before scheduling the next attempt",
    code: PUSH('socket.end();'),
    ext: '.mjs',
  },
  {
    name: "a UDP discovery scan closed by its timer on the normal path; the timer is cleared only in the 'error' listener, which closes too",
    ext: '.js',
    code: `
      const dgram = require('node:dgram');
      function scan(timeoutMs = 1500) {
        const socket = dgram.createSocket('udp4');
        const found = new Map();
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            socket.close();
            resolve([...found.values()]);
          }, timeoutMs);
          socket.on('error', (err) => {
            clearTimeout(timer);
            socket.close();
            reject(err);
          });
          socket.on('message', (msg, rinfo) => found.set(rinfo.address, String(msg)));
          socket.bind(() => {
            socket.setBroadcast(true);
            socket.send('PROBE', 41234, '255.255.255.255');
          });
        });
      }
      module.exports = { scan };`,
  },
  {
    name: "a UDP socket declared with `await using` before a promise its 'message' listener resolves: disposed when the block exits",
    code: `
      import * as dgram from 'dgram';
      export async function firstReply(): Promise<unknown> {
        await using sock = dgram.createSocket('udp4');
        return await new Promise<unknown>((resolve, reject) => {
          sock.once('message', resolve);
          sock.once('error', reject);
        });
      }`,
  },
  {
    name: "the same MQTT client made with reconnectPeriod: 0: after an 'error' it stays disconnected",
    code: `
      import mqtt from 'mqtt';
      export function announcePairing(brokerUrl: string, code: string, timeoutMs = 60_000): Promise<string> {
        return new Promise((resolve, reject) => {
          const client = mqtt.connect(brokerUrl, { clientId: 'pairing-' + code, connectTimeout: 5_000, reconnectPeriod: 0 });
          const timer = setTimeout(() => {
            client.end(true);
            reject(new Error('pairing timed out'));
          }, timeoutMs);
          client.on('message', (_topic, payload) => {
            clearTimeout(timer);
            client.end(false, {}, () => resolve(payload.toString('utf8')));
          });
          client.on('error', (err) => {
            clearTimeout(timer);
            reject(err);
          });
          client.subscribe('pairing/' + code + '/reply');
        });
      }`,
  },
  {
    name: "a connect listener that takes the error listener off before resolving with the connection: removeListener() does not run the listener it is given",
    code: `
      import type * as MySql2 from 'mysql2';
      export function createConnection(lib: typeof MySql2, config: MySql2.ConnectionOptions): Promise<MySql2.Connection> {
        return new Promise((resolve, reject) => {
          const connection = lib.createConnection(config);
          const errorHandler = (e: unknown) => {
            connection.removeListener('connect', connectHandler);
            reject(e);
          };
          const connectHandler = () => {
            connection.removeListener('error', errorHandler);
            resolve(connection);
          };
          connection.on('error', errorHandler);
          connection.once('connect', connectHandler);
        });
      }`,
  },
  {
    name: 'a Kafka admin client disconnected in finally before a timeout promise that does not name it',
    code: `
      import { Kafka } from 'kafkajs';
      export async function offsetsThenWait(kafka: Kafka, topic: string, ms: number) {
        const admin = kafka.admin();
        await admin.connect();
        let ends;
        try {
          ends = await admin.fetchTopicOffsets(topic);
        } finally {
          await admin.disconnect();
        }
        const outcome = await new Promise((resolve) => {
          setTimeout(() => resolve('timeout'), ms);
        });
        return { ends, outcome };
      }`,
  },
  {
    name: "the same port probe whose idle timeout destroys the socket unless it is destroyed already, whatever it resolves",
    code: `
      import net from 'node:net';
      export function probePort(host: string, port: number, timeout = 1500): Promise<{ port: number; state: string }> {
        return new Promise((resolve) => {
          const socket = net.connect({ host, port });
          socket.setTimeout(timeout, () => {
            if (!socket.destroyed) socket.destroy();
            resolve({ port, state: socket.connecting ? 'filtered' : 'open' });
          });
          socket.once('data', () => {
            socket.destroy();
            resolve({ port, state: 'open' });
          });
          socket.once('error', () => resolve({ port, state: 'closed' }));
        });
      }`,
  },
  {
    name: 'a settle function of the executor that destroys the socket before resolving, called by the timer and the listeners',
    code: `
      import net from 'node:net';
      export function probe(host: string, port: number, timeoutMs = 2000): Promise<number | null> {
        return new Promise((resolve) => {
          const started = Date.now();
          const socket = net.connect({ host, port });
          const finish = (rtt: number | null) => {
            clearTimeout(timer);
            socket.destroy();
            resolve(rtt);
          };
          const timer = setTimeout(() => finish(null), timeoutMs);
          socket.on('data', () => finish(Date.now() - started));
          socket.once('error', () => finish(null));
        });
      }`,
  },
  {
    name: "a UDP socket an executor binds to a known port and resolves once it listens: a listener meant to keep running",
    ext: '.mjs',
    code: `
      import dgram from 'node:dgram';
      export function listenForBeacons(port, onBeacon) {
        return new Promise((resolve, reject) => {
          const socket = dgram.createSocket('udp4');
          socket.on('message', (msg, rinfo) => onBeacon(String(msg), rinfo.address));
          socket.once('error', reject);
          socket.bind(port, () => {
            socket.send('HELLO', 30303, '255.255.255.255');
            resolve(undefined);
          });
        });
      }`,
  },
];
