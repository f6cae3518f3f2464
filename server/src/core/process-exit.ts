// What ends the process: `process.exit()` (also `exit` imported from `node:process`), statements or
// callbacks that reach it before anything else can leave, and top-level calls whose rejection ends it
// (uncaught, or caught by a handler that exits). Whatever a run left open dies with the process.
import { ts } from 'ts-morph';
import { findNode, functionOfDeclaration, stripParens, topLevelNamed } from './ast';

/** `process.exit(…)`, `process.abort()`, `process.kill(process.pid, …)`: nothing after them runs. */
export function isProcessExit(call: ts.CallExpression): boolean {
  const c = stripParens(call.expression);
  // `import { exit } from 'node:process'; … exit(1)`.
  if (ts.isIdentifier(c)) return importedFromProcess(call.getSourceFile(), c.text) === 'exit';
  if (!ts.isPropertyAccessExpression(c) || !ts.isIdentifier(c.expression) || c.expression.text !== 'process') return false;
  if (c.name.text === 'exit' || c.name.text === 'abort' || c.name.text === 'reallyExit') return true;
  const target = call.arguments[0];
  return c.name.text === 'kill' && !!target && ts.isPropertyAccessExpression(target) && target.name.text === 'pid';
}

/** The export of Node's `process` module that a file imports under `local` (`import { exit as quit } from 'node:process'`). */
function importedFromProcess(sf: ts.SourceFile, local: string): string | undefined {
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !/^(node:)?process$/.test(st.moduleSpecifier.text)) continue;
    const named = st.importClause?.namedBindings;
    if (!named || !ts.isNamedImports(named)) continue;
    const el = named.elements.find((e) => e.name.text === local);
    if (el) return (el.propertyName ?? el.name).text;
  }
  return undefined;
}

/**
 * `fail(err)` of a function of the same file whose body ends the process (`function fail(err) { console.error(…);
 * process.exit(1) }`, `const die = (e) => process.exit(2)`): nothing runs after the call.
 */
export function callsExitingFunction(call: ts.CallExpression, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  const callee = stripParens(call.expression);
  const decl = ts.isIdentifier(callee) ? symbolOf(callee)?.valueDeclaration : undefined;
  if (!decl || decl.getSourceFile() !== call.getSourceFile()) return false;
  const fn = functionOfDeclaration(decl);
  if (!fn?.body) return false;
  if (!ts.isBlock(fn.body)) return ts.isCallExpression(stripParens(fn.body)) && isProcessExit(stripParens(fn.body) as ts.CallExpression);
  return exitsBeforeLeaving(fn.body.statements);
}

/** `log(e); process.exit(1)`: the statements call `process.exit()` and none before it may return or throw. */
export function exitsBeforeLeaving(stmts: readonly ts.Statement[]): boolean {
  const i = stmts.findIndex((st) => ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && isProcessExit(st.expression));
  return i >= 0 && !stmts.slice(0, i).some(leaves);
}

/** The statement may return or throw before the statements after it run. */
function leaves(n: ts.Node): boolean {
  if (ts.isReturnStatement(n) || ts.isThrowStatement(n)) return true;
  return !ts.isFunctionLike(n) && !!ts.forEachChild(n, (c) => leaves(c) || undefined);
}

/** A callback whose body ends the process on every path: `process.exit()` among its own statements. */
export function callbackExitsProcess(arg: ts.Expression): boolean {
  const fn = stripParens(arg);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  return ts.isBlock(fn.body) ? exitsBeforeLeaving(fn.body.statements) : ts.isCallExpression(fn.body) && isProcessExit(fn.body);
}

/**
 * `main()` / `await main()` / `const app = await start()` (an unhandled rejection, or one a module's
 * top-level await meets, ends the process), `main().catch(() => process.exit(1))`, `main().then(ok, () => process.exit(1))`.
 */
export function rejectionEndsProcess(call: ts.CallExpression): boolean {
  // `try { await main() } catch (err) { console.error(err); process.exitCode = 1 }`: caught, and the process goes on.
  for (let n: ts.Node = call; n.parent && !ts.isSourceFile(n.parent) && !ts.isFunctionLike(n.parent); n = n.parent) {
    const t = n.parent;
    if (ts.isTryStatement(t) && t.tryBlock === n && t.catchClause && !exitsProcess(t.catchClause.block)) return false;
  }
  let e: ts.Node = call;
  let awaited = false;
  while (ts.isAwaitExpression(e.parent) || ts.isParenthesizedExpression(e.parent) || ts.isVoidExpression(e.parent)) {
    awaited ||= ts.isAwaitExpression(e.parent);
    e = e.parent;
  }
  const p = e.parent;
  if (ts.isExpressionStatement(p) || (awaited && ts.isVariableDeclaration(p) && p.initializer === e)) return true;
  if (!awaited && ts.isVariableDeclaration(p) && p.initializer === e && handledOnlyLater(p)) return true;
  if (ts.isPropertyAccessExpression(p) && p.expression === e && ts.isCallExpression(p.parent)) {
    const chained = p.parent;
    const handler = p.name.text === 'catch' ? chained.arguments[0] : p.name.text === 'then' ? chained.arguments[1] : undefined;
    if (p.name.text === 'then' && !handler) return rejectionEndsProcess(chained);
    if (p.name.text === 'finally') return rejectionEndsProcess(chained);
    return !!handler && exitsProcess(handler);
  }
  return false;
}

/**
 * `const listening = startListener()` in a script's top-level code, the promise used only inside functions
 * (`process.once('SIGTERM', () => listening.then((stop) => stop()))`): a rejection at start-up meets no handler
 * yet, and an unhandled rejection ends the process.
 */
function handledOnlyLater(decl: ts.VariableDeclaration): boolean {
  const name = decl.name;
  if (!ts.isIdentifier(name)) return false;
  for (let n: ts.Node = decl; !ts.isSourceFile(n); n = n.parent) if (ts.isFunctionLike(n) || ts.isClassLike(n)) return false;
  const early = findNode(decl.getSourceFile(), (n) => ts.isIdentifier(n) && n !== name && n.text === name.text && !insideFunction(n));
  return !early;
}

function insideFunction(n: ts.Node): boolean {
  for (let x = n.parent; x && !ts.isSourceFile(x); x = x.parent) if (ts.isFunctionLike(x)) return true;
  return false;
}

/**
 * The promise a call's rejection goes into: the call's own, or for an element of `Promise.all([…])` the
 * combined one, which rejects with it (not `allSettled`'s, which never rejects).
 */
export function rejectingPromiseOf(call: ts.CallExpression): ts.CallExpression {
  let e: ts.Node = call;
  while (ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const list = e.parent;
  const all = ts.isArrayLiteralExpression(list) ? list.parent : undefined;
  if (!all || !ts.isCallExpression(all) || all.arguments[0] !== list || !ts.isPropertyAccessExpression(all.expression)) return call;
  const callee = all.expression;
  return ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise' && callee.name.text === 'all' ? all : call;
}

/**
 * A handler that ends the process or rethrows (an unhandled rejection ends it): a run that failed ends
 * there, and what it left open dies with it. Not one that only sets `process.exitCode`: the process goes
 * on until its event loop is empty, which a client still open never lets happen (a cron job that hangs).
 */
function exitsProcess(handler: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && isProcessExit(n)) found = true;
    else if (ts.isThrowStatement(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(handler);
  return found;
}

/**
 * `.action(run(async (host) => { … }))` with `function run(action) { return async (...args) => { try { await
 * action(...args); process.exit(0) } catch (e) { log(e); process.exit(1) } } }`: a function handed to a wrapper
 * of its file that ends the process once it settles, either way. What it leaves open dies with the process.
 */
export function settlesIntoExit(fn: ts.Node): boolean {
  let arg = fn;
  while (ts.isParenthesizedExpression(arg.parent)) arg = arg.parent;
  const call = arg.parent;
  if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || !call.arguments.includes(arg as ts.Expression)) return false;
  const named = topLevelNamed(fn.getSourceFile(), call.expression.text);
  const wrapper = named && ts.isFunctionLike(named) ? named as ts.FunctionLikeDeclaration : undefined;
  const param = wrapper?.parameters[call.arguments.indexOf(arg as ts.Expression)]?.name;
  const body = wrapper?.body && ts.isBlock(wrapper.body) ? wrapper.body : undefined;
  const last = body?.statements[body.statements.length - 1];
  const inner = last && ts.isReturnStatement(last) && last.expression ? stripParens(last.expression) : undefined;
  if (!param || !ts.isIdentifier(param) || !inner || (!ts.isArrowFunction(inner) && !ts.isFunctionExpression(inner)) || !ts.isBlock(inner.body)) return false;
  // The wrapper's function: `try { <call of the parameter>; …; process.exit() } catch { …; process.exit() }`, and nothing before it.
  const only = inner.body.statements.length === 1 ? inner.body.statements[0] : undefined;
  if (!only || !ts.isTryStatement(only) || !only.catchClause || only.finallyBlock || !exitsBeforeLeaving(only.catchClause.block.statements)) return false;
  const stmts = only.tryBlock.statements;
  const i = stmts.findIndex((st) => callsName(st, param.text));
  return i >= 0 && exitsBeforeLeaving(stmts.slice(i + 1));
}

/** The statement calls `name(…)` itself (not in a function of its own). */
function callsName(n: ts.Node, name: string): boolean {
  if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) return true;
  return !ts.isFunctionLike(n) && !!ts.forEachChild(n, (c) => callsName(c, name) || undefined);
}

/**
 * `link.once('data', (reply) => { console.log(reply); process.exit(0) })`: the function leaves `name` open to wait
 * for an event of its own, not a failure (`'error'`, `'link-error'`, `'timeout'`), whose listener ends the process.
 */
export function exitsOnEvent(fn: ts.Node, name: string): boolean {
  return !!findNode(fn, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ['on', 'once'].includes(n.expression.name.text) &&
    ts.isIdentifier(stripParens(n.expression.expression)) && (stripParens(n.expression.expression) as ts.Identifier).text === name &&
    n.arguments.length === 2 && ts.isStringLiteralLike(n.arguments[0]) && !/error|timeout|abort/i.test(n.arguments[0].text) && callbackExitsProcess(n.arguments[1]), true);
}
