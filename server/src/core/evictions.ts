// Connections kept in a collection field of a class, one per key (`this.subs.set(stream, { socket })`,
// `this.peers.add(ws)`), and dropped from it by a method that closes nothing: `unfollow(stream) {
// sub.socket.off('line', h); this.subs.delete(stream) }`. The entry's connection stays open (a
// Socket.IO or Redis client reconnects on its own), and the class, which closes its entries elsewhere
// (`close() { for (const s of this.subs.values()) s.socket.disconnect() }`), can no longer reach it.
// So does a cache that drops its least recently used entry when full (lru-cache without `dispose`, a
// project's own LRU map): every `set()` may evict an open connection nobody closes.
import { ts } from 'ts-morph';
import { findNode, FnLike } from './ast';
import { skipOuter } from './origins';
import { CONNECTION_KINDS, KINDS, releaseMethods } from './kinds';
import { CreatorFinder, CreatorMatch } from './creators';
import { makeSubject } from './subject';
import { creationUnder } from './call-shapes';
import { FieldLeak, refersToField, thisField } from './fields';
import { memberName } from './creator-names';
import { callsOnThis } from './wrapper-classes';

const STORES = new Set(['set', 'add', 'push']);
/** Kinds that reconnect or hold a socket of their own; servers and pools live on by design. */
const ENTRY_KINDS = new Set<string>([...CONNECTION_KINDS].filter((k) => k !== 'udp-socket'));

interface Entry {
  field: string;
  call: ts.CallExpression | ts.NewExpression;
  match: CreatorMatch;
  member: ts.MethodDeclaration;
  store: ts.CallExpression;
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

export function evictionLeaks(sf: ts.SourceFile, creators: CreatorFinder, caches: CacheLookup): FieldLeak[] {
  const out: FieldLeak[] = [];
  // Most files: no walk. `.set(` alone is everywhere (every Map): only with an LRU named in the file.
  if (!sf.text.includes('.delete(') && !(sf.text.includes('.set(') && /lru/i.test(sf.text))) return out;
  const visit = (n: ts.Node): void => {
    if (ts.isClassLike(n)) checkClass(n, creators, caches, out);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function checkClass(cls: ts.ClassLikeDeclaration, creators: CreatorFinder, caches: CacheLookup, out: FieldLeak[]): void {
  const methods = cls.members.filter((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body);
  for (const e of methods.flatMap((m) => storedEntries(m, creators))) {
    const release = new Set(releaseMethods(e.match.kind, e.match.fixCall));
    const closers = methods.filter((m) => callsRelease(m.body!, release));
    // The class closes its entries somewhere: the convention its other methods break. Or it closes
    // nothing of the kind anywhere, and nothing but the entry ever holds the connection: once the entry
    // is deleted, nobody can close it.
    const conventional = closers.some((m) => refersToField(m.body!, e.field));
    if (!conventional && (closers.length || !onlyTheEntryHolds(e, methods))) continue;
    const subject = () => makeSubject(e.match.kind, e.member as unknown as FnLike, e.call, { creation: e.call });
    if (conventional && e.store.expression.getText().endsWith('.set') && dropsOldest(fieldInitializer(cls, e.field), caches)) {
      out.push({
        subject: subject(), match: e.match, exits: [{ node: e.store, kind: 'cacheEvicts' }], sawRelease: true, sawEscape: false,
        releaseCall: e.match.fixCall ?? KINDS[e.match.kind].fixCall, resourceName: `this.${e.field}`,
      });
      continue;
    }
    const closerNames = new Set(closers.flatMap((m) => memberName(m) ?? []));
    for (const m of methods) {
      const evict = deleteOf(m, e.field);
      if (!evict || closers.includes(m) || callsOnThis(m.body!, closerNames) || handsOn(m, e.field) || deletesCallersOwn(e, evict, m)) continue;
      out.push({
        subject: subject(), match: e.match, exits: [{ node: evict, kind: conventional ? 'evicted' : 'evictedNeverClosed' }], sawRelease: true, sawEscape: false,
        releaseCall: e.match.fixCall ?? KINDS[e.match.kind].fixCall, resourceName: `this.${e.field}`,
      });
      break;
    }
  }
}

/**
 * The connection is held by its entry alone: the method that makes it only calls its methods and
 * stores it (`conn.on('message', h); this.rooms.set(id, { conn })`, also through a local object:
 * `const sub = { conn }; this.rooms.set(id, sub)`), and no other method takes entries out of the
 * collection (`get`, `values()`, iteration…) except one that deletes them.
 */
function onlyTheEntryHolds(e: Entry, methods: ts.MethodDeclaration[]): boolean {
  const body = e.member.body!;
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
    return !inHolder(n);
  }, true);
  return !handed && methods.every((m) => m === e.member || !!deleteOf(m, e.field) || !takesEntries(m.body!, e.field));
}

/** The variable a creating call (possibly awaited) initializes. */
function localHolding(call: ts.Node): string | undefined {
  let n = call;
  while (n.parent && (ts.isAwaitExpression(n.parent) || ts.isParenthesizedExpression(n.parent))) n = n.parent;
  return ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name) ? n.parent.name.text : undefined;
}

/** The object literal a local of the method is initialized with. */
function objectLocal(body: ts.Node, name: string): ts.ObjectLiteralExpression | undefined {
  const decl = findNode(body, (n) => ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name, true) as ts.VariableDeclaration | undefined;
  const init = decl?.initializer && skipOuter(decl.initializer);
  return init && ts.isObjectLiteralExpression(init) ? init : undefined;
}

/** `this.f.get(k)`, `this.f.values()`, `for (… of this.f)`, `[...this.f]`: entries come out of the collection. */
function takesEntries(body: ts.Node, field: string): boolean {
  return !!findNode(body, (n) => {
    if (!ts.isPropertyAccessExpression(n) || thisField(n) !== field) return false;
    const p = n.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === n) return ENTRY_READS.has(p.name.text);
    return !ts.isPropertyAccessExpression(p);
  });
}

const ENTRY_READS = new Set(['get', 'values', 'entries', 'forEach', 'find', 'filter', 'map', 'at', 'shift', 'pop', 'splice']);

/** `this.f.set(k, { socket })`, `this.f.add(ws)` where the value (or a property of it) is a local made by a creator in the method. */
function storedEntries(m: ts.MethodDeclaration, creators: CreatorFinder): Entry[] {
  const locals = new Map<string, ts.CallExpression | ts.NewExpression>();
  const out: Entry[] = [];
  findNode(m.body!, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      const call = creationUnder(n.initializer);
      if (call) locals.set(n.name.text, call);
    }
    // `let client = this.clients.get(k); if (!client) { client = new Redis(url); this.clients.set(k, client) }`
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left)) {
      const call = creationUnder(n.right);
      if (call) locals.set(n.left.text, call);
    }
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && STORES.has(n.expression.name.text)) {
      const field = thisField(n.expression.expression);
      const value = n.arguments[n.arguments.length - 1];
      const call = field && value ? storedCreation(value, locals, m.body!) : undefined;
      const match = call && creators.match(call);
      if (field && call && match && ENTRY_KINDS.has(match.kind) && match.callbackParam === undefined) out.push({ field, call, match, member: m, store: n });
    }
    return false;
  }, true);
  return out;
}

function storedCreation(value: ts.Expression, locals: Map<string, ts.CallExpression | ts.NewExpression>, body?: ts.Node): ts.CallExpression | ts.NewExpression | undefined {
  const v = skipOuter(value);
  if (ts.isIdentifier(v)) {
    const object = body && !locals.has(v.text) ? objectLocal(body, v.text) : undefined;
    return object ? storedCreation(object, locals) : locals.get(v.text);
  }
  if (!ts.isObjectLiteralExpression(v)) return undefined;
  for (const p of v.properties) {
    const id = ts.isShorthandPropertyAssignment(p) ? p.name : ts.isPropertyAssignment(p) && ts.isIdentifier(p.initializer) ? p.initializer : undefined;
    const call = id && locals.get(id.text);
    if (call) return call;
  }
  return undefined;
}

/** `private f = new X(…)`, or `this.f = new X(…)` in the constructor. */
function fieldInitializer(cls: ts.ClassLikeDeclaration, field: string): ts.NewExpression | undefined {
  for (const m of cls.members) {
    if (ts.isPropertyDeclaration(m) && m.name.getText() === field && m.initializer) {
      const init = skipOuter(m.initializer);
      return ts.isNewExpression(init) ? init : undefined;
    }
  }
  const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
  const assigned = ctor && findNode(ctor.body!, (n) => ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    thisField(n.left) === field && ts.isNewExpression(skipOuter(n.right)), true) as ts.BinaryExpression | undefined;
  return assigned ? skipOuter(assigned.right) as ts.NewExpression : undefined;
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

/** `this.f.delete(k)` in the method's own code (not in a listener or timer, which may run once the entry is closed). */
function deleteOf(m: ts.MethodDeclaration, field: string): ts.CallExpression | undefined {
  return findNode(m.body!, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'delete' &&
    thisField(n.expression.expression) === field, true) as ts.CallExpression | undefined;
}

/** A release call on anything but `this` (`socket.disconnect()`, `sub.socket.close()`). */
function callsRelease(body: ts.Node, release: Set<string>): boolean {
  return !!findNode(body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && release.has(n.expression.name.text) &&
    n.expression.expression.kind !== ts.SyntaxKind.ThisKeyword);
}

/**
 * The method gives an entry away: returns it, or passes it (or a property of it) to a call other than
 * a listener removal or a log (`this.emit('gone', sub)`, `return sub`, `park(sub.socket)`): whoever
 * gets it may close it. An entry is a variable set from the collection (`const sub = this.subs.get(k)`,
 * `for (const [k, sub] of this.subs)`).
 */
function handsOn(m: ts.MethodDeclaration, field: string): boolean {
  const entries = new Set<string>();
  findNode(m.body!, (n) => {
    const from = ts.isVariableDeclaration(n) ? n.initializer : ts.isForOfStatement(n) ? n.expression : undefined;
    const names = ts.isVariableDeclaration(n) ? n.name : ts.isForOfStatement(n) && ts.isVariableDeclarationList(n.initializer) ? n.initializer.declarations[0]?.name : undefined;
    if (from && names && refersToField(from, field)) bindingNames(names).forEach((x) => entries.add(x));
    return false;
  }, true);
  const isEntry = (e: ts.Expression): boolean => {
    let x = skipOuter(e);
    while (ts.isPropertyAccessExpression(x)) x = skipOuter(x.expression);
    return ts.isIdentifier(x) && entries.has(x.text);
  };
  // The collection itself handed over counts too (`return this.subs`); its `size` does not.
  const handed = (e: ts.Expression) => isEntry(e) || thisField(skipOuter(e)) === field;
  return !!findNode(m.body!, (n) => (ts.isReturnStatement(n) && !!n.expression && handed(n.expression)) ||
    (ts.isCallExpression(n) && !(ts.isPropertyAccessExpression(n.expression) && NON_HANDING.has(n.expression.name.text)) && n.arguments.some(handed)), true);
}

/**
 * `untrack(client) { this.clients.delete(client) }` on a Set of connections: the caller hands in the
 * connection itself, and still holds it. (A Map's key is not the connection: `this.subs.delete(id)`.)
 */
function deletesCallersOwn(e: Entry, evict: ts.CallExpression, m: ts.MethodDeclaration): boolean {
  const arg = evict.arguments[0] && skipOuter(evict.arguments[0]);
  return e.store.expression.getText().endsWith('.add') && !!arg && ts.isIdentifier(arg) &&
    m.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === arg.text);
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((el) => (ts.isOmittedExpression(el) ? [] : bindingNames(el.name)));
}

/** Calls whose arguments are not handed an owner: listener removals, collection lookups, logs. */
const NON_HANDING = new Set(['off', 'removeListener', 'removeAllListeners', 'get', 'has', 'delete', 'log', 'warn', 'info', 'debug', 'error']);
