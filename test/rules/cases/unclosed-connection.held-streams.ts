// unclosed-connection: connections a class or a function keeps while something else reads or waits on them.
// A socket read line by line through readline is still its class's to close; a WebSocket stored in its map
// from its 'open' listener is an entry like any other; a Kafka consumer whose replay window a timer ends
// is no service; a client a helper lends to a function that only listens to it is still the helper's to hand out. Look-alikes: a server's accepted socket whose own 'error' ends it (Node destroys a socket
// that fails), and a close in `finally` after another cleanup that could only reject if that close failed.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A panel link with a control socket and an event socket read line by line; `close` is its close() body. */
const panelLink = (close: string) => `
      const net = require('node:net');
      const readline = require('node:readline');
      const tls = require('node:tls');
      const { EventEmitter, once } = require('node:events');
      class PanelLink extends EventEmitter {
        constructor({ host }) { super(); this.host = host; this.control = null; this.events = null; }
        async open() {
          this.control = tls.connect({ host: this.host, port: 4443, servername: this.host });
          await once(this.control, 'secureConnect');
          this.events = net.connect({ host: this.host, port: 4444 });
          await once(this.events, 'connect');
          readline.createInterface({ input: this.events, crlfDelay: Infinity }).on('line', (line) => this.emit('panelEvent', line));
        }
        async close() {
          ${close}
        }
      }
      module.exports = { PanelLink };`;

/** Relays kept one per region, stored once each WebSocket opens; `drop` is the body of drop(region). */
const relayMesh = (drop: string) => `
      const WebSocket = require('ws');
      class RelayMesh {
        constructor() { this.relays = new Map(); }
        connect(region, url) {
          return new Promise((resolve, reject) => {
            const ws = new WebSocket(url, { handshakeTimeout: 5000 });
            ws.once('open', () => { this.relays.set(region, ws); resolve(ws); });
            ws.once('error', reject);
          });
        }
        drop(region) {
          ${drop}
        }
        closeAll() {
          for (const ws of this.relays.values()) ws.close(1001, 'shutting down');
          this.relays.clear();
        }
      }
      module.exports = { RelayMesh };`;

export const invalid: InvalidCase[] = [
  {
    name: "a link whose close() ends its control socket and forgets the event socket it reads line by line through readline",
    code: panelLink(`if (this.control) this.control.end();`),
    ext: '.js',
    errors: [{ line: 10, message: /`this\.events`, and nothing in its class ever closes it/ }],
  },
  {
    name: "a relay WebSocket stored in its map by its 'open' listener, whose entry drop() deletes without closing it",
    code: relayMesh(`this.relays.delete(region);`),
    ext: '.js',
    errors: [{ line: 6, message: /kept in `this\.relays`, and the entry that holds it is deleted on line 12/ }],
  },
  {
    name: 'a Kafka consumer run for a replay window that a timer ends: the promise resolves and the consumer stays connected',
    code: `
      import { Kafka } from 'kafkajs';
      const kafka = new Kafka({ clientId: 'garage', brokers: ['kafka:9092'] });
      export async function collectBayHistory(level: number, windowMs = 10_000): Promise<string[]> {
        const consumer = kafka.consumer({ groupId: 'bay-replay-' + level + '-' + Date.now() });
        await consumer.connect();
        await consumer.subscribe({ topics: ['garage.bay-sensors'], fromBeginning: true });
        const events: string[] = [];
        return new Promise<string[]>((resolve, reject) => {
          const timer = setTimeout(() => resolve(events), windowMs);
          consumer.run({ eachMessage: async ({ message }) => { events.push(String(message.value)); } })
            .catch((err) => { clearTimeout(timer); reject(err); });
        });
      }`,
    errors: [{ line: 4, message: /kafkajs\.Kafka\.consumer/ }],
  },
  {
    name: "a client a helper makes and returns after lending it to a project function that only listens to it, dropped on an early return",
    code: `
      import { openCache } from './cache';
      export async function cachedPrice(url: string, sku: string): Promise<string | null> {
        const cache = openCache(url);
        const price = await cache.get('price:' + sku);
        if (!price) return null;
        await cache.quit();
        return price;
      }`,
    files: {
      'cache.ts': `import Redis from 'ioredis';\nimport { logErrors } from './log';\nexport function openCache(url: string): Redis {\n  const redis = new Redis(url);\n  logErrors(redis);\n  return redis;\n}`,
      'log.ts': `export function logErrors(emitter: { on(event: string, cb: (e: Error) => void): unknown }): void {\n  emitter.on('error', (e) => console.error(e.message));\n}`,
    },
    errors: [{ line: 3, message: /openCache\(\)/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same link closing both sockets',
    code: panelLink(`if (this.control) this.control.end();
          if (this.events) this.events.destroy();`),
    ext: '.js',
  },
  {
    name: 'the same relays, closed by drop() before the entry goes',
    code: relayMesh(`const ws = this.relays.get(region);
          if (ws) ws.close();
          this.relays.delete(region);`),
    ext: '.js',
  },
  {
    name: "a card reader's accepted TLS socket, half-open, ended on 'end', destroyed when idle, and destroyed by Node when it fails",
    code: `
      const readline = require('node:readline');
      const tls = require('node:tls');
      function createReaderServer({ key, cert, authorize }) {
        const server = tls.createServer({ key, cert, allowHalfOpen: true });
        server.on('secureConnection', (socket) => {
          const lines = readline.createInterface({ input: socket, crlfDelay: Infinity });
          socket.setTimeout(60000, () => socket.destroy());
          socket.on('error', (err) => server.emit('readerError', err));
          socket.on('end', () => socket.end());
          lines.on('line', (line) => {
            authorize(line).then((ok) => { if (socket.writable) socket.write(ok ? 'GRANT\\n' : 'DENY\\n'); });
          });
        });
        return server;
      }
      module.exports = { createReaderServer };`,
    ext: '.js',
  },
  {
    name: "a CLI's client closed in finally after the delivery pools close (`await pools.closeAll()`): only a failed close skips it",
    code: `
      import { MongoClient } from 'mongodb';
      import { OriginPools } from './pools';
      async function main(): Promise<void> {
        const client = await new MongoClient(process.env.ARCHIVE_URI!).connect();
        const pools = new OriginPools();
        try {
          for await (const event of client.db().collection('events').find({})) await pools.deliver(event);
        } finally {
          await pools.closeAll();
          await client.close();
        }
      }
      main().catch((err) => { console.error(err); process.exitCode = 1; });`,
    files: { 'pools.ts': `export class OriginPools { async deliver(e: unknown): Promise<void> { console.log(e); } async closeAll(): Promise<void> {} }` },
  },
];
