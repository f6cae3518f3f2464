// The fuzzer's parent process (scripts/fuzz.mjs): a hang or a crash (stack overflow, out of memory)
// of the analysis cannot be caught in the process that analyses, so it runs in a child, watched here.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Runs `script` (scripts/fuzz.mjs) again as the fuzzing child, with the TypeScript loader, and
 * watches the progress file it appends to: a child that makes no progress for --hang-ms is killed,
 * and a hang or a crash is reported with the mutant (or workspace scenario) it was on, written out.
 */
export async function runWatched(opts, script) {
  const progress = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'linger-fuzz-')), 'progress');
  fs.writeFileSync(progress, '');
  const args = ['--import', 'tsx', '--expose-gc', script, ...process.argv.slice(2)];
  const env = { ...process.env, LINGER_FUZZ_CHILD: '1', LINGER_FUZZ_PROGRESS: progress };
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });
  let lastSize = 0;
  let lastChange = Date.now();
  let hung = false;
  const timer = setInterval(() => {
    const size = fs.statSync(progress).size;
    if (size !== lastSize) {
      lastSize = size;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > opts.hangMs) {
      hung = true;
      proc.kill('SIGKILL');
    }
  }, 500);
  const [code, signal] = await new Promise((resolve) => proc.on('exit', (c, s) => resolve([c, s])));
  clearInterval(timer);
  if (!hung && signal === null && code !== null && code <= 2) process.exit(code);
  // Hung or died: name the mutant it was on, and write it out.
  const lines = fs.readFileSync(progress, 'utf8').trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  const what = hung ? `HANG: no progress for ${opts.hangMs} ms` : `CRASH: the fuzz worker died (${signal ?? `exit code ${code}`})`;
  console.error(`\nfuzz: ${what}, seed ${opts.seed}, while on: ${last}`);
  const m = /^m (\d+)/.exec(last);
  if (m) {
    const rest = process.argv.slice(2).filter((a, i, all) => !['--only', '--dump'].includes(a) && !['--only', '--dump'].includes(all[i - 1]));
    spawnSync(process.execPath, ['--import', 'tsx', script, ...rest, '--dump', m[1]],
      { cwd: ROOT, env: { ...env, LINGER_FUZZ_PROGRESS: '' }, stdio: 'inherit' });
    console.error(`fuzz: reproduce with: npm run fuzz -- ${rest.join(' ')} --only ${m[1]}`);
  } else if (/^w \d+/.test(last)) {
    console.error(`fuzz: reproduce with: npm run fuzz -- --seed ${opts.seed} --count 0 --only-workspace ${last.slice(2)}`);
  } else if (last) {
    console.error(`fuzz: reproduce by analysing the file named above (${last.slice(2)})`);
  }
  process.exit(1);
}
