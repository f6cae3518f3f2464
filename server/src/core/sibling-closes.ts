// A function that closes in its `finally` what it made, but not everything: `const pms = await new
// sql.ConnectionPool(o).connect(); const local = await mysql.createConnection(o); try { … } finally { await
// local.end() }`. A pool is meant to outlive its maker (leak-rule.ts leaves one it never closes alone), but one this
// function keeps to itself, beside a connection it does close, is its own to close too: nothing else can reach it.
import { ts } from 'ts-morph';
import { calleeName, findNode, FnLike, stripParens } from './ast';
import type { Subject } from './subject';
import { isEndListener } from './relays';

/** A pool (meant to outlive its maker) that its function keeps to itself beside a connection its `finally` closes. */
export function poolForgottenBesideSiblings(subject: Subject): boolean {
  return subject.kind === 'pool' && closesSibling(subject.fn as FnLike, new Set([...subject.aliases].map((a) => a.name)));
}

/** Methods that end what a function made: a connection's closes, a checkout's release. */
const ENDS = new Set(['end', 'close', 'destroy', 'quit', 'disconnect', 'release', 'terminate']);

/**
 * A `finally` of `fn`'s own code (with `anywhere`, any of its own code: `await ch.close()` after the publish) ends a local
 * of `fn` (not one of `own`, the resource's names), one `fn` made with a call.
 */
export function closesSibling(fn: FnLike, own: ReadonlySet<string>, anywhere = false): boolean {
  if (!fn.body || !ts.isBlock(fn.body)) return false;
  const made = new Set<string>();
  findNode(fn.body, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && !own.has(n.name.text) && n.initializer && madeByCall(n.initializer)) made.add(n.name.text);
    return false;
  }, true);
  if (!made.size) return false;
  const ends = (c: ts.Node) => ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && ENDS.has(c.expression.name.text) &&
    ts.isIdentifier(stripParens(c.expression.expression)) && made.has((stripParens(c.expression.expression) as ts.Identifier).text);
  if (anywhere) return !!findNode(fn.body, ends, true);
  return !!findNode(fn.body, (n) => ts.isTryStatement(n) && !!n.finallyBlock && !!findNode(n.finallyBlock, ends, true), true);
}

/** `await mysql.createConnection(o)`, `new Client(o)`, `pool.connect()`; not a file's stream (`createWriteStream(path)`). */
function madeByCall(e: ts.Expression): boolean {
  let x = stripParens(e);
  while (ts.isAwaitExpression(x)) x = stripParens(x.expression);
  return (ts.isCallExpression(x) || ts.isNewExpression(x)) && !FILE_STREAMS.has(calleeName(x) ?? '');
}
const FILE_STREAMS = new Set(['createWriteStream', 'createReadStream', 'open', 'opendir']);

/** `const conn = await amqp.connect(url)`: the name the creating call's value is kept in, if any. */
export function keptIn(creation: ts.Node): string[] {
  const decl = ts.findAncestor(creation.parent, (n) => ts.isVariableDeclaration(n) || ts.isStatement(n) || ts.isFunctionLike(n));
  return decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) ? [decl.name.text] : [];
}

/**
 * `request.events.once('disconnect', () => { sub.unsubscribe(channel) })`: a listener of `fn` for the end of what it serves
 * that undoes its use of the resource (one of `own`, its names) and closes it nowhere in `fn`. The function ties the resource
 * to that end and forgot its close there.
 */
export function touchedInTeardown(fn: FnLike, own: ReadonlySet<string>): boolean {
  if (!fn.body || !ts.isBlock(fn.body)) return false;
  const onOwn = (c: ts.Node, methods?: ReadonlySet<string>) => ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) &&
    ts.isIdentifier(stripParens(c.expression.expression)) && own.has((stripParens(c.expression.expression) as ts.Identifier).text) &&
    (!methods || methods.has(c.expression.name.text));
  if (findNode(fn.body, (c) => onOwn(c, ENDS))) return false;
  return !!findNode(fn.body, (n) => {
    const listener = ts.isCallExpression(n) && isEndListener(n) && n.arguments[1] ? stripParens(n.arguments[1]) : undefined;
    return !!listener && (ts.isArrowFunction(listener) || ts.isFunctionExpression(listener)) && !!findNode(listener.body, (c) => onOwn(c));
  }, true);
}
