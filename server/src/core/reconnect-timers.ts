// A class that reconnects from a timer it keeps in a field (`this.retry = setTimeout(() => this.connect(),
// delay)` in its socket's 'close' listener) and whose release method (`close()`) neither clears that timer
// (clearing it before the close it makes is not enough: that close runs the listener, which sets it again) nor sets
// anything the reconnect checks: a close() during the backoff, when no socket is open to end, is followed
// by the timer's new connection, which nothing will ever close. fields.ts reports it at that connection.
import { ts } from 'ts-morph';
import { calleeName, findNode, inlineFunction, thisField } from './ast';
import { memberName, releaseMethodOf } from './creator-names';
import { LISTEN_METHODS, TIMER_CLEARS, UNLISTEN_METHODS } from './call-shapes';

const TIMERS = new Set(['setTimeout', 'setInterval']);

/**
 * The timer call that runs `opener` (a method making the connection a field holds) again after the
 * class's release method may have run, or undefined when the release method clears it or the reconnect
 * (the timer's callback, or the opener's own code before `creation`) tests something that method sets.
 */
export function reopensAfterRelease(cls: ts.ClassLikeDeclaration, opener: ts.MethodDeclaration, creation: ts.Node, field: string): ts.CallExpression | undefined {
  const name = memberName(opener);
  const methods = cls.members.filter((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && !!memberName(m));
  const release = releaseMethodOf(methods.map((m) => memberName(m)!));
  const releaser = methods.find((m) => memberName(m) === release);
  if (!name || !releaser || releaser === opener) return undefined;
  // What the release method (and the methods of the class it calls) clears and sets.
  const reached = [releaser, ...methods.filter((m) => m !== releaser && !!findNode(releaser.body!, (n) => isThisCall(n, memberName(m)!)))];
  const cleared = new Set<string>();
  const set = new Set<string>();
  for (const m of reached) {
    findNode(m.body!, (n) => {
      if (ts.isCallExpression(n) && TIMER_CLEARS.has(calleeName(n) ?? '') && n.arguments[0]) cleared.add(thisField(n.arguments[0]) ?? '');
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && thisField(n.left)) set.add(thisField(n.left)!);
      return false;
    });
  }
  // `if (this.client) return` in the opener: a guard when nothing ever empties the field again (the
  // release method ends the client and leaves it there).
  if (!findNode(cls, (n) => ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && thisField(n.left) === field &&
      (n.right.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(n.right) && n.right.text === 'undefined')))) set.add(field);
  const tests = (root: ts.Node, before = Infinity) => !!findNode(root, (n) => n.pos < before && ts.isPropertyAccessExpression(n) &&
    n.expression.kind === ts.SyntaxKind.ThisKeyword && set.has(n.name.text) && !isAssignedHere(n), true);
  if (tests(opener.body!, creation.pos)) return undefined;
  return findNode(cls, (n) => {
    if (!ts.isCallExpression(n) || !TIMERS.has(calleeName(n) ?? '')) return false;
    const callback = inlineFunction(n.arguments[0]);
    if (!callback || !(isThisCall(callback.body, name) || findNode(callback.body, (c) => isThisCall(c, name)))) return false;
    // Kept in a field, so that the class can cancel it, and the release method does not: an unkept timer
    // (`setTimeout(() => this.connect(), 1000)`) is the common idiom whose window is left alone.
    const timer = ts.isBinaryExpression(n.parent) && n.parent.right === n ? thisField(n.parent.left) : undefined;
    // Set by the connection's own 'close' listener, it is set again by the close the release method makes (`stop() {
    // clearTimeout(this.retry); this.ws.close() }`: ws emits 'close' later), unless that listener tests what the release
    // sets or the release removes the listeners first.
    const listener = closeListenerAround(n, (recv) => thisField(recv) === field || (ts.isIdentifier(recv) && madeBy(recv, creation)));
    const setAfterRelease = !!listener?.body && !tests(listener.body) && !reached.some((m) => findNode(m.body!, (c) => ts.isCallExpression(c) && UNLISTEN_METHODS.has(calleeName(c) ?? '')));
    return !!timer && (!cleared.has(timer) || setAfterRelease) && !tests(callback.body);
  }) as ts.CallExpression | undefined;
}

/** The listener `n` is in, when it is one given to the connection's `on('close', …)` (or `'end'`, `'disconnect'`). */
function closeListenerAround(n: ts.Node, isConnection: (recv: ts.Expression) => boolean): ts.FunctionLikeDeclaration | undefined {
  const fn = ts.findAncestor(n.parent, ts.isFunctionLike) as ts.FunctionLikeDeclaration | undefined;
  const call = fn?.parent;
  if (!fn || !call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression) || !LISTEN_METHODS.has(calleeName(call) ?? '')) return undefined;
  if (!ts.isPropertyAccessExpression(call.expression) || !isConnection(call.expression.expression)) return undefined;
  const event = call.arguments[0];
  return event && ts.isStringLiteralLike(event) && CLOSE_EVENTS.has(event.text) ? fn : undefined;
}

/** `ws` of `const ws = new WebSocket(url)`, the creation the field is given. */
function madeBy(id: ts.Identifier, creation: ts.Node): boolean {
  const scope = ts.findAncestor(creation, ts.isFunctionLike);
  return !!scope && !!findNode(scope, (d) => ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) && d.name.text === id.text && !!d.initializer &&
    d.initializer.pos <= creation.pos && creation.end <= d.initializer.end);
}
const CLOSE_EVENTS = new Set(['close', 'end', 'disconnect']);

function isThisCall(n: ts.Node, name: string): boolean {
  return ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
    n.expression.name.text === name;
}

function isAssignedHere(n: ts.PropertyAccessExpression): boolean {
  return ts.isBinaryExpression(n.parent) && n.parent.left === n && n.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}
