// What a call or an expression means to the path walker whatever the resource: a promise that cannot
// reject, a listener that runs only if something goes wrong, a callback that continues the work once,
// an agent in a request's options, a null test.
import { ts } from 'ts-morph';
import { calleeName, enclosingFunction, findNode, FnLike, functionName, importedFrom, isStringArg, promiseExecutor, stripParens } from './ast';
import { connectsOnce, namedForRelease, ResourceKind } from './kinds';
import { keyedBy } from './lookups';
import { CREATORS } from './catalog';

/** Callees that look at a value without taking ownership of it. */
export const NON_OWNING_CALLS = new Set([
  'log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'inspect', 'format', 'stringify', 'once',
  'assert', 'ok', 'equal', 'strictEqual', 'deepEqual', 'deepStrictEqual', 'notEqual', 'notStrictEqual',
  'String', 'Number', 'Boolean', 'isArray', 'keys', 'expect', 'is', 'same', 'notSame', 'instanceOf',
  // Matchers compare the value they are given (`expect(e.target).toBe(ws)`); readline reads its `input`
  // and never closes it (`rl.close()` only pauses the stream).
  'toBe', 'toEqual', 'toStrictEqual', 'toBeInstanceOf', 'toMatchObject', 'toContain', 'toHaveBeenCalledWith', 'createInterface',
  // `getSignedUrl(s3, command, o)` of @aws-sdk/s3-request-presigner reads the client's configuration and credentials.
  'getSignedUrl',
]);

/**
 * The call looks at `arg` without taking it (NON_OWNING_CALLS). `once` is `events.once(emitter, 'close')`,
 * which waits on its first argument; a local `once = _.once(cb)` called `once(null, conn)` is a
 * completion callback, which takes what it is given.
 */
export function isNonOwningCall(call: ts.CallExpression | ts.NewExpression, arg: ts.Node): boolean {
  const name = calleeName(call);
  const args = call.arguments ?? [];
  if (name && args[0] && stripParens(args[0]) === stripParens(arg as ts.Expression) && keyedBy(call, name)) return true;
  // `client.getState.bind(client)`: the client is the `this` of one of its own methods, which calls it and keeps nothing.
  // So with `fn.call(client, req, cb)` of `const fn = client[method]`, a promisified call of a gRPC client's method.
  if (name && THIS_BINDERS.has(name) && args[0] && stripParens(args[0]) === stripParens(arg as ts.Expression) && boundToOwnMethod(call)) return true;
  if (!name || !NON_OWNING_CALLS.has(name)) return false;
  return name !== 'once' || (args.length >= 2 && stripParens(args[0]) === stripParens(arg as ts.Expression));
}

const THIS_BINDERS = new Set(['bind', 'call', 'apply']);

/** `x.method.bind(x)`, `(x as Stubs)[m].bind(x)`, `fn.call(x)` of `const fn = x[m]`: bound to a method of the very object it binds. */
function boundToOwnMethod(call: ts.CallExpression | ts.NewExpression): boolean {
  const callee = stripParens(call.expression);
  const bound = call.arguments?.[0] && stripParens(call.arguments[0]);
  if (!ts.isPropertyAccessExpression(callee) || !bound || !ts.isIdentifier(bound)) return false;
  const method = ts.isIdentifier(callee.expression) ? constMemberOf(callee.expression) : promisified(callee.expression);
  let recv: ts.Expression = method ?? callee.expression;
  while (ts.isPropertyAccessExpression(recv) || ts.isElementAccessExpression(recv) || ts.isParenthesizedExpression(recv) || ts.isAsExpression(recv)) recv = recv.expression;
  return recv !== (method ?? callee.expression) && ts.isIdentifier(recv) && recv.text === bound.text;
}

/** `plant.query` of `promisify(plant.query)` (node:util): a method of the object, promisified. */
function promisified(e: ts.Expression): ts.Expression | undefined {
  const x = stripParens(e);
  const arg = ts.isCallExpression(x) && calleeName(x) === 'promisify' && x.arguments.length === 1 ? stripParens(x.arguments[0]) : undefined;
  return arg && (ts.isPropertyAccessExpression(arg) || ts.isElementAccessExpression(arg)) ? arg : undefined;
}

/** `fn` of `const fn = client[method] as Handler` in the function around it: the member it reads. */
function constMemberOf(id: ts.Identifier): ts.Expression | undefined {
  const fn = enclosingFunction(id);
  const decl = fn?.body && findNode(fn.body, (n) => ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === id.text && !!n.initializer &&
    !!(ts.getCombinedNodeFlags(n) & ts.NodeFlags.Const)) as ts.VariableDeclaration | undefined;
  let init = decl?.initializer;
  while (init && (ts.isAsExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
  return init && (ts.isElementAccessExpression(init) || ts.isPropertyAccessExpression(init)) ? init : undefined;
}

/** `createInterface({ input: socket })`, `log({ socket })`: an argument (an options literal) of a call that owns nothing. */
export const isNonOwningArgument = (e: ts.Node): boolean => ts.isCallExpression(e.parent) && e.parent.arguments.includes(e as ts.Expression) && isNonOwningCall(e.parent, e);

/**
 * `new WebSocketServer({ server })` of ws: an option that makes the call no creator (CreatorSpec.notWithOptions) lends
 * what it names to an object that does not own it; ws's `close()` closes neither that server nor its clients
 * (lib/websocket-server.js). Told from the import, for code that has no resolver at hand (field and parameter uses).
 */
export function lentToWebSocketServer(prop: ts.Node): boolean {
  if (!(ts.isShorthandPropertyAssignment(prop) || ts.isPropertyAssignment(prop)) || !ts.isIdentifier(prop.name)) return false;
  const option = prop.name.text;
  const made = prop.parent.parent;
  if (!made || !ts.isNewExpression(made) || made.arguments?.[0] !== prop.parent) return false;
  const callee = stripParens(made.expression);
  const root = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  const module = ts.isIdentifier(root) ? importedFrom(prop.getSourceFile(), root.text) : undefined;
  return !!module && CREATORS.some((c) => c.via === 'new' && !!c.notWithOptions?.includes(option) && c.modules.includes(module) && c.names.includes(name));
}

/**
 * `createAdapter(pub, sub)` of socket.io's adapters (`@socket.io/redis-adapter`, `-postgres-adapter`…)
 * subscribes with the clients it is given and never quits them: its owner still has to.
 */
export function lentToAdapter(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isIdentifier(callee) || callee.text !== 'createAdapter') return false;
  return /^(@socket\.io\/[\w-]+-adapter|socket\.io-redis)$/.test(importedFrom(call.getSourceFile(), callee.text) ?? '');
}

/** Methods that return the object they are called on, so a chain keeps the same resource. */
export const CHAINABLE = new Set([
  'on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'off', 'removeListener', 'setTimeout', 'listen',
  'setKeepAlive', 'setNoDelay', 'setEncoding', 'ref', 'unref', 'pause', 'setMaxListeners',
]);

/**
 * Methods that register a listener: EventEmitter's, and EventTarget's `addEventListener` (a WHATWG or
 * ws WebSocket: `ws.addEventListener('error', …)` is `ws.on('error', …)` there).
 */
export const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener']);
/** Methods that take a listener off: the function they are given is not run. */
export const UNLISTEN_METHODS = new Set(['off', 'removeListener', 'removeAllListeners', 'removeEventListener']);
/** The 'error' event, as an `isStringArg` set. */
export const ERROR_EVENT: ReadonlySet<string> = new Set(['error']);
/** A WebSocket that emitted one of these never opened or is closed (ws: 'unexpected-response' is a refused upgrade). */
export const WS_FAILED: ReadonlySet<string> = new Set(['error', 'unexpected-response']);
/** Events after which the resource is open: a listener for one continues the work once connected. */
/** `http.createServer((req, res) => …)`, `net.createServer((socket) => …)`: the handler is the server's listener for each request or connection. */
export const SERVER_CREATORS = new Set(['createServer', 'createSecureServer']);
export const CONNECT_EVENTS = new Set(['connect', 'listening', 'ready', 'open', 'secureConnect', 'upgrade', 'online']);

/** `conn.on('ready', f).on('error', g)` → `conn`: the object a chain of CHAINABLE calls starts from (each returns it). */
export function chainRoot(e: ts.Expression): ts.Expression {
  let x = stripParens(e);
  while (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && CHAINABLE.has(x.expression.name.text)) x = stripParens(x.expression.expression);
  return x;
}

/** The events a client connection emits once it is connected (not a server's: its 'connect' is a CONNECT request). */
const CLIENT_CONNECT_EVENTS: ReadonlySet<string> = new Set(['connect', 'ready', 'open', 'secureConnect']);

/** `conn.on('ready', …)` on a `kind` that connects once (kinds.ts): the listener runs once, when the work can go on. */
export function isOneTimeConnectListener(call: ts.Node, kind: ResourceKind): call is ts.CallExpression {
  return ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && LISTEN_METHODS.has(call.expression.name.text) &&
    isStringArg(call.arguments[0], CLIENT_CONNECT_EVENTS) && connectsOnce(kind);
}

/**
 * `conn.on('ready', onReady); conn.connect(opts)`: the one-time connect listeners this function's own
 * code registers on the resource before the call that opens it (chained ones are chainCalls' own).
 */
export function connectListenersBefore(body: ts.Node, opening: ts.Node, kind: ResourceKind, isHandle: (e: ts.Expression) => boolean): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (n.pos >= opening.pos || ts.isFunctionLike(n)) return;
    if (isOneTimeConnectListener(n, kind) && isHandle(chainRoot((n.expression as ts.PropertyAccessExpression).expression))) found.push(n);
    ts.forEachChild(n, visit);
  };
  if (connectsOnce(kind)) ts.forEachChild(body, visit);
  return found;
}

/**
 * `stream.on('response', …).on('data', …)`: code of `body` outside `listener` reads (or closes) the
 * resource too. With `otherFunctions`, only in another function than the listener and those around it
 * (`conn.on('error', () => conn.end())`), one that may run instead of it: the code around it ran before.
 */
export function releasedOutside(body: ts.Node, listener: ts.Node, releasesHere: (n: ts.CallExpression) => boolean, otherFunctions = false): boolean {
  let found = false;
  const visit = (n: ts.Node, counts: boolean): void => {
    if (found || n === listener) return;
    if (counts && ts.isCallExpression(n) && releasesHere(n)) found = true;
    else ts.forEachChild(n, (c) => visit(c, counts || (ts.isFunctionLike(c) && !(c.pos <= listener.pos && listener.end <= c.end))));
  };
  visit(body, !otherFunctions);
  return found;
}

/**
 * `socket.once('close', () => reject(new Error('closed while waiting for a reply')))`: a listener that
 * only fails what waits (a rejection, an error to a callback, a throw), so the close is not what the
 * code waits for: it still holds the resource on the path that succeeds.
 */
export function onlyFails(listener: ts.Expression | undefined): boolean {
  const f = listener && stripParens(listener);
  if (!f || !(ts.isArrowFunction(f) || ts.isFunctionExpression(f))) return false;
  const steps = ts.isBlock(f.body) ? [...f.body.statements] : [f.body];
  const isError = (a: ts.Expression) => ts.isNewExpression(stripParens(a)) && /Error$/.test((stripParens(a) as ts.NewExpression).expression.getText());
  let fails = false;
  for (const st of steps) {
    if (ts.isThrowStatement(st)) { fails = true; continue; }
    const e = ts.isExpressionStatement(st) ? st.expression : ts.isExpression(st) ? st : undefined;
    if (!e || !ts.isCallExpression(e)) return false;
    const name = calleeName(e) ?? '';
    if (/^(reject|fail)$/.test(name) || (e.arguments[0] && isError(e.arguments[0]))) fails = true;
    else if (/^(resolve|done|next|callback|cb|finish)$/.test(name)) return false;
  }
  return fails;
}

/** Calls that make one request: an agent in their options serves that request and stays with its owner. */
const REQUEST_CALLS = new Set(['get', 'request', 'fetch', 'post', 'put', 'patch', 'delete', 'head', 'stream', 'got']);
const AGENT_OPTIONS = new Set(['agent', 'dispatcher', 'httpAgent', 'httpsAgent']);

export function isRequestOptions(obj: ts.ObjectLiteralExpression): boolean {
  const call = obj.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(obj)) return false;
  const name = calleeName(call);
  return !!name && REQUEST_CALLS.has(name) &&
    obj.properties.some((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && ts.isIdentifier(p.name) && AGENT_OPTIONS.has(p.name.text));
}

/** `coll.find(q, { session })`: the option `name` (KindSpec.runsInOption) of an operation's options, which runs it in the resource. */
export function isRunsInOption(p: ts.ObjectLiteralElementLike, name: string | undefined): boolean {
  const obj = p.parent;
  return !!name && p.name?.getText() === name && ts.isObjectLiteralExpression(obj) && ts.isCallExpression(obj.parent) && obj.parent.arguments.includes(obj);
}

/** `once(server, 'listening')`, `events.once(ws, 'message')`: waits for an event of the resource `n`, hands it to nobody. */
export function waitsForEvent(p: ts.Node, n: ts.Node): boolean {
  return ts.isCallExpression(p) && p.arguments[0] === n && calleeName(p) === 'once' && !!p.arguments[1] && ts.isStringLiteralLike(p.arguments[1]);
}

/** Functions whose whole work is closing things: `shutdown(listener, socket)`, `teardown()`, `closeAll()`. */
const CLEANUP_FUNCTION = /^(shutdown|cleanup|teardown|stop|dispose|closeAll|disconnectAll)/i;

/**
 * `finally { await sink.close(); await producer.disconnect() }`: a cleanup block (or a cleanup
 * function: `async function shutdown(listener, socket) { await listener.close(); socket.close() }`)
 * closing another resource. Its rejection (a close that fails) is not a path of the code's work, and
 * a linter that asked for each close to be wrapped against the one before it would be noise.
 */
export function closesOtherInCleanup(operand: ts.Expression): boolean {
  const e = stripParens(operand);
  // `x.close()`, `pools.closeAll()`, or a function named for closing (`closeGeocoderPool(geocoder)`, `disconnectAll()`).
  const closing = ts.isCallExpression(e) ? calleeName(e) : undefined;
  if (!closing || !namedForRelease(closing)) return false;
  let n: ts.Node = e;
  for (; n.parent && !ts.isFunctionLike(n); n = n.parent) {
    if (ts.isTryStatement(n.parent) && n.parent.finallyBlock === n) return true;
  }
  const name = ts.isFunctionLike(n) ? functionName(n) : undefined;
  return !!name && CLEANUP_FUNCTION.test(name);
}

/** Events that fire only when something goes wrong: a listener for one is not the normal path. */
const CONDITIONAL_EVENTS = new Set(['error', 'timeout', 'unexpected-response', 'aborted', 'abort', 'clientError', 'tlsClientError']);

/** `x.on('error', fn)`: a listener that runs only if the connection fails or idles. */
export function isConditionalListener(call: ts.CallExpression | ts.NewExpression): boolean {
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return false;
  if (!LISTEN_METHODS.has(call.expression.name.text) && call.expression.name.text !== 'setTimeout') return false;
  const event = call.arguments[0];
  // `s.setTimeout(ms, onTimeout)` registers a 'timeout' listener.
  if (call.expression.name.text === 'setTimeout') return call.arguments.length >= 2;
  return isStringArg(event, CONDITIONAL_EVENTS);
}

/**
 * A callback given to a method of the resource that calls it back once (not an event listener), or a
 * one-shot listener for its connect event (`s.once('secureConnect', …)`): the work continues there once
 * connected, so a path of it that leaves without closing is this resource's leak.
 */
export function isContinuation(call: ts.CallExpression | ts.NewExpression): boolean {
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return false;
  const m = call.expression.name.text;
  if (m === 'once' && isStringArg(call.arguments[0], CONNECT_EVENTS)) return true;
  return !LISTEN_METHODS.has(m) && m !== 'then' && m !== 'catch' && m !== 'finally';
}


/** `s = net.connect(b)` replaces the value; `s = await ready` (a promise of the same socket) may not. */
export function makesNewValue(e: ts.Expression): boolean {
  let x = stripParens(e);
  if (ts.isAwaitExpression(x)) x = stripParens(x.expression);
  return ts.isCallExpression(x) || ts.isNewExpression(x);
}

/**
 * The creating call under `await`, chains that return the same object (`.on(…)`, `.listen(…)`), promise
 * chains (`.then()`, `.catch()`, `.finally()`) and a `.connect()` on a new object:
 * `this.ws = (await open()).on('error', log)`, `server = http.createServer(app).listen(0)`.
 */
const SELF_OPENERS = new Set(['connect', 'asPromise', 'initialize']);
export function creationUnder(e: ts.Expression): ts.CallExpression | ts.NewExpression | undefined {
  let x = stripParens(e);
  for (;;) {
    if (ts.isAwaitExpression(x)) { x = stripParens(x.expression); continue; }
    if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression)) {
      const m = x.expression.name.text;
      const recv = stripParens(x.expression.expression);
      // `createConnection(url).asPromise()` of mongoose, `new DataSource(o).initialize()`: openers that resolve to what they open.
      if (CHAINABLE.has(m) || m === 'then' || m === 'catch' || m === 'finally' || (SELF_OPENERS.has(m) && ts.isCallOrNewExpression(recv))) {
        x = recv;
        continue;
      }
    }
    return ts.isCallExpression(x) || ts.isNewExpression(x) ? x : undefined;
  }
}

/**
 * `secure ? tls.connect(o) : net.connect(o)`, `opts.legacyUrl ? new MongoClient(opts.legacyUrl) : null`: a creation on
 * a branch of a conditional (the first, when both make one).
 */
export function onEitherBranch(e: ts.Expression): ts.CallExpression | ts.NewExpression | undefined {
  const x = stripParens(e);
  return ts.isConditionalExpression(x) ? creationUnder(x.whenTrue) ?? creationUnder(x.whenFalse) : undefined;
}

/** `createClient({ url }).connect()`: one of `methods` called on the value as it is made. */
export function chainedCall(node: ts.Expression, methods: string[]): ts.CallExpression | undefined {
  let e: ts.Node = node;
  while (ts.isParenthesizedExpression(e.parent) || ts.isAsExpression(e.parent) || ts.isNonNullExpression(e.parent)) e = e.parent;
  const p = e.parent;
  return ts.isPropertyAccessExpression(p) && p.expression === e && methods.includes(p.name.text) && ts.isCallExpression(p.parent) &&
    p.parent.expression === p ? p.parent : undefined;
}

/** `http.createServer(app).on('error', fail).listen(0)`: a `listen()` call on the value on its way to `at`. */
export function listensInChain(node: ts.Expression, at: ts.Node): boolean {
  for (let n: ts.Node = node; n !== at && n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === n && p.name.text === 'listen' && ts.isCallExpression(p.parent) && p.parent.expression === p) return true;
  }
  return false;
}

/** The methods of a promise that take its callbacks. */
export const PROMISE_CALLBACKS: ReadonlySet<string> = new Set(['then', 'catch', 'finally']);

export function isPromiseChained(call: ts.Node): boolean {
  const p = call.parent;
  return ts.isPropertyAccessExpression(p) && p.expression === call && PROMISE_CALLBACKS.has(p.name.text);
}

/**
 * A `function` given to the creator calls a release method on `this` (the resource, in its own
 * listener); with `getsIt`, on the listener's first parameter too (`http2.connect(url, (session) => session.close())`).
 */
export function listenerClosesThis(node: ts.Expression, release: string[], getsIt = false): boolean {
  const args = ts.isCallExpression(node) || ts.isNewExpression(node) ? node.arguments ?? [] : [];
  return args.some((a) => {
    const f = stripParens(a);
    if (!ts.isFunctionExpression(f) && !(getsIt && ts.isArrowFunction(f))) return false;
    const param = getsIt && f.parameters[0] && ts.isIdentifier(f.parameters[0].name) ? f.parameters[0].name.text : undefined;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found || (ts.isFunctionLike(n) && !ts.isArrowFunction(n))) return;
      const m = ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) ? n.expression : undefined;
      if (m && release.includes(m.name.text) &&
          (m.expression.kind === ts.SyntaxKind.ThisKeyword || (!!param && ts.isIdentifier(m.expression) && m.expression.text === param))) found = true;
      else ts.forEachChild(n, visit);
    };
    visit(f.body);
    return found;
  });
}

/** `const t = setTimeout(…)` (or `setInterval`) with a `clearTimeout(t)` / `clearInterval(t)` in `body`. */
export function isClearedTimer(call: ts.CallExpression | ts.NewExpression, body: ts.Node, ownCode = false): boolean {
  const name = calleeName(call);
  if (name !== 'setTimeout' && name !== 'setInterval') return false;
  let e: ts.Node = call;
  while (ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const holder = ts.isVariableDeclaration(e.parent) && ts.isIdentifier(e.parent.name) ? e.parent.name.text
    : ts.isBinaryExpression(e.parent) && ts.isIdentifier(e.parent.left) ? e.parent.left.text : undefined;
  // Cleared only in an 'error' listener (`socket.on('error', () => { clearTimeout(timer); … })`): on the normal path it fires.
  return !!holder && clearsTimer(body, holder, true, ownCode);
}

/** The functions that cancel a timer. */
export const TIMER_CLEARS: ReadonlySet<string> = new Set(['clearTimeout', 'clearInterval', 'clearImmediate']);
/** Calls that run their first argument once, later (`setTimeout(connect, d)`). */
export const ONE_SHOT_TIMERS: ReadonlySet<string> = new Set(['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask']);

/**
 * `clearTimeout(timer)` (or `clearInterval`) somewhere under `body`; with `normalPath`, not in a listener of a failure only;
 * with `ownCode`, in `body`'s own code (`finally { clearTimeout(connectTimer) }`), not in a function nested there.
 */
export function clearsTimer(body: ts.Node, holder: string, normalPath = false, ownCode = false): boolean {
  return !!findNode(body, (n) => ts.isCallExpression(n) && TIMER_CLEARS.has(calleeName(n) ?? '') && !!n.arguments[0] &&
    ts.isIdentifier(stripParens(n.arguments[0])) && (stripParens(n.arguments[0]) as ts.Identifier).text === holder && !(normalPath && inFailureListener(n, body)), ownCode);
}

/** `n` runs in a function given to an 'error' (or other failure) listener under `body`. */
function inFailureListener(n: ts.Node, body: ts.Node): boolean {
  for (let p: ts.Node = n; p !== body && p.parent; p = p.parent) {
    if (ts.isFunctionLike(p) && ts.isCallExpression(skipParensUp(p).parent) && isConditionalListener(skipParensUp(p).parent as ts.CallExpression)) return true;
  }
  return false;
}

/** The outermost parenthesized expression around `n`. */
export function skipParensUp(n: ts.Node): ts.Node {
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  return n;
}

/** `f(x);`, `await f(x);`: the call's value goes nowhere. */
export function resultDropped(call: ts.Node): boolean {
  const p = skipParensUp(call).parent;
  return ts.isExpressionStatement(ts.isAwaitExpression(p) || ts.isVoidExpression(p) ? skipParensUp(p).parent : p);
}

/** Array methods that call their callback (for each element, or until one answers) before they return. */
export const ARRAY_CALLBACKS = new Set(['map', 'forEach', 'filter', 'flatMap', 'reduce', 'some', 'every', 'find', 'findIndex']);
/** Array methods that run their callback once for every element. */
export const PER_ELEMENT = new Set(['map', 'forEach', 'flatMap']);

/**
 * The function whose call `n` is part of: out of the promise executors and the array callbacks around it, which run
 * there and then (`peers.map((peer) => new Promise((resolve) => { … }))`).
 */
export function owningFunction(n: ts.Node): FnLike | undefined {
  let fn = enclosingFunction(n);
  while (fn && (promiseExecutor(fn.parent) === fn || elementCallback(fn))) fn = enclosingFunction(fn);
  return fn;
}

/** `peers.map((peer) => …)`: a callback an array method runs for each element, there and then. */
export function elementCallback(fn: ts.Node): boolean {
  const call = skipParensUp(fn).parent;
  return ts.isCallExpression(call) && call.arguments.includes(skipParensUp(fn) as ts.Expression) && PER_ELEMENT.has(calleeName(call) ?? '');
}

/**
 * `await session.withTransaction(async () => { await client.db(n)… })`, `ids.map((id) => client.get(id))`: a call that
 * runs its callback before it settles or returns (an awaited one, an array method), the callback using the resource in
 * its own body, not in functions it makes (route handlers a plugin registers live on), keeps nothing.
 */
export function runsInPlace(call: ts.CallExpression | ts.NewExpression, fn: ts.SignatureDeclaration, isAlias: (n: ts.Node) => boolean): boolean {
  if (!ts.isCallExpression(call) || !('body' in fn) || !fn.body) return false;
  const name = calleeName(call);
  const arrayMethod = !!name && ARRAY_CALLBACKS.has(name) && ts.isPropertyAccessExpression(call.expression);
  if (!arrayMethod && !ts.isAwaitExpression(skipParensUp(call).parent)) return false;
  // One walk: a name of the resource inside a function the callback makes.
  const inNested = (n: ts.Node): boolean => {
    for (let p = n.parent; p && p !== fn; p = p.parent) if (ts.isFunctionLike(p)) return true;
    return false;
  };
  return !findNode(fn.body as ts.Node, (n) => ts.isIdentifier(n) && isAlias(n) && inNested(n));
}

/** `stream.once('response', …)` (or `on`): the response event of a got stream, which fires once. */
export function isResponseEvent(call: ts.CallExpression | ts.NewExpression): boolean {
  return ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && ['on', 'once'].includes(call.expression.name.text) &&
    isStringArg(call.arguments[0], RESPONSE_EVENT);
}

const RESPONSE_EVENT = new Set(['response']);

/** A body that ends in a `throw` it cannot skip: no `return` or `try` before it (nested functions aside). */
export function alwaysThrows(body: ts.ConciseBody): boolean {
  if (!ts.isBlock(body)) return false;
  const last = body.statements[body.statements.length - 1];
  if (!last || !ts.isThrowStatement(last)) return false;
  let escapes = false;
  const visit = (n: ts.Node): void => {
    if (escapes || ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) || ts.isTryStatement(n)) escapes = true;
    else ts.forEachChild(n, visit);
  };
  body.statements.forEach(visit);
  return !escapes;
}

/**
 * The creator and the calls its receiver chain is made of: in `http.createServer(onRequest).listen(0)`
 * the server comes from `listen`, and `onRequest` runs while it is open as much as a listen callback does.
 */
export function chainCalls(n: ts.CallExpression | ts.NewExpression): (ts.CallExpression | ts.NewExpression)[] {
  const calls: (ts.CallExpression | ts.NewExpression)[] = [n];
  let e: ts.Expression = n.expression;
  while (ts.isPropertyAccessExpression(e)) {
    const receiver = stripParens(e.expression);
    if (!ts.isCallExpression(receiver) && !ts.isNewExpression(receiver)) break;
    calls.push(receiver);
    e = receiver.expression;
  }
  return calls;
}

/**
 * `addRequest(request, options)` of an http.Agent (a proxy agent of the project): Node hands the agent
 * each request its caller made, and the caller owns the response — a `'response'` listener the agent
 * adds there only looks at it (global-agent logs its status).
 */
export function isAgentsRequest(recv: ts.Expression, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  const e = stripParens(recv);
  const decl = ts.isIdentifier(e) ? symbolOf(e)?.declarations?.[0] : undefined;
  const fn = decl && ts.isParameter(decl) ? decl.parent : undefined;
  return !!fn && ts.isMethodDeclaration(fn) && ts.isIdentifier(fn.name) && fn.name.text === 'addRequest' && fn.parameters[0] === decl;
}
