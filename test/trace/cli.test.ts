// `linger trace` as a command: the traced app's output and exit code are its own, a clean app has
// no CLOSE_WAIT site, source maps lead to the TypeScript line, SIGUSR2 and --watch report while the
// app runs, sockets no channel reports are counted (and located with --all-sockets), bad usage
// exits 2.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { runTraceCommand } from '../../server/src/trace/cli';
import type { TraceReport } from '../../server/src/trace/types';
import { ROOT, requireBuild, siteAt, tempDir, trace, untraced, until, writeApp } from './helpers';

const BIN = path.join(ROOT, 'bin', 'linger.js');

describe('linger trace: the command', function () {
  before(function () {
    if (process.platform !== 'linux') this.skip();
    requireBuild();
  });

  it("leaves the app's stdout, stderr and exit code as they are", async () => {
    const dir = tempDir();
    writeApp(dir, 'app.js', [
      "const net = require('net');",
      "const server = net.createServer((s) => s.end('bye')).listen(0, '127.0.0.1', () => {",
      "  const c = net.connect(server.address().port, '127.0.0.1');",
      "  c.on('data', (d) => process.stdout.write(`got ${d}\\n`));",
      "  c.on('close', () => { server.close(); console.error('to stderr'); process.stdout.write('out\\n'); process.exitCode = 7; });",
      '});',
    ]);
    const plain = await untraced({ cwd: dir, command: [process.execPath, 'app.js'] });
    const traced = await trace({ cwd: dir, command: [process.execPath, 'app.js'] });
    assert.equal(plain.code, 7);
    assert.equal(traced.code, 7);
    assert.equal(traced.stdout, plain.stdout);
    assert.equal(traced.stdout, 'got bye\nout\n');
    assert.equal(traced.stderr, plain.stderr);
    assert.equal(traced.report.exitCode, 7);
    assert.equal(traced.report.sites.length, 2);
  });

  it('reports no site with CLOSE_WAIT or unconsumed responses for a clean app', async () => {
    const dir = tempDir();
    writeApp(dir, 'clean.js', [
      "const http = require('http');",
      "const server = http.createServer((req, res) => res.end('x'.repeat(50000)));",
      "server.listen(0, '127.0.0.1', async () => {",
      '  const agent = new http.Agent({ keepAlive: true });',
      '  for (let i = 0; i < 10; i++) {',
      "    await new Promise((resolve) => http.get({ host: '127.0.0.1', port: server.address().port, agent }, (res) => { res.resume(); res.on('end', resolve); }));",
      "    await fetch(`http://127.0.0.1:${server.address().port}/`).then((r) => r.text());",
      '  }',
      '  // The client closes first; exit once the server has closed its side (the fetch connection stays open).',
      '  agent.destroy();',
      '  const check = () => server.getConnections((e, n) => (n <= 1 ? process.exit(0) : setTimeout(check, 10)));',
      '  check();',
      '});',
    ]);
    const r = await trace({ cwd: dir, command: [process.execPath, 'clean.js'] });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.report.sites.length >= 3, 'the server, the http client and fetch are sites');
    for (const site of r.report.sites) {
      assert.equal(site.closeWait.count, 0, `${site.file}:${site.line} ${site.kind}`);
      assert.equal(site.unconsumedResponses, 0, `${site.file}:${site.line} ${site.kind}`);
    }
    const http = r.report.sites.find((s) => s.kind === 'http')!;
    assert.equal(http.requests, 10);
    assert.equal(http.sockets.opened, 1, 'one keep-alive connection');
    assert.equal(http.rule, null);
  });

  it('traces worker threads too (the reason for --require over --import)', async () => {
    const dir = tempDir();
    const worker = writeApp(dir, 'worker.js', [
      "const net = require('net');",
      "const { workerData } = require('worker_threads');",
      "// process.exit in a worker ends only the worker (its exit handlers run; terminate() would skip them).",
      "const socket = net.connect(workerData, '127.0.0.1', () => { socket.end(); process.exit(0); }); // @site:connect",
    ]);
    writeApp(dir, 'main.js', [
      "const net = require('net');",
      "const { Worker } = require('worker_threads');",
      "const server = net.createServer((s) => s.resume()).listen(0, '127.0.0.1', () => {",
      "  const w = new Worker(require('path').join(__dirname, 'worker.js'), { workerData: server.address().port });",
      "  w.on('exit', () => process.exit(0));",
      '});',
    ]);
    const r = await trace({ cwd: dir, command: [process.execPath, 'main.js'] });
    assert.equal(r.code, 0, r.stderr);
    const site = siteAt(r.report, worker.file, worker.line('connect'));
    assert.equal(site.sockets.opened, 1);
    assert.ok(r.report.processes.some((p) => p.threadId > 0), JSON.stringify(r.report.processes));
  });

  it("credits the connections undici opens on its own to the fetch() that uses them", async () => {
    const dir = tempDir();
    const app = writeApp(dir, 'refetch.js', [
      "const http = require('http');",
      "// Cancelling a body destroys its connection, and undici reconnects from the socket's 'close' event.",
      "const server = http.createServer((req, res) => res.end(Buffer.alloc(100 * 1024)));",
      "server.listen(0, '127.0.0.1', async () => {",
      '  for (let i = 0; i < 12; i++) {',
      '    const res = await fetch(`http://127.0.0.1:${server.address().port}/`); // @site:fetch',
      '    await res.body.cancel();',
      '  }',
      '  process.exit(0);',
      '});',
    ]);
    const r = await trace({ cwd: dir, command: [process.execPath, 'refetch.js'] });
    assert.equal(r.code, 0, r.stderr);
    const site = siteAt(r.report, app.file, app.line('fetch'));
    assert.equal(site.requests, 12);
    assert.equal(site.unconsumedResponses, 0);
    assert.deepEqual(r.report.sites.filter((s) => s.kind === 'fetch' && s.file === null), []);
  });

  it('names the TypeScript line of a compiled app through its source map', async () => {
    const dir = tempDir();
    const source = writeApp(dir, 'src/app.ts', [
      "import * as net from 'net';",
      '',
      'interface Target {',
      '  host: string;',
      '  port: number;',
      '}',
      '',
      'type Port = number;',
      '',
      'export function open(target: Target): net.Socket {',
      '  const socket: net.Socket = net.connect(target.port, target.host); // @site:connect',
      '  return socket;',
      '}',
      '',
      "const server = net.createServer((s: net.Socket) => s.destroy()).listen(0, '127.0.0.1', () => {",
      "  const s = open({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port as Port });",
      "  s.on('close', () => server.close());",
      '});',
    ]);
    const out = ts.transpileModule(fs.readFileSync(source.file, 'utf8'), {
      fileName: 'app.ts',
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, sourceMap: true, sourceRoot: '../src' },
    });
    fs.mkdirSync(path.join(dir, 'out'));
    fs.writeFileSync(path.join(dir, 'out', 'app.js'), out.outputText.replace(/\/\/# sourceMappingURL=.*/, '//# sourceMappingURL=app.js.map'));
    fs.writeFileSync(path.join(dir, 'out', 'app.js.map'), out.sourceMapText!);
    const jsLine = out.outputText.split('\n').findIndex((l) => l.includes('net.connect(')) + 1;
    assert.notEqual(jsLine, source.line('connect'), 'the test needs compiled lines that differ');

    const r = await trace({ cwd: dir, command: [process.execPath, 'out/app.js'] });
    assert.equal(r.code, 0, r.stderr);
    const site = siteAt(r.report, source.file, source.line('connect'));
    assert.equal(site.file, 'src/app.ts');
    assert.equal(site.function, 'open');
    assert.equal(site.kind, 'client');
  });

  it('reports on SIGUSR2 while the app runs, and --watch prints the table as it goes', async () => {
    const dir = tempDir();
    writeApp(dir, 'wait.js', [
      "const net = require('net');",
      "const server = net.createServer({ allowHalfOpen: true }, () => {}).listen(0, '127.0.0.1', () => {",
      "  const c = net.connect(server.address().port, '127.0.0.1', () => { c.end(); console.log('ready'); });",
      "  process.stdin.once('data', () => process.exit(0));",
      '});',
    ]);
    const output = path.join(dir, 'live.json');
    const linger = spawn(process.execPath, [BIN, 'trace', '--watch', '--interval', '0.2', '--format', 'json', '--output', output, '--', process.execPath, 'wait.js'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    linger.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    linger.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const closed = new Promise<number | null>((resolve) => linger.on('close', resolve));
    await until('the app to be ready', () => stdout.includes('ready'));
    const live = await until('a report of the running app with the CLOSE_WAIT socket', () => {
      if (!fs.existsSync(output)) return undefined;
      const report = JSON.parse(fs.readFileSync(output, 'utf8')) as TraceReport;
      return report.endedAt === null && report.sites.some((s) => s.closeWait.count === 1) ? report : undefined;
    });
    assert.equal(live.exitCode, null);
    fs.rmSync(output);
    linger.kill('SIGUSR2');
    const onSignal = await until('the report written on SIGUSR2', () => fs.existsSync(output) && (JSON.parse(fs.readFileSync(output, 'utf8')) as TraceReport));
    assert.equal(onSignal.endedAt, null);
    linger.stdin.end('exit\n');
    assert.equal(await closed, 0);
    assert.match(stderr, /^linger trace: .*wait\.js — .* running, 1 process, states from \/proc\/net\/tcp every 0\.2 s$/m);
    assert.match(stderr, /half-open-socket: 1 socket accepted by the server listening at wait\.js:2 in CLOSE_WAIT/);
    const final = JSON.parse(fs.readFileSync(output, 'utf8')) as TraceReport;
    assert.equal(final.exitCode, 0);
    assert.notEqual(final.endedAt, null);
  });

  describe('sockets no diagnostics channel reports (new net.Socket().connect(), tls.connect)', () => {
    const lines = [
      "const net = require('net');",
      "const tls = require('tls');",
      "const server = net.createServer({ allowHalfOpen: true }, () => {}).listen(0, '127.0.0.1', () => {",
      '  const port = server.address().port;',
      '  const raw = new net.Socket();',
      "  raw.connect(port, '127.0.0.1', () => raw.end()); // @site:raw",
      "  const secure = tls.connect({ port, host: '127.0.0.1' }); // @site:tls",
      "  secure.on('error', () => {});",
      "  let connected = 0;",
      "  const ready = () => { if (++connected === 2) console.log('ready', port); };",
      "  raw.on('connect', ready);",
      "  secure.on('connect', ready);",
      "  process.stdin.once('data', () => process.exit(0));",
      '});',
    ];

    it('are counted, joined with the kernel, and named as unseen without --all-sockets', async () => {
      const dir = tempDir();
      writeApp(dir, 'raw.js', lines);
      const r = await trace({ cwd: dir, command: [process.execPath, 'raw.js'], ready: /ready/ });
      assert.equal(r.code, 0, r.stderr);
      const unseen = r.report.sites.filter((s) => s.file === null);
      assert.equal(unseen.length, 1, JSON.stringify(r.report.sites.map((s) => [s.file, s.kind])));
      assert.equal(unseen[0].sockets.opened, 2);
      assert.match(unseen[0].unseen!, /--all-sockets/);
      assert.equal(r.report.processes[0].unseenSockets, 2);
    });

    it('get their lines with --all-sockets', async () => {
      const dir = tempDir();
      const app = writeApp(dir, 'raw.js', lines);
      const r = await trace({ cwd: dir, command: [process.execPath, 'raw.js'], ready: /ready/, options: ['--all-sockets'] });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(siteAt(r.report, app.file, app.line('raw')).sockets.opened, 1);
      assert.equal(siteAt(r.report, app.file, app.line('tls')).kind, 'tls');
      assert.equal(r.report.sites.filter((s) => s.file === null).length, 0);
    });
  });

  it("without /proc (macOS, Windows), counts from the sockets' own events and says so", async () => {
    const dir = tempDir();
    const app = writeApp(dir, 'events.js', [
      "const net = require('net');",
      'let ended = 0;',
      "const server = net.createServer({ allowHalfOpen: true }, (s) => { s.resume(); s.on('end', () => ++ended === 2 && process.exit(0)); });",
      "server.listen(0, '127.0.0.1', () => { // @site:listen",
      "  for (let i = 0; i < 2; i++) net.connect(server.address().port, '127.0.0.1', function () { this.end(); });",
      '});',
    ]);
    const output = path.join(dir, 'events.json');
    const noProc = { platform: 'darwin', readFile: () => Promise.reject(new Error('no /proc')), readdir: async () => [], readlink: async () => '', execFile: async () => '' };
    const code = await runTraceCommand(['--format', 'json', '--output', output, '--', process.execPath, 'events.js'], { cwd: dir, stdout: () => undefined, stderr: () => undefined, system: noProc });
    assert.equal(code, 0);
    const report = JSON.parse(fs.readFileSync(output, 'utf8')) as TraceReport;
    assert.equal(report.stateSource, 'socket events');
    assert.match(report.warnings.join('\n'), /no kernel join on darwin/);
    const accepted = siteAt(report, app.file, app.line('listen'));
    assert.deepEqual(accepted.states, { CLOSE_WAIT: 2 });
    assert.equal(accepted.rule?.id, 'half-open-socket');
  });

  describe('usage', () => {
    const bad: Array<[string[], RegExp]> = [
      [[], /no command to trace/],
      [['--interval', '0'], /--interval expects a number of seconds from 0\.1 to 3600/],
      [['--format', 'xml', '--', 'node'], /--format must be text or json/],
      [['--watch=yes', '--', 'node'], /--watch takes no value/],
      [['--verbose', '--', 'node'], /unknown option --verbose/],
      [['--output', 'no/such/dir/report.json', '--', 'node'], /--output no\/such\/dir\/report\.json: no such directory/],
    ];
    for (const [args, reason] of bad) {
      it(`exits 2 with a one-line reason for ${args.join(' ') || 'no arguments'}`, async () => {
        const err: string[] = [];
        const code = await runTraceCommand(args, { cwd: ROOT, stdout: () => assert.fail('nothing on stdout'), stderr: (s) => err.push(s) });
        assert.equal(code, 2);
        assert.match(err.join(''), reason);
        assert.equal(err.join('').trim().split('\n').length, 1);
      });
    }

    it('exits 127 when the command does not exist', () => {
      const r = spawnSync(process.execPath, [BIN, 'trace', '--', 'no-such-command-for-linger'], { encoding: 'utf8' });
      assert.equal(r.status, 127);
      assert.match(r.stderr, /cannot run no-such-command-for-linger: .*ENOENT/);
    });
  });
});
