// What a creating call says about itself and the code around it: a HEAD request (no body), a
// relative URL (browser code), a server given no handler (it serves nothing), a request destroyed.
import { ts } from 'ts-morph';
import { calleeName, enclosingFunction, findNode, isStringArg, stripParens } from './ast';
import { LISTEN_METHODS } from './call-shapes';
import { OriginResolver } from './origins';

/** Request events whose listener is no plan for the response: a failure, or the idle timeout an unread response runs into. */
const NOT_AFTER_RESPONSE = new Set(['error', 'timeout']);
const ERROR_ONLY = new Set(['error']);

/**
 * `fetch(url, { method: 'HEAD' })` has no body to consume; nor does `{ method: m }` inside
 * `if (m === 'HEAD') { … }`, nor what a call given the method as an argument answers (`raw('HEAD', path)`).
 */
export function isHeadRequest(node: ts.CallExpression | ts.NewExpression, optionsOf = (a: ts.Expression): ts.ObjectLiteralExpression | undefined =>
  (ts.isObjectLiteralExpression(a) ? a : undefined)): boolean {
  for (const arg of node.arguments ?? []) {
    // `transport.raw('HEAD', path)`: a helper given the method itself (needle's `needle('head', url)` too).
    if (ts.isStringLiteralLike(stripParens(arg)) && (stripParens(arg) as ts.StringLiteral).text.toUpperCase() === 'HEAD') return true;
    const a = optionsOf(stripParens(arg)); // `{ method: 'HEAD', … } as RequestInit`
    if (!a) continue;
    for (const p of a.properties) {
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === 'method' && guardedAsHead(node, 'method')) return true;
      if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name) || p.name.text !== 'method') continue;
      const v = stripParens(p.initializer);
      if (ts.isStringLiteralLike(v) && v.text.toUpperCase() === 'HEAD') return true;
      if (ts.isIdentifier(v) && guardedAsHead(node, v.text)) return true;
    }
  }
  return false;
}

/**
 * `fetch(url, { headers: { Upgrade: 'websocket' } })`: Cloudflare Workers' way to open a WebSocket, whose
 * answer is a 101 with no body (`resp.webSocket`); Node's fetch rejects the header before any response.
 */
export function isWebSocketUpgradeFetch(node: ts.CallExpression | ts.NewExpression): boolean {
  const options = node.arguments?.[1] && stripParens(node.arguments[1]);
  if (!options || !ts.isObjectLiteralExpression(options)) return false;
  const headers = options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'headers');
  const h = headers && stripParens(headers.initializer);
  return !!h && ts.isObjectLiteralExpression(h) && h.properties.some((p) => ts.isPropertyAssignment(p) &&
    /^['"]?upgrade['"]?$/i.test(p.name.getText()) && ts.isStringLiteralLike(stripParens(p.initializer)) && /^websocket$/i.test((stripParens(p.initializer) as ts.StringLiteral).text));
}

function guardedAsHead(node: ts.Node, name: string): boolean {
  for (let n: ts.Node = node; n.parent && !ts.isFunctionLike(n); n = n.parent) {
    const p = n.parent;
    if (!ts.isIfStatement(p) || p.thenStatement !== n) continue;
    const c = stripParens(p.expression);
    if (ts.isBinaryExpression(c) && (c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken)) {
      const [l, r] = [stripParens(c.left), stripParens(c.right)];
      if ((ts.isIdentifier(l) && l.text === name && ts.isStringLiteralLike(r) && r.text.toUpperCase() === 'HEAD') ||
          (ts.isIdentifier(r) && r.text === name && ts.isStringLiteralLike(l) && l.text.toUpperCase() === 'HEAD')) return true;
    }
  }
  return false;
}

/**
 * The global `fetch` of a URL that starts with `/`: Node's fetch rejects relative URLs ("Failed to
 * parse URL"), so this code runs in a browser, whose connections are not this process's.
 */
export function fetchesRelativeUrl(node: ts.CallExpression | ts.NewExpression): boolean {
  const a = node.arguments?.[0] && stripParens(node.arguments[0]);
  if (!a) return false;
  const head = ts.isStringLiteralLike(a) ? a.text : ts.isTemplateExpression(a) ? a.head.text : undefined;
  return !!head && head.startsWith('/') && !head.startsWith('//');
}

/** Events through which a server receives what it serves. */
export const SERVE_EVENTS = new Set(['request', 'connection', 'secureConnection', 'upgrade', 'connect', 'stream', 'session', 'message', 'checkContinue']);

/** `net.createServer()`, `http.createServer({ keepAlive: true })`: no handler among the arguments. */
export function servesNothing(node: ts.CallExpression | ts.NewExpression): boolean {
  return (node.arguments ?? []).every((a) => ts.isObjectLiteralExpression(stripParens(a)));
}

/** `!res.writableFinished`: the response being served has not been sent to its end. */
function testsUnfinished(e: ts.Expression): boolean {
  const x = stripParens(e);
  if (!ts.isPrefixUnaryExpression(x) || x.operator !== ts.SyntaxKind.ExclamationToken) return false;
  const p = stripParens(x.operand);
  return ts.isPropertyAccessExpression(p) && UNFINISHED.has(p.name.text);
}
const UNFINISHED = new Set(['writableFinished', 'writableEnded', 'finished']);

/**
 * The function that makes the request destroys or aborts it somewhere that runs once the response is
 * there (a timer that is not cleared), outside the response callback. Not an 'error' listener (no error comes of an
 * unread response), nor a timer the response callback clears (`clearTimeout(timer)`): it never fires
 * then. Nor the request's idle timeout (`req.setTimeout(ms, () => req.destroy())`, `on('timeout')`): it
 * fires only once the unread response has held the socket for `ms`, and destroys it instead of
 * handing it back to the agent — the delay and the lost keep-alive connection are the defect.
 */
export function requestDestroyed(node: ts.Node, requests: Set<ts.Symbol>, callback: ts.Node | undefined, resolver: OriginResolver): boolean {
  const fn = enclosingFunction(node);
  if (!fn?.body || !requests.size) return false;
  const cleared = new Set<string>();
  const clears = (c: ts.Node): void => {
    if (ts.isCallExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === 'clearTimeout') {
      const a = c.arguments[0] && stripParens(c.arguments[0]);
      if (a && ts.isIdentifier(a)) cleared.add(a.text);
    }
    ts.forEachChild(c, clears);
  };
  if (callback) clears(callback);
  const isRequest = (e: ts.Expression) => {
    const x = stripParens(e);
    const sym = ts.isIdentifier(x) ? resolver.symbolOf(x) : undefined;
    return !!sym && requests.has(sym);
  };
  // `https.get(u, o, cb).on('error', …).on('timeout', …)`: a listener chained on the request is the request's.
  const isRequestChain = (e: ts.Expression): boolean => {
    let x = stripParens(e);
    while (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && LISTEN_METHODS.has(x.expression.name.text)) x = stripParens(x.expression.expression);
    return x === node || isRequest(x);
  };
  let found = false;
  const visit = (n: ts.Node): void => {
    // In the response callback, the path walker follows a destroy of the request (subject.requests):
    // one in a `res.on('data')` listener registered on the 200 path does not end a redirect's response.
    if (found || n === callback) return;
    // Nor an 'error' listener of another stream (`body.on('error', (err) => req.destroy(err))` of the upload
    // piped into the request): an unread response makes no error there either.
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LISTEN_METHODS.has(n.expression.name.text) &&
        (isRequestChain(n.expression.expression) ? isStringArg(n.arguments[0], NOT_AFTER_RESPONSE) : isStringArg(n.arguments[0], ERROR_ONLY))) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'setTimeout' && isRequest(n.expression.expression)) return;
    // `res.on('close', () => { if (!res.writableFinished) upstream.destroy(); })`: only when the client went away first.
    if (ts.isIfStatement(n) && testsUnfinished(n.expression)) {
      if (n.elseStatement) visit(n.elseStatement);
      return;
    }
    // A timer the response callback clears (`const timer = setTimeout(…)`, or `timer = setTimeout(…)` into a
    // `let`) does not fire once the response is in: its destroy is for a server that never answers.
    const timer = ts.isVariableDeclaration(n) ? [n.name, n.initializer] as const
      : ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken ? [stripParens(n.left), stripParens(n.right)] as const : undefined;
    if (timer && ts.isIdentifier(timer[0]) && cleared.has(timer[0].text) && timer[1] &&
        ts.isCallExpression(timer[1]) && ts.isIdentifier(timer[1].expression) && timer[1].expression.text === 'setTimeout') return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && (n.expression.name.text === 'destroy' || n.expression.name.text === 'abort') &&
        isRequest(n.expression.expression)) found = true;
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

const RESPONSE_EVENT = new Set(['response']);

/**
 * `req.once('response', () => { seen = true; })`: a listener that does not take the response is an
 * observer when the response also reaches other code — another 'response' listener of the same request,
 * or the callback of the call that made it (Node hands the one IncomingMessage to every listener, and one
 * reader is enough) — or when the request was made elsewhere (a parameter, a field: its maker may read
 * it). Only a request made here with no other listener leaves the response to nobody.
 */
export function responseReachesOthers(listener: ts.CallExpression, maker: ts.Node, resolver: OriginResolver): boolean {
  if (maker === listener) return true; // the request was not made here
  if ((ts.isCallExpression(maker) || ts.isNewExpression(maker)) && (maker.arguments ?? []).some((a) => ts.isFunctionLike(stripParens(a)))) return true;
  const recv = ts.isPropertyAccessExpression(listener.expression) ? stripParens(listener.expression.expression) : undefined;
  const sym = recv && ts.isIdentifier(recv) ? resolver.symbolOf(recv) : undefined;
  if (!sym) return true;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n !== listener && ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LISTEN_METHODS.has(n.expression.name.text) &&
        isStringArg(n.arguments[0], RESPONSE_EVENT) && ts.isIdentifier(stripParens(n.expression.expression)) &&
        resolver.symbolOf(stripParens(n.expression.expression) as ts.Identifier) === sym) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(listener.getSourceFile());
  return found;
}

/**
 * The function calls `listen()` (or `listen.bind()`) on something that may be a server it holds: a
 * name, a field, `this`. Not on an object a call has just made (`session.httpEndpoint().listen(false)`
 * of a tunnel SDK, `builder().listen()`), which is no server this function made before.
 */
export function mayListen(fn: ts.Node): boolean {
  return !!findNode(fn, (n) => {
    if (!ts.isPropertyAccessExpression(n) || n.name.text !== 'listen') return false;
    const call = ts.isCallExpression(n.parent) && n.parent.expression === n ? n.parent
      : ts.isPropertyAccessExpression(n.parent) && n.parent.name.text === 'bind' && ts.isCallExpression(n.parent.parent) ? n.parent.parent : undefined;
    return !!call && !ts.isCallOrNewExpression(stripParens(n.expression));
  });
}

/**
 * `onupgrade(server)`: a function of the project, imported by a relative path or declared in the file,
 * whose name says nothing of starting it (`startServer(server)` may well listen).
 */
export function projectCallThatMayNotListen(call: ts.CallExpression | ts.NewExpression, resolver: OriginResolver): boolean {
  const callee = stripParens(call.expression);
  if (!ts.isIdentifier(callee) || /listen|start|serve|run|boot|launch|open|bind|up$/i.test(callee.text)) return false;
  const decl = resolver.symbolOf(callee)?.declarations?.[0];
  if (!decl || decl.getSourceFile().isDeclarationFile) return false;
  if (ts.isFunctionDeclaration(decl) || ts.isVariableDeclaration(decl)) return true;
  const from = ts.isImportClause(decl) ? decl.parent : ts.isImportSpecifier(decl) ? decl.parent.parent.parent : undefined;
  return !!from && ts.isStringLiteral(from.moduleSpecifier) && from.moduleSpecifier.text.startsWith('.');
}

/** `const req = http.get(o, () => { req.destroy() })`: a response callback that destroys (or aborts) its request. */
export function destroysItsRequest(cb: ts.FunctionLikeDeclaration, requests: Set<ts.Symbol>, resolver: OriginResolver): boolean {
  const destroys = (n: ts.Node) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) &&
    (n.expression.name.text === 'destroy' || n.expression.name.text === 'abort') && ts.isIdentifier(n.expression.expression) &&
    requests.has(resolver.symbolOf(n.expression.expression) as ts.Symbol);
  // The findNode walk starts below its root: an arrow's expression body is checked itself.
  return !!cb.body && (destroys(cb.body) || !!findNode(cb.body, destroys));
}

const LOOPBACK_URL = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)([:/]|$)/;

/** The request's URL is written in the call and names this machine: `'http://127.0.0.1:3000/'`, `` `http://localhost:${port}` ``. */
export function requestsLoopback(request: ts.CallExpression | ts.NewExpression): boolean {
  const url = request.arguments?.[0] && stripParens(request.arguments[0]);
  const text = url && (ts.isStringLiteralLike(url) ? url.text : ts.isTemplateExpression(url) ? url.head.text : undefined);
  return text !== undefined && LOOPBACK_URL.test(text);
}

/**
 * The call that makes a resource handed to a callback, where its finding goes: `https.get(u, cb)`
 * itself, or for a listener (`req.once('response' | 'connect', cb)`) the call that made `req` — not
 * the callback's parameter, often lines below.
 */
export function makerOf(node: ts.CallExpression | ts.NewExpression, receiver: ts.Expression | undefined, resolver: OriginResolver): ts.Node {
  if (!LISTEN_METHODS.has(calleeName(node) ?? '')) return node; // `pool.getConnection(cb)`: that call
  const recv = receiver && stripParens(receiver);
  const decl = recv && ts.isIdentifier(recv) ? resolver.symbolOf(recv)?.valueDeclaration : undefined;
  const init = decl && ts.isVariableDeclaration(decl) && decl.initializer && stripParens(decl.initializer);
  const made = (e: ts.Expression) => ts.isCallExpression(e) || ts.isNewExpression(e);
  // `const req = secure ? https.request(u, o) : http.request(u, o)`: the choice between two makers.
  return init && (made(init) || (ts.isConditionalExpression(init) && made(stripParens(init.whenTrue)) && made(stripParens(init.whenFalse)))) ? init : node;
}
