// The file-system layer (server/src/core/files.ts, discover.ts): every reproduction of issue 14 about
// special files, links and the workspace boundary, through the CLI as users run it. A hang is a
// failure (the CLI is killed after 60 s), not a stuck test run.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs = require('node:fs'); // the real module object, so that its functions can be wrapped
import * as path from 'node:path';
import { analyzeFiles, listSourceFiles } from '../../server/src/core/analyze';
import { isExcluded } from '../../server/src/core/config';
import { FileAccess } from '../../server/src/core/files';
import { cleanup, LEAK_TS, linger, workspace } from './helpers';
import { createAnalyzer } from '../../server/src/analyzer';

const PKG = '{"name":"ws","private":true}\n';
const posix = process.platform !== 'win32';

interface Json {
  findings: Array<{ file: string; ruleId: string; line: number; severity: string }>;
  summary: { files: number; skipped: Array<{ file: string; reason: string }> };
}

function audit(dir: string, args: string[] = ['.']): { status: number | null; json: Json; stderr: string } {
  const r = linger(['audit', ...args, '--format', 'json'], dir);
  assert.equal(r.signal, null, `linger audit was killed (hung?): ${r.stderr}`);
  return { status: r.status, json: JSON.parse(r.stdout), stderr: r.stderr };
}

describe('robustness: special files and links', function () {
  this.timeout(120_000);
  let dir: string;
  let outside: string;
  beforeEach(function () {
    if (!posix) this.skip();
    dir = workspace({ 'package.json': PKG, 'src/a.ts': LEAK_TS });
    outside = workspace({ 'secret.ts': LEAK_TS, 'deep/also.ts': LEAK_TS }, 'linger-outside-');
  });
  afterEach(() => {
    cleanup(dir);
    cleanup(outside);
  });

  for (const name of ['tsconfig.json', '.lingerrc.json', 'package.json']) {
    it(`${name} as a FIFO: the audit finishes, says why the config was not read, and finds the leak`, () => {
      if (name === 'package.json') fs.rmSync(path.join(dir, 'package.json'));
      execFileSync('mkfifo', [path.join(dir, name)]);
      const { json, stderr } = audit(dir);
      assert.deepEqual(json.findings.map((f) => f.ruleId), ['unclosed-connection']);
      if (name !== 'package.json') assert.match(stderr, new RegExp(`${name.replace('.', '\\.')}.*a FIFO, not a regular file`));
    });

    it(`${name} as a link to /dev/zero: never read (no memory growth), the leak is found`, () => {
      if (name === 'package.json') fs.rmSync(path.join(dir, 'package.json'));
      fs.symlinkSync('/dev/zero', path.join(dir, name));
      const { json, stderr } = audit(dir);
      assert.deepEqual(json.findings.map((f) => f.ruleId), ['unclosed-connection']);
      if (name !== 'package.json') assert.match(stderr, new RegExp(`${name.replace('.', '\\.')}.*(a character device|outside the workspace)`));
    });
  }

  it('a symbolic link to / under src is reported as skipped, not walked', () => {
    fs.symlinkSync('/', path.join(dir, 'src', 'root'));
    const { json } = audit(dir);
    assert.deepEqual(json.findings.map((f) => f.file), ['src/a.ts']);
    assert.deepEqual(json.summary.skipped.map((s) => [s.file, /a link to a folder outside the workspace/.test(s.reason)]), [['src/root', true]]);
  });

  it('a folder linked into itself is walked once and each file reported once', () => {
    fs.symlinkSync('.', path.join(dir, 'src', 'self'));
    fs.symlinkSync('..', path.join(dir, 'src', 'parent'));
    const { json } = audit(dir);
    assert.deepEqual(json.findings.map((f) => f.file), ['src/a.ts']);
    assert.equal(json.summary.files, 1);
  });

  it('a link loop is reported as skipped', () => {
    fs.symlinkSync('loop-b.ts', path.join(dir, 'src', 'loop-a.ts'));
    fs.symlinkSync('loop-a.ts', path.join(dir, 'src', 'loop-b.ts'));
    const { json } = audit(dir);
    assert.deepEqual(json.findings.map((f) => f.file), ['src/a.ts']);
    assert.deepEqual(json.summary.skipped.map((s) => [path.basename(s.file), s.reason]), [['loop-a.ts', 'a link loop'], ['loop-b.ts', 'a link loop']]);
  });

  it('a linked folder pointing outside the workspace is not read, and is reported as skipped', () => {
    fs.symlinkSync(outside, path.join(dir, 'src', 'vendor'));
    fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(dir, 'src', 'secret.ts'));
    const { json } = audit(dir);
    assert.deepEqual(json.findings.map((f) => f.file), ['src/a.ts']);
    assert.deepEqual(json.summary.skipped.map((s) => s.file).sort(), ['src/secret.ts', 'src/vendor']);
    for (const s of json.summary.skipped) assert.match(s.reason, /outside the workspace/);
  });

  it('a link inside the workspace is followed, and its file analysed once, under its real path', () => {
    fs.mkdirSync(path.join(dir, 'lib'));
    fs.writeFileSync(path.join(dir, 'lib', 'b.ts'), LEAK_TS);
    fs.symlinkSync(path.join(dir, 'lib'), path.join(dir, 'src', 'alias'));
    const { json } = audit(dir, ['src']);
    assert.deepEqual(json.findings.map((f) => f.file).sort(), ['lib/b.ts', 'src/a.ts']);
  });

  it('a tsconfig include of an outside folder, and imports of outside files, read nothing there', () => {
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ include: ['src', path.join(outside, '**/*')] }));
    fs.writeFileSync(path.join(dir, 'src', 'uses.ts'), `import { probe } from '${path.join(outside, 'secret')}';\nexport const p = probe;\n`);
    const reads = readsDuring(() => {
      const a = createAnalyzer({ boundary: { roots: [dir], configsAbove: false } });
      const r = analyzeFiles(listSourceFiles([dir], a).files, {}, a);
      assert.deepEqual(r.findings.map((f) => path.relative(dir, f.file)), ['src/a.ts']);
    });
    assert.deepEqual(reads.filter((p) => p.startsWith(outside)), []);
  });

  it('a file named on the command line that is a FIFO exits 2 without hanging', () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.ts')]);
    const r = linger(['audit', 'pipe.ts'], dir);
    assert.equal(r.signal, null);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /pipe\.ts: no such file or directory, or not readable/);
  });
});

describe('robustness: the file-system layer', () => {
  let dir: string;
  afterEach(() => cleanup(dir));

  it('checks the size before reading, and reads no more than the limit even from a growing file', function () {
    if (!posix) this.skip();
    dir = workspace({ 'big.ts': 'x'.repeat(2_000), 'small.ts': 'ok' });
    const files = new FileAccess({ roots: [dir], configsAbove: false });
    assert.match(files.readText(path.join(dir, 'big.ts'), 1_000, 'source').reason ?? '', /larger than the 1000-byte limit \(2000 bytes\)/);
    assert.equal(files.readText(path.join(dir, 'small.ts'), 1_000, 'source').text, 'ok');
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.ts'));
    const unconfined = new FileAccess({ roots: null, configsAbove: true });
    assert.equal(unconfined.readText(path.join(dir, 'zero.ts'), 1_000, 'source').reason, 'a character device, not a regular file');
  });

  it('config files above the workspace: read by the CLI (as tsc and ESLint do), not by a confined analyzer', () => {
    dir = workspace({ '.lingerrc.json': '{"rules":{"unclosed-connection":"off"}}', 'ws/package.json': PKG, 'ws/a.ts': LEAK_TS });
    const ws = path.join(dir, 'ws');
    const confined = createAnalyzer({ boundary: { roots: [ws], configsAbove: false } });
    assert.deepEqual(confined.analyzeFile(path.join(ws, 'a.ts')).findings.map((f) => f.ruleId), ['unclosed-connection']);
    const cli = audit(ws);
    assert.deepEqual(cli.json.findings, [], 'the parent .lingerrc.json turned the rule off');
  });
});

describe('robustness: exclude globs', () => {
  let dir: string;
  afterEach(() => cleanup(dir));

  it('a pathological glob takes linear time, not exponential (regression: *a*a*a*a*a*a*a*a*a*b)', () => {
    const a = 'a'.repeat(60);
    dir = workspace({ 'package.json': PKG, '.lingerrc.json': JSON.stringify({ exclude: ['*a*a*a*a*a*a*a*a*a*b'] }), [`src/${a}.ts`]: LEAK_TS, [`src/${a}/x.ts`]: LEAK_TS });
    // With the old hand-written translation (or picomatch), each of these matches takes longer than
    // the age of the universe: a run that finishes at all shows the matcher does not backtrack.
    const { json } = audit(dir);
    assert.equal(json.findings.length, 2);
  });

  it('has .gitignore semantics (names at any depth, anchors, folders, negation, classes, braces)', () => {
    dir = workspace({ 'package.json': PKG });
    const excluded = (globs: string[], rel: string, isDir = false) => listExcluded(dir, globs, rel, isDir);
    // A pattern without a slash matches a name at any depth; with one, it is anchored.
    assert.equal(excluded(['dist'], 'dist/a.ts'), true);
    assert.equal(excluded(['dist'], 'packages/x/dist/a.ts'), true);
    assert.equal(excluded(['*.gen.ts'], 'src/deep/a.gen.ts'), true);
    assert.equal(excluded(['/dist'], 'packages/x/dist/a.ts'), false);
    assert.equal(excluded(['src/gen'], 'src/gen/a.ts'), true);
    assert.equal(excluded(['src/gen'], 'lib/src/gen/a.ts'), false);
    // `*` stays in its segment, `**` spans folders.
    assert.equal(excluded(['src/*.ts'], 'src/a/c.ts'), false);
    assert.equal(excluded(['src/**/*.ts'], 'src/a/b/c.ts'), true);
    assert.equal(excluded(['src/**/*.ts'], 'src/c.ts'), true);
    // A trailing slash matches folders only.
    assert.equal(excluded(['gen/'], 'gen'), false);
    assert.equal(excluded(['gen/'], 'gen', true), true);
    assert.equal(excluded(['gen/'], 'src/gen/a.ts'), true);
    // Negation: the last matching pattern decides, but an excluded folder stays excluded.
    assert.equal(excluded(['*.ts', '!keep.ts'], 'src/keep.ts'), false);
    assert.equal(excluded(['*.ts', '!keep.ts'], 'src/drop.ts'), true);
    assert.equal(excluded(['vendor', '!vendor/keep.ts'], 'vendor/keep.ts'), true);
    // Classes, braces, dot-files; comments and blank lines ignored.
    assert.equal(excluded(['[ab].ts'], 'x/b.ts'), true);
    assert.equal(excluded(['*.{spec,test}.ts'], 'x/a.test.ts'), true);
    assert.equal(excluded(['*.ts'], '.hidden.ts'), true);
    assert.equal(excluded(['# a comment', ''], 'a.ts'), false);
  });

  it('prunes excluded folders during discovery (they are never listed)', function () {
    if (!posix) this.skip();
    dir = workspace({ 'package.json': PKG, '.lingerrc.json': '{"exclude":["generated"]}', 'src/a.ts': LEAK_TS, 'src/generated/b.ts': LEAK_TS });
    execFileSync('chmod', ['000', path.join(dir, 'src', 'generated')]);
    try {
      const listed = listSourceFiles([dir]);
      assert.deepEqual(listed.files.map((f) => path.relative(dir, f)), ['src/a.ts']);
      assert.deepEqual(listed.skipped, [], 'the unreadable excluded folder was not even opened');
    } finally {
      execFileSync('chmod', ['755', path.join(dir, 'src', 'generated')]);
    }
  });

  it('leaves installed node_modules out, but walks one a .gitignore re-includes as the project\'s source (Node-RED)', () => {
    dir = workspace({
      'package.json': PKG,
      '.gitignore': 'node_modules\n!packages/node_modules\n',
      'node_modules/dep/index.js': LEAK_TS,
      'packages/node_modules/@app/core/index.ts': LEAK_TS,
      'packages/node_modules/@app/core/node_modules/dep/index.js': LEAK_TS,
      'packages/other/node_modules/dep/index.js': LEAK_TS,
    });
    const listed = listSourceFiles([dir]).files.map((f) => path.relative(dir, f));
    assert.deepEqual(listed, ['packages/node_modules/@app/core/index.ts']);
    const { json } = audit(dir);
    assert.deepEqual(json.findings.map((f) => f.file), ['packages/node_modules/@app/core/index.ts'], 'its leak is reported like any other file\'s');
  });
});

describe('robustness: a long import chain', function () {
  this.timeout(240_000);
  let dir: string;
  afterEach(() => cleanup(dir));

  it('3,000 modules importing each other in a chain: every file analysed, an unrelated leak reported, exit 1', () => {
    const files: Record<string, string> = { 'package.json': PKG, 'leak.ts': LEAK_TS };
    for (let i = 0; i < 3000; i++) {
      files[`chain/m${i}.ts`] = i < 2999 ? `import { f${i + 1} } from './m${i + 1}';\nexport function f${i}() { return f${i + 1}(); }\n` : `export function f${i}() { return 1; }\n`;
    }
    dir = workspace(files);
    const { status, json } = audit(dir);
    assert.deepEqual(json.summary.skipped, []);
    assert.equal(json.summary.files, 3001);
    assert.deepEqual(json.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`), ['leak.ts:3 unclosed-connection']);
    assert.equal(status, 1);
  });

  it('the same chain under a tsconfig.json, with the leaky file at its end', () => {
    const files: Record<string, string> = { 'package.json': PKG, 'tsconfig.json': '{"include":["src"]}' };
    for (let i = 0; i < 3000; i++) {
      files[`src/m${String(i).padStart(4, '0')}.ts`] = i < 2999 ? `import './m${String(i + 1).padStart(4, '0')}';\nexport const v${i} = ${i};\n` : LEAK_TS;
    }
    dir = workspace(files);
    const { status, json } = audit(dir);
    assert.deepEqual(json.summary.skipped, []);
    assert.deepEqual(json.findings.map((f) => `${f.file} ${f.ruleId}`), ['src/m2999.ts unclosed-connection']);
    assert.equal(status, 1);
  });
});

/** Whether `rel` is excluded by `globs` in a config at `dir` (through the analyzer, as the CLI and server use it). */
function listExcluded(dir: string, globs: string[], rel: string, isDir: boolean): boolean {
  fs.writeFileSync(path.join(dir, '.lingerrc.json'), JSON.stringify({ exclude: globs }));
  const a = createAnalyzer();
  return isExcluded(path.join(dir, rel), a.configs.forFile(path.join(dir, rel)).config, isDir);
}

/** Every path passed to fs read/open calls while `run` runs, resolved. */
function readsDuring(run: () => void): string[] {
  const f = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const names = ['readFileSync', 'openSync', 'readdirSync', 'opendirSync'];
  const saved = names.map((n) => f[n]);
  const seen: string[] = [];
  names.forEach((n, i) => {
    f[n] = function (this: unknown, p: unknown, ...rest: unknown[]) {
      if (typeof p === 'string') seen.push(path.resolve(p));
      return saved[i].call(this, p, ...rest);
    };
  });
  try {
    run();
  } finally {
    names.forEach((n, i) => { f[n] = saved[i]; });
  }
  return seen.map((p) => (fs.existsSync(p) ? fs.realpathSync(p) : p));
}
