// unclosed-connection: promise executors whose callbacks settle while a connection may still be open,
// where the runtime's own behaviour decides: a UDP probe bound for one answer (dgram hands a send error
// to the callback and emits no 'error'), an idle timeout a listener turns off before it settles, and a
// Socket.IO client that gives up after its first failure (`reconnection: false`) or keeps retrying,
// and an HTTP/2 session whose stream's timeout or error settles (they close nothing of the session).
// An AMQP channel opened per call on a shared connection, whose give-up timer settles with it open.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An HTTP/2 gRPC health check in a promise executor; `handlers` are its stream's timeout and error handling. */
function grpcHealthCheck(handlers: string): string {
  return `
      import * as http2 from 'node:http2';
      export function checkHealth(authority: string, timeoutMs = 3000): Promise<boolean> {
        return new Promise((resolve, reject) => {
          const session = http2.connect(authority);
          session.on('error', reject);
          const req = session.request({ ':method': 'POST', ':path': '/grpc.health.v1.Health/Check', 'content-type': 'application/grpc' });
          req.setTimeout(timeoutMs, () => {
            req.close(http2.constants.NGHTTP2_CANCEL);
${handlers}
          const chunks: Buffer[] = [];
          req.on('data', (c: Buffer) => chunks.push(c));
          req.on('end', () => {
            session.close();
            resolve(Buffer.concat(chunks)[6] === 1);
          });
          req.end();
        });
      }`;
}

/** A port probe whose 'connect' listener runs `closing` in a try before it resolves. */
function portProbe(closing: string): string {
  return `
      const net = require('net');
      const log = require('./log');
      function isOpen(port, waitMs) {
        return new Promise((resolve) => {
          const socket = net.connect({ port, host: '127.0.0.1' });
          const timer = setTimeout(() => {
            socket.destroy();
            resolve(false);
          }, waitMs);
          socket.once('connect', () => {
            clearTimeout(timer);
            try {
${closing}
            } catch (err) {
              // already gone
            }
            resolve(true);
          });
          socket.on('error', () => {});
        });
      }
      module.exports = { isOpen };`;
}

/** A banner wait whose give-up timer only rejects; `use` is the code around it (a test, or an export). */
function bannerWait(use: string): string {
  return `
      const net = require('net');
      function awaitBanner(port) {
        return new Promise((resolve, reject) => {
          const socket = net.connect({ port, host: '127.0.0.1' });
          const giveUp = setTimeout(() => reject(new Error('no banner')), 4000);
          socket.once('data', (chunk) => {
            clearTimeout(giveUp);
            socket.destroy();
            resolve(String(chunk));
          });
        });
      }
${use}`;
}

/** An MQTT client set up (`setUp`) before the promise that waits for one acknowledgement. */
function ackWait(setUp: string): string {
  return `
      import mqtt from 'mqtt';
      export async function waitForAck(url: string, deviceId: string, correlationId: string, timeoutMs = 5000) {
        const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
${setUp}
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no acknowledgement')), timeoutMs);
          client.on('message', (_topic: string, payload: Buffer) => {
            const ack = JSON.parse(payload.toString('utf8'));
            if (ack.correlationId !== correlationId) return;
            clearTimeout(timer);
            client.end();
            resolve(ack);
          });
        });
      }`;
}

/** A RabbitMQ direct reply-to call on a channel of its own; `onTimeout` is the timer's body. */
function rpcCall(onTimeout: string): string {
  return `
      const amqp = require('amqplib');
      async function rpcCall(conn, queue, payload, timeoutMs = 5000) {
        const ch = await conn.createChannel();
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
${onTimeout}
          }, timeoutMs);
          ch.consume('amq.rabbitmq.reply-to', (msg) => {
            clearTimeout(timer);
            ch.close().catch(() => {});
            resolve(JSON.parse(msg.content.toString()));
          }, { noAck: true }).then(() => {
            ch.sendToQueue(queue, Buffer.from(JSON.stringify(payload)), { replyTo: 'amq.rabbitmq.reply-to' });
          });
        });
      }
      module.exports = { rpcCall, amqp };`;
}

export const valid: ValidCase[] = [
  {
    name: "a one-shot RPC client's channel on a connection it made and closes in finally (closing the connection closes its channels)",
    code: `
      const amqp = require('amqplib');
      (async () => {
        let connection;
        try {
          connection = await amqp.connect('amqp://localhost');
          const channel = await connection.createChannel();
          const reply = await new Promise(async (resolve) => {
            const { queue } = await channel.assertQueue('', { exclusive: true });
            await channel.consume(queue, (message) => {
              if (message) resolve(message.content.toString());
            }, { noAck: true });
            channel.sendToQueue('rpc_queue', Buffer.from('30'), { replyTo: queue });
          });
          console.log(reply);
        } finally {
          if (connection) await connection.close();
        }
      })();`,
    ext: '.js',
  },
  {
    name: 'an RPC channel per call whose give-up timer closes the channel before it rejects',
    code: rpcCall("            ch.close().catch(() => {});\n            reject(new Error('timed out'));"),
    ext: '.js',
  },
  {
    name: 'a discovery probe bound to a port whose send callback closes it on error too',
    code: `
      import * as dgram from 'node:dgram';
      export function discover(port: number, waitMs = 3000): Promise<string[]> {
        return new Promise((resolve, reject) => {
          const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
          const found: string[] = [];
          socket.on('message', (msg) => { found.push(String(msg)); });
          socket.on('error', (err) => { socket.close(); reject(err); });
          socket.bind(0, () => {
            socket.send(Buffer.from('probe'), port, '255.255.255.255', (err) => {
              if (err) { socket.close(); reject(err); return; }
              setTimeout(() => { socket.close(); resolve(found); }, waitMs);
            });
          });
        });
      }`,
  },
  {
    name: 'a UDP listener bound in a promise that resolves once it listens: it is meant to keep running',
    code: `
      import * as dgram from 'node:dgram';
      export function listen(port: number, onMessage: (m: Buffer) => void): Promise<dgram.Socket> {
        return new Promise((resolve, reject) => {
          const socket = dgram.createSocket('udp4');
          socket.on('message', onMessage);
          socket.once('error', reject);
          socket.bind(port, () => resolve(socket));
        });
      }`,
  },
  {
    name: "a banner read that rejects an unknown banner and leaves the socket to its idle timeout, which destroys it",
    code: `
      import net from 'node:net';
      export function firmware(host: string, port = 23): Promise<string> {
        return new Promise((resolve, reject) => {
          const sock = net.createConnection({ host, port, timeout: 3000 });
          sock.once('timeout', () => sock.destroy(new Error('no banner')));
          sock.once('error', reject);
          sock.once('data', (banner: Buffer) => {
            const match = /v(\\d+)/.exec(String(banner));
            if (!match) {
              reject(new Error('unrecognised banner'));
              return;
            }
            sock.end('quit\\r\\n');
            resolve(match[1]);
          });
        });
      }`,
  },
  {
    name: "a Socket.IO client made with reconnection: false: after 'connect_error' the Manager has closed its engine",
    code: `
      import { io } from 'socket.io-client';
      export function kickOthers(url: string): Promise<void> {
        return new Promise((resolve) => {
          const socket = io(url, { reconnection: false, timeout: 5000 });
          socket.on('connect', () => socket.emit('kick', () => socket.close()));
          socket.on('connect_error', () => resolve());
          socket.on('disconnect', () => resolve());
        });
      }`,
  },
  {
    name: "a discovery probe whose send callback rejects but leaves the closing timer to run",
    code: `
      import * as dgram from 'node:dgram';
      export function discover(group: string, port: number, waitMs = 2000): Promise<string[]> {
        return new Promise((resolve, reject) => {
          const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
          const found: string[] = [];
          const timer = setTimeout(() => { socket.close(); resolve(found); }, waitMs);
          socket.on('error', (err) => { clearTimeout(timer); socket.close(); reject(err); });
          socket.on('message', (msg) => { found.push(String(msg)); });
          socket.bind(0, () => {
            socket.send(Buffer.from('probe'), port, group, (err) => {
              if (err) reject(err);
            });
          });
        });
      }`,
  },
  {
    name: "a query callback that ends the connection in a try, destroying it if end() throws, before it settles",
    code: `
      const mysql = require('mysql2');
      function rowCount(uri, sql) {
        return new Promise((resolve, reject) => {
          const connection = mysql.createConnection({ uri });
          connection.on('error', (err) => reject(err));
          connection.query(sql, (err, res) => {
            try {
              connection.end();
            } catch (_) {
              connection.destroy();
            }
            if (err) {
              reject(err);
              return;
            }
            resolve('Rows: ' + res.length);
          });
        });
      }
      module.exports = { rowCount };`,
    ext: '.js',
  },
  {
    name: "an HTTP/2 health check whose stream timeout and stream error close the session before they reject",
    code: grpcHealthCheck(`            session.destroy();
            reject(new Error('timed out'));
          });
          req.on('error', (err) => { session.destroy(); reject(err); });`),
  },
  {
    name: "a test's HTTP/2 request whose stream 'error' listener is the promise's reject: only a failing test takes it",
    code: `
      import * as http2 from 'node:http2';
      it('answers over HTTP/2', async () => {
        await new Promise<void>((resolve, reject) => {
          const client = http2.connect('https://localhost:8443', { rejectUnauthorized: false });
          const req = client.request({ ':path': '/' });
          req.resume();
          req.on('end', () => { client.close(); resolve(); });
          req.on('error', reject);
          client.on('error', reject);
          req.end();
        });
      });`,
    file: 'test/h2.test.ts',
  },
  {
    name: "a probe that destroys the socket first thing in a try whose catch ignores the error, then resolves",
    code: portProbe(`              socket.destroy();
              log.info('port open', port);`),
    ext: '.js',
  },
  {
    name: "a test helper whose give-up timer rejects without closing: the rejection fails the test",
    code: bannerWait(`      test('greets', async () => {
        assert.match(await awaitBanner(1143), /OK/);
      });`),
    ext: '.js',
    file: 'test/banner-test.js',
  },
  {
    name: "the client set up before the promise also ends on a listener added before it: that listener may still close it after the timer rejects",
    code: ackWait(`        client.subscribe(\`fleet/\${deviceId}/ack\`, { qos: 1 });
        client.on('offline', () => client.end());`),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'an RPC channel per call on the shared connection, whose give-up timer rejects with the channel open',
    code: rpcCall("            reject(new Error('timed out'));"),
    ext: '.js',
    errors: [{ line: 3, message: /^AMQP channel from `conn.createChannel` is not closed once the promise is settled on line 6/ }],
  },
  {
    name: "a discovery probe bound to a port: the send callback's error path rejects without closing it",
    code: `
      import * as dgram from 'node:dgram';
      export function discover(port: number, waitMs = 3000): Promise<string[]> {
        return new Promise((resolve, reject) => {
          const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
          const found: string[] = [];
          socket.on('message', (msg) => { found.push(String(msg)); });
          socket.on('error', (err) => { socket.close(); reject(err); });
          socket.bind(0, () => {
            socket.setBroadcast(true);
            socket.send(Buffer.from('probe'), port, '255.255.255.255', (err) => {
              if (err) { reject(err); return; }
              setTimeout(() => { socket.close(); resolve(found); }, waitMs);
            });
          });
        });
      }`,
    errors: [{ line: 4, message: /not closed when the `return` on line 11 is taken/ }],
  },
  {
    name: "a banner read whose 'data' listener turns the idle timeout off, then rejects an unknown banner without closing",
    code: `
      import net from 'node:net';
      export function firmware(host: string, port = 23): Promise<string> {
        return new Promise((resolve, reject) => {
          const sock = net.createConnection({ host, port, timeout: 3000 });
          sock.once('timeout', () => sock.destroy(new Error('no banner')));
          sock.once('error', reject);
          sock.once('data', (banner: Buffer) => {
            sock.setTimeout(0);
            const match = /v(\\d+)/.exec(String(banner));
            if (!match) {
              reject(new Error('unrecognised banner'));
              return;
            }
            sock.end('quit\\r\\n');
            resolve(match[1]);
          });
        });
      }`,
    errors: [{ line: 4, message: /not closed once the promise is settled on line 11/ }],
  },
  {
    name: "a Socket.IO client that reconnects: its 'connect_error' listener resolves while the Manager keeps retrying",
    code: `
      import { io } from 'socket.io-client';
      export function kickOthers(url: string): Promise<void> {
        return new Promise((resolve) => {
          const socket = io(url, { timeout: 5000 });
          socket.on('connect', () => socket.emit('kick', () => socket.close()));
          socket.on('connect_error', () => resolve());
          socket.on('disconnect', () => resolve());
        });
      }`,
    errors: [{ line: 4, message: /not closed once the promise is settled on line 6/ }],
  },
  {
    name: "a discovery probe whose send callback, inside the bind callback, clears the closing timer and rejects",
    code: `
      import * as dgram from 'node:dgram';
      export function discover(group: string, port: number, waitMs = 2000): Promise<string[]> {
        return new Promise((resolve, reject) => {
          const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
          const found: string[] = [];
          const timer = setTimeout(() => { socket.close(); resolve(found); }, waitMs);
          socket.on('error', (err) => { clearTimeout(timer); socket.close(); reject(err); });
          socket.on('message', (msg) => { found.push(String(msg)); });
          socket.bind(0, () => {
            socket.send(Buffer.from('probe'), port, group, (err) => {
              if (err) {
                clearTimeout(timer);
                reject(err);
              }
            });
          });
        });
      }`,
    errors: [{ line: 4, message: /settled on line 13/ }],
  },
  {
    name: "an HTTP/2 health check whose stream timeout cancels the stream and rejects, and whose stream error rejects: the session stays connected",
    code: grpcHealthCheck(`            reject(new Error('timed out'));
          });
          req.on('error', reject);`),
    errors: [{ line: 4 }],
  },
  {
    name: "a probe whose try logs before it destroys the socket, and whose catch ignores the error: the log may throw first",
    code: portProbe(`              log.info('port open', port);
              socket.destroy();`),
    ext: '.js',
    errors: [{ line: 5 }],
  },
  {
    name: "the same give-up timer in production code: it rejects and leaves the socket connected",
    code: bannerWait(`      module.exports = { awaitBanner };`),
    ext: '.js',
    errors: [{ line: 4 }],
  },
  {
    name: "an HTTP/2 session a pool opens: the connect timer rejects, and only its 'close' and 'goaway' listeners hand it on (it is closed by then)",
    code: `
      import * as http2 from 'node:http2';
      export class SessionPool {
        private sessions = new Map<string, http2.ClientHttp2Session>();
        open(origin: string, timeoutMs: number): Promise<http2.ClientHttp2Session> {
          return new Promise((resolve, reject) => {
            const session = http2.connect(origin);
            const timer = setTimeout(() => reject(new Error('connect timed out')), timeoutMs);
            session.once('connect', () => { clearTimeout(timer); resolve(session); });
            session.on('error', (err) => { clearTimeout(timer); reject(err); });
            session.on('goaway', () => this.forget(origin, session));
            session.on('close', () => this.forget(origin, session));
          });
        }
        private forget(origin: string, session: http2.ClientHttp2Session) {
          if (this.sessions.get(origin) === session) this.sessions.delete(origin);
        }
      }`,
    errors: [{ line: 6 }],
  },
  {
    name: "an MQTT client subscribed before the promise that waits for its acknowledgement: the give-up timer rejects and leaves it connected",
    code: ackWait(`        await client.subscribeAsync(\`fleet/\${deviceId}/ack\`, { qos: 1 });`),
    errors: [{ line: 3, message: /not closed once the promise is settled on line 6 \(nothing can reach it afterwards\), and on 1 other path/ }],
  },
];
