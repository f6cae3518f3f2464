// Text the leak fixes insert: a statement before another, at the end of a block, and a range of
// statements re-indented one step (for try/finally). Everything keeps the file's line breaks and
// indentation, and text inside template literals is never touched.
import { ts } from 'ts-morph';
import { TextEdit } from './types';
import { edit, indentAt, indentUnit, lineStartOf, startsLine } from './text';

/** `call;` in front of `stmt`: on its own line, mid-line, or with `stmt` in a new block when it is a branch. */
export function insertBefore(sf: ts.SourceFile, file: string, stmt: ts.Statement, call: string, nl: string): TextEdit {
  const start = stmt.getStart(sf);
  if (isInStatementList(stmt) && startsLine(sf, start)) {
    const ls = lineStartOf(sf, start);
    return edit(sf, file, ls, ls, `${indentAt(sf, start)}${call};${nl}`);
  }
  if (isInStatementList(stmt)) return edit(sf, file, start, start, `${separator(sf, start)}${call}; `);
  // `if (!res.ok) throw …` without braces: the release and the exit become one block.
  return edit(sf, file, start, stmt.getEnd(), `{ ${call}; ${stmt.getText(sf)} }`);
}

export function isInStatementList(stmt: ts.Node): boolean {
  const p = stmt.parent;
  return ts.isBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p) || ts.isSourceFile(p) || ts.isModuleBlock(p);
}

/** `call;` as the last statement of `block`. */
export function insertAtBlockEnd(sf: ts.SourceFile, file: string, block: ts.Block, call: string, nl: string): TextEdit {
  const close = block.getEnd() - 1;
  if (startsLine(sf, close)) {
    const ls = lineStartOf(sf, close);
    const inner = block.statements.length ? indentAt(sf, block.statements[0].getStart(sf)) : indentAt(sf, close) + indentUnit(sf);
    return edit(sf, file, ls, ls, `${inner}${call};${nl}`);
  }
  // `{ s.write('x') }` or `{ s.write('x') // note }`: a line comment would swallow text after it.
  const last = block.statements[block.statements.length - 1];
  const from = last ? last.getEnd() : block.getStart(sf) + 1;
  if (/\/\/|\/\*/.test(sf.text.slice(from, close))) {
    return edit(sf, file, close, close, `${nl}${indentAt(sf, close)}${indentUnit(sf)}${call};${nl}${indentAt(sf, close)}`);
  }
  return edit(sf, file, close, close, `${separator(sf, close) || ' '}${call}; `);
}

/**
 * What must come before text inserted mid-line: `; ` after a statement that relies on automatic
 * semicolon insertion (`s.write('x')}`), nothing after `;` or `{`.
 */
export function separator(sf: ts.SourceFile, pos: number): string {
  let i = pos - 1;
  while (i >= 0 && (sf.text[i] === ' ' || sf.text[i] === '\t')) i--;
  const prev = sf.text[i];
  return prev === undefined || prev === ';' || prev === '{' || prev === '}' || prev === '\n' || prev === '\r' ? '' : '; ';
}

/**
 * The text of [from, to) with every line moved one step right (except lines inside template
 * literals, whose text would change) and the `removed` statements taken out with their lines.
 * `firstIndent`, when given, is put in front of the first line (a statement that shared its line
 * with the one before it starts a new line).
 */
export function shiftRight(sf: ts.SourceFile, from: number, to: number, unit: string, removed: ts.Statement[], firstIndent?: string): string {
  const text = sf.text;
  const frozen: Array<[number, number]> = [];
  const visit = (n: ts.Node): void => {
    if (n.end <= from || n.pos >= to) return;
    if (ts.isTemplateExpression(n) || ts.isNoSubstitutionTemplateLiteral(n)) frozen.push([n.getStart(sf), n.getEnd()]);
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  const cuts = removed.map((st) => {
    let a = st.getStart(sf);
    let b = st.getEnd();
    if (startsLine(sf, a)) a = lineStartOf(sf, a);
    const rest = /^[ \t]*(\r\n|\r|\n)/.exec(text.slice(b, to + 2));
    if (rest && a === lineStartOf(sf, a)) b += rest[0].length;
    return [a, Math.min(b, to)] as const;
  });
  let out = '';
  let lineStart = firstIndent === undefined;
  if (firstIndent !== undefined) {
    let i = from;
    while (i < to && (text[i] === ' ' || text[i] === '\t')) i++;
    from = i;
    out = firstIndent;
  }
  for (let i = from; i < to; i++) {
    const cut = cuts.find(([a, b]) => i >= a && i < b);
    if (cut) { i = cut[1] - 1; lineStart = text[i] === '\n' || text[i] === '\r'; continue; }
    const c = text[i];
    if (lineStart && c !== '\n' && c !== '\r' && !frozen.some(([a, b]) => i > a && i < b)) out += unit;
    out += c;
    lineStart = c === '\n' || (c === '\r' && text[i + 1] !== '\n');
  }
  return out.replace(/[ \t]*(\r\n|\r|\n)?$/, '');
}
