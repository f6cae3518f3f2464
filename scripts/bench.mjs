// `npm run bench`: times `linger audit --project` against `tsc --noEmit -p` (TypeScript 6) on the
// same tsconfig — mongodb's ~41k lines of TypeScript from the shared corpus — and prints both and
// the ratio (target: at most 0.5). Each command runs N times in a fresh process; medians are compared.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
const fetch = join(root, '..', 'shared', 'corpus', 'fetch-corpus.sh');
let corpus = process.env.LINGER_CORPUS;
if (!corpus) {
  if (!existsSync(fetch)) {
    console.error(`bench: no corpus (set LINGER_CORPUS or provide ${fetch})`);
    process.exit(2);
  }
  corpus = execFileSync('bash', [fetch], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
}
const tsconfig = join(corpus, 'tsconfig.mongodb.json');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function time(label, args) {
  const times = [];
  let out = '';
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    out = r.stdout;
    if (r.status === null || r.status > 2) throw new Error(`${label} failed: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], times, out };
}

const version = execFileSync(process.execPath, [tsc, '--version'], { encoding: 'utf8' }).trim();
console.log(`corpus: ${tsconfig}`);
const t = time('tsc', [tsc, '--noEmit', '-p', tsconfig]);
const l = time('linger', [join(root, 'bin', 'linger.js'), 'audit', '--project', tsconfig, '--format', 'json']);
const summary = JSON.parse(l.out).summary;
const fmt = (x) => `${x.median.toFixed(0)} ms (runs: ${x.times.map((v) => v.toFixed(0)).join(', ')})`;
console.log(`tsc --noEmit (${version}): ${fmt(t)}`);
console.log(`linger audit:            ${fmt(l)} — ${summary.files} files, ${summary.findings} findings, ${summary.skipped.length} skipped`);
const ratio = l.median / t.median;
console.log(`ratio linger/tsc: ${ratio.toFixed(2)} (target <= 0.50) ${ratio <= 0.5 ? 'OK' : 'OVER TARGET'}`);
