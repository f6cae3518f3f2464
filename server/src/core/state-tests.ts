// Conditions and assertions that tell the state of the resource a path is following: where a branch
// can only be taken once it is closed (`s.destroyed`, `ws.readyState === ws.CLOSED`), or only for a
// response without a body (`res.status === 204`, `!res.body`), the resource holds nothing there.
import { ts } from 'ts-morph';
import { assigns, calleeName, calleeReceiver, constInitializer, findNode, isNullLiteral, skipOuter, stripParens } from './ast';
import { Subject } from './subject';

export class StateTests {
  constructor(private subject: Subject, private isAlias: (node: ts.Node) => boolean, private isRequest: (node: ts.Node) => boolean,
    private symbolOf: (node: ts.Node) => ts.Symbol | undefined,
    /** The resource or the property of it that is the resource (`client.socket` of a handle `{ socket, send }`). */
    private isHandle: (node: ts.Expression) => boolean = isAlias) {}

  /**
   * A test of the resource's own state: true when the condition holds only once it is closed
   * (`s.destroyed`, `ws.readyState === ws.CLOSED`), false when it holds only while it is open
   * (`ws.readyState === WebSocket.OPEN`, `client.connected`), undefined for anything else. A close
   * helper that returns early when the resource is already closed still closes on every path that matters.
   */
  closedStateTest(e: ts.Expression): boolean | undefined {
    let x = stripParens(e);
    // NATS's `nc.isClosed()` and redis v4's `isOpen` say the same as a method or as a property.
    if (ts.isCallExpression(x) && !x.arguments.length && ts.isPropertyAccessExpression(x.expression) && /^is[A-Z]/.test(x.expression.name.text)) x = x.expression;
    if (this.abortedSignal(x) || this.connectError(x)) return true;
    // generic-pool's `pool.isBorrowedResource(sock)`: true only while it is lent, not once released or destroyed.
    if (ts.isCallExpression(x) && calleeName(x) === 'isBorrowedResource' && x.arguments[0] && this.isAlias(skipOuter(x.arguments[0]))) return false;
    if (this.lentByGenericPool()) return undefined;
    if (ts.isPropertyAccessExpression(x) && this.isHandle(skipOuter(x.expression)) && CLOSED_FLAGS.has(x.name.text)) return true;
    if (ts.isPropertyAccessExpression(x) && this.isAlias(skipOuter(x.expression))) {
      // `if (stream.resume) stream.resume()`: a check that the method exists, which the resource's release always does.
      if (OPEN_FLAGS.has(x.name.text) || this.subject.spec.release.includes(x.name.text)) return false;
      return undefined;
    }
    if (!ts.isBinaryExpression(x)) return undefined;
    const op = x.operatorToken.kind;
    const negated = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (!negated && op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.EqualsEqualsToken) return undefined;
    // `typeof conn.close !== 'function'` (a close helper's guard against a value that is no client):
    // never true of the resource itself, which has its release method.
    if (this.testsReleaseMethod(x.left, x.right) || this.testsReleaseMethod(x.right, x.left)) return negated;
    const isState = (s: ts.Expression) => {
      const p = stripParens(s);
      return ts.isPropertyAccessExpression(p) && (p.name.text === 'readyState' || p.name.text === 'state') && this.isAlias(skipOuter(p.expression));
    };
    const other = isState(x.left) ? x.right : isState(x.right) ? x.left : undefined;
    if (!other) return undefined;
    const v = stateConstant(other);
    if (v === undefined) return undefined;
    return negated ? !v : v;
  }

  /**
   * `conn.connect(function (err) { if (err) return callback(err); … })` of a database client: the error
   * of its own connect callback means it never connected (pg, mysql and tedious end the socket of a
   * failed connect; the server closes one it refused), so nothing is open on that branch.
   */
  private connectError(x: ts.Expression): boolean {
    if (this.subject.kind !== 'db-client' || !ts.isIdentifier(x)) return false;
    const param = this.symbolOf(x)?.valueDeclaration;
    const fn = param && ts.isParameter(param) ? param.parent : undefined;
    if (!fn || !(ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) || fn.parameters[0] !== param) return false;
    const call = fn.parent;
    return ts.isCallExpression(call) && call.arguments.includes(fn) && calleeName(call) === 'connect' && !!calleeReceiver(call) &&
      this.isAlias(skipOuter(calleeReceiver(call)!));
  }

  /**
   * `ac.signal.aborted`, where `ac` gave the fetch its signal: once that signal has fired, fetch errors
   * the response's body stream (undici's abortFetch), which releases its connection.
   */
  private abortedSignal(x: ts.Expression): boolean {
    if (this.subject.kind !== 'response' || !ts.isPropertyAccessExpression(x) || x.name.text !== 'aborted') return false;
    const signal = stripParens(x.expression);
    return ts.isPropertyAccessExpression(signal) && signal.name.text === 'signal' && this.isRequest(stripParens(signal.expression));
  }

  /**
   * What a generic pool lends (`await pool.acquire()` of generic-pool or tarn) is the project's own object,
   * a socket the pool's factory made: its state says nothing of the loan. A dead socket stays checked out
   * until `pool.release(s)` or `pool.destroy(s)`, and the pool's slot with it.
   */
  private lentByGenericPool(): boolean {
    if (this.subject.kind !== 'pool-checkout' || !this.subject.creation) return false;
    let c = stripParens(this.subject.creation);
    if (ts.isAwaitExpression(c)) c = stripParens(c.expression);
    if (ts.isPropertyAccessExpression(c) && c.name.text === 'promise') c = stripParens(c.expression);
    return ts.isCallExpression(c) && calleeName(c) === 'acquire';
  }

  private testsReleaseMethod(operand: ts.Expression, other: ts.Expression): boolean {
    const t = stripParens(operand);
    const v = stripParens(other);
    if (!ts.isTypeOfExpression(t) || !ts.isStringLiteralLike(v) || v.text !== 'function') return false;
    const m = stripParens(t.expression);
    return ts.isPropertyAccessExpression(m) && this.subject.spec.release.includes(m.name.text) && this.isAlias(skipOuter(m.expression));
  }

  /**
   * `res.status === 204` (205, 304), `req.method === 'HEAD'`: true when the condition holds only for a response without a body.
   * So does `res.upgrade`, which never holds for a response Node emits: it hands an upgrade to 'upgrade' instead.
   * False when it holds only for a response with one (`res.body`: its falsy branch has nothing to read),
   * or for every response (`res.statusCode`).
   */
  noBodyStatusTest(e: ts.Expression, depth = 0): boolean | undefined {
    const x = stripParens(e);
    // `const isHead = method.toUpperCase() === 'HEAD'; … if (isHead) return undefined`.
    const init = ts.isIdentifier(x) && depth === 0 ? constInitializer(this.symbolOf(x)) : undefined;
    if (init) return this.noBodyStatusTest(init, 1);
    if (this.subject.kind === 'response' && ts.isPropertyAccessExpression(x) && x.name.text === 'upgrade' && this.isAlias(stripParens(x.expression))) return true;
    // `if (!res.body) return`: a fetch Response's body is null when there is none (204, HEAD): nothing to read.
    if (this.subject.kind === 'response' && this.isBodyOf(x)) return false;
    // `if (!res.statusCode) throw new Error('no status')`: every response received has one; the
    // guard's branch is never taken with a body to read.
    if (this.subject.kind === 'response' && this.isStatus(x)) return false;
    if (this.subject.kind !== 'response' || !ts.isBinaryExpression(x)) return undefined;
    const op = x.operatorToken.kind;
    const negated = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (!negated && op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.EqualsEqualsToken) return undefined;
    const pairs: Array<[ts.Expression, ts.Expression]> = [[x.left, x.right], [x.right, x.left]];
    // An IncomingMessage (a response that is its own body) frees its socket at its 'end', which takes a reader even
    // when there is no body: a 304, a 204 or a HEAD response left unread holds its socket all the same. A status
    // destructured beside a body (`const { statusCode, body } = await request(u)`) is undici's, complete without a reader.
    const incoming = this.subject.bodyProperty === undefined;
    for (const [status, value] of pairs) {
      if ((!incoming || this.isStatusBesideBody(stripParens(status))) && this.isStatus(status) && isNoBodyStatus(value)) return !negated;
      if (!incoming && isMethod(status) && isHead(value)) return !negated;
      // `if (res.body === null) throw …`: as `!res.body`, the branch where it holds has nothing to read.
      if (this.isBodyOf(status) && isNullLiteral(value)) return !negated;
    }
    return undefined;
  }

  /** `res.body` of a fetch Response, `res.Body` of an S3 object: null or undefined when the response has none. */
  private isBodyOf(e: ts.Expression): boolean {
    const x = stripParens(e);
    return ts.isPropertyAccessExpression(x) && x.name.text === this.subject.bodyProperty && ['body', 'Body'].includes(this.subject.bodyProperty) &&
      this.isAlias(stripParens(x.expression));
  }

  /**
   * An assertion that the response has no body: `assert.strictEqual(res.status, 204)`,
   * `expect(res.status).toBe(304)`. Past it, either the body is empty or the test has failed.
   */
  assertsNoBody(call: ts.CallExpression): boolean {
    return this.subject.kind === 'response' && equalPairs(call).some(([a, b]) => this.isStatus(a) && isNoBodyStatus(b));
  }

  /**
   * An assertion that the field holding a project class's connection is gone (`expect(client.socket)
   * .toBeUndefined()`, `assert.equal(c.socket, null)`, `assert(!c.socket)`): past it, the class has
   * dropped its connection, or the test has failed.
   */
  assertsConnectionGone(call: ts.CallExpression): boolean {
    if (this.rejectsAsClosed(call) || this.assertsClosedFlag(call) || this.assertsNotLive(call)) return true;
    const fields = this.subject.fields;
    if (!fields?.length) return false;
    const isField = (e: ts.Expression | undefined) => {
      const x = e && stripParens(e);
      return !!x && ts.isPropertyAccessExpression(x) && fields.includes(x.name.text) && this.isAlias(skipOuter(x.expression));
    };
    const name = calleeName(call) ?? '';
    if (GONE_MATCHERS.has(name)) return isField(expectedValue(call));
    if (equalPairs(call).some(([a, b]) => isField(a) && !!b && isNullLiteral(b))) return true;
    const negated = call.arguments[0] && stripParens(call.arguments[0]);
    return (name === 'assert' || name === 'ok') && !!negated && ts.isPrefixUnaryExpression(negated) &&
      negated.operator === ts.SyntaxKind.ExclamationToken && isField(negated.operand);
  }

  /**
   * `expect(client.healthy).toBe(false)`, `assert(!client.healthy)` of a class whose getter says its connection is live
   * (wrapper-classes.ts liveGetters): past it, the connection is gone.
   */
  private assertsNotLive(call: ts.CallExpression): boolean {
    const getters = this.subject.liveGetters;
    if (!getters) return false;
    const isLive = (e: ts.Expression | undefined) => {
      const x = e && stripParens(e);
      return !!x && ts.isPropertyAccessExpression(x) && getters.includes(x.name.text) && this.isAlias(skipOuter(x.expression));
    };
    const name = calleeName(call) ?? '';
    if (name === 'toBeFalsy') return isLive(expectedValue(call));
    const negated = call.arguments[0] && stripParens(call.arguments[0]);
    if ((name === 'assert' || name === 'ok') && negated && ts.isPrefixUnaryExpression(negated) && negated.operator === ts.SyntaxKind.ExclamationToken) return isLive(negated.operand);
    return equalPairs(call).some(([a, b]) => isLive(a) && stripParens(b).kind === ts.SyntaxKind.FalseKeyword);
  }

  /** `assert.ok(sock.destroyed)`, `assert(ws.closed)`, `expect(sock.destroyed).toBe(true)`: past it, the socket is closed. */
  private assertsClosedFlag(call: ts.CallExpression): boolean {
    const isFlag = (e: ts.Expression | undefined) => {
      const x = e && stripParens(e);
      return !!x && ts.isPropertyAccessExpression(x) && CLOSED_FLAGS.has(x.name.text) && this.isAlias(skipOuter(x.expression));
    };
    const name = calleeName(call) ?? '';
    if ((name === 'assert' || name === 'ok' || name === 'isTrue') && isFlag(call.arguments[0])) return true;
    if (name === 'toBeTruthy') return isFlag(expectedValue(call));
    return equalPairs(call).some(([a, b]) => isFlag(a) && stripParens(b).kind === ts.SyntaxKind.TrueKeyword);
  }

  /**
   * `await expect(cdp.send('Browser.crash')).rejects.toThrow(/closed/)`, `await assert.rejects(c.query(q), /closed/)`,
   * also a project function given it (`assert.rejects(sendCommand(sock, 'QUIT'), /closed the session/)`): the test
   * passes only when a call on the resource fails because the connection is closed.
   */
  private rejectsAsClosed(call: ts.CallExpression): boolean {
    const name = calleeName(call) ?? '';
    let target: ts.Expression | undefined;
    let pattern: ts.Expression | undefined;
    if ((name === 'toThrow' || name === 'toThrowError') && ts.isPropertyAccessExpression(call.expression)) {
      const rejects = stripParens(call.expression.expression);
      const expectCall = ts.isPropertyAccessExpression(rejects) && rejects.name.text === 'rejects' ? stripParens(rejects.expression) : undefined;
      target = expectCall && ts.isCallExpression(expectCall) && calleeName(expectCall) === 'expect' ? expectCall.arguments[0] : undefined;
      pattern = call.arguments[0];
    } else if (name === 'rejects' && calleeReceiver(call)) {
      [target, pattern] = call.arguments;
    }
    const x = target && stripParens(target);
    const p = pattern && stripParens(pattern);
    const text = p && (ts.isRegularExpressionLiteral(p) || ts.isStringLiteralLike(p)) ? p.text : undefined;
    return !!x && !!text && CLOSED_MESSAGE.test(text) && ts.isCallExpression(x) && ((ts.isPropertyAccessExpression(x.expression) &&
      this.isAlias(skipOuter(x.expression.expression))) || x.arguments.some((a) => this.isAlias(skipOuter(a))));
  }

  /** `const { statusCode, body } = await request(url)`: the status destructured beside the body, a stream of its own (undici's). */
  private isStatusBesideBody(x: ts.Expression): boolean {
    const decl = ts.isIdentifier(x) ? this.symbolOf(x)?.declarations?.[0] : undefined;
    return !!decl && ts.isBindingElement(decl) && /^status(Code)?$/.test((decl.propertyName ?? decl.name).getText()) && ts.isObjectBindingPattern(decl.parent) &&
      decl.parent.elements.some((el) => el !== decl && this.isAlias(el.name));
  }

  private isStatus(e: ts.Expression, depth = 0): boolean {
    const x = stripParens(e);
    // `const status = res.status; if (status === 204) …`
    const init = ts.isIdentifier(x) && depth === 0 ? constInitializer(this.symbolOf(x)) : undefined;
    if (init) return this.isStatus(init, 1);
    if (this.isStatusBesideBody(x)) return true;
    return ts.isPropertyAccessExpression(x) && (x.name.text === 'status' || x.name.text === 'statusCode') && this.isAlias(skipOuter(x.expression));
  }
}

const GONE_MATCHERS = new Set(['toBeUndefined', 'toBeNull', 'toBeFalsy']);
/** The message of a call that failed because its connection is gone. */
const CLOSED_MESSAGE = /clos|disconnect|terminat|destroy|hang ?up|ECONNRESET/i;
const ASSERT_EQUAL = new Set(['strictEqual', 'equal', 'deepEqual', 'deepStrictEqual', 'is', 'toBe', 'toEqual', 'toStrictEqual', 'equals']);

/** What an equality assertion says is equal, as (actual, expected): `assert.equal(a, b)` either way round, `expect(a).toBe(b)`. */
function equalPairs(call: ts.CallExpression): Array<[ts.Expression, ts.Expression]> {
  const args = call.arguments;
  if (!ASSERT_EQUAL.has(calleeName(call) ?? '')) return [];
  if (args.length >= 2) return [[args[0], args[1]], [args[1], args[0]]];
  const actual = expectedValue(call);
  return actual && args[0] ? [[actual, args[0]]] : [];
}

/** `x` of `expect(x).matcher(…)`. */
function expectedValue(call: ts.CallExpression): ts.Expression | undefined {
  const recv = calleeReceiver(call);
  const subject = recv && stripParens(recv);
  return subject && ts.isCallExpression(subject) && calleeName(subject) === 'expect' ? subject.arguments[0] : undefined;
}


/**
 * `req.method === 'HEAD'` (`method.toUpperCase()`, any case): a helper that handles the response of
 * its request. The response to a HEAD request has no body (RFC 9110 §9.3.2; fetch gives it a null body).
 */
function isMethod(e: ts.Expression): boolean {
  let x = stripParens(e);
  if (ts.isCallExpression(x) && !x.arguments.length && ts.isPropertyAccessExpression(x.expression) &&
      (x.expression.name.text === 'toUpperCase' || x.expression.name.text === 'toLowerCase')) x = stripParens(x.expression.expression);
  return (ts.isPropertyAccessExpression(x) && x.name.text === 'method') || (ts.isIdentifier(x) && x.text === 'method');
}

function isHead(e: ts.Expression): boolean {
  const x = stripParens(e);
  return ts.isStringLiteralLike(x) && x.text.toUpperCase() === 'HEAD';
}

/** 204 No Content, 205 Reset Content and 304 Not Modified never have a body (RFC 9110 §6.4.1). */
function isNoBodyStatus(e: ts.Expression): boolean {
  const x = stripParens(e);
  return ts.isNumericLiteral(x) && (x.text === '204' || x.text === '205' || x.text === '304');
}

/**
 * Flags that say a stream, socket or client is already closed, or still open. A fetch Response's
 * `bodyUsed` is true once its body was read or cancelled (the stream is disturbed), an
 * IncomingMessage's `readableEnded` once it was read to its end.
 */
export const CLOSED_FLAGS = new Set(['destroyed', 'closed', 'writableEnded', 'writableFinished', 'ended', 'isClosed', 'disconnected', '_closed', 'bodyUsed', 'readableEnded',
  // knex's `trx.isCompleted()`: committed or rolled back, its connection back in the pool.
  'isCompleted']);
/** True only while it is not open: closed, or still connecting (`if (this.session.connecting) return` lets an open one through). */
export const NOT_OPEN_FLAGS = new Set([...CLOSED_FLAGS, 'connecting', 'pending']);
// A server's `listening` is true from listen() to close(): `if (!server.listening) return` holds no port. An mssql
// PreparedStatement's `prepared` is true from a successful prepare() to unprepare(), which hands its connection back
// (a failed prepare() releases it itself: lib/base/prepared-statement.js).
export const OPEN_FLAGS = new Set(['connected', 'isOpen', 'writable', 'readable', 'listening', 'prepared']);

/** true for a closed/closing state constant (`WebSocket.CLOSED`, `3`, `'closed'`), false for an open one, undefined otherwise. */
function stateConstant(e: ts.Expression): boolean | undefined {
  const x = stripParens(e);
  const name = ts.isPropertyAccessExpression(x) ? x.name.text : ts.isStringLiteralLike(x) ? x.text.toUpperCase() : ts.isNumericLiteral(x) ? x.text : undefined;
  if (name === 'CLOSED' || name === 'CLOSING' || name === '3' || name === '2' || name === 'END') return true;
  if (name === 'OPEN' || name === '1' || name === 'READY' || name === 'CONNECTED') return false;
  return undefined;
}

export function nullishTest(e: ts.BinaryExpression): { operand: ts.Expression; isNull: boolean } | undefined {
  const op = e.operatorToken.kind;
  const eq = op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsEqualsToken;
  const ne = op === ts.SyntaxKind.ExclamationEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken;
  if (!eq && !ne) return undefined;
  if (isNullLiteral(e.right)) return { operand: e.left, isNull: eq };
  if (isNullLiteral(e.left)) return { operand: e.right, isNull: eq };
  return undefined;
}

/** Helpers that test for null or undefined (lodash's `isNil`, Node's deprecated `util.isNullOrUndefined`, a project's own). */
const NULL_GUARDS = /^(isNil|isNull|isNullOrUndefined|isUndefinedOrNull|isNullish|isUndefined)$/;
/** Helpers that test for a value that is neither. */
const PRESENCE_GUARDS = /^(isDefined|isNotNil|isNotNull|isNonNullable|isNotNullOrUndefined|isPresent|notNull|notNil)$/;

/** `isNullOrUndefined(con)`, `_.isNil(con)`, `isDefined(con)`: a null test of the one argument, by its helper's name. */
export function nullGuardCall(e: ts.Expression): { operand: ts.Expression; isNull: boolean } | undefined {
  if (!ts.isCallExpression(e) || e.arguments.length !== 1) return undefined;
  const name = calleeName(e) ?? '';
  return NULL_GUARDS.test(name) ? { operand: e.arguments[0], isNull: true } : PRESENCE_GUARDS.test(name) ? { operand: e.arguments[0], isNull: false } : undefined;
}

/** `… !== WebSocket.OPEN` (or `!= 1`): a return under it lets only an open connection past. */
export function notOpenTest(e: ts.Node): boolean {
  if (!ts.isBinaryExpression(e)) return false;
  const op = e.operatorToken.kind;
  if (op !== ts.SyntaxKind.ExclamationEqualsEqualsToken && op !== ts.SyntaxKind.ExclamationEqualsToken) return false;
  const other = stripParens(ts.isPropertyAccessExpression(stripParens(e.left)) && (stripParens(e.left) as ts.PropertyAccessExpression).name.text === 'readyState' ? e.right : e.left);
  return (ts.isPropertyAccessExpression(other) && other.name.text === 'OPEN') || (ts.isNumericLiteral(other) && other.text === '1');
}

/**
 * `if (mode === 'mqtt') server = new A(); if (mode === 'mqtts') server = new B();`: branches on two
 * different values of one variable that nothing in `fn` assigns, so no path takes both.
 */
export function exclusiveBranches(a: ts.Node | undefined, b: ts.Node, fn: ts.Node, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  if (!a) return false;
  const tb = valueTests(b, fn, symbolOf);
  return valueTests(a, fn, symbolOf).some((x) => tb.some((y) => x.sym === y.sym && x.value !== y.value) && unassignedIn(x.sym, fn, symbolOf));
}

/** The `if (v === 'literal')` statements whose then-branch holds `n`, up to `fn`. */
function valueTests(n: ts.Node, fn: ts.Node, symbolOf: (n: ts.Node) => ts.Symbol | undefined): { sym: ts.Symbol; value: string }[] {
  const tests: { sym: ts.Symbol; value: string }[] = [];
  for (let c = n, p = n.parent; p && c !== fn; c = p, p = p.parent) {
    if (!ts.isIfStatement(p) || p.thenStatement !== c) continue;
    const e = stripParens(p.expression);
    if (!ts.isBinaryExpression(e) || (e.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken && e.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsToken)) continue;
    const [id, lit] = ts.isIdentifier(stripParens(e.left)) ? [stripParens(e.left), stripParens(e.right)] : [stripParens(e.right), stripParens(e.left)];
    const sym = ts.isIdentifier(id) ? symbolOf(id) : undefined;
    if (sym && (ts.isStringLiteralLike(lit) || ts.isNumericLiteral(lit))) tests.push({ sym, value: `${lit.kind}:${lit.text}` });
  }
  return tests;
}

function unassignedIn(sym: ts.Symbol, fn: ts.Node, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  const decl = sym.valueDeclaration;
  if (decl && ts.isVariableDeclaration(decl) && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) return true;
  return !findNode(fn, (n) => assigns(n, sym, symbolOf));
}
