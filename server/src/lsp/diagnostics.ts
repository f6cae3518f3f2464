// Findings of the core (1-based, exclusive end column) → LSP diagnostics (0-based). Everything a code
// action needs later travels in `data`, so code actions never analyse again.
import { Diagnostic, DiagnosticSeverity, Range, TextEdit } from 'vscode-languageserver/node';
import { ruleById } from '../rules';
import { FileAnalysis } from '../core/analyze';
import { Explanation, Finding, Range as CoreRange, Severity } from '../core/types';
import { DIAGNOSTIC_SOURCE } from '../protocol';
import { isObject } from './guards';
import { pathToUri } from './paths';

/** One fix, with its edits grouped by document URI and already in LSP coordinates. */
export interface FixData {
  title: string;
  safe: boolean;
  edits: Record<string, TextEdit[]>;
}

export interface DiagnosticData {
  ruleId: string;
  explanation: Explanation;
  /** Version of the document the fixes were computed for; fixes of an older version are not offered. */
  version: number;
  /**
   * Which opening of the document (documents.ts `openingOf`): a client that closes and reopens a file
   * starts its versions again, so a version alone can name two different texts.
   */
  opening?: number;
  fixes: FixData[];
}

/** The `code` of the note shown when a file was not analysed. */
export const SKIPPED_CODE = 'skipped';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(r: CoreRange): Range {
  const start = { line: Math.max(0, r.line - 1), character: Math.max(0, r.column - 1) };
  const end = { line: Math.max(0, r.endLine - 1), character: Math.max(0, r.endColumn - 1) };
  // Never hand a client an inverted range: some clients drop the whole report for one.
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) return { start, end: start };
  return { start, end };
}

/** The `codeDescription.href` of a rule's page (paths.ts `docHref`). */
export type DocLink = (relativePath: string) => string;

/**
 * The URI of a file a finding names. The analysed file is the document's own URI: an untitled
 * buffer is analysed under a made-up path (paths.ts `analysisPath`), and its fixes and related
 * locations must point at the buffer, not at a file of that name.
 */
export type UriOf = (file: string) => string;

export function uriMapper(documentUri: string, analysedFile: string): UriOf {
  return (file) => (file === analysedFile ? documentUri : pathToUri(file));
}

export function toDiagnostic(f: Finding, version: number, docLink: DocLink, uriOf: UriOf = pathToUri, opening = 0): Diagnostic {
  const meta = ruleById(f.ruleId)?.meta;
  const data: DiagnosticData = {
    ruleId: f.ruleId,
    explanation: f.explanation,
    version,
    opening,
    fixes: f.fixes.map((fix) => {
      const edits: Record<string, TextEdit[]> = {};
      for (const e of fix.edits) (edits[uriOf(e.file)] ??= []).push({ range: toRange(e), newText: e.newText });
      return { title: fix.title, safe: fix.safe, edits };
    }),
  };
  return {
    range: toRange(f),
    severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: f.ruleId,
    ...(meta ? { codeDescription: { href: docLink(meta.docs) } } : {}),
    message: f.message,
    relatedInformation: f.related.map((r) => ({
      location: { uri: uriOf(r.file), range: toRange(r) },
      message: r.message,
    })),
    data,
  };
}

/**
 * The diagnostics of one analysed file. A file the core skipped (too large, minified, over its time
 * budget) gets one Information note at line 1 saying why, so the user knows it was not checked. A
 * file that does not parse gets nothing: that happens on most keystrokes, and TypeScript already
 * reports the syntax error.
 */
export function diagnosticsOf(analysis: FileAnalysis, version: number, docLink: DocLink, uriOf: UriOf = pathToUri, opening = 0): Diagnostic[] {
  if (analysis.excluded) return [];
  if (analysis.skipped) {
    if (analysis.skipped.startsWith('does not parse')) return [];
    return [{
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Information,
      source: DIAGNOSTIC_SOURCE,
      code: SKIPPED_CODE,
      message: `Linger did not analyse this file: ${analysis.skipped}.`,
    }];
  }
  return analysis.findings.map((f) => toDiagnostic(f, version, docLink, uriOf, opening));
}

/** `data` of a diagnostic the client sent back, if it is ours and well-formed. */
export function dataOf(d: unknown): DiagnosticData | undefined {
  if (!isObject(d) || d.source !== DIAGNOSTIC_SOURCE || !isObject(d.data)) return undefined;
  const data = d.data;
  if (typeof data.ruleId !== 'string' || !Array.isArray(data.fixes) || typeof data.version !== 'number') return undefined;
  if (data.explanation !== 'close-wait' && data.explanation !== 'time-wait') return undefined;
  return data as DiagnosticData;
}
