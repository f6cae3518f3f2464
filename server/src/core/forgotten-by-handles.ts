// A function that makes its connections in locals and hands out an object whose release ends them
// (`return { port, broadcast, close() { wss.close() } }`, also resolved by the promise it returns) is a
// class written as a closure: what that release leaves out stays open once the owner closes the object.
// A server or a pool kept for good is left alone by the flow (leak-rule.ts `longLived`); here it is not
// meant to outlive the object, whose release closes its siblings and forgets it (a dashboard's `close()`
// closing its WebSocketServer and not the HTTP server under it: a test's `after()` leaves the port bound).
import { ts } from 'ts-morph';
import { findNode, FnLike, stripParens } from './ast';
import { handedOutObjects } from './returned-handles';
import { ANY_RELEASE } from './kinds';
import { CreatorFinder, CreatorMatch } from './creators';
import { creationUnder, lentToAdapter, lentToWebSocketServer, LISTEN_METHODS, UNLISTEN_METHODS } from './call-shapes';
import { makeSubject } from './subject';
import type { FieldLeak } from './fields';
import { END_OF_LIFE } from './forgotten-connections';

/** Kinds the flow leaves open on purpose (meant to live on) that such an object must still end with itself. */
const FORGETTABLE = new Set(['server', 'pool', 'agent', 'websocket', 'udp-socket']);

export function handleForgetsLeaks(sf: ts.SourceFile, creators: CreatorFinder): FieldLeak[] {
  const out: FieldLeak[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)) && n.body && ts.isBlock(n.body)) {
      checkFunction(n as FnLike & { body: ts.Block }, creators, out);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function checkFunction(fn: FnLike & { body: ts.Block }, creators: CreatorFinder, out: FieldLeak[]): void {
  const handles = handedOutObjects(fn as ts.FunctionLikeDeclaration);
  const stopper = returnedStopper(fn);
  if (!handles.length && !stopper) return;
  const made = madeLocals(fn, creators);
  if (!made.length) return;
  // `return () => { socket.emit('unwatch', id); socket.off('score', handler) }`: the function handed out to stop the
  // updates detaches from the connection and never closes it, and nothing else can reach it.
  for (const m of stopper ? made : []) {
    if (!detaches(stopper!.body, m.name) || releasedOrHandedOn(fn, m.name)) continue;
    const subject = makeSubject(m.match.kind, fn, m.call, { creation: m.call });
    subject.longLived = false;
    out.push({ subject, match: m.match, exits: [{ node: stopper!, kind: 'stopperForgets' }], sawRelease: false, sawEscape: false,
      releaseCall: `${m.name}.${m.match.fixCall ?? subject.spec.fixCall}`, resourceName: m.name });
  }
  for (const handle of handles) {
    const ender = handle.properties.map(endingBody).find((b) => !!b);
    if (!ender) continue;
    const ended = releasedLocals(ender.body);
    // It ends something else this function made: the object's release is meant to end what it holds.
    if (![...ended].some((name) => made.some((m) => m.name === name) || declaredWith(fn, name))) continue;
    for (const m of made) {
      // A client lent to socket.io's adapter (`createAdapter(pub, sub)`) too: the flow takes that for a hand-over.
      if (ended.has(m.name) || !(FORGETTABLE.has(m.match.kind) || lentToAdapterIn(fn, m.name)) || !opened(fn, m)) continue;
      if (releasedOrHandedOn(fn, m.name)) continue;
      const subject = makeSubject(m.match.kind, fn, m.call, { creation: m.call });
      subject.longLived = false;
      out.push({ subject, match: m.match, exits: [{ node: ender.name, kind: 'handleForgets' }], sawRelease: true, sawEscape: false,
        releaseCall: `${m.name}.${m.match.fixCall ?? subject.spec.fixCall}`, resourceName: m.name });
    }
  }
}

/** The function the function's last statement returns (`return () => { … }`). */
function returnedStopper(fn: FnLike & { body: ts.Block }): (ts.ArrowFunction | ts.FunctionExpression) | undefined {
  const last = fn.body.statements[fn.body.statements.length - 1];
  const f = last && ts.isReturnStatement(last) && last.expression ? stripParens(last.expression) : undefined;
  return f && (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) ? f : undefined;
}

/** `socket.off('score', handler)`, `ws.removeAllListeners()`: the body takes a listener off the local. */
function detaches(body: ts.Node, name: string): boolean {
  return !!findNode(body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && UNLISTEN_METHODS.has(n.expression.name.text) &&
    ts.isIdentifier(stripParens(n.expression.expression)) && (stripParens(n.expression.expression) as ts.Identifier).text === name);
}

/** `close() {…}`, `close: () => …`, `stop: async () => {…}`: the body of a property that ends the object. */
function endingBody(p: ts.ObjectLiteralElementLike): { name: ts.Node; body: ts.Node } | undefined {
  if (!p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) || !END_OF_LIFE.test(p.name.text)) return undefined;
  if (ts.isMethodDeclaration(p) && p.body) return { name: p.name, body: p.body };
  if (ts.isPropertyAssignment(p)) {
    const f = stripParens(p.initializer);
    if ((ts.isArrowFunction(f) || ts.isFunctionExpression(f)) && f.body) return { name: p.name, body: f.body };
  }
  return undefined;
}

interface MadeLocal { name: string; call: ts.CallExpression | ts.NewExpression; match: CreatorMatch }

/** `const server = http.createServer(h)` in the function's own statements (not in its callbacks). */
function madeLocals(fn: FnLike & { body: ts.Block }, creators: CreatorFinder): MadeLocal[] {
  const out: MadeLocal[] = [];
  for (const st of fn.body.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const call = ts.isIdentifier(d.name) && d.initializer ? creationUnder(d.initializer) : undefined;
      const match = call && creators.match(call);
      if (call && match && match.callbackParam === undefined) out.push({ name: (d.name as ts.Identifier).text, call, match });
    }
  }
  return out;
}

function declaredWith(fn: FnLike & { body: ts.Block }, name: string): boolean {
  return fn.body.statements.some((st) => ts.isVariableStatement(st) && st.declarationList.declarations.some((d) =>
    ts.isIdentifier(d.name) && d.name.text === name && !!d.initializer && !!creationUnder(d.initializer)));
}

/** Names whose release the body calls: `wss.close(cb)`, `pool.end()`. */
function releasedLocals(body: ts.Node): Set<string> {
  const out = new Set<string>();
  findNode(body, (n) => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ANY_RELEASE.has(n.expression.name.text)) {
      const recv = stripParens(n.expression.expression);
      if (ts.isIdentifier(recv)) out.add(recv.text);
    }
    return false;
  });
  return out;
}

/** A server binds its port only once it listens: one the function never starts holds nothing. */
function opened(fn: FnLike & { body: ts.Block }, m: MadeLocal): boolean {
  if (m.match.kind !== 'server') return true;
  const starts = (n: ts.Node) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LISTEN_METHODS.has(n.expression.name.text) &&
    ts.isIdentifier(stripParens(n.expression.expression)) && (stripParens(n.expression.expression) as ts.Identifier).text === m.name;
  return (ts.isPropertyAccessExpression(m.call.parent) && LISTEN_METHODS.has(m.call.parent.name.text)) || !!findNode(fn.body, starts);
}

/**
 * Any use of the local other than a call of one of its methods or a member read: released (`server.close()`,
 * anywhere, an error path too), held by the object (`{ server }`, `getServer: () => server`), stored, returned or
 * given to other code, which may close it. Except the options of a ws `WebSocketServer` (`{ server }`), whose
 * `close()` closes neither that server nor its clients (lib/websocket-server.js), and socket.io's `createAdapter(pub, sub)`.
 */
function releasedOrHandedOn(fn: FnLike & { body: ts.Block }, name: string): boolean {
  return !!findNode(fn.body, (n) => {
    if (!ts.isIdentifier(n) || n.text !== name) return false;
    const p = n.parent;
    if ((ts.isVariableDeclaration(p) || ts.isPropertyAccessExpression(p) || ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) ||
        ts.isPropertyDeclaration(p)) && p.name === n) return false;
    if (ts.isPropertyAccessExpression(p) && p.expression === n) {
      return ts.isCallExpression(p.parent) && p.parent.expression === p && ANY_RELEASE.has(p.name.text);
    }
    if (ts.isCallExpression(p) && p.arguments.includes(n) && lentToAdapter(p)) return false;
    return !((ts.isShorthandPropertyAssignment(p) || (ts.isPropertyAssignment(p) && p.initializer === n)) && lentToWebSocketServer(p));
  });
}

/** `createAdapter(pub, sub)` given the local: the adapter subscribes with it and never quits it. */
function lentToAdapterIn(fn: FnLike & { body: ts.Block }, name: string): boolean {
  return !!findNode(fn.body, (n) => ts.isCallExpression(n) && lentToAdapter(n) && n.arguments.some((a) => ts.isIdentifier(a) && a.text === name));
}
