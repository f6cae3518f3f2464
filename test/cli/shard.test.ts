// `linger audit --shard i/N` and `linger merge`: the shards of a CI job matrix, merged, give the
// report of the whole audit (JSON, SARIF and text; findings, listeners, skipped files, counts, exit
// code), on a small monorepo with findings of most rules, a helper in another file that closes a
// socket handed to it, a file that does not parse, a generated file, a link out of the workspace,
// JavaScript under a tsconfig without allowJs, a tsconfig that cannot be loaded, and a global script
// whose declarations another file's result depends on (so a shard must load whole projects).
// The split is deterministic, balanced by size and does not depend on where the checkout is.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanup, linger, workspace } from '../robustness/helpers';
import { createAnalyzer } from '../../server/src/analyzer';
import { listSourceFiles } from '../../server/src/core/analyze';
import { split } from '../../server/src/cli/shard';

const FILES: Record<string, string> = {
  'package.json': '{"name":"mono","private":true}',
  'packages/api/package.json': '{"name":"api","private":true}',
  'packages/api/tsconfig.json': '{"compilerOptions":{"strict":true,"module":"commonjs","target":"es2022"},"include":["src"]}',
  'packages/api/src/close.ts': "import type { Socket } from 'net';\nexport function closeQuietly(s: Socket): void {\n  s.destroy();\n}\n",
  'packages/api/src/health.ts': [
    "import * as net from 'net';",
    "import { closeQuietly } from './close';",
    'export async function probe(port: number): Promise<boolean> {',
    '  const s = net.connect(port);',
    "  s.write('PING');",
    '  if (port === 0) return false;',
    '  closeQuietly(s);',
    '  return true;',
    '}',
    'export function handed(port: number): void {',
    '  const s = net.connect(port);',
    '  closeQuietly(s);',
    '}',
    '',
  ].join('\n'),
  'packages/api/src/repo.ts': "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function find(id: string) {\n  const client = await pool.connect();\n  const r = await client.query('SELECT 1 WHERE $1', [id]);\n  client.release();\n  return r;\n}\n",
  'packages/api/src/upstream.ts': [
    "import * as http from 'http';",
    'export function status(url: string): Promise<number> {',
    '  return new Promise((resolve) => {',
    '    http.get(url, { agent: false }, (res) => resolve(res.statusCode ?? 0));',
    '  });',
    '}',
    'export async function check(url: string): Promise<boolean> {',
    '  const res = await fetch(url);',
    '  if (!res.ok) throw new Error(`status ${res.status}`);',
    '  await res.text();',
    '  return true;',
    '}',
    '',
  ].join('\n'),
  'packages/api/src/server.ts': "import * as http from 'http';\nimport * as dgram from 'dgram';\nexport function start() {\n  const server = http.createServer((_req, res) => res.end('ok'));\n  server.listen(8080);\n  const udp = dgram.createSocket('udp4');\n  udp.bind(5353);\n  return { server, udp };\n}\n",
  'packages/api/src/broken.ts': 'export function (\n',
  // JavaScript under a tsconfig without allowJs: in the inferred project of its package, as tsserver does.
  'packages/api/src/legacy.js': "const net = require('net');\nexports.open = (port) => {\n  const s = net.connect(port);\n  s.write('x');\n};\n",
  // A tsconfig TypeScript cannot load (a warning): its files go into an inferred project too.
  'packages/tools/package.json': '{"name":"tools","private":true}',
  'packages/tools/tsconfig.json': '[]',
  'packages/tools/run.ts': "import * as net from 'net';\nexport function run() {\n  const s = net.connect(9);\n  s.write('x');\n}\n",
  'packages/worker/package.json': '{"name":"worker","private":true}',
  'packages/worker/lib/queue.js': "const net = require('net');\nexports.drain = function drain(port) {\n  const s = net.connect({ port, localPort: 4000 });\n  s.on('data', () => {});\n  if (!port) return;\n  s.end();\n};\n// linger-ignore-next-line no-such-rule\nexports.other = 1;\n",
  // A global script: what use.js calls is declared there, so use.js leaks only when both are in its program.
  'packages/worker/lib/globals.js': 'function describeSocket(s) {\n  return String(s.remotePort);\n}\n',
  'packages/worker/lib/use.js': "const net = require('net');\nexports.f = function (port) {\n  const s = net.connect(port);\n  describeSocket(s);\n};\n",
  'packages/worker/lib/gen.js': "// @generated\nconst net = require('net');\nmodule.exports = () => net.connect(1);\n",
  'scripts/ping.ts': "import * as net from 'net';\nexport function ping(port: number) {\n  const s = net.connect(port);\n  s.setTimeout(1000);\n  s.on('timeout', () => console.log('slow'));\n  s.end('PING');\n}\n",
};

const withoutDuration = (json: string) => {
  const r = JSON.parse(json);
  delete r.summary.durationMs;
  return r;
};

describe('linger audit --shard and linger merge', function () {
  this.timeout(240_000);
  let outside: string;
  let ws: string;
  const dirs: string[] = [];
  const at = (...p: string[]) => path.join(ws, ...p);

  before(() => {
    outside = workspace({ 'vendor/x.ts': "import * as net from 'net';\nexport const s = net.connect(1);\n" }, 'linger-shard-out-');
    ws = workspace(FILES, 'linger-shard-');
    fs.symlinkSync(path.join(outside, 'vendor'), at('vendor'));
    dirs.push(outside, ws);
  });
  after(() => dirs.forEach(cleanup));

  /** Runs the shards of one audit into files; returns their names and the shards' exit codes. */
  function shards(n: number, format: 'json' | 'sarif', args: string[] = [], dir = ws) {
    const names: string[] = [];
    const codes: Array<number | null> = [];
    for (let i = 1; i <= n; i++) {
      const name = `shard-${i}-of-${n}.${format}`;
      const r = linger(['audit', '--format', format, '--shard', `${i}/${n}`, '--output', path.join('.reports', name), ...args], dir);
      assert.ok(r.status === 0 || r.status === 1, `shard ${i}/${n}: ${r.status} ${r.stderr}`);
      names.push(path.join('.reports', name));
      codes.push(r.status);
    }
    return { names, codes };
  }

  it('JSON: the shards merged are the whole audit, for 1, 2, 3 and 5 shards, in any order of the reports', () => {
    const whole = linger(['audit', '--format', 'json'], ws);
    assert.equal(whole.status, 1, whole.stderr);
    const expected = withoutDuration(whole.stdout);
    // The fixture exercises what a merge must keep: findings of several files and rules, listeners, skipped files of every kind.
    assert.ok(expected.findings.length >= 8, whole.stdout);
    assert.ok(new Set(expected.findings.map((f: { file: string }) => f.file)).size >= 4);
    assert.ok(expected.listeners.length >= 2);
    assert.deepEqual(expected.summary.skipped.map((s: { file: string; fatal: boolean }) => [s.file, s.fatal]),
      [['packages/api/src/broken.ts', true], ['packages/worker/lib/gen.js', false], ['vendor', false]]);
    assert.ok(expected.findings.some((f: { file: string }) => f.file === 'packages/worker/lib/use.js'), 'the global script is in the program');
    // The helper in close.ts closes what health.ts hands it, whichever shard each file is in.
    assert.deepEqual(expected.findings.filter((f: { file: string }) => f.file === 'packages/api/src/health.ts').map((f: { line: number }) => f.line), [4]);

    for (const n of [1, 2, 3, 5]) {
      const { names, codes } = shards(n, 'json');
      const reports = names.map((f) => JSON.parse(fs.readFileSync(at(f), 'utf8')));
      assert.equal(reports.reduce((sum, r) => sum + r.summary.files, 0), expected.summary.files, `${n} shards: every file analysed once`);
      assert.ok(codes.includes(1));
      const merged = linger(['merge', ...[...names].reverse()], ws);
      assert.equal(merged.status, whole.status, merged.stderr);
      assert.deepEqual(withoutDuration(merged.stdout), expected, `${n} shards`);
      // Byte for byte, once the duration is the same.
      assert.equal(merged.stdout.replace(/"durationMs": \d+/, ''), whole.stdout.replace(/"durationMs": \d+/, ''));
    }
  });

  it('SARIF: the shards merged are the whole audit (results, fingerprints, notifications)', () => {
    const whole = linger(['audit', '--format', 'sarif'], ws);
    assert.equal(whole.status, 1, whole.stderr);
    for (const n of [2, 4]) {
      const { names } = shards(n, 'sarif');
      const merged = linger(['merge', ...names, '--output', '.reports/merged.sarif'], ws);
      assert.equal(merged.status, 1, merged.stderr);
      assert.equal(fs.readFileSync(at('.reports', 'merged.sarif'), 'utf8'), whole.stdout);
    }
  });

  it('text from the JSON shards, and the exit code of the whole: --max-warnings over all the shards, unanalysed files', () => {
    const { names } = shards(3, 'json');
    const text = linger(['merge', ...names, '--format', 'text'], ws);
    const wholeText = linger(['audit'], ws);
    assert.equal(text.status, 1);
    assert.equal(text.stdout.replace(/ \(\d+ ms\)/, ''), wholeText.stdout.replace(/ \(\d+ ms\)/, ''));
    // Without the file that does not parse: only warnings, so --max-warnings decides, over the sum.
    const { names: ok } = shards(3, 'json', ['--rule', 'unclosed-connection=off'], ws);
    fs.renameSync(at('packages/api/src/broken.ts'), at('packages/api/src/broken.txt'));
    try {
      const { names: clean } = shards(3, 'json');
      const count = withoutDuration(linger(['merge', ...clean], ws).stdout).summary.findings;
      assert.equal(linger(['merge', ...clean, '--max-warnings', String(count)], ws).status, 0);
      const over = linger(['merge', ...clean, '--max-warnings', String(count - 1)], ws);
      assert.equal(over.status, 1);
      assert.match(over.stderr, /too many warnings \(maximum: \d+\)/);
    } finally {
      fs.renameSync(at('packages/api/src/broken.txt'), at('packages/api/src/broken.ts'));
    }
    assert.equal(linger(['merge', ...ok, '--no-error-on-unanalysed', '--max-warnings', '-1'], ws).status, 0);
  });

  it('a shard with no files writes an empty report and exits 0; the merge still is the whole audit', () => {
    const small = workspace({ 'package.json': '{"name":"s","private":true}', 'a.ts': FILES['scripts/ping.ts'], 'b.ts': 'export const b = 1;\n' }, 'linger-shard-small-');
    dirs.push(small);
    const names: string[] = [];
    let empty = 0;
    for (let i = 1; i <= 4; i++) {
      const r = linger(['audit', '--format', 'json', '--shard', `${i}/4`], small);
      const report = JSON.parse(r.stdout);
      if (!report.summary.files) {
        empty++;
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stderr, new RegExp(`^linger: shard ${i}/4 has none of the 2 files\\n$`));
      }
      fs.writeFileSync(path.join(small, `s${i}.json`), r.stdout);
      names.push(`s${i}.json`);
    }
    assert.ok(empty >= 2);
    const merged = linger(['merge', ...names], small);
    assert.deepEqual(withoutDuration(merged.stdout), withoutDuration(linger(['audit', '--format', 'json'], small).stdout));
  });

  it('splits the same way wherever the checkout is, and balances the shards by size', () => {
    const copy = workspace(FILES, 'linger-shard-copy-');
    dirs.push(copy);
    fs.symlinkSync(path.join(outside, 'vendor'), path.join(copy, 'vendor'));
    const shardOf = (dir: string, i: number) => JSON.parse(linger(['audit', '--format', 'json', '--shard', `${i}/3`], dir).stdout);
    for (const i of [1, 2, 3]) {
      const [a, b] = [shardOf(ws, i), shardOf(copy, i)];
      assert.deepEqual(a.shard, b.shard);
      assert.deepEqual(withoutDuration(JSON.stringify(a)), withoutDuration(JSON.stringify(b)));
    }

    // 40 files of very different sizes in 4 shards: each shard within one file's size of a quarter.
    const files: Record<string, string> = { 'package.json': '{"name":"b","private":true}' };
    for (let i = 0; i < 40; i++) files[`src/f${i}.ts`] = `export const v${i} = ${JSON.stringify('x'.repeat((i * 7919) % 3000))};\n`;
    const big = workspace(files, 'linger-shard-balance-');
    dirs.push(big);
    const analyzer = createAnalyzer({ boundary: { roots: [big], configsAbove: false } });
    const all = listSourceFiles([big], analyzer).files;
    const size = (f: string) => fs.statSync(f).size + 1;
    const total = all.reduce((s, f) => s + size(f), 0);
    const largest = Math.max(...all.map(size));
    const seen = new Set<string>();
    for (let i = 1; i <= 4; i++) {
      const s = split(analyzer, big, { index: i, count: 4 }, all, [], {});
      const bytes = s.files.reduce((sum, f) => sum + size(f), 0);
      assert.ok(Math.abs(bytes - total / 4) <= largest, `shard ${i}: ${bytes} bytes of ${total}`);
      for (const f of s.files) {
        assert.ok(!seen.has(f), `${f} in two shards`);
        seen.add(f);
      }
    }
    assert.equal(seen.size, all.length);
  });

  it('a shard loads only the projects of its files (in a monorepo, whole projects stay together)', () => {
    const files: Record<string, string> = { 'package.json': '{"name":"mono","private":true}' };
    const packages = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const p of packages) {
      files[`packages/${p}/tsconfig.json`] = '{"compilerOptions":{"strict":true},"include":["src"]}';
      for (let i = 0; i < 4; i++) files[`packages/${p}/src/m${i}.ts`] = `export const ${p}${i} = ${JSON.stringify('y'.repeat(200 + 50 * i))};\n`;
    }
    const mono = workspace(files, 'linger-shard-mono-');
    dirs.push(mono);
    const analyzer = createAnalyzer({ boundary: { roots: [mono], configsAbove: false } });
    const all = listSourceFiles([mono], analyzer).files;
    const projectOf = (f: string) => path.relative(mono, f).split(path.sep)[1];
    let loadedLess = 0;
    for (let i = 1; i <= 3; i++) {
      const s = split(analyzer, mono, { index: i, count: 3 }, all, [], {});
      const mine = new Set(s.files.map(projectOf));
      // Every file of each project the shard needs is loaded, in the order listed, and no other project.
      assert.deepEqual(s.load, all.filter((f) => mine.has(projectOf(f))), `shard ${i}`);
      if (s.load.length < all.length) loadedLess++;
      // Projects stay together: six projects in three shards, at most two cut.
      assert.ok(mine.size <= 3, `shard ${i}: ${[...mine]}`);
    }
    assert.equal(loadedLess, 3, 'no shard loads the whole monorepo');
  });

  describe('bad arguments: one clear line and exit 2', () => {
    const usage = (args: string[], message: RegExp, dir = () => ws) => () => {
      const r = linger(args, dir());
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr.split('\n')[0], message);
    };
    for (const bad of ['0/3', '4/3', '1/0', 'x', '2', '1/3/4', '-1/3']) {
      it(`--shard ${bad}`, usage(['audit', '--shard', bad], /^linger: --shard needs i\/N with 1 <= i <= N <= 1000 \(for example 2\/4\), not "/));
    }
    it('--shard without a value', usage(['audit', '--shard'], /^linger: --shard needs a value$/));
    it('--shard with --fix', usage(['audit', '--shard', '1/2', '--fix'], /^linger: --shard cannot be combined with --fix /));
    it('--shard with --fix-dry-run', usage(['audit', '--shard', '1/2', '--fix-dry-run'], /^linger: --shard cannot be combined with --fix-dry-run /));
    it('merge without reports', usage(['merge'], /^linger: linger merge needs the reports of the shards/));
    it('merge with an unknown option', usage(['merge', 'a.json', '--fast'], /^linger: unknown option --fast$/));
    it('merge of a report that cannot be read', usage(['merge', 'nope.json'], /^linger: nope\.json: cannot be read \(ENOENT\)$/));

    describe('reports that do not make one audit', () => {
      let d: string;
      before(() => {
        d = workspace({ 'package.json': '{"name":"m","private":true}', 'a.ts': FILES['scripts/ping.ts'], 'b.ts': FILES['packages/api/src/repo.ts'], 'c.ts': 'export const c = 1;\n', 'not.json': '{', 'other.json': '{"a":1}' }, 'linger-merge-');
        dirs.push(d);
        const save = (name: string, args: string[]) => fs.writeFileSync(path.join(d, name), linger(['audit', ...args], d).stdout);
        save('s1.json', ['--format', 'json', '--shard', '1/2']);
        save('s2.json', ['--format', 'json', '--shard', '2/2']);
        save('s2.sarif', ['--format', 'sarif', '--shard', '2/2']);
        save('s1of3.json', ['--format', 'json', '--shard', '1/3']);
        save('s2-rule.json', ['--format', 'json', '--shard', '2/2', '--rule', 'unclosed-connection=error']);
        save('whole.json', ['--format', 'json']);
      });
      const m = (args: string[], message: RegExp) => usage(['merge', ...args], message, () => d);
      it('not JSON', m(['not.json'], /^linger: not\.json: not JSON \(/));
      it('not a report of linger', m(['other.json'], /^linger: other\.json: not a report of linger audit \(--format json or sarif\)$/));
      it('a report of a whole audit', m(['whole.json'], /^linger: whole\.json: not the report of a shard \(linger audit --shard i\/N\)$/));
      it('a shard missing', m(['s1.json'], /^linger: missing shard 2\/2: every shard's report is needed$/));
      it('a shard twice', m(['s1.json', 's2.json', 's2.json'], /^linger: shard 2\/2 is given twice \(s2\.json, s2\.json\)$/));
      it('JSON and SARIF', m(['s1.json', 's2.sarif'], /^linger: s1\.json is JSON but s2\.sarif is SARIF: merge the reports of one format$/));
      it('other numbers of shards', m(['s1.json', 's1of3.json'], /^linger: s1\.json is shard 1\/2 but s1of3\.json is shard 1\/3$/));
      it('other options', m(['s1.json', 's2-rule.json'], /^linger: s1\.json and s2-rule\.json come from different runs \(other files, file sizes or options\)/));
      it('SARIF from JSON', m(['s1.json', 's2.json', '--format', 'sarif'], /^linger: --format sarif needs the shards' SARIF reports/));
    });
  });
});
