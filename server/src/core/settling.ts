// Promises that cannot reject, and releases that run only when one fulfils: what an `await` or a `.then(release)`
// means for the paths that leave a resource open; and what a call makes of a resource leaving the function.
import { ts } from 'ts-morph';
import { calleeName, isReturnedValue, stripParens } from './ast';
import { TRANSFER_CALLS } from './references';
import { LISTEN_METHODS, skipParensUp } from './call-shapes';
import { rejectionEndsProcess } from './process-exit';

/** Promises that settle without rejecting: `Promise.allSettled(…)`, timers (`setTimeout` of timers/promises, `sleep(ms)`). */
const NEVER_REJECTING = new Set(['allSettled', 'sleep', 'delay', 'wait', 'setImmediate']);

/**
 * `await p.catch(() => …)`, `await p.then(ok, fail)`, `await Promise.allSettled(…)` settle whatever `p`
 * does; so do a sleep written as a promise, and waiting for a signal of the process.
 */
export function cannotReject(operand: ts.Expression): boolean {
  const e = stripParens(operand);
  if (ts.isNewExpression(e)) return resolvesOnly(e);
  if (!ts.isCallExpression(e)) return false;
  const name = calleeName(e);
  if (name && NEVER_REJECTING.has(name)) return true;
  // events.once() rejects only when the emitter emits 'error' (or its `signal` aborts): `process` does not.
  if (name === 'once' && e.arguments.length === 2 && ts.isIdentifier(stripParens(e.arguments[0])) &&
      (stripParens(e.arguments[0]) as ts.Identifier).text === 'process') return true;
  if (name === 'setTimeout' && e.arguments.length <= 2 && !e.arguments.some((a) => ts.isFunctionLike(stripParens(a)))) return true;
  // `mkdir(dir, { recursive: true })` does not fail on a folder that exists: only a file system that refuses (no
  // permission, a file in the way) makes it reject, a broken set-up rather than a path of the code's work.
  if (name === 'mkdir' && recursiveOption(e.arguments[1])) return true;
  if (!ts.isPropertyAccessExpression(e.expression)) return false;
  return (name === 'catch' && e.arguments.length === 1) || (name === 'then' && e.arguments.length === 2);
}

function recursiveOption(arg: ts.Expression | undefined): boolean {
  const o = arg && stripParens(arg);
  return !!o && ts.isObjectLiteralExpression(o) && o.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'recursive' &&
    p.initializer.kind === ts.SyntaxKind.TrueKeyword);
}

/** Calls an executor may make without throwing: timers, and registering a listener. */
const EXECUTOR_SAFE_CALLS = new Set([...LISTEN_METHODS, 'setTimeout', 'setImmediate', 'queueMicrotask']);

/**
 * `new Promise((resolve) => setTimeout(resolve, ms))`, `new Promise((r) => process.once('SIGINT', r))`:
 * the executor takes no `reject`, or never names it, and only calls timers, listener registrations
 * or `resolve`, none of which throws; so the promise can only fulfil.
 */
function resolvesOnly(e: ts.NewExpression): boolean {
  if (!ts.isIdentifier(e.expression) || e.expression.text !== 'Promise' || e.arguments?.length !== 1) return false;
  const executor = stripParens(e.arguments[0]);
  if (!ts.isArrowFunction(executor) && !ts.isFunctionExpression(executor)) return false;
  const [resolve, reject] = executor.parameters;
  if (!resolve || !ts.isIdentifier(resolve.name) || executor.parameters.length > 2) return false;
  if (reject && (!ts.isIdentifier(reject.name) || mentions(executor.body, reject.name.text))) return false;
  const isSafeCall = (x: ts.Expression): boolean => {
    const c = stripParens(x);
    if (!ts.isCallExpression(c)) return false;
    const callee = stripParens(c.expression);
    if (ts.isIdentifier(callee) && callee.text === (resolve.name as ts.Identifier).text) return true;
    const name = calleeName(c);
    return !!name && EXECUTOR_SAFE_CALLS.has(name);
  };
  if (!ts.isBlock(executor.body)) return isSafeCall(executor.body);
  return executor.body.statements.every((st) => ts.isExpressionStatement(st) && isSafeCall(st.expression));
}

function mentions(n: ts.Node, name: string): boolean {
  if (ts.isIdentifier(n)) return n.text === name;
  return !!ts.forEachChild(n, (c) => mentions(c, name) || undefined);
}

/**
 * `p.then(() => c.release())`: runs only if `p` fulfils. Unless `p` cannot reject, or nothing catches
 * the rejection (an unhandled rejection ends the process), the resource stays open when it rejects.
 */
export function releasesOnlyOnFulfilment(call: ts.CallExpression | ts.NewExpression): boolean {
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return false;
  if (call.expression.name.text !== 'then' || call.arguments.length !== 1) return false;
  if (cannotReject(call.expression.expression)) return false;
  let e: ts.Node = call;
  while (ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const next = e.parent;
  // `.then(release).catch(log)` / returned or awaited: the rejection is handled somewhere and the resource stays open;
  // not when the handler ends the process (`main().then(() => pool.end()).catch(() => process.exit(1))`).
  if (ts.isPropertyAccessExpression(next)) return !rejectionEndsProcess(call);
  return ts.isAwaitExpression(next) || ts.isReturnStatement(next) ||
    ts.isVariableDeclaration(next) || ts.isArrowFunction(next);
}

/**
 * `return h.response(res).type('image/png')`, `resolve(h.response(res))`: what the call makes of its argument leaves the
 * function, returned or handed to a call that takes things over (TRANSFER_CALLS), also through methods chained on it.
 */
export function resultLeaves(call: ts.CallExpression | ts.NewExpression): boolean {
  let n: ts.Expression = call;
  while (ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n && ts.isCallExpression(n.parent.parent) && n.parent.parent.expression === n.parent) n = n.parent.parent;
  const outer = skipParensUp(n);
  return isReturnedValue(n) || (ts.isCallExpression(outer.parent) && outer.parent.arguments.includes(outer as ts.Expression) && TRANSFER_CALLS.has(calleeName(outer.parent) ?? ''));
}
