// What a test runner never runs, or runs expecting a failure: a skipped test's body, a promise a test
// asserts rejects, and a `catch` that asserts there was no error. What such code would leave open, no
// passing run of the suite does.
import { ts } from 'ts-morph';
import { calleeName, findNode, inlineFunction, skipOuter, stripParens } from './ast';
import { failsTest, followedByTestFailure, inTestCode } from './execution';
import { finishesTest } from './test-finishers';

/** Assertions that a promise rejects: `assert.rejects(p)`, `t.rejects(p)`, `t.throwsAsync(p)`. */
const REJECTS = new Set(['rejects', 'throwsAsync', 'isRejected']);

/**
 * The call's promise is expected to reject: `await expect(c.start()).to.reject()` (chai, code),
 * `.rejects.toThrow()` (jest), `.to.be.rejected` (chai-as-promised), `assert.rejects(c.connect())`.
 */
export function expectedToReject(call: ts.Node): boolean {
  let n = call;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAwaitExpression(n.parent)) n = n.parent;
  const holder = n.parent;
  // `client.upgrade().catch((err) => { t.ok(err); t.done(); })` as a statement: only its rejection ends the test.
  if (ts.isPropertyAccessExpression(holder) && holder.name.text === 'catch' && ts.isCallExpression(holder.parent) && holder.parent.expression === holder &&
      ts.isExpressionStatement(holder.parent.parent)) {
    const onReject = inlineFunction(holder.parent.arguments[0]);
    return !!onReject && finishesTest(onReject);
  }
  // `await client.connect(); test.ok(false, 'should have thrown')`: in a passing test the await rejected.
  if (ts.isAwaitExpression(n) && ts.isExpressionStatement(holder) && inTestCode(holder) && (followedByTestFailure(holder) || caughtThenAsserted(holder))) return true;
  if (!ts.isCallExpression(holder) || !holder.arguments.includes(n as ts.Expression)) return false;
  const name = calleeName(holder);
  if (name && REJECTS.has(name)) return true;
  if (name !== 'expect') return false;
  for (let c: ts.Node = holder; ts.isPropertyAccessExpression(c.parent) || (ts.isCallExpression(c.parent) && c.parent.expression === c); c = c.parent) {
    if (ts.isPropertyAccessExpression(c.parent) && /^reject/.test(c.parent.name.text)) return true;
  }
  return false;
}

/** Assertion calls that fail on a missing value: `expect(error)…`, `assert(error)`, `assert.ok(error)`, `t.ok(error)`. */
const ASSERTS_VALUE = new Set(['expect', 'assert', 'ok', 'isOk', 'exists', 'instanceOf', 'match', 'rejects', 'strictEqual', 'equal']);

/**
 * `let error; try { await SipClient.open(bad) } catch (err) { error = err } expect(error).to.be.an('error')`: the try
 * holds only the awaited statement, its catch keeps the error in an outer variable, and the test asserts on that
 * variable after the try, so a passing run is one where the await rejected.
 */
function caughtThenAsserted(stmt: ts.ExpressionStatement): boolean {
  const block = stmt.parent;
  const tryStmt = block.parent;
  if (!ts.isBlock(block) || !ts.isTryStatement(tryStmt) || tryStmt.tryBlock !== block || block.statements.length !== 1 || !tryStmt.catchClause) return false;
  const caught = tryStmt.catchClause.variableDeclaration?.name;
  const kept = caught && ts.isIdentifier(caught) ? tryStmt.catchClause.block.statements.map((st) => {
    const e = ts.isExpressionStatement(st) ? stripParens(st.expression) : undefined;
    return e && ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(stripParens(e.right)) &&
      (stripParens(e.right) as ts.Identifier).text === caught.text && ts.isIdentifier(e.left) ? e.left.text : undefined;
  }).find((v) => v) : undefined;
  const outer = tryStmt.parent;
  if (!kept || !ts.isBlock(outer)) return false;
  const after = outer.statements.slice(outer.statements.indexOf(tryStmt) + 1);
  return after.some((st) => !!findNode(st, (x) => ts.isCallExpression(x) && ASSERTS_VALUE.has(calleeName(x) ?? '') &&
    x.arguments.some((a) => !!findNode(a, (y) => ts.isIdentifier(y) && y.text === kept, true) || (ts.isIdentifier(a) && a.text === kept)), true));
}

/**
 * In a passing test this creating call rejects, so nothing was opened: it is itself asserted to reject
 * (`await expect(connect(o)).rejects.toThrow()`), or it is the awaited last statement of a local
 * function every call of which is asserted to reject (`async function boot() { …; await connect(o); }`
 * with `await expect(boot()).rejects.toThrow()`): nothing after it could reject instead.
 */
export function rejectsInPassingTest(creation: ts.Node): boolean {
  if (expectedToReject(creation)) return true;
  let n = creation;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  if (!ts.isAwaitExpression(n.parent) || !ts.isExpressionStatement(n.parent.parent)) return false;
  const stmt = n.parent.parent;
  const body = stmt.parent;
  const fn = body.parent;
  if (!ts.isBlock(body) || body.statements[body.statements.length - 1] !== stmt || !ts.isFunctionLike(fn)) return false;
  const name = ts.isFunctionDeclaration(fn) ? fn.name : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name : undefined;
  if (!name) return false;
  let calls = 0;
  let other = false;
  const visit = (x: ts.Node): void => {
    if (other) return;
    if (ts.isIdentifier(x) && x !== name && x.text === name.text) {
      if (ts.isCallExpression(x.parent) && x.parent.expression === x && expectedToReject(x.parent)) calls++;
      else other = true;
    }
    ts.forEachChild(x, visit);
  };
  visit(fn.getSourceFile());
  return calls > 0 && !other;
}

/** Runner functions that register a test or suite without running it (mocha, jest, vitest, jasmine). */
const SKIPPED_APIS = new Set(['xit', 'xdescribe', 'xtest', 'xcontext', 'xspecify']);
const SKIPPABLE = new Set(['it', 'test', 'specify', 'describe', 'context', 'suite']);

/**
 * The test bodies of `describe.skip(…)`, `it.skip(…)`, `xit(…)`, `test('x', { skip: true }, …)`: code
 * that never runs, as [start, end) offsets. What it would leave open, no run of the suite does.
 */
export function skippedTestRanges(sf: ts.SourceFile): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && isSkippedTest(n)) {
      const body = n.arguments.find((a) => ts.isFunctionLike(stripParens(a)));
      if (body) out.push([body.getStart(sf), body.end]);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function isSkippedTest(call: ts.CallExpression): boolean {
  const c = stripParens(call.expression);
  if (ts.isIdentifier(c)) {
    if (SKIPPED_APIS.has(c.text)) return true;
    // node:test, tap: `test(name, { skip: true }, fn)`.
    return SKIPPABLE.has(c.text) && call.arguments.some((a) => ts.isObjectLiteralExpression(a) && a.properties.some((p) =>
      ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'skip' && p.initializer.kind === ts.SyntaxKind.TrueKeyword));
  }
  return ts.isPropertyAccessExpression(c) && c.name.text === 'skip' && ts.isIdentifier(c.expression) && SKIPPABLE.has(c.expression.text);
}

/**
 * In a `catch (err)`: a statement asserting there was no error (`expect(err).to.be.undefined`,
 * `expect(err).toBeUndefined()`, `assert.ifError(err)`, `should.not.exist(err)`, `t.error(err)`). It fails
 * the test whenever the catch runs, so a path through it is no passing run.
 */
export function assertsNoCaughtError(st: ts.ExpressionStatement): boolean {
  const clause = ts.findAncestor(st, (n) => ts.isCatchClause(n) || ts.isFunctionLike(n));
  // `test.ok(false, 'should not throw: ' + err.message)`, `t.fail(err)`: the catch fails the test whatever it caught.
  const failing = stripParens(st.expression);
  if (clause && ts.isCatchClause(clause) && ts.isCallExpression(failing) && failsTest(failing)) return true;
  const v = clause && ts.isCatchClause(clause) ? clause.variableDeclaration?.name : undefined;
  if (!v || !ts.isIdentifier(v)) return false;
  const isErr = (e: ts.Expression | undefined) => !!e && ts.isIdentifier(stripParens(e)) && (stripParens(e) as ts.Identifier).text === v.text;
  const chain: string[] = [];
  let cur = stripParens(st.expression);
  for (;;) {
    if (ts.isCallExpression(cur) && ts.isPropertyAccessExpression(cur.expression) && !(chain.length === 0 && NO_ERROR_CALLS.has(cur.expression.name.text))) {
      chain.unshift(cur.expression.name.text + '()');
      cur = stripParens(cur.expression.expression);
    } else if (ts.isPropertyAccessExpression(cur)) {
      chain.unshift(cur.name.text);
      cur = stripParens(cur.expression);
    } else break;
  }
  if (ts.isCallExpression(cur) && calleeName(cur) === 'expect' && isErr(cur.arguments[0])) {
    const negations = chain.filter((c) => c === 'not').length;
    const last = chain[chain.length - 1];
    return (negations === 0 && ABSENT.has(last)) || (negations === 1 && PRESENT.has(last));
  }
  // `assert.ifError(err)`, `t.error(err)`, `should.not.exist(err)`, `assert.equal(err, undefined)`.
  const call = stripParens(st.expression);
  if (!ts.isCallExpression(call) || !isErr(call.arguments[0])) return false;
  const name = calleeName(call) ?? '';
  const other = call.arguments[1] && stripParens(call.arguments[1]);
  return NO_ERROR_CALLS.has(name) || (name === 'exist' && /\bnot\b/.test(call.expression.getText())) ||
    (EQUALS.has(name) && !!other && (other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined')));
}

const ABSENT = new Set(['undefined', 'null', 'toBeUndefined()', 'toBeNull()', 'toBeFalsy()', 'false']);
const PRESENT = new Set(['exist', 'ok', 'toBeDefined()', 'toBeTruthy()']);
const NO_ERROR_CALLS = new Set(['ifError', 'ifErr', 'iferror', 'error']);
const EQUALS = new Set(['equal', 'strictEqual', 'equals', 'is']);

/**
 * `let stop; const handler = async () => { stop = server.stop({ timeout: 200 }); … }; …; await stop`: a
 * function inside the test (a route handler the test's own request runs) releases the resource into a
 * variable of the test, which the test then awaits or asserts on (`await expect(stop).to.not.reject()`).
 * A passing run has released it.
 */
export function awaitsReleaseFromClosure(fn: ts.Node & { body?: ts.Node }, releases: (call: ts.CallExpression) => boolean): boolean {
  if (!fn.body) return false;
  const assigned = new Set<string>();
  findNode(fn.body, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && ts.isCallExpression(skipOuter(n.right)) &&
        releases(skipOuter(n.right) as ts.CallExpression)) assigned.add(n.left.text);
    return false;
  });
  if (!assigned.size) return false;
  return !!findNode(fn.body, (n) => {
    if (!ts.isIdentifier(n) || !assigned.has(n.text)) return false;
    const p = n.parent;
    return ts.isAwaitExpression(p) || (ts.isCallExpression(p) && p.arguments.includes(n));
  }, true);
}
