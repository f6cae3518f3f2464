// unclosed-connection: how a test's own objects end. An after hook that closes every fake server of a list
// (`for (const { server } of [dmm, mute]) server.close()`) closes each one of it; one left out of the list is
// still open. A test that waits for a recorder's `'complete'`, which the recorder emits from its socket's
// `'end'` listener, has seen that socket end (Node ends a socket its peer ends, unless `allowHalfOpen`);
// one that waits only for an event of its data has not. A client a `beforeAll` connects and lends to a worker, which keeps
// it in `this.base` and only uses it (`this.base.duplicate()`, `rPush`), is still the suite's to quit. A test that asserts a
// client's liveness getter false (`expect(client.healthy).toBe(false)`, `get healthy() { return !this.socket.destroyed }`)
// passes only once its socket is gone. A gRPC server a helper starts with `bindAsync()` and returns beside its port
// (`return { server, port }`) is dropped by a hook that keeps only the port; a harness whose `stop()` shuts its gRPC
// server down with `tryShutdown()` (the server's own release) is closed by a suite that stops it.
// A class destructured from an awaited `import()` (a test importing after its set-up) is the module's class.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** Two fake instruments in a suite; `closed` is the list its after hook closes. */
const FAKE_INSTRUMENTS = (closed: string) => `
      import net from 'node:net';
      import { once } from 'node:events';
      function fakeDmm(replies: Record<string, string>) {
        const sockets = new Set<net.Socket>();
        const server = net.createServer((sock) => {
          sockets.add(sock);
          sock.on('data', (d) => { const r = replies[d.toString().trim()]; if (r) sock.write(r + '\\n'); });
        });
        return { server, sockets };
      }
      describe('instrument', () => {
        const dmm = fakeDmm({ '*IDN?': 'Keysight,34465A' });
        const mute = fakeDmm({});
        before(async () => {
          dmm.server.listen(0, '127.0.0.1');
          mute.server.listen(0, '127.0.0.1');
          await Promise.all([once(dmm.server, 'listening'), once(mute.server, 'listening')]);
        });
        after(async () => {
          for (const { server, sockets } of ${closed}) {
            for (const s of sockets) s.destroy();
            await new Promise<void>((resolve) => server.close(() => resolve()));
          }
        });
        it('identifies', () => {});
      });`;

/** A downlink recorder whose socket's end emits 'complete'; the test awaits `event`. */
const RECORDER = (event: string) => `
      const net = require('node:net');
      const { once, EventEmitter } = require('node:events');
      class DownlinkRecorder extends EventEmitter {
        constructor({ host, port }) { super(); this.host = host; this.port = port; this.socket = undefined; }
        start() {
          return new Promise((resolve, reject) => {
            const sock = net.connect({ host: this.host, port: this.port });
            sock.once('error', reject);
            sock.once('readable', () => {
              const header = sock.read(32);
              this.socket = sock;
              sock.on('data', (d) => this.emit('frames', d.length));
              sock.on('end', () => this.emit('complete', { bytes: sock.bytesRead }));
              resolve(header);
            });
          });
        }
        stop() {
          if (this.socket) this.socket.destroy();
          this.socket = undefined;
        }
      }
      describe('DownlinkRecorder', () => {
        it('records a pass', async () => {
          const recorder = new DownlinkRecorder({ host: '127.0.0.1', port: 7001 });
          const done = once(recorder, '${event}');
          await recorder.start();
          await done;
        });
      });`;

/** A suite lending its Redis client to a worker; `stop` is the worker's stop() body, `after` the suite's last lines. */
const WORKER_SUITE = (stop: string, after = '') => `
      import { beforeAll, describe, it } from 'vitest';
      import { createClient } from 'redis';
      class StandingsWorker {
        constructor(redis, { queue }) { this.base = redis; this.queue = queue; this.conn = null; }
        async start() { this.conn = this.base.duplicate(); await this.conn.connect(); }
        async park(item) { await this.base.rPush(this.queue + ':failed', item); }
        async stop() {
${stop}
        }
      }
      describe('StandingsWorker', () => {
        let redis;
        beforeAll(async () => {
          redis = createClient({ url: 'redis://127.0.0.1:6379/15' });
          await redis.connect();
        });
        it('applies results', async () => {
          const worker = new StandingsWorker(redis, { queue: 'results' });
          await worker.start();
          await worker.stop();
        });${after}
      });`;

/** A wind-chest client whose command timeout destroys its socket; the test ends with `check`. */
const WIND_CHEST = (check: string) => `
      import tls from 'node:tls';
      import { once } from 'node:events';
      import { expect, it } from 'vitest';
      class WindChestClient {
        private socket?: tls.TLSSocket;
        constructor(private readonly port: number) {}
        async open(): Promise<this> {
          const socket = tls.connect({ host: 'localhost', port: this.port });
          await once(socket, 'secureConnect');
          this.socket = socket;
          return this;
        }
        get healthy(): boolean {
          return !!this.socket && !this.socket.destroyed;
        }
        command(line: string): Promise<string> {
          const socket = this.socket!;
          return new Promise((resolve, reject) => {
            const timer = setTimeout(() => { socket.destroy(); reject(new Error('no answer')); }, 200);
            socket.once('data', (d) => { clearTimeout(timer); resolve(String(d)); });
            socket.write(line + '\\n');
          });
        }
        close(): void { this.socket?.end(); }
      }
      it('drops the connection when the controller stops answering', async () => {
        const client = await new WindChestClient(7443).open();
        await expect(client.command('HANG')).rejects.toThrow(/no answer/);
        ${check}
      });`;

export const invalid: InvalidCase[] = [
  {
    name: 'a client the test leaves healthy (`expect(client.healthy).toBe(true)`): its socket still open',
    file: 'test/windChest.test.ts',
    code: WIND_CHEST('expect(client.healthy).toBe(true);'),
    errors: [{ line: 27, message: /^Connection-owning object from `new WindChestClient\(\)` is never closed/ }],
  },
  {
    name: 'a Redis client a beforeAll connects and lends to a worker that only uses it, never quit',
    file: 'test/standings-worker.test.js',
    ext: '.js',
    code: WORKER_SUITE('          await this.conn.quit();'),
    errors: [{ line: 14, message: /^The Redis connection from `redis.createClient` that a test hook keeps in `redis`/ }],
  },
  {
    name: "a second fake server its suite's after hook leaves out of the list it closes",
    file: 'test/scpi.test.ts',
    code: FAKE_INSTRUMENTS('[dmm]'),
    errors: [{ line: 13, message: /^Server from `fakeDmm\(\)` is never closed/ }],
  },
  {
    name: 'a recorder a passing test waits on only for its first frames, its socket still open',
    file: 'test/downlink.test.js',
    ext: '.js',
    code: RECORDER('frames'),
    errors: [{ line: 25, message: /^Connection-owning object from `new DownlinkRecorder\(\)` is never closed/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "a client the test passes only once its liveness getter is false: its command timeout destroyed the socket",
    file: 'test/windChest.test.ts',
    code: WIND_CHEST('expect(client.healthy).toBe(false);'),
  },
  {
    name: 'the same client quit by the suite after its tests',
    file: 'test/standings-worker.test.js',
    ext: '.js',
    code: WORKER_SUITE('          await this.conn.quit();', "\n        afterAll(() => redis.quit());"),
  },
  {
    name: 'the same client handed to a worker whose stop() quits it',
    file: 'test/standings-worker.test.js',
    ext: '.js',
    code: WORKER_SUITE('          await this.conn.quit();\n          await this.base.quit();'),
  },
  {
    name: "both fake servers closed by the after hook's loop over the list of them",
    file: 'test/scpi.test.ts',
    code: FAKE_INSTRUMENTS('[dmm, mute]'),
  },
  {
    name: "a recorder the test waits on until 'complete', emitted when its socket has ended",
    file: 'test/downlink.test.js',
    ext: '.js',
    code: RECORDER('complete'),
  },
];

/** A suite over a gRPC server a helper starts with `bindAsync()` and returns beside its port; `kept` is what the hook takes. */
const GRPC_SUITE = (kept: string, after: string) => ({
  file: 'test/interlocking.test.ts',
  code: `
      import * as grpc from '@grpc/grpc-js';
      import { startGrpcServer } from '../src/server';
      describe('interlocking', () => {
        let client: grpc.Client;
        let server: grpc.Server | undefined;
        beforeAll(async () => {
          ${kept}
          client = new grpc.Client('127.0.0.1:' + port, grpc.credentials.createInsecure());
        });
        afterAll(() => {
          client.close();${after}
        });
        it('answers', () => {});
      });`,
  files: {
    'src/server.ts': `import * as grpc from '@grpc/grpc-js';
export async function startGrpcServer(address: string): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server();
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  return { server, port };
}
`,
  },
});

invalid.push({
  name: 'a gRPC server a helper binds with bindAsync() and returns beside its port, the hook keeping only the port',
  ...GRPC_SUITE("const { port } = await startGrpcServer('127.0.0.1:0');", ''),
  errors: [{ line: 7, message: /^Server from `startGrpcServer\(\)` is dropped where it is created/ }],
});
valid.push({
  name: 'the same server kept by the hook and shut down after the tests',
  ...GRPC_SUITE("const started = await startGrpcServer('127.0.0.1:0');\n          server = started.server;\n          const port = started.port;", '\n          server?.forceShutdown();'),
});

/** A mocha suite whose hook keeps a harness a helper returns: the bound gRPC server and a `stop()` that shuts it down. */
const HARNESS_SUITE = (after: string) => ({
  code: `
      import { startTestServer, Harness } from './helpers';
      describe('WatchBird', () => {
        let harness: Harness;
        before(async () => {
          harness = await startTestServer({});
        });${after}
        it('answers', () => {});
      });`,
  files: {
    'helpers.ts': `import * as grpc from '@grpc/grpc-js';
export interface Harness { server: grpc.Server; port: number; stop(): Promise<void> }
export async function startTestServer(impl: Record<string, unknown>): Promise<Harness> {
  const server = new grpc.Server();
  server.addService({} as grpc.ServiceDefinition, impl as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { server, port, stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}
`,
  },
});

valid.push({
  name: "a harness whose stop() shuts down the gRPC server with tryShutdown(), stopped after the tests",
  ...HARNESS_SUITE('\n        after(async () => {\n          await harness.stop();\n        });'),
});
invalid.push({
  name: 'the same harness never stopped: its gRPC server stays bound after the tests',
  ...HARNESS_SUITE(''),
  errors: [{ line: 5, message: /from `startTestServer\(\)` that a test hook keeps in `harness` \(line 5\) is never closed/ }],
});

/** A mocha suite whose helper opens an HTTP/2 session per request and never closes it; `close` is the board's `close()` body. */
const NOTICE_BOARD_SUITE = (close: string) => ({
  code: `
      import http2 from 'node:http2';
      import { createNoticeBoard } from './noticeBoard.js';
      function get(origin, path) {
        return new Promise((resolve, reject) => {
          const session = http2.connect(origin);
          session.on('error', reject);
          const req = session.request({ ':path': path });
          let body = '';
          req.setEncoding('utf8');
          req.on('data', (chunk) => { body += chunk; });
          req.on('end', () => resolve(body));
          req.end();
        });
      }
      describe('notice board', () => {
        let board;
        let origin;
        before(async () => {
          board = createNoticeBoard();
          const { port } = await board.listen(0);
          origin = 'http://localhost:' + port;
        });
        after(() => board.close());
        it('serves the state', async () => {
          await get(origin, '/state');
        });
      });`,
  ext: '.js' as const,
  file: 'test/noticeBoard.test.js',
  files: {
    'test/noticeBoard.js': `import http2 from 'node:http2';
export function createNoticeBoard() {
  const sessions = new Set();
  const server = http2.createServer();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream) => stream.end('{}'));
  return {
    listen(port) {
      return new Promise((resolve) => server.listen(port, () => resolve(server.address())));
    },
    close() {
      ${close}
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
`,
  },
});

valid.push({
  name: "an HTTP/2 session per request left to the suite's server, whose close() closes every server session (GOAWAY shuts the client down)",
  ...NOTICE_BOARD_SUITE('for (const session of sessions) session.close();'),
});
invalid.push({
  name: "the same sessions when the server's close() only stops listening: each client session stays open",
  ...NOTICE_BOARD_SUITE(''),
  errors: [{ line: 5, message: /^HTTP\/2 session from `http2.connect` is never closed/ }],
});

/** A vitest test that imports the client class after its set-up (`await import(…)`); `end` ends the test. */
const LATE_IMPORT = (end: string) => ({
  code: `
      import { expect, it } from 'vitest';
      it('reads berth particulars', async () => {
        process.env.HARBOUR_URL = 'http://127.0.0.1:8443';
        const { HarbourApi } = await import('./harbourApi.js');
        const api = new HarbourApi(process.env.HARBOUR_URL);
        const berth = await api.get('/v2/berths/4');
        expect(berth.depthM).toBeCloseTo(11.2);${end}
      });`,
  file: 'test/assignments.test.ts',
  files: {
    'test/harbourApi.ts': `import http2 from 'node:http2';
export class HarbourApi {
  private session: http2.ClientHttp2Session;
  constructor(authority: string) {
    this.session = http2.connect(authority);
  }
  async get(path: string): Promise<any> {
    const req = this.session.request({ ':path': path });
    let data = '';
    req.setEncoding('utf8');
    for await (const chunk of req) data += chunk;
    return JSON.parse(data);
  }
  close(): void {
    this.session.close();
  }
}
`,
  },
});

invalid.push({
  name: 'a client whose class a test destructures from an awaited import() and never closes',
  ...LATE_IMPORT(''),
  errors: [{ line: 5, message: /^Connection-owning object from `new HarbourApi\(\)` is never closed/ }],
});
valid.push({
  name: 'the same client closed at the end of the test',
  ...LATE_IMPORT('\n        api.close();'),
});
