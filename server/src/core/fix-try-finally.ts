// The try/finally fix: `const c = await pool.connect(); …uses…` →
// `const c = …; try { …uses… } finally { c.release(); }`. The try block holds every statement after
// the declaration to the end of its block (or `switch` case); the declaration stays outside, so
// closures keep seeing the variable and the `finally` can name it.
//
// Preconditions, checked on the syntax tree:
//   declaration  the resource is created in a variable statement directly in a block or a case;
//                no leaking exit lies inside that statement;
//   kept         it never leaves the function, is never reassigned, and is not a response (a body
//                that was read cannot be cancelled in `finally`);
//   one release  the only release in the moved statements is the code's own, as their last statement
//                (optionally followed by a `return`/`throw` whose value neither uses the resource nor
//                awaits, `break` or `continue`); it moves into
//                `finally` as written (`s.end()` stays a graceful end); a release elsewhere, or in a
//                closure, would run twice;
//   scope        nothing the moved statements declare for their block (`let`, `const`, classes,
//                functions, types) is named outside them: no hoisted function, no variable read by a
//                closure declared earlier, leaves the scope its users see; no `using` moves; the
//                resource is not used after them (a later `switch` case, a `var`);
//   await        an awaited release only in an async function.
// Closures that use the resource are fine when they run before the function goes on (callbacks of
// `forEach`/`map`, code inside a promise the function awaits) or when the code's own release already
// ends the block (they meet a released resource on the normal path already). Otherwise the fix is
// offered for review in an async function, and not at all in a synchronous one, where `finally`
// would close the resource before any of its callbacks ran.
import { ts } from 'ts-morph';
import { LeakReport } from './leaks';
import { isAsyncFunction, stripParens, within } from './ast';
import {
  ABRUPT_RELEASE, blockScopedNames, closuresUsing, closureTiming, containsRelease, FunctionNode, isReleaseCall, mentionsAny, refersTo, returnsAlias,
  usedAfter, writesTo,
} from './fix-syntax';
import { LISTEN_METHODS } from './call-shapes';
import { shiftRight } from './fix-text';
import { edit, eol, indentAt, indentUnit, lineStartOf, startsLine } from './text';
import { Fix } from './types';

/** The statements a try/finally around the uses of a declaration would hold. */
export interface Region {
  decl: ts.VariableStatement;
  stmts: ts.Statement[];
  /** The code's own release, last but for plain exits: it moves into `finally`. */
  own?: ts.ExpressionStatement;
}

export function regionOf(report: LeakReport): Region | undefined {
  const decl = report.declaration;
  if (!decl) return undefined;
  const holder = decl.parent;
  if (!ts.isBlock(holder) && !ts.isCaseOrDefaultClause(holder)) return undefined;
  const stmts = holder.statements.slice(holder.statements.indexOf(decl) + 1);
  let k = stmts.length - 1;
  while (k >= 0 && isPlainExit(stmts[k], report)) k--;
  const last = stmts[k];
  const own = last && ts.isExpressionStatement(last) && isReleaseCall(last.expression, report) ? last : undefined;
  return { decl, stmts, own };
}

/** The code releases the resource as the last thing its block does (`s.end(); return true;`). */
export function endsWithOwnRelease(report: LeakReport): boolean {
  return !!regionOf(report)?.own;
}

/**
 * `return`, `return Number(r.rows[0].n)`, `throw new Error(…)`, `break`, `continue`: an exit whose value
 * neither uses the resource nor waits for anything, so evaluating it before the release instead of
 * after changes nothing the code can see.
 */
function isPlainExit(st: ts.Statement, report: LeakReport): boolean {
  if (ts.isBreakStatement(st) || ts.isContinueStatement(st)) return true;
  if (!ts.isReturnStatement(st) && !ts.isThrowStatement(st)) return false;
  return !st.expression || (isPlainValue(st.expression) && !refersTo(st.expression, report.subject.aliases));
}

function isPlainValue(e: ts.Node): boolean {
  if (ts.isAwaitExpression(e) || ts.isYieldExpression(e) || ts.isDeleteExpression(e) || ts.isPostfixUnaryExpression(e) ||
      (ts.isPrefixUnaryExpression(e) && (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)) ||
      (ts.isBinaryExpression(e) && e.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && e.operatorToken.kind <= ts.SyntaxKind.LastAssignment)) return false;
  if (ts.isFunctionLike(e)) return true; // not run here
  return ts.forEachChild(e, (c) => (isPlainValue(c) ? undefined : true)) !== true;
}

export function tryFinallyFix(report: LeakReport, file: string, defaultCall: string): Omit<Fix, 'title'> | undefined {
  const { subject } = report;
  const aliases = subject.aliases;
  if (!subject.creation || report.sawEscape || subject.kind === 'response' || !subject.fn.body) return undefined;
  if (report.exits.some((x) => x.kind === 'reassign' || x.kind === 'discard' || x.kind === 'sourceFails' || x.kind === 'failsInstead' || x.kind === 'peerGone')) return undefined;
  const region = regionOf(report);
  if (!region) return undefined;
  const { decl, stmts, own } = region;
  if (report.exits.some((x) => within(x.node, decl))) return undefined;
  const kept = stmts.filter((st) => st !== own);
  if (!kept.some((st) => !isPlainExit(st, report))) return undefined;
  if (kept.some((st) => containsRelease(st, report) || returnsAlias(st, aliases))) return undefined;
  const call = own ? own.expression.getText().replace(/;$/, '') : defaultCall;
  if (!isAsyncFunction(subject.fn) && /^await\b/.test(call)) return undefined;
  // Scope: the try block becomes the scope of what the moved statements declare.
  const names = blockScopedNames(stmts);
  const range: [number, number] = [stmts[0].pos, stmts[stmts.length - 1].end];
  if (mentionsAny(subject.fn.body, names, [range]) || (own && mentionsAny(own, names))) return undefined;
  if (stmts.some((st) => ts.isVariableStatement(st) && (st.declarationList.flags & ts.NodeFlags.Using))) return undefined;
  if (usedAfter(report, range[1])) return undefined;
  // Closures: when do they run relative to the `finally`?
  const closures = stmts.flatMap((st) => (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) ? (refersTo(st, aliases) ? [st] : []) : closuresUsing(st, aliases)));
  let safe = true;
  // The resource's own callbacks (`tls.connect(opts, () => c.write('hi'))`, `c.on('data', log)`) run
  // once it connects or hears something: a `finally` of a synchronous function closes it before.
  const callbacks = resourceCallbacks(report, decl, stmts);
  if (!own && callbacks.length && !isAsyncFunction(subject.fn)) return undefined;
  if (!own && [...closures, ...callbacks].some((c) => closureTiming(c, report) !== 'during')) {
    if (!isAsyncFunction(subject.fn)) return undefined;
    safe = false;
  }
  // `destroy()` in `finally` after the moved statements wrote to it would drop what is still queued.
  if (!own && ABRUPT_RELEASE.test(call) && writesTo(report)) safe = false;
  return { safe, edits: [edit(decl.getSourceFile(), file, ...wrapText(region, call))] };
}

/** Functions given to the call that creates the resource, or to a listener method called on it. */
function resourceCallbacks(report: LeakReport, decl: ts.VariableStatement, stmts: ts.Statement[]): FunctionNode[] {
  const out: FunctionNode[] = [];
  const creation = report.subject.creation;
  const take = (args: readonly ts.Expression[] | undefined) => {
    for (const a of args ?? []) {
      const f = stripParens(a);
      if (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) out.push(f);
    }
  };
  if (creation && (ts.isCallExpression(creation) || ts.isNewExpression(creation)) && within(creation, decl)) take(creation.arguments);
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LISTEN_METHODS.has(n.expression.name.text) &&
        refersTo(n.expression.expression, report.subject.aliases)) take(n.arguments);
    ts.forEachChild(n, visit);
  };
  stmts.forEach(visit);
  return out;
}

/** [from, to, text]: the statements after the declaration, one step right, inside try { } finally { call; }. */
function wrapText(region: Region, call: string): [number, number, string] {
  const { decl, stmts, own } = region;
  const sf = decl.getSourceFile();
  const base = indentAt(sf, decl.getStart(sf));
  const unit = indentUnit(sf);
  const nl = eol(sf);
  const first = stmts[0];
  const last = stmts[stmts.length - 1];
  if (!/[\r\n]/.test(sf.text.slice(decl.getStart(sf), last.getEnd()))) {
    // All on one line (`{ const s = net.connect(p); if (x) return 1; s.end(); }`): it stays one line.
    const from = first.getStart(sf);
    let kept = sf.text.slice(from, last.getEnd());
    if (own) {
      const a = own.getStart(sf) - from;
      const b = own.getEnd() - from;
      kept = (kept.slice(0, a) + kept.slice(b).replace(/^[ \t]+/, '')).replace(/[ \t]+$/, '');
    }
    return [decl.getEnd(), last.getEnd(), ` try { ${kept} } finally { ${call}; }`];
  }
  // `const s = net.connect(80); s.setNoDelay(true);`: the statements after it start a new line.
  const split = !startsLine(sf, first.getStart(sf));
  const from = split ? decl.getEnd() : lineStartOf(sf, first.getStart(sf));
  const to = stmts[stmts.length - 1].getEnd();
  const body = shiftRight(sf, from, to, unit, own ? [own] : [], split ? base + unit : undefined);
  const text = `${split ? nl : ''}${base}try {${nl}${body}${nl}${base}} finally {${nl}${base}${unit}${call};${nl}${base}}`;
  return [from, to, text];
}
