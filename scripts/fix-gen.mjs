// `node scripts/fix-gen.mjs [--seed S] [--count N] [--per-file K] [--json] [--fail-dir DIR]`: the generative
// fix checker (test/robustness/fixgen/). Generates N functions (default 5,000) from seed S (default: random,
// printed), applies every fix the analyzer offers and checks each: parses, adds no TypeScript error,
// removes its finding, adds none, and keeps the behaviour (same statements in the same order, the release
// on every exit). Prints the seed, the counts and each failure (original and fixed function), writes the
// failures under .fuzz-failures/fixgen/. Exit code 0 when nothing failed.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

if (!process.env.LINGER_FIXGEN_CHILD) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, LINGER_FIXGEN_CHILD: '1' } });
  process.exit(r.status ?? 1);
}

const argv = process.argv.slice(2);
const value = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const number = (name, dflt) => {
  const v = value(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) { console.error(`${name} needs a non-negative integer, got ${JSON.stringify(v)}`); process.exit(2); }
  return n;
};
const seed = number('--seed', randomInt(1, 2 ** 31 - 1));
const count = number('--count', 5000);
const perFile = number('--per-file', 40) || 40;
const outDir = path.resolve(value('--fail-dir') ?? path.join(ROOT, '.fuzz-failures', 'fixgen'));
console.log(`fix generator: seed ${seed}, ${count} functions (reproduce: node scripts/fix-gen.mjs --seed ${seed} --count ${count})`);

const { runGenerated } = await import(pathToFileURL(path.join(ROOT, 'test/robustness/fixgen/run.ts')).href);
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'linger-fixgen-')));
const started = Date.now();
let lastReport = started;
let stats;
try {
  stats = runGenerated({
    seed, count, perFile, dir,
    onFile: (files, s) => {
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        console.log(`  … ${s.functions} functions, ${s.fixes} fixes, ${s.failures.length} failures (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      }
    },
  });
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
const seconds = (Date.now() - started) / 1000;
const byReason = {};
for (const f of stats.failures) byReason[f.reason] = (byReason[f.reason] ?? 0) + 1;
if (stats.failures.length) fs.mkdirSync(outDir, { recursive: true });
stats.failures.forEach((f, i) => {
  const base = path.join(outDir, `${seed}-${i + 1}-${f.reason.replace(/[^\w-]/g, '_')}`);
  fs.writeFileSync(`${base}.original${f.ext}`, f.original);
  fs.writeFileSync(`${base}.fixed${f.ext}`, f.fixed);
  fs.writeFileSync(`${base}.json`, JSON.stringify({ seed, ...f, original: undefined, fixed: undefined }, null, 2));
  if (i < 20) {
    console.error(`\nFAIL ${f.reason} (${f.safe ? 'safe' : 'review'} fix "${f.fix}") for ${f.finding}\n  ${f.detail.split('\n').join('\n  ')}`);
    console.error(`--- original\n${f.original}--- fixed\n${f.fixed}  written to ${base}.*`);
  }
});
const summary = {
  seed, functions: stats.functions, files: stats.files, findings: stats.findings, fixes: stats.fixes, safeFixes: stats.safeFixes, leakFixes: stats.leakFixes,
  behaviourChecked: stats.behaviourChecked, behaviourSkipped: stats.behaviourSkipped, failures: stats.failures.length, byReason,
  seconds: Number(seconds.toFixed(1)), functionsPerSecond: Number((stats.functions / seconds).toFixed(1)),
  fixesByTitle: stats.fixesByTitle, features: stats.features, fixedFeatures: stats.fixedFeatures,
};
console.log(`fix generator: seed ${seed}: ${stats.functions} functions in ${stats.files} files, ${stats.findings} findings, `
  + `${stats.fixes} fixes applied (${stats.safeFixes} safe), behaviour compared for ${stats.behaviourChecked} of ${stats.leakFixes} release fixes `
  + `(${stats.behaviourSkipped} not comparable): ${stats.failures.length} failures${stats.failures.length ? ` ${JSON.stringify(byReason)}` : ''} in ${seconds.toFixed(1)} s`);
if (argv.includes('--json')) console.log(`FIXGEN-SUMMARY ${JSON.stringify(summary)}`);
process.exit(stats.failures.length ? 1 : 0);
