// Connections kept in a collection field of a class, one per key (`this.subs.set(stream, { socket })`,
// `this.peers.add(ws)`), and dropped from it by a method that closes nothing: `unfollow(stream) {
// sub.socket.off('line', h); this.subs.delete(stream) }`. The entry's connection stays open (a
// Socket.IO or Redis client reconnects on its own), and the class, which closes its entries elsewhere
// (`close() { for (const s of this.subs.values()) s.socket.disconnect() }`), can no longer reach it.
// So does a cache that drops its least recently used entry when full (lru-cache without `dispose`, a
// project's own LRU map): every `set()` may evict an open connection nobody closes. A module's own
// collection (`const rooms = new Map()` at its top level, used by its functions) is checked the same way.
import { ts } from 'ts-morph';
import { bindingNames, calleeName, classesIn, findNode, FnLike, forEachReturn, isStringArg, skipOuter, stripParens, thisField, within } from './ast';
import { CONNECTION_KINDS, KINDS, releaseMethods } from './kinds';
import { CreatorFinder, CreatorMatch } from './creators';
import { promiseForm } from './creator-match';
import { makeSubject } from './subject';
import { creationUnder, LISTEN_METHODS } from './call-shapes';
import { calledLater, FieldLeak } from './fields';
import { nameOf, thisCalls } from './class-calls';
import { CLOSED_EVENTS } from './field-streams';
import { replacedUnclosed } from './replaced-entries';
import { classHolder, Fn, Holder, moduleHolder } from './collection-holders';

const STORES = new Set(['set', 'add', 'push']);
/** Kinds that reconnect or hold a socket of their own, and a pool's checkout (only its release gives it back); servers and pools live on by design. */
const ENTRY_KINDS = new Set<string>([...[...CONNECTION_KINDS].filter((k) => k !== 'udp-socket'), 'pool-checkout']);

interface Entry {
  field: string;
  call: ts.CallExpression | ts.NewExpression;
  match: CreatorMatch;
  member: Fn;
  store: ts.CallExpression;
  /** The property of a stored object that holds the connection (`socket` of `{ ...printer, socket }`). */
  key?: string;
}

/** What the engine knows of a field's `new X(…)`: the package it comes from, or the project class it makes. */
export interface CacheLookup {
  moduleOf(e: ts.NewExpression): string | undefined;
  classOf(e: ts.NewExpression): ts.ClassLikeDeclaration | undefined;
}

/** Caches that evict their least recently used entry when full, and the options that hook an eviction. */
const LRU_MODULES = new Set(['lru-cache', 'quick-lru', 'tiny-lru', 'lru_map', 'mnemonist']);
const EVICTION_HOOKS = new Set(['dispose', 'disposeAfter', 'onEviction', 'onEvict', 'onevict']);
/** Map bookkeeping an LRU's own `set()` does: nothing there can close what it evicts. */
const MAP_CALLS = new Set(['delete', 'set', 'has', 'get', 'keys', 'values', 'entries', 'next', 'shift', 'pop', 'push', 'unshift', 'splice', 'indexOf']);

/** The calls of a method from outside its class on an object that outlives them (outside-reruns.ts). */
export type OutsideMethodCalls = (method: ts.MethodDeclaration) => ts.Identifier[];

export function evictionLeaks(sf: ts.SourceFile, creators: CreatorFinder, caches: CacheLookup, outsideCalls?: OutsideMethodCalls): FieldLeak[] {
  const out: FieldLeak[] = [];
  // Most files: no walk. `.set(` alone is everywhere (every Map): only with an LRU named in the file.
  if (!sf.text.includes('.delete(') && !(sf.text.includes('.set(') && (/lru/i.test(sf.text) || sf.text.includes('.get(')))) return out;
  for (const cls of classesIn(sf)) check(classHolder(cls), creators, caches, out, outsideCalls);
  const module = moduleHolder(sf);
  if (module) check(module, creators, caches, out);
  return out;
}

function check(holder: Holder, creators: CreatorFinder, caches: CacheLookup, out: FieldLeak[], outsideCalls?: OutsideMethodCalls): void {
  const methods = holder.fns;
  for (const e of methods.flatMap((m) => storedEntries(m, holder, creators))) {
    const release = new Set(releaseMethods(e.match.kind, e.match.fixCall));
    const closers = methods.filter((m) => callsRelease(m.body, release));
    // The class closes its entries somewhere: the convention its other methods break. Or it closes
    // nothing of the kind anywhere, and nothing but the entry ever holds the connection: once the entry
    // is deleted, nobody can close it.
    const conventional = closers.some((m) => refersTo(m.body, holder, e.field));
    // A project object's entry (`new ScannerLink(def)`) counts only where the class stops its entries somewhere, and not
    // for a full cache or for `evictedNeverClosed`: those judge what holds the connection, which the object's own fields do.
    const wrapper = e.match.kind === 'wrapper';
    if (wrapper && !conventional) continue;
    if (!conventional && (closers.length || !onlyTheEntryHolds(e, methods, holder))) continue;
    // `const ready = new Promise((resolve) => { const conn = new Client(); … })` stored: reported at the connection's own creation.
    const at = e.match.madeAt && within(e.match.madeAt, e.call) ? e.match.madeAt : e.call;
    const subject = () => makeSubject(e.match.kind, e.member as FnLike, at, { creation: e.call });
    if (conventional && !wrapper && e.store.expression.getText().endsWith('.set') && dropsOldest(holder.initializer(e.field), caches)) {
      out.push({
        subject: subject(), match: e.match, exits: [{ node: e.store, kind: 'cacheEvicts' }], sawRelease: true, sawEscape: false,
        releaseCall: e.match.fixCall ?? KINDS[e.match.kind].fixCall, resourceName: holder.display(e.field),
      });
      continue;
    }
    const replaced = conventional ? replacedUnclosed(e.member.body, e.store, (x) => holder.collection(x) === e.field) : undefined;
    if (replaced) {
      out.push({
        subject: subject(), match: e.match, exits: [{ node: replaced, kind: 'replaced' }], sawRelease: true, sawEscape: false,
        releaseCall: e.match.fixCall ?? KINDS[e.match.kind].fixCall, resourceName: holder.display(e.field),
      });
      continue;
    }
    const again = conventional && !wrapper ? storedAgainWhileOpen(e, holder, release, outsideCalls) : undefined;
    if (again) {
      out.push({
        subject: subject(), match: e.match, exits: [{ node: e.store, kind: 'storedAgain' }], sawRelease: true, sawEscape: false,
        releaseCall: e.match.fixCall ?? KINDS[e.match.kind].fixCall, resourceName: holder.display(e.field), rerunBy: again === true ? undefined : again,
      });
      continue;
    }
    const closerNames = new Set(closers.flatMap((m) => holder.nameOf(m) ?? []));
    for (const m of methods) {
      const own = deleteOf(m, holder, e.field);
      // A delete in a listener of another connection is judged by that listener alone (deleteOnOthersClose).
      const evict = own ?? deleteOnOthersClose(m, holder, e, release, closerNames) ?? deleteOnOwnMessage(m, holder, e, release, closerNames);
      if (!evict || (own && (closers.includes(m) || callsOwn(m.body, holder, closerNames) || handsOn(m, holder, e.field, e.key) || deletesCallersOwn(e, evict, m) ||
          calledOnlyOnClose(m, holder, e)))) continue;
      out.push({
        subject: subject(), match: e.match, exits: [{ node: evict, kind: conventional ? 'evicted' : 'evictedNeverClosed' }], sawRelease: true, sawEscape: false,
        releaseCall: e.match.fixCall ?? KINDS[e.match.kind].fixCall, resourceName: holder.display(e.field),
      });
      break;
    }
  }
}

/**
 * The connections `method` makes and keeps per key in a collection of its class, which closes that collection's entries
 * in other methods (`closeAll()`): the entries, each with the names of those closing methods.
 */
export function keptEntriesOf(cls: ts.ClassLikeDeclaration, method: ts.MethodDeclaration, creators: CreatorFinder): Array<{ match: CreatorMatch; closers: string[] }> {
  const holder = classHolder(cls);
  const m = holder.fns.find((f) => f === method);
  return (m ? storedEntries(m, holder, creators) : []).flatMap((e) => {
    const release = new Set(releaseMethods(e.match.kind, e.match.fixCall));
    const closers = holder.fns.filter((f) => f !== m && callsRelease(f.body, release) && refersTo(f.body, holder, e.field)).flatMap((f) => holder.nameOf(f) ?? []);
    return e.match.kind !== 'wrapper' && closers.length ? [{ match: e.match, closers }] : [];
  });
}

/**
 * `connect(meter) { const socket = net.connect(o); …; this.sockets.set(meter.id, socket) }`, which never looks at the entry,
 * called again by a method of the class that a timer or a listener runs (`poll() { if (stale) this.connect(meter) }` from
 * `setInterval`) with nothing closed first there: the store drops the connection the entry held, which may still be open.
 * Or by such a method that code outside the class calls on the object it keeps (`roomUpdated(room) { this.connectRoom(room) }`
 * from a consumer's listener): those calls are returned, for the rule to judge whether they run again (LeakRuleOptions.runsAgain).
 */
function storedAgainWhileOpen(e: Entry, holder: Holder, release: ReadonlySet<string>, outsideCalls?: OutsideMethodCalls): true | ts.Identifier[] | undefined {
  const m = e.member;
  const name = holder.nameOf(m);
  if (!name || !ts.isMethodDeclaration(m) || !ts.isClassLike(m.parent) || ts.findAncestor(e.store.parent, ts.isFunctionLike) !== m) return undefined;
  const cls = m.parent;
  const onCollection = (n: ts.Node, methods: string[]) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) &&
    methods.includes(n.expression.name.text) && holder.collection(stripParens(n.expression.expression)) === e.field;
  if (findNode(m.body!, (n) => onCollection(n, ['get', 'has', 'delete']), true)) return undefined;
  // Closed first in the caller: a release of anything, or the collection looked at, before the call.
  const closedFirst = (body: ts.Node, c: ts.Node) => !!findNode(body, (n) => n.end <= c.pos && (onCollection(n, ['get', 'delete']) ||
    (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && release.has(n.expression.name.text))));
  const rerunners = cls.members.filter((other): other is ts.MethodDeclaration => ts.isMethodDeclaration(other) && other !== m && !!other.body && !!nameOf(other) &&
    thisCalls(other.body, name, true).some((c) => !closedFirst(other.body!, c)));
  if (rerunners.some((other) => thisCalls(cls, nameOf(other)!).some((c) => calledLater(c, cls)))) return true;
  const outside = outsideCalls ? rerunners.flatMap(outsideCalls) : [];
  return outside.length ? outside : undefined;
}

/**
 * The connection is held by its entry alone: the method that makes it only calls its methods and
 * stores it (`conn.on('message', h); this.rooms.set(id, { conn })`, also through a local object:
 * `const sub = { conn }; this.rooms.set(id, sub)`), and no other method takes entries out of the
 * collection (`get`, `values()`, iteration…) except one that deletes them.
 */
function onlyTheEntryHolds(e: Entry, methods: Fn[], holder: Holder): boolean {
  const body = e.member.body;
  const stored = skipOuter(e.store.arguments[e.store.arguments.length - 1]);
  const local = localHolding(e.call);
  if (!local) return false;
  const holders = new Map<string, ts.Node | undefined>([[local, undefined]]);
  // `const sub = { conn, listeners }` stored as `sub`: the object is a holder too.
  const wrapperName = ts.isIdentifier(stored) && stored.text !== local ? stored.text : undefined;
  const wrapper = wrapperName ? objectLocal(body, wrapperName) : undefined;
  if (wrapperName && wrapper) holders.set(wrapperName, wrapper);
  const inHolder = (n: ts.Node) => [...holders.values()].some((o) => o && n.pos >= o.pos && n.end <= o.end) || (n.pos >= stored.pos && n.end <= stored.end);
  const handed = findNode(body, (n) => {
    if (!ts.isIdentifier(n) || !holders.has(n.text) || (ts.isVariableDeclaration(n.parent) && n.parent.name === n)) return false;
    const p = n.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === n) return false;
    // `if (!entry)`: a look at it; `entry = { sub }`: what it is set to; `const current = entry`: another name for the holder.
    if ((ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) || (ts.isIfStatement(p) && p.expression === n) ||
        (ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken)) return false;
    if (ts.isVariableDeclaration(p) && p.initializer === n && ts.isIdentifier(p.name)) {
      holders.set(p.name.text, holders.get(n.text));
      return false;
    }
    return !inHolder(n);
  }, true);
  return !handed && methods.every((m) => m === e.member || !!deleteOf(m, holder, e.field) || !takesEntries(m.body, holder, e.field));
}

/** The variable a creating call (possibly awaited) initializes. */
function localHolding(call: ts.Node): string | undefined {
  let n = call;
  while (n.parent && (ts.isAwaitExpression(n.parent) || ts.isParenthesizedExpression(n.parent))) n = n.parent;
  return ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name) ? n.parent.name.text : undefined;
}

/** The object literal a local of the method is initialized or assigned with (`let entry = …; entry = { sub }`). */
function objectLocal(body: ts.Node, name: string): ts.ObjectLiteralExpression | undefined {
  const objectOf = (e: ts.Expression | undefined) => (e && ts.isObjectLiteralExpression(skipOuter(e)) ? skipOuter(e) as ts.ObjectLiteralExpression : undefined);
  let found: ts.ObjectLiteralExpression | undefined;
  findNode(body, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) found ??= objectOf(n.initializer);
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === name) found ??= objectOf(n.right);
    return !!found;
  }, true);
  return found;
}

/** `this.f.get(k)`, `this.f.values()`, `for (… of this.f)`, `[...this.f]`: entries come out of the collection. */
function takesEntries(body: ts.Node, holder: Holder, field: string): boolean {
  return !!findNode(body, (n) => {
    if (holder.collection(n) !== field) return false;
    const p = n.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === n) return ENTRY_READS.has(p.name.text);
    return !ts.isPropertyAccessExpression(p);
  });
}

const ENTRY_READS = new Set(['get', 'values', 'entries', 'forEach', 'find', 'filter', 'map', 'at', 'shift', 'pop', 'splice']);

/** `this.f.set(k, { socket })`, `this.f.add(ws)` where the value (or a property of it) is a local made by a creator in the method. */
export function storedEntries(m: Fn, holder: Holder, creators: CreatorFinder): Entry[] {
  const locals = new Map<string, ts.CallExpression | ts.NewExpression>();
  const out: Entry[] = [];
  // Also in the method's callbacks: `new Promise((resolve) => { const ws = new WebSocket(url); ws.once('open', () => { this.relays.set(region, ws) }) })`.
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && !ts.isArrowFunction(n) && !ts.isFunctionExpression(n)) return;
    inspect(n);
    ts.forEachChild(n, visit);
  };
  const inspect = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      const call = resolvedLocal(n.initializer, locals) ?? creationUnder(n.initializer);
      if (call) locals.set(n.name.text, call);
    }
    // `let client = this.clients.get(k); if (!client) { client = new Redis(url); this.clients.set(k, client) }`
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left)) {
      const call = resolvedLocal(n.right, locals) ?? creationUnder(n.right);
      if (call) locals.set(n.left.text, call);
    }
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && STORES.has(n.expression.name.text)) {
      const field = holder.collection(n.expression.expression);
      const value = n.arguments[n.arguments.length - 1];
      const stored = field && value ? storedCreation(value, locals, m.body) : undefined;
      const call = stored?.call;
      const match = call && creators.match(call);
      // A project class holding a connection of its own (not a pool's) counts for `replaced` alone (see check).
      const kept = match && (ENTRY_KINDS.has(match.kind) || (match.kind === 'wrapper' && !match.lazy));
      if (field && call && match && kept && (match.callbackParam === undefined || promiseForm(call, match))) out.push({ field, call, match, member: m, store: n, key: stored.key });
    }
  };
  ts.forEachChild(m.body, visit);
  return out;
}

/**
 * `client.connect().then(() => client)`: a promise of a connection made in the function, kept in the
 * entry in its place (awaited by whoever takes the entry); the connection behind it is the entry's.
 */
function resolvedLocal(e: ts.Expression, locals: Map<string, ts.CallExpression | ts.NewExpression>): ts.CallExpression | ts.NewExpression | undefined {
  const x = skipOuter(e);
  if (!ts.isCallExpression(x) || !ts.isPropertyAccessExpression(x.expression) || x.expression.name.text !== 'then' || x.arguments.length < 1) return undefined;
  const fn = skipOuter(x.arguments[0]);
  if (!ts.isArrowFunction(fn) || fn.parameters.length > 0) return undefined;
  const result = ts.isBlock(fn.body)
    ? (fn.body.statements.length === 1 && ts.isReturnStatement(fn.body.statements[0]) ? fn.body.statements[0].expression : undefined)
    : fn.body;
  const name = result && skipOuter(result);
  return name && ts.isIdentifier(name) ? locals.get(name.text) : undefined;
}

const SELF_STARTERS = new Set(['start', 'listen']);

/** The creation a stored value holds: the local itself, or a property of an object (`{ socket }`: `key` names it). */
function storedCreation(value: ts.Expression, locals: Map<string, ts.CallExpression | ts.NewExpression>, body?: ts.Node): { call: ts.CallExpression | ts.NewExpression; key?: string } | undefined {
  let v = skipOuter(value);
  // `this.links.set(id, link.start())`: a starting method that hands back the object it starts (`server.listen()`).
  if (ts.isCallExpression(v) && ts.isPropertyAccessExpression(v.expression) && SELF_STARTERS.has(v.expression.name.text) && ts.isIdentifier(skipOuter(v.expression.expression))) {
    v = skipOuter(v.expression.expression);
  }
  if (ts.isIdentifier(v)) {
    const object = body ? objectLocal(body, v.text) : undefined;
    const local = locals.get(v.text);
    return (object && storedCreation(object, locals)) || (local && { call: local });
  }
  if (!ts.isObjectLiteralExpression(v)) return undefined;
  for (const p of v.properties) {
    const id = ts.isShorthandPropertyAssignment(p) ? p.name : ts.isPropertyAssignment(p) && ts.isIdentifier(p.initializer) ? p.initializer : undefined;
    const call = id && locals.get(id.text);
    if (call) return { call, key: p.name && ts.isIdentifier(p.name) ? p.name.text : undefined };
  }
  return undefined;
}

/**
 * A cache whose `set()` drops its least recently used entry when full, and tells nobody: lru-cache,
 * quick-lru and the like without a `dispose`/`onEviction` option, or a project class whose `set()`
 * only deletes from its own map. Options it cannot read (a variable) may hold such a hook: no.
 */
function dropsOldest(init: ts.NewExpression | undefined, caches: CacheLookup): boolean {
  if (!init) return false;
  const module = caches.moduleOf(init);
  if (module) {
    // mnemonist has other structures too (`MultiMap`): only its LRU ones evict.
    if (!LRU_MODULES.has(module) || (module === 'mnemonist' && !/LRU/.test(init.expression.getText()))) return false;
    return (init.arguments ?? []).every((a) => {
      const x = skipOuter(a);
      return ts.isNumericLiteral(x) || (ts.isObjectLiteralExpression(x) &&
        x.properties.every((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && !EVICTION_HOOKS.has(p.name.getText())));
    });
  }
  // The project's own class: what its `set()` calls says it all (`this.onEvict(old)` is a hook).
  const cls = caches.classOf(init);
  const set = cls?.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText() === 'set' && !!m.body);
  if (!set) return false;
  let deletes = false;
  let other = false;
  findNode(set.body!, (n) => {
    if (!ts.isCallExpression(n)) return false;
    const name = ts.isPropertyAccessExpression(n.expression) ? n.expression.name.text : undefined;
    if (name === 'delete') deletes = true;
    else if (!name || !MAP_CALLS.has(name)) other = true;
    return false;
  }, true);
  return deletes && !other;
}

/** `this.f.delete(k)` or `this.f.clear()` in the method's own code (not in a listener or timer, which may run once the entry is closed). */
function deleteOf(m: Fn, holder: Holder, field: string): ts.CallExpression | undefined {
  const own = findNode(m.body, (n) => deletesFrom(n, holder, field), true) as ts.CallExpression | undefined;
  if (own) return own;
  // `return () => { listeners.delete(fn); if (!listeners.size) channels.delete(id) }`: the unsubscribe function it hands out.
  let found: ts.CallExpression | undefined;
  forEachReturn(m.body, (r) => {
    const x = r.expression && skipOuter(r.expression);
    if (!found && x && (ts.isArrowFunction(x) || ts.isFunctionExpression(x))) found = findNode(x.body, (n) => deletesFrom(n, holder, field), true) as ts.CallExpression | undefined;
  });
  return found;
}

/** `this.subs.delete(k)`, `this.subs.clear()` on the collection `field`. */
function deletesFrom(n: ts.Node, holder: Holder, field: string): boolean {
  return ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && DELETES.has(n.expression.name.text) && holder.collection(n.expression.expression) === field;
}

const DELETES = new Set(['delete', 'clear']);
/** Methods of a collection whose result is no entry (`const existed = this.connections.delete(id)`). */
const NO_ENTRY = new Set(['delete', 'has', 'clear', 'set', 'add']);

/**
 * `downstream.on('close', () => this.upstreams.delete(id))` in the method that stores the entry, on a
 * connection given to it (a parameter), closing nothing: when the downstream goes, the upstream entry is
 * still open, and deleting it leaves it out of reach.
 */
function deleteOnOthersClose(m: Fn, holder: Holder, e: Entry, release: ReadonlySet<string>, closers: Set<string>): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  findNode(m.body, (n) => {
    if (found || !ts.isCallExpression(n) || !LISTEN_METHODS.has(calleeName(n) ?? '') || !isStringArg(n.arguments[0], CLOSED_EVENTS)) return false;
    const on = ts.isPropertyAccessExpression(n.expression) ? skipOuter(n.expression.expression) : undefined;
    const listener = n.arguments[1];
    if (!on || !ts.isIdentifier(on) || on.text === localHolding(e.call) || !parameterOfHolder(on, holder) || !listener || !ts.isFunctionLike(listener)) return false;
    if (callsRelease(listener, release) || callsOwn(listener, holder, closers)) return false;
    found = findNode(listener, (d) => deletesFrom(d, holder, e.field)) as ts.CallExpression | undefined;
    return !!found;
  });
  return found;
}

/**
 * `socket.on('match:cancelled', () => { this.sockets.delete(match.id); socket.off('round:end') })` in the method that
 * stores the entry: a listener of the entry's own connection for a message it sends while connected (not one that says
 * it closed or failed) deletes the entry and closes nothing: the connection stays open, out of reach.
 */
function deleteOnOwnMessage(m: Fn, holder: Holder, e: Entry, release: ReadonlySet<string>, closers: Set<string>): ts.CallExpression | undefined {
  const local = localHolding(e.call);
  let found: ts.CallExpression | undefined;
  findNode(m.body, (n) => {
    if (found || !local || !ts.isCallExpression(n) || !LISTEN_METHODS.has(calleeName(n) ?? '')) return false;
    const event = n.arguments[0];
    if (!event || !ts.isStringLiteralLike(event) || CLOSED_EVENTS.has(event.text) || FAILURE_EVENTS.has(event.text)) return false;
    const on = ts.isPropertyAccessExpression(n.expression) ? skipOuter(n.expression.expression) : undefined;
    const listener = n.arguments[1];
    if (!on || !ts.isIdentifier(on) || on.text !== local || !listener || !ts.isFunctionLike(listener)) return false;
    if (callsRelease(listener, release) || callsOwn(listener, holder, closers)) return false;
    found = findNode(listener, (d) => deletesFrom(d, holder, e.field)) as ts.CallExpression | undefined;
    return !!found;
  });
  return found;
}

/** Events that say a connection failed or is going: what it holds may be closing by itself. */
const FAILURE_EVENTS = new Set(['error', 'connect_error', 'unexpected-response', 'timeout', 'reconnect_failed', 'goaway', 'finish']);

/** `this.closeAll()`, `closeAll()` in the function (its callbacks too): a call of one of `names`. */
function callsOwn(body: ts.Node, holder: Holder, names: Set<string>): boolean {
  return !!findNode(body, (n) => ts.isCallExpression(n) && names.has(holder.ownCall(n) ?? ''));
}

/**
 * Every call of the function in the holder is in a listener for a close-like event of the entry's own
 * connection (`c.on('close', () => this.remove(id))`), and there is one: it forgets a connection that is
 * closed already. Not another connection's (`downstream.on('close', () => this.teardown())`): when that
 * one goes, the entries are still open.
 */
function calledOnlyOnClose(m: Fn, holder: Holder, e: Entry): boolean {
  const name = holder.nameOf(m);
  const calls = name ? holder.fns.flatMap((fn) => callsIn(fn.body).filter((c) => holder.ownCall(c) === name)) : [];
  const entry = localHolding(e.call);
  return calls.length > 0 && calls.every((c) => {
    let fn: ts.Node = c.parent;
    while (!ts.isFunctionLike(fn)) fn = fn.parent;
    const listen = fn.parent;
    if (!ts.isCallExpression(listen) || !LISTEN_METHODS.has(calleeName(listen) ?? '') || !isStringArg(listen.arguments[0], CLOSED_EVENTS)) return false;
    // The listener's receiver, unless it is a connection given to the holder (a parameter) or kept in another field (`this.downstream`).
    const on = ts.isPropertyAccessExpression(listen.expression) ? skipOuter(listen.expression.expression) : undefined;
    const field = on && thisField(on);
    if (field && field !== e.field) return false;
    let recv = on;
    while (recv && ts.isPropertyAccessExpression(recv)) recv = skipOuter(recv.expression);
    return !recv || !ts.isIdentifier(recv) || recv.text === entry || !parameterOfHolder(recv, holder);
  });
}

/** A parameter of one of the holder's functions or of a class constructor: a connection given from outside, not an entry. */
function parameterOfHolder(id: ts.Identifier, holder: Holder): boolean {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    // Also one a callback of its functions is given (`io.on('connection', (socket) => …)`): a peer's connection.
    const given = ts.isConstructorDeclaration(n) || holder.fns.includes(n as Fn) || (ts.isFunctionLike(n) && holder.fns.some((f) => within(n, f)));
    if (given && (n as ts.FunctionLikeDeclaration).parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === id.text)) return true;
  }
  return false;
}

function callsIn(body: ts.Node): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  findNode(body, (n) => (ts.isCallExpression(n) && out.push(n), false));
  return out;
}

/** The holder's code names the collection. */
function refersTo(body: ts.Node, holder: Holder, field: string): boolean {
  return !!findNode(body, (n) => holder.collection(n) === field);
}

/** A release call on anything but `this` (`socket.disconnect()`, `sub.socket.close()`). */
function callsRelease(body: ts.Node, release: ReadonlySet<string>): boolean {
  return !!findNode(body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && release.has(n.expression.name.text) &&
    n.expression.expression.kind !== ts.SyntaxKind.ThisKeyword);
}

/**
 * The method gives an entry away: returns it, or passes it (or a property of it) to a call other than
 * a listener removal or a log (`this.emit('gone', sub)`, `return sub`, `park(sub.socket)`): whoever
 * gets it may close it. An entry is a variable set from the collection (`const sub = this.subs.get(k)`,
 * `for (const [k, sub] of this.subs)`).
 * Given `key`, the property holding the connection, another property of an entry (`entry.host`) is none of it.
 */
function handsOn(m: Fn, holder: Holder, field: string, key?: string): boolean {
  const entries = new Set<string>();
  findNode(m.body, (n) => {
    const from = ts.isVariableDeclaration(n) ? n.initializer : ts.isForOfStatement(n) ? n.expression : undefined;
    const names = ts.isVariableDeclaration(n) ? n.name : ts.isForOfStatement(n) && ts.isVariableDeclarationList(n.initializer) ? n.initializer.declarations[0]?.name : undefined;
    // Not the keys (`for (const name of [...this.subs.keys()])`) nor what `delete`/`has` answer: no entry.
    const isKeys = (k: ts.Node) => ts.isCallExpression(k) && calleeName(k) === 'keys';
    const keys = from && (isKeys(skipOuter(from)) || findNode(from, isKeys) ||
      (ts.isCallExpression(skipOuter(from)) && NO_ENTRY.has(calleeName(skipOuter(from) as ts.CallExpression) ?? '')));
    if (from && names && !keys && (holder.collection(from) === field || refersTo(from, holder, field))) bindingNames(names).forEach((x) => entries.add(x));
    return false;
  }, true);
  const isEntry = (e: ts.Expression): boolean => {
    let x = skipOuter(e);
    let first: string | undefined;
    while (ts.isPropertyAccessExpression(x)) {
      first = x.name.text;
      x = skipOuter(x.expression);
    }
    return ts.isIdentifier(x) && entries.has(x.text) && (!key || first === undefined || first === key);
  };
  // The collection itself handed over counts too (`return this.subs`); its `size` does not.
  const handed = (e: ts.Expression) => isEntry(e) || holder.collection(skipOuter(e)) === field;
  // A call on the collection itself (`this.subs.delete(sub)`) gives nothing away.
  const onCollection = (c: ts.CallExpression) => ts.isPropertyAccessExpression(c.expression) && holder.collection(skipOuter(c.expression.expression)) === field;
  return !!findNode(m.body, (n) => (ts.isReturnStatement(n) && !!n.expression && handed(n.expression)) ||
    (ts.isCallExpression(n) && !(ts.isPropertyAccessExpression(n.expression) && NON_HANDING.has(n.expression.name.text)) && !onCollection(n) && n.arguments.some(handed)), true);
}

/**
 * `untrack(client) { this.clients.delete(client) }` on a Set of connections: the caller hands in the
 * connection itself, and still holds it. (A Map's key is not the connection: `this.subs.delete(id)`.)
 */
function deletesCallersOwn(e: Entry, evict: ts.CallExpression, m: Fn): boolean {
  const arg = evict.arguments[0] && skipOuter(evict.arguments[0]);
  return e.store.expression.getText().endsWith('.add') && !!arg && ts.isIdentifier(arg) &&
    m.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === arg.text);
}

/** Calls whose arguments are not handed an owner: listener removals, collection lookups, logs. */
const NON_HANDING = new Set(['off', 'removeListener', 'removeAllListeners', 'get', 'has', 'delete', 'log', 'warn', 'info', 'debug', 'error']);
