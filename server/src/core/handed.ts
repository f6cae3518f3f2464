// Sockets a server hands to a handler, which then owns them: an `'upgrade'` or CONNECT request's raw
// socket, and each connection of a `net`/`tls` server. Node does nothing more with such a socket; the
// handler must end or destroy it, hand it on (`wss.handleUpgrade`, a proxy, a pipe), or read it to its
// end so that the client's close closes it (allowHalfOpen off) — on every path, error branches included.
import { ts } from 'ts-morph';
import { calleeName, EQUALITY, fieldValue, findNode, functionOfDeclaration, inlineFunction, isStringArg, stripParens } from './ast';
import { OriginResolver } from './origins';
import { creationUnder, ERROR_EVENT, LISTEN_METHODS } from './call-shapes';
import { asksHalfOpen } from './creator-options';
import { inTestCode } from './execution';

export interface HandedSocket {
  handler: ts.FunctionLikeDeclaration;
  param: ts.Identifier;
  /** The request whose socket it is (`req` of an upgrade): `req.destroy()` destroys the socket too. */
  request?: ts.Identifier;
  /** Where it comes from, for messages: `server.on('upgrade')`, `net.createServer`. */
  label: string;
  /** An 'upgrade' socket of a server the file did not make: other code may answer the upgrades this handler leaves alone. */
  sharedUpgrade?: boolean;
  /** A connection of `net.createServer(handler)` without `allowHalfOpen`: read to its end, the client's close closes it. */
  closesWithClient?: boolean;
  /** With `allowHalfOpen: true` written out: after the client's FIN (`'end'`) the handler must end it itself. */
  halfOpen?: boolean;
}

/** Events whose listener receives a socket it owns, and at which parameter. */
const SOCKET_EVENTS: Record<string, number> = { upgrade: 1, connect: 1 };
/** Events of a `net`/`tls` server whose listener receives each connection. */
const CONNECTION_EVENTS = new Set(['connection', 'secureConnection']);

/**
 * `mayCreate`: false when the call cannot be a creator by its name (SubjectFinder's filter), which
 * spares resolving every call of the file for `net.createServer(handler)`.
 */
export function handedSocket(call: ts.CallExpression, resolver: OriginResolver, mayCreate = true): HandedSocket | undefined {
  const callee = stripParens(call.expression);
  const name = calleeName(call);
  if (ts.isPropertyAccessExpression(callee) && name && LISTEN_METHODS.has(name)) {
    const event = call.arguments[0];
    const handler = handlerOf(call.arguments[1], resolver);
    if (!event || !ts.isStringLiteralLike(event) || !handler) return undefined;
    const recv = callee.expression.getText();
    const index = SOCKET_EVENTS[event.text];
    // 'connect' of a net.Socket has no parameters; the CONNECT request of an http server has three.
    // Only on a server the code is known to own: a library that attaches its own 'upgrade' listener to
    // someone else's server leaves the sockets it does not want to the other listeners.
    if (index !== undefined && handler.parameters.length > index && (event.text !== 'connect' || handler.parameters.length >= 2) &&
        (isServer(callee.expression, resolver, ['http', 'https', 'http2']) || (event.text === 'upgrade' && handler.parameters.length >= 3 && serverParameter(callee.expression, resolver))) &&
        !(event.text === 'upgrade' && sharedWithLibrary(callee.expression))) {
      const h = paramAt(handler, index, `${recv}.on('${event.text}')`);
      const req = handler.parameters[0];
      const shared = event.text === 'upgrade' && !madeInFile(callee.expression, resolver);
      return h && req && ts.isIdentifier(req.name) ? { ...h, request: req.name, sharedUpgrade: shared } : h && { ...h, sharedUpgrade: shared };
    }
    if (CONNECTION_EVENTS.has(event.text) && isServer(callee.expression, resolver, ['net', 'tls'])) return paramAt(handler, 0, `${recv}.on('${event.text}')`);
    return undefined;
  }
  // net.createServer((socket) => …), tls.createServer(options, (socket) => …)
  if (!mayCreate) return undefined;
  const o = resolver.ofBinding(callee);
  if (o && !o.instance && (o.module === 'net' || o.module === 'tls') && o.path.join('.') === 'createServer') {
    const handler = handlerOf(call.arguments[call.arguments.length - 1], resolver);
    const h = handler ? paramAt(handler, 0, `${o.module}.createServer`) : undefined;
    // `net.createServer(handler)`, or `(options, handler)` with the options written out (no spread) and
    // not asking for `allowHalfOpen`; a spread before `allowHalfOpen` (`{ ...tlsOptions, allowHalfOpen: true }`)
    // cannot undo it.
    const options = call.arguments.length > 1 ? stripParens(call.arguments[0]) : undefined;
    const literal = options && ts.isObjectLiteralExpression(options) ? options : undefined;
    const lastSpread = literal ? literal.properties.filter(ts.isSpreadAssignment).pop() : undefined;
    const written = !options || (!!literal && !lastSpread);
    const decided = written || (!!literal && literal.properties.some((p) => p.pos > lastSpread!.pos && ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'allowHalfOpen'));
    const closesWithClient = decided && !asksHalfOpen(call);
    return h && { ...h, closesWithClient, halfOpen: decided && !closesWithClient };
  }
  return undefined;
}

/**
 * A connection of a test's mock server (`sock.write(banner)`, no `allowHalfOpen`): it ends with its client's FIN
 * unless that client sent data nobody read, and whether the code under test sends any is not known here; the
 * test closes that client. Left alone. A half-open one must still be ended by the handler.
 */
export function ofTestMockServer(h: HandedSocket, call: ts.CallExpression): boolean {
  return !!h.closesWithClient && inTestCode(call);
}

/**
 * The listener written inline, or a function of the same file named there
 * (`server.on('connection', onConnection)`, `function onConnection(socket) {…}` below it).
 */
function handlerOf(arg: ts.Expression | undefined, resolver: OriginResolver): ts.FunctionLikeDeclaration | undefined {
  const inline = inlineFunction(arg);
  if (inline || !arg || !ts.isIdentifier(stripParens(arg))) return inline;
  const decl = resolver.symbolOf(stripParens(arg))?.declarations?.[0];
  return decl && decl.getSourceFile() === arg.getSourceFile() ? functionOfDeclaration(decl) : undefined;
}

/**
 * The server is also handed to a library (`new IOServer(httpServer)`, `new WebSocketServer({ server })`)
 * that adds an 'upgrade' listener of its own: an upgrade this handler leaves alone (`if (url starts
 * with '/rt') return`) is that listener's to answer, so returning without closing is no leak.
 */
function sharedWithLibrary(server: ts.Expression): boolean {
  const text = stripParens(server).getText();
  const isServerText = (e: ts.Node | undefined) => !!e && stripParens(e as ts.Expression).getText() === text;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && (n.arguments ?? []).some(isServerText)) {
      const callee = stripParens(n.expression);
      if (!(ts.isPropertyAccessExpression(callee) && isServerText(callee.expression))) found = true;
    } else if (((ts.isPropertyAssignment(n) && isServerText(n.initializer)) || (ts.isShorthandPropertyAssignment(n) && n.name.text === text)) &&
        isArgument(n.parent)) found = true; // `new WebSocketServer({ server })`, not `return { server }`
    if (!found) ts.forEachChild(n, visit);
  };
  visit(server.getSourceFile());
  return found;
}

/**
 * The server is a variable of this file set from a call (`const server = http.createServer(app)`), or a
 * field its class sets so: not one given to the file (a parameter, `app.server`), which other code may use.
 */
function madeInFile(server: ts.Expression, resolver: OriginResolver): boolean {
  const x = stripParens(server);
  const field = ts.isPropertyAccessExpression(x) && x.expression.kind === ts.SyntaxKind.ThisKeyword ? x.name.text : undefined;
  if (field) {
    let cls: ts.Node | undefined = x.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    const value = cls && fieldValue(cls as ts.ClassLikeDeclaration, field);
    return !!value && creationUnder(value) !== undefined;
  }
  const decl = ts.isIdentifier(x) ? resolver.symbolOf(x)?.valueDeclaration : undefined;
  return !!decl && ts.isVariableDeclaration(decl) && !!decl.initializer && creationUnder(decl.initializer) !== undefined;
}

function isArgument(obj: ts.Node): boolean {
  const p = obj.parent;
  return (ts.isCallExpression(p) || ts.isNewExpression(p)) && (p.arguments ?? []).some((a) => a === obj);
}

function paramAt(handler: ts.FunctionLikeDeclaration, index: number, label: string): HandedSocket | undefined {
  // `function onConnection(this: net.Server, socket)`: TypeScript's `this` parameter is no argument.
  const p = handler.parameters.filter((x) => !(ts.isIdentifier(x.name) && x.name.text === 'this'))[index];
  return p && ts.isIdentifier(p.name) && !onlyObserves(handler, p.name) ? { handler, param: p.name, label } : undefined;
}

/** Socket methods that set it up and neither use nor keep it. */
const SETUP_METHODS = new Set(['setNoDelay', 'setKeepAlive', 'on', 'once', 'addListener', 'prependListener']);

/**
 * A listener that only sets the socket up (an 'error' handler, `setNoDelay`, a tag in a property) and
 * otherwise leaves it alone: one of several listeners of the event, it takes nothing over, and the
 * listener (or the server) that answers the connection is the one that must close it.
 */
function onlyObserves(handler: ts.FunctionLikeDeclaration, param: ts.Identifier): boolean {
  if (!handler.body) return false;
  let uses = 0;
  let other = false;
  const visit = (n: ts.Node): void => {
    if (other) return;
    if (ts.isIdentifier(n) && n.text === param.text && n !== param) {
      uses++;
      const p = n.parent;
      const setup = ts.isPropertyAccessExpression(p) && p.expression === n && ts.isCallExpression(p.parent) && p.parent.expression === p &&
        SETUP_METHODS.has(p.name.text) && (!LISTEN_METHODS.has(p.name.text) || isStringArg(p.parent.arguments[0], ERROR_EVENT));
      const tagged = (ts.isElementAccessExpression(p) || ts.isPropertyAccessExpression(p)) && p.expression === n && ts.isBinaryExpression(p.parent) &&
        p.parent.left === p;
      const tested = ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.InKeyword && p.right === n;
      if (!setup && !tagged && !tested) other = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(handler.body);
  return uses > 0 && !other;
}

/**
 * A server of one of these modules, made by `createServer`/`new Server` or declared with that type. A
 * `net`/`tls` server's connections are its handler's; an http server reads its own connections, so
 * only its 'upgrade' and 'connect' sockets are.
 */
function isServer(recv: ts.Expression, resolver: OriginResolver, modules: string[]): boolean {
  const o = resolver.of(recv);
  if (!o || !o.instance || !modules.includes(o.module)) return false;
  const path = o.path.join('.');
  return path === 'createServer' || path === 'Server' || path === 'createSecureServer' || path === 'Http2Server' || path === 'Http2SecureServer';
}

/**
 * `function attachGateway(server) { server.on('upgrade', (req, socket, head) => …) }`: an untyped parameter named
 * for a server, given an upgrade listener of three parameters (a client request's 'upgrade' has a typed receiver).
 */
function serverParameter(recv: ts.Expression, resolver: OriginResolver): boolean {
  const x = stripParens(recv);
  const decl = ts.isIdentifier(x) ? resolver.symbolOf(x)?.declarations?.[0] : undefined;
  return !!decl && ts.isParameter(decl) && !decl.type && /server$/i.test(x.getText()) && !resolver.of(x);
}

/**
 * `const m = /^\/streams\/(.+)$/.exec(pathname); if (!m) return;` in an 'upgrade' listener of a server
 * the file did not make (HandedSocket.sharedUpgrade): a `return` under a test of the request's path (a
 * regular expression or a path literal, also through a const set from one, or a filter the request is
 * given, `if (options.filter && !options.filter(req)) return`), before the handler names the socket,
 * leaves the upgrade to another listener. A refusal (`if (!allowed(req)) return`) is not one.
 */
export function leavesUpgradeToOthers(exit: { node: ts.Node; kind: string }, handler: ts.SignatureDeclaration & { body?: ts.Node }, isSocket: (id: ts.Identifier) => boolean): boolean {
  const body = handler.body;
  if (exit.kind !== 'return' || !body || findNode(body, (n) => ts.isIdentifier(n) && n.end <= exit.node.pos && isSocket(n))) return false;
  for (let c: ts.Node = exit.node, p = c.parent; p && p !== body; c = p, p = p.parent) {
    if (ts.isIfStatement(p) && p.expression !== c && testsPath(p.expression, handler, 0)) return true;
  }
  return false;
}

/** The `const name = …` among the file's top-level statements. */
function topLevelConst(sf: ts.SourceFile, name: string): ts.VariableDeclaration | undefined {
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
    const d = st.declarationList.declarations.find((x) => ts.isIdentifier(x.name) && x.name.text === name);
    if (d) return d;
  }
  return undefined;
}

/** Names of the functions that choose the requests a handler takes (not whether a request is allowed). */
const ROUTE_FILTERS = /^(filter|match|matches|matchesPath|route|routes|handles|shouldHandle)$/i;

function testsPath(e: ts.Node, handler: ts.Node, depth: number): boolean {
  const route = (n: ts.Node): boolean => {
    if (n.kind === ts.SyntaxKind.RegularExpressionLiteral || (ts.isStringLiteralLike(n) && n.text.startsWith('/'))) return true;
    if (ts.isCallExpression(n) && ROUTE_FILTERS.test(calleeName(n) ?? '') && n.arguments.length > 0) return true;
    // `if (url.pathname !== path) return` with the path the function is given (`{ path = '/tablets' } = {}`).
    if (ts.isBinaryExpression(n) && EQUALITY.has(n.operatorToken.kind) && [n.left, n.right].some((x) => ts.isPropertyAccessExpression(stripParens(x)) &&
        (stripParens(x) as ts.PropertyAccessExpression).name.text === 'pathname')) return true;
    // `if (streamMatch)` with `const streamMatch = pathname.match(/…/)` in the handler, or `FLOOR_PATH.exec(path)` with
    // `const FLOOR_PATH = /^\/board\/floor\/(\d+)$/` at the top of the file.
    const named = (d: ts.Node) => ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) && d.name.text === (n as ts.Identifier).text;
    const decl = ts.isIdentifier(n) && depth < 2 ? findNode(handler, named) ?? topLevelConst(handler.getSourceFile(), n.text) : undefined;
    return !!decl && !!(decl as ts.VariableDeclaration).initializer && testsPath((decl as ts.VariableDeclaration).initializer!, handler, depth + 1);
  };
  return route(e) || !!findNode(e, route);
}
