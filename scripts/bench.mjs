// `npm run bench`: what a full `linger audit --project` costs next to the compilers users already run,
// on the same tsconfig: `tsc --noEmit` of TypeScript 6 (the project's devDependency) and the native
// `tsc --noEmit` of TypeScript 7 ("tsgo", installed on first use into ~/.cache/linger-bench). Each
// target is measured interleaved (linger, tsc, tsgo, then the next round in rotated order) after one
// warm-up round, over --runs rounds (default 5): wall time, CPU time (user + system) and peak RSS,
// medians, and the median of the per-round wall-time ratios (each pair of runs saw the same load).
// A run of linger that left any file unanalysed prints no ratio: it did less than the compilers.
//
// Targets: mongodb's sources; grpc-js's (with node16 resolution, which both compilers accept);
// generated projects of 1×, 4× and 16× mongodb's sources (how the cost grows); then the cached
// re-run (scripts/bench/cache.mjs).
// Options: --runs=N, --only=mongodb,grpc-js,scaling,cache, --scales=1,4,16,
//          --ab=<another checkout or build of linger> (adds it as a fourth tool, "linger-b"),
//          --tools=linger,linger-b (only these tools; ratios to tools left out are not printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheSection } from './bench/cache.mjs';
import { hasGnuTime, interleave, load, median, pairedRatio, runOnce, summary } from './bench/measure.mjs';
import { corpusDir, generatedProject, grpcNode16, tscPath, tsgoPath } from './bench/projects.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const opt = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const runs = Number(opt('runs', 5));
const only = new Set(opt('only', 'mongodb,grpc-js,scaling,cache').split(','));
const scales = opt('scales', '1,4,16').split(',').map(Number);
const other = opt('ab') && resolve(opt('ab'));
const toolNames = opt('tools') && new Set(opt('tools').split(','));

const corpus = corpusDir(root);
const tsc = tscPath(root);
const tsgo = tsgoPath();
const scratch = mkdtempSync(join(tmpdir(), 'linger-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

const version = (cmd, args) => runOnce(cmd, args).stdout.trim();
console.log(`node ${process.version}, ${cpus().length} cores, load average ${load()} at the start`);
console.log(`tsc:  ${version(process.execPath, [tsc, '--version'])} (node ${tsc})`);
console.log(`tsgo: ${version(tsgo, ['--version'])} (native, ${tsgo})`);
console.log(`${runs} interleaved rounds after 1 warm-up round; medians${hasGnuTime ? '' : ' (no GNU time: CPU and RSS not measured)'}\n`);

/** The three (or four) tools on one tsconfig. */
function tools(tsconfig) {
  const linger = (name, lingerRoot) => ({
    name, cmd: process.execPath, cwd: dirname(tsconfig),
    args: [join(lingerRoot, 'bin', 'linger.js'), 'audit', '--project', tsconfig, '--format', 'json'],
    ok: (s) => s === 0 || s === 1,
  });
  return [
    linger('linger', root),
    ...(other ? [linger('linger-b', other)] : []),
    { name: 'tsc', cmd: process.execPath, args: [tsc, '--noEmit', '-p', tsconfig], ok: (s) => s <= 2 },
    { name: 'tsgo', cmd: tsgo, args: ['--noEmit', '-p', tsconfig], ok: (s) => s <= 2 },
  ].filter((t) => !toolNames || toolNames.has(t.name));
}

/** What linger's JSON report says about a run: files analysed and skipped (the same every run). */
function auditSummary(run) {
  const { summary: s, findings } = JSON.parse(run.stdout);
  return { files: s.files, skipped: s.skipped.length, findings: findings.length };
}

function measure(label, tsconfig, targets) {
  const r = interleave(tools(tsconfig), {
    runs,
    onRound: (n) => process.stderr.write(`\r${label}: ${n ? `round ${n}/${runs}` : 'warm-up'} (load ${load()})   `),
  });
  process.stderr.write('\n');
  const a = auditSummary(r.linger[0]);
  console.log(`${label} (${tsconfig})`);
  console.log(`  linger audit:   ${summary(r.linger)} — ${a.files} files, ${a.findings} findings, ${a.skipped} skipped`);
  if (r['linger-b']) {
    console.log(`  linger-b audit: ${summary(r['linger-b'])} (${other})`);
    console.log(`  linger/linger-b: wall ${pairedRatio(r.linger, r['linger-b']).toFixed(3)}${hasGnuTime ? `, CPU ${pairedRatio(r.linger, r['linger-b'], 'cpuMs').toFixed(3)}` : ''} (medians of the per-round ratios)`);
  }
  if (!r.tsc || !r.tsgo) {
    console.log(`  load average after: ${load()}\n`);
    return { runs: r, audit: a };
  }
  console.log(`  tsc --noEmit:   ${summary(r.tsc)}`);
  console.log(`  tsgo --noEmit:  ${summary(r.tsgo)}`);
  if (a.skipped) {
    console.log(`  no ratio: linger left ${a.skipped} files unanalysed`);
    return { runs: r, audit: a };
  }
  const show = (name, ratio, target) => `${name} ${ratio.toFixed(2)}${target === undefined ? '' : ` (target <= ${target.toFixed(2)}) ${ratio <= target ? 'OK' : 'OVER TARGET'}`}`;
  const rss = median(r.linger.map((x) => x.rssMb)) / median(r.tsc.map((x) => x.rssMb));
  console.log(`  wall-time ratios: ${show('linger/tsc', pairedRatio(r.linger, r.tsc), targets?.tsc)}, ${show('linger/tsgo', pairedRatio(r.linger, r.tsgo), targets?.tsgo)}`);
  if (hasGnuTime) {
    console.log(`  CPU-time ratios:  linger/tsc ${pairedRatio(r.linger, r.tsc, 'cpuMs').toFixed(2)}, linger/tsgo ${pairedRatio(r.linger, r.tsgo, 'cpuMs').toFixed(2)}; ` +
      `peak RSS linger/tsc ${rss.toFixed(2)}${targets ? ` (target <= 1.00) ${rss <= 1 ? 'OK' : 'OVER TARGET'}` : ''}`);
  }
  console.log(`  load average after: ${load()}\n`);
  return { runs: r, audit: a };
}

if (only.has('mongodb')) measure('mongodb', join(corpus, 'tsconfig.mongodb.json'), { tsc: 0.15, tsgo: 1.0 });
if (only.has('grpc-js')) measure('grpc-js (node16)', grpcNode16(corpus));
if (only.has('scaling')) {
  const byScale = scales.map((n) => ({ n, ...measure(`generated ${n}× mongodb`, generatedProject(corpus, scratch, n)) }));
  const base = byScale[0];
  console.log(`cost growth (median wall, relative to ${base.n}×; linear is the size ratio, 10% allowed for noise):`);
  for (const s of byScale) {
    const growth = (tool) => median(s.runs[tool].map((x) => x.wallMs)) / median(base.runs[tool].map((x) => x.wallMs));
    const g = growth('linger');
    const skipped = byScale.some((x) => x.audit.skipped);
    const others = ['tsc', 'tsgo'].filter((t) => s.runs[t]).map((t) => `, ${t} ×${growth(t).toFixed(2)}`).join('');
    console.log(`  ${String(s.n).padStart(2)}×: ${s.audit.files} files; linger ×${g.toFixed(2)}${others}` +
      (skipped ? ' (files skipped: no verdict)' : ` (size ×${s.n / base.n}) ${g <= (s.n / base.n) * 1.1 ? 'OK' : 'WORSE THAN LINEAR'}`));
  }
  console.log();
}
if (only.has('cache')) await cacheSection({ root, corpus, tsconfig: join(corpus, 'tsconfig.mongodb.json'), runs });
console.log(`\nload average at the end: ${load()}`);
