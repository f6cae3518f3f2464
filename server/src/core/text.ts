// Offsets to 1-based line/column ranges, and the small text helpers fixes need.
import { ts } from 'ts-morph';
import { Range, TextEdit } from './types';

export function rangeOf(sf: ts.SourceFile, start: number, end: number): Range {
  const s = sf.getLineAndCharacterOfPosition(start);
  const e = sf.getLineAndCharacterOfPosition(end);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

export function nodeRange(node: ts.Node): Range {
  const sf = node.getSourceFile();
  return rangeOf(sf, node.getStart(sf), node.getEnd());
}

export function edit(sf: ts.SourceFile, file: string, start: number, end: number, newText: string): TextEdit {
  return { file, ...rangeOf(sf, start, end), newText };
}

/** Leading whitespace of the line holding `pos`. */
export function indentAt(sf: ts.SourceFile, pos: number): string {
  const text = sf.text;
  let lineStart = pos;
  while (lineStart > 0 && text[lineStart - 1] !== '\n') lineStart--;
  let i = lineStart;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(lineStart, i);
}

export function lineStartOf(sf: ts.SourceFile, pos: number): number {
  let i = pos;
  while (i > 0 && sf.text[i - 1] !== '\n') i--;
  return i;
}

/** True when only whitespace stands between the start of its line and `pos`. */
export function startsLine(sf: ts.SourceFile, pos: number): boolean {
  return /^[ \t]*$/.test(sf.text.slice(lineStartOf(sf, pos), pos));
}

/** One indentation step as the file uses it. */
export function indentUnit(sf: ts.SourceFile): string {
  const m = /\n(\t+|[ ]{2,8})\S/.exec(sf.text);
  if (!m) return '  ';
  if (m[1].startsWith('\t')) return '\t';
  return m[1].length >= 4 && m[1].length % 4 === 0 ? '    ' : '  ';
}

/** Apply edits (1-based ranges) to a text; used by tests and fix-all. */
export function applyEdits(text: string, edits: Array<Pick<TextEdit, 'line' | 'column' | 'endLine' | 'endColumn' | 'newText'>>): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (line: number, col: number) => (lineStarts[line - 1] ?? text.length) + col - 1;
  const sorted = [...edits].map((e) => ({ s: offset(e.line, e.column), e: offset(e.endLine, e.endColumn), t: e.newText }))
    .sort((a, b) => b.s - a.s || b.e - a.e);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}
