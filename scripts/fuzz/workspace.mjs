// Workspace-level mutations for the fuzzer (scripts/fuzz.mjs, phase 3): not the text of one file but
// the workspace around it — links (to itself, its parent, /, outside folders, loops, dangling),
// special files (FIFOs, links to /dev/zero) where sources and configs are expected, config files of
// every shape (broken JSON, wrong types, deep nesting, huge, `extends` loops and escapes, includes
// of outside paths), pathological exclude globs and huge source files. Scenario i is a pure
// function of (seed, i): `buildScenario` lays it out in a fresh folder and returns what it did.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs'; // the module object itself: readsDuring patches it
import * as path from 'node:path';
import { hashSeed, Rng } from './rng.mjs';

const LEAK = "import * as net from 'net';\nexport function probe(port: number) {\n  const s = net.connect(port);\n  s.write('ping');\n}\n";
const CLEAN = "export const answer = 42;\n";
const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json', '.lingerrc.json', 'package.json'];
const canMkfifo = process.platform !== 'win32';

/** Config texts of every shape: valid, broken, wrong types, deep, huge. */
function configText(rng, name, outside) {
  const shapes = [
    () => '{}',
    () => '',
    () => '{ "compilerOptions": ',
    () => rng.pick(['[]', '42', 'null', '"a string"', 'true']),
    () => `${'['.repeat(rng.pick([100, 5000, 100_000]))}${']'.repeat(0)}`,
    () => JSON.stringify({ a: 'x'.repeat(rng.pick([10_000, 5_000_000])) }),
    () => '\uFEFF{ /* comment */ "compilerOptions": { "allowJs": true, }, }',
  ];
  if (name === '.lingerrc.json') {
    shapes.push(
      () => JSON.stringify({ rules: { 'unclosed-connection': rng.pick(['off', 'error', 'loud', 42]) } }),
      () => JSON.stringify({ exclude: [rng.pick(['*a*a*a*a*a*a*a*a*a*b', '**/**/**/**/**/**/x', '{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}', '!', '/', '[', '**', 'src/', '!src/a.ts'])] }),
      () => JSON.stringify({ maxFileSize: rng.pick([1, -1, 1e20, 'big']), timeBudgetMs: rng.pick([1, 0, 'x']) }),
    );
  } else if (name === 'package.json') {
    shapes.push(() => JSON.stringify({ name: 'x', linger: rng.pick([{ rules: [] }, null, 7, { exclude: ['dist'] }]) }));
  } else {
    shapes.push(
      () => JSON.stringify({ extends: rng.pick(['./tsconfig.json', './jsconfig.json', '/dev/zero', path.join(outside, 'tsconfig.json'), './missing.json', '@tsconfig/none/tsconfig.json']) }),
      () => JSON.stringify({ include: [rng.pick(['../**/*', '/**/*', `${outside}/**/*`, '**/*', 'src/**/*.ts'])], compilerOptions: { allowJs: rng.chance(0.5) } }),
      () => JSON.stringify({ files: ['/dev/zero', '../outside.ts', 'src/a.ts'] }),
      () => JSON.stringify({ compilerOptions: { plugins: [{ name: 'evil' }], types: ['node'], lib: ['dom'], target: 'es2099' } }),
    );
  }
  return rng.pick(shapes)();
}

/**
 * Lay out scenario `index` under `dir` (created empty): a small project, then 1–6 mutations.
 * `outside` is a folder next to the workspace holding files that must never be read.
 * Returns { ws, outside, ops } where ops names the mutations (for the failure report).
 */
export function buildScenario(seed, index, dir) {
  const rng = new Rng(hashSeed(seed, 'workspace', index));
  const ws = path.join(dir, 'ws');
  const outside = path.join(dir, 'outside');
  fs.mkdirSync(path.join(ws, 'src', 'lib'), { recursive: true });
  fs.mkdirSync(path.join(outside, 'deep'), { recursive: true });
  fs.writeFileSync(path.join(outside, 'secret.ts'), LEAK);
  fs.writeFileSync(path.join(outside, 'deep', 'helper.ts'), 'export function keep(s: { write(x: string): void }) { s.write("x"); }\n');
  fs.writeFileSync(path.join(outside, 'tsconfig.json'), '{"compilerOptions":{"allowJs":true}}');
  fs.writeFileSync(path.join(ws, 'package.json'), '{"name":"scenario","private":true}');
  fs.writeFileSync(path.join(ws, 'src', 'a.ts'), LEAK);
  fs.writeFileSync(path.join(ws, 'src', 'lib', 'b.ts'), CLEAN);
  fs.writeFileSync(path.join(ws, 'src', 'c.js'), "const net = require('net');\nmodule.exports = () => net.connect(1);\n");
  const ops = [];
  const link = (target, at) => {
    try {
      fs.symlinkSync(target, path.join(ws, at));
      ops.push(`link ${at} -> ${target.startsWith(dir) ? path.relative(dir, target) : target}`);
    } catch { /* name taken by an earlier mutation */ }
  };
  const fifo = (at) => {
    if (!canMkfifo) return;
    try {
      execFileSync('mkfifo', [path.join(ws, at)], { stdio: 'ignore' });
      ops.push(`fifo ${at}`);
    } catch { /* name taken */ }
  };
  const write = (at, text, label) => {
    try {
      // A FIFO or a link an earlier mutation put there: writing would block on the FIFO (no reader) or follow the link.
      if (fs.lstatSync(path.join(ws, at), { throwIfNoEntry: false })?.isFile() === false) return;
      fs.mkdirSync(path.dirname(path.join(ws, at)), { recursive: true });
      fs.writeFileSync(path.join(ws, at), text);
      ops.push(label ?? `write ${at} (${text.length} chars)`);
    } catch { /* a link or a fifo took the name */ }
  };
  const where = () => rng.pick(['', 'src/', 'src/lib/']);
  const mutations = [
    () => link('.', `${where()}self`),
    () => link('..', `src/lib/up`),
    () => link('/', `${where()}root`),
    () => link(outside, `${where()}vendor`),
    () => link(path.join(outside, 'secret.ts'), `${where()}secret.ts`),
    () => link('/dev/zero', `${where()}zero.ts`),
    () => link('/etc/passwd', `${where()}passwd.ts`),
    () => link(path.join(ws, 'gone.ts'), `${where()}dangling.ts`),
    () => { link('loop-b.ts', 'src/loop-a.ts'); link('loop-a.ts', 'src/loop-b.ts'); },
    () => fifo(`${where()}pipe.ts`),
    () => {
      const name = rng.pick(CONFIG_NAMES);
      const at = `${rng.pick(['', 'src/'])}${name}`;
      const kind = rng.int(5);
      if (kind === 0) fifo(at);
      else if (kind === 1) link('/dev/zero', at);
      else if (kind === 2) link(path.join(outside, 'tsconfig.json'), at);
      else if (kind === 3) { try { fs.mkdirSync(path.join(ws, at)); ops.push(`folder named ${at}`); } catch { /* taken */ } }
      else write(at, configText(rng, name, outside), `config ${at}`);
    },
    () => {
      const name = rng.pick(CONFIG_NAMES);
      write(`${rng.pick(['', 'src/'])}${name}`, configText(rng, name, outside), `config ${name}`);
    },
    () => {
      // Large but not code-dense (a data table and one leak): the size caps, reading and parsing.
      // A file of thousands of small functions is a known bug of the analysis itself
      // (test/robustness/core-bugs.test.ts), not something to hang this pass on.
      const size = rng.pick([900_000, 1_100_000, 3_000_000]);
      let text = `${LEAK}export const TABLE = [\n`;
      for (let i = 0; text.length < size; i++) text += `  "row ${i} ${'x'.repeat(60)}",\n`;
      write(`${where()}huge.ts`, `${text}];\n`, `huge source (${size} chars)`);
    },
    () => write(`${where()}one-line.js`, `var x = [${'1,'.repeat(rng.pick([200_000, 600_000]))}];\n`),
    () => {
      let d = 'src';
      for (let i = 0; i < rng.pick([50, 200]); i++) d = path.join(d, 'd');
      write(path.join(d, 'deep.ts'), LEAK, 'source 50-200 folders deep');
    },
  ];
  const n = rng.range(1, 6);
  for (let i = 0; i < n; i++) rng.pick(mutations)();
  return { ws, outside, ops };
}

/**
 * Every path read, listed or opened through `fs` while `run` runs (the fs module object is patched,
 * as the security test does), resolved to where it leads.
 */
export function readsDuring(run) {
  const names = ['readFileSync', 'openSync', 'readdirSync', 'opendirSync'];
  const saved = names.map((n) => fs[n]);
  const seen = [];
  names.forEach((n, i) => {
    fs[n] = function (p, ...rest) {
      if (typeof p === 'string') seen.push(p);
      return saved[i].call(this, p, ...rest);
    };
  });
  try {
    run();
  } finally {
    names.forEach((n, i) => { fs[n] = saved[i]; });
  }
  return [...new Set(seen)].map((p) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  });
}

const NODE_OWN = ['/lib/', '/lib64/', '/usr/lib/', '/usr/lib64/', '/proc/', '/sys/', '/dev/null', '/dev/urandom'];

/**
 * Phase 3 of the fuzzer: scenario after scenario, an audit as the CLI runs it (discovery, then
 * analysis; the boundary is the workspace, parent configs allowed or not) must not throw, must not
 * report an internal error, must not read a file outside the workspace (other than this repository
 * and type declarations in node_modules), and must list each real file once. A hang is caught by
 * the fuzzer's parent process (progress line `w <index>`).
 */
export function runWorkspaceScenarios({ seed, indices, core, root, scratch, budget, fail, progress }) {
  const stats = { scenarios: 0, files: 0, skipped: 0, findings: 0, ms: [] };
  for (const index of indices) {
    progress(`w ${index}`);
    const dir = fs.mkdtempSync(path.join(scratch, `scenario${index}-`));
    const { ws, ops } = buildScenario(seed, index, dir);
    const realWs = fs.realpathSync(ws);
    const what = { index, ops };
    const configsAbove = new Rng(hashSeed(seed, 'workspace-above', index)).chance(0.5);
    const started = Date.now();
    let result;
    let reads = [];
    try {
      reads = readsDuring(() => {
        const analyzer = core.createAnalyzer({ boundary: { roots: [ws], configsAbove }, timeBudgetMs: budget });
        const listed = core.listSourceFiles([ws], analyzer);
        result = core.analyzeFiles(listed.files, { skipped: listed.skipped }, analyzer);
      });
    } catch (e) {
      fail('workspace-exception', what, `${e?.stack ?? e}`.split('\n').slice(0, 8).join('\n'));
    }
    stats.ms.push(Date.now() - started);
    if (result) {
      stats.scenarios++;
      stats.files += result.files.length;
      stats.skipped += result.skipped.length;
      stats.findings += result.findings.length;
      const internal = result.skipped.filter((s) => /internal error/.test(s.reason));
      if (internal.length) fail('workspace-internal-error', what, internal.map((s) => `${s.file}: ${s.reason}`).join('\n'));
      const inside = (p, r) => p === r || p.startsWith(r + path.sep);
      const outside = reads.filter((p) => !inside(p, realWs) && !inside(p, root) && !NODE_OWN.some((o) => p.startsWith(o))
        && !(/[\\/]node_modules[\\/]/.test(p) && (/\.d\.[cm]?ts$/.test(p) || p.endsWith('package.json')))
        && !(configsAbove && inside(realWs, path.dirname(p)) && /^(tsconfig.*|jsconfig.*|\.lingerrc|package)\.json$/.test(path.basename(p))));
      if (outside.length) fail('workspace-boundary', what, `read outside the workspace: ${outside.slice(0, 10).join(', ')}`);
      const reals = result.files.map((f) => { try { return fs.realpathSync(f); } catch { return f; } });
      const twice = reals.filter((f, i) => reals.indexOf(f) !== i);
      if (twice.length) fail('workspace-duplicate', what, `analysed more than once: ${[...new Set(twice)].join(', ')}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return stats;
}
