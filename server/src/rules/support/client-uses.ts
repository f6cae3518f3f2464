// How a function uses a client it made, for madePerCall (shared-clients.ts): a loan to a helper that only calls its
// methods, to the callback a `withClient(fn)` helper was given, or to the request's later handlers
// (`ctx.state.db = db`); a test of it; and where its close runs (in the function, or in a callback that runs when the
// call is done).
import { ts } from 'ts-morph';
import { RuleContext } from '../../core/rule';
import { enclosingFunction } from '../../core/syntax';
import { insideCatch, promiseExecutor, skipOuterUp, stripParens } from '../../core/ast';
import { LISTEN_METHODS, owningFunction } from '../../core/call-shapes';
import { projectParameterFor } from './agent-factories';

/** `ctx.state.db = x`, `req.db = x`: `x` stored on an object a parameter of `fn` names (the request's, in a handler). */
export function storedOnParameter(x: ts.Node, fn: ts.SignatureDeclaration): boolean {
  const p = x.parent;
  if (!ts.isBinaryExpression(p) || p.operatorToken.kind !== ts.SyntaxKind.EqualsToken || p.right !== x || !ts.isPropertyAccessExpression(p.left)) return false;
  let root: ts.Expression = p.left;
  while (ts.isPropertyAccessExpression(root)) root = root.expression;
  return ts.isIdentifier(root) && fn.parameters.some((param) => ts.isIdentifier(param.name) && param.name.text === (root as ts.Identifier).text);
}

/**
 * `await sendOnSession(session, push)`: a function of the project that only calls methods of the
 * parameter or reads it (`session.request(…)`), never closing, keeping, returning or handing it on: it borrows it.
 */
export function lentTo(ctx: RuleContext, arg: ts.Identifier, release: ReadonlySet<string>): boolean {
  const param = projectParameterFor(ctx, arg);
  if (!param) return false;
  const sym = ctx.resolver.symbolOf(param.name);
  const body = (param.parent as ts.FunctionLikeDeclaration).body;
  if (!sym || !body) return false;
  let other = false;
  const visit = (n: ts.Node): void => {
    if (other) return;
    if (ts.isIdentifier(n) && n !== param.name && n.text === param.name.getText() && ctx.resolver.symbolOf(n) === sym) {
      // Through a type assertion too: `(client as any).computeTrack(req, cb)`.
      const outer = skipOuterUp(n);
      const p = outer.parent;
      // Closing it there is no loan: the close is the helper's (and this function's own check misses it).
      if (!(ts.isPropertyAccessExpression(p) && p.expression === outer) || release.has(p.name.text)) other = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return !other;
}

/** The close runs in `fn` itself, or in a `.finally()`/`.then()` callback of a promise `fn` makes (`}).finally(() => session.close())`). */
export function closesIn(method: ts.Node, fn: ts.FunctionLikeDeclaration, isClient: (e: ts.Expression) => boolean): boolean {
  const inner = enclosingFunction(method);
  // `catch (err) { await conn.close(); throw err; }`: closed when opening failed, not at the end of every call.
  if (inner === fn) return !insideCatch(method, fn);
  const call = inner?.parent;
  if (!inner || !(ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) || !call || !ts.isCallExpression(call) ||
      !ts.isPropertyAccessExpression(call.expression) || owningFunction(call) !== owningFunction(fn.body!)) return false;
  // `new Promise((resolve, reject) => { const session = http2.connect(o); const req = session.request(h); req.on('end',
  // () => { session.close(); resolve(body) }) })`: the promise settles when the call is done, closed on its way.
  const name = call.expression.name.text;
  const event = call.arguments[0] && ts.isStringLiteralLike(call.arguments[0]) ? call.arguments[0].text : undefined;
  // Also one made just before the promise (`const session = http2.connect(o); return new Promise((resolve, reject) => { …;
  // req.on('close', () => session.close()) })`): the executor runs in place.
  const executor = enclosingFunction(call);
  const inExecutor = promiseExecutor(fn.parent) === fn || (!!executor && promiseExecutor(executor.parent) === executor && enclosingFunction(executor) === fn);
  const onEvent = inExecutor && ['on', 'once'].includes(name) && !!event && !['error', 'timeout'].includes(event);
  // `client.Move(req, opts, (err, reply) => { client.close(); … })` of a gRPC client in the promise's executor: the
  // completion callback of the client's own call, run once when it is done.
  const completion = isClient(stripParens(call.expression.expression)) && !LISTEN_METHODS.has(name) && call.arguments[call.arguments.length - 1] === inner;
  return CLOSING_CALLBACKS.has(name) || onEvent || completion;
}

/** The promise callbacks that run once the work is done (not `catch`, which runs only when it failed). */
const CLOSING_CALLBACKS = new Set(['finally', 'then']);

/** `if (conn) await conn.end()`, `!conn`, `conn && conn.end()`: a test of the client keeps nothing. */
export function testedOnly(n: ts.Node): boolean {
  const p = n.parent;
  return (ts.isIfStatement(p) && p.expression === n) || (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) ||
    // `conn && …` yields the client only when it is absent.
    (ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) ||
    (ts.isConditionalExpression(p) && p.condition === n);
}

/** `return await fn(client)` where `fn` is a parameter of the function: a `withClient(fn)` helper lends its client to the callback for the call. */
export function lentToCallback(n: ts.Identifier, fn: ts.SignatureDeclaration): boolean {
  const call = n.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(n)) return false;
  const callee = stripParens(call.expression);
  return ts.isIdentifier(callee) && fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === callee.text);
}
