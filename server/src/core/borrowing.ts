// Does a function only borrow what it is given? Every use of its parameter a property read or a method
// call that does not end it: `await sendOnSession(session, push)`, `unary(this.catalog, 'getProduct', req)`.
// Asked by the test hooks (hooks.ts) and the class fields (field-uses.ts) of what they lend to helpers.
import { ts } from 'ts-morph';
import { EQUALITY, isBindingReference, promiseExecutor, topLevelNamed } from './ast';
import { lentToWebSocketServer, waitsForEvent } from './call-shapes';

/** The project function a call runs, when it is known (leaks.ts `projectFunction`). */
export type ProjectFunctionOf = (call: ts.CallExpression | ts.NewExpression) => ts.FunctionLikeDeclaration | undefined;

/** Methods that end or detach the resource whatever its kind (`unref()`: it no longer keeps the runner alive). */
export const ENDING = new Set(['close', 'end', 'destroy', 'terminate', 'quit', 'disconnect', 'unref', 'closeAllConnections', 'dispose']);

/**
 * The function only uses its parameter `index`: every use is a property read or a method call that
 * does not end it (in the function or its closures), so it neither closes it nor hands it on.
 */
export function onlyReadsParam(fn: ts.FunctionLikeDeclaration, index: number, release: readonly string[] | ReadonlySet<string>): boolean {
  const param = fn.parameters[index];
  if (!param || !ts.isIdentifier(param.name) || param.dotDotDotToken || !fn.body || ts.getModifiers(param)?.length) return false;
  // Lent to a ws WebSocketServer (`new WebSocketServer({ server })`), which never closes it, it is only used too.
  return everyUse(fn.body, param.name.text, (n) => useOf(n, release) === 'reads' || waitsForEvent(n.parent, n) || lentToWebSocketServer(n.parent) ||
    boundToItsOwnMethod(n));
}

/**
 * `waitForConnect(socket)`: a function that only uses its parameter `index` (onlyReadsParam) and gives it back, returned
 * or resolved from a promise it makes (`resolve(socket)` in `socket.once('connect', …)`): a caller that drops what it
 * returns still owns what it gave.
 */
export function givesParamBack(fn: ts.FunctionLikeDeclaration, index: number, release: readonly string[] | ReadonlySet<string>): boolean {
  const param = fn.parameters[index];
  if (!param || !ts.isIdentifier(param.name) || param.dotDotDotToken || !fn.body) return false;
  let back = false;
  const givenBack = (n: ts.Identifier): boolean => {
    let x: ts.Node = n;
    while (ts.isParenthesizedExpression(x.parent)) x = x.parent;
    const p = x.parent;
    if (ts.isReturnStatement(p)) return true;
    // `resolve(socket)`, where `resolve` is the first parameter of a `new Promise` executor in the function.
    if (!ts.isCallExpression(p) || p.arguments.length !== 1 || p.arguments[0] !== x || !ts.isIdentifier(p.expression)) return false;
    const callee = p.expression.text;
    for (let f: ts.Node | undefined = p; f && f !== fn; f = f.parent) {
      const executor = promiseExecutor(f);
      const first = executor?.parameters[0]?.name;
      if (first && ts.isIdentifier(first) && first.text === callee) return true;
    }
    return false;
  };
  const all = everyUse(fn.body, param.name.text, (n) => useOf(n, release) === 'reads' || waitsForEvent(n.parent, n) || (givenBack(n) && (back = true)));
  return all && back;
}

/** `(client as Stubs)[method].bind(client)`: the client is the `this` of one of its own methods, a call on it. */
function boundToItsOwnMethod(n: ts.Identifier): boolean {
  const call = n.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== n || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'bind') return false;
  let recv: ts.Expression = call.expression.expression;
  while (ts.isPropertyAccessExpression(recv) || ts.isElementAccessExpression(recv) || ts.isParenthesizedExpression(recv) || ts.isAsExpression(recv)) recv = recv.expression;
  return ts.isIdentifier(recv) && recv.text === n.text;
}

/**
 * `x.prop` or `x.method()` (reads), `x.close()` or another ending call (ends), anything else. A method
 * called by a computed name (`client[method](req, cb)`: a helper for any of a client's calls) reads it,
 * unless the name is written out as an ending one.
 */
export function useOf(n: ts.Identifier, release: readonly string[] | ReadonlySet<string>): 'reads' | 'ends' | 'other' {
  // `(client as any).check(req, cb)`: a type assertion (or parentheses) around it changes nothing of the use.
  let inner: ts.Expression = n;
  while (ts.isParenthesizedExpression(inner.parent) || ts.isAsExpression(inner.parent) || ts.isNonNullExpression(inner.parent) ||
      ts.isSatisfiesExpression(inner.parent) || ts.isTypeAssertionExpression(inner.parent)) inner = inner.parent;
  const p = inner.parent;
  const ends = (name: string) => ('has' in release ? release.has(name) : release.includes(name)) || ENDING.has(name);
  // Also one bound to call later: `client[method].bind(client)`.
  if (ts.isElementAccessExpression(p) && p.expression === inner && ((ts.isCallExpression(p.parent) && p.parent.expression === p) ||
      (ts.isPropertyAccessExpression(p.parent) && p.parent.name.text === 'bind'))) {
    return ts.isStringLiteralLike(p.argumentExpression) && ends(p.argumentExpression.text) ? 'ends' : 'reads';
  }
  // `if (this.session !== old) return`: compared, not kept.
  if (ts.isBinaryExpression(p) && EQUALITY.has(p.operatorToken.kind)) return 'reads';
  if (!ts.isPropertyAccessExpression(p) || p.expression !== inner) return 'other';
  const called = ts.isCallExpression(p.parent) && p.parent.expression === p;
  return called && ends(p.name.text) ? 'ends' : 'reads';
}

/** `ok` holds for every use of `name` under `scope` (its declaration aside). */
export function everyUse(scope: ts.Node, name: string, ok: (n: ts.Identifier) => boolean): boolean {
  let all = true;
  const visit = (n: ts.Node): void => {
    // `let ch: Awaited<ReturnType<typeof conn.createChannel>>`: a type names it, nothing uses it.
    if (!all || ts.isTypeNode(n)) return;
    if (ts.isIdentifier(n) && n.text === name && !isDeclarationName(n)) {
      if (!ok(n)) all = false;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return all;
}

/** Its declaration, or a name that is no use of the variable: `kafka.consumer(…)`, `{ consumer: x }`. */
function isDeclarationName(id: ts.Identifier): boolean {
  return (ts.isVariableDeclaration(id.parent) && id.parent.name === id) || !isBindingReference(id);
}

/**
 * The function a call names, declared at the top of the same file (`function unary(client, …) {…}`,
 * `const unary = (client, …) => …`). Found by name, without the checker: a class's fields are asked about
 * for every class, and a helper of the same file is the common case.
 */
export function sameFileFunction(call: ts.CallExpression | ts.NewExpression): ts.FunctionLikeDeclaration | undefined {
  const d = ts.isIdentifier(call.expression) ? topLevelNamed(call.getSourceFile(), call.expression.text) : undefined;
  return d && (ts.isFunctionDeclaration(d) || ts.isFunctionExpression(d) || ts.isArrowFunction(d)) && d.body ? d : undefined;
}
