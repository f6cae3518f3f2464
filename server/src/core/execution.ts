// Where and how often a piece of code runs, read from its syntax: in a test case, as the one-shot
// `main()` of a script, in a browser, once (a `listen` callback) or on every request. What a leak
// costs depends on it: a socket left open when a test's `await` rejects is cleaned up with the failing
// test, a client left open when a script's `main()` rejects dies with the process, and a `fetch` in a
// page holds no socket of this process at all.
import { ts } from 'ts-morph';
import { calleeName, callsMethodOn, enclosingFunction, findNode, FnLike, functionName, isAsyncFunction, isBindingReference, isExportsObject, stripParens } from './ast';
import { exitsBeforeLeaving, isProcessExit } from './process-exit';
import { LISTEN_METHODS, PROMISE_CALLBACKS } from './call-shapes';

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
  // `t.test(…)` / `t.after(…)`: `t` is a parameter of an enclosing test body.
  if (chain.length === 1 && TEST_CONTEXT_METHODS.has(chain[0])) {
    const fn = enclosingFunction(call);
    return !!fn && isTestBody(fn) && fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === (c as ts.Identifier).text);
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
const TEST_ENDS = ['done', 'end'];
const named = (name: string) => (e: ts.Expression) => ts.isIdentifier(e) && e.text === name;

/**
 * A listener that finishes the test it is in: it calls the test body's `done` callback or hands it on
 * (`server.close(done)`). A test written that way passes only through this listener, so when it is an
 * `'error'` listener, the error is the outcome the test expects, not a failure path.
 */
export function finishesTest(listener: FnLike): boolean {
  const test = enclosingTest(listener);
  if (test && listener.body && assertsInPlannedTest(test, listener.body)) return true;
  const done = test && doneParam(test);
  if (!done || !listener.body) return false;
  const callsDone = (body: ts.Node, follow: boolean): boolean => {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && ([n.expression, ...n.arguments].some((e) => ts.isIdentifier(e) && e.text === done.text) || callsMethodOn(n, TEST_ENDS, named(done.text)))) found = true;
      // `const finish = () => { …; done(); }` of the same test, called here.
      else if (follow && ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
        const helper = localFunction(test!, n.expression.text);
        if (helper?.body && callsDone(helper.body, false)) found = true;
      } else ts.forEachChild(n, visit);
    };
    visit(body);
    return found;
  };
  return callsDone(listener.body, true);
}

/**
 * The callback a test body that is not async (an async one cannot take it) calls when it is done:
 * mocha's and Jest's first parameter (`(done) => …`), node:test's second (`(t, done) => …`; not a
 * table row's second value in `it.each(rows)(name, (a, b) => …)`, hence the name).
 */
function doneParam(test: FnLike): ts.Identifier | undefined {
  if (isAsyncFunction(test)) return undefined;
  const second = test.parameters[1]?.name;
  const done = second && ts.isIdentifier(second) && /^(done|cb|callback|next|end|finish)$/i.test(second.text) ? second : test.parameters[0]?.name;
  return done && ts.isIdentifier(done) ? done : undefined;
}

/**
 * `ws.onerror = () => done()`, `ws.onerror = partialDone` with `const partialDone = createPartialDone(done, 2)`:
 * a handler property that finishes the test it is in, as a listener that does (finishesTest).
 */
export function handlerFinishesTest(h: ts.Expression): boolean {
  const x = stripParens(h);
  if (ts.isArrowFunction(x) || ts.isFunctionExpression(x)) return finishesTest(x);
  const test = ts.isIdentifier(x) ? enclosingTest(x) : undefined;
  const done = test && doneParam(test);
  if (!done || !test!.body) return false;
  const madeFromDone = (n: ts.Node) => ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === (x as ts.Identifier).text && !!n.initializer &&
    ts.isCallExpression(n.initializer) && n.initializer.arguments.some((a) => ts.isIdentifier(a) && a.text === done.text);
  return (x as ts.Identifier).text === done.text || !!findNode(test!.body, madeFromDone);
}

/** Every use of the test's `done` (doneParam) in the test around `node`: the calls that can end it. Undefined outside such a test. */
export function doneUses(node: ts.Node): ts.Identifier[] | undefined {
  const test = ts.isFunctionLike(node) && isTestBody(node) ? (node as FnLike) : enclosingTest(node);
  const done = test && doneParam(test);
  if (!done || !test!.body) return undefined;
  const uses: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n !== done && n.text === done.text) uses.push(n);
    ts.forEachChild(n, visit);
  };
  visit(test!.body);
  return uses;
}

/** Assertions that pass only on a failure path (`t.fail(err)`, `t.error(err)` given an error), or assert nothing. */
const NOT_PASSING = new Set(['fail', 'error', 'ifError', 'ifErr', 'iferror', 'comment', 'skip', 'todo', 'plan', 'teardown', 'timeoutAfter']);

/**
 * `t.plan(n)` in a tape (or node:test) test, and the listener makes an assertion of the plan or calls
 * `t.end()`: the test passes only once the listener ran, so its close is on the passing path.
 */
function assertsInPlannedTest(test: FnLike, body: ts.Node): boolean {
  const t = test.parameters[0]?.name;
  if (!t || !ts.isIdentifier(t) || !test.body) return false;
  const onT = (n: ts.Node): string | undefined =>
    ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression) &&
    n.expression.expression.text === t.text ? n.expression.name.text : undefined;
  const some = (root: ts.Node, test: (m: string) => boolean): boolean => {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      const m = onT(n);
      if (m !== undefined && test(m)) found = true;
      else ts.forEachChild(n, visit);
    };
    visit(root);
    return found;
  };
  if (some(body, (m) => m === 'end')) return true;
  return some(body, (m) => !NOT_PASSING.has(m)) && some(test.body, (m) => m === 'plan');
}

/** A function named `name` declared in `scope` (`function f() {}`, `const f = () => …`). */
function localFunction(scope: FnLike, name: string): FnLike | undefined {
  let out: FnLike | undefined;
  const visit = (n: ts.Node): void => {
    if (out) return;
    if (ts.isFunctionDeclaration(n) && n.name?.text === name) out = n;
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer &&
        (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))) out = n.initializer;
    else ts.forEachChild(n, visit);
  };
  if (scope.body) visit(scope.body);
  return out;
}

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
  if (isTopLevelIife(fn)) return true;
  const name = ts.isMethodDeclaration(fn) ? undefined : functionName(fn);
  if (!name) return false;
  const use = fileNames(fn.getSourceFile()).uses.get(name);
  return !!use && use.topLevelCalls === 1 && use.otherUses === 0 && use.exits;
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
function calledOnceAtTopLevel(fn: FnLike): boolean {
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
 * only ever awaited (or returned) by such functions (`async function recreateDatabase()` awaited by `main()`).
 */
export function failsIntoScriptMain(fn: FnLike, depth = 0): boolean {
  if (isScriptMain(fn)) return true;
  const name = ts.isMethodDeclaration(fn) ? undefined : functionName(fn);
  const decl = ts.isFunctionDeclaration(fn) ? fn : fn.parent?.parent?.parent;
  if (!name || depth > 3 || (decl && ts.canHaveModifiers(decl) && ts.getCombinedModifierFlags(decl as ts.Declaration) & ts.ModifierFlags.Export)) return false;
  const uses = fileNames(fn.getSourceFile()).ids.get(name) ?? [];
  return uses.length > 0 && uses.every((id) => {
    const call = id.parent;
    if (!ts.isCallExpression(call) || call.expression !== id || !(ts.isAwaitExpression(call.parent) || ts.isReturnStatement(call.parent))) return false;
    if (ts.isAwaitExpression(call.parent) && caughtIntoExit(call)) return true;
    const caller = enclosingFunction(call);
    return !!caller && caller !== fn && failsIntoScriptMain(caller, depth + 1);
  });
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

function fileNames(sf: ts.SourceFile): FileNames {
  let names = FILE_NAMES.get(sf);
  if (names) return names;
  const uses = new Map<string, NameUse>();
  const ids = new Map<string, ts.Identifier[]>();
  const visit = (n: ts.Node, topLevel: boolean): void => {
    // Not a property's name: `require.main === module` says nothing of a function `main`.
    if (ts.isIdentifier(n) && !isDeclarationName(n) && isBindingReference(n)) {
      const u = uses.get(n.text) ?? { topLevelCalls: 0, otherUses: 0, exits: true };
      const call = n.parent;
      if (topLevel && ts.isCallExpression(call) && call.expression === n) {
        u.topLevelCalls++;
        if (!rejectionEndsProcess(call)) u.exits = false;
      } else if (!(topLevel && exportsIt(n))) u.otherUses++;
      uses.set(n.text, u);
      let list = ids.get(n.text);
      if (!list) ids.set(n.text, (list = []));
      list.push(n);
    }
    const inner = topLevel && !ts.isFunctionLike(n) && !ts.isClassLike(n);
    ts.forEachChild(n, (c) => visit(c, inner));
  };
  visit(sf, true);
  names = { uses, ids };
  FILE_NAMES.set(sf, names);
  return names;
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
 * `main()` / `await main()` / `const app = await start()` (an unhandled rejection, or one a module's
 * top-level await meets, ends the process), `main().catch(() => process.exit(1))`, `main().then(ok, () => process.exit(1))`.
 */
function rejectionEndsProcess(call: ts.CallExpression): boolean {
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
 * Code that runs once per process or per test, so a new connection there piles up nothing: a test
 * body or hook, a script's `main()` or module-level `(async () => { … })()`, a `listen`/`'listening'` callback, module top level.
 */
export function runsOnce(fn: FnLike | undefined): boolean {
  if (!fn) return true;
  if (inTestCase(fn) || isScriptMain(fn) || calledOnceAtTopLevel(fn) || isModuleIife(fn)) return true;
  const call = argumentHolder(fn);
  if (!call) return false;
  const name = calleeName(call);
  if (name === 'listen' || name === 'bind') return true;
  const event = call.arguments[0];
  return (name === 'on' || name === 'once') && !!event && ts.isStringLiteralLike(event) && event.text === 'listening';
}

/** `(async () => { … })()` at module level: a script's body, run once. */
function isModuleIife(fn: FnLike): boolean {
  let n: ts.Node = fn;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  return ts.isCallExpression(n.parent) && n.parent.expression === n && !enclosingFunction(n.parent);
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
function enclosingTest(n: ts.Node): FnLike | undefined {
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
