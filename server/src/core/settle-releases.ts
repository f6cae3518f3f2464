// Whether a promise executor's callback has released its connection by the time it settles the promise
// (settled-promises.ts): a release among the statements on the way, in a `finally` around it, or a call of a
// function of the executor that releases it; and idle-timeout callbacks that close it whenever they run.
import { ts } from 'ts-morph';
import { calleeName, callsMethodOn, stripParens } from './ast';
import { ONE_SHOT_TIMERS } from './call-shapes';
import { isReceiverChain, localFunction } from './executor-syntax';

/**
 * On the way to the settling statement the callback releases the resource: a release call among the
 * statements before it in each enclosing block (or after it in its own block), in a `finally` around
 * it, or a call of a function of the executor that releases it (`cleanup()`).
 */
export function releasedBefore(settle: ts.Node, fn: ts.Node, isResource: (e: ts.Node) => boolean, release: string[], executorBody: ts.Block): boolean {
  // `srv.close(() => resolve(true))`: settled once it is closed.
  for (let n: ts.Node = settle; n !== fn && n.parent; n = n.parent) if (n.parent.parent && ts.isFunctionLike(n.parent) && callsMethodOn(n.parent.parent, release, isResource)) return true;
  // A statement that releases on every path through it: a call, or one guarded by a test of the
  // resource itself (`if (socket) socket.destroy()`); not a release in some branch or `catch`.
  const releases = (st: ts.Node): boolean => {
    if (ts.isExpressionStatement(st) || ts.isVariableStatement(st)) return containsRelease(st, isResource, release, executorBody);
    // `try { connection.end() } catch { connection.destroy() }`: closed either way; and
    // `try { socket.destroy() } catch {}`: the release is the first thing it runs (one that throws has failed on a closed socket).
    if (ts.isTryStatement(st)) {
      const first = st.tryBlock.statements[0];
      return (!!first && releases(first)) || (st.tryBlock.statements.some(releases) && (!st.catchClause || st.catchClause.block.statements.some(releases)));
    }
    // Not one whose branch returns after closing (`if (socket.connecting) { socket.destroy(); …; return }`): the path after it never closed.
    return ts.isIfStatement(st) && !st.elseStatement && mentions(st.expression, isResource) && containsRelease(st.thenStatement, isResource, release, executorBody) &&
      !leaves(st.thenStatement);
  };
  // After the settling statement the path goes on through the rest of each enclosing block (out of an
  // `if`, to the statements after it) until a `return` or `throw` ends it.
  let exited = false;
  for (let n: ts.Node = settle; n !== fn && n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isBlock(p)) {
      const i = p.statements.indexOf(n as ts.Statement);
      const before = p.statements.slice(0, i);
      const after = exited ? [] : p.statements.slice(i + 1);
      const exit = after.findIndex((s) => ts.isReturnStatement(s) || ts.isThrowStatement(s));
      const untilExit = exit >= 0 ? after.slice(0, exit + 1) : after;
      if (exit >= 0) exited = true;
      if (before.some(releases) || untilExit.some(releases)) return true;
    } else if (!ts.isIfStatement(p) && !ts.isTryStatement(p) && !ts.isCatchClause(p)) {
      exited = true; // a loop or a switch: what follows is not simply the next statement
    }
    if (ts.isTryStatement(p) && p.finallyBlock && n !== p.finallyBlock && releases(p.finallyBlock)) return true;
  }
  return false;
}

/**
 * An idle-timeout callback that closes the connection whenever it runs: a release among its own
 * statements, or under a guard against a connection closed already (`if (!s.destroyed) s.destroy()`).
 * Not one that closes it only while connecting (`if (socket.connecting) { socket.destroy(); … }`) and
 * settles with a silent, connected socket otherwise.
 */
export function releasesWhenIdle(fn: ts.ArrowFunction | ts.FunctionExpression, isResource: (e: ts.Node) => boolean, release: string[], body: ts.Block): boolean {
  if (!ts.isBlock(fn.body)) return containsRelease(fn.body, isResource, release, body);
  const guardsClosed = (c: ts.Expression) => {
    const x = stripParens(c);
    const flag = ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken ? stripParens(x.operand) : undefined;
    return !!flag && ts.isPropertyAccessExpression(flag) && ['destroyed', 'closed'].includes(flag.name.text) && isResource(stripParens(flag.expression));
  };
  return fn.body.statements.some((st) => ts.isIfStatement(st)
    ? guardsClosed(st.expression) && containsRelease(st.thenStatement, isResource, release, body)
    : !ts.isTryStatement(st) && containsRelease(st, isResource, release, body));
}

/** A block (or statement) whose last statement returns or throws. */
function leaves(st: ts.Statement): boolean {
  const last = ts.isBlock(st) ? st.statements[st.statements.length - 1] : st;
  return !!last && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
}

export function mentions(e: ts.Node, isResource: (e: ts.Node) => boolean): boolean {
  return isResource(e) || !!ts.forEachChild(e, (c) => mentions(c, isResource) || undefined);
}

export function containsRelease(node: ts.Node, isResource: (e: ts.Node) => boolean, release: string[], executorBody: ts.Block, depth = 0): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || (n !== node && ts.isFunctionLike(n))) return;
    if (ts.isCallExpression(n)) {
      const callee = stripParens(n.expression);
      if (ts.isPropertyAccessExpression(callee) && release.includes(callee.name.text) && isReceiverChain(callee.expression, isResource)) found = true;
      else if (ts.isIdentifier(callee) && depth < 2) {
        const local = localFunction(callee.text, executorBody)?.body;
        if (local && containsRelease(local, isResource, release, executorBody, depth + 1)) found = true;
      }
    }
    if (!found) ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/**
 * `socket.end(); setTimeout(() => retry().then(resolve, reject), ms)` in a listener: the callback of a one-shot timer
 * armed after a release on the listener's way runs with the connection closed already.
 */
export function armedAfterRelease(fn: ts.Node, executor: ts.Node, isResource: (e: ts.Node) => boolean, release: string[], executorBody: ts.Block): boolean {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression) || !ONE_SHOT_TIMERS.has(calleeName(call) ?? '')) return false;
  const outer = ts.findAncestor(call.parent, ts.isFunctionLike);
  return !!outer && outer !== executor && releasedBefore(ts.isExpressionStatement(call.parent) ? call.parent : call, outer, isResource, release, executorBody);
}
