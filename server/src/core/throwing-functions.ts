// Project functions that throw on some path of their own: `mergeLines(lines)` rejecting a malformed
// line of a request body, `reportWindow(event)` an invalid date range. Called between the creation of a
// resource and the `try` that closes it, such a call leaves it open when it throws, as a `throw`
// written there would. What the function calls is followed one level down (callsThrowing), no deeper.
import { ts } from 'ts-morph';
import { calleeName, enclosingFunction, isNullLiteral, stripParens } from './ast';

/** `throw new TypeError(…)`: a check of an argument's type, which a caller passing the right value never trips. */
export function throwsTypeError(node: ts.Node): boolean {
  if (!ts.isThrowStatement(node)) return false;
  const e = stripParens(node.expression);
  return ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'TypeError';
}

/**
 * A `throw new TypeError(…)` under an `if` that tests the data rather than its type or presence:
 * `if (fields.length === 0) throw new TypeError('point has no fields')` is a check of the input's
 * content, which well-typed input trips too (a spooled point without fields), so it is a path. Type
 * tests (`typeof`, `instanceof`, `in`, `Array.isArray(x)`, any `isX(…)`) and presence tests (`!x`,
 * `!opts.host`, `x == null`) are what a caller passing the right value never trips.
 */
function guardedByDataCheck(node: ts.ThrowStatement, fn: ts.FunctionLikeDeclaration): boolean {
  for (let n: ts.Node = node; n.parent && n !== fn.body; n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && p.thenStatement === n) return !isTypeOrPresenceTest(p.expression);
  }
  return false;
}

function isTypeOrPresenceTest(test: ts.Expression): boolean {
  const e = stripParens(test);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken) {
      return isTypeOrPresenceTest(e.left) && isTypeOrPresenceTest(e.right);
    }
    if (op === ts.SyntaxKind.InstanceOfKeyword || op === ts.SyntaxKind.InKeyword) return true;
    if (NULLISH_TESTS.has(op) || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) {
      const [l, r] = [stripParens(e.left), stripParens(e.right)];
      return ts.isTypeOfExpression(l) || ts.isTypeOfExpression(r) || isNullish(l) || isNullish(r);
    }
    return false;
  }
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
    const x = stripParens(e.operand);
    return ts.isIdentifier(x) || ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x) || isTypeOrPresenceTest(x);
  }
  if (ts.isCallExpression(e)) return /^is[A-Z]/.test(calleeName(e) ?? '');
  // `res && …`: a truthiness test of a value is a presence test.
  return ts.isIdentifier(e) || ts.isPropertyAccessExpression(e);
}

/** Helpers that mark a path that cannot happen (`assertNever(x)`, `invariant(ok, msg)`): a call of one is a bug, not a path. */
const UNREACHABLE_HELPER = /^(assertNever|assertUnreachable|unreachable|invariant|exhaustive)/i;

/** Never, always, or unless the call gives the parameters of these indexes (see throwsOnItsOwn). */
export type ThrowCondition = boolean | { unlessGiven: number[] };

/**
 * When a synchronous function's own body may throw: never (`false`), on some path whatever it is given
 * (`true`), or only when one of some parameters is left out (`unlessGiven`: their indexes). That last is
 * a configuration helper's shape, `env(name, fallback)` throwing when `process.env[name] ?? fallback` is
 * undefined: called with a literal fallback it cannot throw, and reporting that call is a false alarm.
 * A `throw` counts outside nested functions and outside the `try` block of a try/catch (one in the
 * `catch` counts), other than a type check. An async function rejects instead (the caller's `await` is
 * that exit already); a generator throws when iterated.
 */
export function throwsOnItsOwn(fn: ts.FunctionLikeDeclaration): ThrowCondition {
  const body = synchronousBody(fn);
  if (!body || fn.type?.kind === ts.SyntaxKind.NeverKeyword) return false;
  const name = fn.name && ts.isIdentifier(fn.name) ? fn.name.text : '';
  if (UNREACHABLE_HELPER.test(name)) return false;
  let always = false;
  const unlessGiven = new Set<number>();
  forEachUncaught(body, (n) => {
    if (always) return true;
    if (ts.isIfStatement(n) && !n.elseStatement && isOnlyThrow(n.thenStatement)) {
      const param = missingParameterTested(n.expression, fn);
      if (param !== undefined) {
        unlessGiven.add(param);
        return true;
      }
    }
    if (!ts.isThrowStatement(n)) return false;
    always = !throwsTypeError(n) || guardedByDataCheck(n, fn);
    return true;
  });
  if (always) return true;
  return unlessGiven.size ? { unlessGiven: [...unlessGiven] } : false;
}

/**
 * A synchronous function whose own body (outside nested functions and `try` blocks that catch) calls a
 * function `throws` says throws: one level down, what a helper calls (`buildNotify()` calling `pidf()`).
 */
export function callsThrowing(fn: ts.FunctionLikeDeclaration, throws: (call: ts.CallExpression) => boolean): boolean {
  const body = synchronousBody(fn);
  let found = false;
  if (body) forEachUncaught(body, (n) => found || (found = ts.isCallExpression(n) && throws(n)));
  return found;
}

/** The block of a function that throws to its caller: not an async function (it rejects) nor a generator (it throws when iterated). */
function synchronousBody(fn: ts.FunctionLikeDeclaration): ts.Block | undefined {
  if (!fn.body || !ts.isBlock(fn.body) || fn.asteriskToken) return undefined;
  return ts.canHaveModifiers(fn) && ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ? undefined : fn.body;
}

/**
 * Each node of `body` whose throw would leave the function: not in nested functions or classes, nor in
 * the `try` block of a try/catch (its `catch` and `finally` count). `visit` returns true to skip the node's children.
 */
function forEachUncaught(body: ts.Block, visit: (n: ts.Node) => boolean): void {
  const walk = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isTryStatement(n) && n.catchClause) {
      walk(n.catchClause.block);
      if (n.finallyBlock) walk(n.finallyBlock);
      return;
    }
    if (!visit(n)) ts.forEachChild(n, walk);
  };
  body.statements.forEach(walk);
}

/** Whether a call gives every parameter the function needs not to throw a value that is never nullish or empty. */
export function throwsForCall(condition: ThrowCondition, call: ts.CallExpression): boolean {
  if (typeof condition === 'boolean') return condition;
  return condition.unlessGiven.some((i) => !isPresentLiteral(call.arguments[i]));
}

function isOnlyThrow(s: ts.Statement): boolean {
  if (ts.isBlock(s)) return s.statements.length === 1 && ts.isThrowStatement(s.statements[0]);
  return ts.isThrowStatement(s);
}

/**
 * `value === undefined`, `value == null`, `!value` (and `typeof value === 'undefined'`) where `value` is a
 * parameter or a `const` of the function set to `… ?? param` or `… || param`: the parameter's index.
 */
function missingParameterTested(test: ts.Expression, fn: ts.FunctionLikeDeclaration): number | undefined {
  const e = stripParens(test);
  let tested: ts.Expression | undefined;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) tested = e.operand;
  else if (ts.isBinaryExpression(e) && NULLISH_TESTS.has(e.operatorToken.kind)) {
    const [side, other] = isNullish(e.right) ? [e.left, e.right] : isNullish(e.left) ? [e.right, e.left] : [];
    if (other) tested = ts.isTypeOfExpression(stripParens(side!)) ? (stripParens(side!) as ts.TypeOfExpression).expression : side;
  }
  tested = tested && stripParens(tested);
  if (!tested || !ts.isIdentifier(tested)) return undefined;
  return parameterIndex(tested.text, fn) ?? parameterIndex(fallbackParameter(tested.text, fn), fn);
}

const NULLISH_TESTS = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken]);

/** `null`, `undefined`, or `'undefined'` (what `typeof value` is compared with). */
function isNullish(e: ts.Expression): boolean {
  const x = stripParens(e);
  return isNullLiteral(x) || (ts.isStringLiteral(x) && x.text === 'undefined');
}

function parameterIndex(name: string | undefined, fn: ts.FunctionLikeDeclaration): number | undefined {
  const i = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name);
  return i < 0 ? undefined : i;
}

/** The parameter a `const value = … ?? param` (or `|| param`) of the function's top level falls back to. */
function fallbackParameter(name: string, fn: ts.FunctionLikeDeclaration): string | undefined {
  for (const s of (fn.body as ts.Block).statements) {
    if (!ts.isVariableStatement(s) || !(s.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of s.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.name.text !== name || !d.initializer) continue;
      const init = stripParens(d.initializer);
      const fallsBack =
        ts.isBinaryExpression(init) &&
        (init.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || init.operatorToken.kind === ts.SyntaxKind.BarBarToken);
      const right = fallsBack ? stripParens((init as ts.BinaryExpression).right) : undefined;
      return right && ts.isIdentifier(right) ? right.text : undefined;
    }
  }
  return undefined;
}

/** A literal that is neither nullish nor falsy: `'127.0.0.1'`, `7070`, `true`, `{…}`, `[…]`, `` `${a}:x` ``. */
function isPresentLiteral(arg: ts.Expression | undefined): boolean {
  const a = arg && stripParens(arg);
  if (!a) return false;
  if (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) return a.text !== '';
  if (ts.isNumericLiteral(a)) return Number(a.text) !== 0;
  if (ts.isTemplateExpression(a)) return a.head.text !== '' || a.templateSpans.some((s) => s.literal.text !== '');
  return a.kind === ts.SyntaxKind.TrueKeyword || ts.isObjectLiteralExpression(a) || ts.isArrayLiteralExpression(a);
}

/**
 * Built-ins that throw on malformed input: `JSON.parse(text)` (SyntaxError), `new URL(input)` with no base
 * (TypeError `ERR_INVALID_URL`), `new RegExp(pattern)` (SyntaxError). Given a value the function received
 * (a parameter, a local, an awaited result) rather than a literal or a module's constant, a bad value
 * throws there. A relative URL with a base, `new URL(req.url, base)`, is not counted: it resolves. Nor is
 * a value the resource's own creation was given: `new URL(url)` after `fetch(url)` succeeded parses.
 */
export function throwsOnBadInput(
  call: ts.CallExpression | ts.NewExpression,
  isGlobal: (id: ts.Identifier) => boolean,
  declarationOf: (id: ts.Identifier) => ts.Declaration | undefined,
  creation?: ts.Node,
): boolean {
  const callee = stripParens(call.expression);
  const args = call.arguments ?? [];
  const parses = ts.isCallExpression(call)
    ? ts.isPropertyAccessExpression(callee) && callee.name.text === 'parse' && ts.isIdentifier(callee.expression) &&
      callee.expression.text === 'JSON' && isGlobal(callee.expression)
    : ts.isIdentifier(callee) && ((callee.text === 'URL' && args.length === 1) || callee.text === 'RegExp') && isGlobal(callee);
  if (!parses || !args[0]) return false;
  const given = creation && (ts.isCallExpression(creation) || ts.isNewExpression(creation)) ? creation.arguments ?? [] : [];
  return !given.some((a) => a.getText() === args[0].getText()) && isReceivedValue(args[0], declarationOf);
}

/** Whether `e` holds something the enclosing function received: it names a parameter or a local, or awaits. */
function isReceivedValue(e: ts.Expression, declarationOf: (id: ts.Identifier) => ts.Declaration | undefined): boolean {
  const x = stripParens(e);
  // `JSON.parse(JSON.stringify(v))` copies; `new RegExp(escapeRegExp(name))` quotes what could throw.
  if (ts.isCallExpression(x) && /^(stringify|escape)/i.test(calleeName(x) ?? '')) return false;
  let received = false;
  const visit = (n: ts.Node): void => {
    if (received || ts.isFunctionLike(n)) return;
    if (ts.isAwaitExpression(n)) received = true;
    else if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
      const d = declarationOf(n);
      received = !!d && (ts.isParameter(d) || (ts.isVariableDeclaration(d) && !!enclosingFunction(d)));
    } else ts.forEachChild(n, visit);
  };
  visit(x);
  return received;
}
