// A listener that settles a promise the code awaits at once: `await new Promise((resolve) =>
// ws.once('error', resolve))` goes on only after the event has fired, so what the event means (a failed
// WebSocket is closed) holds after the `await`.
import { ts } from 'ts-morph';
import { enclosingFunction, findNode, FnLike, isStringArg, promiseExecutor, settlerNames, stripParens } from './ast';
import { findProp } from './syntax';
import { ERROR_EVENT, LISTEN_METHODS } from './call-shapes';

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
    if (found || n === listener) return;
    // Of such a listener, only the chain it is called on: `ssh.once('ready', resolve).once('error', reject)`.
    if (emitter !== undefined && sameEventListener(n, emitter, alike)) return visit(((n as ts.CallExpression).expression as ts.PropertyAccessExpression).expression);
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

/**
 * `setTimeout(() => reject(new Error('did not open')), ms)` in the executor of a promise that waits for a
 * connection to open, with no close in that callback: the timeout gives up on a connection still being
 * made, which opens later (or keeps trying) with nobody to close it. `closes` tells a release of it.
 */
export function timeoutRejectsWhileOpening(executor: ts.Expression | undefined, closes: (call: ts.CallExpression) => boolean): boolean {
  const fn = executor && stripParens(executor);
  if (!fn || (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn))) return false;
  const reject = fn.parameters[1]?.name;
  if (!reject || !ts.isIdentifier(reject)) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    const cb = ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'setTimeout' ? n.arguments[0] : undefined;
    if (cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) {
      // The callback as the root: findNode tests what is below it, an expression body included.
      const rejects = findNode(cb, (c) => ts.isCallExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === reject.text);
      found = !!rejects && !findNode(cb, (c) => ts.isCallExpression(c) && closes(c));
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

/**
 * `once(socket, 'connect', { signal: AbortSignal.timeout(ms) })`: the wait gives up when the signal
 * aborts, with the connection still being made (its own 'error' would have closed it).
 */
export function abortsTheWait(options: ts.Expression | undefined): boolean {
  const o = options && stripParens(options);
  return !!o && ts.isObjectLiteralExpression(o) && findProp(o, 'signal').prop !== undefined;
}

/**
 * `new Promise((resolve, reject) => { stream.once('response', resolve); stream.once('error', reject) })`: the
 * executor's `reject` is only ever the resource's own 'error' listener, so the promise rejects only once the
 * resource has failed, and a stream (autoDestroy) or a socket is destroyed by its own error.
 */
export function rejectsOnlyOnOwnError(executor: ts.Expression | undefined, isHandle: (e: ts.Expression) => boolean): boolean {
  const fn = executor && stripParens(executor);
  if (!fn || (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) || !ts.isBlock(fn.body)) return false;
  const reject = fn.parameters[1]?.name;
  if (!reject || !ts.isIdentifier(reject)) return false;
  let uses = 0;
  let other = false;
  const visit = (n: ts.Node): void => {
    if (other) return;
    if (ts.isThrowStatement(n)) other = true;
    if (ts.isIdentifier(n) && n !== reject && n.text === reject.text) {
      uses++;
      const call = n.parent;
      other ||= !(ts.isCallExpression(call) && call.arguments[1] === n && ts.isPropertyAccessExpression(call.expression) &&
        LISTEN_METHODS.has(call.expression.name.text) && isStringArg(call.arguments[0], ERROR_EVENT) && isHandle(call.expression.expression));
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return uses > 0 && !other;
}

/** Kinds a failure destroys: streams (autoDestroy), sockets and WebSockets (node-socket-semantics.md §5). */
export const SELF_DESTROYING: ReadonlySet<string> = new Set(['socket', 'response', 'websocket']);
