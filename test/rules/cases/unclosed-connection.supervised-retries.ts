// unclosed-connection: a connection its 'close' listener makes again (supervised, kept for the process) is still left
// open by a start() whose catch only schedules the next attempt, where a step awaited after the connection rejects
// before that listener is registered (a queue declared with other arguments), or, for an AMQP connection (a channel
// error closes the channel only), anywhere after it: each attempt leaves one more connection open. Beside the same
// start() whose catch closes the connection, or rethrows, and a WebSocket whose failed opening closes it (its own
// 'close' listener then starts again). A consumer class whose start() retries from its catch after a failed connect(),
// which gives the field its connection after its last `await`, replaces nothing open; one that gives it before a step
// that may reject does.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A queue worker whose start() `setup`s the connection and channel inside a try; `onFailure` is its catch. */
const WORKER = (setup: string, onFailure = 'setTimeout(start, 5_000);') => `
      import amqp from 'amqplib';
      let current: amqp.ChannelModel | undefined;
      let stopping = false;
      export async function start(): Promise<void> {
        let conn: amqp.ChannelModel | undefined;
        try {
          conn = await amqp.connect(process.env.AMQP_URL ?? 'amqp://localhost');
${setup}
          current = conn;
        } catch (err) {
          console.error(err);
          ${onFailure}
        }
      }
      export async function stop(): Promise<void> {
        stopping = true;
        await current?.close();
      }`;

const LISTEN = `          conn.on('close', () => { current = undefined; if (!stopping) setTimeout(start, 5_000); });`;
const CHANNEL = `          const ch = await conn.createChannel();
          await ch.assertQueue('dispatch', { durable: true, arguments: { 'x-max-priority': 5 } });
          await ch.consume('dispatch', (msg) => { if (msg) ch.ack(msg); });`;

/** A consumer class whose start() retries a failed connect() from a timer; `setup` is connect()'s work after connecting. */
const CONSUMER = (setup: string) => `
      const amqp = require('amqplib');
      class MaintenanceConsumer {
        constructor() { this.conn = null; this.stopping = false; this.retryTimer = null; }
        async start() {
          try {
            await this.connect();
          } catch (err) {
            console.error(err);
            this.scheduleReconnect();
          }
        }
        async connect() {
          const conn = await amqp.connect(process.env.AMQP_URL);
${setup}
        }
        scheduleReconnect() {
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => this.start(), 5000);
        }
        async stop() {
          this.stopping = true;
          clearTimeout(this.retryTimer);
          if (this.conn) await this.conn.close();
        }
      }
      module.exports = { MaintenanceConsumer };`;

const CLOSE_RETRY = `          conn.on('close', () => { this.conn = null; if (!this.stopping) this.scheduleReconnect(); });`;

export const invalid: InvalidCase[] = [
  {
    name: "an AMQP worker whose queue setup may reject before its 'close' listener is registered, and whose catch only retries",
    code: WORKER(`${CHANNEL}\n${LISTEN}`),
    errors: [{ line: 7, message: /AMQP connection from `amqplib.connect` is not closed/ }],
  },
  {
    name: "the same worker with its 'close' listener first: a channel error leaves the connection open, so that listener never runs",
    code: WORKER(`${LISTEN}\n${CHANNEL}`),
    errors: [{ line: 7, message: /AMQP connection from `amqplib.connect` is not closed/ }],
  },
  {
    name: 'a consumer class that gives the field its connection before a consume that may reject: the retry replaces an open one',
    ext: '.js',
    code: CONSUMER(`          this.conn = conn;
          const ch = await conn.createChannel();
          await ch.consume('kayak.maintenance', (msg) => { if (msg) ch.ack(msg); });
${CLOSE_RETRY}`),
    errors: [{ line: 13, message: /^`this.conn` is given a new AMQP connection/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same worker whose catch closes the connection before it retries',
    code: WORKER(`${CHANNEL}\n${LISTEN}`, 'await conn?.close().catch(() => undefined);\n          setTimeout(start, 5_000);'),
  },
  {
    name: 'the same worker whose catch rethrows: its caller decides',
    code: WORKER(`${CHANNEL}\n${LISTEN}`, 'throw err;'),
  },
  {
    name: "a WebSocket whose 'close' listener starts again, registered before the awaited opening: a failed opening closes it",
    code: `
      import WebSocket from 'ws';
      import { once } from 'node:events';
      let current: WebSocket | undefined;
      export async function start(): Promise<void> {
        try {
          const ws = new WebSocket(process.env.FEED_URL ?? 'wss://feed.example');
          ws.on('close', () => { current = undefined; setTimeout(start, 5_000); });
          await once(ws, 'open');
          current = ws;
        } catch (err) {
          console.error(err);
        }
      }`,
  },
  {
    name: "a consumer class whose start() retries after a failed connect(), which gives the field its connection after its last await and closes it in its catch",
    ext: '.js',
    code: CONSUMER(`          try {
            const ch = await conn.createChannel();
            await ch.consume('kayak.maintenance', (msg) => { if (msg) ch.ack(msg); });
${CLOSE_RETRY}
            this.conn = conn;
          } catch (err) {
            await conn.close().catch(() => {});
            throw err;
          }`),
  },
];
