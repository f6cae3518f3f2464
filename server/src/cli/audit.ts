// `linger audit`: find the files, analyse them (from the cache where nothing changed), apply the
// safe fixes when asked, print the report and return ESLint's exit code: 0 clean, 1 problems
// (errors, files that could not be analysed, more warnings than allowed), 2 when the audit could
// not be done as asked (bad usage, a path or config that cannot be read, nothing to analyse).
import * as fs from 'fs';
import * as path from 'path';
import { PROGRAM_FILE_SIZE_LIMIT } from '../core/files';
import { analyseFiles } from './analyse';
import { AuditArgs } from './args';
import { AuditCache, cachePath, deleteCache } from '../cache/cache';
import { conclude } from './conclude';
import { dependenciesOf } from '../cache/dependencies';
import { applySafeFixes } from './fix';
import { fail, Io } from './io';
import { listAuditFiles } from './listing';
import { recordReplay } from './record-replay';
import { replayable } from './replay';
import { AuditReport } from './report';
import { toSarif } from './sarif';
import { Split, split } from './shard';
import { workspaceRoots } from './workspace';
import { createAnalyzer } from '../analyzer';

export function audit(a: AuditArgs, io: Io): number {
  const started = Date.now();
  const resolve = (p: string) => path.resolve(io.cwd, p);
  const project = a.project ? resolve(a.project) : undefined;
  if (project && !fs.existsSync(project)) return fail(io, `--project ${a.project}: no such file`);
  const options = {
    rules: a.rules, project, timeBudgetMs: a.timeBudgetMs,
    boundary: { roots: workspaceRoots(io.cwd, a.paths.map(resolve), project), configsAbove: true },
  };
  const analyzer = createAnalyzer({ ...options, shareSyntaxTrees: true });

  // Which files.
  const listed = listAuditFiles(a, io.cwd, analyzer, project);
  if ('error' in listed) return fail(io, listed.error);
  let { files, skipped } = listed;

  // One slice of the files (a CI job matrix): only its projects are loaded, only its files analysed.
  let shard: Split | undefined;
  if (a.shard) {
    shard = split(analyzer, io.cwd, a.shard, files, skipped, resultOptions(a));
    ({ files, skipped } = shard);
    if (!files.length) io.stderr(`linger: shard ${a.shard.index}/${a.shard.count} has none of the ${shard.info.files} files`);
  }

  // Analysis, from the cache where the inputs are unchanged.
  const cacheFile = cachePath(io.cwd, a.cacheLocation);
  const cache = a.cache ? new AuditCache(cacheFile, analyzer, { rules: a.rules, project }) : undefined;
  if (!a.cache) deleteCache(cacheFile);
  let outcomes = analyseFiles(files, analyzer, cache, shard?.load);
  const readText = (f: string) => analyzer.files.readText(f, PROGRAM_FILE_SIZE_LIMIT, 'source').text;
  let fixed: AuditReport['fixed'];
  if (a.fix) {
    const r = applySafeFixes(outcomes, analyzer, a.unusedDirectives, readText);
    outcomes = r.outcomes;
    fixed = [...r.fixed].map(([file, x]) => ({ file, ...x }));
    if (a.fix === 'write') {
      for (const x of fixed) {
        fs.writeFileSync(x.file, x.output);
        cache?.forget(x.file);
      }
      if (cache) {
        const again = outcomes.filter((o) => r.reanalysed.has(o.file));
        const deps = dependenciesOf(analyzer, again.filter((o) => !o.skipped).map((o) => o.file));
        for (const o of again) if (!o.skipped) cache.store(o, deps.get(o.file));
      }
    }
  }
  let sarif: string | undefined;
  const code = conclude({
    outcomes, discovered: skipped, fixed, started, fromCache: cache?.hits, shard: shard?.info,
    sarif: (report, fixedText, shardInfo) => (sarif = toSarif(report, io.cwd, (f) => fixedText.get(f) ?? readText(f), shardInfo)),
  }, a, io);
  if (cache) {
    try {
      cache.save();
      // How the next run with these arguments can print this report without loading the analyzer,
      // recorded with the report and the cache written (an --output or --cache-location in a folder
      // the audit lists is then no change), and saved with the entries it was made from.
      if (replayable(a) && (cache.replay = recordReplay(a, io.cwd, options, cache.content, cacheFile, sarif))) cache.save();
    } catch (e) {
      io.stderr(`linger: warning: the cache ${cache.file} cannot be written (${(e as Error).message})`);
    }
  }
  return code;
}

/** The options that change what a report holds: shards run with different ones cannot be merged. */
function resultOptions(a: AuditArgs): unknown {
  return { paths: a.paths, project: a.project, rules: a.rules, quiet: a.quiet, unusedDirectives: a.unusedDirectives, timeBudgetMs: a.timeBudgetMs };
}
