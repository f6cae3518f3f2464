// A release in a stream's 'end' listener does not run when the stream fails: a readable that errors emits 'error' and
// never 'end' (a pg or mariadb query stream, an ldapjs search response), a writable that errors emits 'error' and never
// 'finish' (a file the disk cannot take). These find the 'error' listener that then leaves the resource open.
import { ts } from 'ts-morph';
import { isStringArg, promiseExecutor, stripParens } from './ast';
import { ERROR_EVENT, LISTEN_METHODS } from './call-shapes';
import { callbackExitsProcess } from './process-exit';

/**
 * `res.on('end', () => client.unbind())` beside `res.on('error', (e) => reject(e))` on the same stream (an
 * ldapjs search response, a readable), under `body`: a stream that fails emits 'error' and never 'end', so
 * the close in the 'end' listener does not run then. The 'error' registration, when its listener closes nothing.
 */
export function failsInsteadOfEnding(body: ts.Node, closes: (body: ts.Node) => boolean): ts.CallExpression | undefined {
  const listens = (n: ts.Node, events: ReadonlySet<string>): n is ts.CallExpression & { expression: ts.PropertyAccessExpression } =>
    ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LISTEN_METHODS.has(n.expression.name.text) && isStringArg(n.arguments[0], events);
  const inline = (a: ts.Expression | undefined) => {
    const f = a && stripParens(a);
    return f && (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) ? f : undefined;
  };
  let found: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    const onEnd = listens(n, DONE_EVENTS) ? inline(n.arguments[1]) : undefined;
    if (onEnd && closes(onEnd.body)) found = errorListenerClosingNothing(n as ts.CallExpression, closes);
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/**
 * For `stream.on('end', …)` (`endListener`, whose listener closes the resource): the 'error' listener of
 * the same stream, registered in the same block, when it is inline and closes nothing — where the
 * stream fails it emits 'error' and never 'end' (`rows.on('end', () => client.release())` beside
 * `rows.on('error', (err) => res.destroy(err))` of a pg QueryStream).
 */
export function errorListenerClosingNothing(endListener: ts.CallExpression, closes: (body: ts.Node) => boolean): ts.CallExpression | undefined {
  const target = ts.isPropertyAccessExpression(endListener.expression) ? stripParens(endListener.expression.expression) : undefined;
  const emitter = target && ts.isIdentifier(target) ? target.text : undefined;
  if (!emitter) return undefined;
  let scope: ts.Node = endListener;
  while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  let found: ts.CallExpression | undefined;
  const sibling = (x: ts.Node): void => {
    if (found || ts.isFunctionLike(x)) return;
    if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && LISTEN_METHODS.has(x.expression.name.text) &&
        isStringArg(x.arguments[0], ERROR_EVENT) && ts.isIdentifier(stripParens(x.expression.expression)) &&
        (stripParens(x.expression.expression) as ts.Identifier).text === emitter) {
      // An inline listener that closes nothing (`(e) => reject(e)`), or the settle function of a promise the code is in
      // (`rows.on('error', reject)`); another named one may do anything.
      // One that ends the process (`(err) => { console.error(err); process.exit(1) }`, a script's) closes everything.
      const g = stripParens(x.arguments[1] ?? x);
      if (((ts.isArrowFunction(g) || ts.isFunctionExpression(g)) && !closes(g.body) && !callbackExitsProcess(g)) || settlesEnclosingPromise(g)) found = x;
      return;
    }
    ts.forEachChild(x, sibling);
  };
  ts.forEachChild(scope, sibling);
  return found;
}

/** `reject` (or `resolve`) of `new Promise((resolve, reject) => …)` around the name: settling closes nothing. */
function settlesEnclosingPromise(e: ts.Expression): boolean {
  if (!ts.isIdentifier(e)) return false;
  // The nearest function that declares the name is the executor (no callback in between shadows it).
  const declaring = ts.findAncestor(e.parent, (a) => ts.isFunctionLike(a) && a.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === e.text));
  return !!declaring?.parent && promiseExecutor(declaring.parent) === declaring;
}

export const END_EVENT: ReadonlySet<string> = new Set(['end']);

/** A readable's 'end' and a writable's 'finish': neither comes after an 'error' (a 'close' does). */
export const DONE_EVENTS: ReadonlySet<string> = new Set([...END_EVENT, 'finish']);
