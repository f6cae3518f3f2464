// A test that makes a project object keeping connections per key (`const hub = new RoomDisplayHub(o)`, whose
// `connectRoom(room)` stores a Socket.IO client in `this.sockets` and returns it) and connects through it, but never
// calls the object's method that closes them (`hub.closeAll()`) nor closes what it was handed: the client stays
// connected (a Socket.IO or Redis client reconnects) after the test, and the runner does not exit. The object is the
// test's own local, so no hook of the suite can reach it. The method's class is no creator (it keeps what it makes).
import { ts } from 'ts-morph';
import { enclosingFunction, findNode, FnLike, skipOuter, stripParens, within } from './ast';
import { CreatorFinder } from './creators';
import { memberName } from './creator-names';
import { keptEntriesOf } from './evictions';
import { inTestCode, isTestFile } from './execution';
import type { FieldLeak } from './fields';
import { releaseMethods } from './kinds';
import { OriginResolver } from './origins';
import { makeSubject } from './subject';
import { callsIn } from './syntax';

export function testHeldEntryLeaks(sf: ts.SourceFile, creators: CreatorFinder, resolver: OriginResolver): FieldLeak[] {
  const out: FieldLeak[] = [];
  if (!isTestFile(sf)) return out;
  // Names of locals made with `new` (`const hub = new RoomDisplayHub(o)`), first: only calls on those need a symbol.
  const newLocals = new Set<string>();
  findNode(sf, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isNewExpression(skipOuter(n.initializer))) newLocals.add(n.name.text);
    return false;
  });
  if (!newLocals.size) return out;
  const reported = new Set<ts.Symbol>();
  for (const c of callsIn(sf, () => undefined)) {
    if (!ts.isCallExpression(c) || !ts.isPropertyAccessExpression(c.expression) || !ts.isIdentifier(stripParens(c.expression.expression))) continue;
    const recv = stripParens(c.expression.expression) as ts.Identifier;
    if (!newLocals.has(recv.text)) continue;
    const fn = enclosingFunction(c);
    const sym = resolver.symbolOf(recv);
    const decl = sym?.valueDeclaration;
    if (!fn?.body || !sym || reported.has(sym) || !decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !within(decl, fn.body) || !inTestCode(c)) continue;
    const made = skipOuter(decl.initializer);
    const cls = ts.isNewExpression(made) && ts.isIdentifier(made.expression) ? resolver.targetOf(made.expression)?.declarations?.find(ts.isClassDeclaration) : undefined;
    if (!cls || cls.getSourceFile().isDeclarationFile) continue;
    const name = c.expression.name.text;
    const method = cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && memberName(m) === name);
    const entry = method && entriesOf(cls, method, creators)[0];
    if (!entry || !onlyCalledOn(fn.body, recv.text, entry.closers) || closedThroughResult(c, fn.body, releaseMethods(entry.match.kind, entry.match.fixCall))) continue;
    reported.add(sym);
    out.push({
      subject: makeSubject(entry.match.kind, fn as FnLike, c, { creation: c }), match: entry.match,
      exits: [{ node: fn.body, kind: 'end' }], sawRelease: false, sawEscape: false,
    });
  }
  return out;
}

/** Per program's creators (what a method makes may change with another file), per method: a suite calls the same methods over and over. */
const ENTRIES = new WeakMap<CreatorFinder, WeakMap<ts.MethodDeclaration, ReturnType<typeof keptEntriesOf>>>();

function entriesOf(cls: ts.ClassDeclaration, method: ts.MethodDeclaration, creators: CreatorFinder): ReturnType<typeof keptEntriesOf> {
  let known = ENTRIES.get(creators);
  if (!known) ENTRIES.set(creators, (known = new WeakMap()));
  let found = known.get(method);
  if (!found) known.set(method, (found = keptEntriesOf(cls, method, creators)));
  return found;
}

/** Every use of the local in the test is a call of one of its methods other than `closers`: it is not handed to anything that could close it. */
function onlyCalledOn(body: ts.Node, local: string, closers: readonly string[]): boolean {
  return !findNode(body, (n) => {
    if (!ts.isIdentifier(n) || n.text !== local || (ts.isVariableDeclaration(n.parent) && n.parent.name === n)) return false;
    const access = n.parent;
    const called = ts.isPropertyAccessExpression(access) && access.expression === n && ts.isCallExpression(access.parent) && access.parent.expression === access;
    return !called || closers.includes((access as ts.PropertyAccessExpression).name.text);
  });
}

/** `const socket = hub.connectRoom(…)`, and the test closes `socket` (or hands it on). */
function closedThroughResult(call: ts.CallExpression, body: ts.Node, release: readonly string[]): boolean {
  let up: ts.Node = call;
  while (ts.isAwaitExpression(up.parent) || ts.isParenthesizedExpression(up.parent)) up = up.parent;
  if (ts.isExpressionStatement(up.parent)) return false;
  const holder = ts.isVariableDeclaration(up.parent) && ts.isIdentifier(up.parent.name) ? up.parent.name.text : undefined;
  if (!holder) return true;
  return !!findNode(body, (n) => {
    if (!ts.isIdentifier(n) || n.text !== holder || (ts.isVariableDeclaration(n.parent) && n.parent.name === n)) return false;
    const access = n.parent;
    if (ts.isPropertyAccessExpression(access) && access.expression === n) return release.includes(access.name.text);
    // Handed to anything but a promise of one of its events (`once(socket, 'connect')`): whoever gets it may close it.
    return !(ts.isCallExpression(access) && access.arguments[0] === n && ts.isIdentifier(access.expression) && access.expression.text === 'once');
  });
}
