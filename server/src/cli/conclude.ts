// The end of `linger audit`, once every file has its outcome: the report (sorted, so that it is the
// same whichever order or shards its files came in), the output in the chosen format, the messages
// about configs, and ESLint's exit code. Shared by the audit (audit.ts) and the replay of a cached
// one (replay.ts), which must print exactly what the audit would. No TypeScript here: SARIF, which
// needs the rules and the syntax tree, comes in as a function from the audit.
import * as path from 'path';
import { SkippedFile } from '../core/types';
import { AuditArgs } from './args';
import { useColor } from './colors';
import { toJson, toText } from './formats';
import { fail, Io, writeReport } from './io';
import { FileOutcome } from '../cache/outcome';
import { AuditReport, directiveFindings, Reported, sortReported, compareFiles, verdict } from './report';
import type { ShardInfo } from './shard';

export interface Conclusion {
  outcomes: FileOutcome[];
  /** Files the listing found but did not analyse (links out of the workspace, FIFOs). */
  discovered: SkippedFile[];
  fixed?: AuditReport['fixed'];
  started: number;
  /** Files taken from the cache, with --cache. */
  fromCache?: number;
  shard?: ShardInfo;
  /** SARIF text of the report: written by the audit; a replay prints the one its recorded run wrote. */
  sarif?: (report: AuditReport, fixedText: Map<string, string>, shard?: ShardInfo) => string;
}

/** What the audit looked at, for messages: the paths given, the config, or the current folder. */
export function auditedWhere(a: AuditArgs, cwd: string): string {
  return a.paths.length ? a.paths.join(', ') : a.project ? `the files of ${a.project}` : cwd;
}

/** Prints the report and returns the exit code. */
export function conclude(c: Conclusion, a: AuditArgs, io: Io): number {
  const report = buildReport(c.outcomes, c.discovered, a, c.fixed, Date.now() - c.started);
  if (c.fromCache !== undefined) report.fromCache = c.fromCache;
  const policy = { maxWarnings: a.maxWarnings, errorOnUnanalysed: a.errorOnUnanalysed };
  const v = verdict(report, policy);

  const relative = a.paths.every((p) => !path.isAbsolute(p)) && !(a.project && path.isAbsolute(a.project));
  const display = (abs: string) => (relative ? path.relative(io.cwd, abs) || abs : abs);
  const shardInfo = c.shard && { ...c.shard, analysed: report.files.length };
  let text: string;
  if (a.format === 'json') text = toJson(report, display, shardInfo);
  else if (a.format === 'sarif') {
    if (!c.sarif) throw new Error('SARIF output without a SARIF writer');
    text = c.sarif(report, new Map((c.fixed ?? []).map((x) => [x.file, x.output])), shardInfo);
  } else {
    text = toText(report, display, v, {
      color: useColor({ flag: a.color, env: io.env ?? {}, isTTY: !!io.isTTY, toFile: !!a.output }),
      quiet: a.quiet,
      errorOnUnanalysed: a.errorOnUnanalysed,
    });
  }
  const unwritten = writeReport(io, a.output, text);
  if (unwritten) return fail(io, unwritten);
  for (const w of report.configWarnings) io.stderr(`linger: warning: ${w}`);
  for (const e of report.configErrors) io.stderr(`linger: ${e}`);
  if (v.code === 2) return 2;
  // A shard cannot tell: the others may have analysed files (`linger merge` checks the whole).
  if (!c.shard && !report.files.length && !(v.unanalysed && a.errorOnUnanalysed)) {
    return fail(io, `no file under ${auditedWhere(a, io.cwd)} was analysed (${report.skipped.length} skipped): nothing was checked`);
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
  report.skipped.sort((x, y) => compareFiles(x.file, y.file));
  report.configErrors = [...errors].sort(compareFiles);
  report.configWarnings = [...warnings].sort(compareFiles);
  return report;
}
