// A listener that settles a promise the code awaits at once: `await new Promise((resolve) =>
// ws.once('error', resolve))` goes on only after the event has fired, so what the event means (a failed
// WebSocket is closed) holds after the `await`.
import { ts } from 'ts-morph';
import { enclosingFunction, FnLike, isStringArg, promiseExecutor, settlerNames, stripParens } from './ast';
import { LISTEN_METHODS } from './call-shapes';

/**
 * The listener `listen` registers settles the promise around it, which the code awaits at once: by a
 * call of `resolve` or `reject` as its whole body or its last statement (`expect(r.statusCode).toBe(401);
 * resolve()`). No other `resolve` may let the code go on without the event, except in listeners of the
 * same emitter for one of `alike` (a WebSocket's 'error' beside its 'unexpected-response': both say it failed).
 */
export function settlesAwaitedPromise(listen: ts.CallExpression, listener: ts.Expression | undefined, alike: ReadonlySet<string> = new Set()): boolean {
  const executor = enclosingFunction(listen);
  const promise = executor?.parent;
  if (!executor || !promise || promiseExecutor(promise) !== executor) return false;
  let p: ts.Node = promise;
  while (ts.isParenthesizedExpression(p.parent) || ts.isAsExpression(p.parent) || ts.isSatisfiesExpression(p.parent)) p = p.parent;
  if (!ts.isAwaitExpression(p.parent)) return false;
  const settlers = settlerNames(executor);
  const l = listener && stripParens(listener);
  // Only another `resolve` lets the code go on without the event: a `reject` elsewhere makes the `await` throw.
  const resolveParam = executor.parameters[0]?.name;
  const resolvers = resolveParam && ts.isIdentifier(resolveParam) ? new Set([resolveParam.text]) : settlers;
  if (!l || settledElsewhere(executor, resolvers, l, listen, alike)) return false;
  if (ts.isIdentifier(l)) return settlers.has(l.text);
  if (!ts.isArrowFunction(l) && !ts.isFunctionExpression(l)) return false;
  const last = ts.isBlock(l.body) ? l.body.statements[l.body.statements.length - 1] : undefined;
  const body = ts.isBlock(l.body) ? (last && ts.isExpressionStatement(last) ? last.expression : undefined) : l.body;
  const call = body && stripParens(body as ts.Expression);
  return !!call && ts.isCallExpression(call) && ts.isIdentifier(call.expression) && settlers.has(call.expression.text);
}

/** One of `names` is named outside the listener too (`once('connect', resolve)`): the promise may settle without the event. */
function settledElsewhere(executor: FnLike, names: Set<string>, listener: ts.Node, listen: ts.CallExpression, alike: ReadonlySet<string>): boolean {
  const emitter = ts.isPropertyAccessExpression(listen.expression) ? stripParens(listen.expression.expression).getText() : undefined;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n === listener || (emitter !== undefined && sameEventListener(n, emitter, alike))) return;
    if (ts.isIdentifier(n) && names.has(n.text) && !ts.isParameter(n.parent)) found = true;
    else ts.forEachChild(n, visit);
  };
  if (executor.body) visit(executor.body);
  return found;
}

/** `ws.once('error', () => resolve())` on the same emitter, for one of `events`. */
function sameEventListener(n: ts.Node, emitter: string, events: ReadonlySet<string>): boolean {
  return ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LISTEN_METHODS.has(n.expression.name.text) &&
    stripParens(n.expression.expression).getText() === emitter && isStringArg(n.arguments[0], events);
}
