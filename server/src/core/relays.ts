// A connection opened for each connection a server accepts (a WebSocket or TCP relay, a per-client
// upstream) lives as long as the one it serves: when the client goes away, something must close it.
// Waiting for its own 'close' only waits for the far end, which may never come; so when none of the
// served connection's 'close', 'end' or 'error' listeners does anything to it (and nothing pipes the
// client into it), the served connection's end is a leaking exit.
import { ts } from 'ts-morph';
import { calleeName, isStringArg, stripParens } from './ast';
import { callsModuleFunction, callsPlainFunction } from './plain-calls';
import { OriginResolver } from './origins';
import { LISTEN_METHODS } from './call-shapes';
import { handedSocket } from './handed';
import type { Subject } from './subject';

const CONNECTION_EVENT = new Set(['connection']);
/** Servers whose 'connection' listener gets one client's connection: ws, and Socket.IO (a socket per client). */
const SERVING_MODULES = new Set(['ws', 'socket.io']);
const PEER_END_EVENTS = new Set(['close', 'end', 'error', 'disconnect']);

/** The first parameter of `fn` when `fn` is the listener of a ws or Socket.IO server's 'connection' (or a socket a net/tls/http server hands it). */
export function servedConnection(fn: ts.Node, resolver: OriginResolver): ts.Identifier | undefined {
  let n: ts.Node = fn;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const call = n.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(n as ts.Expression) || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return servedParameter(fn, resolver);
  const handed = handedSocket(call, resolver);
  if (handed && handed.handler === fn) return handed.param;
  const callee = stripParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !LISTEN_METHODS.has(callee.name.text) || !isStringArg(call.arguments[0], CONNECTION_EVENT)) return undefined;
  const o = resolver.of(callee.expression);
  const param = fn.parameters[0];
  if (!param || !ts.isIdentifier(param.name)) return undefined;
  if (o?.instance && SERVING_MODULES.has(o.module)) return param.name;
  // A server of unknown type (`io` given as a parameter, `io.of('/parents')`): its 'connection' listener's socket is
  // one it serves when the listener waits for that socket's end (`socket.on('disconnect', …)`).
  const name = param.name;
  const waits = (x: ts.Node): boolean => (ts.isCallExpression(x) && isEndListener(x) && isListenerOn(x, name)) || !!ts.forEachChild(x, waits);
  return !o && !!fn.body && waits(fn.body) ? name : undefined;
}

/** The names of an HTTP handler's request and response parameters. */
const HANDLER_PARAMS = [/^req(uest)?$/, /^res(ponse)?$/];

/**
 * `function relaySpectator(downstream: WebSocket, …) { …; downstream.on('close', () => …) }`: a function
 * given a ws WebSocket or a net/tls socket that waits for its end is given a connection it serves.
 */
function servedParameter(fn: ts.Node, resolver: OriginResolver): ts.Identifier | undefined {
  if (!ts.isFunctionDeclaration(fn) && !ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  // `function streamEvents(req, res) { …; req.on('close', …) }`: an HTTP handler's request (a server-sent event stream).
  const handler = fn.parameters.length >= 2 && [0, 1].every((i) => ts.isIdentifier(fn.parameters[i].name) && HANDLER_PARAMS[i].test((fn.parameters[i].name as ts.Identifier).text));
  for (const p of fn.parameters) {
    const o = p.type && ts.isIdentifier(p.name) ? resolver.typeNode(p.type) : undefined;
    const untypedHttp = handler && !p.type && fn.parameters.indexOf(p) < 2;
    if (!untypedHttp && (!o?.instance || !((o.module === 'ws' && o.path.join('.') !== 'WebSocketServer') || ((o.module === 'net' || o.module === 'tls') && /Socket$/.test(o.path.join('.')))))) continue;
    const name = p.name as ts.Identifier;
    const waits = (n: ts.Node): boolean => (ts.isCallExpression(n) && isEndListener(n) && isListenerOn(n, name)) || !!ts.forEachChild(n, waits);
    if (fn.body && waits(fn.body)) return name;
  }
  return undefined;
}

/** `ws.on('close', fn)`, `req.once('end', fn)`: a listener for the end of a connection. */
export function isEndListener(call: ts.CallExpression): boolean {
  const callee = stripParens(call.expression);
  return ts.isPropertyAccessExpression(callee) && LISTEN_METHODS.has(callee.name.text) && isStringArg(call.arguments[0], PEER_END_EVENTS);
}

/** `peer.on(event, fn)`: a listener registered on the served connection itself. */
export function isListenerOn(call: ts.CallExpression, peer: ts.Identifier): boolean {
  const callee = stripParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !LISTEN_METHODS.has(callee.name.text)) return false;
  const recv = stripParens(callee.expression);
  return ts.isIdentifier(recv) && recv.text === peer.text;
}

/**
 * Nothing ties the subject to `peer`: no listener of `peer`'s end mentions it or calls a function of the
 * code's own (which may close it), no `peer.pipe(subject)` ends it with the peer, and `peer` is not handed
 * to anything that could (`pipeline(peer, …)`, `relay(peer, upstream)`).
 */
export function untiedFrom(peer: ts.Identifier, body: ts.Node, mentionsSubject: (n: ts.Node) => boolean): boolean {
  let tied = false;
  const visit = (n: ts.Node): void => {
    if (tied) return;
    if (ts.isCallExpression(n)) {
      const callee = stripParens(n.expression);
      const onPeer = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(stripParens(callee.expression)) &&
        (stripParens(callee.expression) as ts.Identifier).text === peer.text;
      if (onPeer && isEndListener(n)) {
        const listener = n.arguments[1] && stripParens(n.arguments[1]);
        if (!listener || !(ts.isArrowFunction(listener) || ts.isFunctionExpression(listener)) || mentionsSubject(listener) ||
          callsPlainFunction(listener, (c) => !callsModuleFunction(c) || c.arguments.some((a) => mentionsSubject(a)))) tied = true;
      } else if (onPeer && calleeName(n) === 'pipe' && n.arguments.some((a) => mentionsSubject(a))) {
        tied = true;
      } else if (!onPeer && n.arguments.some((a) => ts.isIdentifier(stripParens(a)) && (stripParens(a) as ts.Identifier).text === peer.text) &&
          !['log', 'warn', 'error', 'info', 'debug', 'push', 'add', 'set', 'delete', 'has', 'get'].includes(calleeName(n) ?? '')) {
        tied = true;
      }
    }
    // `peer.onclose = () => upstream.close()`
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) &&
        ts.isIdentifier(n.left.expression) && n.left.expression.text === peer.text && /^on(close|end|error)$/.test(n.left.name.text)) tied = true;
    ts.forEachChild(n, visit);
  };
  visit(body);
  return !tied;
}

/**
 * `net.connect(port, () => { upstream.pipe(client) })`: a release of this resource in the connect
 * callback of another connection happens only if that one connects. When it fails, its `'error'`
 * listener must release this one (`upstream.on('error', () => client.destroy())`); one that only logs
 * leaves it open (a CONNECT proxy's client socket, a relay's other side).
 */
export function releasesOnlyIfConnected(subject: Subject, call: ts.CallExpression | ts.NewExpression, fn: ts.Node,
  closureReleases: (body: ts.Node) => boolean, localFunction: (a: ts.Expression) => ts.FunctionLikeDeclaration | undefined): boolean {
  if (!subject.accepted || !ts.isCallExpression(call) || call.arguments[call.arguments.length - 1] !== fn) return false;
  const name = calleeName(call);
  if (name !== 'connect' && name !== 'createConnection') return false;
  let e: ts.Node = call;
  while (ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const holder = ts.isVariableDeclaration(e.parent) && ts.isIdentifier(e.parent.name) ? e.parent.name.text : undefined;
  if (!holder) return false; // nothing to attach an 'error' listener to: a failed connect is uncaught
  const body = subject.fn.body;
  let covered = false;
  let listened = false;
  const visit = (n: ts.Node): void => {
    if (covered) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ['on', 'once'].includes(n.expression.name.text) &&
        ts.isIdentifier(n.expression.expression) && n.expression.expression.text === holder && ts.isStringLiteralLike(n.arguments[0]) &&
        n.arguments[0].text === 'error') {
      listened = true;
      const listener = n.arguments[1] && localFunction(n.arguments[1]);
      if (!listener?.body || closureReleases(listener.body)) covered = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  if (body) visit(body);
  // With no 'error' listener at all, a failed connect is an uncaught exception: the process ends (a
  // test fails), so no path goes on with the handed socket open.
  return listened && !covered;
}
