// The timeout-without-destroy fixes: destroy the socket in the handler, or add a handler that does.
//
// Preconditions, checked on the syntax tree (a fix that fails one is not offered):
//   appendDestroy  the handler is an inline function whose own parameters and declarations do not
//                  shadow the name (`this.x` only in an arrow function, where `this` is the caller's);
//                  the call goes last, before a final `return`/`throw`, and an expression body becomes
//                  a block;
//   addHandler     the statement it follows sits directly in a block or the file, and is the one
//                  that gives the variable its value (`const s = net.connect(…)`) or calls a method on it
//                  (`s.setTimeout(…)`, which would throw if it were unset), so the variable holds the
//                  socket there;
//   both           the function does not hand the socket to other code while never closing it: a
//                  closure that destroys it makes the function its owner, and unclosed-connection would
//                  then report the paths that hand it over (a new finding).
import { ts } from 'ts-morph';
import { RuleContext } from '../../core/rule';
import { edit, indentAt } from '../../core/text';
import { Fix } from '../../core/types';
import { blockScopedNames } from '../../core/fix-syntax';
import { separator } from '../../core/fix-text';

/** Append `name.destroy();` as the last statement of the handler (before a final return/throw). */
export function appendDestroy(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, name: string): Fix[] {
  const sf = ctx.sourceFile;
  const body = fn.body!;
  const root = name.split('.')[0];
  if (fn.parameters.some((p) => p.name.getText() === root)) return [];
  if (name.startsWith('this.') && !ts.isArrowFunction(fn)) return [];
  if (ts.isBlock(body) && (blockScopedNames(body.statements).has(root) || declaresVar(body, root))) return [];
  if (wouldTakeOwnership(ctx, fn, root)) return [];
  const call = `${name}.destroy();`;
  const title = `Destroy \`${name}\` in the timeout handler`;
  if (!ts.isBlock(body)) {
    return [{ title, safe: true, edits: [edit(sf, ctx.file, body.getStart(sf), body.getEnd(), `{ ${body.getText(sf)}; ${call} }`)] }];
  }
  const stmts = body.statements;
  if (!stmts.length) return [{ title, safe: true, edits: [edit(sf, ctx.file, body.getStart(sf), body.getEnd(), `{ ${call} }`)] }];
  const last = stmts[stmts.length - 1];
  const indent = indentAt(sf, last.getStart(sf));
  const sameLine = sf.getLineAndCharacterOfPosition(last.getStart(sf)).line === sf.getLineAndCharacterOfPosition(body.getStart(sf)).line;
  if (ts.isReturnStatement(last) || ts.isThrowStatement(last)) {
    const at = last.getStart(sf);
    return [{ title, safe: true, edits: [edit(sf, ctx.file, at, at, sameLine ? `${separator(sf, at)}${call} ` : `${call}\n${indent}`)] }];
  }
  // `() => { s.write('x') }`: on one line, a statement without its semicolon needs one before the call.
  const at = last.getEnd();
  return [{ title, safe: true, edits: [edit(sf, ctx.file, at, at, sameLine ? `${separator(sf, at) || ' '}${call}` : `\n${indent}${call}`)] }];
}

/** `var name` anywhere in the handler (not in nested functions). */
function declaresVar(body: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) found = true;
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** `s.setTimeout(ms);` → add `s.on('timeout', () => s.destroy());` after the statement. */
export function addHandler(ctx: RuleContext, at: ts.Node, name: string): Fix[] {
  let stmt: ts.Node | undefined = at;
  while (stmt && !ts.isExpressionStatement(stmt) && !ts.isVariableStatement(stmt)) stmt = stmt.parent;
  if (!stmt || !(ts.isBlock(stmt.parent) || ts.isSourceFile(stmt.parent))) return [];
  if (!holdsIt(stmt, name) || wouldTakeOwnership(ctx, stmt, name)) return [];
  const sf = ctx.sourceFile;
  const text = `${name}.on('timeout', () => ${name}.destroy());`;
  return [{ title: `Destroy \`${name}\` on 'timeout'`, safe: true, edits: [edit(sf, ctx.file, stmt.getEnd(), stmt.getEnd(), `\n${indentAt(sf, stmt.getStart(sf))}${text}`)] }];
}

/** The socket held by `name` around `at` is handed over somewhere and never closed by its function. */
function wouldTakeOwnership(ctx: RuleContext, at: ts.Node, name: string): boolean {
  return ctx.leakReports().some((r) => r.resourceName === name && r.sawEscape && !r.sawRelease &&
    at.pos >= r.subject.fn.pos && at.end <= r.subject.fn.end);
}

/** After `stmt`, does `name` certainly hold the socket? */
function holdsIt(stmt: ts.Statement, name: string): boolean {
  if (ts.isVariableStatement(stmt)) {
    return stmt.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name && !!d.initializer);
  }
  if (!ts.isExpressionStatement(stmt)) return false;
  // `s.setTimeout(…)` (or a chain on `s`): it would have thrown if `s` were unset; `s = net.connect(…)`.
  let e: ts.Expression = stmt.expression;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) return ts.isIdentifier(e.left) && e.left.text === name;
  while (ts.isCallExpression(e) || ts.isPropertyAccessExpression(e)) {
    if ((ts.isPropertyAccessExpression(e) && e.questionDotToken) || (ts.isCallExpression(e) && e.questionDotToken)) return false;
    e = e.expression;
  }
  return ts.isIdentifier(e) && e.text === name;
}
