// What one `linger audit` run found, as every output format sees it, and the exit code it implies
// (ESLint's: 0 clean, 1 problems, 2 the audit itself could not be done as asked).
import { DirectiveProblem } from '../core/suppressions';
import { Fix, Listener, Range, RelatedLocation, Severity, SkippedFile } from '../core/types';
import { DirectiveSeverity } from './args';

/** A finding of a rule, or a problem with a suppression comment. */
export interface Reported extends Range {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  related: RelatedLocation[];
  fixes: Fix[];
}

export interface AuditReport {
  findings: Reported[];
  listeners: Listener[];
  /** Files analysed. */
  files: string[];
  /** Files not analysed, with the reason; `fatal` ones count as errors. */
  skipped: SkippedFile[];
  /** Broken .lingerrc.json / "linger" keys: exit 2. */
  configErrors: string[];
  /** tsconfig/jsconfig problems: reported, the exit code is unaffected (as tsserver carries on). */
  configWarnings: string[];
  /** With --fix / --fix-dry-run: the files whose text the safe fixes changed, with the new text. */
  fixed?: Array<{ file: string; output: string; fixes: number }>;
  durationMs: number;
  /** With --cache: how many files' results came from the cache (the text report says it; JSON stays the same). */
  fromCache?: number;
}

/** Pseudo-rules for problems with `linger-ignore` comments (SARIF lists them with the rules). */
export const DIRECTIVE_RULES = {
  unused: {
    id: 'unused-linger-ignore',
    description: 'A linger-ignore comment that silences nothing: the finding it was written for is gone, so the comment only hides the next one. Reported with --report-unused-disable-directives; --fix removes it.',
  },
  'unknown-rule': {
    id: 'linger-ignore-unknown-rule',
    description: 'A linger-ignore comment that names a rule Linger does not have (a typo, or a rule of another tool): it silences nothing.',
  },
} as const;

/** Directive problems as reported findings, at the severity asked for (unused ones are off unless asked). */
export function directiveFindings(file: string, problems: DirectiveProblem[], unused: DirectiveSeverity): Reported[] {
  const out: Reported[] = [];
  for (const p of problems) {
    if (p.kind === 'unused' && unused === 'off') continue;
    const { removal, kind, message, ...range } = p;
    out.push({
      ruleId: DIRECTIVE_RULES[kind].id,
      severity: kind === 'unused' ? (unused as Severity) : 'warning',
      message,
      file,
      ...range,
      related: [],
      fixes: removal ? [{ title: 'Remove the unused linger-ignore comment', safe: true, edits: [{ file, ...removal }] }] : [],
    });
  }
  return out;
}

export interface ExitPolicy {
  /** Undefined: 0 (every rule is a warning by default, so a warning fails CI); -1: unlimited. */
  maxWarnings?: number;
  errorOnUnanalysed: boolean;
}

export interface Verdict {
  code: 0 | 1 | 2;
  errors: number;
  warnings: number;
  /** Files that should have been analysed and were not. */
  unanalysed: number;
  /** Why the exit code is not 0, for stderr (none when the report already says it). */
  reason?: string;
}

export function verdict(report: AuditReport, policy: ExitPolicy): Verdict {
  const unanalysed = report.skipped.filter((s) => s.fatal).length;
  const errors = report.findings.filter((f) => f.severity === 'error').length + (policy.errorOnUnanalysed ? unanalysed : 0);
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  const base = { errors, warnings, unanalysed };
  if (report.configErrors.length) return { ...base, code: 2 };
  if (errors) return { ...base, code: 1 };
  const max = policy.maxWarnings ?? 0;
  if (max >= 0 && warnings > max) {
    return { ...base, code: 1, reason: policy.maxWarnings !== undefined ? `too many warnings (maximum: ${max})` : undefined };
  }
  return { ...base, code: 0 };
}

/** The order of files in every report (absolute paths, by UTF-16 code units). */
export function compareFiles(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order of findings and listeners: file, line, column, rule. `linger merge` sorts with it too. */
export function compareReported(a: { file: string; line: number; column: number; ruleId?: string }, b: typeof a): number {
  return compareFiles(a.file, b.file) || a.line - b.line || a.column - b.column || (a.ruleId ?? '').localeCompare(b.ruleId ?? '');
}

export function sortReported<T extends { file: string; line: number; column: number; ruleId?: string }>(items: T[]): T[] {
  return items.sort(compareReported);
}
