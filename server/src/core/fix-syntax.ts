// The syntax-tree facts the leak fixes check before they are offered: which calls release the
// resource, which closures use it and when they run, which names a moved statement would take out
// of scope, and whether the variable is certainly assigned where a release is inserted.
import { ts } from 'ts-morph';
import { isAsyncFunction, isBindingReference, stripParens, within } from './ast';
import { isNonOwningCall, LISTEN_METHODS, PROMISE_CALLBACKS } from './call-shapes';
import { LeakReport } from './leaks';

/** Does `n` mention a variable of `aliases` (same name, declared in this file)? */
export function refersTo(n: ts.Node, aliases: Set<ts.Symbol>): boolean {
  const names = new Set([...aliases].map((s) => s.getName()));
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(x) && names.has(x.text) && isBindingReference(x)) {
      const decls = [...aliases].filter((s) => s.getName() === x.text).flatMap((s) => s.declarations ?? []);
      // Same name and declared in this file: the same variable for our purposes (shadowing is rare).
      if (decls.some((d) => d.getSourceFile() === x.getSourceFile())) found = true;
    } else ts.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

/** `s.end()`, `await client.end()`, `pool.release(c)`: a call of one of the resource's release methods. */
export function isReleaseCall(e: ts.Expression, report: LeakReport): boolean {
  let x = stripParens(e);
  if (ts.isAwaitExpression(x) || ts.isVoidExpression(x)) x = stripParens(x.expression);
  if (!ts.isCallExpression(x)) return false;
  const callee = stripParens(x.expression);
  if (ts.isIdentifier(callee)) return isReleaseFn(callee, report);
  if (!ts.isPropertyAccessExpression(callee) || !report.subject.spec.release.includes(callee.name.text)) return false;
  const recv = stripParens(callee.expression);
  if (refersTo(recv, report.subject.aliases) && (ts.isIdentifier(recv) || ts.isPropertyAccessExpression(recv))) return true;
  return x.arguments.some((a) => ts.isIdentifier(a) && refersTo(a, report.subject.aliases));
}

/** `done` of `pool.connect((err, client, done) => …)`. */
function isReleaseFn(id: ts.Identifier, report: LeakReport): boolean {
  return [...report.subject.releaseFns].some((s) => s.getName() === id.text && (s.declarations ?? []).some((d) => d.getSourceFile() === id.getSourceFile()));
}

export function containsRelease(n: ts.Node, report: LeakReport): boolean {
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(x) && isReleaseCall(x, report)) found = true;
    else ts.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

export function returnsAlias(n: ts.Node, aliases: Set<ts.Symbol>): boolean {
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found || (ts.isFunctionLike(x) && x !== n)) return;
    if ((ts.isReturnStatement(x) || ts.isYieldExpression(x)) && x.expression && refersTo(x.expression, aliases)) found = true;
    else ts.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

// ---- closures ---------------------------------------------------------------------------------

/**
 * When a closure that uses the resource runs, relative to the function that holds it:
 *   during    before the function goes past the statement that made it: the callback of
 *             `forEach`/`map`/… or code inside a promise the function awaits right there
 *             (`await new Promise((r) => s.once('data', r))`, `await p.then((x) => s.write(x))`);
 *   listener  a listener registered on the resource (`s.on('data', …)`): runs on its events, later;
 *   later     anything else (`setTimeout`, `conn.query(sql, cb)`, a function declaration): unknown.
 */
export type ClosureTiming = 'during' | 'listener' | 'later';

const SYNC_CALLBACK_METHODS = new Set([
  'forEach', 'map', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'reduce',
  'reduceRight', 'flatMap', 'sort', 'toSorted',
]);
const PROMISE_COMBINATORS = new Set(['all', 'race', 'any', 'allSettled']);

export type FunctionNode = ts.FunctionLikeDeclaration | ts.ClassLikeDeclaration;

function isClosure(x: ts.Node): x is FunctionNode {
  return ts.isArrowFunction(x) || ts.isFunctionExpression(x) || ts.isFunctionDeclaration(x) || ts.isMethodDeclaration(x) ||
    ts.isGetAccessor(x) || ts.isSetAccessor(x) || ts.isClassLike(x) || ts.isConstructorDeclaration(x);
}

/** The outermost functions (and classes) inside `root` that mention the resource. */
export function closuresUsing(root: ts.Node, aliases: Set<ts.Symbol>): FunctionNode[] {
  const out: FunctionNode[] = [];
  const visit = (x: ts.Node): void => {
    if (isClosure(x) && x !== root) {
      if (refersTo(x, aliases)) out.push(x);
    } else ts.forEachChild(x, visit);
  };
  ts.forEachChild(root, visit);
  return out;
}

export function closureTiming(c: FunctionNode, report: LeakReport): ClosureTiming {
  const fn = report.subject.fn;
  const outer = climbParens(c);
  const p = outer.parent;
  if (ts.isCallExpression(p) && p.arguments.includes(outer as ts.Expression) && ts.isPropertyAccessExpression(p.expression)) {
    const name = p.expression.name.text;
    const onResource = refersTo(p.expression.expression, report.subject.aliases);
    if (SYNC_CALLBACK_METHODS.has(name) && !onResource) return 'during';
  }
  if (isAsyncFunction(fn) && insideAwaitedPromise(c, fn)) return 'during';
  if (ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression) && LISTEN_METHODS.has(p.expression.name.text) &&
      refersTo(p.expression.expression, report.subject.aliases)) return 'listener';
  return 'later';
}

function climbParens(n: ts.Node): ts.Node {
  let x = n;
  while (ts.isParenthesizedExpression(x.parent) || ts.isAsExpression(x.parent) || ts.isSatisfiesExpression(x.parent)) x = x.parent;
  return x;
}

/**
 * Is `c` inside the executor of a `new Promise`, or a `.then`/`.catch`/`.finally` callback, whose
 * promise `fn` itself awaits where it is made? Such code has run (or stopped mattering) by the time
 * the function goes on.
 */
function insideAwaitedPromise(c: ts.Node, fn: ts.Node): boolean {
  for (let a: ts.Node = c; a && a !== fn; a = a.parent) {
    if (!ts.isArrowFunction(a) && !ts.isFunctionExpression(a)) continue;
    const outer = climbParens(a);
    const p = outer.parent;
    let promise: ts.Expression | undefined;
    if (ts.isNewExpression(p) && p.arguments?.[0] === outer && ts.isIdentifier(p.expression) && p.expression.text === 'Promise') promise = p;
    else if (ts.isCallExpression(p) && p.arguments.includes(outer as ts.Expression) && ts.isPropertyAccessExpression(p.expression) &&
      PROMISE_CALLBACKS.has(p.expression.name.text)) promise = p;
    if (promise && awaitedIn(promise, fn)) return true;
  }
  return false;
}

function awaitedIn(e: ts.Node, fn: ts.Node): boolean {
  let x = climbParens(e);
  for (;;) {
    const p = x.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === x && PROMISE_CALLBACKS.has(p.name.text) &&
        ts.isCallExpression(p.parent) && p.parent.expression === p) { x = climbParens(p.parent); continue; }
    if (ts.isArrayLiteralExpression(p) && ts.isCallExpression(p.parent) && p.parent.arguments[0] === p &&
        ts.isPropertyAccessExpression(p.parent.expression) && PROMISE_COMBINATORS.has(p.parent.expression.name.text) &&
        ts.isIdentifier(p.parent.expression.expression) && p.parent.expression.expression.text === 'Promise') { x = climbParens(p.parent); continue; }
    break;
  }
  return ts.isAwaitExpression(x.parent) && enclosingFunctionOf(x.parent) === fn;
}

export function enclosingFunctionOf(n: ts.Node): ts.Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (ts.isFunctionLike(p) || ts.isClassStaticBlockDeclaration(p)) return p;
  return undefined;
}

// ---- scope ------------------------------------------------------------------------------------

/** Names a statement list declares for its whole block: `let`, `const`, `using`, classes, functions, enums, types. */
export function blockScopedNames(stmts: readonly ts.Statement[]): Set<string> {
  const out = new Set<string>();
  const addBinding = (n: ts.BindingName) => {
    if (ts.isIdentifier(n)) out.add(n.text);
    else for (const el of n.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name);
  };
  for (const st of stmts) {
    if (ts.isVariableStatement(st) && (st.declarationList.flags & ts.NodeFlags.BlockScoped)) st.declarationList.declarations.forEach((d) => addBinding(d.name));
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st) || ts.isInterfaceDeclaration(st) ||
      ts.isTypeAliasDeclaration(st) || ts.isModuleDeclaration(st)) && st.name && ts.isIdentifier(st.name)) out.add(st.name.text);
  }
  return out;
}

/** Do any of `names` appear as a binding reference in `n`, outside the ranges of `except`? */
export function mentionsAny(n: ts.Node, names: Set<string>, except: Array<[number, number]> = []): boolean {
  if (!names.size) return false;
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found) return;
    if (except.some(([a, b]) => x.pos >= a && x.end <= b)) return;
    if (ts.isIdentifier(x) && names.has(x.text) && isBindingReference(x)) found = true;
    else if (ts.isShorthandPropertyAssignment(x) && names.has(x.name.text)) found = true;
    else ts.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

/** Uses of the resource's variables after `pos` in the function (a `var`, or a later `switch` case). */
export function usedAfter(report: LeakReport, pos: number): boolean {
  const body = report.subject.fn.body;
  if (!body) return false;
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found || x.end <= pos) return;
    if (x.pos >= pos) found = refersTo(x, report.subject.aliases); // the whole subtree at once
    else ts.forEachChild(x, visit);
  };
  visit(body);
  return found;
}

/** The `const`/`let`/`var` declaration of the resource's first variable (through a destructuring pattern). */
export function variableDeclarationOf(report: LeakReport): ts.VariableDeclaration | undefined {
  let d: ts.Node | undefined = [...report.subject.aliases][0]?.valueDeclaration;
  while (d && (ts.isBindingElement(d) || ts.isObjectBindingPattern(d) || ts.isArrayBindingPattern(d))) d = d.parent;
  return d && ts.isVariableDeclaration(d) ? d : undefined;
}

/**
 * The resource's variable certainly holds it at every point after its declaration statement (and
 * inside the block of that statement): `const`/`let` initialised by the creation and never assigned
 * again, or a callback parameter.
 */
export function definitelyAssigned(report: LeakReport): boolean {
  const { subject } = report;
  if (!subject.creation) return true; // a parameter: holds it on entry
  const decl = variableDeclarationOf(report);
  // `const engine = new Engine(); await engine.start()`: opened later, it was made by the initializer.
  if (!decl?.initializer || !within(subject.made ?? subject.creation, decl.initializer) || !ts.isVariableDeclarationList(decl.parent)) return false;
  if (decl.parent.flags & ts.NodeFlags.Const) return true;
  const names = new Set([...subject.aliases].map((s) => s.getName()));
  let assigned = false;
  const visit = (x: ts.Node): void => {
    if (assigned) return;
    if (ts.isBinaryExpression(x) && x.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && x.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
        ts.isIdentifier(stripParens(x.left)) && names.has((stripParens(x.left) as ts.Identifier).text)) assigned = true;
    else ts.forEachChild(x, visit);
  };
  if (subject.fn.body) visit(subject.fn.body);
  return !assigned;
}

/**
 * A variable declared with a type that admits no `undefined` and no initializer: TypeScript rejects
 * any read of it where it may be unassigned, even `s?.end()`.
 */
export function declaredWithoutUndefined(report: LeakReport): boolean {
  const decl = [...report.subject.aliases][0]?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || decl.initializer || !decl.type || decl.exclamationToken) return false;
  return !/\b(undefined|null|any|unknown)\b/.test(decl.type.getText());
}

/**
 * `handle(res, resolve)` in the function, its promise not awaited: the function the resource was handed
 * to may still be using it when a release the fix inserts runs. An async helper reading a fetch body has
 * locked it, and `cancel()` of a locked body rejects (an unhandled rejection ends the process). A call
 * whose promise is awaited has finished with it; a function of this file that is not async uses it
 * only while it runs.
 */
export function handedToPendingCall(report: LeakReport): boolean {
  const { fn, aliases } = report.subject;
  const sf = fn.getSourceFile();
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found || (ts.isFunctionLike(x) && x !== fn)) return;
    if (ts.isCallExpression(x) && x.arguments.some((a) => ts.isIdentifier(stripParens(a)) && refersTo(a, aliases) && !isNonOwningCall(x, a)) && !isReleaseCall(x, report) && !ts.isAwaitExpression(climbParens(x).parent) &&
        !isSyncFunctionOfFile(sf, x.expression)) {
      found = true;
      return;
    }
    ts.forEachChild(x, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

/** `track(s)` where this file declares `function track(…)` (or a const arrow) that is not async. */
function isSyncFunctionOfFile(sf: ts.SourceFile, callee: ts.Expression): boolean {
  const id = stripParens(callee);
  if (!ts.isIdentifier(id)) return false;
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name?.text === id.text) return !isAsyncFunction(st) && !st.asteriskToken;
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer && stripParens(d.initializer);
      if (ts.isIdentifier(d.name) && d.name.text === id.text && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return !isAsyncFunction(init);
    }
  }
  return false;
}

/** Releases that drop what is still queued for writing (`s.destroy()`, `ws.terminate()`). */
export const ABRUPT_RELEASE = /\.(destroy|terminate|resetAndDestroy)\(/;
const WRITES = new Set(['write', 'send', 'end', 'cork']);

/** `s.write(…)` (or `s.end(data)`, `ws.send(…)`) in the function's own code (not a callback's) before `at`. */
export function writesTo(report: LeakReport, at = Infinity): boolean {
  const body = report.subject.fn.body;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n.pos >= at || ts.isFunctionLike(n)) return;
    if (ts.isCallExpression(n) && n.end <= at && ts.isPropertyAccessExpression(n.expression) && WRITES.has(n.expression.name.text) &&
        (n.expression.name.text !== 'end' || n.arguments.length > 0) && refersTo(n.expression.expression, report.subject.aliases)) found = true;
    else ts.forEachChild(n, visit);
  };
  if (body) visit(body);
  return found;
}

