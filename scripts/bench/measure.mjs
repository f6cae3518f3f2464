// Measuring commands for the benchmarks: one run = wall time, CPU time (user + system, children
// included) and peak RSS, read from GNU time (`/usr/bin/time`, Debian package `time`) when the
// machine has it; interleaved rounds (A, B, C, A, B, C…) after a warm-up, so that a change in the
// machine's load touches every tool alike; medians and per-round ratios.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p) && spawnSync(p, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0);
const scratch = mkdtempSync(join(tmpdir(), 'linger-bench-time-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

export const hasGnuTime = !!GNU_TIME;

/**
 * Runs a command once. `ok(status)` says which exit codes are normal (tsc exits 2 on type errors,
 * linger 1 on findings). Returns { wallMs, cpuMs, rssMb, stdout } (cpuMs and rssMb undefined
 * without GNU time).
 */
export function runOnce(cmd, args, { cwd, ok = (s) => s === 0, env } = {}) {
  const out = join(scratch, 'time.txt');
  const [file, argv] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S %M', '-o', out, cmd, ...args]] : [cmd, args];
  const started = process.hrtime.bigint();
  const r = spawnSync(file, argv, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error) throw r.error;
  if (r.status === null || !ok(r.status)) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}:\n${(r.stderr || r.stdout).slice(0, 2000)}`);
  }
  let cpuMs;
  let rssMb;
  if (GNU_TIME) {
    // GNU time writes "Command exited with non-zero status N" before the figures.
    const last = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpuMs = (last[0] + last[1]) * 1000;
    rssMb = last[2] / 1024;
  }
  return { wallMs, cpuMs, rssMb, stdout: r.stdout };
}

/**
 * Interleaved runs of several tools: `warmup` rounds not counted, then `runs` rounds; the order of
 * the tools rotates from round to round. `tools`: [{ name, cmd, args, cwd?, ok?, check?(run) }].
 * Returns { [name]: [run, …] }.
 */
export function interleave(tools, { runs, warmup = 1, onRound } = {}) {
  const results = Object.fromEntries(tools.map((t) => [t.name, []]));
  for (let round = 0; round < warmup + runs; round++) {
    const order = tools.map((_, i) => tools[(i + round) % tools.length]);
    for (const t of order) {
      const r = runOnce(t.cmd, t.args, t);
      t.check?.(r);
      if (round >= warmup) results[t.name].push(r);
    }
    onRound?.(round - warmup + 1);
  }
  return results;
}

export const median = (xs) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : undefined;
};

/** Median of the per-round ratios a[i]/b[i] (rounds are interleaved, so each pair saw the same load). */
export function pairedRatio(a, b, key = 'wallMs') {
  return median(a.map((x, i) => x[key] / b[i][key]));
}

export function summary(list) {
  const f = (key, digits = 0) => {
    const m = median(list.map((r) => r[key]));
    return m === undefined ? 'n/a' : m.toFixed(digits);
  };
  return `wall ${f('wallMs').padStart(6)} ms  cpu ${f('cpuMs').padStart(6)} ms  rss ${f('rssMb').padStart(4)} MB  (wall runs: ${list.map((r) => r.wallMs.toFixed(0)).join(', ')})`;
}

export function load() {
  return loadavg().map((x) => x.toFixed(2)).join(' ');
}
