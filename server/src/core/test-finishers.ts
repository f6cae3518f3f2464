// What ends a test that ends later: mocha's `done`, tape's `t.end()` or the last assertion of its plan, and
// for an async test the `resolve` of a promise it awaits (`const { promise, resolve } =
// Promise.withResolvers(); …; await promise`, or a listener inside `await new Promise((resolve) => …)`).
// A listener that calls one of them is a path on which the test passes.
import { ts } from 'ts-morph';
import { awaitedPromiseOf, callsMethodOn, findNode, FnLike, isAsyncFunction, stripParens } from './ast';
import { enclosingTest, isTestBody, named, TEST_ENDS } from './execution';


/** The names of the `resolve` functions of promises `test` awaits that `listener` can see. */
function awaitedResolvers(test: FnLike, listener: ts.Node): string[] {
  const names: string[] = [];
  if (!test.body) return names;
  // A listener inside `await new Promise((resolve) => …)` written in the test.
  for (let p: ts.Node | undefined = listener.parent; p && p !== test; p = p.parent) {
    if (!ts.isArrowFunction(p) && !ts.isFunctionExpression(p)) continue;
    const resolve = p.parameters[0]?.name;
    if (awaitedPromiseOf(p) && resolve && ts.isIdentifier(resolve)) names.push(resolve.text);
  }
  const awaits = new Set<string>();
  const resolvers = new Map<string, string>();
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && n !== test) return;
    if (ts.isAwaitExpression(n) && ts.isIdentifier(stripParens(n.expression))) awaits.add((stripParens(n.expression) as ts.Identifier).text);
    if (ts.isVariableDeclaration(n) && ts.isObjectBindingPattern(n.name) && n.initializer && isWithResolvers(n.initializer)) {
      let promise: string | undefined;
      let resolve: string | undefined;
      for (const el of n.name.elements) {
        const key = (el.propertyName ?? el.name) as ts.Node;
        if (!ts.isIdentifier(key) || !ts.isIdentifier(el.name)) continue;
        if (key.text === 'promise') promise = el.name.text;
        if (key.text === 'resolve') resolve = el.name.text;
      }
      if (promise && resolve) resolvers.set(promise, resolve);
    }
    ts.forEachChild(n, visit);
  };
  visit(test.body);
  for (const [promise, resolve] of resolvers) if (awaits.has(promise)) names.push(resolve);
  return names;
}

/** `Promise.withResolvers<void>()` */
function isWithResolvers(e: ts.Expression): boolean {
  const x = stripParens(e);
  return ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'withResolvers' &&
    ts.isIdentifier(x.expression.expression) && x.expression.expression.text === 'Promise';
}

/**
 * A listener that finishes the test it is in: it calls the test body's `done` callback or hands it on
 * (`server.close(done)`), or the `resolve` of a promise an async test awaits. A test written that way
 * passes only through this listener, so when it is an `'error'` listener, the error is the outcome the
 * test expects, not a failure path.
 */
export function finishesTest(listener: FnLike): boolean {
  const test = enclosingTest(listener);
  if (test && listener.body && assertsInPlannedTest(test, listener.body)) return true;
  const done = test && doneParam(test);
  const ends = done ? [done.text] : test ? awaitedResolvers(test, listener) : [];
  if (!ends.length || !listener.body) return false;
  const callsDone = (body: ts.Node, follow: boolean): boolean => {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && ([n.expression, ...n.arguments].some((e) => ts.isIdentifier(e) && ends.includes(e.text)) || (done && callsMethodOn(n, TEST_ENDS, named(done.text))))) found = true;
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
