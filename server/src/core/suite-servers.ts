// A test file whose servers drop every connection they hold when the suite stops them: Node's own
// `server.closeAllConnections()` somewhere in the file, or an `after`/`afterEach` hook — or a helper of
// the project the tests run their server with (`runServer(opts, (server, finish) => …)`) — that stops a
// server made from a project class whose stopping method destroys or ends the sockets it keeps
// (`close() { this._server.close(cb); this.socks.forEach((e, sock) => sock.destroy()) }`), or that
// destroys them itself (`activeSockets.forEach((s) => s.destroy())`). A test
// client that does not reconnect is then closed by its peer: the FIN ends it (allowHalfOpen is off). So is an HTTP/2
// client session whose server session such a method closes (GOAWAY: Node's client shuts down on it).
// Likewise a test file whose after hooks (or a test's own `t.teardown(fn)`, `t.after(fn)`) close every WebSocket a WebSocketServer holds (`for (const ws
// of wss.clients) ws.close()`, also in the stopping method of a project object the hook stops): the
// test's WebSocket clients get the close frame, and ws ends the connection once the handshake is done.
import { ts } from 'ts-morph';
import { findNode, functionOfDeclaration, inlineFunction, isStringArg, skipOuter, stripParens } from './ast';
import { LISTEN_METHODS } from './call-shapes';
import { AFTER_HOOKS, hookBody } from './hooks';
import { SUITE_DROPPING_SERVERS } from './catalog';
import { OriginResolver } from './origins';
import { handedOutObjects } from './returned-handles';
import { findProp } from './syntax';
import { localFunction } from './executor-syntax';

const STOPS = new Set(['close', 'stop', 'shutdown', 'destroy']);
const DROPS = new Set(['destroy', 'end', 'resetAndDestroy', 'terminate']);

const CACHE = new WeakMap<ts.SourceFile, boolean>();

export function suiteDropsConnections(sf: ts.SourceFile, resolver: OriginResolver): boolean {
  let found = CACHE.get(sf);
  if (found === undefined) {
    found = sf.text.includes('.closeAllConnections(') || hooksStopDroppingServer(sf, resolver) || helperStopsDroppingServer(sf, resolver);
    CACHE.set(sf, found);
  }
  return found;
}

/** A function of the project that the file calls, which makes a server of such a class and stops it (a test helper's `finish`). */
function helperStopsDroppingServer(sf: ts.SourceFile, resolver: OriginResolver): boolean {
  const seen = new Set<ts.Node>();
  return !!findNode(sf, (n) => {
    if (!ts.isCallExpression(n) || !ts.isIdentifier(n.expression) || !n.arguments.some((a) => inlineFunction(a))) return false;
    const decl = resolver.targetOf(n.expression)?.declarations?.[0];
    const fn = decl && (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) ? decl
      : (ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl)) ? inlineFunction(decl.initializer) : undefined);
    if (!fn?.body || fn.getSourceFile().isDeclarationFile || seen.has(fn)) return false;
    seen.add(fn);
    return !!findNode(fn.body, (c) => stopsDroppingServer(c, fn.getSourceFile(), resolver));
  });
}

function hooksStopDroppingServer(sf: ts.SourceFile, resolver: OriginResolver): boolean {
  // Also a hook that destroys them itself (`activeSockets.forEach((s) => s.destroy())`, the set a server's connection listener fills).
  return afterHooksDo(sf, (c) => stopsDroppingServer(c, sf, resolver) || dropsEach(c));
}

/** `server.close(…)` where what `server` was made from in `sf` drops each socket it keeps when stopped so. */
function stopsDroppingServer(c: ts.Node, sf: ts.SourceFile, resolver: OriginResolver): boolean {
  const body = stopMethodBody(c, sf, resolver);
  return (!!body && dropsEachSocket(body)) || stopsDroppingLibraryServer(c, sf, resolver);
}

/** `server.stop()` of a catalog mock server that drops its connections (SUITE_DROPPING_SERVERS: mockttp's `getLocal()`). */
function stopsDroppingLibraryServer(c: ts.Node, sf: ts.SourceFile, resolver: OriginResolver): boolean {
  if (!ts.isCallExpression(c) || !ts.isPropertyAccessExpression(c.expression)) return false;
  const recv = stripParens(c.expression.expression);
  const made = ts.isIdentifier(recv) ? madeInto(sf, recv, resolver) : undefined;
  const origin = made && ts.isCallExpression(made) ? resolver.ofBinding(made.expression) : undefined;
  const name = c.expression.name.text;
  return !!origin && origin.path.length === 1 && SUITE_DROPPING_SERVERS.some((s) =>
    s.stop === name && s.modules.includes(origin.module) && s.names.includes(origin.path[0]) && !(s.keptWith && s.keptWith.test(made!.getText())));
}

/** The test itself stops such a server (`await server.stop({ timeout: 100 })` of the hapi server it started). */
export function testStopsDroppingServer(fn: ts.Node & { body?: ts.Node }, resolver: OriginResolver): boolean {
  const sf = fn.getSourceFile();
  return !!fn.body && !!findNode(fn.body, (c) => stopsDroppingServer(c, sf, resolver));
}

/** Whether the after hooks close every WebSocket of a server, and the servers given to the project objects whose stop does. */
const WS_CACHE = new WeakMap<ts.SourceFile, { found: boolean; attached: Set<string> }>();

/**
 * The file's after hooks close every WebSocket of a WebSocketServer, themselves or through a project object
 * they stop; with `client` (the `new WebSocket(url)`), not when its URL names another server than those
 * (`url = \`ws://…:${server.address().port}\``, while the hooks close `media.clients`). A server given to such a
 * project object (`hub = new DashboardHub(server)`, whose `close()` terminates each of `this.wss.clients`) is one.
 */
export function suiteClosesWebSockets(sf: ts.SourceFile, resolver: OriginResolver, client?: ts.Expression): boolean {
  let known = WS_CACHE.get(sf);
  if (known === undefined) {
    const attached = new Set<string>();
    // `.clients` may be named only in the project object's stop method (`await server.close()` of a MatchServer).
    const found = (sf.text.includes('after') || sf.text.includes('teardown')) && afterHooksDo(sf, (c) => {
      if (closesEachClient(c) || closedByFactoryHook(c, sf, resolver)) return true;
      const body = stopMethodBody(c, sf, resolver);
      if (!body || !findNode(body, closesEachClient)) return false;
      const recv = stripParens(((c as ts.CallExpression).expression as ts.PropertyAccessExpression).expression);
      const made = ts.isIdentifier(recv) ? madeInto(sf, recv, resolver) : undefined;
      for (const a of made?.arguments ?? []) for (const x of serversGiven(a)) attached.add(x);
      return true;
    });
    WS_CACHE.set(sf, (known = { found, attached }));
  }
  const { found, attached } = known;
  const servers = found && client && ts.isNewExpression(client) && client.arguments?.[0] ? serversNamedBy(client.arguments[0], sf) : undefined;
  if (!servers?.size) return found;
  const closed = clientsClosedOf(sf);
  return [...servers].some((x) => closed.has(x) || attached.has(x));
}

/** The names an argument hands over: `server` itself, or the values of an options object (`{ server, path }`, `{ server: http }`). */
function serversGiven(arg: ts.Expression): string[] {
  const a = stripParens(arg);
  if (ts.isIdentifier(a)) return [a.text];
  if (!ts.isObjectLiteralExpression(a)) return [];
  return a.properties.flatMap((p) => ts.isShorthandPropertyAssignment(p) ? [p.name.text]
    : ts.isPropertyAssignment(p) && ts.isIdentifier(stripParens(p.initializer)) ? [stripParens(p.initializer).getText()] : []);
}

const CLOSED_CACHE = new WeakMap<ts.SourceFile, Set<string>>();

/** The servers whose `.clients` the file names, and what each was attached to (`new WebSocketServer({ server })`). */
function clientsClosedOf(sf: ts.SourceFile): Set<string> {
  let closed = CLOSED_CACHE.get(sf);
  if (closed) return closed;
  closed = new Set<string>();
  const names = closed;
  findNode(sf, (n) => {
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'clients') names.add(stripParens(n.expression).getText());
    return false;
  });
  findNode(sf, (n) => {
    const made = ts.isVariableDeclaration(n) ? n.initializer : ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken ? n.right : undefined;
    const name = ts.isVariableDeclaration(n) ? n.name.getText() : ts.isBinaryExpression(n) ? n.left.getText() : '';
    const options = made && ts.isNewExpression(stripParens(made)) ? (stripParens(made) as ts.NewExpression).arguments?.[0] : undefined;
    const attached = options && ts.isObjectLiteralExpression(stripParens(options)) ? findProp(stripParens(options) as ts.ObjectLiteralExpression, 'server').value : undefined;
    if (attached && names.has(name)) names.add(stripParens(attached).getText());
    return false;
  });
  CLOSED_CACHE.set(sf, closed);
  return closed;
}

/** `X` of every `X.address()` in the URL expression, or in what the file assigns to the variable it names. */
function serversNamedBy(url: ts.Expression, sf: ts.SourceFile): Set<string> {
  const u = stripParens(url);
  const sources: ts.Node[] = [u];
  if (ts.isIdentifier(u)) {
    findNode(sf, (n) => {
      if (ts.isVariableDeclaration(n) && n.name.getText() === u.text && n.initializer) sources.push(n.initializer);
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && n.left.getText() === u.text) sources.push(n.right);
      return false;
    });
  }
  const servers = new Set<string>();
  for (const src of sources) {
    findNode(src, (n) => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'address') servers.add(stripParens(n.expression.expression).getText());
      return false;
    });
  }
  return servers;
}

/**
 * `afterAll(() => mongoose.disconnect())`: Mongoose's `disconnect()` closes every connection it made, those of
 * `mongoose.createConnection()` too (lib/mongoose.js: `createConnection` pushes each onto `connections`,
 * `disconnect` closes them all).
 */
export function suiteDisconnectsMongoose(sf: ts.SourceFile, resolver: OriginResolver): boolean {
  return sf.text.includes('disconnect') && afterHooksDo(sf, (c) => {
    if (!ts.isCallExpression(c) || !ts.isPropertyAccessExpression(c.expression) || c.expression.name.text !== 'disconnect') return false;
    const o = resolver.ofBinding(stripParens(c.expression.expression));
    return !!o && o.module === 'mongoose' && !o.instance;
  });
}

/** Some node inside an `after`/`afterEach`/`afterAll` hook of the file passes `test`. */
export function afterHooksDo(sf: ts.SourceFile, test: (c: ts.Node) => boolean): boolean {
  if (!/\bafter(All|Each)?\s*\(|\.teardown\s*\(/.test(sf.text)) return false;
  return !!findNode(sf, (n) => {
    if (!ts.isCallExpression(n) || !(ts.isIdentifier(n.expression) ? AFTER_HOOKS.has(n.expression.text) : isContextTeardown(n.expression))) return false;
    const hook = hookBody(n);
    // `afterEach(() => server.stop())`: the body may be the call itself.
    return !!hook?.body && (test(hook.body) || !!findNode(hook.body, test));
  });
}

/** A test's own cleanup on its context: tap's `t.teardown(fn)`, node:test's `t.after(fn)`, run once the test ends. */
function isContextTeardown(callee: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && (callee.name.text === 'teardown' || callee.name.text === 'after');
}

/**
 * For `server.close(…)`: the body of that method of what `server` was made from in the file, a project
 * class (`server = new C(…)`) or the object a project function returns (`subs = attach(http)` with
 * `return { close() { … } }`).
 */
function stopMethodBody(c: ts.Node, sf: ts.SourceFile, resolver: OriginResolver): ts.Node | undefined {
  if (!ts.isCallExpression(c) || !ts.isPropertyAccessExpression(c.expression) || !STOPS.has(c.expression.name.text)) return undefined;
  const recv = stripParens(c.expression.expression);
  const made = ts.isIdentifier(recv) ? madeInto(sf, recv, resolver) : undefined;
  const callee = made && (ts.isIdentifier(made.expression) ? made.expression : ts.isPropertyAccessExpression(made.expression) ? made.expression.name : undefined);
  const decl = callee && resolver.targetOf(callee)?.declarations?.[0];
  if (!decl || decl.getSourceFile().isDeclarationFile) return undefined;
  const name = c.expression.name.text;
  const named = (m: ts.Node) => !!(m as ts.NamedDeclaration).name && (m as ts.NamedDeclaration).name!.getText() === name;
  if (ts.isNewExpression(made!)) {
    return ts.isClassLike(decl) ? decl.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && named(m))?.body : undefined;
  }
  const fn = ts.isFunctionDeclaration(decl) ? decl : ts.isVariableDeclaration(decl) ? inlineFunction(decl.initializer) : undefined;
  // `return { close() {…} }`, also the object the promise it returns resolves with (`resolve({ port, close() {…} })`).
  for (const obj of fn ? handedOutObjects(fn) : []) {
    const member = obj.properties.find(named);
    if (member && ts.isMethodDeclaration(member)) return member.body;
    if (member && ts.isPropertyAssignment(member)) return inlineFunction(member.initializer)?.body;
    // `return { broadcast, close }` naming a function of the factory (`function close() { … }`).
    if (member && ts.isShorthandPropertyAssignment(member) && fn!.body && ts.isBlock(fn!.body)) return localFunction(name, fn!.body)?.body;
  }
  return undefined;
}

/**
 * `await app.close()` of `app = await buildServer()`, a project function that registers (itself, or through a function
 * it calls: `attachDashboard(app, redis)`) a fastify close hook terminating each client of a WebSocketServer:
 * `app.addHook('preClose', async () => { for (const c of wss.clients) c.terminate() })`.
 */
function closedByFactoryHook(c: ts.Node, sf: ts.SourceFile, resolver: OriginResolver): boolean {
  if (!ts.isCallExpression(c) || !ts.isPropertyAccessExpression(c.expression) || !STOPS.has(c.expression.name.text)) return false;
  const recv = stripParens(c.expression.expression);
  const made = ts.isIdentifier(recv) ? madeInto(sf, recv, resolver) : undefined;
  const body = made && ts.isCallExpression(made) ? projectFunctionBody(made, resolver) : undefined;
  return !!body && !!findNode(body, (n) => {
    if (closeHookClosesClients(n)) return true;
    const called = ts.isCallExpression(n) ? projectFunctionBody(n, resolver) : undefined;
    return !!called && !!findNode(called, closeHookClosesClients);
  });
}

/** The body of the project function `call` calls by name (`buildServer()`, `attachDashboard(app, redis)`). */
function projectFunctionBody(call: ts.CallExpression, resolver: OriginResolver): ts.Node | undefined {
  const callee = stripParens(call.expression);
  const decl = ts.isIdentifier(callee) ? resolver.targetOf(callee)?.declarations?.[0] : undefined;
  if (!decl || decl.getSourceFile().isDeclarationFile) return undefined;
  return functionOfDeclaration(decl)?.body;
}

/** `app.addHook('preClose' | 'onClose', async () => { for (const c of wss.clients) c.terminate() })`. */
function closeHookClosesClients(n: ts.Node): boolean {
  if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression) || n.expression.name.text !== 'addHook' || !isStringArg(n.arguments[0], CLOSE_HOOKS)) return false;
  const hook = n.arguments[1] && inlineFunction(n.arguments[1]);
  return !!hook?.body && !!findNode(hook.body, closesEachClient);
}
const CLOSE_HOOKS = new Set(['preClose', 'onClose']);

/** The `new C(…)` or `f(…)` of `x = …` (or `const x = …`) in the file. */
function madeInto(sf: ts.SourceFile, id: ts.Identifier, resolver: OriginResolver): ts.NewExpression | ts.CallExpression | undefined {
  const sym = resolver.symbolOf(id);
  if (!sym) return undefined;
  let made: ts.NewExpression | ts.CallExpression | undefined;
  findNode(sf, (n) => {
    const target = ts.isVariableDeclaration(n) ? n.name : ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken ? n.left : undefined;
    const value = ts.isVariableDeclaration(n) ? n.initializer : ts.isBinaryExpression(n) ? n.right : undefined;
    const v = value && skipOuter(value);
    if (target && v && ts.isIdentifier(target) && resolver.symbolOf(target) === sym && (ts.isNewExpression(v) || ts.isCallExpression(v))) made = v;
    return !!made;
  });
  return made;
}

/** `for (const ws of wss.clients) ws.close()`, `wss.clients.forEach((c) => c.terminate())`. */
function closesEachClient(n: ts.Node): boolean {
  const clients = (e: ts.Expression) => ts.isPropertyAccessExpression(stripParens(e)) && (stripParens(e) as ts.PropertyAccessExpression).name.text === 'clients';
  return callsInLoop(n, WS_CLOSES, clients);
}

const WS_CLOSES = new Set(['close', 'terminate']);

/**
 * `socks.forEach((s) => s.destroy())`, `for (const s of this.sockets) s.end()`, `for (const i in this.clients) this.clients[i].end()`,
 * `server.closeAllConnections()`; and `for (const session of sessions) session.close()` over the HTTP/2 sessions a
 * `'session'` listener of the file collects: `close()` sends GOAWAY, and a Node client session shuts itself down on it.
 */
function dropsEachSocket(body: ts.Node): boolean {
  return !!findNode(body, (n) => dropsEach(n) || callsInLoop(n, SESSION_CLOSES, (e) => collectsSessions(body.getSourceFile(), stripParens(e).getText())));
}

const SESSION_CLOSES = new Set(['close', 'destroy']);

/** `server.on('session', (s) => { sessions.add(s) })`: the file adds each server session to `name`. */
function collectsSessions(sf: ts.SourceFile, name: string): boolean {
  if (!sf.text.includes("'session'") && !sf.text.includes('"session"')) return false;
  return !!findNode(sf, (n) => {
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression) || !LISTEN_METHODS.has(n.expression.name.text) || !isStringArg(n.arguments[0], SESSION_EVENT)) return false;
    const cb = n.arguments[1] && inlineFunction(n.arguments[1]);
    return !!cb?.body && !!findNode(cb.body, (c) => ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && /^(add|push|set)$/.test(c.expression.name.text) && stripParens(c.expression.expression).getText() === name);
  });
}

const SESSION_EVENT = new Set(['session']);

function dropsEach(n: ts.Node): boolean {
  if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'closeAllConnections') return true;
  return callsInLoop(n, DROPS, () => true) || (ts.isForInStatement(n) && callsInLoop(n.statement, DROPS, () => true, true));
}

/**
 * `n` is a loop over a collection `over` accepts (`for … of`, `.forEach(cb)`) whose body calls one of
 * `methods` (`s.destroy()`); with `body`, `n` is such a loop's body already (`for … in`).
 */
function callsInLoop(n: ts.Node, methods: ReadonlySet<string>, over: (e: ts.Expression) => boolean, body = false): boolean {
  const loopBody = body ? n : ts.isForOfStatement(n) && over(n.expression) ? n.statement
    : ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'forEach' && over(n.expression.expression) ? inlineFunction(n.arguments[0])?.body : undefined;
  const calls = (c: ts.Node) => ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && methods.has(c.expression.name.text);
  // The body may be the call itself: `forEach((s) => s.destroy())`.
  return !!loopBody && (calls(loopBody) || !!findNode(loopBody, calls, true));
}
