// Fixes for leak findings, computed with the finding so that editors never re-analyse:
// release before each leaking exit, or wrap the uses in try/finally and release there.
import { ts } from 'ts-morph';
import { LeakReport } from './leaks';
import { Fix, TextEdit } from './types';
import { edit, eol, indentAt, indentUnit, lineStartOf, startsLine } from './text';
import { stripParens } from './flow';
import { isAsyncFunction } from './subjects';

export function leakFixes(report: LeakReport, file: string, verb: string, options: ts.CompilerOptions = {}): Fix[] {
  const fixes: Fix[] = [];
  const call = report.releaseCall;
  if (report.discarded) {
    const f = discardFix(report, file);
    if (f) fixes.push(f);
    return fixes;
  }
  if (!call) return fixes;
  const name = report.resourceName ?? call.replace(/^(await |void )/, '').split(/[.(]/)[0];
  const before = beforeExitsFix(report, file, call);
  if (before) fixes.push({ ...before, title: `${capital(verb)} \`${name}\` before ${report.exits.length === 1 ? 'the leaking exit' : `each of the ${report.exits.length} leaking exits`}` });
  const wrap = tryFinallyFix(report, file, call);
  if (wrap) fixes.push({ ...wrap, title: `Wrap the uses of \`${name}\` in try/finally and ${verb} it in \`finally\`` });
  const using = awaitUsingFix(report, file, options);
  if (using) fixes.push({ ...using, title: `Declare \`${name}\` with \`await using\` (closed when the block exits)` });
  return fixes;
}

function capital(s: string) {
  return s[0].toUpperCase() + s.slice(1);
}

/** Insert the release call in front of every leaking `return`/`throw`/`continue` and at the end of the body. */
function beforeExitsFix(report: LeakReport, file: string, call: string): Omit<Fix, 'title'> | undefined {
  const sf = report.subject.fn.getSourceFile();
  const edits: TextEdit[] = [];
  const walkerRefers = (n: ts.Node) => usedAfterRelease(n, report);
  const scope = declarationScope(report.subject.aliases);
  const callbacks = closuresUsing(report.subject.fn.body!, report.subject.aliases);
  for (const exit of report.exits) {
    const n = exit.node;
    const at = ts.isBlock(n) ? n.getEnd() - 1 : n.getStart();
    if (scope && (at < scope.pos || at > scope.end)) return undefined; // the variable is out of scope there
    if (exit.mixed) return undefined; // some paths get here already released: a second release may throw
    // A callback registered before this point may still use it (`conn.query(sql, cb)`): closing here would cut it off.
    if (callbacks.some((c) => c.getStart() < at && !(at >= c.pos && at <= c.end))) return undefined;
    if (exit.kind === 'return' || exit.kind === 'throw' || (exit.kind === 'loop' && ts.isContinueStatement(n))) {
      if (!ts.isStatement(n)) return undefined; // arrow expression bodies
      if (exit.kind !== 'loop' && walkerRefers(n)) return undefined;
      edits.push(insertBefore(sf, file, n, call));
    } else if ((exit.kind === 'end' || exit.kind === 'loop') && ts.isBlock(n)) {
      edits.push(insertAtBlockEnd(sf, file, n, call));
    } else {
      return undefined; // an `await` that rejects or a reassignment needs try/finally or a rewrite
    }
  }
  return edits.length ? { safe: true, edits } : undefined;
}

function insertBefore(sf: ts.SourceFile, file: string, stmt: ts.Statement, call: string): TextEdit {
  const start = stmt.getStart(sf);
  const parent = stmt.parent;
  const inList = ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) || ts.isSourceFile(parent);
  if (inList && startsLine(sf, start)) {
    const ls = lineStartOf(sf, start);
    return edit(sf, file, ls, ls, `${indentAt(sf, start)}${call};${eol(sf)}`);
  }
  if (inList) return edit(sf, file, start, start, `${separator(sf, start)}${call}; `);
  // `if (!res.ok) throw …` without braces: the release and the exit become one block.
  return edit(sf, file, start, stmt.getEnd(), `{ ${call}; ${stmt.getText(sf)} }`);
}

function insertAtBlockEnd(sf: ts.SourceFile, file: string, block: ts.Block, call: string): TextEdit {
  const close = block.getEnd() - 1;
  if (startsLine(sf, close)) {
    const ls = lineStartOf(sf, close);
    const inner = block.statements.length ? indentAt(sf, block.statements[0].getStart(sf)) : indentAt(sf, close) + indentUnit(sf);
    return edit(sf, file, ls, ls, `${inner}${call};${eol(sf)}`);
  }
  return edit(sf, file, close, close, `${separator(sf, close) || ' '}${call}; `);
}

/**
 * What must come before text inserted mid-line: `; ` after a statement that relies on automatic
 * semicolon insertion (`s.write('x')}`), nothing after `;` or `{`.
 */
function separator(sf: ts.SourceFile, pos: number): string {
  let i = pos - 1;
  while (i >= 0 && (sf.text[i] === ' ' || sf.text[i] === '\t')) i--;
  const prev = sf.text[i];
  return prev === undefined || prev === ';' || prev === '{' || prev === '\n' || prev === '\r' ? '' : '; ';
}

/**
 * `const c = await pool.connect(); …uses…` → `const c = …; try { …uses… } finally { c.release(); }`.
 * Offered only where it is certainly right: the resource never leaves the function, no callback
 * uses it later, and any existing release is a plain statement of the wrapped region (it moves).
 */
function tryFinallyFix(report: LeakReport, file: string, defaultCall: string): Omit<Fix, 'title'> | undefined {
  let call = defaultCall;
  const { subject } = report;
  // A fetch body that was read is locked; cancelling it in `finally` would throw.
  if (!subject.creation || report.sawEscape || subject.kind === 'response') return undefined;
  if (report.exits.some((x) => x.kind === 'reassign' || x.kind === 'discard')) return undefined;
  const decl = report.declaration;
  if (!decl || !ts.isBlock(decl.parent)) return undefined;
  const block = decl.parent;
  const idx = block.statements.indexOf(decl);
  const region = block.statements.slice(idx + 1);
  if (!region.length) return undefined;
  const isRelease = (st: ts.Statement) => ts.isExpressionStatement(st) && isReleaseCall(st.expression, report);
  const kept = region.filter((st) => !isRelease(st));
  // Keep the code's own release (`s.end()` stays a graceful end, `release(err)` keeps its argument).
  const own = region.find(isRelease);
  if (own) call = (own as ts.ExpressionStatement).expression.getText().replace(/;$/, '');
  if (!kept.length) return undefined;
  for (const st of kept) {
    if (containsRelease(st, report) || closureUses(st, subject.aliases) || returnsAlias(st, subject.aliases)) return undefined;
  }
  if (!isAsyncFunction(subject.fn) && call.startsWith('await ')) return undefined;
  const sf = decl.getSourceFile();
  const base = indentAt(sf, decl.getStart(sf));
  const unit = indentUnit(sf);
  const nl = eol(sf);
  const from = lineStartOf(sf, region[0].getStart(sf));
  const to = region[region.length - 1].getEnd();
  const removed = region.filter(isRelease);
  const body = shiftRight(sf, from, to, unit, removed);
  const text = `${base}try {${nl}${body}${nl}${base}} finally {${nl}${base}${unit}${call};${nl}${base}}`;
  return { safe: true, edits: [edit(sf, file, from, to, text)] };
}

/**
 * The text of [from, to) with every line moved one step right (except lines inside template
 * literals, whose text would change) and the `removed` statements taken out with their lines.
 */
function shiftRight(sf: ts.SourceFile, from: number, to: number, unit: string, removed: ts.Statement[]): string {
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
  let lineStart = true;
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

function isReleaseCall(e: ts.Expression, report: LeakReport): boolean {
  let x = stripParens(e);
  if (ts.isAwaitExpression(x)) x = stripParens(x.expression);
  if (!ts.isCallExpression(x)) return false;
  const callee = stripParens(x.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    if (!report.subject.spec.release.includes(callee.name.text)) return false;
    const recv = stripParens(callee.expression);
    if (refersTo(recv, report.subject.aliases) && (ts.isIdentifier(recv) || ts.isPropertyAccessExpression(recv))) return true;
    return x.arguments.some((a) => ts.isIdentifier(a) && refersTo(a, report.subject.aliases));
  }
  return false;
}

function containsRelease(n: ts.Node, report: LeakReport): boolean {
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(x) && isReleaseCall(x, report)) found = true;
    else ts.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

function closureUses(n: ts.Node, aliases: Set<ts.Symbol>): boolean {
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found) return;
    if ((ts.isArrowFunction(x) || ts.isFunctionExpression(x) || ts.isFunctionDeclaration(x)) && refersTo(x, aliases)) found = true;
    else ts.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

function returnsAlias(n: ts.Node, aliases: Set<ts.Symbol>): boolean {
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found || ts.isFunctionLike(x)) return;
    if ((ts.isReturnStatement(x) || ts.isYieldExpression(x)) && x.expression && refersTo(x.expression, aliases)) found = true;
    else ts.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

export function refersTo(n: ts.Node, aliases: Set<ts.Symbol>): boolean {
  const names = new Set([...aliases].map((s) => s.getName()));
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(x) && names.has(x.text)) {
      const decls = [...aliases].filter((s) => s.getName() === x.text).flatMap((s) => s.declarations ?? []);
      // Same name and declared in an enclosing scope of this use: the same variable for our purposes.
      if (decls.some((d) => d.getSourceFile() === x.getSourceFile())) found = true;
    } else ts.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

/** `await fetch(url);` → `await (await fetch(url)).body?.cancel();` */
function discardFix(report: LeakReport, file: string): Fix | undefined {
  const stmt = report.discarded;
  if (!stmt || !ts.isExpressionStatement(stmt) || report.subject.kind !== 'response') return undefined;
  const e = stripParens(stmt.expression);
  if (!ts.isAwaitExpression(e) || !ts.isCallExpression(stripParens(e.expression))) return undefined;
  const sf = stmt.getSourceFile();
  const created = stripParens(e.expression).getText(sf);
  const isUndici = report.match.viaModule === 'undici';
  const text = isUndici ? `await (await ${created}).body.dump()` : `await (await ${created}).body?.cancel()`;
  return {
    title: isUndici ? 'Discard the body with `body.dump()`' : 'Cancel the unread body with `body?.cancel()`',
    safe: true,
    edits: [edit(sf, file, e.getStart(sf), e.getEnd(), text)],
  };
}

/** The block a `let`/`const` variable lives in (undefined for `var` and parameters: the whole function). */
function declarationScope(aliases: Set<ts.Symbol>): ts.Node | undefined {
  const decl = [...aliases][0]?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl)) return undefined;
  const list = decl.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.BlockScoped)) return undefined;
  let p: ts.Node = list.parent;
  if (ts.isVariableStatement(p)) p = p.parent;
  return p;
}

/** Reading a response's status or headers after cancelling its body is fine; anything else is not. */
const RESPONSE_FIELDS = new Set(['status', 'statusText', 'ok', 'headers', 'url', 'statusCode', 'statusMessage', 'redirected', 'type']);

function usedAfterRelease(n: ts.Node, report: LeakReport): boolean {
  const names = new Set([...report.subject.aliases].map((s) => s.getName()));
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(x) && names.has(x.text) && !(ts.isPropertyAccessExpression(x.parent) && x.parent.name === x)) {
      const p = x.parent;
      const harmless = report.subject.kind === 'response' && ts.isPropertyAccessExpression(p) && p.expression === x &&
        RESPONSE_FIELDS.has(p.name.text) && !(ts.isCallExpression(p.parent) && p.parent.expression === p);
      if (!harmless) found = true;
    } else ts.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

/** Functions inside `body` that refer to the resource (callbacks that may run later). */
function closuresUsing(body: ts.Node, aliases: Set<ts.Symbol>): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (x: ts.Node): void => {
    if ((ts.isArrowFunction(x) || ts.isFunctionExpression(x) || ts.isFunctionDeclaration(x)) && refersTo(x, aliases)) out.push(x);
    else ts.forEachChild(x, visit);
  };
  ts.forEachChild(body, visit);
  return out;
}

/**
 * `const server = net.createServer()` → `await using server = …`, for kinds whose async dispose is a
 * plain close (KindSpec.disposable). Offered for review (not fix-all), in TypeScript files whose
 * configuration has the disposable lib.
 */

function awaitUsingFix(report: LeakReport, file: string, options: ts.CompilerOptions): Omit<Fix, 'title'> | undefined {
  const { subject } = report;
  const decl = report.declaration;
  if (!decl || !subject.creation || report.sawEscape || subject.spec.disposable !== 'async') return undefined;
  if (!/\.[cm]?tsx?$/.test(file) || !isAsyncFunction(subject.fn) || !hasDisposableLib(options)) return undefined;
  if (report.exits.some((x) => x.kind === 'reassign' || x.kind === 'discard')) return undefined;
  const list = decl.declarationList;
  if (list.declarations.length !== 1 || !(list.flags & ts.NodeFlags.Const) || !ts.isIdentifier(list.declarations[0].name)) return undefined;
  if (subject.fn.body && containsRelease(subject.fn.body, report)) return undefined;
  const sf = decl.getSourceFile();
  const kw = list.getFirstToken(sf);
  if (!kw) return undefined;
  return { safe: false, edits: [edit(sf, file, kw.getStart(sf), kw.getEnd(), 'await using')] };
}

function hasDisposableLib(options: ts.CompilerOptions): boolean {
  if ((options.target ?? 0) >= ts.ScriptTarget.ESNext) return true;
  return (options.lib ?? []).some((l) => /esnext|disposable/i.test(l));
}
