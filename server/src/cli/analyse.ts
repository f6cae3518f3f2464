// The audit's analysis step: each file's outcome, from the cache when its inputs are unchanged,
// else from the analyzer (and then stored in the cache).
import { Analyzer } from '../core/analyze';
import { AuditCache } from '../cache/cache';
import { dependenciesOf } from '../cache/dependencies';
import { FileOutcome, isCacheable, outcomeOf } from '../cache/outcome';

/**
 * Outcomes of `files`, in their order. `load`: the files to put into their projects first (by
 * default `files`; a shard analyses some files of projects it loads whole).
 */
export function analyseFiles(files: string[], analyzer: Analyzer, cache?: AuditCache, load: string[] = files): FileOutcome[] {
  const outcomes = new Map<string, FileOutcome>();
  const stale = files.filter((f) => {
    const hit = cache?.lookup(f);
    if (hit) outcomes.set(f, hit);
    return !hit;
  });
  if (stale.length) {
    // Every file goes into its project first, as in a full audit: each project builds one program,
    // and a file's result does not depend on which other files were analysed with it.
    for (const f of load) {
      try {
        analyzer.projects.projectFor(f);
      } catch {
        /* reported by analyzeFile */
      }
    }
    const fresh = stale.map((f) => analyzer.analyzeFile(f));
    const deps = cache ? dependenciesOf(analyzer, fresh.filter((r) => !r.skipped).map((r) => r.file)) : undefined;
    for (const r of fresh) {
      const o = outcomeOf(r, tsconfigMessages(analyzer), ownConfigMessage(analyzer, r.file));
      outcomes.set(r.file, o);
      if (cache && isCacheable(o)) cache.store(o, deps?.get(r.file));
    }
  }
  return files.map((f) => outcomes.get(f)!);
}

/** One file again, from the given text (a fix applied in memory) or from disk. */
export function reanalyse(analyzer: Analyzer, file: string, text?: string): FileOutcome {
  const r = analyzer.analyzeFile(file, text);
  return outcomeOf(r, tsconfigMessages(analyzer), ownConfigMessage(analyzer, r.file));
}

function tsconfigMessages(analyzer: Analyzer): Set<string> {
  return new Set([...analyzer.projects.errors.values(), ...analyzer.projects.warnings.values()]);
}

function ownConfigMessage(analyzer: Analyzer, file: string): string | undefined {
  const owner = analyzer.projects.configPathFor(file);
  return owner ? analyzer.projects.errors.get(owner) ?? analyzer.projects.warnings.get(owner) : undefined;
}
