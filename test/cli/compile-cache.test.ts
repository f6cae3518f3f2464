// bin/compile-cache.js: the CLI bundle loaded with V8's code cache. The cache can only save time:
// a cache that is garbage, of another build, or cannot be written never changes what the command
// does. Run on a copy of the built package (bin/ and dist/cli.js), so the checkout's cache is untouched.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanup, ROOT, workspace } from '../robustness/helpers';

const nodeHasOwnCache = typeof (require('module') as { enableCompileCache?: unknown }).enableCompileCache === 'function';

describe('the code cache of the CLI (bin/compile-cache.js)', function () {
  this.timeout(120_000);
  let pkg: string;
  let cacheDir: string;
  const run = (args: string[], cwd = pkg) => spawnSync(process.execPath, [path.join(pkg, 'bin', 'linger.js'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  const entries = () => (fs.existsSync(cacheDir) && fs.statSync(cacheDir).isDirectory() ? fs.readdirSync(cacheDir).sort() : []);

  before(function () {
    if (nodeHasOwnCache) this.skip(); // Node 22.1+: module.enableCompileCache does it (Node's own tests cover it)
    if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new Error('run `npm run build` first (npm test does)');
    pkg = workspace({
      'package.json': fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
      'src/leak.ts': "import * as net from 'net';\nexport function f() {\n  const s = net.connect(1);\n  s.write('x');\n}\n",
    }, 'linger-code-cache-');
    for (const f of ['bin/linger.js', 'bin/compile-cache.js', 'dist/cli.js']) {
      fs.mkdirSync(path.dirname(path.join(pkg, f)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, f), path.join(pkg, f));
    }
    cacheDir = path.join(pkg, 'node_modules', '.cache', 'linger-tcp');
  });
  after(() => {
    if (pkg) cleanup(pkg);
  });

  const audit = () => {
    const r = run(['audit', 'src', '--format', 'json']);
    assert.equal(r.status, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.findings.map((f: { ruleId: string; line: number }) => [f.ruleId, f.line]), [['unclosed-connection', 3]]);
    return out;
  };
  /** Both kinds of command: --version and an audit. */
  const both = () => {
    assert.equal(run(['--version']).status, 0);
    return audit();
  };

  it('is written on the first run (one per kind of command), beside the package, and used by the next', () => {
    assert.equal(run(['--version']).stdout.trim(), JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version);
    audit();
    const written = entries();
    assert.equal(written.length, 2, written.join(' '));
    assert.ok(written.some((f) => /^cli-command-[0-9a-f]{16}\.bin$/.test(f)) && written.some((f) => /^cli-audit-[0-9a-f]{16}\.bin$/.test(f)), written.join(' '));
    const stamps = written.map((f) => fs.statSync(path.join(cacheDir, f)).mtimeMs);
    audit();
    assert.deepEqual(written.map((f) => fs.statSync(path.join(cacheDir, f)).mtimeMs), stamps, 'accepted, so not written again');
  });

  it('a cache that is garbage or truncated is rejected by V8 and written again; the command works', () => {
    for (const bad of [Buffer.from('not a code cache'), Buffer.alloc(0)]) {
      for (const f of entries()) fs.writeFileSync(path.join(cacheDir, f), bad);
      both();
      for (const f of entries()) assert.ok(fs.statSync(path.join(cacheDir, f)).size > 1000, `${f} rewritten`);
    }
    // A cache file cut in the middle.
    for (const f of entries()) {
      const full = fs.readFileSync(path.join(cacheDir, f));
      fs.writeFileSync(path.join(cacheDir, f), full.subarray(0, full.length >> 1));
    }
    both();
  });

  it('another build of the bundle gets a cache of its own (keyed by content); the two most recent others stay', () => {
    const before = entries();
    // Same size, other content: V8 alone would take the old cache (it checks only the length).
    const file = path.join(pkg, 'dist', 'cli.js');
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /\/\/# sourceMappingURL=cli\.js\.map\s*$/);
    fs.writeFileSync(file, text.replace(/cli\.js\.map(\s*)$/, 'cli.js.MAP$1'));
    const builds: string[][] = [];
    try {
      // Three more builds: each gets its own caches, and only the two most recent builds' stay beside them.
      for (const mark of ['MAP', 'MAq', 'MAr']) {
        fs.writeFileSync(file, text.replace(/cli\.js\.map(\s*)$/, `cli.js.${mark}$1`));
        both();
        builds.push(entries().filter((f) => !before.includes(f) && !builds.flat().includes(f)));
        assert.equal(builds[builds.length - 1].length, 2, entries().join(' '));
      }
      assert.deepEqual(entries(), builds.flat().sort());
    } finally {
      fs.writeFileSync(file, text);
    }
    both();
  });

  it('a cache made by a small audit is written again by a larger one (it compiled much more), and then kept', () => {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(pkg, 'small'), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'small', 'constant.ts'), 'export const answer = 42;\n');
    assert.equal(run(['audit', 'small']).status, 0);
    const [file] = entries().filter((f) => f.startsWith('cli-audit-'));
    const small = fs.statSync(path.join(cacheDir, file));
    audit(); // a finding, its fixes, the JSON report: far more of the bundle
    const large = fs.statSync(path.join(cacheDir, file));
    assert.ok(large.mtimeMs !== small.mtimeMs && large.size > small.size, `rewritten with more code: ${small.size} → ${large.size} bytes`);
    audit();
    assert.equal(fs.statSync(path.join(cacheDir, file)).mtimeMs, large.mtimeMs, 'the same audit again: kept');
    assert.equal(run(['audit', 'small']).status, 0);
    assert.equal(fs.statSync(path.join(cacheDir, file)).mtimeMs, large.mtimeMs, 'a smaller audit: kept');
  });

  it('a cache that cannot be written (its folder is a file) is simply not used', () => {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.writeFileSync(cacheDir, 'in the way');
    try {
      audit();
      assert.equal(run(['--version']).status, 0);
      assert.equal(fs.readFileSync(cacheDir, 'utf8'), 'in the way');
    } finally {
      fs.rmSync(cacheDir, { force: true });
    }
  });

  it('errors and exit codes are the bundle\'s: bad usage exits 2 with its message', () => {
    const r = run(['audit', '--format', 'xml']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^linger: unknown format "xml"/);
  });
});
