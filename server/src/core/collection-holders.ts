// Where a collection of connections lives and the code that uses it: a class (its methods, `this.subs`) or a
// module (its top-level functions and timers, `const rooms = new Map()` at its top level). evictions.ts checks
// what that code does with the collection's entries.
import { ts } from 'ts-morph';
import { calleeName, findNode, skipOuter, thisField } from './ast';
import { memberName } from './creator-names';

export type Fn = ts.FunctionLikeDeclaration & { body: ts.Block };

/**
 * Where the collection lives and the code that uses it: a class (its methods, `this.subs`) or a
 * module (its top-level functions and timers, `const rooms = new Map()` at its top level).
 */
export interface Holder {
  fns: Fn[];
  /** The collection `e` is: the field of `this.subs`, the const of `rooms`. */
  collection(e: ts.Node): string | undefined;
  /** How a message names it: `this.subs`, `rooms`. */
  display(name: string): string;
  initializer(name: string): ts.NewExpression | undefined;
  nameOf(fn: Fn): string | undefined;
  /** The holder's own function a call calls (`this.closeAll()`, `closeAll()`): its name. */
  ownCall(call: ts.CallExpression): string | undefined;
}

export function classHolder(cls: ts.ClassLikeDeclaration): Holder {
  return {
    fns: cls.members.filter((m): m is ts.MethodDeclaration & Fn => ts.isMethodDeclaration(m) && !!m.body),
    collection: (e) => (ts.isPropertyAccessExpression(e) ? thisField(e) : undefined),
    display: (name) => `this.${name}`,
    initializer: (name) => fieldInitializer(cls, name),
    nameOf: (fn) => memberName(fn as ts.MethodDeclaration),
    ownCall: (c) => (ts.isPropertyAccessExpression(c.expression) && c.expression.expression.kind === ts.SyntaxKind.ThisKeyword ? c.expression.name.text : undefined),
  };
}

/** The module's top-level `const x = new Map()`/`new Set()` and its top-level functions, when it has both. */
export function moduleHolder(sf: ts.SourceFile): Holder | undefined {
  const collections = new Map<string, ts.NewExpression>();
  const fns: Fn[] = [];
  const names = new Map<Fn, string>();
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.body && st.name) {
      fns.push(st as Fn);
      names.set(st as Fn, st.name.text);
    }
    // `const sweeper = setInterval(() => { … sessions.delete(origin) }, 10_000)`: the module's own timer.
    const timer = moduleTimerCallback(st);
    if (timer) fns.push(timer);
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer && skipOuter(d.initializer);
      if (!ts.isIdentifier(d.name) || !init) continue;
      if (ts.isNewExpression(init) && ts.isIdentifier(init.expression) && COLLECTIONS.has(init.expression.text)) collections.set(d.name.text, init);
      if ((ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && ts.isBlock(init.body)) {
        fns.push(init as Fn);
        names.set(init as Fn, d.name.text);
      }
    }
  }
  if (!collections.size || !fns.length) return undefined;
  // A function that declares a name of its own for one (a parameter, a local) is left out: its uses are not the module's.
  const shadows = (fn: Fn) => !!findNode(fn, (n) => (ts.isVariableDeclaration(n) || ts.isParameter(n)) && ts.isIdentifier(n.name) && collections.has(n.name.text));
  const own = fns.filter((fn) => !shadows(fn));
  return {
    fns: own,
    collection: (e) => (ts.isIdentifier(e) && collections.has(e.text) && !(ts.isPropertyAccessExpression(e.parent) && e.parent.name === e) ? e.text : undefined),
    display: (name) => name,
    initializer: (name) => collections.get(name),
    nameOf: (fn) => names.get(fn),
    ownCall: (c) => (ts.isIdentifier(c.expression) && [...names.values()].includes(c.expression.text) ? c.expression.text : undefined),
  };
}

const COLLECTIONS = new Set(['Map', 'Set']);

/** The callback of a top-level `setInterval(cb, ms)` / `setTimeout(cb, ms)` statement (also kept in a const). */
function moduleTimerCallback(st: ts.Statement): Fn | undefined {
  const value = ts.isExpressionStatement(st) ? st.expression : ts.isVariableStatement(st) && st.declarationList.declarations.length === 1 ? st.declarationList.declarations[0].initializer : undefined;
  const call = value && skipOuter(value);
  if (!call || !ts.isCallExpression(call) || !['setInterval', 'setTimeout'].includes(calleeName(call) ?? '')) return undefined;
  const cb = call.arguments[0] && skipOuter(call.arguments[0]);
  return cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) && ts.isBlock(cb.body) ? (cb as Fn) : undefined;
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
