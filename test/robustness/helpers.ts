// Helpers of the robustness tests: scratch workspaces, the CLI as a child process, the corpus.
import { execFileSync, spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'bin', 'linger.js');

/** A folder in the OS temp dir filled with `files` (path -> text); removed by `cleanup()`. */
export function workspace(files: Record<string, string>, prefix = 'linger-robust-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return dir;
}

export function cleanup(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** `linger <args>` in `cwd`, with a timeout (a hang is a failure, not a stuck test run). */
export function linger(args: string[], cwd: string, timeoutMs = 60_000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
}

/** A script of scripts/ as a child process (it loads TypeScript sources through tsx itself). */
export function script(name: string, args: string[], timeoutMs: number): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts', name), ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * The shared corpus, when it can be had: $LINGER_CORPUS, else ../shared/corpus/fetch-corpus.sh next to
 * the repository (it installs the pinned packages with npm on first use). Undefined on machines without it.
 */
export function corpus(): string | undefined {
  const env = process.env.LINGER_CORPUS;
  if (env && fs.existsSync(path.join(env, 'node_modules'))) return env;
  const fetch = path.join(ROOT, '..', 'shared', 'corpus', 'fetch-corpus.sh');
  if (!fs.existsSync(fetch)) return undefined;
  try {
    const out = execFileSync('bash', [fetch], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 600_000 });
    const dir = out.trim().split('\n').pop();
    return dir && fs.existsSync(path.join(dir, 'node_modules')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

export const LEAK_TS = `import * as net from 'net';
export function probe(port: number) {
  const s = net.connect(port);
  s.write('ping');
}
`;
