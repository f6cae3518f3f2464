// A promise that resolves to a resource its executor has just made: `new Promise((resolve, reject) =>
// https.get(url, resolve).on('error', reject))`, `s.once('connect', () => resolve(s))`. Whoever awaits
// it owns the resource, as if it had called the creator itself.
import { ts } from 'ts-morph';
import { OriginResolver } from './origins';
import { calleeName, enclosingFunction, findNode, functionOfDeclaration, skipOuter, stripParens, within } from './ast';
import { ENDING, onlyReadsParam } from './borrowing';
import type { ResourceKind } from './kinds';
import { HandleLookup, releaseHandle } from './returned-handles';
import { alwaysThrows, waitsForEvent } from './call-shapes';

/** What a creating call is (CreatorFinder's CreatorMatch): its kind, and the callback parameter that receives it. */
interface Match { kind: ResourceKind; callbackParam?: number; madeAt?: ts.Node }
/** Matches a creating call (CreatorFinder.match), passed in so that this module needs no finder. */
type Matcher<M extends Match> = (n: ts.CallExpression | ts.NewExpression, depth: number) => M | undefined;

/**
 * `new Promise((resolve, reject) => { const s = net.connect(o); s.once('connect', () => resolve(s)); … })`:
 * every `resolve(…)` hands out a resource the executor has just made and keeps nowhere else.
 */
export function promisedResource<M extends Match>(ex: ts.ArrowFunction | ts.FunctionExpression, match: Matcher<M>, resolver: OriginResolver, depth: number): M | undefined {
  const resolveParam = ex.parameters[0];
  if (!resolveParam || !ts.isIdentifier(resolveParam.name) || !ex.body) return undefined;
  const resolveName = resolveParam.name.text;
  let found: M | undefined;
  let other = false;
  const vars = new Set<ts.Symbol>();
  const settle = (m: M | undefined, at: ts.Node | undefined, sym?: ts.Symbol) => {
    if (!m || (found && found.kind !== m.kind)) other = true;
    else { found ??= at ? { ...m, madeAt: at } : m; if (sym) vars.add(sym); }
  };
  // `const srv = http.createServer(h); return new Promise((resolve) => srv.listen(0, () => resolve(srv)))`: made
  // just before, by the function that returns the promise.
  const maker = enclosingFunction(ex);
  let madeOutside = false;
  const visit = (n: ts.Node): void => {
    if (other) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === resolveName) {
      const a = n.arguments[0] && stripParens(n.arguments[0]);
      const sym = a && ts.isIdentifier(a) ? resolver.symbolOf(a) : undefined;
      const decl = sym?.declarations?.[0];
      if (decl && ts.isParameter(decl) && within(decl, ex)) return settle(callbackResource(decl, match, depth), undefined, sym); // it says where it was made
      const outside = !!decl && !within(decl, ex) && !!maker && within(decl, maker) && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const;
      const m = decl && ts.isVariableDeclaration(decl) && decl.initializer && (within(decl, ex) || outside) && ts.isCallOrNewExpression(skipOuter(decl.initializer))
        ? match(skipOuter(decl.initializer) as ts.CallExpression | ts.NewExpression, depth + 1) : undefined;
      if (outside) madeOutside = true;
      return settle(m && m.callbackParam === undefined ? m : undefined, decl && ts.isVariableDeclaration(decl) ? decl.initializer : undefined, sym);
    }
    // `https.get(url, resolve)`: the creator hands its resource straight to `resolve`.
    const last = ts.isCallExpression(n) && n.arguments.length ? stripParens(n.arguments[n.arguments.length - 1]) : undefined;
    if (last && ts.isIdentifier(last) && last.text === resolveName) {
      const m = match(n as ts.CallExpression, depth + 1);
      if (m?.callbackParam === 0) settle(m, n);
    }
    ts.forEachChild(n, visit);
  };
  visit(ex.body);
  return found && !other && !storedElsewhere(madeOutside && maker?.body ? maker.body : ex.body, vars, resolver, resolveName) ? found : undefined;
}

/**
 * `new Promise((resolve) => { const conn = new Client(); …; resolve({ port, close: () => conn.end() }) })`:
 * every `resolve(…)` hands out a handle whose release method closes a resource the executor made
 * (returned-handles.ts releaseHandle): the kind of that handle.
 */
export function promisedHandle<M extends Match>(ex: ts.ArrowFunction | ts.FunctionExpression, lookup: HandleLookup<M>): ResourceKind | undefined {
  const resolveParam = ex.parameters[0];
  if (!resolveParam || !ts.isIdentifier(resolveParam.name) || !ex.body) return undefined;
  const resolveName = resolveParam.name.text;
  let kind: ResourceKind | undefined;
  let other = false;
  const visit = (n: ts.Node): void => {
    if (other) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === resolveName) {
      const a = n.arguments[0] && stripParens(n.arguments[0]);
      const k = a && ts.isObjectLiteralExpression(a) ? releaseHandle(a, ex, lookup) : undefined;
      if (!k || (kind && kind !== k)) other = true;
      else kind = k;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(ex.body);
  return other ? undefined : kind;
}

/**
 * `resolve({ conn, sftp })`, `resolve(new SftpSession(conn, sftp))`: the object literals or new objects every `resolve(…)`
 * of the executor is given, when each is one (returnsResource reads them as it reads a returned one).
 */
export function resolvedObjects(ex: ts.ArrowFunction | ts.FunctionExpression): Array<ts.ObjectLiteralExpression | ts.NewExpression> | undefined {
  const resolveParam = ex.parameters[0];
  if (!resolveParam || !ts.isIdentifier(resolveParam.name) || !ex.body) return undefined;
  const name = resolveParam.name.text;
  const found: Array<ts.ObjectLiteralExpression | ts.NewExpression> = [];
  let other = false;
  const visit = (n: ts.Node): void => {
    if (other) return;
    if (ts.isIdentifier(n) && n.text === name && n !== resolveParam.name) {
      const a = ts.isCallExpression(n.parent) && n.parent.expression === n && n.parent.arguments[0] && stripParens(n.parent.arguments[0]);
      if (a && (ts.isObjectLiteralExpression(a) || ts.isNewExpression(a))) found.push(a);
      else other = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(ex.body);
  return other || !found.length ? undefined : found;
}

/**
 * `https.get(url, (res) => resolve(res))`, `req.once('response', (res) => resolve(res))`: the parameter
 * is the one through which a creator's callback receives the resource it made.
 */
function callbackResource<M extends Match>(param: ts.ParameterDeclaration, match: Matcher<M>, depth: number): M | undefined {
  const fn = param.parent;
  const call = fn.parent;
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || !ts.isCallExpression(call) || call.arguments[call.arguments.length - 1] !== fn) return undefined;
  const m = match(call, depth + 1);
  return m && m.callbackParam === fn.parameters.indexOf(param) ? { ...m, madeAt: call } : undefined;
}

/** Test hooks that run after the test (mocha, jest, vitest, node:test's `after`/`t.after`, tap's `t.teardown`). */
const CLEANUP_HOOKS = new Set(['after', 'afterEach', 'afterAll', 'teardown', 'suiteTeardown', 'onTestFinished']);

/**
 * The returned variable is also put in a field, a collection, handed to another call (other than
 * `resolve`), or closed by a test hook the function registers.
 */
export function storedElsewhere(body: ts.Node, vars: Set<ts.Symbol>, resolver: OriginResolver, resolveName?: string): boolean {
  let found = false;
  // `registerRoutes(app, deps)`: a function of the project that only calls methods of it (its routes) and keeps nothing;
  // also a method of the class (`this.publishPlayer(client, id, status)`).
  const onlyRead = (call: ts.CallExpression | ts.NewExpression, index: number): boolean => {
    const callee = stripParens(call.expression);
    const named = ts.isIdentifier(callee) ? callee
      : ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword ? callee.name : undefined;
    const decl = ts.isCallExpression(call) && named ? resolver.targetOf(named)?.declarations?.[0] : undefined;
    const fn = decl && !decl.getSourceFile().isDeclarationFile ? functionOfDeclaration(decl) : undefined;
    return !!fn && onlyReadsParam(fn, index, ENDING);
  };
  const keptOutside = (e: ts.Expression) => {
    const x = stripParens(e);
    const d = ts.isIdentifier(x) ? resolver.symbolOf(x)?.declarations?.[0] : undefined;
    return !ts.isIdentifier(x) || (!!d && ts.isVariableDeclaration(d) && d.getSourceFile() === body.getSourceFile() && (d.end <= body.pos || d.pos >= body.end));
  };
  const isVar = (e: ts.Expression) => {
    const x = stripParens(e);
    return ts.isIdentifier(x) && vars.has(resolver.symbolOf(x) as ts.Symbol);
  };
  const visit = (n: ts.Node): void => {
    if (found) return;
    // `if (!ok) { const err = await parseError(res); throw err }`: what a path that throws does with it is no
    // matter of what the function hands out.
    if (ts.isBlock(n) && n !== body && !ts.isFunctionLike(n.parent) && alwaysThrows(n)) return;
    // `this.conn = conn`, `state.ch = ch`, or a module's own `channel = ch` (a name declared outside the function): kept there.
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && isVar(n.right) && keptOutside(n.left)) found = true;
    // `await once(ws, 'open')` before `return ws`: it waits for an event, and keeps nothing.
    else if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && (n.arguments ?? []).some((a, i) => isVar(a) && !waitsForEvent(n, a) && !onlyRead(n, i)) &&
        !(resolveName && ts.isIdentifier(n.expression) && n.expression.text === resolveName)) found = true;
    else if (ts.isArrayLiteralExpression(n) && n.elements.some(isVar)) found = true;
    // `after(() => server.close())` in the helper that makes the server: the test runner closes it, not the caller.
    else if (ts.isCallExpression(n) && CLEANUP_HOOKS.has(calleeName(n) ?? '') && n.arguments.some((a) => {
      const fn = stripParens(a);
      return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !!findNode(fn, (x) => ts.isIdentifier(x) && isVar(x));
    })) found = true;
    else if (ts.isPropertyAssignment(n) && isVar(n.initializer)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}
