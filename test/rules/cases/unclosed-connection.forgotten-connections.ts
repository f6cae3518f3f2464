// unclosed-connection: pools kept in fields live on by design, and so may a WebSocket kept for good, except in a
// class whose release closes its other connections and forgets one pool, agent, Kafka client, WebSocket or bound
// UDP socket (forgotten-connections.ts); a close() that closes the pools the class keeps in a Map is such a release. In JavaScript, a field set to `null` in the constructor and to a client in
// `start()` holds that client: its `duplicate()` is a connection of its own that the class must close too.
// The instance a static factory makes (`const feed = new Feed(); feed.chat = net.connect(o)`) has fields like `this`.
// A field whose declared type says nothing (`client: Client`, `type Client = ReturnType<typeof createClient>`)
// holds what the constructor assigns it. A local destroyed only in the `catch` of a failed connect is still the
// class's to close once it is kept. An agent lent to the class's requests (`{ agent: this.agent }`) is used, not handed on.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A static factory that opens two connections on the instance it makes; `close` is the body of its close(). */
const FEED = (close: string) => `
      import net from 'node:net';
      import tls from 'node:tls';
      import { EventEmitter } from 'node:events';
      export class SpectatorFeed extends EventEmitter {
        private frames?: tls.TLSSocket;
        private chat?: net.Socket;
        private constructor(readonly matchId: string) { super(); }
        static async open(matchId: string, host: string): Promise<SpectatorFeed> {
          const feed = new SpectatorFeed(matchId);
          feed.frames = tls.connect({ host, port: 7443 });
          feed.frames.on('data', (b) => feed.emit('snapshot', b));
          feed.chat = net.connect({ host, port: 7001 });
          feed.chat.on('data', (text) => feed.emit('chat', String(text)));
          feed.chat.write('JOIN ' + matchId + '\\n');
          return feed;
        }
        close(): void {
${close}
        }
      }`;

/** An exchange session: REST orders through a project client and a private WebSocket kept through a local; `close` is its close(). */
const SESSION = (close: string) => `
      import WebSocket from 'ws';
      import { Pool } from 'undici';
      class OrderClient {
        private pool: Pool;
        constructor(url: string) { this.pool = new Pool(url); }
        async close(): Promise<void> { await this.pool.close(); }
      }
      export class ExchangeSession {
        readonly orders: OrderClient;
        private account: WebSocket | undefined;
        constructor(private readonly url: string) { this.orders = new OrderClient(url); }
        async open(): Promise<void> {
          const ws = new WebSocket(this.url + '/private');
          this.account = ws;
          ws.on('message', (raw) => console.log(String(raw)));
        }
        async close(): Promise<void> {
${close}
        }
      }`;

const TRADES = (stop: string) => `
      import type { Admin, Consumer, Kafka } from 'kafkajs';
      export class TradeConsumer {
        private consumer?: Consumer;
        private admin?: Admin;
        constructor(private readonly kafka: Kafka, private readonly topic: string) {}
        async start(): Promise<void> {
          this.consumer = this.kafka.consumer({ groupId: 'trades' });
          await this.consumer.connect();
          await this.consumer.subscribe({ topic: this.topic });
          this.admin = this.kafka.admin();
          await this.admin.connect();
        }
        async lag() {
          return this.admin?.fetchTopicOffsets(this.topic);
        }
        async stop(): Promise<void> {
          ${stop}
        }
      }`;

/** A venue's two market-data WebSockets; `close` is the class's close() body. */
const VENUE = (close: string) => `
      import { once } from 'node:events';
      import WebSocket from 'ws';
      export class VenueSession {
        readonly trades: WebSocket;
        readonly book: WebSocket;
        constructor(baseUrl: string, streams: string) {
          this.trades = new WebSocket(\`\${baseUrl}/trades?streams=\${streams}\`);
          this.book = new WebSocket(\`\${baseUrl}/book?streams=\${streams}\`);
          this.trades.on('error', (err) => console.warn('trades', err.message));
          this.book.on('error', (err) => console.warn('book', err.message));
        }
        async ready(): Promise<void> {
          await Promise.all([once(this.trades, 'open'), once(this.book, 'open')]);
        }
        async close(): Promise<void> {
${close}
        }
      }`;

/** A JavaScript lobby server: node-redis pub and sub clients for a Socket.IO adapter, made in start(); `close` is close()'s body. */
function lobbyServer(close: string): string {
  return `
      const { createClient } = require('redis');
      const { createAdapter } = require('@socket.io/redis-adapter');
      class LobbyServer {
        constructor(url) { this.url = url; this.pubClient = null; this.subClient = null; this.adapter = null; }
        async start() {
          this.pubClient = createClient({ url: this.url });
          this.subClient = this.pubClient.duplicate();
          await Promise.all([this.pubClient.connect(), this.subClient.connect()]);
          this.adapter = createAdapter(this.pubClient, this.subClient);
        }
        async close() {
${close}
        }
      }
      module.exports = { LobbyServer };`;
}

/** A class serving metrics and probes on two servers; `probes` is what `listen()` does with the probe server, `close` what `close()` adds. */
function metricsServer(probes: string, close: string): string {
  return `
      import http from 'node:http';
      export class MetricsServer {
        private metrics?: http.Server;
        private probes?: http.Server;
        async listen(metricsPort: number, probePort: number) {
          this.metrics = http.createServer((req, res) => res.end('metrics'));
          this.probes = http.createServer((req, res) => res.end('ok'));
          this.metrics.listen(metricsPort);
${probes}        }
        async close(): Promise<void> {
          const server = this.metrics;
          if (!server) return;
          this.metrics = undefined;
          await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
${close}        }
      }`;
}

/** A sync session keeping an undici Pool and, through a local, a control socket; `close` is its `close()` body. */
function syncSession(close: string): string {
  return `
      import net from 'node:net';
      import { once } from 'node:events';
      import { Pool } from 'undici';
      export class SyncSession {
        private control?: net.Socket;
        private readonly region: Pool;
        constructor(regionUrl: string, private readonly engineSocket: string) {
          this.region = new Pool(regionUrl, { connections: 2 });
        }
        async open(): Promise<void> {
          const control = net.createConnection(this.engineSocket);
          await once(control, 'connect');
          control.on('data', (chunk) => this.onEvent(String(chunk)));
          this.control = control;
        }
        private onEvent(line: string) { console.log(line); }
        async close(): Promise<void> {
${close}        }
      }`;
}

/** A JavaScript consumer class given the Kafka instance as `kafka`, in a file that loads kafkajs; `stop` is its `stop()` body. */
function enrichConsumer(stop: string): string {
  return `
      const { CompressionTypes } = require('kafkajs');
      class EnrichConsumer {
        constructor(kafka) {
          this.kafka = kafka;
          this.consumer = null;
          this.producer = null;
        }
        async start() {
          this.producer = this.kafka.producer({ idempotent: true });
          await this.producer.connect();
          this.consumer = this.kafka.consumer({ groupId: 'enrich' });
          await this.consumer.connect();
          await this.consumer.run({ eachMessage: async ({ message }) => {
            await this.producer.send({ topic: 'enriched', compression: CompressionTypes.GZIP, messages: [message] });
          } });
        }
        async stop() {
${stop}        }
      }
      module.exports = { EnrichConsumer };`;
}

/** A gate reader with a command socket and an event socket, destroyed together if a connect fails; `close` ends its life. */
const GATE_READER = (close: string) => `
      import net from 'node:net';
      import { once } from 'node:events';
      export class GateReader {
        constructor(host) { this.host = host; this.cmd = null; this.events = null; }
        async connect() {
          const cmd = net.connect({ host: this.host, port: 4001 });
          const events = net.connect({ host: this.host, port: 4002 });
          try {
            await Promise.all([once(cmd, 'connect'), once(events, 'connect')]);
          } catch (err) {
            cmd.destroy();
            events.destroy();
            throw err;
          }
          events.on('data', (chunk) => this.onEvent(chunk));
          this.cmd = cmd;
          this.events = events;
          return this;
        }
        onEvent(chunk) { return chunk.length; }
        async close() {
${close}
        }
      }`;

/** MT providers: undici pools per provider kept in a Map, and a glossary client; `close` is the body of close(). */
const PROVIDERS = (close: string) => `
      import { Pool, Client } from 'undici';
      export class MtProviders {
        private readonly pools = new Map<string, Pool>();
        private readonly glossary: Client;
        constructor(origins: string[], glossaryOrigin: string) {
          for (const o of origins) this.pools.set(o, new Pool(o, { connections: 8 }));
          this.glossary = new Client(glossaryOrigin, { pipelining: 1 });
        }
        async terms(lang: string): Promise<unknown> {
          const { body } = await this.glossary.request({ method: 'GET', path: '/glossary/' + lang });
          return body.json();
        }
        async close(): Promise<void> {
${close}
        }
      }`;

/** A game server link: a control TCP connection and a bound telemetry UDP socket; `close` is the body of close(). */
const GAME_LINK = (close: string) => `
      import net from 'node:net';
      import dgram from 'node:dgram';
      export class GameServerLink {
        private control: net.Socket;
        private telemetry: dgram.Socket;
        constructor(host: string, port: number) {
          this.control = net.createConnection({ host, port });
          this.telemetry = dgram.createSocket('udp4');
          this.telemetry.on('message', (m) => console.log(m.length));
          this.telemetry.bind(0);
        }
        close(): void {
${close}
        }
      }`;

/** A courier tracker: a WebSocket it reconnects and a keep-alive agent its ETA requests use; `stop` is its release. */
const tracker = (stop: string) => `
      const https = require('https');
      const WebSocket = require('ws');
      class CourierTracker {
        constructor(url) {
          this.url = url;
          this.agent = new https.Agent({ keepAlive: true, maxSockets: 4 });
          this.ws = null;
        }
        start() { this.ws = new WebSocket(this.url + '/live'); }
        fetchEta(id) {
          return new Promise((resolve, reject) => {
            https.get(this.url + '/eta/' + id, { agent: this.agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
          });
        }
        stop() {
          ${stop}
        }
      }
      module.exports = { CourierTracker };`;

export const invalid: InvalidCase[] = [
  {
    name: "a tracker whose stop() closes its WebSocket and forgets the keep-alive agent its requests are given",
    code: tracker("if (this.ws) this.ws.close(1000, 'shutdown');"),
    ext: '.js',
    errors: [{ line: 6, messageId: 'classNeverCloses' }],
  },
  {
    name: "a JavaScript consumer class given the Kafka instance (`kafka`, in a file that loads kafkajs) whose stop() disconnects the consumer and forgets the producer",
    code: enrichConsumer('          await this.consumer?.disconnect();\n'),
    ext: '.js',
    errors: [{ line: 9, message: /kept in `this.producer`/ }],
  },
  {
    name: "a reader whose close() ends its command socket and forgets the event socket, which connect() destroys only when a connect fails",
    code: GATE_READER("          if (this.cmd && !this.cmd.destroyed) this.cmd.end('BYE\\r\\n');\n          this.cmd = null;"),
    ext: '.js',
    errors: [{ line: 7, message: /kept in `this.events`, and nothing in its class ever closes it/ }],
  },
  {
    name: "a session whose close() closes its undici Pool and forgets the engine's control socket it keeps through a local",
    code: syncSession('          await this.region.close();\n'),
    errors: [{ line: 11, message: /kept in `this.control`/ }],
  },
  {
    name: "a metrics server class whose close() closes the metrics listener (through a local) and forgets the probe listener it started",
    code: metricsServer('          this.probes.listen(probePort);\n', ''),
    errors: [{ line: 7, message: /kept in `this.probes`, and nothing in its class ever closes it/ }],
  },
  {
    name: "a session whose close() closes its project order client and forgets the account WebSocket it keeps through a local",
    code: SESSION('          await this.orders.close();'),
    errors: [{ line: 13, message: /^WebSocket from `ws` is kept in `this.account`, and nothing in its class ever closes it/ }],
  },
  {
    name: "a static factory's instance keeps two sockets; close() ends the frames socket and forgets the chat one",
    code: FEED('          this.frames?.end();\n          this.removeAllListeners();'),
    errors: [{ line: 12, message: /^Socket from `net.connect` is kept in `this.chat`, and nothing in its class ever closes it/ }],
  },
  {
    name: "a JavaScript class whose close() quits the pub client and forgets its duplicate(), made in start() from a field set to null in the constructor",
    code: lobbyServer('          await this.pubClient.quit();'),
    ext: '.js',
    errors: [{ line: 7, message: /^Redis connection from `redis.createClient.duplicate` is kept in `this.subClient`, and nothing in its class ever closes it/ }],
  },
  {
    name: "a store whose close() ends its primary pool and forgets the replica's: that pool's connections outlive the store",
    code: `
      import { Pool } from 'pg';
      export class OrderStore {
        private readonly primary = new Pool({ connectionString: process.env.PRIMARY_URL });
        private readonly replica = new Pool({ connectionString: process.env.REPLICA_URL, max: 4 });
        byId(id: string) {
          return this.replica.query('SELECT * FROM orders WHERE id = $1', [id]);
        }
        save(id: string, total: number) {
          return this.primary.query('UPDATE orders SET total = $2 WHERE id = $1', [id, total]);
        }
        async close(): Promise<void> {
          await this.primary.end();
        }
      }`,
    errors: [{ line: 4, message: /^Connection pool from `pg\.Pool` is kept in `this\.replica`, and nothing in its class ever closes it/ }],
  },
  {
    name: 'a stop() that disconnects the Kafka consumer and forgets the admin client polling its lag',
    code: TRADES('await this.consumer?.disconnect();'),
    errors: [{ line: 10, message: /kept in `this.admin`, and nothing in its class ever closes it/ }],
  },
  {
    name: "a session whose close() closes its trades WebSocket and forgets the book's",
    code: VENUE(`          const closed = once(this.trades, 'close');
          this.trades.close(1000, 'shutdown');
          await closed;`),
    errors: [{ line: 8, message: /kept in `this.book`, and nothing in its class ever closes it/ }],
  },
  {
    name: "a cache's node-redis subscriber, the duplicate of a client field typed with ReturnType<typeof createClient> and set in the constructor, forgotten by close()",
    code: `
      import { createClient } from 'redis';
      type Client = ReturnType<typeof createClient>;
      export class ResponseCache {
        private readonly client: Client;
        private readonly subscriber: Client;
        constructor(url: string) {
          this.client = createClient({ url });
          this.subscriber = this.client.duplicate();
        }
        async connect(): Promise<void> {
          await Promise.all([this.client.connect(), this.subscriber.connect()]);
          await this.subscriber.subscribe('invalidate', (tag) => console.log(tag));
        }
        async close(): Promise<void> {
          await this.client.quit();
        }
      }`,
    errors: [{ line: 8, message: /kept in `this\.subscriber`/ }],
  },
  {
    name: "a class whose close() closes the undici pools it keeps in a Map and forgets its glossary Client",
    code: PROVIDERS('          await Promise.all([...this.pools.values()].map((p) => p.close()));\n          this.pools.clear();'),
    errors: [{ line: 7, message: /kept in `this.glossary`, and nothing in its class ever closes it/ }],
  },
  {
    name: "a game server link whose close() ends its control connection and forgets the bound telemetry UDP socket",
    code: GAME_LINK('          this.control.end();'),
    errors: [{ line: 8, message: /kept in `this.telemetry`/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same tracker whose stop() destroys the agent too',
    code: tracker("if (this.ws) this.ws.close(1000, 'shutdown');\n          this.agent.destroy();"),
    ext: '.js',
  },
  {
    name: 'the same reader whose close() ends both sockets',
    code: GATE_READER("          this.cmd?.end('BYE\\r\\n');\n          this.events?.destroy();"),
    ext: '.js',
  },
  {
    name: 'the same consumer class disconnecting the producer too',
    code: enrichConsumer('          await this.consumer?.disconnect();\n          await this.producer?.disconnect();\n'),
    ext: '.js',
  },
  {
    name: 'the same session ending the control socket too',
    code: syncSession('          this.control?.end();\n          await this.region.close();\n'),
  },
  {
    name: 'the same metrics server class closing the probe listener too',
    code: metricsServer('          this.probes.listen(probePort);\n', '          this.probes?.close();\n'),
  },
  {
    name: 'the same class never starting the probe server (it binds no port)',
    code: metricsServer('', ''),
  },
  {
    name: 'the same session closing the account WebSocket too',
    code: SESSION('          this.account?.close();\n          await this.orders.close();'),
  },
  {
    name: "the same static factory whose close() ends both sockets",
    code: FEED('          this.frames?.end();\n          this.chat?.end();'),
  },
  {
    name: 'a static factory that hands the socket of the instance it makes to a reader',
    code: FEED('          this.frames?.end();').replace("feed.chat.write(", "attachReader(feed.chat);\n          feed.chat.write(").replace("import net from 'node:net';", "import net from 'node:net';\n      import { attachReader } from './line-reader';"),
  },
  {
    name: 'the same class quitting both clients',
    code: lobbyServer('          await Promise.all([this.pubClient.quit(), this.subClient.quit()]);'),
    ext: '.js',
  },
  {
    name: 'pools kept in fields: a class without any release (a process-wide holder), and one whose close() ends both',
    code: `
      import { Pool } from 'pg';
      export class Databases {
        readonly primary = new Pool({ connectionString: process.env.PRIMARY_URL });
        readonly replica = new Pool({ connectionString: process.env.REPLICA_URL });
      }
      export class Store {
        private readonly primary = new Pool({ connectionString: process.env.PRIMARY_URL });
        private readonly replica = new Pool({ connectionString: process.env.REPLICA_URL });
        read(id: string) { return this.replica.query('SELECT 1 WHERE $1::text IS NOT NULL', [id]); }
        write(id: string) { return this.primary.query('SELECT 2 WHERE $1::text IS NOT NULL', [id]); }
        async close() {
          await Promise.all([this.primary.end(), this.replica.end()]);
        }
      }`,
  },
  {
    name: 'a stop() that disconnects both Kafka clients',
    code: TRADES('await Promise.all([this.consumer?.disconnect(), this.admin?.disconnect()]);'),
  },
  {
    name: 'the same session closing both WebSockets',
    code: VENUE(`          this.trades.close(1000, 'shutdown');
          this.book.close(1000, 'shutdown');
          await Promise.all([once(this.trades, 'close'), once(this.book, 'close')]);`),
  },
  {
    name: 'a class keeping one WebSocket for good and no other connection: a live connection, not a forgotten one',
    code: `
      import WebSocket from 'ws';
      export class Ticker {
        readonly ws = new WebSocket('wss://stream.example.com/ticker');
        onTick(fn: (raw: string) => void) { this.ws.on('message', (m) => fn(m.toString())); }
      }`,
  },
  {
    name: "the providers' close() closing the glossary Client too",
    code: PROVIDERS('          await Promise.all([...this.pools.values()].map((p) => p.close()));\n          await this.glossary.close();'),
  },
  {
    name: "the game server link closing both sockets",
    code: GAME_LINK('          this.control.end();\n          this.telemetry.close();'),
  },
];
