// Whether a listener runs once the connection a class keeps in a field is closed: a `'close'` or an
// `'error'` of that connection, but not one of a call or a stream it made (a gRPC call, a MongoDB change
// stream: the channel or the client outlives it), nor an `'error'` of a client that reconnects by itself.
import { ts } from 'ts-morph';
import { findNode, skipOuter, stripParens, thisField } from './ast';
import { KINDS, ResourceKind } from './kinds';
import { asksHalfOpen, reconnectsAfter } from './creator-options';

/** Events after which the old connection is already closed: re-running from their listeners overwrites nothing open. */
export const CLOSED_EVENTS = new Set(['close', 'end', 'error', 'exit', 'disconnect', 'disconnected']);

/**
 * A listener for `event` given to `listen` runs once the connection is gone: it closes its emitter itself, or
 * the event says so. With the field it is kept in (and its kind): not a listener of a call or stream that
 * connection made, and, for a client that reconnects by itself (node-redis, MQTT.js, the MongoDB driver) or a kind that
 * stays open after an error (a pool), not its `'error'`: it reports a dropped connection and goes on reconnecting (or
 * replacing it).
 */
export function closedWhenHeard(listen: ts.CallExpression, event: string, field?: string, kind?: ResourceKind, creation?: ts.CallExpression | ts.NewExpression): boolean {
  // `socket.on('timeout', () => { socket.destroy(); this.connect() })`: whatever the event, the listener closes it.
  if (kind && releasesEmitter(listen, kind)) return true;
  if (!CLOSED_EVENTS.has(event)) return false;
  if (field === undefined) return true;
  if (streamOfField(listen, field)) return false;
  // MQTT.js's `'close'` of a dropped connection: it reconnects by itself next, unless made not to.
  if (kind && reconnectsAfter(kind, event, creation)) return false;
  // `net.createConnection({ allowHalfOpen: true })`: after the peer's FIN (`'end'`) the socket stays open until it is ended.
  if (event === 'end' && creation && asksHalfOpen(creation)) return false;
  return !(event === 'error' && !!kind && (!!KINDS[kind].reconnects || !!KINDS[kind].openAfterError));
}

/** `sub.on('error', () => { void sub.quit(); … })`: the listener closes the client it listens to. */
function releasesEmitter(listen: ts.CallExpression, kind: ResourceKind): boolean {
  const callee = listen.expression;
  const emitter = ts.isPropertyAccessExpression(callee) ? stripParens(callee.expression) : undefined;
  const listener = listen.arguments[1];
  if (!emitter || !ts.isIdentifier(emitter) || !listener) return false;
  const release = new Set(KINDS[kind].release);
  return !!findNode(listener, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && release.has(n.expression.name.text) &&
    ts.isIdentifier(stripParens(n.expression.expression)) && (stripParens(n.expression.expression) as ts.Identifier).text === emitter.text);
}

/**
 * `call.on('error', …)` where `call = this.client.watchStock(req)`, or `stream.on('error', …)` where `stream =
 * db.collection(name).watch()` and `db = this.client.db()`: a call or stream the connection in the field made.
 */
function streamOfField(listen: ts.CallExpression, field: string): boolean {
  const callee = listen.expression;
  const recv = ts.isPropertyAccessExpression(callee) ? stripParens(callee.expression) : undefined;
  // `this.ch.on('close', …)` where `this.ch = await this.conn.createConfirmChannel()`: a channel closes alone.
  const other = recv && thisField(recv);
  if (other !== undefined && other !== field) return otherFieldMadeFrom(listen, other, field);
  const init = recv && ts.isIdentifier(recv) ? localDeclaration(recv)?.initializer : undefined;
  return !!init && ts.isCallExpression(skipOuter(init)) && rootedAtField(init, field, 0);
}

/** The class around `n` sets its field `other` from a call on `this.<field>` (`this.ch = await this.conn.createChannel()`). */
function otherFieldMadeFrom(n: ts.Node, other: string, field: string): boolean {
  const cls = ts.findAncestor(n, ts.isClassLike);
  return !!cls && !!findNode(cls, (a) => ts.isBinaryExpression(a) && a.operatorToken.kind === ts.SyntaxKind.EqualsToken && thisField(a.left) === other &&
    ts.isCallExpression(skipOuter(a.right)) && rootedAtField(a.right, field, 0));
}

/** A chain of calls and properties on `this.client`, or on a local set from one (`db.collection(n).watch()`, `db = this.client.db()`). */
function rootedAtField(e: ts.Expression, field: string, depth: number): boolean {
  let x = skipOuter(e);
  for (;;) {
    if (thisField(x) === field) return true;
    if (ts.isCallExpression(x) || ts.isPropertyAccessExpression(x)) x = skipOuter(x.expression);
    else break;
  }
  const init = ts.isIdentifier(x) && depth < 3 ? localDeclaration(x)?.initializer : undefined;
  return !!init && rootedAtField(init, field, depth + 1);
}

/** The `const x = …` of the function around `id` that declares it. */
function localDeclaration(id: ts.Identifier): ts.VariableDeclaration | undefined {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (!ts.isFunctionLike(n)) continue;
    const body = (n as ts.FunctionLikeDeclaration).body;
    return body ? findNode(body, (d): d is ts.VariableDeclaration => ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) && d.name.text === id.text) as ts.VariableDeclaration | undefined : undefined;
  }
  return undefined;
}
