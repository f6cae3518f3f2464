// The workspace boundary, checked from the outside: the CLI and the language server run under strace
// over a workspace whose links, tsconfig `include` and parent folders all point out of it, and every
// file they open (or try to) must be inside the workspace, or Node's own (its binary, shared
// libraries, /proc, /sys, /dev/null, /dev/urandom), the extension's (this repository), or a type
// declaration that module resolution found in a node_modules folder. The CLI may also read config
// files in the workspace's parent folders, as tsc and ESLint do; the language server may not.
// Linux only; CI installs strace (.ci/run), and there a missing strace is a failure, not a skip.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, uriOf } from '../lsp/client';
import { cleanup, CLI, LEAK_TS, ROOT, workspace } from './helpers';

const hasStrace = process.platform === 'linux' && spawnSync('strace', ['-V']).status === 0;

/** Real paths opened (or tried) in an strace log of open/openat calls, with how the call ended. */
function opened(log: string, cwd: string): Array<{ path: string; result: string }> {
  const out: Array<{ path: string; result: string }> = [];
  for (const line of fs.readFileSync(log, 'utf8').split('\n')) {
    const m = /\bopen(?:at)?\((?:AT_FDCWD, |\d+, )?"((?:[^"\\]|\\.)*)"[^)]*\)?.*?= (-?\d+(?: \w+)?)/.exec(line);
    if (!m) continue;
    // strace shows the path as given: one through a link inside the workspace looks inside. What
    // counts is where it leads (the links are still there when the log is read).
    const given = path.resolve(cwd, m[1]);
    let real = given;
    try {
      real = fs.realpathSync(given);
    } catch {
      /* not there (a failed probe): as given */
    }
    out.push({ path: real, result: m[2] });
  }
  return out;
}

const NODE_PREFIXES = ['/lib/', '/lib64/', '/usr/lib/', '/usr/lib64/', '/proc/', '/sys/', '/etc/ld.so', '/etc/ssl/', '/usr/share/zoneinfo/', '/etc/localtime'];
const NODE_FILES = new Set(['/dev/null', '/dev/urandom', '/dev/random', '/dev/tty', '/dev/pts/ptmx', '/']);

function violations(entries: Array<{ path: string; result: string }>, ws: string, parentConfigsAllowed: boolean): string[] {
  const inside = (p: string, root: string) => p === root || p.startsWith(root + path.sep);
  const nodeHome = path.dirname(path.dirname(fs.realpathSync(process.execPath)));
  const ancestors = new Set<string>();
  for (let d = path.dirname(ws); ; d = path.dirname(d)) {
    ancestors.add(d);
    if (path.dirname(d) === d) break;
  }
  const bad = entries.filter(({ path: p }) => {
    if (inside(p, ws) || inside(p, ROOT) || inside(p, nodeHome) || NODE_FILES.has(p)) return false;
    if (NODE_PREFIXES.some((prefix) => p.startsWith(prefix))) return false;
    if (/[\\/]node_modules[\\/]/.test(p) && (/\.d\.[cm]?ts$/.test(p) || p.endsWith('/package.json'))) return false;
    if (parentConfigsAllowed && ancestors.has(path.dirname(p)) && /^(tsconfig.*\.json|jsconfig.*\.json|\.lingerrc\.json|package\.json)$/.test(path.basename(p))) return false;
    return true;
  });
  return [...new Set(bad.map((e) => `${e.path} (${e.result})`))];
}

describe('robustness: nothing outside the workspace is opened (strace)', function () {
  this.timeout(180_000);
  let top: string;
  let ws: string;

  before(function () {
    if (!hasStrace) {
      if (process.env.CI) throw new Error('strace is not installed (.ci/run installs it with apt-get)');
      this.skip();
    }
    top = workspace({
      // Above the workspace: configs (the CLI may read them; the server may not) and another project.
      '.lingerrc.json': '{"rules":{"missing-keepalive":"hint"}}',
      'tsconfig.json': '{"compilerOptions":{"strict":true}}',
      'outside/secret.ts': LEAK_TS,
      'outside/lib/helper.ts': 'export function keep(s: { write(x: string): void }) { s.write("x"); }\n',
      'outside/node_modules/typed/package.json': '{"name":"typed","types":"index.d.ts"}',
      'outside/node_modules/typed/index.d.ts': 'export declare function f(): void;\n',
      'ws/package.json': '{"name":"ws","private":true}',
      'ws/tsconfig.json': JSON.stringify({ include: ['src', '../outside/**/*'] }),
      'ws/src/a.ts': LEAK_TS,
      'ws/src/uses.ts': "import { keep } from '../../outside/lib/helper';\nimport { connect } from 'net';\nexport function go() { const s = connect(1); keep(s); }\n",
    }, 'linger-strace-');
    ws = path.join(top, 'ws');
    fs.symlinkSync(path.join(top, 'outside'), path.join(ws, 'src', 'vendor'));
    fs.symlinkSync(path.join(top, 'outside', 'secret.ts'), path.join(ws, 'src', 'secret.ts'));
    fs.symlinkSync('/', path.join(ws, 'src', 'root'));
    fs.symlinkSync('/etc/passwd', path.join(ws, 'src', 'passwd.ts'));
    fs.symlinkSync('/dev/zero', path.join(ws, 'src', 'zero.ts'));
    fs.symlinkSync('/dev/zero', path.join(ws, '.lingerrc.json'));
  });
  after(() => {
    if (top) cleanup(top);
  });

  it('the CLI (an audit of the workspace): only the workspace, Node, the extension, type declarations and parent configs', () => {
    const log = path.join(top, 'cli.strace');
    const r = spawnSync('strace', ['-f', '-qq', '-s', '4096', '-e', 'trace=open,openat', '-e', 'signal=none', '-o', log, process.execPath, CLI, 'audit', '.', '--format', 'json'],
      { cwd: ws, encoding: 'utf8', timeout: 150_000, killSignal: 'SIGKILL' });
    assert.equal(r.signal, null, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.findings.map((f: { file: string }) => f.file), ['src/a.ts'], 'the workspace was analysed');
    const entries = opened(log, ws);
    assert.ok(entries.some((e) => e.path === path.join(ws, 'src', 'a.ts')), 'strace saw the reads');
    assert.deepEqual(violations(entries, ws, true), []);
  });

  it('the CLI with --cache, and the replay of that run from its cache: the same', () => {
    const run = (name: string) => {
      const log = path.join(top, name);
      const r = spawnSync('strace', ['-f', '-qq', '-s', '4096', '-e', 'trace=open,openat', '-e', 'signal=none', '-o', log, process.execPath, CLI, 'audit', '.', '--cache', '--format', 'json'],
        { cwd: ws, encoding: 'utf8', timeout: 150_000, killSignal: 'SIGKILL' });
      assert.equal(r.signal, null, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).findings.map((f: { file: string }) => f.file), ['src/a.ts']);
      return opened(log, ws);
    };
    try {
      const first = run('cached.strace');
      const replayed = run('replayed.strace');
      assert.ok(first.some((e) => e.path.endsWith(`${path.sep}dist${path.sep}cli.js`)), 'the first run loads the analyzer');
      assert.ok(!replayed.some((e) => e.path.endsWith(`${path.sep}dist${path.sep}cli.js`)), 'the second is a replay: no analyzer');
      assert.ok(replayed.some((e) => e.path === path.join(ws, 'src', 'a.ts')), 'the replay read the workspace');
      assert.deepEqual(violations(first, ws, true), []);
      assert.deepEqual(violations(replayed, ws, true), []);
    } finally {
      fs.rmSync(path.join(ws, '.lingercache'), { force: true });
    }
  });

  it('the language server (open, pull, hover, audit): only the workspace, Node, the extension and type declarations', async () => {
    const log = path.join(top, 'server.strace');
    const client = await TestClient.start({ rootPath: ws, wrapper: ['strace', '-f', '-qq', '-s', '4096', '-e', 'trace=open,openat', '-e', 'signal=none', '-o', log] });
    try {
      const uri = uriOf(path.join(ws, 'src', 'uses.ts'));
      await client.open(uri, fs.readFileSync(path.join(ws, 'src', 'uses.ts'), 'utf8'));
      await client.pull(uri);
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 30 } });
      const zero = 'file:///dev/zero';
      await client.open(zero, LEAK_TS);
      await client.pull(zero);
      const audit = await client.request('linger/audit', {});
      assert.deepEqual(audit.findings.map((f: { file: string }) => path.relative(ws, f.file)), ['src/a.ts']);
    } finally {
      await client.stop();
    }
    const entries = opened(log, ROOT);
    assert.ok(entries.some((e) => e.path === path.join(ws, 'src', 'a.ts')), 'strace saw the reads');
    assert.deepEqual(violations(entries, ws, false), []);
  });
});
