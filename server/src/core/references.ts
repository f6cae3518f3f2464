// How code refers to one subject and what it does to it: the names and expressions that are the
// resource, the calls that release it, the closures that release or capture it, and the `await`s that
// are its own connect step. The path walker asks; this module reads the syntax.
import { readerStopsEarly } from './body-readers';
import { ts } from 'ts-morph';
import { readsStreamToEnd, RELEASING_CALLS } from './catalog';
import { asksHalfOpen, lentToCreator } from './creator-options';
import { reopensAfter } from './reopening-listeners';
import { calleeName, constInitializer, findNode, isEventName, isStringArg, skipOuter, stripParens, yieldsAfter } from './ast';
import { CHAINABLE, CONNECT_EVENTS, ERROR_EVENT, isRequestOptions, isRunsInOption, isNonOwningCall, LISTEN_METHODS, onlyFails, UNLISTEN_METHODS, WS_FAILED } from './call-shapes';
import { FlowOracle, Subject } from './subject';
import { finishesTest } from './test-finishers';
import { inTestCode } from './execution';
import { abortsTheWait, FAILED_OR_CLOSED, GONE_EVENTS, rejectsOnlyOnOwnError, SELF_DESTROYING, settlesAwaitedPromise, timeoutRejectsWhileOpening } from './awaited-events';
import { isSupertestRequest } from './supertest';
import { callbackExitsProcess } from './process-exit';
import { endsNot, pipeFailureIn, waitsForEndOf } from './pipes';
import { findProp } from './syntax';
import { StateTests } from './state-tests';
import { awaitsCloseSpy } from './close-spies';
import { awaitedOnly } from './sink-patterns';

/** Handing these a closure runs it later without keeping the resource alive elsewhere. */
export const CLOSURE_RUNNERS = new Set(['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask', 'Promise', 'then', 'catch', 'finally', 'once']);
/** Hand-overs even from a function that otherwise closes the resource itself. */
export const TRANSFER_CALLS = new Set(['resolve', 'push', 'unshift', 'add', 'set', 'emit', 'callback', 'cb', 'done', 'next', 'adopt', 'handleUpgrade']);
// mongoose's `conn.asPromise()` rejects when the first connect fails, after the driver closed its topology. A project
// object's `init()` or `initialize()` that rejects has opened nothing its caller could close (`await indexer.init()`).
const CONNECT_METHODS = new Set(['connect', 'listen', 'ready', 'open', 'start', 'waitForConnect', 'isReady', 'login', 'asPromise', 'init', 'initialize']);
const READY_PROMISES = new Set(['ready', 'connected', 'opened', 'whenReady', 'connecting']);
const CONSUME_EVENTS = new Set(['data', 'readable']), REQUEST_RELEASE = new Set(['destroy', 'abort']);
// What closes a resource with its maker (subject.requests, closedWithItsMaker): an AMQP channel's connection's close, a mysql pool's `end()`.
const OWNER_RELEASE: Partial<Record<string, Set<string>>> = { 'amqp-channel': new Set(['close']), 'pool-checkout': new Set(['end']) };
const CONSUMERS = new Set(['pipeline', 'finished', 'instantiateStreaming', 'compileStreaming']); // read a stream or a response to its end
const CLOSE_EVENT = new Set(['close']), SIO_DISCONNECT = new Set(['disconnect']);
/** Calls that stop listening to a connection and leave it open. */
const DETACH_METHODS = new Set(['unsubscribe', 'punsubscribe', 'sUnsubscribe', 'sunsubscribe', 'pUnsubscribe', 'off', 'removeListener', 'removeAllListeners', 'removeEventListener']);
/** The names of functions that return a promise of an emitter's next event: `once`, `pEvent`, `waitFor`, `nextEvent`, @xmpp/events' `promise`… */
const EVENT_WAITS = /^(once|wait|until|next|await|promise$)|event$/i;

export class SubjectRefs {
  readonly names: Set<string>;
  /** Events after which the resource is closed whoever closed it (see KindSpec.closedBy). */
  readonly closedBy: Set<string>;
  /** Conditions and assertions about its state (state-tests.ts). */
  readonly states: StateTests;

  constructor(readonly subject: Subject, private oracle: FlowOracle) {
    this.states = new StateTests(subject, (n) => this.isAlias(n), (n) => this.isRequest(n), (n) => this.oracle.symbolOf(n), (n) => this.isHandle(n));
    this.names = new Set([...subject.aliases, ...subject.releaseFns, ...subject.requests].map((s) => s.getName()));
    const halfOpen = subject.halfOpen || (subject.creation && asksHalfOpen(subject.creation)); // allowHalfOpen: its 'end' closes nothing
    this.closedBy = new Set((subject.spec.closedBy ?? []).filter((e) => !(halfOpen && e === 'end')));
  }

  /** An identifier bound to the resource, or `this` inside a listener of it. */
  isAlias(node: ts.Node): boolean {
    if (node.kind === ts.SyntaxKind.ThisKeyword) return this.thisIsResource(node);
    if (!ts.isIdentifier(node) || !this.names.has(node.text)) return false;
    const sym = this.oracle.symbolOf(node);
    return !!sym && this.subject.aliases.has(sym);
  }

  /** A reference to the resource or to a callback that releases it. */
  isReference(node: ts.Node): boolean {
    if (node.kind === ts.SyntaxKind.ThisKeyword) return this.thisIsResource(node);
    if (!ts.isIdentifier(node) || !this.names.has(node.text)) return false;
    const sym = this.oracle.symbolOf(node);
    return !!sym && (this.subject.aliases.has(sym) || this.subject.releaseFns.has(sym) || this.subject.requests.has(sym));
  }

  /** `x`, `x.body` for responses, or a chained call that returns `x` (`x.listen(port)`): a handle on the resource. */
  isHandle(node: ts.Expression): boolean {
    const e = skipOuter(node);
    if (this.isAlias(e)) return true;
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && CHAINABLE.has(e.expression.name.text)) {
      return this.isHandle(e.expression.expression);
    }
    const body = this.subject.bodyProperty;
    return !!body && ts.isPropertyAccessExpression(e) && e.name.text === body && this.isAlias(skipOuter(e.expression));
  }

  /** `new Queue('jobs', { connection: redis })`: the creator uses the client it is given and leaves it to its owner. */
  lentToCreator = (p: ts.ObjectLiteralElementLike): boolean => lentToCreator(p, (e) => this.oracle.originOf(e));

  /** The expression hands over the resource: the handle, an object/array literal holding it, a promise resolving to it. */
  isBareAlias(node: ts.Expression): boolean {
    const e = skipOuter(node);
    if (this.isHandle(e)) return true;
    if (ts.isObjectLiteralExpression(e)) {
      if (this.subject.kind === 'agent' && isRequestOptions(e)) return false;
      return e.properties.some((p) => !isRunsInOption(p, this.subject.spec.runsInOption) && !this.lentToCreator(p) &&
        ((ts.isPropertyAssignment(p) && this.isBareAlias(p.initializer)) || (ts.isMethodDeclaration(p) && !!p.body && this.refersToAlias(p.body) && !this.onlyDetaches(p.body)) ||
          (ts.isShorthandPropertyAssignment(p) && (this.isAlias(p.name) || this.isCapturingFunction(p.name)))));
    }
    // `const closeServer = () => srv.close(); return { url, closeServer }`: a local function that captures it.
    if (ts.isIdentifier(e) && this.isCapturingFunction(e)) return true;
    // `const entry = { conn, sftp: null }; …; resolve(entry)`: a local object that holds it.
    if (ts.isIdentifier(e) && this.holdsIt(e)) return true;
    // `reply.send(Readable.fromWeb(res.body))`: a Node stream over it, which whoever is given it reads (isReadableOf).
    if (this.isReadableOf(e)) return true;
    if (ts.isArrayLiteralExpression(e)) return !awaitedOnly(e) && e.elements.some((el) => this.isBareAlias(ts.isSpreadElement(el) ? el.expression : el));
    // A function that captures it, returned or stored: whoever calls that function uses the resource;
    // not a teardown that only unsubscribes it (`return () => watcher.unsubscribe(channel)`), which
    // leaves it open and out of everyone's reach.
    if ((ts.isArrowFunction(e) || ts.isFunctionExpression(e)) && this.refersToAlias(e.body)) return !this.onlyDetaches(e.body);
    // Its release method itself, not called (`disconnectDb = db.disconnect`, then called in `afterAll`):
    // whoever holds it closes the resource.
    if (ts.isPropertyAccessExpression(e) && this.subject.spec.release.includes(e.name.text) && this.isHandle(e.expression)) return true;
    // `shards.push(shard.connect())` where `connect()` returns the instance.
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && this.subject.returnsSelf?.includes(e.expression.name.text) &&
        this.isHandle(e.expression.expression)) return true;
    // `client.connect().catch(reset)`, `.finally(f)`: a promise of the same value. `.then(() => client)`: it resolves to the resource.
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && (calleeName(e) === 'catch' || calleeName(e) === 'finally')) return this.isBareAlias(e.expression.expression);
    if (ts.isCallExpression(e) && calleeName(e) === 'then' && e.arguments[0]) {
      const cb = stripParens(e.arguments[0]);
      if ((ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) && this.returnsAlias(cb)) return true;
    }
    return false;
  }

  /** `entry` of `const entry = { conn, closed: false }` in the function: an object literal holding the resource. */
  private holdsIt(id: ts.Identifier): boolean {
    const d = this.oracle.symbolOf(id)?.valueDeclaration;
    const init = d && ts.isVariableDeclaration(d) && d.initializer && d.pos >= this.subject.fn.pos && d.end <= this.subject.fn.end ? skipOuter(d.initializer) : undefined;
    // `const watch = { on(e, l) { …; return watch } }`: a literal that names itself is asked once.
    if (!init || !ts.isObjectLiteralExpression(init) || this.holdsAsked.has(init)) return false;
    this.holdsAsked.add(init);
    try { return this.isBareAlias(init); } finally { this.holdsAsked.delete(init); }
  }
  private readonly holdsAsked = new Set<ts.Node>();

  /** Every mention of the resource in `body` is the receiver of a call that detaches a listener or a subscription. */
  private onlyDetaches(body: ts.Node): boolean {
    let all = true;
    let seen = false;
    const visit = (n: ts.Node): void => {
      if (!all) return;
      if (ts.isIdentifier(n) && this.isAlias(n)) {
        seen = true;
        const p = n.parent;
        all = ts.isPropertyAccessExpression(p) && p.expression === n && DETACH_METHODS.has(p.name.text) && ts.isCallExpression(p.parent) && p.parent.expression === p;
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    return seen && all;
  }

  /** A local function (a declaration, or a const set to an arrow or function expression) whose body names the resource. */
  private isCapturingFunction(id: ts.Identifier): boolean {
    const decl = this.oracle.symbolOf(id)?.declarations?.[0];
    if (!decl || decl.getSourceFile() !== id.getSourceFile()) return false;
    const init = ts.isVariableDeclaration(decl) && decl.initializer ? stripParens(decl.initializer) : undefined;
    const fn = ts.isFunctionDeclaration(decl) ? decl : init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
    // `setTimeout(deliver, ms, …)` inside `deliver` itself: a retry makes a resource of its own, it captures none of this one's.
    if (fn && fn.pos <= id.pos && id.end <= fn.end) return false;
    return !!fn?.body && this.refersToAlias(fn.body);
  }

  private returnsAlias(fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
    if (!ts.isBlock(fn.body)) return this.isBareAlias(fn.body);
    return fn.body.statements.some((st) => ts.isReturnStatement(st) && !!st.expression && this.isBareAlias(st.expression));
  }

  /** `node` does something to it that may close it: anything but its methods that are no release (`upstream.off('data')`). */
  mayCloseIn(node: ts.Node): boolean {
    return this.someReference(node, (n) => {
      const p = n.parent;
      const method = ts.isPropertyAccessExpression(p) && p.expression === n && ts.isCallExpression(p.parent) && p.parent.expression === p ? p.name.text : undefined;
      return !method || this.subject.spec.release.includes(method);
    });
  }

  /** A connection of an `allowHalfOpen: true` server its handler ends somewhere: reading it ends nothing, its 'end' listener must. */
  get halfOpenPaths(): boolean { return (this.halfOpenKnown ??= !!this.subject.halfOpen && !!this.subject.fn.body && this.explicitRelease(this.subject.fn.body)); }
  private halfOpenKnown?: boolean;

  refersToAlias(node: ts.Node): boolean {
    // Also through a local object that holds it (`() => resolve(entry)` of `const entry = { conn }`).
    return this.someReference(node, () => true) || !!findNode(node, (n) => ts.isIdentifier(n) && this.holdsIt(n));
  }

  /** The resource itself is named under `node` (not only its request or a callback that releases it). */
  namesResource(node: ts.Node): boolean {
    return this.someReference(node, (ref) => this.isAlias(ref));
  }

  /** Some reference to the resource under `node` (not under another reference) for which `ok` holds. */
  private someReference(node: ts.Node, ok: (ref: ts.Node) => boolean): boolean {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if ((ts.isIdentifier(n) || n.kind === ts.SyntaxKind.ThisKeyword) && this.isReference(n)) found = ok(n);
      else ts.forEachChild(n, visit);
    };
    visit(node);
    return found;
  }

  /** `server.close.bind(server)`: a function that releases the resource when it is called. */
  isBoundRelease(e: ts.Expression): boolean {
    const x = stripParens(e);
    if (!ts.isCallExpression(x) || !ts.isPropertyAccessExpression(x.expression) || x.expression.name.text !== 'bind') return false;
    const method = stripParens(x.expression.expression);
    return ts.isPropertyAccessExpression(method) && this.isHandle(method.expression) && this.subject.spec.release.includes(method.name.text);
  }

  /**
   * The call releases the resource by itself: a release method on a handle, `req.destroy()` for its
   * response, reading a response (`res.on('data')`), waiting for the event that says it is closed,
   * a `done()` callback, or a call that consumes it (`pipeline(res, …)`, `once(ws, 'close')`).
   */
  releasesHere(n: ts.CallExpression): boolean {
    const callee = stripParens(n.expression);
    if (this.subject.requests.size && this.isRequestRelease(callee)) return true;
    if (this.subject.fn.body && awaitsCloseSpy(n, this.subject.fn.body, (e) => this.isHandle(e))) return true;
    // `Readable.fromWeb(res.body).pipe(out)`: the Node stream over the body is read to its end.
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'pipe' && this.isReadableOf(callee.expression)) return true;
    // `res[type]()` (`'json'`, `'text'`): a method picked at run time may be a release; not `client[method](req, opts, cb)` of a connection.
    if (ts.isElementAccessExpression(callee) && !ts.isStringLiteralLike(callee.argumentExpression) && this.isHandle(callee.expression)) return this.subject.kind === 'response' || n.arguments.length < 2;
    if (ts.isPropertyAccessExpression(callee) && this.isHandle(callee.expression)) {
      const m = callee.name.text;
      // `stream.read(5)` takes those bytes and leaves the rest unread, as a body's reader that stops early does (body-readers.ts).
      if (this.subject.spec.release.includes(m) && !this.subject.poolLoan) return !reopensAfter(this.subject.fn.body, m, (x) => this.isAlias(x)) && !(this.subject.kind === 'response' && ((m === 'read' && n.arguments.length > 0) || readerStopsEarly(n)));
      if (LISTEN_METHODS.has(m) && (this.subject.kind === 'response' || (this.subject.accepted && !this.halfOpenPaths)) && isStringArg(n.arguments[0], CONSUME_EVENTS)) {
        return !this.stopsReading(n.arguments[1]);
      }
      if (this.subject.accepted && !this.halfOpenPaths && (m === 'pipe' || m === 'resume')) return true;
      // `socket.pipe(decoder); decoder.once('end', () => resolve(frames))`: the destination ends after the socket's 'end'.
      if (m === 'pipe' && this.closedBy.has('end') && waitsForEndOf(this.subject.fn, n.arguments[0])) return true;
      // `socket.send(msg, port, host, () => process.exit(0))`: the completion callback ends the process.
      if (!LISTEN_METHODS.has(m) && n.arguments.some(callbackExitsProcess)) return true;
      // A WebSocket is closed once it has emitted 'error' (ws and WHATWG WebSockets emit 'close' next):
      // a test that ends in its 'error' listener expects the failure and leaves nothing open; one that ends
      // in ws's 'unexpected-response' expects the upgrade refused: no WebSocket opened, only a test's response.
      // So is a Socket.IO client the server disconnects ("io server disconnect": it does not reconnect),
      // which is what a test that ends in its 'disconnect' listener waits for.
      if (LISTEN_METHODS.has(m) && ((this.subject.kind === 'websocket' && isStringArg(n.arguments[0], WS_FAILED)) ||
          (this.subject.kind === 'sio-client' && isStringArg(n.arguments[0], SIO_DISCONNECT)))) {
        const listener = n.arguments[1] && stripParens(n.arguments[1]);
        if (listener && (ts.isArrowFunction(listener) || ts.isFunctionExpression(listener)) && finishesTest(listener)) return true;
      }
      // `await new Promise((resolve) => ws.once('error', resolve))`: past it, it failed and is closed (as `await once(ws, 'error')`).
      const failed = this.subject.kind === 'websocket' ? WS_FAILED : ERROR_EVENT;
      // A test's Socket.IO client past its awaited 'disconnect': the server disconnected it, as eventWait has it.
      if (LISTEN_METHODS.has(m) && this.subject.kind === 'sio-client' && inTestCode(n) && isStringArg(n.arguments[0], SIO_DISCONNECT) && settlesAwaitedPromise(n, n.arguments[1], SIO_DISCONNECT)) return true;
      if (LISTEN_METHODS.has(m) && this.closedBy.size > 0 && isStringArg(n.arguments[0], failed) && settlesAwaitedPromise(n, n.arguments[1], failed)) return true;
      return LISTEN_METHODS.has(m) && isStringArg(n.arguments[0], this.closedBy) && !this.detachedLater(n) && !onlyFails(n.arguments[1]) && !yieldsAfter(this.subject.fn, n);
    }
    if (ts.isIdentifier(callee)) {
      const sym = this.oracle.symbolOf(callee);
      if (sym && this.subject.releaseFns.has(sym)) return true;
    }
    return this.consumesArgument(n);
  }

  /**
   * `s.on('close', onClose)` that the function also removes (`s.off('close', onClose)`): a guard for
   * while it waits for something else (a reply), not a wait for the close. Also `signal.addEventListener('abort',
   * onAbort)` removed again (`removeEventListener`, in a `finally`): a listener for this call's time only, which
   * holds nothing for later.
   */
  detachedLater(listen: ts.CallExpression): boolean {
    const handler = listen.arguments[1] && stripParens(listen.arguments[1]);
    const event = listen.arguments[0];
    const body = this.subject.fn.body;
    if (!handler || !ts.isIdentifier(handler) || !body || !ts.isStringLiteralLike(event)) return false;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && UNLISTEN_METHODS.has(n.expression.name.text) &&
          n.arguments.length >= 2 && ts.isStringLiteralLike(n.arguments[0]) && n.arguments[0].text === event.text &&
          ts.isIdentifier(stripParens(n.arguments[1])) && (stripParens(n.arguments[1]) as ts.Identifier).text === handler.text) found = true;
      else ts.forEachChild(n, visit);
    };
    visit(body);
    return found;
  }

  /**
   * A `'data'` listener reads the stream to its end only if nothing in it stops the flow:
   * `res.pause()` or removing the listener without destroying the stream leaves it unread (and the
   * socket held), whatever the listener rejects or reports.
   */
  private stopsReading(listener: ts.Expression | undefined): boolean {
    const fn = listener && stripParens(listener);
    if (!fn || (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn))) return false;
    let stops = false;
    let destroys = false;
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && this.isHandle(n.expression.expression)) {
        const m = n.expression.name.text;
        if (m === 'pause' || m === 'unpipe' || m === 'removeListener' || m === 'off' || m === 'removeAllListeners') stops = true;
        if (m === 'destroy' || m === 'resume') destroys = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(fn.body);
    return stops && !destroys;
  }

  /**
   * `Readable.fromWeb(res.body)`, `Readable.from(res.body)`, or a const holding one: a Node stream over the
   * resource, which a consumer handed it reads to its end (and destroys, with the body under it, on error).
   */
  private isReadableOf(e: ts.Expression): boolean {
    let x = skipOuter(e);
    const given = ts.isIdentifier(x) ? constInitializer(this.oracle.symbolOf(x)) : undefined;
    if (given) x = skipOuter(given);
    if (!ts.isCallExpression(x) || !x.arguments[0] || !this.isHandle(x.arguments[0])) return false;
    const callee = stripParens(x.expression);
    return ts.isPropertyAccessExpression(callee) && (callee.name.text === 'fromWeb' || callee.name.text === 'from') &&
      /(^|\.)Readable$/.test(callee.expression.getText());
  }

  /** A call given the resource that reads it to its end or waits for it to close. */
  consumesArgument(n: ts.CallExpression | ts.NewExpression): boolean {
    const name = calleeName(n);
    const args = n.arguments ?? [];
    if (name && CONSUMERS.has(name) && args.some((a) => this.isReadableOf(a))) return true;
    // `readline.createInterface({ input: res })` reads a response to its end (and a socket, which it never closes).
    const options = name === 'createInterface' && this.subject.kind === 'response' && args[0] && stripParens(args[0]);
    const input = options && ts.isObjectLiteralExpression(options) ? findProp(options, 'input').value : undefined;
    if (input && this.isHandle(input)) return true;
    if (!name || !args.some((a) => this.isHandle(a))) return false;
    if (RELEASING_CALLS.has(name) || CONSUMERS.has(name)) return true;
    if (this.subject.kind === 'response' && readsStreamToEnd(this.oracle.originOf(n.expression))) return true;
    if (name === 'pipe' && this.subject.kind === 'socket' && this.isHandle(args[0]) && !endsNot(args[1])) return true;
    return this.eventWait(n) === 'closed';
  }

  /**
   * `once(ws, 'open')`, p-event's `pEvent(ws, 'close')`, a test's own `waitFor(ws, 'close')`: a promise
   * of the resource's next event, which watches it and owns nothing. `'closed'` when that event is its
   * close: the code waits until it is closed. Awaiting `'error'` waits for the close too: an error
   * destroys a socket, and ws closes itself after emitting one (node-socket-semantics.md, §5). A
   * listener for it is not waiting, so only here.
   */
  eventWait(n: ts.CallExpression | ts.NewExpression): 'closed' | 'observed' | undefined {
    const name = calleeName(n);
    const args = n.arguments ?? [];
    if (!name || !EVENT_WAITS.test(name) || args.length < 2 || !this.isHandle(args[0]) || !isEventName(args[1])) return undefined;
    // `'close'` is the last event of every emitter here. A test awaiting a Socket.IO client's 'disconnect' waits for the server's, as its listener does.
    const failed = this.subject.kind === 'websocket' ? WS_FAILED : ERROR_EVENT; // ws: a refused upgrade too
    const disconnected = this.subject.kind === 'sio-client' && isStringArg(args[1], SIO_DISCONNECT) && inTestCode(n);
    return isStringArg(args[1], this.closedBy) || isStringArg(args[1], CLOSE_EVENT) || (this.closedBy.size > 0 && isStringArg(args[1], failed)) || disconnected ? 'closed' : 'observed';
  }

  /** `const done = once(rec, 'complete'); await rec.start(); …; await done`: the wait for its close, made before it opened, awaited. */
  awaitsHeldCloseWait(operand: ts.Expression): boolean {
    const e = stripParens(operand);
    const held = ts.isIdentifier(e) ? constInitializer(this.oracle.symbolOf(e)) : undefined;
    return !!held && ts.isCallExpression(held) && this.eventWait(held) === 'closed';
  }

  /** `ws.on('close', …)`: a listener for the resource's own close, which only waits for the far end to close it. */
  waitsForOwnClose(n: ts.CallExpression): boolean {
    const callee = stripParens(n.expression);
    return ts.isPropertyAccessExpression(callee) && LISTEN_METHODS.has(callee.name.text) && this.isHandle(callee.expression) && isStringArg(n.arguments[0], this.closedBy);
  }

  /** `src.pipe(sock)` calls in `node` whose source's failure leaves this socket open: the first swallowing listener (pipes.ts). */
  pipeSourceFailure(node: ts.Node): ts.CallExpression | undefined {
    return this.subject.kind === 'socket' ? pipeFailureIn(node, (e) => this.isHandle(e), (x) => this.refersToAlias(x)) : undefined;
  }

  /** `req.destroy()` / `req.abort()` on the request a response belongs to; `conn.close()` / `pool.end()` of what made it. */
  private isRequestRelease(callee: ts.Expression): boolean {
    return ts.isPropertyAccessExpression(callee) && (OWNER_RELEASE[this.subject.kind] ?? REQUEST_RELEASE).has(callee.name.text) &&
      this.isRequest(stripParens(callee.expression));
  }

  /** The request (or abort controller) a response belongs to, or what made the resource (subject.requests). */
  isRequest(n: ts.Node): boolean {
    const sym = ts.isIdentifier(n) && this.names.has(n.text) ? this.oracle.symbolOf(n) : undefined;
    return !!sym && this.subject.requests.has(sym);
  }

  /**
   * `this` is the resource inside a `function` given to its creator (`net.connect(port, function () {
   * this.end() })`) or registered as its listener (`ws.on('open', function () { this.close() })`).
   */
  private thisIsResource(node: ts.Node): boolean {
    let f: ts.Node | undefined = node.parent;
    while (f && !(ts.isFunctionLike(f) && !ts.isArrowFunction(f))) f = f.parent;
    if (!f || !ts.isFunctionExpression(f)) return false;
    let arg: ts.Node = f;
    while (ts.isParenthesizedExpression(arg.parent)) arg = arg.parent;
    const call = arg.parent;
    if (!call || (!ts.isCallExpression(call) && !ts.isNewExpression(call))) return false;
    if (call === this.subject.creation) return true;
    const callee = stripParens(call.expression);
    return ts.isCallExpression(call) && ts.isPropertyAccessExpression(callee) && LISTEN_METHODS.has(callee.name.text) &&
      this.isAlias(skipOuter(callee.expression));
  }

  /**
   * A closure calls a function of this file that captures the resource (`srv.listen(0, () =>
   * finish(true))` with `const finish = (ok) => srv.close(…)`): it may release it through that function.
   */
  callsCapturing(body: ts.Node): boolean {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
        const decl = this.oracle.symbolOf(n.expression)?.declarations?.[0];
        const init = decl && ts.isVariableDeclaration(decl) ? decl.initializer && stripParens(decl.initializer) : decl;
        if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init) || ts.isFunctionDeclaration(init)) && init.body &&
            init.getSourceFile() === body.getSourceFile() && this.refersToAlias(init.body)) found = true;
      }
      if (!found) ts.forEachChild(n, visit);
    };
    visit(body);
    return found;
  }

  /** Does a closure release the resource or hand it on? */
  closureReleases(body: ts.Node, skip?: (n: ts.Node) => boolean): boolean {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      // Of a skipped call, only its own arguments: `res.on('data', …)` before `.on('error', reject)` in a chain still runs.
      if (skip?.(n)) return void (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && visit(n.expression.expression));
      if (ts.isCallExpression(n)) {
        if (this.releasesHere(n)) { found = true; return; }
        if (ts.isIdentifier(n.expression) && this.oracle.releasesCaptured(n, this.subject)) { found = true; return; }
        const callee = stripParens(n.expression);
        const onHandle = ts.isPropertyAccessExpression(callee) && this.isHandle(callee.expression);
        const name = calleeName(n);
        // `setTimeout(() => ws.send(…))` runs the closure here, `link.on('frame', (f) => feed.broadcast(f))` on each event, owning nothing: what it does is looked at below.
        const handed = (a: ts.Expression) => this.isBareAlias(a) && !(name && (CLOSURE_RUNNERS.has(name) || LISTEN_METHODS.has(name)) && ts.isFunctionLike(stripParens(a)));
        // Not to a function of the project that only borrows it (`lineReader(socket, onLine)` registers a listener).
        const borrowed = (i: number) => this.oracle.releasesParam(n, i, this.subject)?.kind === 'borrows';
        const handedOn = !onHandle && n.arguments.some((a, i) => handed(a) && !borrowed(i));
        if (handedOn && !n.arguments.some((a) => handed(a) && isNonOwningCall(n, a)) && !isSupertestRequest(n, (x) => this.oracle.originOf(x))) { found = true; return; } // supertest.ts
      } else if (ts.isNewExpression(n) && n.arguments?.some((a) => this.isBareAlias(a))) {
        // `resolve(new LineClient(socket))`: wrapped, it belongs to the new object (as in the function's own body).
        found = true;
        return;
      } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && this.isBareAlias(n.right) &&
          !ts.isIdentifier(stripParens(n.left))) {
        found = true;
        return;
      } else if (ts.isReturnStatement(n) && n.expression && this.isBareAlias(n.expression)) {
        found = true;
        return;
      } else if (ts.isArrowFunction(n) && !ts.isBlock(n.body) && this.isBareAlias(n.body)) {
        found = true;
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    return found;
  }

  /** Is there a plain release of the resource anywhere in the function (not a hand-over, not waiting for the peer)? */
  explicitRelease(body: ts.Node): boolean {
    const release = this.subject.spec.release;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n)) {
        const callee = stripParens(n.expression);
        if (ts.isPropertyAccessExpression(callee) && release.includes(callee.name.text) && this.isHandle(callee.expression)) found = true;
        else if (this.subject.requests.size && this.isRequestRelease(callee)) found = true;
        else if (ts.isIdentifier(callee) && this.isReference(callee)) found = true;
        else if (RELEASING_CALLS.has(calleeName(n) ?? '') && n.arguments.some((a) => this.isHandle(a))) found = true;
      }
      if (!found) ts.forEachChild(n, visit);
    };
    visit(body);
    return found;
  }

  /** `await s.connect()`, `await once(server, 'listening')`, `await pEvent(ws, 'open')`: if it rejects, nothing was opened. */
  isConnectStep(operand: ts.Expression, depth = 0): boolean {
    const e = stripParens(operand);
    // `const ready = once(conn, 'ready'); conn.connect(cfg); await ready`: the wait made before the connect call.
    const held = ts.isIdentifier(e) && depth < 2 ? constInitializer(this.oracle.symbolOf(e)) : undefined;
    if (held) return this.isConnectStep(held, depth + 1);
    // `await link.ready` of a project class: the promise its constructor made for the connection it opens.
    if (ts.isPropertyAccessExpression(e) && this.subject.kind === 'wrapper' && READY_PROMISES.has(e.name.text) && this.isHandle(e.expression)) return true;
    if (ts.isCallExpression(e)) {
      const callee = stripParens(e.expression);
      if (ts.isPropertyAccessExpression(callee) && this.isHandle(callee.expression) && CONNECT_METHODS.has(callee.name.text)) return true;
      // A wait on its own event rejects when it emits 'error', after which a socket, WebSocket or stream is closed (§5).
      if (this.eventWait(e) && (isStringArg(e.arguments[1], CONNECT_EVENTS) || this.closedBy.size > 0 || SELF_DESTROYING.has(this.subject.kind))) return !abortsTheWait(e.arguments[2]);
      if (calleeName(e) === 'promisify' || (ts.isCallExpression(callee) && calleeName(callee) === 'promisify')) return this.refersToAlias(e);
    }
    if (ts.isNewExpression(e) && calleeName(e) === 'Promise' && e.arguments?.length) {
      const opens = (n: ts.Node) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && this.isHandle(n.expression.expression) &&
        (CONNECT_METHODS.has(n.expression.name.text) || (LISTEN_METHODS.has(n.expression.name.text) && isStringArg(n.arguments[0], CONNECT_EVENTS)));
      if (SELF_DESTROYING.has(this.subject.kind) && rejectsOnlyOnOwnError(e.arguments[0], (x) => this.isHandle(x), this.subject.halfOpen ? FAILED_OR_CLOSED : GONE_EVENTS)) return true;
      return (opens(e.arguments[0]) || !!findNode(e.arguments[0], opens)) && !timeoutRejectsWhileOpening(e.arguments[0], (c) => this.mayCloseIn(c));
    }
    return false;
  }
}
