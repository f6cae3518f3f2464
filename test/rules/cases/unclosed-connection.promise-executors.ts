// unclosed-connection: connections made inside a `new Promise` executor, whose timers and listeners
// settle the promise. The first callback to settle decides; a callback that settles without closing
// leaves the connection to nobody (core/settled-promises.ts).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: "an EventSource raced against the job's own promise, closed whichever settles first",
    code: `
      import { EventSource } from 'eventsource';
      export function raceCancellation(url: string, work: Promise<unknown>): Promise<string> {
        const events = new EventSource(url);
        return new Promise((resolve) => {
          events.addEventListener('cancel', () => { events.close(); resolve('cancelled'); });
          work.then(
            () => { events.close(); resolve('finished'); },
            () => { events.close(); resolve('failed'); },
          );
        });
      }`,
  },
  {
    name: 'a Kafka consumer run inside a promise until an offset: disconnected before the handler resolves it',
    code: `
      import { Kafka } from 'kafkajs';
      const kafka = new Kafka({ clientId: 'replay', brokers: ['kafka:9092'] });
      export async function replay(topic: string, to: bigint): Promise<number> {
        const consumer = kafka.consumer({ groupId: 'replay' });
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true }).catch(async (e) => { await consumer.disconnect(); throw e; });
        return new Promise<number>((resolve, reject) => {
          let n = 0;
          consumer.run({
            eachMessage: async ({ message }) => {
              n += 1;
              if (BigInt(message.offset) >= to) {
                await consumer.disconnect();
                resolve(n);
              }
            },
          }).catch(reject);
        });
      }`,
  },
  {
    name: 'a Kafka consumer service whose run() only rejects the promise around it: it is meant to run on',
    code: `
      import { Kafka } from 'kafkajs';
      const kafka = new Kafka({ clientId: 'svc', brokers: ['kafka:9092'] });
      export async function serve(topic: string, handle: (v: Buffer | null) => Promise<void>): Promise<void> {
        const consumer = kafka.consumer({ groupId: 'svc' });
        await consumer.connect();
        await consumer.subscribe({ topics: [topic] });
        return new Promise<void>((resolve, reject) => {
          consumer.run({ eachMessage: async ({ message }) => handle(message.value) }).catch(reject);
        });
      }`,
  },
  {
    name: "an IPC probe whose connect callback throws (the process ends) and whose 'error' settles the promise",
    code: `
      const net = require('net');
      const fs = require('fs');
      async function reclaim(path) {
        await new Promise((resolve, reject) => {
          const socket = new net.Socket();
          socket.on('error', (error) => {
            if (error.code === 'ECONNREFUSED') { fs.unlinkSync(path); resolve(); return; }
            reject(error);
          });
          socket.connect({ path }, () => {
            throw new Error('IPC ' + path + ' is already used');
          });
        });
      }
      module.exports = { reclaim };`,
    ext: '.js',
  },
  {
    name: 'a Kafka producer of a monitor check disconnected before the promise resolves',
    code: `
      const { Kafka } = require('kafkajs');
      function checkKafka(brokers, topic, message) {
        return new Promise((resolve, reject) => {
          const producer = new Kafka({ brokers, clientId: 'monitor' }).producer();
          producer.connect()
            .then(() => producer.send({ topic, messages: [{ value: message }] }))
            .then(() => producer.disconnect().then(() => resolve('sent')))
            .catch((e) => { producer.disconnect(); reject(e); });
        });
      }
      module.exports = { checkKafka };`,
    ext: '.js',
  },
  {
    name: 'an EventSource followed for as long as the caller wants: the returned function closes it',
    code: `
      import { EventSource } from 'eventsource';
      export function follow(url: string, onUpdate: (v: unknown) => void) {
        const es = new EventSource(url);
        es.addEventListener('update', (e: MessageEvent) => onUpdate(JSON.parse(e.data)));
        return () => es.close();
      }`,
  },
  {
    name: 'a pg probe: the timer ends the client too, and the catch ends it after settling out of an if',
    code: `
      const { Client } = require('pg');
      function probe(cfg, timeoutMs) {
        return new Promise((resolve) => {
          const client = new Client(cfg);
          let settled = false;
          const timer = setTimeout(() => {
            settled = true;
            client.end().catch(() => {});
            resolve(false);
          }, timeoutMs);
          client.connect().then(async () => {
            if (settled) return;
            clearTimeout(timer);
            settled = true;
            await client.end();
            resolve(true);
          }).catch(() => {
            clearTimeout(timer);
            if (!settled) {
              settled = true;
              resolve(false);
            }
            client.end().catch(() => {});
          });
        });
      }
      module.exports = { probe };`,
    ext: '.js',
  },
  {
    name: 'a connect helper resolves with the client it made (handed to the caller)',
    code: `
      import { Client } from 'pg';
      export function open(cfg: object): Promise<Client> {
        return new Promise((resolve, reject) => {
          const client = new Client(cfg);
          client.connect().then(() => resolve(client), reject);
        });
      }`,
  },
  {
    name: 'a Redis subscriber quit on the timeout too',
    code: `
      import Redis from 'ioredis';
      const redis = new Redis();
      export function waitForEvent(channel: string, timeoutMs: number) {
        const sub = redis.duplicate();
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            sub.quit();
            reject(new Error('timed out'));
          }, timeoutMs);
          sub.on('message', (ch: string, message: string) => {
            if (ch !== channel) return;
            clearTimeout(timer);
            sub.quit();
            resolve(message);
          });
          sub.subscribe(channel);
        });
      }`,
  },
  {
    name: 'a port probe that destroys the socket on every settling path',
    code: `
      import * as net from 'net';
      export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
        return new Promise((resolve) => {
          const socket = net.connect(port, host);
          const timer = setTimeout(() => { socket.destroy(); resolve(false); }, 500);
          socket.once('connect', () => {
            clearTimeout(timer);
            socket.destroy();
            resolve(true);
          });
          socket.once('error', () => { clearTimeout(timer); resolve(false); });
        });
      }`,
  },
  {
    name: 'every settling callback calls a cleanup function that closes the socket',
    code: `
      import * as dgram from 'dgram';
      export function ping(host: string, port: number): Promise<number> {
        return new Promise((resolve, reject) => {
          const socket = dgram.createSocket('udp4');
          const started = Date.now();
          const cleanup = () => { clearTimeout(timer); socket.close(); };
          const timer = setTimeout(() => { cleanup(); reject(new Error('no reply')); }, 2000);
          socket.on('message', () => { cleanup(); resolve(Date.now() - started); });
          socket.send(Buffer.from('PING'), port, host);
        });
      }`,
  },
  {
    name: 'the socket is handed to the caller when it connects',
    code: `
      import * as net from 'net';
      export function open(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const socket = net.connect(port);
          socket.once('connect', () => resolve(socket));
          socket.once('error', reject);
        });
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "an EventSource raced against the job's own promise: when the work settles first, nothing closes it",
    code: `
      import { EventSource } from 'eventsource';
      export function raceCancellation(url: string, work: Promise<unknown>, controller: AbortController): Promise<string> {
        const events = new EventSource(url);
        return new Promise((resolve) => {
          events.addEventListener('cancel', () => {
            controller.abort();
            events.close();
            resolve('cancelled');
          });
          work.then(() => resolve('finished'), () => resolve('finished'));
        });
      }`,
    errors: [{ line: 3, message: /settled on line 10/ }],
  },
  {
    name: 'a Kafka consumer replaying up to an offset: its handler resolves the promise and nothing disconnects it',
    code: `
      import { Kafka } from 'kafkajs';
      const kafka = new Kafka({ clientId: 'replay', brokers: ['kafka:9092'] });
      export async function replay(topic: string, to: bigint): Promise<number> {
        const consumer = kafka.consumer({ groupId: 'replay' });
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        return new Promise<number>((resolve, reject) => {
          let n = 0;
          consumer.run({
            eachMessage: async ({ message }) => {
              if (BigInt(message.offset) >= to) { resolve(n); return; }
              n += 1;
            },
          }).catch(reject);
        });
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'the same probe whose connect callback throws only sometimes',
    code: `
      const net = require('net');
      async function reclaim(path, strict) {
        await new Promise((resolve, reject) => {
          const socket = new net.Socket();
          socket.on('error', (error) => (error.code === 'ECONNREFUSED' ? resolve() : reject(error)));
          socket.connect({ path }, () => {
            if (!strict) return;
            throw new Error('IPC ' + path + ' is already used');
          });
        });
      }
      module.exports = { reclaim };`,
    ext: '.js',
    errors: [{ line: 4 }],
  },
  {
    name: 'a Kafka producer of a monitor check that resolves once the message is sent, without disconnecting',
    code: `
      const { Kafka } = require('kafkajs');
      function checkKafka(brokers, topic, message) {
        return new Promise((resolve, reject) => {
          let kafka = new Kafka({ brokers, clientId: 'monitor' });
          let producer = kafka.producer();
          producer.connect().then(() => {
            producer.send({ topic, messages: [{ value: message }] })
              .then(() => resolve('sent'))
              .catch((e) => { producer.disconnect(); reject(e); });
          }).catch((e) => { producer.disconnect(); reject(e); });
        });
      }
      module.exports = { checkKafka };`,
    ext: '.js',
    errors: [{ line: 5, message: /Kafka client/ }],
  },
  {
    name: "an EventSource whose first 'snapshot' settles the promise without closing it (eventsource reconnects it for good)",
    code: `
      import { EventSource } from 'eventsource';
      export function currentPrice(url: string, timeoutMs: number) {
        return new Promise((resolve) => {
          const es = new EventSource(url);
          const timer = setTimeout(() => { es.close(); resolve(null); }, timeoutMs);
          es.addEventListener('snapshot', (event: MessageEvent) => {
            clearTimeout(timer);
            resolve(JSON.parse(event.data));
          });
          es.onerror = () => { clearTimeout(timer); es.close(); resolve(null); };
        });
      }`,
    errors: [{ line: 4, message: /EventSource from `eventsource.EventSource` is not closed once the promise is settled on line 8/ }],
  },
  {
    name: "an EventSource error listener settles without closing: an 'error' is a reconnect, not an end",
    code: `
      const EventSource = require('eventsource');
      function firstEvent(url) {
        return new Promise((resolve) => {
          const es = new EventSource(url);
          es.addEventListener('message', (e) => { es.close(); resolve(e.data); });
          es.addEventListener('error', () => resolve(null));
        });
      }
      module.exports = { firstEvent };`,
    ext: '.js',
    errors: [{ line: 4, message: /settled on line 6/ }],
  },
  {
    name: 'a pg probe whose timeout resolves without ending the client (it connects later and stays)',
    code: `
      const { Client } = require('pg');
      function probe(cfg, timeoutMs) {
        return new Promise((resolve) => {
          const client = new Client(cfg);
          const timer = setTimeout(() => {
            resolve({ ok: false, error: 'no answer within ' + timeoutMs + 'ms' });
          }, timeoutMs);
          client.connect().then(async () => {
            clearTimeout(timer);
            await client.end();
            resolve({ ok: true });
          });
        });
      }
      module.exports = { probe };`,
    ext: '.js',
    errors: [{ line: 4, message: /not closed once the promise is settled on line 6/ }],
  },
  {
    name: "a Redis subscriber made for one wait: the timer rejects and nothing quits it",
    code: `
      import Redis from 'ioredis';
      const redis = new Redis();
      export function waitForEvent(channel: string, timeoutMs: number) {
        const sub = redis.duplicate();
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
          sub.on('message', (ch: string, message: string) => {
            if (ch !== channel) return;
            clearTimeout(timer);
            sub.quit();
            resolve(message);
          });
          sub.subscribe(channel);
        });
      }`,
    errors: [{ line: 4, message: /not closed once the promise is settled on line 6/ }],
  },
  {
    name: 'a socket whose idle timeout rejects without destroying it',
    code: `
      import * as net from 'net';
      export function push(host: string, port: number, frame: Buffer, timeoutMs: number) {
        return new Promise((resolve, reject) => {
          const socket = net.connect({ host, port });
          socket.setTimeout(timeoutMs);
          socket.once('connect', () => socket.write(frame));
          socket.once('timeout', () => reject(new Error('no ack')));
          socket.once('error', reject);
          socket.on('data', (chunk) => {
            socket.end();
            resolve(chunk.toString());
          });
        });
      }`,
    errors: [{ line: 4, message: /settled on line 7/ }],
  },
  {
    name: 'a port probe that resolves on connect and never closes the socket',
    code: `
      import * as net from 'net';
      export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
        return new Promise((resolve) => {
          const socket = net.connect(port, host);
          const timer = setTimeout(() => { socket.destroy(); resolve(false); }, 500);
          socket.once('connect', () => {
            clearTimeout(timer);
            resolve(true);
          });
          socket.once('error', () => { clearTimeout(timer); resolve(false); });
        });
      }`,
    errors: [{ line: 4, messageId: 'somePaths' }],
  },
  {
    name: 'a UDP probe whose timer rejects without closing the socket',
    code: `
      const dgram = require('dgram');
      function probe(host, port) {
        return new Promise((resolve, reject) => {
          const socket = dgram.createSocket('udp4');
          const timer = setTimeout(() => reject(new Error('no reply')), 2000);
          socket.on('message', () => { clearTimeout(timer); socket.close(); resolve(); });
          socket.send(Buffer.from('PING'), port, host);
        });
      }
      module.exports = { probe };`,
    ext: '.js',
    errors: [{ line: 4, messageId: 'somePaths' }],
  },
  {
    name: 'a WebSocket whose message listener rejects a bad acknowledgement without closing it',
    code: `
      import WebSocket from 'ws';
      export function push(url: string, body: string): Promise<void> {
        return new Promise((resolve, reject) => {
          const ws = new WebSocket(url);
          ws.on('open', () => ws.send(body));
          ws.on('message', (data) => {
            const ack = JSON.parse(String(data));
            if (ack.status !== 'ok') {
              reject(new Error('rejected: ' + ack.reason));
              return;
            }
            ws.close();
            resolve();
          });
          ws.on('error', reject);
        });
      }`,
    errors: [{ line: 4, messageId: 'somePaths' }],
  },
];
