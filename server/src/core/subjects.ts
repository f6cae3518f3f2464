// Finding the subjects of one file: every resource created inside a function, bound to the variable
// that holds it (or to the callback parameter that receives it), or noticed as dropped on the spot.
import { ts } from 'ts-morph';
import { asksNoReconnection } from './creator-options';
import { closedWithItsMaker, INCOMING_MESSAGE_MODULES } from './catalog';
import { CONNECTION_KINDS, KINDS } from './kinds';
import { lentByGenericPool, releaseText } from './release-call';
import { isSupertestRequest } from './supertest';
import { CreatorFinder, CreatorMatch } from './creators';
import { PROMISE_FORM_KINDS } from './creator-match';
import { modulePassOf } from './module-passes';
import { awaitedPromiseOf, calleeName, constInitializer, enclosingFunction, findNode, FnLike, functionOfDeclaration, inlineFunction, isStringArg, promiseExecutor, settlerNames, stripParens, within } from './ast';
import { OriginResolver } from './origins';
import { makeSubject, Subject } from './subject';
import { alwaysThrows, CHAINABLE, chainedCall, chainRoot, isOneTimeConnectListener, LISTEN_METHODS, listenerClosesThis, listensInChain, isNonOwningCall } from './call-shapes';
import { handedSocket, ofTestMockServer } from './handed';
import { inTestCode } from './execution';
import { ownerRoot } from './owner-roots';
import { markSupervised } from './supervised';
import { bindsForGood } from './udp-listeners';
import { helperOpensArgument } from './helper-openers';
import { destroysItsRequest, fetchesRelativeUrl, isHeadRequest, isWebSocketUpgradeFetch, makerOf, mayListen, projectCallThatMayNotListen, requestDestroyed, responseReachesOthers, SERVE_EVENTS, servesNothing } from './requests';
import { callsIn } from './syntax';
import { servedConnection } from './relays';
import { collectAliases } from './aliases';
import { moduleStateSubjects } from './module-state';
import { expectedToReject, rejectsInPassingTest } from './test-runs';
import { assignedPattern, combinedElement, destructured, heldOf, knownContainer, Sink } from './sink-patterns';
import { givenSignal } from './signal-closes';

export interface Discovered {
  subject: Subject;
  match: CreatorMatch;
  /** The resource is dropped where it is made: nothing can ever close it. */
  discarded?: ts.Node;
  /** It is discarded only when another promise of a `Promise.race` (`discarded`) settles first. */
  raced?: boolean;
  /** How the fix spells the release, e.g. `client.release()`; undefined when no variable names it. */
  releaseCall?: string;
  /** The variable or parameter that holds the resource, for fix titles. */
  resourceName?: string;
  /** Only `await using` / `using` would be a correct fix for this binding: the variable statement. */
  declaration?: ts.VariableStatement;
}

const ERROR_NAMES = /^(e|err|error|\w+(Err|Error))$/; // the first parameter of a Node-style completion callback: its error
const CONSUMES = new Set(['consume']), KAFKA_RUNS = new Set(['run']);

export class SubjectFinder {
  constructor(private resolver: OriginResolver, private creators: CreatorFinder) {}

  find(sf: ts.SourceFile, tick: () => void): Discovered[] {
    const out: Discovered[] = [];
    const names = this.creators.candidateNames(sf);
    for (const n of callsIn(sf, tick)) {
      tick();
      const candidate = this.creators.isCandidate(n, names);
      if (candidate) {
        const match = this.creators.match(n);
        if (match) {
          const first = out.length;
          this.subjectsOf(n, match, out);
          for (const d of out.slice(first)) {
            if (!d.discarded) markSupervised(n, d.subject, (x) => this.isAliasOf(d.subject, x));
            if (!d.discarded && CONNECTION_KINDS.has(d.subject.kind)) d.subject.servedPeer = servedConnection(d.subject.fn, this.resolver);
          }
        }
      }
      if (ts.isCallExpression(n)) this.handed(n, out, candidate);
    }
    return out;
  }

  /** A socket a server hands to a handler: open on entry, the handler's to close (handed.ts). */
  private handed(call: ts.CallExpression, out: Discovered[], mayCreate: boolean): void {
    const h = handedSocket(call, this.resolver, mayCreate);
    const sym = h && !ofTestMockServer(h, call) && this.resolver.symbolOf(h.param);
    if (!h || !sym) return;
    const reqSym = h.request && this.resolver.symbolOf(h.request);
    const subject = makeSubject('socket', h.handler, h.param, { aliases: new Set([sym]), requests: new Set(reqSym ? [reqSym] : []) });
    subject.accepted = true;
    Object.assign(subject, { closesWithClient: h.closesWithClient, halfOpen: h.halfOpen, sharedUpgrade: h.sharedUpgrade });
    this.collectAliases(subject);
    out.push({ subject, match: { kind: 'socket', label: h.label }, releaseCall: `${h.param.text}.destroy()`, resourceName: h.param.text });
  }

  private subjectsOf(node: ts.CallExpression | ts.NewExpression, match: CreatorMatch, out: Discovered[]): void {
    if (match.kind === 'response' && ((isHeadRequest(node) && !INCOMING_MESSAGE_MODULES.has(match.viaModule ?? '')) ||
        (match.viaModule === 'global' && (fetchesRelativeUrl(node) || isWebSocketUpgradeFetch(node))))) return;
    const args = node.arguments ?? [];
    if (match.callbackParam !== undefined) {
      const cb = args.length ? callbackOf(args[args.length - 1], this.resolver) : undefined;
      if (cb) {
        const requests = this.requestOf(node, match);
        // `setTimeout(() => req.destroy(), 50)`: destroying the request destroys its response too.
        if (!requestDestroyed(node, requests, cb, this.resolver)) this.callbackSubject(node, cb, match, out, requests, makerOf(node, match.receiver, this.resolver));
        return;
      }
      // http.get without a callback lets Node discard the response; pool.connect() and MongoClient.connect(url)
      // without one are Promises. Given the caller's callback (`getConnection(cb) { innerPool.getConnection(cb) }`,
      // a pool adapter), the connection goes to the caller.
      if (!PROMISE_FORM_KINDS.has(match.kind)) return;
      if (args.length && this.forwardsCallback(node, args[args.length - 1])) return;
    }
    // At module scope it lives as long as the process, by design; not what one pass of a top-level loop keeps.
    const fn = enclosingFunction(node) ?? modulePassOf(node);
    if (!fn) return;
    this.valueSubject(node, match, fn, out);
  }

  /**
   * `getConnection(cb) { inner.getConnection(cb) }`: a pool adapter's method of the same name handing on the
   * callback it was given, whose caller gets the connection. Not a step of `async.waterfall([(cb) => pool.getConnection(cb), …])`.
   */
  private forwardsCallback(call: ts.CallExpression | ts.NewExpression, arg: ts.Expression): boolean {
    const x = stripParens(arg);
    const param = ts.isIdentifier(x) ? this.resolver.symbolOf(x)?.valueDeclaration : undefined;
    const fn = param && ts.isParameter(param) ? param.parent : undefined;
    const name = fn && (ts.isMethodDeclaration(fn) || ts.isFunctionDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name) ? fn.name.text
      : fn && ts.isPropertyAssignment(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
    return !!name && name === calleeName(call);
  }

  /** The variable holding the request of a response callback (`const req = http.get(u, cb)`, `req.on('response', cb)`). */
  /** What closes it along with itself (closedWithItsMaker): the receiver that made it (`conn` of `conn.createChannel()`). */
  private ownerSymbol(match: CreatorMatch): ts.Symbol | undefined {
    const owner = closedWithItsMaker(match.kind, match.viaModule) && match.receiver && stripParens(match.receiver);
    return owner && ts.isIdentifier(owner) ? this.resolver.symbolOf(owner) : undefined;
  }

  private requestOf(node: ts.CallExpression | ts.NewExpression, match: CreatorMatch): Set<ts.Symbol> {
    const out = new Set<ts.Symbol>();
    const owner = this.ownerSymbol(match);
    if (match.kind !== 'response') return owner ? new Set([owner]) : out;
    let holder: ts.Node | undefined;
    if (match.receiver && ts.isIdentifier(stripParens(match.receiver))) holder = stripParens(match.receiver);
    else {
      let e: ts.Node = node;
      while (ts.isCallExpression(e.parent) || ts.isPropertyAccessExpression(e.parent) || ts.isParenthesizedExpression(e.parent)) e = e.parent;
      if (ts.isVariableDeclaration(e.parent) && ts.isIdentifier(e.parent.name)) holder = e.parent.name;
    }
    const sym = holder && this.resolver.symbolOf(holder);
    if (sym) out.add(sym);
    return out;
  }

  private callbackSubject(call: ts.CallExpression | ts.NewExpression, cb: ts.FunctionLikeDeclaration, match: CreatorMatch, out: Discovered[], requests: Set<ts.Symbol>, maker: ts.Node): void {
    const param = cb.parameters[match.callbackParam!];
    // `req.on('response', () => done())`: with a listener Node leaves the response to it, and this one
    // cannot even name it; unless another listener (or code we do not see) gets it too.
    if (!param && match.kind === 'response' && !cb.parameters.some((p) => p.dotDotDotToken)) {
      if (ts.isCallExpression(call) && LISTEN_METHODS.has(calleeName(call) ?? '') && responseReachesOthers(call, maker, this.resolver)) return;
      // `const req = http.get(o, () => { req.destroy() })`: destroying the request destroys its response;
      // `() => { throw new Error('never answered') }`: an uncaught exception ends the process.
      if (destroysItsRequest(cb, requests, this.resolver) || (cb.body && alwaysThrows(cb.body))) return;
      out.push({ subject: makeSubject(match.kind, cb, maker, { requests }), match, discarded: cb });
      return;
    }
    if (!param || !ts.isIdentifier(param.name)) return;
    const sym = this.resolver.symbolOf(param.name);
    if (!sym) return;
    const subject = makeSubject(match.kind, cb, maker, { aliases: new Set([sym]), requests });
    let releaseCall = `${param.name.text}.${match.fixCall ?? KINDS[match.kind].fixCall}`;
    if (match.callbackParam! > 0 && !match.resultFirst) {
      const err = cb.parameters[0];
      const errSym = err && ts.isIdentifier(err.name) ? this.resolver.symbolOf(err.name) : undefined;
      if (errSym) subject.errorParams.add(errSym);
      const done = cb.parameters[match.callbackParam! + 1];
      const doneSym = match.kind === 'pool-checkout' && done && ts.isIdentifier(done.name) ? this.resolver.symbolOf(done.name) : undefined;
      if (doneSym) {
        subject.releaseFns.add(doneSym);
        releaseCall = `${(done.name as ts.Identifier).text}()`;
      }
    }
    if (match.kind === 'response') subject.bodyProperty = undefined; // an IncomingMessage is the body
    this.collectAliases(subject);
    out.push({ subject, match, releaseCall, resourceName: param.name.text });
  }

  private valueSubject(node: ts.Expression, match: CreatorMatch, fn: FnLike, out: Discovered[]): void {
    if (rejectsInPassingTest(node)) return;
    if (match.moduleState) return void out.push(...moduleStateSubjects(node as ts.CallExpression, match, fn, this.resolver));
    const sink = this.sinkOf(node, match);
    if (sink.kind === 'owned') return;
    if (sink.kind === 'var' && sink.held) match = sink.held;
    if (sink.kind === 'then') {
      const subject = makeSubject(match.kind, sink.fn, node, { aliases: new Set([sink.param]) });
      this.collectAliases(subject);
      out.push({ subject, match, releaseCall: releaseText(match, sink.fn, sink.param.getName(), false), resourceName: sink.param.getName() });
      return;
    }
    if (sink.kind === 'raced') {
      out.push({ subject: makeSubject(match.kind, fn, node, { creation: node }), match, discarded: sink.at, raced: true });
      return;
    }
    if (sink.kind === 'dropped') {
      // A wrapper that opens in `connect()` and is dropped unopened holds nothing; nor does a socket
      // whose own listener closes it (`net.connect(port, function () { this.end('bye') })`).
      // Nor does a server dropped without `listen()` (it binds no port), nor a connection given an abort signal, which closes it.
      if (!match.opensWith && !listenerClosesThis(node, KINDS[match.kind].release, KINDS[match.kind].listenerGetsIt) && (!match.unbound || listensInChain(node, sink.at)) && !(match.kind !== 'response' && givenSignal(node))) {
        out.push({ subject: makeSubject(match.kind, fn, node, { creation: node, fixCall: match.fixCall }), match, discarded: sink.at });
      }
      return;
    }
    const subject = makeSubject(match.kind, fn, node, { creation: node, aliases: new Set([sink.symbol]), requests: this.abortControllers(node), fixCall: match.fixCall });
    // `res = await new Promise((resolve) => { const req = lib.get(u, o, resolve); … })`: reported where the request is made.
    if (match.madeAt && within(match.madeAt, node)) subject.report = match.madeAt;
    const ownerSym = this.ownerSymbol(match);
    if (ownerSym) subject.requests.add(ownerSym);
    // `io(url, { reconnection: false })`: once disconnected it stays so, whoever disconnected it. A wrapper: its own events that say so.
    const closedBy = match.kind === 'sio-client' && asksNoReconnection(node as ts.CallExpression) ? ['disconnect'] : match.endedBy;
    if (closedBy) subject.spec = { ...subject.spec, closedBy };
    subject.poolLoan = lentByGenericPool(match) || undefined;
    if (match.kind === 'amqp-channel' || match.kind === 'change-stream') {
      // The connection is made here too (also into a suite's variable, in a hook; a change stream's client, through `client.db(n)
      // .collection(c)`): its finding covers the channel or the stream. A test's change stream ends with the connection the suite closes.
      const owner = match.kind === 'change-stream' && match.receiver ? ownerRoot(match.receiver, (n) => this.resolver.symbolOf(n)) : ownerSym;
      if (owner?.declarations?.some((d) => ts.isVariableDeclaration(d) && within(d, fn)) || (owner && this.assignedIn(owner, fn)) || (match.kind === 'change-stream' && inTestCode(node))) return;
      // A consumer's channel is meant to run for as long as the connection does.
      if (match.kind === 'amqp-channel' && this.callsOn(subject, CONSUMES)) subject.longLived = true;
    }
    // A Kafka consumer that runs (`consumer.run({ eachMessage })`) is a service, like a listening server;
    // not one whose handler settles the promise around it (a replay up to an offset): its work ends there.
    if (match.kind === 'broker-client' && this.callsOn(subject, KAFKA_RUNS) && !this.callsOn(subject, KAFKA_RUNS, undefined, settlesAround)) subject.longLived = true;
    // `const r = await undici.connect(u)`: `r.socket` is the resource, like `res.body` of a response.
    subject.bodyProperty = sink.body ? undefined : sink.container ? match.through : match.bodyProperty ?? subject.bodyProperty;
    subject.returnsSelf = match.returnsSelf;
    subject.fields = match.fields;
    subject.liveGetters = match.liveGetters;
    this.collectAliases(subject);
    // `net.connect(o, (err) => { if (err) return reject(err); resolve(socket) })`: the connect listener
    // is called with no argument (an error comes as an 'error' event), so that branch never runs.
    if (match.kind === 'socket' && ts.isCallExpression(node)) this.addErrorParam(subject, node);
    // Nothing is held until it is opened: a server binds its port in `listen()`, a wrapper connects in
    // `connect()`. Exits before that point leak nothing; a wrapper never opened here is not reported.
    const opens = match.opensWith ?? (match.kind === 'server' ? ['listen'] : undefined);
    if (opens) {
      const opening = chainedCall(node, opens) ?? this.firstCallOn(subject, opens, node, !!match.opensWith);
      // The walk starts at the opening call; what is chained on it (`producer.connect().then(…)`) follows.
      if (opening && opening !== subject.creation) subject.made = subject.creation;
      // Opened in an awaited promise's executor: open once that promise is made (a failed connect rejects the
      // `await`, which flow.ts does not count as a leaking exit of the creation).
      const executor = opening && enclosingFunction(opening);
      if (opening) subject.creation = (executor && executor !== fn && awaitedPromiseOf(executor)) || opening;
      // `const tx = new sql.Transaction(pool); await tx.begin()`: a pool's connection is checked out where it opens.
      if (opening && match.kind === 'pool-checkout' && match.opensWith && !match.reportAtCreation && !chainedCall(node, opens)) subject.report = opening;
      // `proxy.start((err) => { if (err) return done(err); … })`: where its error is set, opening failed.
      subject.openerFailsOpen = !!opening && !!match.openerFailsOpen?.includes(calleeName(opening) ?? '');
      subject.failsWhenBroken = match.failsWhenBroken;
      if (opening && match.opensWith && !subject.openerFailsOpen) this.addErrorParam(subject, opening);
      if (!opening && match.opensWith) return;
      // `new Client({ agent }); await agent.listen()`: handed on before it opens, it is the new owner's.
      // `await expect(redis.start()).to.reject()`: in a passing test it never opened.
      if (opening && ((match.opensWith && this.passedOn(subject, opening.pos)) || expectedToReject(opening))) return;
      // A Node server this function never listens on, nor hands to a call that may (`listen(srv)`; not
      // `onupgrade(srv)` of the project), binds no port (`expect(http.createServer(h)).toBeDefined()`).
      // Nor one it hands only to supertest's `request(srv)`, which listens on it and closes it when the request ends.
      if (!opening && match.unbound && !mayListen(fn) &&
          !this.passedOn(subject, Infinity, (c) => projectCallThatMayNotListen(c, this.resolver) || isSupertestRequest(c, (x) => this.resolver.ofBinding(x)))) return;
    }
    // A project object whose connections are pools opens a socket only at its first query: one whose methods
    // are never called and that goes nowhere holds nothing (`expect(new SqlStore(url)).toBeDefined()`).
    if (match.lazy && !this.memberUsed(subject) && !this.passedOn(subject)) return;
    // A bound UDP socket is a listener, meant to keep running (udp-listeners.ts).
    if (match.kind === 'udp-socket' && bindsForGood(subject, (x) => this.isAliasOf(subject, x))) subject.longLived = true;
    // A server given no handler and no listener for connections serves nothing: it is not a service
    // meant to run for the life of the process (`srv.listen(0, () => resolve(srv.address().port))`).
    // One handed to a library (`new WebSocketServer({ server })`, `io.attach(srv)`) serves through it.
    if (match.kind === 'server' && (ts.isCallExpression(node) || ts.isNewExpression(node)) && servesNothing(node) &&
        !this.callsOn(subject, LISTEN_METHODS, SERVE_EVENTS) && !(match.handlerMethods && this.callsOn(subject, new Set(match.handlerMethods))) && !this.passedOn(subject)) subject.longLived = false;
    out.push({
      subject, match,
      releaseCall: releaseText(match, fn, sink.symbol.getName(), sink.body),
      resourceName: sink.symbol.getName(),
      declaration: sink.declaration,
    });
  }

  /** Follow the value of a creating expression to the variable (or owner) that receives it. */
  private sinkOf(node: ts.Expression, match: CreatorMatch): Sink {
    let e: ts.Expression = node;
    let inner = false; // passed through `match.through`: what the variable gets is the resource itself
    for (;;) {
      const p = e.parent;
      if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p) ||
          ts.isAwaitExpression(p) || ts.isTypeAssertionExpression(p)) {
        e = p;
        continue;
      }
      if (ts.isConditionalExpression(p) && p.condition !== e) { e = p; continue; }
      if (ts.isBinaryExpression(p) && p.right === e && isShortCircuit(p.operatorToken.kind)) { e = p; continue; }
      if (ts.isPropertyAccessExpression(p) && p.expression === e) {
        const call = p.parent;
        const name = p.name.text;
        if (match.kind === 'response' && name === (match.bodyProperty ?? 'body')) { e = p; continue; }
        if (name === match.through) { e = p; inner = true; continue; }
        if (!ts.isCallExpression(call) || call.expression !== p) return { kind: 'dropped', at: p };
        if (name === 'then') {
          const cb = call.arguments[0] && callbackOf(call.arguments[0], this.resolver);
          const param = cb?.parameters[0];
          const sym = param && ts.isIdentifier(param.name) ? this.resolver.symbolOf(param.name) : undefined;
          return cb && sym ? { kind: 'then', fn: cb, param: sym } : { kind: 'owned' };
        }
        if (CHAINABLE.has(name) || name === 'catch' || name === 'finally' || match.returnsSelf?.includes(name)) { e = call; continue; }
        // Any other method: used once and dropped, unless that method is its release.
        return KINDS[match.kind].release.includes(name) ? { kind: 'owned' } : { kind: 'dropped', at: call };
      }
      if (ts.isVariableDeclaration(p) && p.initializer === e) {
        const list = p.parent;
        if (ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Using)) return { kind: 'owned' };
        const decl = ts.isVariableDeclarationList(list) && ts.isVariableStatement(list.parent) ? list.parent : undefined;
        if (ts.isIdentifier(p.name)) {
          const symbol = this.resolver.symbolOf(p.name);
          return symbol ? { kind: 'var', symbol, declaration: decl, container: !!match.through && !inner } : { kind: 'owned' };
        }
        if (ts.isObjectBindingPattern(p.name)) {
          if (match.kind === 'response') return destructured(this.resolver, p.name, node, match.bodyProperty, true, knownContainer(match));
          // `const { socket } = await undici.connect(url)`: the resource is one property of the result.
          if (match.through) return destructured(this.resolver, p.name, node, match.through, false);
          return match.heldWhenDestructured ? heldOf(this.resolver, p.name, match.heldWhenDestructured, decl) : { kind: 'owned' };
        }
        return { kind: 'owned' };
      }
      if (ts.isBinaryExpression(p) && p.right === e && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = stripParens(p.left);
        // `({ statusCode, body } = await request(url))`, into variables declared before a `try`.
        if (ts.isObjectLiteralExpression(left)) {
          if (match.kind === 'response') return assignedPattern(this.resolver, left, node, match.bodyProperty, true, knownContainer(match));
          return match.through ? assignedPattern(this.resolver, left, node, match.through, false) : { kind: 'owned' };
        }
        if (!ts.isIdentifier(left)) return { kind: 'owned' };
        const symbol = this.resolver.symbolOf(left);
        const decl = symbol?.declarations?.[0];
        const fn = enclosingFunction(node) ?? modulePassOf(node); // or a `let` of a script's top-level loop pass
        if (!symbol || !decl || !fn || decl.pos < fn.pos || decl.end > fn.end) return { kind: 'owned' };
        return { kind: 'var', symbol };
      }
      if (ts.isExpressionStatement(p) || ts.isVoidExpression(p)) return { kind: 'dropped', at: p };
      if (ts.isArrayLiteralExpression(p)) return combinedElement(this.resolver, p, e, node, match);
      // `request(app.listen())`: supertest closes only a server it listened on itself (supertest.ts).
      if (isSupertestRequest(p, (x) => this.resolver.ofBinding(x)) && p.arguments.includes(e)) return { kind: 'dropped', at: p };
      return { kind: 'owned' };
    }
  }

  /**
   * `fetch(url, { signal: ac.signal })`: `ac.abort()` cancels the response, like destroying its request;
   * so does the abort of any controller combined with `AbortSignal.any([ac.signal, AbortSignal.timeout(ms)])`.
   * The same for a socket or server made with a signal (Node closes it on abort), or a project object given one.
   */
  private abortControllers(node: ts.Expression): Set<ts.Symbol> {
    const out = new Set<ts.Symbol>();
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return out;
    const add = (e: ts.Expression) => {
      const v = stripParens(e);
      const holder = ts.isPropertyAccessExpression(v) && v.name.text === 'signal' ? stripParens(v.expression) : undefined;
      const sym = holder && ts.isIdentifier(holder) ? this.resolver.symbolOf(holder) : undefined;
      if (sym) out.add(sym);
    };
    // `fetch(u, withDispatcher({ signal: ctrl.signal }, t))`: options a helper of the project passes on too.
    const given = (node.arguments ?? []).flatMap((a) => (ts.isCallExpression(stripParens(a)) ? [...(stripParens(a) as ts.CallExpression).arguments] : [a]));
    for (const a of given) {
      const obj = stripParens(a);
      // `startUdpIngest(port, onSample, shutdown.signal)`: a signal given as an argument of its own.
      if (ts.isPropertyAccessExpression(obj)) add(obj);
      if (!ts.isObjectLiteralExpression(obj)) continue;
      for (const p of obj.properties) {
        if (!(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) || !ts.isIdentifier(p.name) || p.name.text !== 'signal') continue;
        const given = stripParens(ts.isPropertyAssignment(p) ? p.initializer : p.name);
        const v = (ts.isIdentifier(given) && constInitializer(this.resolver.symbolOf(given))) || given;
        const list = ts.isCallExpression(v) && calleeName(v) === 'any' && v.arguments[0] && stripParens(v.arguments[0]);
        if (list && ts.isArrayLiteralExpression(list)) list.elements.forEach(add);
        else add(v);
      }
    }
    return out;
  }

  /** The first call `x.m()` (m in `methods`) on the resource after `after`, in source order. */
  /**
   * The error parameter of the callback a call ends with, where nothing was opened: an opening method's
   * completion callback (`proxy.start((err) => …)`), or the connect listener of `net.connect(o, (err) => …)`,
   * which Node calls with no argument (an error comes as an 'error' event), so that branch never runs.
   */
  private addErrorParam(subject: Subject, call: ts.CallExpression): void {
    const err = inlineFunction(call.arguments[call.arguments.length - 1])?.parameters[0];
    const sym = err && ts.isIdentifier(err.name) && ERROR_NAMES.test(err.name.text) ? this.resolver.symbolOf(err.name) : undefined;
    if (sym) subject.errorParams.add(sym);
  }

  private firstCallOn(subject: Subject, methods: string[], after: ts.Node, inExecutors = false): ts.CallExpression | undefined {
    let found: ts.CallExpression | undefined;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && n.pos >= after.end && ts.isPropertyAccessExpression(n.expression)) {
        // `runner.manager.findOne(…)`: a method of its property (`manager.findOne` among the methods).
        const recv = stripParens(n.expression.expression);
        const via = ts.isPropertyAccessExpression(recv) && methods.includes(`${recv.name.text}.${n.expression.name.text}`);
        if (via ? this.isAliasOf(subject, stripParens(recv.expression)) : methods.includes(n.expression.name.text) && this.isAliasOf(subject, chainRoot(recv))) found = n;
      }
      // `await ready(conn, opts)`: a project helper that calls `conn.connect(opts)` (helper-openers.ts).
      if (!found && inExecutors && ts.isCallExpression(n) && n.pos >= after.end &&
          n.arguments.some((a, i) => this.isAliasOf(subject, stripParens(a)) && helperOpensArgument(n, i, methods, this.resolver))) found = n;
      // `await promisify(server.listen.bind(server))(port)`: the bound method, called where it is made.
      if (ts.isCallExpression(n) && n.pos >= after.end && calleeName(n) === 'bind' && ts.isPropertyAccessExpression(n.expression) &&
          ts.isPropertyAccessExpression(n.expression.expression) && methods.includes(n.expression.expression.name.text) &&
          this.isAliasOf(subject, stripParens(n.expression.expression.expression))) found = n;
      // Only in this function's own code: a call in a callback opens it whenever that runs. With `inExecutors`, also
      // one in the executor of a promise awaited here (`await new Promise((res, rej) => conn.connect(…))`), run in place.
      if (!found && (!ts.isFunctionLike(n) || (inExecutors && awaitedPromiseOf(n)))) ts.forEachChild(n, visit);
    };
    if (subject.fn.body) visit(subject.fn.body);
    return found;
  }

  /**
   * The resource is an argument of some call other than a log or an assertion (`listen(srv)`,
   * `start(srv, port)`), or an option of one (`new WebSocketServer({ server })`).
   */
  private passedOn(subject: Subject, before = Infinity, except = (_: ts.CallExpression | ts.NewExpression) => false): boolean {
    let found = false;
    const given = (a: ts.Expression): boolean => {
      let x = stripParens(a);
      // `const entry = { id, conn }; this.workers.set(id, entry)`: the object that holds it is handed on.
      const decl = ts.isIdentifier(x) ? this.resolver.symbolOf(x)?.valueDeclaration : undefined;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isObjectLiteralExpression(stripParens(decl.initializer))) x = stripParens(decl.initializer);
      if (!ts.isObjectLiteralExpression(x)) return this.isAliasOf(subject, x);
      return x.properties.some((p) => (ts.isPropertyAssignment(p) && this.isAliasOf(subject, stripParens(p.initializer))) ||
        (ts.isShorthandPropertyAssignment(p) && this.isAliasOf(subject, p.name)));
    };
    const visit = (n: ts.Node): void => {
      // `conn.on('ready', () => resolve(conn)); conn.connect(o)`: the connect listener runs once it is open (flow.ts follows it).
      if (found || n.pos >= before || (before !== Infinity && isOneTimeConnectListener(n, subject.kind))) return;
      if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && (n.arguments ?? []).some((a) => given(a) && !isNonOwningCall(n, a)) && !except(n)) found = true;
      else ts.forEachChild(n, visit);
    };
    if (subject.fn.body) visit(subject.fn.body);
    return found;
  }

  /** The function reads or calls a member of the resource (`store.query(…)`, `store.pool.query(…)`). */
  private memberUsed(subject: Subject): boolean {
    return !!subject.fn.body && !!findNode(subject.fn.body, (n) => ts.isPropertyAccessExpression(n) && this.isAliasOf(subject, stripParens(n.expression)));
  }

  /** The function calls `alias.m(…)` with `m` one of `methods` (and, given `events`, a first argument among them). */
  private callsOn(subject: Subject, methods: ReadonlySet<string>, events?: ReadonlySet<string>, accept = (_: ts.CallExpression) => true): boolean {
    return !!subject.fn.body && !!findNode(subject.fn.body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) &&
      methods.has(n.expression.name.text) && (!events || isStringArg(n.arguments[0], events)) && this.isAliasOf(subject, stripParens(n.expression.expression)) && accept(n));
  }

  /** Some `x = …` of the function's own code sets the variable. */
  private assignedIn(sym: ts.Symbol, fn: FnLike): boolean {
    return !!fn.body && !!findNode(fn.body, (n) => ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(n.left) && this.resolver.symbolOf(n.left) === sym, true);
  }

  private isAliasOf(subject: Subject, n: ts.Node): boolean {
    const sym = ts.isIdentifier(n) ? this.resolver.symbolOf(n) : undefined;
    return !!sym && subject.aliases.has(sym);
  }

  collectAliases(subject: Subject): void {
    collectAliases(subject, this.resolver);
  }
}

const isShortCircuit = (k: ts.SyntaxKind): boolean => k === ts.SyntaxKind.BarBarToken || k === ts.SyntaxKind.QuestionQuestionToken || k === ts.SyntaxKind.AmpersandAmpersandToken;

function callbackOf(arg: ts.Expression, resolver: OriginResolver): ts.FunctionLikeDeclaration | undefined {
  const a = stripParens(arg);
  if (ts.isArrowFunction(a) || ts.isFunctionExpression(a)) return a;
  if (ts.isIdentifier(a)) {
    const decl = resolver.symbolOf(a)?.declarations?.[0];
    return decl && !decl.getSourceFile().isDeclarationFile ? functionOfDeclaration(decl) : undefined;
  }
  return undefined;
}

/** `new Promise((resolve) => consumer.run({ eachMessage: async (m) => { …; resolve(n) } }))`: a callback of the call settles the
 *  executor's promise; or a timer of the executor fulfils it (`setTimeout(() => resolve(events), windowMs)`: a replay window). */
function settlesAround(call: ts.CallExpression): boolean {
  let fn: ts.Node | undefined = enclosingFunction(call);
  while (fn && ts.isParenthesizedExpression(fn.parent)) fn = fn.parent;
  const executor = fn && promiseExecutor(fn.parent);
  const settlers = executor ? settlerNames(executor) : new Set<string>();
  const resolve = executor?.parameters[0]?.name;
  const inTimer = (n: ts.Node) => ts.findAncestor(n.parent, (x) => x === executor || (ts.isCallExpression(x) && calleeName(x) === 'setTimeout')) !== executor;
  const settles = (n: ts.Node, names: ReadonlySet<string>, timed = false): boolean =>
    (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && names.has(n.expression.text) && (!timed || inTimer(n))) || !!ts.forEachChild(n, (c) => settles(c, names, timed) || undefined);
  return call.arguments.some((a) => settles(a, settlers)) || (!!executor?.body && !!resolve && ts.isIdentifier(resolve) && settles(executor.body, new Set([resolve.text]), true));
}
