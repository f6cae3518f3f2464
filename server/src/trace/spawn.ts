// Starting the traced command: the preload goes into NODE_OPTIONS, so every Node process the
// command starts (npm, a child_process.fork, a worker thread) loads it too.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENV_ALL_SOCKETS, ENV_DIR, ENV_INTERVAL } from './records';

/**
 * The built preload: beside the bundled CLI (dist/), or in dist/ of the source tree (tests run the
 * TypeScript sources).
 */
export function findPreload(): string | null {
  const candidates = [path.join(__dirname, 'trace-preload.js'), path.resolve(__dirname, '../../../dist/trace-preload.js')];
  return candidates.find((file) => fs.existsSync(file)) ?? null;
}

/**
 * `--require` rather than `--import`: a CommonJS preload runs before CommonJS and ESM entry points
 * alike, and also in worker threads, where Node 20 does not run `--import` preloads.
 */
export function nodeOptions(existing: string | undefined, preload: string): string {
  const quoted = `"${preload.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return [existing?.trim(), `--require ${quoted}`].filter(Boolean).join(' ');
}

export interface SpawnOptions {
  command: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  preload: string;
  journalDir: string;
  intervalMs: number;
  allSockets: boolean;
}

export function spawnTraced(o: SpawnOptions): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...o.env,
    NODE_OPTIONS: nodeOptions(o.env.NODE_OPTIONS, o.preload),
    [ENV_DIR]: o.journalDir,
    [ENV_INTERVAL]: String(o.intervalMs),
  };
  if (o.allSockets) env[ENV_ALL_SOCKETS] = '1';
  else delete env[ENV_ALL_SOCKETS];
  // Windows finds npm.cmd and friends only through the shell.
  const windows = process.platform === 'win32';
  const [file, ...args] = o.command;
  return spawn(windows ? o.command.map(quoteWindows).join(' ') : file, windows ? [] : args, {
    cwd: o.cwd,
    env,
    stdio: 'inherit',
    shell: windows,
  });
}

function quoteWindows(word: string): string {
  return /^[\w./:\\=-]+$/.test(word) ? word : `"${word.replace(/"/g, '""')}"`;
}
