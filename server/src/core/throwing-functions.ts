// Project functions that throw on some path of their own: `mergeLines(lines)` rejecting a malformed
// line of a request body, `reportWindow(event)` an invalid date range. Called between the creation of a
// resource and the `try` that closes it, such a call leaves it open when it throws, as a `throw`
// written there would. What the function calls is not followed (one level, syntax only).
import { ts } from 'ts-morph';
import { stripParens } from './ast';

/** `throw new TypeError(…)`: a check of an argument's type, which a caller passing the right value never trips. */
export function throwsTypeError(node: ts.Node): boolean {
  if (!ts.isThrowStatement(node)) return false;
  const e = stripParens(node.expression);
  return ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'TypeError';
}

/** Helpers that mark a path that cannot happen (`assertNever(x)`, `invariant(ok, msg)`): a call of one is a bug, not a path. */
const UNREACHABLE_HELPER = /^(assertNever|assertUnreachable|unreachable|invariant|exhaustive)/i;

/**
 * A synchronous function whose own body may throw: a `throw` outside nested functions and outside the
 * `try` block of a try/catch (a `throw` in the `catch` counts), other than a type check. An async
 * function rejects instead (the caller's `await` is that exit already); a generator throws when iterated.
 */
export function throwsOnItsOwn(fn: ts.FunctionLikeDeclaration): boolean {
  if (!fn.body || !ts.isBlock(fn.body) || fn.asteriskToken) return false;
  if (ts.canHaveModifiers(fn) && ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return false;
  if (fn.type?.kind === ts.SyntaxKind.NeverKeyword) return false;
  const name = fn.name && ts.isIdentifier(fn.name) ? fn.name.text : '';
  if (UNREACHABLE_HELPER.test(name)) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isThrowStatement(n)) {
      found = !throwsTypeError(n);
      return;
    }
    if (ts.isTryStatement(n) && n.catchClause) {
      visit(n.catchClause.block);
      if (n.finallyBlock) visit(n.finallyBlock);
      return;
    }
    ts.forEachChild(n, visit);
  };
  fn.body.statements.forEach(visit);
  return found;
}
