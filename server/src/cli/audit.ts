// `linger audit`: find the files, analyse them (from the cache where nothing changed), apply the
// safe fixes when asked, print the report and return ESLint's exit code: 0 clean, 1 problems
// (errors, files that could not be analysed, more warnings than allowed), 2 when the audit could
// not be done as asked (bad usage, a path or config that cannot be read, nothing to analyse).
import * as fs from 'fs';
import * as path from 'path';
import { listSourceFiles } from '../core/analyze';
import { PROGRAM_FILE_SIZE_LIMIT } from '../core/files';
import { SkippedFile } from '../core/types';
import { analyseFiles } from './analyse';
import { AuditArgs } from './args';
import { AuditCache, cachePath, deleteCache } from '../cache/cache';
import { useColor } from './colors';
import { dependenciesOf } from '../cache/dependencies';
import { applySafeFixes } from './fix';
import { toJson, toText } from './formats';
import { Io, writeReport } from './io';
import { FileOutcome } from '../cache/outcome';
import { filesOfConfig } from './project-files';
import { AuditReport, compareFiles, directiveFindings, Reported, sortReported, verdict } from './report';
import { toSarif } from './sarif';
import { Split, split } from './shard';
import { createAnalyzer } from '../analyzer';

export function audit(a: AuditArgs, io: Io): number {
  const started = Date.now();
  const resolve = (p: string) => path.resolve(io.cwd, p);
  const fail = (message: string) => {
    io.stderr(`linger: ${message}`);
    return 2;
  };
  const project = a.project ? resolve(a.project) : undefined;
  if (project && !fs.existsSync(project)) return fail(`--project ${a.project}: no such file`);
  const analyzer = createAnalyzer({
    rules: a.rules, project, timeBudgetMs: a.timeBudgetMs, shareSyntaxTrees: true,
    boundary: { roots: workspaceRoots(io.cwd, a.paths.map(resolve), project), configsAbove: true },
  });

  // Which files.
  let files: string[];
  let skipped: SkippedFile[] = [];
  if (a.paths.length) {
    const listed = listSourceFiles(a.paths.map(resolve), analyzer);
    if (listed.missing.length) return fail(`${path.relative(io.cwd, listed.missing[0]) || listed.missing[0]}: no such file or directory, or not readable`);
    ({ files, skipped } = listed);
  } else if (project) {
    const listed = filesOfConfig(analyzer, project);
    if ('error' in listed) return fail(listed.error);
    files = listed.files;
  } else {
    ({ files, skipped } = listSourceFiles([io.cwd], analyzer));
  }
  const where = a.paths.length ? a.paths.join(', ') : project ? `the files of ${a.project}` : io.cwd;
  if (!files.length) {
    return fail(`no JavaScript or TypeScript files under ${where}${skipped.length ? ` (${skipped.length} skipped: ${skipped[0].reason}${skipped.length > 1 ? ', …' : ''})` : ''}`);
  }

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
  if (cache) {
    try {
      cache.save();
    } catch (e) {
      io.stderr(`linger: warning: the cache ${cache.file} cannot be written (${(e as Error).message})`);
    }
  }

  const report = buildReport(outcomes, skipped, a, fixed, Date.now() - started);
  if (cache) report.fromCache = cache.hits;
  const policy = { maxWarnings: a.maxWarnings, errorOnUnanalysed: a.errorOnUnanalysed };
  const v = verdict(report, policy);

  // Output.
  const relative = a.paths.every((p) => !path.isAbsolute(p)) && !(a.project && path.isAbsolute(a.project));
  const display = (abs: string) => (relative ? path.relative(io.cwd, abs) || abs : abs);
  const fixedText = new Map((fixed ?? []).map((x) => [x.file, x.output]));
  const shardInfo = shard && { ...shard.info, analysed: report.files.length };
  const text = a.format === 'json' ? toJson(report, display, shardInfo)
    : a.format === 'sarif' ? toSarif(report, io.cwd, (f) => fixedText.get(f) ?? readText(f), shardInfo)
    : toText(report, display, v, {
      color: useColor({ flag: a.color, env: io.env ?? {}, isTTY: !!io.isTTY, toFile: !!a.output }),
      quiet: a.quiet,
      errorOnUnanalysed: a.errorOnUnanalysed,
    });
  const unwritten = writeReport(io, a.output, text);
  if (unwritten) return fail(unwritten);
  for (const w of report.configWarnings) io.stderr(`linger: warning: ${w}`);
  for (const e of report.configErrors) io.stderr(`linger: ${e}`);
  if (v.code === 2) return 2;
  // A shard cannot tell: the others may have analysed files (`linger merge` checks the whole).
  if (!shard && !report.files.length && !(v.unanalysed && a.errorOnUnanalysed)) {
    return fail(`no file under ${where} was analysed (${report.skipped.length} skipped): nothing was checked`);
  }
  if (v.reason) io.stderr(`linger: ${v.reason}`);
  return v.code;
}

function buildReport(outcomes: FileOutcome[], discovered: SkippedFile[], a: AuditArgs, fixed: AuditReport['fixed'], durationMs: number): AuditReport {
  const report: AuditReport = { findings: [], listeners: [], files: [], skipped: [...discovered], configErrors: [], configWarnings: [], durationMs, fixed };
  const errors = new Set<string>();
  const warnings = new Set<string>();
  for (const o of outcomes) {
    o.configErrors.forEach((e) => errors.add(e));
    o.configWarnings.forEach((w) => warnings.add(w));
    if (o.excluded) continue;
    if (o.skipped) {
      report.skipped.push({ file: o.file, reason: o.skipped, ...(o.fatal ? { fatal: true } : {}) });
      continue;
    }
    report.files.push(o.file);
    const all: Reported[] = [...o.findings, ...directiveFindings(o.file, o.directives, a.unusedDirectives)];
    report.findings.push(...(a.quiet ? all.filter((f) => f.severity === 'error') : all));
    report.listeners.push(...o.listeners);
  }
  sortReported(report.findings);
  sortReported(report.listeners);
  // Sorted, not in the order met: a report is the same whichever order (or shards) its files came in.
  report.skipped.sort((x, y) => compareFiles(x.file, y.file));
  report.configErrors = [...errors].sort(compareFiles);
  report.configWarnings = [...warnings].sort(compareFiles);
  return report;
}

/** The options that change what a report holds: shards run with different ones cannot be merged. */
function resultOptions(a: AuditArgs): unknown {
  return { paths: a.paths, project: a.project, rules: a.rules, quiet: a.quiet, unusedDirectives: a.unusedDirectives, timeBudgetMs: a.timeBudgetMs };
}

/**
 * What the audit may read: the current folder, and each path named outside it (a file's folder),
 * plus the folder of a --project config. Config files are also looked for above them, as tsc and
 * ESLint do; links out of these folders are not followed.
 */
function workspaceRoots(cwd: string, paths: string[], project?: string): string[] {
  const roots = [cwd];
  const add = (p: string) => {
    if (!roots.some((r) => p === r || p.startsWith(r + path.sep))) roots.push(p);
  };
  for (const p of paths) add(isFolder(p) ? p : path.dirname(p));
  if (project) add(path.dirname(project));
  return roots;
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
