// `linger/sockets` through the language server: real loopback sockets made here (a listening
// server, connections it leaves in CLOSE_WAIT) read back by the built server, with the listen()
// site of the workspace attached to the port; and the failure answers (unsupported platform,
// unreadable /proc) the view shows instead of failing silently.
import * as assert from 'assert';
import { once } from 'events';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import type { ServerContext } from '../../server/src/lsp/context';
import { liveSockets } from '../../server/src/lsp/sockets';
import type { SocketsResult } from '../../server/src/protocol';
import type { Service } from '../../server/src/sockets/types';
import { TestClient } from './client';

type Ok = Extract<SocketsResult, { ok: true }>;

describe('lsp: linger/sockets on live loopback connections (Linux)', function () {
  const N = 3;
  const cleanups: Array<() => void> = [];
  let client: TestClient;
  let root: string;
  let app: string;
  let port: number;
  const listenLine = 5;

  before(async function () {
    if (process.platform !== 'linux') this.skip();
    // allowHalfOpen: Node would otherwise end the socket for us on the client's FIN. The server
    // never ends the accepted sockets, so they stay in CLOSE_WAIT.
    const server = net.createServer({ allowHalfOpen: true }, (socket) => {
      cleanups.push(() => socket.destroy());
    });
    cleanups.push(() => server.close());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as net.AddressInfo).port;

    // A workspace whose code listens on that very port, so the report can link it.
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-sockets-'));
    cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'sockets-ws', private: true }));
    fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs', target: 'es2022', types: [] }, include: ['src'] }));
    app = path.join(root, 'src', 'app.ts');
    fs.writeFileSync(app, [
      "import * as net from 'net';",
      '',
      '// Never ends the sockets it accepts.',
      'const server = net.createServer({ allowHalfOpen: true }, () => undefined);',
      `server.listen(${port}, '127.0.0.1');`,
      '',
    ].join('\n'));

    for (let i = 0; i < N; i++) {
      const socket = net.connect({ port, host: '127.0.0.1' });
      cleanups.push(() => socket.destroy());
      await once(socket, 'connect');
      socket.end();
    }
    client = await TestClient.start({ rootPath: root });
  });

  after(async () => {
    await client?.stop();
    for (const cleanup of cleanups.reverse()) cleanup();
  });

  const inbound = (r: Ok) => r.report.services.find((s: Service) => s.direction === 'inbound' && s.port === port);

  /** Polls `linger/sockets` until `ready` holds, for at most 20 s; fails with the last answer. */
  async function until(ready: (r: Ok) => boolean, params: Record<string, unknown> = {}): Promise<Ok> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const r = await client.request<SocketsResult>('linger/sockets', params);
      assert.ok(r.ok, `linger/sockets failed: ${JSON.stringify(r)}`);
      if (ready(r)) return r;
      if (Date.now() > deadline) assert.fail(`the report never got there:\n${JSON.stringify({ ...r, report: { ...r.report, services: r.report.services.filter((s) => s.port === port) } }, null, 2)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('reports the listening port with its CLOSE_WAIT count and links its listen() site', async () => {
    const r = await until((x) => inbound(x)?.states.CLOSE_WAIT === N && (inbound(x)?.code.length ?? 0) > 0);
    const service = inbound(r)!;
    assert.strictEqual(r.platform, 'linux');
    assert.deepStrictEqual(Object.entries(service.states), [['CLOSE_WAIT', N], ['TIME_WAIT', 0], ['LISTEN', 1]]);
    assert.deepStrictEqual(service.code, [{ file: app.split(path.sep).join('/'), line: listenLine }]);
    assert.deepStrictEqual(service.processes.map((p) => p.pid), [process.pid]);
    // CLOSE_WAIT first: ours sorts before every service without CLOSE_WAIT.
    const firstWithout = r.report.services.findIndex((s) => (s.states.CLOSE_WAIT ?? 0) === 0);
    assert.ok(firstWithout === -1 || r.report.services.indexOf(service) < firstWithout);
    // The client side of each connection: FIN sent, waiting for the server's (FIN_WAIT2), outbound to the port.
    const outbound = r.report.services.find((s) => s.direction === 'outbound' && s.port === port);
    assert.strictEqual(outbound?.states.FIN_WAIT2, N);
    assert.deepStrictEqual(r.report.ephemeralRange.length, 2);
    assert.deepStrictEqual(r.report.sockets, [], 'socket rows only on request');
    assert.ok(r.socketCount >= 2 * N + 1);
    assert.strictEqual(r.inventory.source, 'scan');
    assert.ok(typeof r.takenAt === 'number' && Math.abs(Date.now() - r.takenAt) < 60_000);
  });

  it('filters by port and state, and includes socket rows when asked', async () => {
    const r = await until(() => true, { port, state: 'close-wait', includeSockets: true });
    assert.deepStrictEqual(r.report.services.map((s) => [s.direction, s.port, s.states.CLOSE_WAIT]), [['inbound', port, N]]);
    assert.strictEqual(r.report.sockets.length, N);
    assert.ok(r.report.sockets.every((s) => s.state === 'CLOSE_WAIT' && s.localPort === port && s.localAddress === '127.0.0.1' && s.pid === process.pid));
  });

  it('uses the listen() sites of a workspace audit once one ran', async () => {
    await client.request('linger/audit', {});
    const r = await until((x) => x.inventory.source === 'audit');
    assert.strictEqual(r.inventory.partial, false);
    assert.deepStrictEqual(inbound(r)?.code, [{ file: app.split(path.sep).join('/'), line: listenLine }]);
  });

  it('rejects malformed params with InvalidParams and keeps serving', async () => {
    for (const params of [{ port: 'x' }, { port: 70000 }, { state: 'NOT_A_STATE' }, { state: 3 }]) {
      await assert.rejects(client.request('linger/sockets', params), (e: { code?: number }) => e.code === -32602, JSON.stringify(params));
    }
    for (const params of [null, [], 'nonsense']) {
      const r = await client.request<SocketsResult>('linger/sockets', params);
      assert.ok(r.ok, JSON.stringify(params));
    }
  });
});

describe('lsp: linger/sockets where sockets cannot be read', () => {
  const logs: string[] = [];
  const ctx = {
    log: (m: string) => void logs.push(m),
    inventory: { get: async () => ({ source: 'none', partial: false, listeners: 0, all: [] }) },
  } as unknown as ServerContext;
  const refuse = async () => {
    throw new Error("EACCES: permission denied, open '/proc/net/tcp'");
  };

  it('says the platform is not supported, as an answer', async () => {
    const r = await liveSockets(ctx, {}, { platform: 'aix', readFile: refuse, readdir: refuse, readlink: refuse, execFile: refuse });
    assert.strictEqual(r.ok, false);
    assert.ok(!r.ok && r.platform === 'aix' && /not supported on aix/.test(r.reason), JSON.stringify(r));
  });

  it('gives the reason when /proc cannot be read', async () => {
    const r = await liveSockets(ctx, {}, { platform: 'linux', readFile: refuse, readdir: refuse, readlink: refuse, execFile: refuse });
    assert.ok(!r.ok && /EACCES: permission denied, open '\/proc\/net\/tcp'/.test(r.reason), JSON.stringify(r));
  });

  it('gives the reason when netstat fails (macOS, Windows)', async () => {
    const fail = async () => {
      throw new Error('netstat -an failed: spawn netstat ENOENT');
    };
    const r = await liveSockets(ctx, {}, { platform: 'darwin', readFile: refuse, readdir: refuse, readlink: refuse, execFile: fail });
    assert.ok(!r.ok && /netstat -an failed/.test(r.reason), JSON.stringify(r));
  });
});
