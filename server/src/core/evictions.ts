// Connections kept in a collection field of a class, one per key (`this.subs.set(stream, { socket })`,
// `this.peers.add(ws)`), and dropped from it by a method that closes nothing: `unfollow(stream) {
// sub.socket.off('line', h); this.subs.delete(stream) }`. The entry's connection stays open (a
// Socket.IO or Redis client reconnects on its own), and the class, which closes its entries elsewhere
// (`close() { for (const s of this.subs.values()) s.socket.disconnect() }`), can no longer reach it.
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
}

export function evictionLeaks(sf: ts.SourceFile, creators: CreatorFinder): FieldLeak[] {
  const out: FieldLeak[] = [];
  if (!sf.text.includes('.delete(')) return out; // most files: no walk
  const visit = (n: ts.Node): void => {
    if (ts.isClassLike(n)) checkClass(n, creators, out);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function checkClass(cls: ts.ClassLikeDeclaration, creators: CreatorFinder, out: FieldLeak[]): void {
  const methods = cls.members.filter((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body);
  for (const e of methods.flatMap((m) => storedEntries(m, creators))) {
    const release = new Set(releaseMethods(e.match.kind, e.match.fixCall));
    const closers = methods.filter((m) => callsRelease(m.body!, release));
    // The class closes its entries somewhere: the convention its other methods break.
    if (!closers.some((m) => refersToField(m.body!, e.field))) continue;
    const closerNames = new Set(closers.flatMap((m) => memberName(m) ?? []));
    for (const m of methods) {
      const evict = deleteOf(m, e.field);
      if (!evict || closers.includes(m) || callsOnThis(m.body!, closerNames) || handsOn(m)) continue;
      const subject = makeSubject(e.match.kind, e.member as unknown as FnLike, e.call, { creation: e.call });
      out.push({
        subject, match: e.match, exits: [{ node: evict, kind: 'evicted' }], sawRelease: true, sawEscape: false,
        releaseCall: e.match.fixCall ?? KINDS[e.match.kind].fixCall, resourceName: `this.${e.field}`,
      });
      break;
    }
  }
}

/** `this.f.set(k, { socket })`, `this.f.add(ws)` where the value (or a property of it) is a local made by a creator in the method. */
function storedEntries(m: ts.MethodDeclaration, creators: CreatorFinder): Entry[] {
  const locals = new Map<string, ts.CallExpression | ts.NewExpression>();
  const out: Entry[] = [];
  findNode(m.body!, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      const call = creationUnder(n.initializer);
      if (call) locals.set(n.name.text, call);
    }
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && STORES.has(n.expression.name.text)) {
      const field = thisField(n.expression.expression);
      const value = n.arguments[n.arguments.length - 1];
      const call = field && value ? storedCreation(value, locals) : undefined;
      const match = call && creators.match(call);
      if (field && call && match && ENTRY_KINDS.has(match.kind) && match.callbackParam === undefined) out.push({ field, call, match, member: m });
    }
    return false;
  }, true);
  return out;
}

function storedCreation(value: ts.Expression, locals: Map<string, ts.CallExpression | ts.NewExpression>): ts.CallExpression | ts.NewExpression | undefined {
  const v = skipOuter(value);
  if (ts.isIdentifier(v)) return locals.get(v.text);
  if (!ts.isObjectLiteralExpression(v)) return undefined;
  for (const p of v.properties) {
    const id = ts.isShorthandPropertyAssignment(p) ? p.name : ts.isPropertyAssignment(p) && ts.isIdentifier(p.initializer) ? p.initializer : undefined;
    const call = id && locals.get(id.text);
    if (call) return call;
  }
  return undefined;
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
 * The method gives something away: a value it returns, or an argument of a call other than a
 * listener removal or a log (`this.emit('gone', sub)`, `return sub`): whoever gets it may close it.
 */
function handsOn(m: ts.MethodDeclaration): boolean {
  return !!findNode(m.body!, (n) => (ts.isReturnStatement(n) && !!n.expression) ||
    (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && !NON_HANDING.has(n.expression.name.text) &&
      n.arguments.some((a) => ts.isIdentifier(skipOuter(a)) || ts.isPropertyAccessExpression(skipOuter(a)))), true);
}

/** Calls whose arguments are not handed an owner: listener removals, collection lookups, logs. */
const NON_HANDING = new Set(['off', 'removeListener', 'removeAllListeners', 'get', 'has', 'delete', 'log', 'warn', 'info', 'debug', 'error']);
