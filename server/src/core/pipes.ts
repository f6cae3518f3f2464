// `src.pipe(dest)` ends `dest` when `src` ends, not when `src` fails: Node's stream docs ("if the
// Readable stream emits an error during processing, the Writable destination is not closed
// automatically"). A relay is only closed on both paths when an 'error' or 'close' listener of the
// source destroys the destination. And what waits for the destination's end has seen the source end.
import { ts } from 'ts-morph';
import { calleeName, callsMethodOn, enclosingFunction, findNode, isStringArg, stripParens } from './ast';
import { callsPlainFunction } from './plain-calls';
import { ERROR_EVENT, LISTEN_METHODS, onlyFails } from './call-shapes';
import { END_EVENT } from './stream-failures';

/** The first `src.pipe(dest)` in `node` (itself included) whose source's failure leaves `dest` open: that source's swallowing listener. */
export function pipeFailureIn(node: ts.Node, isDestination: (e: ts.Expression) => boolean, mentionsDestination: (n: ts.Node) => boolean): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(stripParens(n.expression)) && calleeName(n) === 'pipe' && n.arguments[0] &&
        isDestination(n.arguments[0]) && !endsNot(n.arguments[1])) {
      found = sourceFailureLeavesOpen(n, mentionsDestination);
    }
    if (!found) ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/**
 * `src.pipe(socket)` ends the socket when `src` ends (the default `{ end: true }`): a relay whose other
 * side ends, or a file sent and then closed, closes the socket. `{ end: false }` keeps it open.
 */
export function endsNot(options: ts.Expression | undefined): boolean {
  const o = options && stripParens(options);
  if (!o) return false;
  if (!ts.isObjectLiteralExpression(o)) return true; // options we cannot read: maybe `{ end: false }`
  return o.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'end' && p.initializer.kind !== ts.SyntaxKind.TrueKeyword);
}

const FAILURE_EVENTS = new Set(['error', 'close']);
/**
 * The source of `pipeCall` has an 'error' listener (so its failure does not end the process), and no
 * 'error' or 'close' listener of it does anything to the destination (`mentionsDestination`): when the
 * source fails, the destination stays open. Returns that listener's registration. Without any 'error'
 * listener the error is thrown and ends the process, and nothing is left open.
 */
function sourceFailureLeavesOpen(pipeCall: ts.CallExpression, mentionsDestination: (n: ts.Node) => boolean): ts.CallExpression | undefined {
  const callee = stripParens(pipeCall.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  let src = stripParens(callee.expression);
  // `a.pipe(b).pipe(c)`: pipe() returns its destination, which is the second pipe's source.
  if (ts.isCallExpression(src) && ts.isPropertyAccessExpression(src.expression) && src.expression.name.text === 'pipe' && src.arguments[0]) {
    src = stripParens(src.arguments[0]);
  }
  if (!ts.isIdentifier(src)) return undefined;
  const name = src.text;
  const scope = declaringScope(pipeCall, name);
  let swallowed: ts.CallExpression | undefined;
  let handled = false;
  const visit = (n: ts.Node): void => {
    if (handled) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LISTEN_METHODS.has(n.expression.name.text) &&
        ts.isIdentifier(stripParens(n.expression.expression)) && (stripParens(n.expression.expression) as ts.Identifier).text === name &&
        isStringArg(n.arguments[0], FAILURE_EVENTS) && n.arguments[1]) {
      const listener = stripParens(n.arguments[1]);
      if (!ts.isArrowFunction(listener) && !ts.isFunctionExpression(listener) || mentionsDestination(listener) || callsPlainFunction(listener)) handled = true;
      else if (isStringArg(n.arguments[0], ERROR_EVENT)) swallowed ??= n;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return handled ? undefined : swallowed;
}

/** The function whose parameters or own variables declare `name`, seen from `at` (the file when none does). */
function declaringScope(at: ts.Node, name: string): ts.Node {
  for (let fn = enclosingFunction(at); fn; fn = enclosingFunction(fn)) {
    if (fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name) || declaresVariable(fn.body, name)) return fn;
  }
  return at.getSourceFile();
}

function declaresVariable(body: ts.Node | undefined, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) found = true;
    else ts.forEachChild(n, visit);
  };
  if (body) ts.forEachChild(body, visit);
  return found;
}

/** `dest.once('end' | 'finish' | 'close', …)` somewhere in `fn`, `dest` a name: what is piped into it has ended by then. */
export function waitsForEndOf(fn: ts.Node, dest: ts.Expression | undefined): boolean {
  const d = dest && stripParens(dest);
  if (!d || !ts.isIdentifier(d)) return false;
  return !!findNode(fn, (x) => ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && LISTEN_METHODS.has(x.expression.name.text) &&
    ts.isIdentifier(stripParens(x.expression.expression)) && (stripParens(x.expression.expression) as ts.Identifier).text === d.text &&
    isStringArg(x.arguments[0], DEST_ENDED) && !onlyFails(x.arguments[1]));
}

const DEST_ENDED = new Set(['end', 'finish', 'close']);

/**
 * `rows.on('end', () => client.release())` with `rows.pipe(csv).pipe(res)`: a stream whose end releases the resource,
 * piped with `pipe()` (not `pipeline()`). When the consumer stops first (a client that aborts the download), `pipe()`
 * unpipes and leaves the stream paused: neither its `'end'` nor its `'error'` comes. The `pipe()` call, unless a
 * `'close'` listener of the stream (emitted once it is destroyed, also by `pipeline()`) releases it too.
 */
export function pipedAwayBeforeEnd(listen: ts.CallExpression, body: ts.Node, releasesIn: (n: ts.Node) => boolean): ts.CallExpression | undefined {
  const stream = ts.isPropertyAccessExpression(listen.expression) ? stripParens(listen.expression.expression) : undefined;
  if (!stream || !ts.isIdentifier(stream) || !LISTEN_METHODS.has(calleeName(listen) ?? '') || !isStringArg(listen.arguments[0], END_EVENT)) return undefined;
  const isStream = (e: ts.Expression) => ts.isIdentifier(e) && e.text === stream.text;
  const closeReleases = findNode(body, (n) => callsMethodOn(n, LISTEN_METHODS, isStream) && isStringArg(n.arguments[0], CLOSE_EVENT) && !!n.arguments[1] && releasesIn(n.arguments[1]));
  const inPipeline = findNode(body, (n) => ts.isCallExpression(n) && calleeName(n) === 'pipeline' && n.arguments.some((a) => isStream(stripParens(a))));
  return closeReleases || inPipeline ? undefined : findNode(body, (n) => callsMethodOn(n, ['pipe'], isStream)) as ts.CallExpression | undefined;
}

const CLOSE_EVENT: ReadonlySet<string> = new Set(['close']);
