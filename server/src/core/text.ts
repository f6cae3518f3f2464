// Offsets to 1-based line/column ranges, and the small text helpers fixes need.
//
// Lines are what editors and LSP count: broken by \n, \r\n or a lone \r. TypeScript's own line map
// also breaks at U+2028/U+2029, which editors show inside a line, so it is not used for positions.
import { ts } from 'ts-morph';
import { Range, TextEdit } from './types';

const lineMaps = new WeakMap<object, number[]>();

/** Offsets where each line starts. */
export function lineStarts(text: string, key: object = { text }): number[] {
  let starts = lineMaps.get(key);
  if (starts) return starts;
  starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  lineMaps.set(key, starts);
  return starts;
}

/** 1-based line and column of an offset. */
export function lineColumn(sf: ts.SourceFile, pos: number): { line: number; column: number } {
  const starts = lineStarts(sf.text, sf);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: pos - starts[lo] + 1 };
}

export function rangeOf(sf: ts.SourceFile, start: number, end: number): Range {
  const s = lineColumn(sf, start);
  const e = lineColumn(sf, end);
  return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}

export function nodeRange(node: ts.Node): Range {
  const sf = node.getSourceFile();
  return rangeOf(sf, node.getStart(sf), node.getEnd());
}

export function edit(sf: ts.SourceFile, file: string, start: number, end: number, newText: string): TextEdit {
  return { file, ...rangeOf(sf, start, end), newText };
}

/** The line break the file uses, for text that fixes insert. */
export function eol(sf: ts.SourceFile): string {
  const crlf = sf.text.indexOf('\r\n');
  if (crlf >= 0) return '\r\n';
  const lf = sf.text.indexOf('\n');
  return lf < 0 && sf.text.includes('\r') ? '\r' : '\n';
}

export function lineStartOf(sf: ts.SourceFile, pos: number): number {
  let i = pos;
  while (i > 0 && sf.text[i - 1] !== '\n' && sf.text[i - 1] !== '\r') i--;
  return i;
}

/** Leading whitespace of the line holding `pos`. */
export function indentAt(sf: ts.SourceFile, pos: number): string {
  const text = sf.text;
  const lineStart = lineStartOf(sf, pos);
  let i = lineStart;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(lineStart, i);
}

/** True when only whitespace stands between the start of its line and `pos`. */
export function startsLine(sf: ts.SourceFile, pos: number): boolean {
  return /^[ \t]*$/.test(sf.text.slice(lineStartOf(sf, pos), pos));
}

/** One indentation step as the file uses it. */
export function indentUnit(sf: ts.SourceFile): string {
  const m = /[\n\r](\t+|[ ]{2,8})\S/.exec(sf.text);
  if (!m) return '  ';
  if (m[1].startsWith('\t')) return '\t';
  return m[1].length >= 4 && m[1].length % 4 === 0 ? '    ' : '  ';
}

/** Apply edits (1-based ranges) to a text; used by tests and fix-all. */
export function applyEdits(text: string, edits: Array<Pick<TextEdit, 'line' | 'column' | 'endLine' | 'endColumn' | 'newText'>>): string {
  const starts = lineStarts(text);
  const offset = (line: number, col: number) => (starts[line - 1] ?? text.length) + col - 1;
  const sorted = [...edits].map((e) => ({ s: offset(e.line, e.column), e: offset(e.endLine, e.endColumn), t: e.newText }))
    .sort((a, b) => b.s - a.s || b.e - a.e);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}
