// A listener that settles a promise the code awaits at once: `await new Promise((resolve) =>
// ws.once('error', resolve))` goes on only after the event has fired, so what the event means (a failed
// WebSocket is closed) holds after the `await`.
import { ts } from 'ts-morph';
import { calleeName, enclosingFunction, findNode, FnLike, isStringArg, promiseExecutor, settlerNames, stripParens } from './ast';
import { findProp } from './syntax';
import { LISTEN_METHODS, UNLISTEN_METHODS } from './call-shapes';

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
 * executor's `reject` is only ever called by the resource's own 'error', 'close' or 'end' listeners (inline, or
 * a function of the executor given only to them and to `off`: `const onError = (e) => { cleanup(); reject(e) }`),
 * so the promise rejects only once the resource has failed or closed, and a stream (autoDestroy) or a socket is
 * destroyed by its own error (§5); after 'end' a socket that does not allow half-open connections ends too.
 */
export function rejectsOnlyOnOwnError(executor: ts.Expression | undefined, isHandle: (e: ts.Expression) => boolean, events: ReadonlySet<string> = GONE_EVENTS): boolean {
  const fn = executor && stripParens(executor);
  if (!fn || (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) || !ts.isBlock(fn.body)) return false;
  const reject = fn.parameters[1]?.name;
  if (!reject || !ts.isIdentifier(reject)) return false;
  const body = fn.body;
  /** `sock.on('error', x)` (or once/addListener) with one of `events`. */
  const isGoneListener = (call: ts.Node, x: ts.Node): boolean => ts.isCallExpression(call) && call.arguments[1] === x &&
    ts.isPropertyAccessExpression(call.expression) && LISTEN_METHODS.has(call.expression.name.text) && isStringArg(call.arguments[0], events) &&
    isHandle(call.expression.expression);
  /** The function `reject` is called in runs only as such a listener. */
  const runsOnlyWhenGone = (listener: ts.Node): boolean => {
    if (isGoneListener(listener.parent, listener)) return true;
    const decl = listener.parent;
    if (!ts.isVariableDeclaration(decl) || decl.initializer !== listener || !ts.isIdentifier(decl.name)) return false;
    const name = decl.name.text;
    let listened = false;
    const misused = findNode(body, (n) => {
      if (!ts.isIdentifier(n) || n === decl.name || n.text !== name) return false;
      if (isGoneListener(n.parent, n)) return !(listened = true);
      // `sock.off('error', onError)` in its cleanup: no call of it.
      const call = n.parent;
      return !(ts.isCallExpression(call) && call.arguments[1] === n && ts.isPropertyAccessExpression(call.expression) && UNLISTEN_METHODS.has(call.expression.name.text));
    });
    return listened && !misused;
  };
  let uses = 0;
  let other = false;
  const visit = (n: ts.Node): void => {
    if (other) return;
    if (ts.isThrowStatement(n) && enclosingFunction(n) === fn) other = true;
    if (ts.isIdentifier(n) && n !== reject && n.text === reject.text) {
      uses++;
      if (!isGoneListener(n.parent, n)) {
        const listener = enclosingFunction(n);
        other = !listener || listener === fn || !ts.isCallExpression(n.parent) || n.parent.expression !== n || !runsOnlyWhenGone(outermostBelow(listener, fn));
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return uses > 0 && !other;
}

/** The function around `inner` whose parent function is `outer` (`inner` itself when it is that one). */
function outermostBelow(inner: FnLike, outer: FnLike): FnLike {
  let f = inner;
  for (let up = enclosingFunction(f); up && up !== outer; up = enclosingFunction(up)) f = up;
  return f;
}

/** Events after which a socket is failed, closed, or (not allowing half-open) ending. */
export const GONE_EVENTS: ReadonlySet<string> = new Set(['error', 'close', 'end']);
/** The same without 'end', for a connection that may stay half open. */
export const FAILED_OR_CLOSED: ReadonlySet<string> = new Set(['error', 'close']);

/**
 * `readReply(sock)`, or `async sendCommand(sock, line) { const reply = readReply(sock); sock.write(line); return reply }`:
 * a project function whose promise rejects only when the socket it is given (parameter `index`) fails or closes,
 * its only statements calls of that socket's methods and the waits it returns.
 */
export function rejectsOnlyWhenParamGone(fn: ts.FunctionLikeDeclaration, index: number, functionOf: (call: ts.CallExpression) => ts.FunctionLikeDeclaration | undefined,
  events: ReadonlySet<string>, depth = 0): boolean {
  const param = fn.parameters[index]?.name;
  if (!param || !ts.isIdentifier(param) || !fn.body || depth > 2) return false;
  const isParam = (e: ts.Expression) => { const x = stripParens(e); return ts.isIdentifier(x) && x.text === param.text; };
  const waits = new Set<string>();
  const isWait = (e: ts.Expression): boolean => {
    const x = stripParens(e);
    if (ts.isIdentifier(x)) return waits.has(x.text);
    if (ts.isNewExpression(x)) return calleeName(x) === 'Promise' && rejectsOnlyOnOwnError(x.arguments?.[0], isParam, events);
    if (!ts.isCallExpression(x)) return false;
    const at = x.arguments.findIndex((a) => isParam(a));
    const callee = at >= 0 ? functionOf(x) : undefined;
    return !!callee && callee !== fn && rejectsOnlyWhenParamGone(callee, at, functionOf, events, depth + 1);
  };
  if (!ts.isBlock(fn.body)) return isWait(fn.body);
  let returns = 0;
  for (const st of fn.body.statements) {
    if (ts.isReturnStatement(st) && st.expression) {
      const value = ts.isAwaitExpression(st.expression) ? st.expression.expression : st.expression;
      if (!isWait(value)) return false;
      returns++;
    } else if (ts.isVariableStatement(st) && st.declarationList.flags & ts.NodeFlags.Const) {
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || !d.initializer || !isWait(d.initializer)) return false;
        waits.add(d.name.text);
      }
    } else if (ts.isExpressionStatement(st)) {
      // `sock.write(line)`: a write to a failed socket reports through its 'error', it does not throw.
      const e = stripParens(ts.isAwaitExpression(st.expression) ? st.expression.expression : st.expression);
      const ownCall = ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && isParam(e.expression.expression) && SOCKET_CALLS.has(e.expression.name.text);
      if (!ownCall && !(ts.isAwaitExpression(st.expression) && isWait(e))) return false;
    } else return false;
  }
  return returns > 0;
}

/** Methods of a socket that do not throw once it has failed: they report through its 'error' event. */
const SOCKET_CALLS: ReadonlySet<string> = new Set(['write', 'setTimeout', 'setNoDelay', 'setKeepAlive', 'setEncoding', 'ref', 'unref', 'pause', 'resume', 'cork', 'uncork', 'send']);

/** Kinds a failure destroys: streams (autoDestroy), sockets and WebSockets (node-socket-semantics.md §5). */
export const SELF_DESTROYING: ReadonlySet<string> = new Set(['socket', 'response', 'websocket']);
