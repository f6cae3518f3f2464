// Output formats of `linger audit`: stylish text and JSON (the documented shape). SARIF: sarif.ts.
import { Severity } from '../core/types';
import { VERSION } from '../core/version';
import { AuditReport, Reported, Verdict } from './report';
import type { ShardInfo } from './shard';

export type Display = (absFile: string) => string;

/** `shard`: set in the report of `linger audit --shard` (and only there: `linger merge` removes it). */
export function toJson(report: AuditReport, display: Display, shard?: ShardInfo): string {
  const findings = report.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: display(f.file),
    line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn,
    related: f.related.map((r) => ({ file: display(r.file), line: r.line, column: r.column, message: r.message })),
    fixes: f.fixes.map((x) => ({
      title: x.title,
      // Safe fixes are the ones --fix and the editor's "Fix all" apply; the others are for review.
      safe: x.safe,
      edits: x.edits.map((e) => ({ file: display(e.file), line: e.line, column: e.column, endLine: e.endLine, endColumn: e.endColumn, newText: e.newText })),
    })),
  }));
  const listeners = report.listeners.map((l) => ({ ...l, file: display(l.file) }));
  return JSON.stringify({
    tool: { name: 'linger', version: VERSION },
    ...(shard ? { shard } : {}),
    findings,
    listeners,
    ...(report.fixed ? { fixed: report.fixed.map((x) => ({ file: display(x.file), fixes: x.fixes, output: x.output })) } : {}),
    summary: {
      files: report.files.length,
      skipped: report.skipped.map((s) => ({ file: display(s.file), reason: s.reason, fatal: !!s.fatal })),
      findings: report.findings.length,
      durationMs: report.durationMs,
    },
  }, null, 2);
}

const COLORS = { red: 31, yellow: 33, blue: 34, gray: 90, underline: 4, bold: 1, green: 32 } as const;

export interface TextOptions {
  color: boolean;
  /** --quiet: no listener inventory, no list of files skipped on purpose. */
  quiet: boolean;
  /** Whether a file that could not be analysed counts as an error. */
  errorOnUnanalysed: boolean;
}

export function toText(report: AuditReport, display: Display, verdict: Verdict, opts: TextOptions): string {
  const c = (k: keyof typeof COLORS, s: string) => (opts.color ? `\x1b[${COLORS[k]}m${s}\x1b[0m` : s);
  const sevColor: Record<Severity, keyof typeof COLORS> = { error: 'red', warning: 'yellow', info: 'blue', hint: 'gray' };
  const out: string[] = [];
  // One block per file, in file order: its findings, or why it was not analysed.
  const blocks = new Map<string, { findings: Reported[]; unanalysed?: string }>();
  const block = (file: string) => blocks.get(file) ?? blocks.set(file, { findings: [] }).get(file)!;
  for (const f of report.findings) block(f.file).findings.push(f);
  for (const s of report.skipped) if (s.fatal) block(s.file).unanalysed = s.reason;
  for (const file of [...blocks.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const { findings, unanalysed } = blocks.get(file)!;
    out.push(c('underline', display(file)));
    if (unanalysed) {
      const label = opts.errorOnUnanalysed ? c('red', 'error'.padEnd(7)) : c('gray', 'skipped');
      out.push(`  ${' '.repeat(8)} ${label} not analysed: ${unanalysed}`);
    }
    for (const f of findings) {
      const pos = `${f.line}:${f.column}`.padEnd(8);
      out.push(`  ${c('gray', pos)} ${c(sevColor[f.severity], f.severity.padEnd(7))} ${f.message}  ${c('gray', f.ruleId)}`);
      for (const r of f.related) out.push(`  ${' '.repeat(8)} ${' '.repeat(7)}   ${c('gray', `↳ ${r.line}:${r.column} ${r.message}`)}`);
    }
    out.push('');
  }
  if (report.listeners.length && !opts.quiet) {
    out.push(c('bold', 'Listeners'));
    out.push(`  ${'location'.padEnd(40)} ${'api'.padEnd(28)} ${'port'.padEnd(6)} ${'SO_REUSEADDR'.padEnd(13)} reusePort`);
    for (const l of report.listeners) {
      const loc = `${display(l.file)}:${l.line}:${l.column}`;
      out.push(`  ${loc.padEnd(40)} ${l.api.padEnd(28)} ${String(l.port ?? '-').padEnd(6)} ${l.reuseAddr.padEnd(13)} ${l.reusePort}`);
    }
    out.push('');
  }
  if (!opts.quiet) for (const s of report.skipped) if (!s.fatal) out.push(c('gray', `skipped ${display(s.file)}: ${s.reason}`));
  if (report.fixed?.length) {
    const n = report.fixed.reduce((sum, x) => sum + x.fixes, 0);
    out.push(c('green', `fixed ${n} problem${n === 1 ? '' : 's'} in ${report.fixed.length} file${report.fixed.length === 1 ? '' : 's'}: ${report.fixed.map((x) => display(x.file)).join(', ')}`));
  }
  const infos = report.findings.filter((f) => f.severity === 'info' || f.severity === 'hint').length;
  const problems = verdict.errors + verdict.warnings + infos;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = problems
    ? `✖ ${plural(problems, 'problem')} (${plural(verdict.errors, 'error')}, ${plural(verdict.warnings, 'warning')}${infos ? `, ${infos} info/hint` : ''})`
    : '✔ no problems';
  const skippedOnPurpose = report.skipped.length - verdict.unanalysed;
  const where = [
    ` in ${plural(report.files.length, 'file')}`,
    verdict.unanalysed ? `, ${verdict.unanalysed} not analysed` : '',
    skippedOnPurpose ? `, ${skippedOnPurpose} skipped` : '',
    report.fromCache !== undefined ? `, ${report.fromCache} from the cache` : '',
    ` (${report.durationMs} ms)`,
  ].join('');
  out.push(c(problems ? (verdict.errors ? 'red' : 'yellow') : 'bold', summary) + c('gray', where));
  return out.join('\n');
}
