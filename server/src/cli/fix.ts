// --fix and --fix-dry-run: apply the fixes marked safe (what the editor's "Fix all safe Linger
// problems" / source.fixAll.linger applies: per finding the first safe fix, edits in the finding's
// own file, none overlapping another), then re-audit the changed files and the files that import
// them, and repeat while that offers more (at most 10 passes, as ESLint). Unused linger-ignore
// comments are removed too when they are reported.
import { Analyzer } from '../core/analyze';
import { TextEdit } from '../core/types';
import { reanalyse } from './analyse';
import { dependenciesOf, dependents } from '../cache/dependencies';
import { FileOutcome } from '../cache/outcome';
import { directiveFindings, Reported } from './report';
import { DirectiveSeverity } from './args';

const MAX_PASSES = 10;

export interface FixResult {
  outcomes: FileOutcome[];
  /** Changed files: their new text and how many fixes made it. */
  fixed: Map<string, { output: string; fixes: number }>;
  /** Files analysed again (their outcomes are new). */
  reanalysed: Set<string>;
}

interface Span { start: number; end: number; newText: string }

export function applySafeFixes(
  outcomes: FileOutcome[],
  analyzer: Analyzer,
  unusedDirectives: DirectiveSeverity,
  readText: (file: string) => string | undefined,
): FixResult {
  const current = new Map(outcomes.map((o) => [o.file, o]));
  const texts = new Map<string, string>();
  const fixed = new Map<string, { output: string; fixes: number }>();
  const reanalysed = new Set<string>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const changed: string[] = [];
    for (const o of current.values()) {
      if (o.skipped || o.excluded) continue;
      const text = texts.get(o.file) ?? readText(o.file);
      if (text === undefined) continue;
      const candidates: Reported[] = [...o.findings, ...directiveFindings(o.file, o.directives, unusedDirectives)];
      const { spans, count } = chooseFixes(text, o.file, candidates);
      if (!count) continue;
      const output = applySpans(text, spans);
      if (output === text) continue;
      texts.set(o.file, output);
      fixed.set(o.file, { output, fixes: (fixed.get(o.file)?.fixes ?? 0) + count });
      changed.push(o.file);
    }
    if (!changed.length) break;
    // Who imports a changed file is read from the programs as they were before this pass's edits.
    const analysed = [...current.values()].filter((o) => !o.skipped && !o.excluded).map((o) => o.file);
    const importers = dependents(dependenciesOf(analyzer, analysed));
    const affected = new Set(changed);
    for (const f of changed) for (const d of importers.get(f) ?? []) if (current.has(d)) affected.add(d);
    for (const f of changed) analyzer.projects.setText(f, texts.get(f)!);
    for (const f of [...current.keys()].filter((k) => affected.has(k))) {
      current.set(f, reanalyse(analyzer, f, texts.get(f)));
      reanalysed.add(f);
    }
  }
  return { outcomes: [...current.values()], fixed, reanalysed };
}

/** Per finding, its first safe fix that edits only the finding's file and overlaps no fix already taken. */
function chooseFixes(text: string, file: string, findings: Reported[]): { spans: Span[]; count: number } {
  const starts = lineStarts(text);
  const taken: Span[] = [];
  let count = 0;
  for (const f of findings) {
    for (const fix of f.fixes) {
      if (!fix.safe || !fix.edits.length || fix.edits.some((e) => e.file !== file)) continue;
      const spans = fix.edits.map((e) => toSpan(starts, text.length, e));
      if (spans.some((s) => s === undefined || taken.some((t) => overlaps(s, t)))) continue;
      taken.push(...(spans as Span[]));
      count++;
      break;
    }
  }
  return { spans: taken, count };
}

/** Overlapping replacements conflict; so does the same insertion twice (two findings, one fix). As the editor's fix-all. */
function overlaps(a: Span, b: Span): boolean {
  if (a.start < b.end && b.start < a.end) return true;
  return a.start === a.end && b.start === b.end && a.start === b.start && a.newText === b.newText;
}

function applySpans(text: string, spans: Span[]): string {
  // From the end, so earlier offsets stay valid; insertions at one point keep the order they were chosen in.
  const ordered = spans.map((s, i) => ({ ...s, i })).sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let out = text;
  for (const s of ordered) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 1-based line/column (UTF-16 code units, as the analyzer reports them) to offsets; undefined if outside the text. */
function toSpan(starts: number[], length: number, e: TextEdit): Span | undefined {
  const at = (line: number, column: number) => {
    if (line < 1 || line > starts.length) return undefined;
    const offset = starts[line - 1] + column - 1;
    return offset >= 0 && offset <= length ? offset : undefined;
  };
  const start = at(e.line, e.column);
  const end = at(e.endLine, e.endColumn);
  if (start === undefined || end === undefined || end < start) return undefined;
  return { start, end, newText: e.newText };
}
