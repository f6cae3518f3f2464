// `linger audit --cache` when nothing changed, without loading the analyzer. The run before recorded,
// in the cache file, how it found its files and looked them up (record-replay.ts): every call to the
// file system the listing and the lookups made (resolving links, stat, folder listings, file texts
// and the configs around them), with what each returned. When each call returns the same now, the
// listing would find the same files and every lookup would hit, so the report is the cached outcomes
// of those files, printed by the same code as the audit's (conclude.ts); a SARIF report is the one
// the recorded run printed (the same findings and file texts give the same SARIF). Anything else —
// another build or other arguments, one call with another answer, --fix, --shard, SARIF shaped by
// other options, a cache that does not have the expected shape — and the audit runs as usual
// (bin/linger.js). This file and what it imports are the dist/replay.js bundle: no TypeScript, so
// the answer comes in the time Node takes to start (scripts/build.mjs fails if TypeScript gets in).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CacheFile, cachePath, readCacheFile, Replay, toolStamp } from '../cache/cache';
import { FileOutcome } from '../cache/outcome';
import { FileAccess } from '../core/files';
import { FsOp, observeAgain } from '../core/fs-observation';
import { AuditArgs, parseAudit } from './args';
import { conclude } from './conclude';
import { Io } from './io';
import { workspaceRoots } from './workspace';

/** Whether a run with these arguments may be replayed (and so is worth recording). */
export function replayable(a: AuditArgs): boolean {
  return a.cache && !a.fix && !a.shard;
}

/** The options besides the findings that shape a SARIF report. */
export function sarifShape(a: AuditArgs): string {
  return JSON.stringify({ quiet: a.quiet, unusedDirectives: a.unusedDirectives });
}

/** What a recorded run must share with this one besides the tool and its options (the cache's own key). */
export function replayKey(a: AuditArgs, cwd: string, roots: string[], project: string | undefined): string {
  const paths = a.paths.map((p) => path.resolve(cwd, p));
  return createHash('sha1').update(JSON.stringify({ cwd, roots, paths, project: project ?? null, timeBudgetMs: a.timeBudgetMs ?? null, platform: process.platform })).digest('hex');
}

/** The exit code of the replayed audit `argv` (after `audit`), or undefined when it must run. */
export function replayAudit(argv: string[], io: Io): number | undefined {
  const started = Date.now();
  if (argv.includes('--help') || argv.includes('-h')) return undefined;
  let a: AuditArgs;
  try {
    a = parseAudit(argv);
  } catch {
    return undefined; // the audit says what is wrong
  }
  if (!replayable(a)) return undefined;
  const project = a.project ? path.resolve(io.cwd, a.project) : undefined;
  if (project && !fs.existsSync(project)) return undefined;
  const data = readCacheFile(cachePath(io.cwd, a.cacheLocation));
  const run = data?.replay;
  if (!data || !isReplay(run) || data.tool !== toolStamp({ rules: a.rules, project })) return undefined;
  const roots = workspaceRoots(io.cwd, a.paths.map((p) => path.resolve(io.cwd, p)), project);
  if (run.key !== replayKey(a, io.cwd, roots, project)) return undefined;
  const sarif = run.sarif;
  if (a.format === 'sarif' && !(sarif && typeof sarif.text === 'string' && sarif.shape === sarifShape(a))) return undefined;
  // The cache file is workspace content: it opens nothing the audit itself would not (the boundary of files.ts).
  const files = new FileAccess({ roots, configsAbove: true });
  for (const [op, p, digest] of run.observed) {
    if (!mayOpen(files, op, p) || observeAgain(op, p) !== digest) return undefined;
  }
  const outcomes = outcomesOf(data, run.files);
  if (!outcomes) return undefined;
  try {
    return conclude({ outcomes, discovered: run.skipped, started, fromCache: outcomes.length, sarif: () => sarif!.text }, a, io);
  } catch {
    return undefined; // an outcome of another shape (the report is written last, so nothing was printed)
  }
}

/** Folders are listed inside the workspace only; files read are the workspace's, configs above it, type declarations. */
function mayOpen(files: FileAccess, op: FsOp, p: string): boolean {
  if (op === 'readdir') return files.insideRoots(p);
  if (op.startsWith('read:')) return !files.refusal(p, 'program') || !files.refusal(p, 'config');
  return true; // resolving a link, stat, lstat: no file is opened
}

function outcomesOf(data: CacheFile, files: string[]): FileOutcome[] | undefined {
  const out: FileOutcome[] = [];
  for (const f of files) {
    const o = data.files[f]?.outcome;
    if (!isOutcome(o) || o.file !== f) return undefined;
    out.push(o);
  }
  return out;
}

// The cache file is workspace content: its shape is checked before it is trusted with a report.
const OPS = new Set<string>(['realpath', 'exists', 'stat', 'lstat', 'readdir']);
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

function isReplay(r: unknown): r is Replay {
  const x = r as Replay | undefined;
  return !!x && typeof x.key === 'string' && isStrings(x.files) && Array.isArray(x.skipped)
    && x.skipped.every((s) => !!s && typeof s.file === 'string' && typeof s.reason === 'string')
    && Array.isArray(x.observed)
    && x.observed.every((o) => isStrings(o) && o.length === 3 && (OPS.has(o[0]) || /^read:\d+$/.test(o[0])));
}

function isOutcome(o: unknown): o is FileOutcome {
  const x = o as FileOutcome | undefined;
  return !!x && typeof x.file === 'string' && Array.isArray(x.findings) && Array.isArray(x.listeners) && Array.isArray(x.directives)
    && isStrings(x.configErrors) && isStrings(x.configWarnings);
}
