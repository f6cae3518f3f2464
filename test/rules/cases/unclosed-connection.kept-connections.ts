// unclosed-connection: connections a function or class keeps, and how it lets them go. A factory whose returned
// handle closes a `let` its own `connect()` sets (`let ws = null; function connect() { ws = new WebSocket(url) }`)
// hands that WebSocket out, as one holding a `const` does. A keep-alive `setInterval` the function clears again
// keeps no upstream for later, so one nothing closes leaks. A class whose `stop()` clears its ping and retry
// timers ends its life there, and a WebSocket that stop() does not close stays open. A session whose `'close'`
// listener only compares it to the field (`if (this.session !== old) return`) is still the class's, and a redial
// that replaces it while open drops it. A controller socket kept through a named `'data'` listener
// (`const onData = () => { this.control = sock }`) and lent to the class's own `command()` is forgotten by a close()
// that closes only the line. An undici Pool lent to a class that keeps it in a field and only uses it
// (`new Uploads(this.uploadPool)`) is still its maker's to close. A connect timeout cleared once connected
// (`finally { clearTimeout(connectTimer) }`) closes nothing later: a `return` past it leaves the socket open. An agent lent
// to a resource class that sends through it as got's `agent: { https }` is still its maker's to destroy.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A lost-pet alert feed that reconnects; `use` is how the test uses what it returns. */
const ALERT_FEED = (use: string, start = 'connect();') => `
      import WebSocket from 'ws';
      import { test } from 'node:test';
      function subscribeAlerts(url) {
        let ws = null;
        let timer = null;
        let stopped = false;
        function connect() {
          ws = new WebSocket(url);
          ws.on('close', () => { if (!stopped) timer = setTimeout(connect, 1000); });
        }
        ${start}
        return {
          start() { if (!ws) connect(); },
          close() { stopped = true; clearTimeout(timer); if (ws) ws.close(); },
        };
      }
      test('delivers alerts', async () => {
        const feed = subscribeAlerts('ws://127.0.0.1:9000/lost');
${use}
      });`;

/** A dashboard session relaying an upstream alarm feed; `onClose` is the session's close listener body. */
const RELAY = (onClose: string) => `
      import WebSocket from 'ws';
      export function attachAlarmRelay(session: WebSocket, url: string): void {
        const upstream = new WebSocket(url, { handshakeTimeout: 5000 });
        upstream.on('message', (data) => { if (session.readyState === WebSocket.OPEN) session.send(data.toString()); });
        upstream.on('error', (err) => console.warn(err.message));
        const keepalive = setInterval(() => { if (upstream.readyState === WebSocket.OPEN) upstream.ping(); }, 20_000);
        session.on('close', () => {
          clearInterval(keepalive);
${onClose}
        });
      }`;

/** A collar feed with ping and retry timers; `stop` is its stop() body. */
const COLLAR_FEED = (stop: string) => `
      const WebSocket = require('ws');
      const { EventEmitter } = require('events');
      class CollarFeed extends EventEmitter {
        constructor(url) { super(); this.url = url; this.ws = null; this.pingTimer = null; this.retryTimer = null; this.stopped = true; }
        start() { this.stopped = false; this.open(); }
        open() {
          const ws = new WebSocket(this.url);
          this.ws = ws;
          ws.on('open', () => { this.pingTimer = setInterval(() => ws.ping(), 15_000); });
          ws.on('message', (data) => this.emit('fix', JSON.parse(data)));
          ws.on('close', () => {
            clearInterval(this.pingTimer);
            if (!this.stopped) this.retryTimer = setTimeout(() => this.open(), 1000);
          });
        }
        stop() {
${stop}
        }
      }
      module.exports = { CollarFeed };`;

/** A collector link re-dialled on a timer; `redial` is the body of redial(). */
const COLLECTOR_LINK = (redial: string) => `
      import http2 from 'node:http2';
      export class CollectorLink {
        private session: http2.ClientHttp2Session;
        private readonly redialTimer: NodeJS.Timeout;
        private closed = false;
        constructor(private readonly authority: string) {
          this.session = this.connect();
          this.redialTimer = setInterval(() => this.redial(), 15 * 60_000);
        }
        private connect(): http2.ClientHttp2Session {
          const session = http2.connect(this.authority);
          session.on('error', () => {});
          session.on('close', () => this.replace(session));
          return session;
        }
        private replace(old: http2.ClientHttp2Session): void {
          if (this.closed || this.session !== old) return;
          this.session = this.connect();
        }
        private redial(): void {
          if (this.closed) return;
${redial}
        }
        close(): void { this.closed = true; clearInterval(this.redialTimer); this.session.close(); }
      }`;

/** A ser2net port: a line transport and a controller socket; `close` is the body of close(). */
const SER2NET = (close: string) => `
      import net from 'node:net';
      interface Line { close(): Promise<void> }
      export class Ser2NetPort {
        private control: net.Socket | null = null;
        constructor(private readonly host: string, private readonly controlPort: number, readonly line: Line) {}
        async setLine(baud: number): Promise<void> {
          const control = await this.controlSocket();
          await this.command(control, 'setportconfig ' + baud);
        }
        private controlSocket(): Promise<net.Socket> {
          if (this.control && !this.control.destroyed) return Promise.resolve(this.control);
          return new Promise((resolve, reject) => {
            const sock = net.connect(this.controlPort, this.host);
            const onData = (d: Buffer) => {
              if (!d.toString('latin1').endsWith('-> ')) return;
              sock.off('data', onData);
              this.control = sock;
              resolve(sock);
            };
            sock.on('data', onData);
            sock.once('error', reject);
          });
        }
        private command(sock: net.Socket, cmd: string): Promise<string> {
          return new Promise((resolve) => {
            sock.once('data', (d: Buffer) => resolve(d.toString('latin1')));
            sock.write(cmd + '\\r\\n');
          });
        }
        close(): Promise<void> {
${close}
        }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a test that drops the handle of a feed whose connect() sets the factory's `let ws`",
    file: 'test/alerts.test.js',
    ext: '.js',
    code: ALERT_FEED('        await new Promise((r) => setTimeout(r, 50));'),
    errors: [{ line: 18, message: /^WebSocket from `subscribeAlerts\(\)` is never closed/ }],
  },
  {
    name: 'an upstream WebSocket kept alive by an interval its session clears, never closed',
    code: RELAY('          upstream.removeAllListeners(\'message\');'),
    errors: [{ line: 3, message: /^WebSocket from `ws` is not closed when the connection it serves \(line 2\) goes away/ }],
  },
  {
    name: 'a WebSocket field that stop() forgets while it clears the ping and retry timers',
    ext: '.js',
    code: COLLAR_FEED('          this.stopped = true;\n          clearTimeout(this.retryTimer);\n          clearInterval(this.pingTimer);'),
    errors: [{ line: 7, message: /^WebSocket from `ws` is kept in `this.ws`, and nothing in its class ever closes it/ }],
  },
  {
    name: "an HTTP/2 session re-dialled while open, its own 'close' listener comparing it to the field",
    code: COLLECTOR_LINK('          this.session = this.connect();'),
    errors: [{ line: 11, message: /^`this.session` is given a new HTTP\/2 session on line 22 while the one it holds may still be open/ }],
  },
  {
    name: 'a controller socket kept by a named data listener, forgotten by a close() that closes only the line',
    code: SER2NET('          return this.line.close();'),
    errors: [{ line: 13, message: /^Socket from `net.connect` is kept in `this.control`, and nothing in its class ever closes it/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same feed closed by the test',
    file: 'test/alerts.test.js',
    ext: '.js',
    code: ALERT_FEED('        feed.close();'),
  },
  {
    name: 'a feed that connects only in start(), dropped unstarted',
    file: 'test/alerts.test.js',
    ext: '.js',
    code: ALERT_FEED('        void feed;', ''),
  },
  {
    name: "the same relay whose session's close terminates the upstream",
    code: RELAY('          upstream.terminate();'),
  },
  {
    name: 'the same collar feed whose stop() closes the WebSocket too',
    ext: '.js',
    code: COLLAR_FEED('          this.stopped = true;\n          clearTimeout(this.retryTimer);\n          clearInterval(this.pingTimer);\n          if (this.ws) this.ws.close();'),
  },
  {
    name: 'a redial that closes the session it replaces',
    code: COLLECTOR_LINK('          const old = this.session;\n          this.session = this.connect();\n          old.close();'),
  },
  {
    name: 'the same port whose close() ends the controller socket too',
    code: SER2NET('          this.control?.destroy();\n          return this.line.close();'),
  },
];

/** An SDK client with an API pool and an uploads pool it lends to `Uploads`; `close` is its close() body. */
const SDK_CLIENT = (close: string) => `
      import { Pool } from 'undici';
      class Uploads {
        constructor(private readonly pool: Pool) {}
        async put(path: string, body: Buffer) {
          const { body: res } = await this.pool.request({ method: 'PUT', path, body });
          await res.dump();
        }
      }
      export class FoldkitClient {
        private readonly api: Pool;
        private readonly uploadPool: Pool;
        readonly uploads: Uploads;
        constructor(baseUrl: string, uploadsUrl: string) {
          this.api = new Pool(baseUrl);
          this.uploadPool = new Pool(uploadsUrl, { connections: 4 });
          this.uploads = new Uploads(this.uploadPool);
        }
        async close(): Promise<void> {
${close}
        }
      }`;

/** A bridge probe whose connect timeout is cleared once connected; `other` is what it does with a foreign banner. */
const PROBE = (other: string) => `
      import net from 'node:net';
      import { once } from 'node:events';
      export async function probeBridge(host: string, port: number, readBanner: (s: net.Socket) => Promise<string>) {
        const sock = net.createConnection({ host, port });
        const connectTimer = setTimeout(() => sock.destroy(new Error('connect timeout')), 1500);
        try {
          await once(sock, 'connect');
        } catch {
          return null;
        } finally {
          clearTimeout(connectTimer);
        }
        const banner = await readBanner(sock).catch(() => '');
        if (!banner.startsWith('>00ID')) {
${other}
          return null;
        }
        sock.end();
        return banner.slice(6);
      }`;

invalid.push(
  {
    name: 'an undici Pool a class lends to a helper class that only uses it, forgotten by the close() that closes its API pool',
    code: SDK_CLIENT('          await this.api.close();'),
    errors: [{ line: 15, message: /^Connection pool \(agent\/dispatcher\) from `undici.Pool` is kept in `this.uploadPool`, and nothing in its class ever closes it/ }],
  },
  {
    name: "a probe's socket left open on a foreign banner once its connect timeout has been cleared",
    code: PROBE('          console.debug(\'not a kiln bridge\');'),
    errors: [{ line: 4, message: /^Socket from `net.createConnection` is not closed when the `return` on line 16 is taken/ }],
  },
);

valid.push(
  {
    name: 'the same client whose close() closes the uploads pool too',
    code: SDK_CLIENT('          await this.api.close();\n          await this.uploadPool.close();'),
  },
  {
    name: 'the same probe destroying the socket on a foreign banner',
    code: PROBE('          sock.destroy();'),
  },
);

/** A UDP config channel whose failed send opens a fresh socket; `onFailure` runs before that `this.open()`. */
const CONFIG_CHANNEL = (onFailure: string) => `
      import dgram from 'node:dgram';
      export class ConfigChannel {
        constructor({ host, port }) { this.host = host; this.port = port; this.socket = null; }
        open() {
          this.socket = dgram.createSocket('udp4');
          this.socket.on('error', (err) => console.warn(err.message));
          this.socket.connect(this.port, this.host);
          return this;
        }
        push(frame) {
          return new Promise((resolve, reject) => {
            this.socket.send(frame, (err) => {
              if (err) {
${onFailure}
                this.open();
                reject(err);
                return;
              }
              resolve();
            });
          });
        }
        close() { const s = this.socket; this.socket = null; if (s) s.close(); }
      }`;

invalid.push({
  name: "a UDP socket replaced after its failed send (ECONNREFUSED of a connected socket leaves it open)",
  ext: '.mjs',
  code: CONFIG_CHANNEL('                console.warn(\'gateway forgot us\');'),
  errors: [{ line: 5, message: /^`this.socket` is given a new UDP socket on line 5 while the one it holds may still be open/ }],
});
valid.push({
  name: 'the same channel closing the old socket before it opens a fresh one',
  ext: '.mjs',
  code: CONFIG_CHANNEL('                this.socket.close();'),
});

/** A shop client with two agents: `close()` destroys the API one; the media one is lent to a resource that uses it as got's `agent: { https }`. */
const SHOP_CLIENT = (close: string) => ({
  code: `
      import https from 'node:https';
      import { Catalog } from './catalog';
      export class BonsaiShop {
        readonly catalog: Catalog;
        private readonly apiAgent: https.Agent;
        private readonly mediaAgent: https.Agent;
        constructor() {
          this.apiAgent = new https.Agent({ keepAlive: true, maxSockets: 16 });
          this.mediaAgent = new https.Agent({ keepAlive: true, maxSockets: 4 });
          this.catalog = new Catalog(this.mediaAgent);
        }
        close(): void {
          ${close}
        }
      }`,
  files: {
    'catalog.ts': `import got from 'got';
import type { Agent } from 'node:https';
export class Catalog {
  constructor(private readonly mediaAgent: Agent) {}
  careSheet(id: string): Promise<Buffer> {
    return got('https://cdn.example/care/' + id + '.pdf', { agent: { https: this.mediaAgent } }).buffer();
  }
}
`,
  },
});

invalid.push({
  name: "a client whose close() destroys one agent and forgets the other, which it lends to a resource that only sends through it (got's `agent: { https }`)",
  ...SHOP_CLIENT('this.apiAgent.destroy();'),
  errors: [{ line: 9, message: /^Connection pool \(agent\/dispatcher\) from `https.Agent` is kept in `this.mediaAgent`/ }],
});
valid.push({
  name: 'the same client destroying both agents',
  ...SHOP_CLIENT('this.apiAgent.destroy();\n          this.mediaAgent.destroy();'),
});
