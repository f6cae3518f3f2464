// The record the next `linger audit --cache` replays (replay.ts), made at the end of a cached audit:
// the listing and the cache lookups done again by a fresh analyzer (no link resolved, no folder
// listed, no file read before), which reports every file-system call it makes. Nothing is recorded
// when a lookup misses (a file was not cacheable, or changed during the run) or when the same call
// gave two answers: the next run then audits as usual. `sarif`: the SARIF report the run printed.
import { AuditCache, CacheFile, Replay } from '../cache/cache';
import { AnalyzerOptions } from '../core/analyze';
import { FsOp } from '../core/fs-observation';
import { createAnalyzer } from '../analyzer';
import { AuditArgs } from './args';
import { listAuditFiles } from './listing';
import { replayKey, sarifShape } from './replay';

export function recordReplay(a: AuditArgs, cwd: string, options: Omit<AnalyzerOptions, 'ruleSet'>, content: CacheFile, cacheFile: string, sarif?: string): Replay | undefined {
  const observed = new Map<string, [FsOp, string, string]>();
  let consistent = true;
  const analyzer = createAnalyzer({
    ...options,
    observer: (op, p, digest) => {
      const key = `${op}\0${p}`;
      const before = observed.get(key);
      if (!before) observed.set(key, [op, p, digest]);
      else if (before[2] !== digest) consistent = false;
    },
  });
  const listed = listAuditFiles(a, cwd, analyzer, options.project);
  if ('error' in listed) return undefined;
  const cache = new AuditCache(cacheFile, analyzer, { rules: a.rules, project: options.project }, content);
  if (!listed.files.every((f) => cache.lookup(f)) || !consistent) return undefined;
  return {
    key: replayKey(a, cwd, options.boundary?.roots ?? [], options.project),
    files: listed.files,
    skipped: listed.skipped,
    observed: [...observed.values()],
    ...(sarif !== undefined ? { sarif: { shape: sarifShape(a), text: sarif } } : {}),
  };
}
