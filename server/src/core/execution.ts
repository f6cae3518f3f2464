// Where and how often a piece of code runs, read from its syntax: in a test case, as the one-shot
// `main()` of a script, in a browser, once (a `listen` callback) or on every request. What a leak
// costs depends on it: a socket left open when a test's `await` rejects is cleaned up with the failing
// test, a client left open when a script's `main()` rejects dies with the process, and a `fetch` in a
// page holds no socket of this process at all.
import { ts } from 'ts-morph';
import { calleeName, callsMethodOn, enclosingFunction, findNode, FnLike, forEachReturn, functionName, importedFrom, isBindingReference, isExportsObject, stripParens } from './ast';
import { exitsBeforeLeaving, isProcessExit, rejectingPromiseOf, rejectionEndsProcess, settlesIntoExit } from './process-exit';
import { LISTEN_METHODS, PROMISE_CALLBACKS } from './call-shapes';
import { invokedInPlace } from './class-calls';
import { isExportedFunction } from './module-specifiers';

/** Test-runner functions that take a test body or a hook (mocha, jest, vitest, node:test, tap, ava, jasmine). */
const TEST_APIS = new Set([
  'it', 'test', 'specify', 'describe', 'context', 'suite', 'xit', 'fit', 'xdescribe', 'fdescribe', 'xtest',
  'before', 'after', 'beforeEach', 'afterEach', 'beforeAll', 'afterAll', 'setup', 'teardown', 'suiteSetup', 'suiteTeardown',
]);
/** Methods of a test context (`t.test`, `t.after`, `t.teardown`) that take a subtest or a hook. */
const TEST_CONTEXT_METHODS = new Set(['test', 'it', 'describe', 'before', 'after', 'beforeEach', 'afterEach', 'teardown', 'todo', 'skip']);
// Also the runners' setup files: `vitest.global-setup.ts`, `globalSetup.js`, `jest.setup.ts`, `setupTests.ts`.
const TEST_PATH = /(^|[\\/])(test|tests|__tests__|spec|specs|e2e|__mocks__)[\\/]|\.(test|spec|e2e)\.[cm]?[jt]sx?$|(^|[\\/])test[-_.]?(helpers?|utils?|setup)\.[cm]?[jt]sx?$|(^|[\\/])[^\\/]*(global[-_.]?(setup|teardown)|(jest|vitest)[-_.]setup|setup[-_.]?tests)[^\\/]*\.[cm]?[jt]sx?$/i;

/** Callbacks that run in a browser page, not in this process (Puppeteer, Playwright, WebdriverIO). */
const PAGE_FUNCTIONS = new Set(['evaluate', 'evaluateHandle', '$eval', '$$eval', 'waitForFunction', 'addInitScript', 'evaluateOnNewDocument', 'execute', 'executeAsync']);

/**
 * Whether each analysed file is test code by its place in its package, set by the analyzer (which
 * knows the package root): `test/…` inside a package, not a checkout that happens to live under a
 * folder named `test`.
 */
const TEST_FILES = new WeakMap<ts.SourceFile, boolean>();

/**
 * A package of tests of its own, named so at its end (`@graphql-yoga/e2e-testing`, `integration-tests`,
 * `api-e2e`): all its code is test code. Not a name that only starts so (`e2e-shop`, `test-utils`).
 */
const TEST_PACKAGE = /(^|[-_./@])(e2e|tests?|testing)$/i;

/**
 * `pathInPackage` is the file's path relative to its package root (the nearest package.json), and
 * `packageName` that package.json's name.
 */
export function setPathInPackage(sf: ts.SourceFile, pathInPackage: string, packageName = ''): void {
  TEST_FILES.set(sf, TEST_PATH.test(pathInPackage.replace(/\\/g, '/')) || TEST_PACKAGE.test(packageName));
}

export function isTestFile(sf: ts.SourceFile): boolean {
  return TEST_FILES.get(sf) ?? /\.(test|spec|e2e)\.[cm]?[jt]sx?$/.test(sf.fileName);
}

/** `it(…)`, `test.skip(…)`, `describe.each(t)(…)`, or `t.test(…)` on the context of an enclosing test. */
function isTestApiCall(call: ts.CallExpression): boolean {
  let c = stripParens(call.expression);
  if (ts.isCallExpression(c)) c = stripParens(c.expression); // describe.each(table)(name, fn)
  const chain: string[] = [];
  while (ts.isPropertyAccessExpression(c)) {
    chain.unshift(c.name.text);
    c = stripParens(c.expression);
  }
  if (!ts.isIdentifier(c)) return false;
  if (TEST_APIS.has(c.text)) return true;
  // `t.test(…)` / `t.after(…)`: `t` is tap's own (`import t from 'tap'`), or a parameter of an enclosing test body.
  if (chain.length === 1 && TEST_CONTEXT_METHODS.has(chain[0])) {
    const fn = enclosingFunction(call);
    return importedFrom(call.getSourceFile(), c.text) === 'tap' || (!!fn && isTestBody(fn) && fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === (c as ts.Identifier).text));
  }
  return false;
}

/** A function given to a test-runner call (a test body or a hook). */
export function isTestBody(fn: ts.Node): boolean {
  const call = argumentHolder(fn);
  return call ? isTestApiCall(call) : isNodeunitTest(fn);
}

/**
 * A nodeunit test: a function of a test file exported as a test (`module.exports['name'] = (test) => …`,
 * `exports.name = function (test) {…}`, a property of `module.exports = {…}`) that ends with `test.done()`.
 */
function isNodeunitTest(fn: ts.Node): boolean {
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) || fn.parameters.length !== 1 || !fn.body ||
      !isTestFile(fn.getSourceFile())) return false;
  const param = fn.parameters[0].name;
  // Up through the groups of `module.exports = { 'group': { 'name'(test) {…} } }`.
  let value: ts.Node = ts.isMethodDeclaration(fn) ? fn.parent : ts.isPropertyAssignment(fn.parent) ? fn.parent.parent : fn;
  for (let i = 0; i < 4 && ts.isObjectLiteralExpression(value) && ts.isPropertyAssignment(value.parent); i++) value = value.parent.parent;
  const p = value.parent;
  const target = ts.isBinaryExpression(p) && p.right === value && p.operatorToken.kind === ts.SyntaxKind.EqualsToken ? p.left : undefined;
  if (!ts.isIdentifier(param) || !target || !/^(module\.)?exports\b/.test(target.getText())) return false;
  return !!findNode(fn.body, (n) => callsMethodOn(n, TEST_ENDS, named(param.text)));
}

/** `t.end()` (tape), `test.done()` (nodeunit): the call that ends a test through its context. */
export const TEST_ENDS = ['done', 'end'];
export const named = (name: string) => (e: ts.Expression) => ts.isIdentifier(e) && e.text === name;

/** The node is inside a test body or hook, at any depth. */
export function inTestCase(node: ts.Node): boolean {
  for (let f: FnLike | undefined = ts.isFunctionLike(node) ? (node as FnLike) : enclosingFunction(node); f; f = enclosingFunction(f)) {
    if (isTestBody(f)) return true;
  }
  return false;
}

/** Test code: inside a test body or hook, or anywhere in a test file. */
export function inTestCode(node: ts.Node): boolean {
  return isTestFile(node.getSourceFile()) || inTestCase(node);
}

/** The call a function expression is passed to, through parentheses. */
export function argumentHolder(fn: ts.Node): ts.CallExpression | undefined {
  let n = fn;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const call = n.parent;
  return call && ts.isCallExpression(call) && call.arguments.includes(n as ts.Expression) ? call : undefined;
}

/** A callback handed to `page.evaluate(…)` and the like runs in the browser. */
export function inBrowserPage(node: ts.Node): boolean {
  for (let f = ts.isFunctionLike(node) ? (node as FnLike) : enclosingFunction(node); f; f = enclosingFunction(f)) {
    const call = argumentHolder(f);
    if (call && PAGE_FUNCTIONS.has(calleeName(call) ?? '') && ts.isPropertyAccessExpression(stripParens(call.expression))) return true;
  }
  return false;
}

/**
 * The function is the `main()` of a script: called from the top level of its file and nowhere else
 * there, so that its rejection reaches the top level, where it is not caught (the process crashes) or
 * is caught by a handler that exits the process. Everything it left open dies with the process.
 */
export function isScriptMain(fn: FnLike): boolean {
  if (isTopLevelIife(fn) || isCliAction(fn)) return true;
  const name = ts.isMethodDeclaration(fn) ? undefined : functionName(fn);
  if (!name) return false;
  const use = fileNames(fn.getSourceFile()).uses.get(name);
  return !!use && use.topLevelCalls === 1 && use.otherUses === 0 && use.exits;
}

/**
 * `program.command('users:list').action(async (opts) => { … })` (commander, cac) in a file whose top level
 * runs `program.parseAsync(argv)` or `parse()`, where a rejection ends the process (not caught, or caught
 * by a handler that exits): the action's rejection reaches there, as a script main's does.
 */
function isCliAction(fn: FnLike): boolean {
  const call = argumentHolder(fn);
  if (!call || calleeName(call) !== 'action' || !ts.isPropertyAccessExpression(call.expression)) return false;
  const parse = (n: ts.Node): boolean => !ts.isFunctionLike(n) && (ts.isCallExpression(n) && ['parse', 'parseAsync'].includes(calleeName(n) ?? '') &&
    ts.isPropertyAccessExpression(n.expression) ? rejectionEndsProcess(n) : !!ts.forEachChild(n, (c) => parse(c) || undefined));
  return fn.getSourceFile().statements.some(parse);
}

/**
 * Code a script runs once: its `main()`, the module's top level, or a callback called in place there
 * (`api.context.with(ctx, () => { … })`; not a listener's or a timer's, named by `on`/`once`/`set…`).
 */
export function runsOnceInScript(fn: FnLike): boolean {
  let f: FnLike | undefined = fn;
  const later = (call: ts.CallExpression) => {
    const name = calleeName(call) ?? '';
    return LISTEN_METHODS.has(name) || PROMISE_CALLBACKS.has(name) || /^set[A-Z]/.test(name);
  };
  while (f && (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) && ts.isCallExpression(f.parent) && f.parent.arguments.includes(f) &&
      !later(f.parent)) f = enclosingFunction(f.parent);
  return !f || isScriptMain(f);
}

/** A function of the file called once, at its top level, and named nowhere else (`main().catch(report)`): however its rejection ends. */
export function calledOnceAtTopLevel(fn: FnLike): boolean {
  const name = ts.isMethodDeclaration(fn) ? undefined : functionName(fn);
  const use = name ? fileNames(fn.getSourceFile()).uses.get(name) : undefined;
  return !!use && use.topLevelCalls === 1 && use.otherUses === 0;
}

/** `(async function main() { … })().catch(() => process.exit(1))`, `(async () => { … })()` at the top level of a script. */
function isTopLevelIife(fn: FnLike): boolean {
  if (!ts.isFunctionExpression(fn) && !ts.isArrowFunction(fn)) return false;
  let callee: ts.Node = fn;
  while (ts.isParenthesizedExpression(callee.parent)) callee = callee.parent;
  const call = callee.parent;
  if (!ts.isCallExpression(call) || call.expression !== callee) return false;
  let statement: ts.Node = call;
  while (statement.parent && !ts.isSourceFile(statement.parent) && !ts.isFunctionLike(statement.parent)) statement = statement.parent;
  return !!statement.parent && ts.isSourceFile(statement.parent) && rejectionEndsProcess(call);
}

/**
 * A rejection of `fn` ends the process: it is the script's `main()`, or a function of the file that is
 * only ever awaited (or returned) by such functions (`async function recreateDatabase()` awaited by `main()`);
 * with `callsOf` (run-rate.ts projectCallsOf), also an exported one every call of which in the project is
 * (`await startIndexConsumer()` in the `main()` of another module), or awaited by a test.
 */
export function failsIntoScriptMain(fn: FnLike, callsOf?: (fn: FnLike) => readonly ts.Identifier[] | undefined, depth = 0): boolean {
  if (isScriptMain(fn)) return true;
  // A static method (`static async connect(uri)`, called `AuditLog.connect(url)`): judged by those calls, as an exported function.
  if (ts.isMethodDeclaration(fn) && fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) {
    const calls = callsOf && depth <= 3 ? callsOf(fn) : undefined;
    if (!calls?.length || (!inTestCode(fn) && calls.every((id) => inTestCode(id)))) return false;
    return calls.every((id) => failsAtCall(id.parent.parent, fn, callsOf!, depth));
  }
  const name = ts.isMethodDeclaration(fn) ? undefined : functionName(fn);
  if (!name || depth > 3) return false;
  // `export function start()`; of a CommonJS module (`module.exports = { startConsumer }`), only a start-up that hands
  // back its stop(): a helper that fails with its connection open is reported (held-out sets' reviewers ask for it).
  const cjsExported = !!callsOf && (fileNames(fn.getSourceFile()).ids.get(name) ?? []).some(exportsIt);
  if (cjsExported && !startsTheProcess(fn, name)) return false;
  const exported = cjsExported || isExportedFunction(fn);
  if (exported && !callsOf) return false;
  const uses = (exported ? callsOf!(fn) : fileNames(fn.getSourceFile()).ids.get(name)) ?? [];
  if (exported && uses.length === 0 && callsOf!(fn) && startsTheProcess(fn, name)) return true;
  // A function of the application's own code that only its tests call here: the code that calls it in production is elsewhere.
  if (!inTestCode(fn) && uses.every((id) => inTestCode(id))) return false;
  return uses.length > 0 && uses.every((id) => failsAtCall(ts.isCallExpression(id.parent) && id.parent.expression === id ? id.parent : undefined, fn, callsOf, depth));
}

/** The call's rejection ends the process (failsIntoScriptMain): caught into an exit, unhandled at the top, awaited by such code. */
function failsAtCall(at: ts.Node | undefined, fn: FnLike, callsOf: ((fn: FnLike) => readonly ts.Identifier[] | undefined) | undefined, depth: number): boolean {
  if (!at || !ts.isCallExpression(at)) return false;
  const call = rejectingPromiseOf(at);
  // A call in a script's top-level code: its rejection is unhandled unless something there handles it.
  if (!enclosingFunction(call) && !inTestCode(call)) return rejectionEndsProcess(call);
  if (!(ts.isAwaitExpression(call.parent) || ts.isReturnStatement(call.parent))) return false;
  if (ts.isAwaitExpression(call.parent) && caughtIntoExit(call)) return true;
  // `try { await mirrorOrigin(o) } catch (err) { failures++ }`: the run goes on past its failure.
  if (swallowedAt(call)) return false;
  // Awaited by a test: its failure fails the test, and in a test only the passing path counts.
  if (ts.isAwaitExpression(call.parent) && inTestCode(call)) return true;
  const caller = enclosingFunction(call);
  // `const relay = await startRelay()` at a module's top level: a rejection fails the module, and the process.
  if (!caller) return ts.isAwaitExpression(call.parent) && rejectionEndsProcess(call);
  // Awaited by a main() run once from the top level: its failure is main()'s, whatever main()'s `.catch()` does (leak-rule.ts).
  return caller !== fn && (calledOnceAtTopLevel(caller) || failsIntoScriptMain(caller, callsOf, depth + 1));
}

/**
 * `export async function startAgent() { …; return async function stop() { … } }`, called nowhere in the
 * project (its caller is a bin file or a framework's entry): the process's start-up, which hands back
 * how to stop what it started. A start-up that fails ends the process; what it had started goes with it.
 */
function startsTheProcess(fn: FnLike, name: string): boolean {
  if (!START_UP.test(name) || !fn.body || !ts.isBlock(fn.body)) return false;
  let stops = false;
  forEachReturn(fn.body, (r) => {
    const e = r.expression && stripParens(r.expression);
    if (!e) return;
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) stops = true;
    else if (ts.isObjectLiteralExpression(e)) stops ||= e.properties.some((p) => ts.isMethodDeclaration(p) ||
      (ts.isPropertyAssignment(p) && (ts.isArrowFunction(p.initializer) || ts.isFunctionExpression(p.initializer))) ||
      (ts.isShorthandPropertyAssignment(p) && STOP_NAME.test(p.name.text)));
  });
  return stops;
}

/**
 * `startAgent`, `bootstrap`, `launchGateway`, `consumePlanChanges`, `subscribeToAlerts`: a function that starts the
 * process's services (with the stop it hands back, startsTheProcess).
 */
const START_UP = /^(start|boot|bootstrap|launch|consume|subscribe|listen|serve|watch|attach|mount)([A-Z_$]|$)/;
const STOP_NAME = /^(stop|close|shutdown|dispose|destroy|teardown)/i;

/**
 * The script's `main()` whose fulfilment ends the process too: `main(argv).then(() => process.exit(0), …)`,
 * `.finally(() => process.exit())`, or `await main(); process.exit(0)` at the top level. What it leaves open
 * at its end dies with the process (not what it leaves behind on each iteration of a loop). So for a function a
 * wrapper of its file runs and then exits, either way (process-exit.ts settlesIntoExit).
 */
export function fulfilmentEndsProcess(fn: FnLike): boolean {
  if (settlesIntoExit(fn)) return true;
  const name = isScriptMain(fn) && !ts.isMethodDeclaration(fn) ? functionName(fn) : undefined;
  const calls = (name ? fileNames(fn.getSourceFile()).ids.get(name) ?? [] : []).filter((id) => ts.isCallExpression(id.parent) && id.parent.expression === id);
  if (calls.length !== 1) return false;
  let e: ts.Node = calls[0].parent;
  while (ts.isAwaitExpression(e.parent) || ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const p = e.parent;
  const ends = (h: ts.Node | undefined): boolean => {
    const f = h && stripParens(h as ts.Expression);
    const body = f && (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) ? f.body : undefined;
    const last = body && (ts.isBlock(body) ? body.statements[body.statements.length - 1] : body);
    const x = last && ts.isExpressionStatement(last) ? last.expression : last;
    return !!x && ts.isCallExpression(x) && isProcessExit(x);
  };
  if (ts.isPropertyAccessExpression(p) && ['then', 'finally'].includes(p.name.text) && ts.isCallExpression(p.parent)) return ends(p.parent.arguments[0]);
  const next = ts.isAwaitExpression(e) && ts.isExpressionStatement(p) && ts.isSourceFile(p.parent) ? p.parent.statements[p.parent.statements.indexOf(p) + 1] : undefined;
  return !!next && ts.isExpressionStatement(next) && ts.isCallExpression(next.expression) && isProcessExit(next.expression);
}

/** `try { r = await lookup(tag) } catch (e) { log(e); process.exit(1) }`: the call's rejection ends the process. */
function caughtIntoExit(call: ts.Node): boolean {
  for (let n: ts.Node = call; n.parent && !ts.isFunctionLike(n.parent); n = n.parent) {
    const t = n.parent;
    if (!ts.isTryStatement(t) || t.tryBlock !== n) continue;
    return exitsBeforeLeaving(t.catchClause?.block.statements ?? []);
  }
  return false;
}

/** The call sits in a `try` whose `catch` neither ends the process nor throws. */
function swallowedAt(call: ts.Node): boolean {
  for (let n: ts.Node = call; n.parent && !ts.isFunctionLike(n.parent); n = n.parent) {
    const t = n.parent;
    if (!ts.isTryStatement(t) || t.tryBlock !== n || !t.catchClause) continue;
    const block = t.catchClause.block;
    return !exitsBeforeLeaving(block.statements) && !findNode(block, (x) => ts.isThrowStatement(x), true);
  }
  return false;
}

interface NameUse {
  topLevelCalls: number;
  otherUses: number;
  /** Every top-level call's rejection ends the process. */
  exits: boolean;
}

interface FileNames {
  /** How each name is used: called from module code, or anything else. */
  uses: Map<string, NameUse>;
  /** Every identifier that is not a declaration's name, by text. */
  ids: Map<string, ts.Identifier[]>;
}

/** One walk per file (per syntax tree: an incrementally parsed file is a new tree). */
const FILE_NAMES = new WeakMap<ts.SourceFile, FileNames>();

export function fileNames(sf: ts.SourceFile): FileNames {
  let names = FILE_NAMES.get(sf);
  if (names) return names;
  const uses = new Map<string, NameUse>();
  const ids = new Map<string, ts.Identifier[]>();
  /** `const run = command === 'consume' ? consume : syncOnce`: each branch's name, and the constants that pick it. */
  const pickedBy = new Map<string, string[]>();
  const visit = (n: ts.Node, topLevel: boolean): void => {
    // Not a property's name: `require.main === module` says nothing of a function `main`.
    if (ts.isIdentifier(n) && !isDeclarationName(n) && isBindingReference(n)) {
      const u = uses.get(n.text) ?? { topLevelCalls: 0, otherUses: 0, exits: true };
      const call = n.parent;
      const picker = topLevel ? pickingConstant(n) : undefined;
      // A call in a top-level loop (`while (!stopping) { try { await transcode(job) } catch … }`) runs again and again.
      if (topLevel && ts.isCallExpression(call) && call.expression === n && !ts.findAncestor(call, (a) => ts.isIterationStatement(a, false))) {
        u.topLevelCalls++;
        if (!rejectionEndsProcess(call)) u.exits = false;
      } else if (picker) pickedBy.set(n.text, [...(pickedBy.get(n.text) ?? []), picker]);
      else if (!(topLevel && exportsIt(n))) u.otherUses++;
      uses.set(n.text, u);
      let list = ids.get(n.text);
      if (!list) ids.set(n.text, (list = []));
      list.push(n);
    }
    const inner = topLevel && !ts.isFunctionLike(n) && !ts.isClassLike(n);
    ts.forEachChild(n, (c) => visit(c, inner));
  };
  visit(sf, true);
  // A picked function is called where the constant that picks it is.
  for (const [name, pickers] of pickedBy) {
    const u = uses.get(name)!;
    for (const picker of pickers) {
      const p = uses.get(picker) ?? { topLevelCalls: 0, otherUses: 0, exits: true };
      u.topLevelCalls += p.topLevelCalls;
      u.otherUses += p.otherUses;
      u.exits &&= p.exits;
    }
  }
  names = { uses, ids };
  FILE_NAMES.set(sf, names);
  return names;
}

/** `const run = cmd === 'consume' ? consume : syncOnce` at the top level: the constant that picks the function `id` names. */
function pickingConstant(id: ts.Identifier): string | undefined {
  let branch: ts.Node = id;
  while (ts.isParenthesizedExpression(branch.parent)) branch = branch.parent;
  const cond = branch.parent;
  if (!ts.isConditionalExpression(cond) || cond.condition === branch) return undefined;
  let value: ts.Node = cond;
  while (ts.isParenthesizedExpression(value.parent) || ts.isConditionalExpression(value.parent) && value.parent.condition !== value) value = value.parent;
  const decl = value.parent;
  return ts.isVariableDeclaration(decl) && decl.initializer === value && ts.isIdentifier(decl.name) && ts.isVariableDeclarationList(decl.parent) &&
    (decl.parent.flags & ts.NodeFlags.Const) !== 0 ? decl.name.text : undefined;
}

/**
 * `module.exports = { main }`, `exports.main = main`: a script's `main()` exported beside its own top-level
 * run (`if (require.main === module) main().catch(…exit)`), for its tests or a bin wrapper that runs it
 * the same way. Exporting it is no call that could survive its rejection.
 */
function exportsIt(id: ts.Identifier): boolean {
  const p = id.parent;
  const assigned = (o: ts.Node) => ts.isBinaryExpression(o.parent) && o.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && o.parent.right === o;
  if (ts.isExportSpecifier(p)) return true;
  if (ts.isShorthandPropertyAssignment(p) || (ts.isPropertyAssignment(p) && p.initializer === id)) {
    return assigned(p.parent) && isExportsObject((p.parent.parent as ts.BinaryExpression).left);
  }
  return assigned(id) && ts.isPropertyAccessExpression((p as ts.BinaryExpression).left) &&
    isExportsObject(((p as ts.BinaryExpression).left as ts.PropertyAccessExpression).expression);
}

/** The identifiers of a file that use `name` (not the names of declarations). */
export function usesOfName(sf: ts.SourceFile, name: string): readonly ts.Identifier[] {
  return fileNames(sf).ids.get(name) ?? [];
}

function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isVariableDeclaration(p) || ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p)) && p.name === id;
}

/**
 * Code that runs once per process or per test, so a new connection there piles up nothing: a test
 * body or hook, a script's `main()` or module-level `(async () => { … })()`, a `listen`/`'listening'` callback, module top level.
 */
export function runsOnce(fn: FnLike | undefined): boolean {
  if (!fn) return true;
  if (inTestCase(fn) || isScriptMain(fn) || calledOnceAtTopLevel(fn) || isModuleIife(fn) || isCommandModuleHandler(fn)) return true;
  const call = argumentHolder(fn);
  if (!call) return false;
  const name = calleeName(call);
  if (name === 'listen' || name === 'bind') return true;
  const event = call.arguments[0];
  return (name === 'on' || name === 'once') && !!event && ts.isStringLiteralLike(event) && event.text === 'listening';
}

/**
 * `module.exports = { command: 'import <type>', builder, handler }` (or `exports.handler = …`, `export const
 * handler`): a yargs command module, whose `handler` the CLI runs once, for the command it was started with.
 */
function isCommandModuleHandler(fn: FnLike): boolean {
  if (functionName(fn) !== 'handler') return false;
  const sf = fn.getSourceFile();
  if (!/\bcommand\b/.test(sf.text)) return false;
  const names = new Set<string>();
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st) && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    }
    if (ts.isFunctionDeclaration(st) && st.name && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) names.add(st.name.text);
    const e = ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken ? st.expression : undefined;
    if (!e) continue;
    const left = stripParens(e.left);
    if (ts.isPropertyAccessExpression(left) && isExportsObject(left.expression)) names.add(left.name.text);
    const right = stripParens(e.right);
    if (isExportsObject(left) && ts.isObjectLiteralExpression(right)) {
      for (const p of right.properties) if (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) names.add(p.name.text);
    }
  }
  return names.has('command') && names.has('handler');
}

/** `(async () => { … })()` at module level: a script's body, run once. */
function isModuleIife(fn: FnLike): boolean {
  return invokedInPlace(fn) && !enclosingFunction(fn);
}

/**
 * The statement right after `node`'s statement fails the test (`assert.fail()`, `t.fail()`, `throw`):
 * reaching it means the test is failing (`try { await fetch(u); t.fail('should reject') } catch {}`).
 */
export function followedByTestFailure(node: ts.Node): boolean {
  // `http.get(url, () => expect.fail('should not answer'))`: the response exists only if the test fails.
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    const first = ts.isBlock(node.body) ? node.body.statements[0] : node.body;
    const call = first && ts.isExpressionStatement(first) ? first.expression : first;
    return !!call && ts.isCallExpression(call as ts.Node) && calleeName(call as ts.CallExpression) === 'fail';
  }
  let st: ts.Node = node;
  while (st.parent && !ts.isBlock(st.parent) && !ts.isSourceFile(st.parent)) st = st.parent;
  const block = st.parent as ts.Block | undefined;
  if (!block || !ts.isStatement(st)) return false;
  const next = block.statements[block.statements.indexOf(st) + 1];
  if (!next) return false;
  if (ts.isThrowStatement(next)) return true;
  return ts.isExpressionStatement(next) && ts.isCallExpression(next.expression) && failsTest(next.expression);
}

/** `assert.fail()`, `t.fail(msg)`, `test.ok(false, 'should have thrown')`: an assertion that always fails. */
export function failsTest(call: ts.CallExpression): boolean {
  const name = calleeName(call);
  return name === 'fail' || (name === 'ok' && call.arguments[0]?.kind === ts.SyntaxKind.FalseKeyword);
}

/** The test body (`it`/`test` callback) around `n`. */
export function enclosingTest(n: ts.Node): FnLike | undefined {
  let test = enclosingFunction(n);
  while (test && !isTestBody(test)) test = enclosingFunction(test);
  return test;
}

/**
 * `t.skip('no readStop')` / `this.skip()` on the test's own context: a skipped test exercises nothing,
 * so what it leaves behind is no passing run's (mocha's `this.skip()` also aborts the test).
 */
export function skipsTest(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'skip') return false;
  const recv = callee.expression;
  const test = enclosingTest(call);
  if (!test) return false;
  if (recv.kind === ts.SyntaxKind.ThisKeyword) return true;
  const ctx = test.parameters[0]?.name;
  return ts.isIdentifier(recv) && !!ctx && ts.isIdentifier(ctx) && ctx.text === recv.text;
}
