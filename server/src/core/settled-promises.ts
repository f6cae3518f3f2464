// A connection made inside a promise executor and settled on by its callbacks:
//   return new Promise((resolve, reject) => {
//     const socket = net.connect(port, host);
//     const timer = setTimeout(() => { socket.destroy(); resolve(false); }, ms);
//     socket.once('connect', () => { clearTimeout(timer); resolve(true); });   // ← left open
//   });
// The path walker sees a callback that closes the socket and counts it as closed. But the callbacks
// are alternatives: the first one to settle the promise decides, and once it has, nothing else holds
// the connection (it was never handed out), so a callback that settles without closing it leaves it
// open for good — the probe that finds a port listening, the timer that gives up on a UDP reply, the
// message listener that rejects an acknowledgement.
import { ts } from 'ts-morph';
import { ownerRoot } from './owner-roots';
import { calleeName, callsMethodOn, findNode, promiseExecutor, settlerNames, skipOuter, stripParens } from './ast';
import { asksNoReconnection } from './creator-options';
import { CONNECTION_KINDS, KINDS, ResourceKind } from './kinds';
import { CreatorFinder } from './creators';
import { FieldLeak } from './fields';
import { OriginResolver } from './origins';
import { clearsTimer, LISTEN_METHODS, TIMER_CLEARS, UNLISTEN_METHODS } from './call-shapes';
import { makeSubject } from './subject';
import { inTestCode } from './execution';
import { clearedBeforeReceiving, closesWithItsStream, creation, derivedNames, failedConnect, handsOn, isHandOver, isReceiverChain, localFunction, settlesThrough } from './executor-syntax';
import { armedAfterRelease, containsRelease, mentions, releasedBefore, releasesWhenIdle } from './settle-releases';

/** Kinds a short-lived executor opens and must close itself; an AMQP channel too (one per call on a shared connection, up to `channel_max`). */
const KINDS_CHECKED: ReadonlySet<ResourceKind> = new Set<ResourceKind>([...CONNECTION_KINDS, 'amqp-channel', 'pool-checkout']);
/** The callbacks of a promise the resource gives (`client.connect().then(fn, fail)`, `.catch(fn)`): they settle too. */
const PROMISE_METHODS = new Set(['then', 'catch']);
/**
 * Events after which the connection is already closing by itself (an `'error'` destroys a socket, ws
 * closes a WebSocket after one, Node shuts an HTTP/2 session down on `'goaway'`) or that only observe it: a listener for one settles nothing it could close.
 * Not `'timeout'`: an idle timeout only tells, and the socket stays open until the code ends it
 * (node-socket-semantics.md; `socket.setTimeout` in net.md).
 */
const SELF_CLOSING_EVENTS = new Set(['error', 'close', 'end', 'unexpected-response', 'disconnect', 'goaway']);
/**
 * A Socket.IO client made with `reconnection: false` gives up on its first failure: the Manager closes
 * its engine before the socket emits `'connect_error'` (socket.io-client `Manager.open`, `onError`).
 */
const SIO_ONE_SHOT_EVENTS = new Set([...SELF_CLOSING_EVENTS, 'connect_error']);
/** For what reconnects after an 'error' (KindSpec.reconnectsAfterError): only its release ends it. */
const NOTHING_CLOSES = new Set<string>();

/** A callback that may settle the promise, or a listener registration that hands it the settler itself. */
type Callback = { fn: ts.ArrowFunction | ts.FunctionExpression } | { settles: ts.CallExpression };

export function settledPromiseLeaks(sf: ts.SourceFile, creators: CreatorFinder, resolver: OriginResolver): FieldLeak[] {
  const out: FieldLeak[] = [];
  if (!sf.text.includes('Promise')) return out;
  const visit = (n: ts.Node): void => {
    const executor = promiseExecutor(n);
    if (executor && ts.isBlock(executor.body)) {
      checkExecutor(executor, executor.body, [...ownDeclarations(executor.body), ...usedOnlyBy(n as ts.NewExpression, executor, resolver)], creators, resolver, out);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The variables the executor declares at its top. */
function ownDeclarations(body: ts.Block): ts.VariableDeclaration[] {
  return body.statements.flatMap((st) => (ts.isVariableStatement(st) && !(st.declarationList.flags & ts.NodeFlags.Using) ? [...st.declarationList.declarations] : []));
}

/**
 * `const socket = io(url); pending.push(new Promise((resolve) => { … socket … }))`: variables declared
 * with const/let in the statements just before the one holding the promise, in the same block, that
 * nothing but the executor names — but the calls of its methods that set it up before the promise is
 * made (`const client = await mqtt.connectAsync(url); await client.subscribeAsync(topic); return new
 * Promise(…)`). The executor owns them as much as if it had made them.
 */
function usedOnlyBy(promise: ts.NewExpression, executor: ts.FunctionLikeDeclaration, resolver: OriginResolver): ts.VariableDeclaration[] {
  let st: ts.Node = promise;
  while (st.parent && !ts.isBlock(st.parent) && !ts.isSourceFile(st.parent)) {
    if (ts.isFunctionLike(st.parent)) return [];
    st = st.parent;
  }
  const block = st.parent;
  if (!block || !ts.isBlock(block)) return [];
  const out: ts.VariableDeclaration[] = [];
  for (const before of block.statements.slice(0, block.statements.indexOf(st as ts.Statement))) {
    // `await using res = dgram.createSocket(…)`: disposed when its block exits, whatever settles the promise.
    if (!ts.isVariableStatement(before) || !(before.declarationList.flags & ts.NodeFlags.BlockScoped) || before.declarationList.flags & ts.NodeFlags.Using) continue;
    for (const decl of before.declarationList.declarations) {
      const init = decl.initializer && skipOuter(decl.initializer);
      if (!init || !(ts.isCallExpression(init) || ts.isNewExpression(init) || ts.isConditionalExpression(init))) continue;
      const sym = ts.isIdentifier(decl.name) ? resolver.symbolOf(decl.name) : undefined;
      if (sym && namedOnlyWithin(block, decl.name as ts.Identifier, sym, executor, st, resolver)) out.push(decl);
    }
  }
  return out;
}

function namedOnlyWithin(block: ts.Block, name: ts.Identifier, sym: ts.Symbol, inside: ts.Node, holder: ts.Node, resolver: OriginResolver): boolean {
  let outside = false;
  let used = false;
  const visit = (n: ts.Node): void => {
    if (outside || n === inside) {
      // The executor names it (`const admin = kafka.admin()` closed before the promise is no part of it).
      if (n === inside) used = !!findNode(inside, (x) => ts.isIdentifier(x) && x.text === name.text && resolver.symbolOf(x) === sym);
      return;
    }
    if (ts.isIdentifier(n) && n !== name && n.text === name.text && resolver.symbolOf(n) === sym && !setsUp(n, holder)) outside = true;
    else ts.forEachChild(n, visit);
  };
  visit(block);
  return used && !outside;
}

/**
 * `await client.subscribeAsync(topic)` before the statement holding the promise, in the same function:
 * a method call that neither hands the resource on nor gives it a callback (a listener added there could
 * still close it after the promise settles).
 */
function setsUp(use: ts.Identifier, holder: ts.Node): boolean {
  const access = use.parent;
  // `await once(ws, 'open')`: waiting for it hands it to nobody.
  const waited = ts.isCallExpression(access) && access.arguments[0] === use && calleeName(access) === 'once';
  const call = waited ? access : access?.parent;
  if (use.end > holder.pos || !call || !ts.isCallExpression(call) || (!waited && (!ts.isPropertyAccessExpression(access) || access.expression !== use || call.expression !== access))) return false;
  for (let p: ts.Node | undefined = call; p && p !== holder.parent; p = p.parent) if (ts.isFunctionLike(p)) return false;
  if (waited) return true;
  // `sub.on('error', (e) => log(e))` sets it up too; a callback that names it may close it.
  const namesIt = (f: ts.Node) => !!findNode(f, (x) => ts.isIdentifier(x) && x.text === use.text);
  return !call.arguments.some((a) => (ts.isFunctionLike(stripParens(a)) && namesIt(stripParens(a))) || (ts.isIdentifier(stripParens(a)) && (stripParens(a) as ts.Identifier).text === use.text));
}

function checkExecutor(
  executor: ts.ArrowFunction | ts.FunctionExpression, body: ts.Block, declarations: ts.VariableDeclaration[],
  creators: CreatorFinder, resolver: OriginResolver, out: FieldLeak[],
): void {
  const settlers = settlerNames(executor);
  if (!settlers.size) return;
  for (const decl of declarations) {
    const init = decl.initializer && creation(decl.initializer, creators);
    if (!init || !ts.isIdentifier(decl.name)) continue;
    const match = creators.match(init);
    if (!match || match.callbackParam !== undefined || (!KINDS_CHECKED.has(match.kind) && match.kind !== 'server')) continue;
    const sym = resolver.symbolOf(decl.name);
    if (!sym) continue;
    const isResource = (e: ts.Node) => ts.isIdentifier(e) && resolver.symbolOf(e) === sym;
    const release = KINDS[match.kind].release;
    // A server is meant to outlive the promise (`server.listen(port, resolve)`), unless the executor closes it
    // itself: a one-shot server (an OAuth callback's), whose other ways of settling must close it too.
    if (match.kind === 'server' && !findNode(body, (n) => callsMethodOn(n, release, isResource))) continue;
    // A channel of a connection this function made (`connection = await amqp.connect(u)`): closing that
    // connection closes its channels. Only one on a connection the caller shares (a parameter, a field) piles up.
    // So does a change stream of a client made there (`client.db(n).collection(c).watch()`): that client's finding covers it.
    if ((match.kind === 'amqp-channel' || match.kind === 'change-stream') && madeAlongside(match.receiver, executor, resolver)) continue;
    const settlersOfIt = inTestCode(executor) ? settlers : withWrappers(settlers, body, isResource, release);
    const selfClosing = KINDS[match.kind].reconnectsAfterError && !asksNoReconnection(init) ? NOTHING_CLOSES
      : match.kind === 'sio-client' && asksNoReconnection(init) ? SIO_ONE_SHOT_EVENTS : SELF_CLOSING_EVENTS;
    const callbacks = settlingCallbacks(body, isResource, release, selfClosing, settlersOfIt);
    if (!callbacks || handedOutside(body, callbacks, isResource, selfClosing) || closesWithItsStream(body, isResource, release)) continue;
    const exits: FieldLeak['exits'] = [];
    const timers = closingTimers(body, isResource, release);
    for (const cb of callbacks) {
      if ('settles' in cb) {
        // `req.on('error', reject)` in a test: the rejection fails the test, which is no passing run.
        if (!timers.length && !(rejects(cb.settles, executor) && inTestCode(executor)) && !exits.some((x) => x.node === cb.settles)) {
          exits.push({ node: cb.settles, kind: 'settle' });
        }
        continue;
      }
      // A timer that closes it still runs after this callback settles, unless the callback clears it (or its opening listener did).
      if (timers.some((t) => t.fn !== cb.fn && !(t.holder && (clearsTimer(cb.fn, t.holder) || clearedBeforeReceiving(cb.fn, t.holder, body, isResource))))) continue;
      for (const settle of settleCalls(cb.fn, settlersOfIt, isResource)) {
        if (handsOn(cb.fn, isResource, settle) || failedConnect(cb.fn, settle, isResource)) continue;
        // A test's `reject(…)` fails the test: no passing run takes it.
        if (inTestCode(executor) && callsReject(settle, executor)) continue;
        if (releasedBefore(settle, cb.fn, isResource, release, body) || armedAfterRelease(cb.fn, executor, isResource, release, body)) continue;
        if (!handsCloser(settle, isResource, release) && !exits.some((x) => x.node === settle)) exits.push({ node: settle, kind: 'settle' });
      }
    }
    if (!exits.length) continue;
    const subject = makeSubject(match.kind, executor, init, { aliases: new Set([sym]) });
    out.push({
      subject, match, exits, sawRelease: true, sawEscape: false,
      releaseCall: `${decl.name.text}.${match.fixCall ?? KINDS[match.kind].fixCall}`, resourceName: decl.name.text,
    });
  }
}

/**
 * The settlers and the executor's own functions that only settle (`const settle = (rtt) => { if
 * (settled) return; settled = true; clearTimeout(timer); resolve(rtt) }`): a call of one settles the
 * promise as `resolve` would. Not one that names the resource or releases it (`finish()` that destroys
 * the socket first), nor one that calls a function of the code's own besides these: it may close it.
 */
function withWrappers(settlers: ReadonlySet<string>, body: ts.Block, isResource: (e: ts.Node) => boolean, release: string[]): Set<string> {
  const out = new Set(settlers);
  for (const st of body.statements) {
    const names = ts.isFunctionDeclaration(st) && st.name ? [st.name.text] : ts.isVariableStatement(st) ? st.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : [])) : [];
    for (const name of names) {
      const fn = localFunction(name, body);
      if (!fn?.body || settlers.has(name) || mentions(fn.body, isResource) || containsRelease(fn.body, isResource, release, body)) continue;
      let settles = false;
      let other = false;
      const visit = (n: ts.Node): void => {
        if (ts.isFunctionLike(n)) return;
        if (ts.isCallExpression(n) && ts.isIdentifier(stripParens(n.expression))) {
          const callee = (stripParens(n.expression) as ts.Identifier).text;
          if (settlers.has(callee)) settles = true;
          else if (!TIMER_CLEARS.has(callee)) other = true;
        }
        ts.forEachChild(n, visit);
      };
      visit(fn.body); // also a concise body: `const done = (ok) => resolve(ok)`
      if (settles && !other) out.add(name);
    }
  }
  return out;
}

/** `connection.createChannel()` where `connection` (through calls and constants: ownerRoot) is a variable of a function around the promise. */
function madeAlongside(receiver: ts.Expression | undefined, executor: ts.Node, resolver: OriginResolver): boolean {
  const decl = receiver && ownerRoot(receiver, (n) => resolver.symbolOf(n))?.valueDeclaration;
  return !!decl && ts.isVariableDeclaration(decl) && decl.pos < executor.pos && !ts.isSourceFile(decl.parent.parent.parent);
}

/**
 * The timers and listeners of the executor that may settle the promise: `setTimeout(fn, ms)` and
 * `resource.on(event, fn)` for events that do not close it by themselves. Undefined when the resource
 * has an idle timeout of its own that closes it (`socket.setTimeout(ms, () => socket.destroy())`),
 * which ends a forgotten connection anyway.
 */
function settlingCallbacks(
  body: ts.Block, isResource: (e: ts.Node) => boolean, release: string[], selfClosing: ReadonlySet<string>, settlers: ReadonlySet<string>,
): Callback[] | undefined {
  const out: Callback[] = [];
  // Each callback's body once: a named listener may register itself again (`sock.once('data', onHandshake)` inside `onHandshake`).
  const entered = new Set<ts.Node>();
  const enter = (f: ts.ArrowFunction | ts.FunctionExpression) => {
    if (entered.has(f)) return;
    entered.add(f);
    ts.forEachChild(f.body, visit);
  };
  const derived = derivedNames(body, isResource);
  let ownTimeout = false;
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isCallExpression(n)) {
      const callee = stripParens(n.expression);
      const fnArg = (i: number) => {
        const a = n.arguments[i] && stripParens(n.arguments[i]);
        // `sock.on('data', onHandshake)` with `const onHandshake = (chunk) => { … }` in the executor.
        const f = a && ts.isIdentifier(a) ? localFunction(a.text, body) : a;
        return f && (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) ? f : undefined;
      };
      if (ts.isIdentifier(callee) && callee.text === 'setTimeout') {
        const fn = fnArg(0);
        if (fn) out.push({ fn });
      } else if (ts.isPropertyAccessExpression(callee) && (LISTEN_METHODS.has(callee.name.text) || callee.name.text === 'setTimeout') &&
          ts.isIdentifier(stripParens(callee.expression)) && derived.has((stripParens(callee.expression) as ts.Identifier).text)) {
        // A stream of the connection (`const req = session.request(…)`): its own 'end', 'error' or idle
        // timeout (`req.setTimeout(ms, cb)`) closes nothing of the connection, so any of its listeners
        // may settle the promise with it still open; so may the settler itself given as one (`req.on('error', reject)`).
        const fn = fnArg(1);
        const arg = n.arguments[1] && stripParens(n.arguments[1]);
        if (fn && (callee.name.text === 'setTimeout' || (n.arguments[0] && ts.isStringLiteralLike(n.arguments[0])))) out.push({ fn });
        else if (arg && ts.isIdentifier(arg) && settlers.has(arg.text) && n.arguments[0] && ts.isStringLiteralLike(n.arguments[0])) out.push({ settles: n });
      } else if (ts.isPropertyAccessExpression(callee) && isReceiverChain(callee.expression, isResource)) {
        const event = n.arguments[0];
        const fn = fnArg(1);
        const onTimeout = callee.name.text === 'setTimeout' || (LISTEN_METHODS.has(callee.name.text) && event && ts.isStringLiteralLike(event) && event.text === 'timeout');
        if (onTimeout && fn && releasesWhenIdle(fn, isResource, release, body)) ownTimeout = true;
        const settler = n.arguments[1] && stripParens(n.arguments[1]);
        if (LISTEN_METHODS.has(callee.name.text) && fn && event && ts.isStringLiteralLike(event) && !selfClosing.has(event.text)) {
          out.push({ fn });
          // `ws.once('open', () => { ws.send(probe); timer = setTimeout(() => resolve(false), ms) })`: what the listener arms settles too.
          enter(fn);
        } else if (LISTEN_METHODS.has(callee.name.text) && event && ts.isStringLiteralLike(event) && !selfClosing.has(event.text) &&
            settler && ts.isIdentifier(settler) && settlers.has(settler.text)) {
          // `client.on('error', reject)` of an MQTT client, which reconnects after it: the settler itself as its listener.
          out.push({ settles: n });
        }
        if (PROMISE_METHODS.has(callee.name.text) && !isResource(stripParens(callee.expression))) {
          for (const i of [0, 1]) {
            const f = fnArg(i);
            if (f) out.push({ fn: f });
          }
        } else if (![LISTEN_METHODS, UNLISTEN_METHODS, PROMISE_METHODS].some((m) => m.has(callee.name.text)) && !release.includes(callee.name.text)) {
          // `socket.bind(0, () => socket.send(probe, port, host, (err) => { if (err) reject(err) }))`:
          // completion callbacks run once, and may settle; the calls in them register more.
          for (const f of n.arguments.map((_, i) => fnArg(i))) {
            if (!f) continue;
            out.push({ fn: f });
            enter(f);
          }
        }
      } else if (ts.isPropertyAccessExpression(callee) && PROMISE_METHODS.has(callee.name.text)) {
        // `work.then(() => resolve('finished'))`: another promise the executor races the connection against.
        for (const i of [0, 1]) {
          const f = fnArg(i);
          if (f) out.push({ fn: f });
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  // `sock.setTimeout(0)` in a listener turns that idle timeout off: after it, nothing ends the socket.
  const disarmed = !!findNode(body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'setTimeout' &&
    isReceiverChain(n.expression.expression, isResource) && n.arguments.length === 1 && ts.isNumericLiteral(stripParens(n.arguments[0])) &&
    Number((stripParens(n.arguments[0]) as ts.NumericLiteral).text) === 0);
  return ownTimeout && !disarmed ? undefined : out;
}

/** `const timer = setTimeout(() => { socket.close(); resolve(found) }, ms)` at the executor's top: the name it is kept in, if any. */
function closingTimers(body: ts.Block, isResource: (e: ts.Node) => boolean, release: string[]): Array<{ fn: ts.Node; holder?: string }> {
  const out: Array<{ fn: ts.Node; holder?: string }> = [];
  for (const st of body.statements) {
    const decl = ts.isVariableStatement(st) && st.declarationList.declarations.length === 1 ? st.declarationList.declarations[0] : undefined;
    const call = decl?.initializer ? stripParens(decl.initializer) : ts.isExpressionStatement(st) ? stripParens(st.expression) : undefined;
    if (!call || !ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== 'setTimeout') continue;
    const fn = call.arguments[0] && stripParens(call.arguments[0]);
    if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && containsRelease(fn, isResource, release, body)) {
      out.push({ fn, holder: decl && ts.isIdentifier(decl.name) ? decl.name.text : undefined });
    }
  }
  return out;
}

/**
 * The executor hands the resource on outside its callbacks (`this.sockets.add(socket)`, `resolve(socket)`
 * at once). Not in a listener for an event after which it is closed (`session.on('close', () =>
 * this.forget(session))`): by then there is nothing left to own.
 */
function handedOutside(body: ts.Block, callbacks: Callback[], isResource: (e: ts.Node) => boolean, selfClosing: ReadonlySet<string>): boolean {
  const inside = new Set<ts.Node>(callbacks.flatMap((c) => ('fn' in c ? [c.fn] : [])));
  let handed = false;
  const visit = (n: ts.Node): void => {
    if (handed || inside.has(n)) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LISTEN_METHODS.has(n.expression.name.text) &&
        isReceiverChain(n.expression.expression, isResource) && n.arguments[0] && ts.isStringLiteralLike(n.arguments[0]) && selfClosing.has(n.arguments[0].text)) return;
    if (ts.isIdentifier(n) && isResource(n) && isHandOver(n)) handed = true;
    else ts.forEachChild(n, visit);
  };
  visit(body);
  return handed;
}

/**
 * The statements of the callback that call `resolve`/`reject`: not in functions nested in it, except
 * the completion callbacks of calls on the resource (`socket.emit('snapshot', room, (snap) => resolve(snap))`,
 * `ws.send(data, () => resolve())`), which continue it.
 */
function settleCalls(fn: ts.ArrowFunction | ts.FunctionExpression, settlers: Set<string>, isResource: (e: ts.Node) => boolean): ts.Statement[] {
  const out: ts.Statement[] = [];
  // `const request = new Request(sql, (err) => …); connection.execSql(request)` of tedious: the request runs on it.
  const runsOnResource = (made: ts.NewExpression) => {
    const name = ts.isVariableDeclaration(made.parent) && ts.isIdentifier(made.parent.name) ? made.parent.name.text : undefined;
    return !!name && !!findNode(fn, (c) => ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && isReceiverChain(c.expression.expression, isResource) &&
      c.arguments.some((a) => ts.isIdentifier(a) && a.text === name));
  };
  const continues = (n: ts.Node) => {
    const call = n.parent;
    if (!(ts.isArrowFunction(n) || ts.isFunctionExpression(n))) return false;
    if (ts.isNewExpression(call)) return !!call.arguments?.includes(n) && runsOnResource(call);
    return ts.isCallExpression(call) && call.arguments.includes(n as ts.Expression) &&
      ts.isPropertyAccessExpression(call.expression) && !LISTEN_METHODS.has(call.expression.name.text) && isReceiverChain(call.expression.expression, isResource);
  };
  const isSettle = (e: ts.Node) => (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && settlers.has(e.expression.text)) || settlesThrough(e, settlers);
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) {
      if (!continues(n)) return;
      const body = (n as ts.ArrowFunction).body;
      if (!ts.isBlock(body)) {
        if (isSettle(stripParens(body))) out.push(body as unknown as ts.Statement);
        return;
      }
    }
    if (ts.isExpressionStatement(n) && isSettle(stripParens(n.expression))) {
      out.push(n);
      return;
    }
    // `if (reqErr) return reject(reqErr)`: the settling call, as an arrow's body is.
    if (ts.isReturnStatement(n) && n.expression && isSettle(stripParens(n.expression))) {
      out.push(n.expression as unknown as ts.Statement);
      return;
    }
    ts.forEachChild(n, visit);
  };
  if (ts.isBlock(fn.body)) ts.forEachChild(fn.body, visit);
  // `() => reject(new Error('timeout'))`: the body is the settling call.
  else if (isSettle(stripParens(fn.body))) out.push(fn.body as unknown as ts.Statement);
  return out;
}

/** `resolve({ port, close: () => server.close() })`: what it settles with carries a function that closes the resource. */
function handsCloser(settle: ts.Node, isResource: (e: ts.Node) => boolean, release: string[]): boolean {
  return !!findNode(settle, (n) => ts.isFunctionLike(n) && !!findNode(n, (c) => callsMethodOn(c, release, isResource)));
}

/** The listener a registration hands is the executor's own `reject`. */
function rejects(registration: ts.CallExpression, executor: ts.FunctionLikeDeclaration): boolean {
  const listener = registration.arguments[1] && stripParens(registration.arguments[1]);
  return !!listener && ts.isIdentifier(listener) && listener.text === rejectName(executor);
}

/** The settling statement calls the executor's own `reject` (`reject(new Error('timed out'))`). */
function callsReject(settle: ts.Node, executor: ts.FunctionLikeDeclaration): boolean {
  const e = ts.isExpressionStatement(settle) ? stripParens(settle.expression) : stripParens(settle as ts.Expression);
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === rejectName(executor);
}

function rejectName(executor: ts.FunctionLikeDeclaration): string | undefined {
  const reject = executor.parameters[1]?.name;
  return reject && ts.isIdentifier(reject) ? reject.text : undefined;
}
