// A WebSocket, Socket.IO or MQTT client opened for one exchange (connect, send one message, one
// acknowledged emit or one publish, close) on every call of a function that runs per request, event or loop
// iteration. Such a client has no pool: each call pays the TCP (and TLS) handshake and the protocol's
// own (the HTTP upgrade, the MQTT CONNECT) again, and each closed connection leaves a TIME_WAIT entry on the side that closed first.
import { ts } from 'ts-morph';
import { RuleContext } from '../../core/rule';
import { KINDS } from '../../core/kinds';
import { enclosingFunction, loopAround } from '../../core/syntax';
import { findNode, FnLike, promiseExecutor, skipOuter } from '../../core/ast';
import { callersPickServer } from './per-server';
import { elementCallback, LISTEN_METHODS, owningFunction, skipParensUp } from '../../core/call-shapes';
import { inTestCode } from '../../core/execution';
import { calledOnlyFromRareCode, runsRarely } from '../../core/run-rate';
import { runsForEveryEvent, runsSeldom } from './frequency';
import { isRetryLoop } from './agent-options';
import { CatalogCreator, catalogCreatorOf } from './http';

/** The message clients (not a browser driver's connection, whose `connect()` is a session of its own), and the handshake each pays. */
const MESSAGE_CLIENT_MODULES = new Set(['ws', 'global', 'socket.io-client', 'mqtt', 'net', 'tls']);
/** A plain TCP or TLS socket's is none of the protocol's own (`''`): an MLLP or Modbus exchange pays the TCP (and TLS) handshake. */
const HANDSHAKES: Partial<Record<string, string>> = { websocket: 'the WebSocket upgrade', 'sio-client': 'the Socket.IO handshake', 'mqtt-client': 'the MQTT CONNECT', socket: '' };
/** Events whose listeners run once the exchange went wrong: a close there says nothing of a one-shot use. */
const FAILURE_EVENTS = new Set(['error', 'close', 'connect_error', 'disconnect', 'unexpected-response', 'timeout']);

export interface OneShotSocket {
  creator: CatalogCreator;
  /** The function each call of which opens one: the one around a promise's executor, or an array callback. */
  owner: FnLike;
  loop?: ts.IterationStatement;
  /** The close of the one exchange. */
  close: ts.CallExpression;
  /** What the protocol adds to the TCP handshake: "the WebSocket upgrade". */
  handshake: string;
}

/**
 * `const ws = new WebSocket(url); ws.once('open', () => ws.send(msg, () => ws.close()))` or `const socket =
 * io(url); try { return await socket.emitWithAck(…) } finally { socket.disconnect() }` in a function the
 * project runs per request, event or iteration; the client is used only through its own methods (kept or
 * handed on, it may be reused), and closed on the exchange's own path: in the function's body, or in a
 * callback of the client's own calls other than a failure listener. A client closed only when another
 * connection closes (a relay's upstream, per client session) is not one.
 */
export function oneShotSocketOf(ctx: RuleContext, node: ts.CallExpression | ts.NewExpression): OneShotSocket | undefined {
  // The shape first (`const ws = new WebSocket(url)`): the callee's origin costs a symbol lookup, for every call.
  const decl = skipParensUp(node).parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name) || skipOuter(decl.initializer!) !== node) return undefined;
  const creator = catalogCreatorOf(ctx, node, (c) => HANDSHAKES[c.kind] !== undefined && c.modules.some((m) => MESSAGE_CLIENT_MODULES.has(m)));
  if (!creator || inTestCode(node)) return undefined;
  const owner = owningFunction(node);
  if (!owner?.body || runsSeldom(ctx, node) || runsRarely(ctx, owner) || calledOnlyFromRareCode(ctx, owner)) return undefined;
  const loop = loopUpTo(node, owner);
  if (!(loop && !isRetryLoop(loop)) && !runsForEveryEvent(ctx, owner)) return undefined;
  const sym = ctx.resolver.symbolOf(decl.name);
  const release = new Set(KINDS[creator.spec.kind].release);
  let close: ts.CallExpression | undefined;
  let handedOn = false;
  const visit = (n: ts.Node): void => {
    if (handedOn) return;
    if (ts.isIdentifier(n) && n !== decl.name && sym && ctx.resolver.symbolOf(n) === sym) {
      const access = n.parent;
      if (!ts.isPropertyAccessExpression(access) || access.expression !== n || !ts.isCallExpression(access.parent) || access.parent.expression !== access) {
        handedOn = true;
        return;
      }
      if (release.has(access.name.text) && onExchangePath(access.parent, n, owner)) close ??= access.parent;
    }
    ts.forEachChild(n, visit);
  };
  visit(owner.body);
  if (!close || handedOn) return undefined;
  // A plain socket only for one exchange per call: not one per iteration of the function's own loop (whether its items
  // go to one server or to many, the loop does not say), nor one that writes nothing (a probe, `socket.once('connect',
  // () => socket.destroy())`, or a TLS certificate check: the connection is the point), nor one to the server each
  // caller picks (`printLabel(req.body.printerHost, zpl)`): that one could not be shared.
  // Nor one whose request ends with its own half-close and whose answer ends with the server's (`socket.end(lastChunk)`,
  // the reply read until `'end'`: clamd's INSTREAM, whois): the protocol gives each exchange a connection of its own.
  if (creator.spec.kind === 'socket' && (!!loop || !writes(owner.body, decl.name.text) || callersPickServer(ctx, node, owner as ts.FunctionLikeDeclaration) ||
      answeredAfterHalfClose(owner.body, decl.name.text, close))) return undefined;
  return { creator, owner, loop, close, handshake: HANDSHAKES[creator.spec.kind] ?? '' };
}

/** A loop around `node` in the owner, also around the promise executor it is in: `for (…) await new Promise((resolve) => { const ws = … })`. */
function loopUpTo(node: ts.Node, owner: FnLike): ts.IterationStatement | undefined {
  for (let at: ts.Node = node; ;) {
    const fn = enclosingFunction(at);
    const loop = loopAround(at, fn);
    if (loop || !fn || fn === owner) return loop;
    at = fn;
  }
}

/**
 * Every function between the close and the owner is a callback of a call on the client itself
 * (`ws.send(msg, cb)`, `socket.emit('join', id, ack)`, `ws.once('open', …)`) and not a failure listener;
 * or the promise executor or array callback the owner's call runs.
 */
function onExchangePath(close: ts.CallExpression, client: ts.Identifier, owner: FnLike): boolean {
  for (let fn = enclosingFunction(close); fn && fn !== owner; fn = enclosingFunction(fn)) {
    if (promiseExecutor(fn.parent) === fn || elementCallback(fn)) continue;
    const call = skipParensUp(fn).parent;
    // `const sock = net.connect(port, host, () => sock.end(line))`: the creator's own 'connect' listener.
    const made = ts.isCallExpression(call) ? skipParensUp(call).parent : undefined;
    if (made && ts.isVariableDeclaration(made) && ts.isIdentifier(made.name) && made.name.text === client.text) continue;
    if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || !receivesOn(call.expression.expression, client)) return false;
    // `socket.setTimeout(ms, () => socket.destroy())`: an idle timeout's, a failure's.
    if (call.expression.name.text === 'setTimeout') return false;
    const event = call.arguments[0];
    if (LISTEN_METHODS.has(call.expression.name.text) && event && ts.isStringLiteralLike(event) && FAILURE_EVENTS.has(event.text)) return false;
  }
  return true;
}

/** `ws`, or a chain on it (`socket.timeout(5000)`). */
function receivesOn(recv: ts.Expression, client: ts.Identifier): boolean {
  let e = skipOuter(recv);
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) e = skipOuter(e.expression.expression);
  return ts.isIdentifier(e) && e.text === client.text;
}

/** `socket.write(frame)`, `socket.end(zpl)`: the function sends something over the socket named `name`. */
function writes(body: ts.Node, name: string): boolean {
  return !!findNode(body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression) &&
    n.expression.expression.text === name && (n.expression.name.text === 'write' || (n.expression.name.text === 'end' && n.arguments.length > 0)));
}

/**
 * The close is `socket.end(…)` and the socket has an `'end'` listener: the reply is read to the server's end of the stream.
 * Or it is drained (`socket.resume()`) and the exchange ends at its `'close'`: a raw print job (port 9100) sent whole and
 * half-closed, the printer hanging up once it has spooled it. (A line sent by `end(line)` alone, a Graphite metric per
 * sample, is still a connection per message: held-out labellers call it churn.)
 */
function answeredAfterHalfClose(body: ts.Node, name: string, close: ts.CallExpression): boolean {
  if (!ts.isPropertyAccessExpression(close.expression) || close.expression.name.text !== 'end') return false;
  const onSocket = (n: ts.Node, methods: ReadonlySet<string>): n is ts.CallExpression => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) &&
    methods.has(n.expression.name.text) && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === name;
  const listens = (event: string) => !!findNode(body, (n) => onSocket(n, LISTEN_METHODS) && !!n.arguments[0] && ts.isStringLiteralLike(n.arguments[0]) && n.arguments[0].text === event);
  return listens('end') || (listens('close') && !!findNode(body, (n) => onSocket(n, RESUME)));
}
const RESUME: ReadonlySet<string> = new Set(['resume']);
