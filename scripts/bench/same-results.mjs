// Two builds of linger, the same results? For a change meant to be faster and nothing else:
//   node scripts/bench/same-results.mjs <other checkout, built> [folder of repositories]
// runs `linger audit --format json` of this checkout and of the other from the root of each
// repository in the folder (default: the real-world repositories the audit of ../shared/real-world
// fetched, ~/.cache/linger-real-world/src) and compares findings (fixes included), listeners,
// skipped files and the files analysed. Prints one line per repository with both wall times; exits 1
// when any repository differs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [otherArg, reposArg] = process.argv.slice(2);
if (!otherArg) {
  console.error('usage: node scripts/bench/same-results.mjs <other linger checkout> [folder of repositories]');
  process.exit(2);
}
const other = resolve(otherArg);
const repos = resolve(reposArg ?? join(homedir(), '.cache', 'linger-real-world', 'src'));
for (const root of [here, other]) {
  if (!existsSync(join(root, 'dist', 'cli.js'))) {
    console.error(`${root}: not built (npm run build)`);
    process.exit(2);
  }
}

function audit(root, cwd) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'linger.js'), 'audit', '--format', 'json'], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status === null || r.status > 1) throw new Error(`${root} in ${cwd}: exit ${r.status}: ${r.stderr.slice(-500)}`);
  const report = JSON.parse(r.stdout);
  return { ms, findings: report.findings.length, key: JSON.stringify([report.findings, report.listeners, report.summary.skipped, report.summary.files]) };
}

let differ = 0;
for (const name of readdirSync(repos).sort()) {
  const cwd = join(repos, name);
  const a = audit(here, cwd);
  const b = audit(other, cwd);
  const same = a.key === b.key;
  if (!same) differ++;
  console.log(`${same ? 'same     ' : 'DIFFERENT'} ${name.padEnd(36)} findings ${String(a.findings).padStart(4)} / ${String(b.findings).padStart(4)}  ` +
    `${(a.ms / 1000).toFixed(2)} s / ${(b.ms / 1000).toFixed(2)} s (this / other)`);
}
console.log(differ ? `${differ} repositories differ` : 'the same results everywhere');
process.exit(differ ? 1 : 0);
