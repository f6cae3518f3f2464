// Connections a process keeps on purpose, recognised from what the code does around them rather than
// from their kind: a connection cached for the whole process (`channelPromise = amqp.connect().then(…)`)
// a connection that reconnects when it closes (`conn.on('close', () => setTimeout(start, 1000))`), and
// one closed by the process's shutdown handler (`process.once('SIGINT', () => conn.close())`) or when the caller aborts
// the signal it gave (`signal.addEventListener('abort', () => nc.drain())`).
// They are long-lived like a listening server: reported only where the code closes them on some paths
// and not on others.
import { ts } from 'ts-morph';
import { calleeName, enclosingFunction, findNode, functionName, isStringArg, stripParens, within } from './ast';
import { LISTEN_METHODS } from './call-shapes';
import { Subject } from './subject';
import { callbackExitsProcess } from './process-exit';
import { KINDS } from './kinds';
import { outlivesFailure } from './own-callbacks';

/** Events after which a supervised connection is made again. */
const LOSS_EVENTS = new Set(['close', 'end', 'error', 'disconnect', 'disconnected']);
/** Events of a connection that has closed (not of one that failed). */
const CLOSE_EVENTS = new Set(['close', 'end', 'disconnect', 'disconnected']);

/** Marks a connection kept for the process on purpose as long-lived. */
export function markSupervised(creation: ts.Node, subject: Subject, isAlias: (n: ts.Node) => boolean): void {
  if (storedForTheProcess(creation) || reconnectsOnLoss(creation, subject, isAlias) || exitsOnLoss(subject, isAlias) || closedAtShutdown(subject, isAlias)) subject.longLived = true;
}

/**
 * `conn.on('close', () => { log(…); process.exit(1) })`: the process lives only as long as the
 * connection, and a supervisor (systemd, Kubernetes) starts it again (a consumer, a worker). No code
 * ends the process when a short-lived connection closes; an `'error'` listener that exits is a script's
 * way to fail, which says nothing of how long the connection was meant to live.
 */
function exitsOnLoss(subject: Subject, isAlias: (n: ts.Node) => boolean): boolean {
  const body = subject.fn.body;
  return !!body && /exit/.test(body.getText()) && listensOnAlias(body, isAlias, CLOSE_EVENTS, callbackExitsProcess);
}

/** `alias.on(event, handler)` under `body` for one of `events`, with a handler `accept` takes. */
function listensOnAlias(body: ts.Node, isAlias: (n: ts.Node) => boolean, events: ReadonlySet<string>, accept: (handler: ts.Expression) => boolean): boolean {
  return !!findNode(body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LISTEN_METHODS.has(n.expression.name.text) &&
    isAlias(stripParens(n.expression.expression)) && isStringArg(n.arguments[0], events) && !!n.arguments[1] && accept(n.arguments[1]));
}

/** Signals and process events on which a long-running program closes what it keeps open. */
const SHUTDOWN_EVENTS = new Set(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'beforeExit']);

/** `process.on('SIGTERM', fn)`: `fn` runs when the process is told to stop, not on any path of the function. */
export function isShutdownListener(call: ts.CallExpression | ts.NewExpression): boolean {
  const callee = stripParens(call.expression);
  return ts.isCallExpression(call) && ts.isPropertyAccessExpression(callee) && LISTEN_METHODS.has(callee.name.text) &&
    ts.isIdentifier(callee.expression) && callee.expression.text === 'process' && (isStringArg(call.arguments[0], SHUTDOWN_EVENTS) || eachSignal(call.arguments[0]));
}

/**
 * `for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, …)`, `['SIGINT', 'SIGTERM'].forEach((sig) =>
 * process.on(sig, …))`: the event is each of a literal list of shutdown events.
 */
function eachSignal(arg: ts.Expression | undefined): boolean {
  const id = arg && stripParens(arg);
  if (!id || !ts.isIdentifier(id)) return false;
  const allShutdown = (list: ts.Expression) => {
    const l = stripParens(list);
    return ts.isArrayLiteralExpression(l) && l.elements.length > 0 && l.elements.every((e) => isStringArg(e, SHUTDOWN_EVENTS));
  };
  for (let n: ts.Node | undefined = id.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isForOfStatement(n) && ts.isVariableDeclarationList(n.initializer) &&
        n.initializer.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === id.text)) return allShutdown(n.expression);
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === id.text)) {
      const call = n.parent;
      return ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'forEach' && allShutdown(call.expression.expression);
    }
  }
  return false;
}

/**
 * `if (closing) return; closing = true;` at the top of a shutdown function: the first call goes on to the close, a
 * second one (SIGINT after SIGTERM) finds it under way.
 */
function runOnceGuard(ret: ts.ReturnStatement): boolean {
  const guard = ret.parent && ts.isBlock(ret.parent) && ret.parent.statements.length === 1 ? ret.parent.parent : ret.parent;
  const block = guard?.parent;
  if (!guard || !ts.isIfStatement(guard) || guard.elseStatement || ret.expression || !block || !ts.isBlock(block)) return false;
  const flag = stripParens(guard.expression);
  if (!ts.isIdentifier(flag) && !(ts.isPropertyAccessExpression(flag) && flag.expression.kind === ts.SyntaxKind.ThisKeyword)) return false;
  const next = block.statements[block.statements.indexOf(guard) + 1];
  const set = next && ts.isExpressionStatement(next) ? next.expression : undefined;
  return block.statements.indexOf(guard) === 0 && !!set && ts.isBinaryExpression(set) && set.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    set.left.getText() === flag.getText() && set.right.kind === ts.SyntaxKind.TrueKeyword;
}

/**
 * `process.once('SIGINT', async () => { await channel.close(); await connection.close(); })`: the
 * function keeps the connection open until the process is told to stop, and closes it then (a
 * consumer, a worker): long-lived by design.
 */
function closedAtShutdown(subject: Subject, isAlias: (n: ts.Node) => boolean): boolean {
  const body = subject.fn.body;
  if (!body || !/process|abort/.test(body.getText())) return false;
  const release = subject.spec.release;
  let found = false;
  // `conn.close()` in the handler, or the handler is `conn.close` itself; also in a function of `body` it calls
  // (`process.once('SIGINT', () => void shutdown())`) that has no way out before its end (a run-once guard's
  // `if (stopping) return` may skip the close).
  const seen = new Set<ts.Node>();
  const closes = (n: ts.Node): boolean => {
    if (ts.isPropertyAccessExpression(n) && release.includes(n.name.text) && isAlias(stripParens(n.expression))) return true;
    const callee = ts.isCallExpression(n) && ts.isIdentifier(n.expression) ? n.expression : undefined;
    const named = callee && handlerOf(callee, body);
    const namedBody = named && (ts.isVariableDeclaration(named) && named.initializer ? (stripParens(named.initializer) as ts.FunctionLikeDeclaration).body : (named as ts.FunctionLikeDeclaration).body);
    if (named && namedBody && named !== callee && !seen.has(named) && !findNode(namedBody, (r) => ts.isReturnStatement(r) && !runOnceGuard(r), true)) {
      seen.add(named);
      if (closes(named)) return true;
    }
    return !!ts.forEachChild(n, closes);
  };
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && (isShutdownListener(n) || callersAbortListener(n, subject.fn)) && n.arguments[1] && closes(handlerOf(n.arguments[1], body))) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/** `process.once('SIGINT', stop)` with `async function stop() { …; modbus.close() }` (or `const stop = async () => …`) of the same function. */
function handlerOf(arg: ts.Expression, body: ts.Node): ts.Node {
  const x = stripParens(arg);
  if (!ts.isIdentifier(x)) return x;
  const named = findNode(body, (n) => (ts.isFunctionDeclaration(n) && n.name?.text === x.text) ||
    (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === x.text && !!n.initializer && ts.isFunctionLike(stripParens(n.initializer))));
  return named ?? x;
}

/**
 * `signal.addEventListener('abort', () => nc.drain())` on an AbortSignal the function's caller gave it
 * (`async function runConsumer({ signal })`): the caller stops it, and the connection with it, when it is done.
 */
function callersAbortListener(call: ts.CallExpression, fn: ts.SignatureDeclaration): boolean {
  const callee = stripParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'addEventListener' || !isStringArg(call.arguments[0], new Set(['abort']))) return false;
  const target = stripParens(callee.expression);
  if (!ts.isIdentifier(target)) return false;
  const names = (b: ts.BindingName): string[] => ts.isIdentifier(b) ? [b.text] : b.elements.flatMap((e) => ts.isOmittedExpression(e) ? [] : names(e.name));
  return fn.parameters.some((p) => names(p.name).includes(target.text));
}

/**
 * The value of the creating expression, through its `.then()`/`.catch()` chain, is stored where it
 * outlives the function: a variable declared outside it or a property (`this.conn = …`).
 */
function storedForTheProcess(creation: ts.Node): boolean {
  const fn = enclosingFunction(creation);
  let e: ts.Node = creation;
  for (;;) {
    const p = e.parent;
    if (ts.isParenthesizedExpression(p) || ts.isAwaitExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p)) { e = p; continue; }
    if (ts.isPropertyAccessExpression(p) && p.expression === e && ts.isCallExpression(p.parent) &&
        ['then', 'catch', 'finally'].includes(p.name.text)) { e = p.parent; continue; }
    break;
  }
  const p = e.parent;
  if (!ts.isBinaryExpression(p) || p.right !== e || !isAssignment(p.operatorToken.kind)) return false;
  const left = stripParens(p.left);
  if (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) return true;
  if (!ts.isIdentifier(left) || !fn) return false;
  // A variable declared outside the function: found by name in the enclosing scopes' statements.
  const name = left.text;
  for (let scope: ts.Node | undefined = fn.parent; scope; scope = scope.parent) {
    if (!ts.isSourceFile(scope) && !ts.isBlock(scope) && !ts.isModuleBlock(scope)) continue;
    for (const st of (scope as ts.SourceFile | ts.Block).statements) {
      if (ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) return true;
    }
  }
  return false;
}

function isAssignment(k: ts.SyntaxKind): boolean {
  return k === ts.SyntaxKind.EqualsToken || k === ts.SyntaxKind.QuestionQuestionEqualsToken || k === ts.SyntaxKind.BarBarEqualsToken;
}

/**
 * A listener on the connection for its loss (`'close'`, `'error'`, …) calls the function that made
 * it, directly or through a timer: the connection is supervised and meant to stay up.
 */
function reconnectsOnLoss(creation: ts.Node, subject: Subject, isAlias: (n: ts.Node) => boolean): boolean {
  const maker = enclosingFunction(creation);
  const name = maker && functionName(maker);
  const body = subject.fn.body;
  if (!name || !body || !within(creation, maker)) return false;
  const listener = findNode(body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LISTEN_METHODS.has(n.expression.name.text) &&
    isAlias(stripParens(n.expression.expression)) && isStringArg(n.arguments[0], LOSS_EVENTS) && !!n.arguments[1] && callsByName(n.arguments[1], name));
  return !!listener && !retriedWhileOpen(creation, listener, maker!, outlivesFailure(subject.kind, !!KINDS[subject.kind].reconnects));
}

/**
 * `try { const conn = await amqp.connect(url); const ch = await conn.createChannel(); await ch.assertQueue(q, o);
 * conn.on('close', () => setTimeout(start, 5000)) } catch { setTimeout(start, 5000) }`: a step awaited between the
 * connection and its reconnect listener may reject (a queue declared with other arguments), and the catch starts
 * again without closing it: on that path nothing supervises it, and each attempt leaves one more open. For a
 * connection a failed operation leaves open (`outlives`: an AMQP channel error closes the channel only), also a step
 * after the listener: the connection does not close, so its listener never runs.
 */
function retriedWhileOpen(creation: ts.Node, listener: ts.Node, maker: ts.Node, outlives: boolean): boolean {
  const tryStatement = ts.findAncestor(creation, (n) => n === maker || ts.isTryStatement(n));
  if (!tryStatement || !ts.isTryStatement(tryStatement) || !tryStatement.catchClause || !within(listener, tryStatement.tryBlock)) return false;
  const until = outlives ? tryStatement.tryBlock.end : listener.pos;
  const between = (n: ts.Node) => n.pos >= creation.end && n.end <= until && ts.isAwaitExpression(n) && enclosingFunction(n) === maker;
  const rethrows = (n: ts.Node) => ts.isThrowStatement(n) && enclosingFunction(n) === maker;
  return !!findNode(tryStatement.tryBlock, between) && !findNode(tryStatement.catchClause.block, rethrows);
}

function callsByName(node: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && calleeName(n) === name && isOwnName(stripParens(n.expression))) found = true;
    else if (ts.isIdentifier(n) && n.text === name && ts.isCallExpression(n.parent) && n.parent.arguments.includes(n)) found = true; // setTimeout(start, 1000)
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** `start` or `this.start`: the maker itself, not a method of some other object. */
function isOwnName(callee: ts.Expression): boolean {
  return ts.isIdentifier(callee) || (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword);
}
