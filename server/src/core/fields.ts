// Connections kept in a field of a class. The path walker follows resources through one function; a
// field outlives them all, so it is checked here, over the whole class:
// - overwritten: `this.ws = new WebSocket(url)` in a method that runs again while the field still
//   holds an open connection (a reconnect or retry), with no close of the old one first;
// - cleared: `this.ws = null` in a timer or a listener (a stale-connection timer), with no close
//   first: the connection it held stays open, and nothing can reach it any more;
// - never closed: the class keeps a connection in a field and nothing in it ever closes it or hands
//   it on (no `close()`, no `[Symbol.asyncDispose]`, no getter that gives it away).
import { ts } from 'ts-morph';
import { calleeName, classesIn, EQUALITY, findNode, FnLike, insideCatch, isNullLiteral, promiseExecutor, skipOuter, stripParens, thisField } from './ast';
import { CONNECTION_KINDS, KINDS } from './kinds';
import { CreatorFinder, CreatorMatch } from './creators';
import { keepsResource, promiseForm } from './creator-match';
import { reopensAfterRelease } from './reconnect-timers';
import { inCallbackOfOwnConnection, outlivesFailure } from './own-callbacks';
import { BaseClassOf, fieldUses, ownField } from './field-uses';
import { calledInPlace } from './executor-syntax';
import type { ProjectFunctionOf } from './borrowing';
import { LeakExit } from './flow';
import { makeSubject } from './subject';
import { Discovered } from './subjects';
import { CLOSURE_RUNNERS } from './references';
import { creationUnder, LISTEN_METHODS, onEitherBranch, PROMISE_CALLBACKS } from './call-shapes';
import { loopAround } from './syntax';
import { closesFirst, closesLocalFirst, closesOldCopy, enteredWhileReconnecting, entersWithFieldSet, returnsOnlyWhileReady, returnsOpenOnlyIf, returnsWhileOpenBefore, stopsFirst } from './field-guards';
import { nameOf, thisCalls } from './class-calls';
import { closedWhenHeard } from './field-streams';
import { reconnectedTwice } from './double-reconnects';
import { closedBySignal } from './signal-closes';
import { ownFactoryCreation } from './own-factories';
import { passedThrough, resolvedBy } from './field-sources';

export interface FieldLeak extends Discovered {
  exits: LeakExit[];
  sawRelease: boolean;
  sawEscape: boolean;
  /** An overwrite only if one of these calls from outside the class runs again (outside-reruns.ts): the rule judges. */
  rerunBy?: ts.Identifier[];
}

/** The calls from outside its class that may run a method again on the same object (outside-reruns.ts). */
export type OutsideCallsOf = (method: ts.MethodDeclaration, field: string, creation: ts.Node, reconnects: boolean) => ts.Identifier[];

/**
 * Kinds a field may hold that a class must close (servers and pools are meant to live on), and a pool's
 * checkout, which it must release (a dedicated pg client for `LISTEN`). Not UDP sockets (one bound to a port is a
 * listener, meant to live on: only given a new one while open, OWNERS), Kafka clients or NestJS ClientProxies (open
 * only once used; NestJS's own docs keep one in a singleton service for the app's life).
 */
export const FIELD_KINDS = new Set<string>([...CONNECTION_KINDS].filter((k) => k !== 'udp-socket' && k !== 'broker-client' && k !== 'nest-client').concat('pool-checkout'));
/** A method that starts its object once: its guard's other condition (`!this.pool || !this.ready`) is no retry. */
const START_ONCE = /^[_#]*(start|init|initiali[sz]e|setup|bootstrap|boot|launch|open)$/i;
/**
 * Method names that say they run again while connected: reconnects, retries, resets, a move to another endpoint (`_reconnect`,
 * `migrate`, `failover`, `retarget`), a change of what it is connected to (`useServers(list)`, `updateZones(zones)`, `setEndpoint(url)`).
 */
export const RERUN_NAME = { test: (name: string) => /^[_#]*(re(connect|try|start|set|fresh|new|open|init|configure|cover|load|target|point|subscribe|bind|tune)|retry|migrate|switch|failover|rotate|update|change)/i.test(name) || /^[_#]*(use|set)[A-Z]/.test(name) };
// A pool kept in a field is meant to outlive the method (not reported when never closed), but one given a new pool while open
// is dropped; so is a UDP socket (bound, a listener meant to live on) given a new one by a `rebind(port)`.
const OWNERS = new Set<string>(['wrapper', 'pool', 'udp-socket']);

export interface Assignment {
  field: string;
  call: ts.CallExpression | ts.NewExpression;
  match: CreatorMatch;
  /** The method, constructor or property declaration that makes it. */
  member: ts.ClassElement;
  /** Where the field is given it, when not around the call (`.then((fresh) => { this.socket = fresh })`). */
  assignedAt?: ts.Node;
  /** The method's local the field is given it through (`this.ws = ws`). */
  local?: string;
}

export function fieldLeaks(sf: ts.SourceFile, creators: CreatorFinder, functionOf?: ProjectFunctionOf, baseOf?: BaseClassOf, outsideCalls?: OutsideCallsOf): FieldLeak[] {
  const out: FieldLeak[] = [];
  for (const cls of classesIn(sf)) checkClass(cls, creators, out, functionOf, baseOf, outsideCalls);
  return out;
}

function checkClass(cls: ts.ClassLikeDeclaration, creators: CreatorFinder, out: FieldLeak[], functionOf?: ProjectFunctionOf, baseOf?: BaseClassOf, outsideCalls?: OutsideCallsOf): void {
  const assignments = fieldAssignments(cls, creators);
  const before = out.length;
  checkFields(cls, creators, assignments, out, functionOf, baseOf, outsideCalls);
  // A reconnect timer that still runs after the class's release method (reconnect-timers.ts), for a
  // connection of a field the class does close, and not reported above already.
  const reported = new Set(out.slice(before).map((r) => r.subject.creation));
  const all = [...assignments, ...fieldAssignments(cls, creators, true)];
  for (const a of all) {
    const timer = ts.isMethodDeclaration(a.member) && !reported.has(a.call) && fieldUses(cls, a.field, functionOf, baseOf).releases ? reopensAfterRelease(cls, a.member, a.call, a.field) : undefined;
    if (timer) out.push(report(a, { node: timer, kind: 'reopened' }));
    reported.add(a.call);
  }
  for (const a of reconnectedTwice(cls, all)) out.push(report(a, { node: a.call, kind: 'reconnectsTwice' }));
}

function checkFields(cls: ts.ClassLikeDeclaration, creators: CreatorFinder, assignments: Assignment[], out: FieldLeak[], functionOf?: ProjectFunctionOf, baseOf?: BaseClassOf, outsideCalls?: OutsideCallsOf): void {
  // Fields the object is made with (its constructor or an initializer opens them): open whenever a method runs.
  const fromStart = new Set(assignments.filter((a) => ts.isConstructorDeclaration(a.member) || ts.isPropertyDeclaration(a.member)).map((a) => a.field));
  // Given a new one while the old one may be open: by the class's own code, or by calls from outside it that may run again.
  const checkOverwrite = (a: Assignment) => {
    const exit: LeakExit = { node: a.assignedAt ?? a.call.parent, kind: 'overwrite' };
    if (overwritesOpenField(a, cls, fromStart)) out.push(report(a, exit));
    else if (ts.isMethodDeclaration(a.member) && outsideCalls) {
      const rerunBy = outsideCalls(a.member, a.field, a.call, !!KINDS[a.match.kind].reconnects);
      if (rerunBy.length) out.push({ ...report(a, exit), rerunBy });
    }
  };
  // `const ws = new WebSocket(url); this.ws = ws;`: the method may also close it through `ws`, so these
  // are checked for a clearing of the field only.
  for (const a of fieldAssignments(cls, creators, true)) {
    // The field is also given one directly (`this.lock = await connect()` in start()): clearing is checked with those below.
    if (assignments.some((b) => b.field === a.field)) {
      checkOverwrite(a);
      continue;
    }
    const cleared = clearedWhileOpen(cls, a.field);
    if (cleared) out.push(report(a, { node: cleared, kind: 'cleared' }));
    // Run again with the field's connection still open (a drain timer's `this.connect()`): the old one is dropped.
    else checkOverwrite(a);
  }
  // A project object that owns a connection (`this.lock = await RedisLock.connect(…)`), or a pool: only given a new one while it may be open.
  for (const a of [...fieldAssignments(cls, creators, false, OWNERS), ...fieldAssignments(cls, creators, true, OWNERS)]) checkOverwrite(a);
  if (!assignments.length) return;
  const byField = new Map<string, Assignment[]>();
  for (const a of assignments) byField.set(a.field, [...(byField.get(a.field) ?? []), a]);
  for (const [field, list] of byField) {
    const uses = fieldUses(cls, field, functionOf, baseOf);
    // A WebSocket client kept for good is the usual shape of a page's (or a long-lived service's) live
    // connection, in Node as in browsers: only the overwrite check applies to it.
    if (!uses.releases && !uses.handsOver && list[0].match.kind !== 'websocket' && !closedBySignal(cls, list[0].call)) {
      const a = list[0];
      out.push(report(a, { node: a.call, kind: 'classNeverCloses' }));
      continue;
    }
    for (const a of list) checkOverwrite(a);
    const cleared = clearedWhileOpen(cls, field);
    if (cleared) out.push(report(list[0], { node: cleared, kind: 'cleared' }));
  }
}

export function report(a: Assignment, exit: LeakExit): FieldLeak {
  const subject = makeSubject(a.match.kind, enclosingMember(a.member), ownFactoryCreation(a.call, a.member) ?? a.call, { creation: a.call });
  return {
    subject, match: a.match, exits: [exit], sawRelease: exit.kind === 'overwrite', sawEscape: false,
    releaseCall: `this.${a.field}.${a.match.fixCall ?? KINDS[a.match.kind].fixCall}`, resourceName: `this.${a.field}`,
  };
}

function enclosingMember(m: ts.ClassElement): FnLike {
  return (ts.isFunctionLike(m) ? m : m.parent) as unknown as FnLike;
}

/**
 * `this.f = create()` (through `await`, `.on(…)`/`.catch(…)` chains) and `f = create()` initializers;
 * with `throughLocal`, `this.f = ws` where `const ws = create()` in the same method instead.
 */
export function fieldAssignments(cls: ts.ClassLikeDeclaration, creators: CreatorFinder, throughLocal = false, kinds: ReadonlySet<string> = FIELD_KINDS): Assignment[] {
  const out: Assignment[] = [];
  for (const member of cls.members) {
    if (throughLocal) {
      if (ts.isMethodDeclaration(member) && member.body) out.push(...localAssignments(member, creators, kinds));
      continue;
    }
    if (ts.isPropertyDeclaration(member) && member.initializer && member.name && ts.isIdentifier(member.name)) {
      const call = creationUnder(member.initializer);
      const match = call && creators.match(call);
      if (call && match && kinds.has(match.kind)) out.push({ field: member.name.text, call, match, member });
      continue;
    }
    const visit = (n: ts.Node): void => {
      if (ts.isClassLike(n)) return;
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const field = ownField(n.left, cls);
        const direct = field ? creationUnder(n.right) ?? onEitherBranch(n.right) : undefined;
        const resolved = field && !direct ? resolvedBy(n.right) : undefined;
        const made = direct ?? resolved;
        // `this.client = this.attach(mqtt.connect(url))`: a method of the class that sets it up and returns it.
        const call = made && (passedThrough(made, cls) ?? made);
        const match = call && creators.match(call);
        if (field && call && match && kinds.has(match.kind) && (match.callbackParam === undefined || promiseForm(call, match)) && keepsResource(n.right, call, match)) {
          out.push({ field, call, match, member, assignedAt: resolved && n });
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(member);
  }
  return out;
}

function localAssignments(member: ts.MethodDeclaration, creators: CreatorFinder, kinds: ReadonlySet<string>): Assignment[] {
  const out: Assignment[] = [];
  const locals = new Map<string, ts.CallExpression | ts.NewExpression>();
  const unwrapped = new Map<string, ts.CallExpression | ts.NewExpression>();
  // Also in the executor of a promise the method makes (run in place), and in a listener of such a local for its
  // connect (`socket.once('connect', () => { this.socket = socket; resolve() })`).
  const listenerOfLocal = (c: ts.Node) => ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) &&
    LISTEN_METHODS.has(c.expression.name.text) && ts.isIdentifier(c.expression.expression) && locals.has(c.expression.expression.text);
  // …or one named first (`const onData = (d) => { …; this.control = sock }; sock.on('data', onData)`).
  const named = (f: ts.Node) => ts.isVariableDeclaration(f.parent) && ts.isIdentifier(f.parent.name) && !!findNode(member.body!, (c) => listenerOfLocal(c) &&
    (c as ts.CallExpression).arguments.some((a) => ts.isIdentifier(a) && a.text === ((f.parent as ts.VariableDeclaration).name as ts.Identifier).text));
  const inPlace = (f: ts.Node) => promiseExecutor(f.parent) === f || listenerOfLocal(f.parent) || named(f) || calledInPlace(f, member);
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && n !== member && !inPlace(n)) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isVariableDeclarationList(n.parent) &&
        (n.parent.flags & ts.NodeFlags.Const)) {
      // `const ws = await connect(url)` too, and either branch: `const socket = secure ? tls.connect(o) : net.connect(o)`.
      const value = stripParens(n.initializer);
      const init = creationUnder(value) ?? onEitherBranch(value);
      if (init) locals.set(n.name.text, init);
    }
    // `const { connection, channel } = await connectWithRetry(url)`: the local of the property that holds the connection.
    if (ts.isVariableDeclaration(n) && ts.isObjectBindingPattern(n.name) && n.initializer) {
      const init = creationUnder(stripParens(n.initializer));
      const through = init && creators.match(init)?.through;
      const el = through && n.name.elements.find((e) => !e.dotDotDotToken && ts.isIdentifier(e.name) && ((e.propertyName ?? e.name) as ts.Identifier).text === through);
      if (el) unwrapped.set((el.name as ts.Identifier).text, init);
    }
    // `this.pool = pool`, or a method that resolves to it: `this.pool = await pool.connect()` (CreatorMatch.returnsSelf).
    const right = ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken ? skipOuter(n.right) : undefined;
    const method = right && ts.isCallExpression(right) && ts.isPropertyAccessExpression(right.expression) ? right.expression : undefined;
    const local = right && (ts.isIdentifier(right) ? right : method && stripParens(method.expression));
    const [field, call] = local && ts.isIdentifier(local) ? [thisField((n as ts.BinaryExpression).left), locals.get(local.text) ?? unwrapped.get(local.text)] : [];
    const found = call && creators.match(call);
    const match = found && local && unwrapped.has((local as ts.Identifier).text) ? { ...found, through: undefined } : found;
    if (field && call && match && (!method || match.returnsSelf?.includes(method.name.text)) && kinds.has(match.kind) && match.callbackParam === undefined) out.push({ field, call, match, member, local: (local as ts.Identifier).text });
    ts.forEachChild(n, visit);
  };
  visit(member.body!);
  return out;
}

/**
 * The assignment's method runs again while the field may hold an open connection, and closes nothing of it first;
 * or the object was made with one in that field (`fromStart`: `constructor() { this.client = this.open(url) }`),
 * and the method gives it another (`moveTo(url) { this.client = this.open(url) }`), unless only a close of the
 * old one ever calls it.
 */
export function overwritesOpenField(a: Assignment, cls: ts.ClassLikeDeclaration, fromStart?: ReadonlySet<string>): boolean {
  const reconnects = !!KINDS[a.match.kind].reconnects;
  if (!ts.isMethodDeclaration(a.member) || !a.member.body || closesFirst(a.member.body, a.field, a.call, reconnects) || closesOldCopy(a.member.body, a.field, a.call)) return false;
  // `.then((fresh) => { this.socket?.destroy(); this.socket = fresh })`: the callback that assigns it closes the old one first.
  const callback = a.assignedAt && ts.findAncestor(a.assignedAt, ts.isFunctionLike) as ts.FunctionLikeDeclaration | undefined;
  if (callback?.body && a.assignedAt && (closesFirst(callback.body, a.field, a.assignedAt, reconnects) || closesOldCopy(callback.body, a.field, a.assignedAt))) return false;
  if (heardOnceClosed(a)) return false;
  // In the method's own code (one in a callback of it, a failed ping's, is judged below).
  const ownCode = ts.findAncestor(a.call.parent, ts.isFunctionLike) === a.member;
  if (fromStart?.has(a.field) && ownCode && !calledOnlyAfterClose(a.member, cls, a) && !clearedBefore(a.call, a.field)) return true;
  // Also an assignment in a timer or a listener of the method itself: `setInterval(() => { if (stale) this.client = this.open() })`.
  return mayRunWhileOpen(a.member, cls, a) || calledAgainWithoutClose(a.member, cls, a, reconnects) || inCallbackOfOwnConnection(a.call, a.field, a.member, outlivesFailure(a.match.kind, reconnects)) ||
    calledLater(a.call, cls, a) || usedBefore(a.member.body, a) || (ownCode && (returnsOpenOnlyIf(a.member.body, a.field, a.call) ||
      (reconnects && returnsOnlyWhileReady(a.member.body, a.field, a.call)) || (entersWithFieldSet(a.call, a.member, a.field) && !START_ONCE.test(nameOf(a.member) ?? ''))));
}

/**
 * `wire(socket) { socket.on('close', () => { this.socket = net.connect(o) }) }`: given a new one only in a listener for an event after
 * which the connection it listens to is gone (field-streams.ts `closedWhenHeard`), whatever runs the method that registers it.
 */
function heardOnceClosed(a: Assignment): boolean {
  for (let n: ts.Node = a.assignedAt ?? a.call; n.parent && n !== a.member; n = n.parent) {
    const listen = n.parent;
    if (!(ts.isArrowFunction(n) || ts.isFunctionExpression(n)) || !ts.isCallExpression(listen) || listen.arguments[1] !== n) continue;
    const callee = listen.expression;
    const event = listen.arguments[0];
    const emitter = ts.isPropertyAccessExpression(callee) && LISTEN_METHODS.has(callee.name.text) ? stripParens(callee.expression) : undefined;
    const ofConnection = !!emitter && ((ts.isIdentifier(emitter) && emitter.text !== 'process') || thisField(emitter) === a.field);
    if (ofConnection && ts.isStringLiteralLike(event) && closedWhenHeard(listen, event.text, a.field, a.match.kind, a.call)) return true;
  }
  return false;
}

/**
 * `await this.client.publishAsync(cmd); if (await acked) return true; this.client = mqtt.connect(url)`: the
 * method works with the connection the field holds, then gives the field a new one: the old one was open.
 */
function usedBefore(body: ts.Block, a: Assignment): boolean {
  return !!findNode(body, (n) => n.end <= a.call.pos && ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) &&
    thisField(stripParens(n.expression.expression)) === a.field && ts.findAncestor(n, ts.isFunctionLike) === a.member);
}

/**
 * The method runs again while the field may hold an open connection: its name says so (`reconnect`,
 * `retry`) and not only a close listener calls it, or the class calls it from a timer or a listener
 * other than one for a close (`this.socket.setTimeout(5000, () => this.connect())`,
 * `setInterval(() => this.refresh())`).
 */
function mayRunWhileOpen(method: ts.MethodDeclaration, cls: ts.ClassLikeDeclaration, a: Assignment): boolean {
  const name = nameOf(method);
  if (!name) return false;
  // Not from a timer that closes the field's copy first (`const stale = this.socket; stale?.destroy(); this.connect()`).
  const closedFirst = (c: ts.CallExpression) => {
    const body = (ts.findAncestor(c.parent, ts.isFunctionLike) as ts.FunctionLikeDeclaration | undefined)?.body;
    return !!body && (closesFirst(body, a.field, c) || closesOldCopy(body, a.field, c));
  };
  return (RERUN_NAME.test(name) && !calledOnlyAfterClose(method, cls, a)) || thisCalls(cls, name).some((c) => calledLater(c, cls, a) && !closedFirst(c));
}

/**
 * Another method calls it directly, with nothing of the field closed before the call, where that
 * method runs again (by its name, or from a timer or a listener: a stale-session watchdog's
 * `_checkStale() { if (stale) this._connect() }`) or the call sits in a loop: `reconfigure(opts) { …; this.connect(); }`,
 * `while (this.running) { try { … } catch { this.connectBlocking(); } }`, or, for a client that reconnects
 * by itself or outlives a failed operation, in the catch of a failed operation (retriesFailedOperation).
 */
function calledAgainWithoutClose(method: ts.MethodDeclaration, cls: ts.ClassLikeDeclaration, a: Assignment, reconnects: boolean): boolean {
  const name = nameOf(method);
  if (!name) return false;
  return cls.members.some((m) => {
    if (m === method || !ts.isMethodDeclaration(m) || !m.body) return false;
    // A `restart()` that only a close listener calls runs once the old connection is gone.
    // Also one the class runs from a timer or a listener (`setInterval(() => this._checkStale(), ms)`).
    const rerun = (RERUN_NAME.test(nameOf(m) ?? '') && !calledOnlyAfterClose(m, cls, a)) || (!!nameOf(m) && thisCalls(cls, nameOf(m)!).some((c) => calledLater(c, cls, a)));
    if (thisCalls(m.body, name, true).some((c) => (rerun || !!loopAround(c, m) || (outlivesFailure(a.match.kind, reconnects) && retriesFailedOperation(c, name)) ||
        (reconnects && enteredWhileReconnecting(c, m, a.field))) &&
        !closesFirst(m.body!, a.field, c, reconnects) && !closesOldCopy(m.body!, a.field, c) && !stopsFirst(m.body!, cls, a.field, c))) return true;
    // `this.session.ping((err, rtt) => { if (!ok) this.connect() })`: the session that answered is open.
    return thisCalls(m.body, name).some((c) => inCallbackOfOwnConnection(c, a.field, m, outlivesFailure(a.match.kind, reconnects)) && !closesFirst(m.body!, a.field, c, reconnects));
  });
}

/**
 * `try { return await op() } catch (err) { if (isNetworkError(err)) { await this.connect(); return op() } }`:
 * a retry after a failed operation. A client that reconnects by itself (MongoDB, Redis, MQTT) is still open
 * after a failed operation, so the call opens a second one over it. Not a catch after a failed `this.connect()`
 * itself, whose client may never have opened.
 */
function retriesFailedOperation(call: ts.CallExpression, name: string): boolean {
  const clause = ts.findAncestor(call, (n) => ts.isFunctionLike(n) || ts.isCatchClause(n));
  if (!clause || !ts.isCatchClause(clause)) return false;
  return thisCalls((clause.parent as ts.TryStatement).tryBlock, name).length === 0;
}

/**
 * Inside a callback that is not a listener for a close-like event: a 'timeout' or 'message' listener,
 * or a timer that is not itself inside a close listener (`on('close', () => setTimeout(reconnect))`).
 */
export function calledLater(call: ts.Node, cls: ts.Node, a?: Assignment): boolean {
  let timer = false;
  for (let n: ts.Node = call; n.parent && n !== cls; n = n.parent) {
    // `_scheduleReconnect() { setTimeout(() => this._connect(), delay) }`, called only from close
    // listeners: its timer runs once the old connection is gone.
    if (ts.isMethodDeclaration(n)) return timer && !calledOnlyAfterClose(n, cls, a);
    if (!ts.isArrowFunction(n) && !ts.isFunctionExpression(n)) continue;
    const holder = n.parent;
    if (!ts.isCallExpression(holder)) return timer;
    const m = calleeName(holder);
    const event = holder.arguments[0];
    if (m && LISTEN_METHODS.has(m) && event && ts.isStringLiteralLike(event)) return !closedWhenHeard(holder, event.text, a?.field, a?.match.kind, a?.call);
    // `this.tick().catch((err) => this.recover(err))` in a timer: a callback of a promise chain runs where the chain does.
    if (m && PROMISE_CALLBACKS.has(m) && holder.arguments.includes(n)) continue;
    if (m !== 'setTimeout' && m !== 'setInterval') return timer;
    timer = true;
  }
  return timer;
}

/**
 * Every `this.name()` of the class is in a listener for a close-like event (and there is one), or comes
 * after its method has cleared the field (`this.client = null; client.end(); this.scheduleRetry()`). Its
 * own calls do not count (`this.start().catch(() => this.scheduleReconnect())` in its timer): they run
 * on after a reconnect that opened nothing.
 */
function calledOnlyAfterClose(method: ts.MethodDeclaration, cls: ts.Node, a?: Assignment): boolean {
  const name = nameOf(method);
  const calls = name ? thisCalls(cls, name).filter((c) => (c.pos < method.pos || c.end > method.end) && !afterFailedOpen(c, a)) : [];
  return calls.length > 0 && calls.every((c) => {
    const caller = ts.findAncestor(c, ts.isMethodDeclaration);
    if (a && (clearedBefore(c, a.field) || (caller?.body && returnsWhileOpenBefore(caller.body, c, a.field)))) return true;
    for (let n: ts.Node = c; n.parent && n !== cls; n = n.parent) {
      if (!ts.isArrowFunction(n) && !ts.isFunctionExpression(n)) continue;
      const holder = n.parent;
      const event = ts.isCallExpression(holder) ? holder.arguments[0] : undefined;
      // A listener (`socket.once('close', () => …)`) before a closure runner: `once` is both.
      if (ts.isCallExpression(holder) && LISTEN_METHODS.has(calleeName(holder) ?? '') && !!event && ts.isStringLiteralLike(event)) {
        return closedWhenHeard(holder, event.text, a?.field, a?.match.kind, a?.call);
      }
      // `on('close', () => setTimeout(() => this.restart(), 2000))`: the timer runs after the close too.
      if (ts.isCallExpression(holder) && CLOSURE_RUNNERS.has(calleeName(holder) ?? '')) continue;
      return false;
    }
    return false;
  });
}

/** `this.client = null` (or `undefined`) earlier in the method around `call`: what the field held is no longer there to overwrite. */
function clearedBefore(call: ts.Node, field: string): boolean {
  const m = ts.findAncestor(call, ts.isMethodDeclaration);
  return !!m?.body && !!findNode(m.body, (n) => n.end <= call.pos && ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    thisField(n.left) === field && (isNullLiteral(n.right) || (ts.isIdentifier(n.right) && n.right.text === 'undefined')));
}

/**
 * `try { await client.connect() } catch { await client.end(); this.scheduleReconnect() }` in the method
 * that makes the connection and gives it to the field only after that try: on that path this run's
 * connection failed and the field never got it, so what the call schedules replaces nothing it opened.
 */
function afterFailedOpen(c: ts.Node, a: Assignment | undefined): boolean {
  const body = a && ts.isMethodDeclaration(a.member) ? a.member.body : undefined;
  if (!a || !body) return false;
  if (c.pos < body.pos || c.end > body.end) return afterFailedOpenerCall(c, a, body);
  let p: ts.Node = c;
  while (p !== body && !ts.isCatchClause(p) && !ts.isFunctionLike(p)) p = p.parent;
  if (!ts.isCatchClause(p)) return false;
  const attempt = p.parent;
  return a.call.end <= attempt.pos && !!findNode(body, (n) => ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    thisField(n.left) === a.field && n.pos >= attempt.end);
}

/**
 * `async start() { try { await this.connect() } catch (err) { this.scheduleReconnect() } }`: the catch of another
 * method's call of the opener, which gives the field its connection after its last `await` (`this.conn = conn` once
 * the channel is set up): when that call failed, the field never got this run's connection.
 */
function afterFailedOpenerCall(c: ts.Node, a: Assignment, body: ts.Block): boolean {
  const clause = ts.findAncestor(c, (n) => ts.isFunctionLike(n) || ts.isCatchClause(n));
  const name = nameOf(a.member as ts.MethodDeclaration);
  if (!clause || !ts.isCatchClause(clause) || !name || !thisCalls((clause.parent as ts.TryStatement).tryBlock, name).length) return false;
  // The field's last assignment in the opener (`this.conn = conn`, the connection made above it).
  let assigned: ts.Node | undefined;
  findNode(body, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && thisField(n.left) === a.field && !isNullLiteral(n.right)) assigned = n;
    return false;
  });
  const at = assigned;
  // An `await` of the catch that closes this run's connection (`catch (err) { await conn.close(); throw err }`) is no step after it.
  return !!at && at.pos >= a.call.end && !findNode(body, (n) => n.pos >= at.end && ts.isAwaitExpression(n) &&
    ts.findAncestor(n, (x) => ts.isFunctionLike(x) || ts.isCatchClause(x)) === a.member);
}

/**
 * `this.ws = null` (or `undefined`) in a timer or a listener for something other than a close, when
 * nothing before it in the method closes the field, tests it or keeps it elsewhere (`const old =
 * this.ws`). Not in a constructor or a `catch` (nothing was opened there), and not where the method
 * gives the field a new connection afterwards (the overwrite check covers that).
 */
function clearedWhileOpen(cls: ts.ClassLikeDeclaration, field: string): ts.Node | undefined {
  let found: ts.Node | undefined;
  for (const member of cls.members) {
    if (found || !ts.isMethodDeclaration(member) || !member.body) continue;
    const body = member.body;
    const visit = (n: ts.Node): void => {
      if (found || ts.isClassLike(n)) return;
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && thisField(n.left) === field && isNullLiteral(n.right) &&
          ts.isExpressionStatement(n.parent) && calledLater(n, cls) && !insideCatch(n, body) && !closesFirst(body, field, n) && !closesLocalFirst(body, field, n) &&
          !keptBefore(body, field, n) && !setAgainAfter(body, field, n)) found = n.parent;
      ts.forEachChild(n, visit);
    };
    visit(body);
  }
  return found;
}

/** Before `at`, the field is read other than to call a method on it or compare it: it may be kept (`const old = this.ws`). */
function keptBefore(body: ts.Node, field: string, at: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n.pos >= at.pos) return;
    if (ts.isPropertyAccessExpression(n) && thisField(n) === field) {
      const p = n.parent;
      const assigned = ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken;
      // `if (this.socket !== socket) return`: which socket it holds, not a copy of it.
      const compared = ts.isBinaryExpression(p) && EQUALITY.has(p.operatorToken.kind);
      if (!assigned && !compared && !(ts.isPropertyAccessExpression(p) && p.expression === n)) found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/** After `at` and in the same function (not in the method around a listener `at` is in, which ran before it), the field is set again. */
function setAgainAfter(body: ts.Node, field: string, at: ts.Node): boolean {
  let found = false;
  const fn = ts.findAncestor(at, ts.isFunctionLike);
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n.pos > at.end && ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && thisField(n.left) === field && !isNullLiteral(n.right) &&
        ts.findAncestor(n, ts.isFunctionLike) === fn) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}
