// Conditions on a field of a class, and closes before, that say whether it may hold an open connection where a method
// gives it a new one (fields.ts, outside-reruns.ts): `if (!this.client)`, `if (this.session.destroyed) return`, `this.ws?.close()`.
import { ts } from 'ts-morph';
import { callsMethodOn, EQUALITY, findNode, stripParens, thisField } from './ast';
import { nameOf, ownMethodClosesArgument } from './class-calls';
import { notOpenTest, NOT_OPEN_FLAGS, OPEN_FLAGS } from './state-tests';
import { ANY_RELEASE } from './kinds';

/** States a reconnecting client is not in while it reconnects: redis v4's `isReady`, ioredis's `status === 'ready'`, MQTT.js's `connected`. */
const READY_FLAGS = new Set(['isReady', 'ready', 'connected']);

/** The condition asks whether the field's client is connected (`!this.client?.connected`) or ready (`!this.client?.isReady`). */
export function testsConnected(e: ts.Expression, field: string): boolean {
  const isTest = (n: ts.Node) => ts.isPropertyAccessExpression(n) && (OPEN_FLAGS.has(n.name.text) || READY_FLAGS.has(n.name.text)) && ts.isPropertyAccessExpression(stripParens(n.expression)) &&
    thisField(stripParens(n.expression)) === field;
  return isTest(e) || !!findNode(e, isTest);
}

/**
 * A return under this condition leaves a connection in the field: it reads the field only as absent (`if (!this.client)
 * return`: past it, one is there), as closed (`if (this.session.destroyed) return`) or, for a client that reconnects,
 * as connected (`if (this.client.connected) return`: a disconnected one is still retrying).
 */
export function letsOpenThrough(e: ts.Expression, field: string, reconnects: boolean): boolean {
  let other = false;
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && thisField(n) === field) {
      const [p, negated] = [n.parent, (x: ts.Node) => ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken];
      const flag = ts.isPropertyAccessExpression(p) && p.expression === n ? p.name.text : '';
      // For a client that reconnects, `if (this.client?.isReady) return` lets one through that is still reconnecting.
      if (!negated(p) && !(NOT_OPEN_FLAGS.has(flag) && !negated(p.parent)) && !(reconnects && (OPEN_FLAGS.has(flag) || READY_FLAGS.has(flag))) &&
          !(flag === 'readyState' && notOpenTest(p.parent))) other = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(e);
  return !other;
}

/** Every way into the branch tests the field: not `this.socket.destroyed || stale`, which lets an open one through. */
export function onlyOfField(e: ts.Expression, field: string): boolean {
  const x = stripParens(e);
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.BarBarToken) return onlyOfField(x.left, field) && onlyOfField(x.right, field);
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return onlyOfField(x.left, field) || onlyOfField(x.right, field);
  return refersToField(x, field);
}

export function refersToField(e: ts.Node, field: string): boolean {
  return (ts.isPropertyAccessExpression(e) && thisField(e) === field) || !!findNode(e, (n) => ts.isPropertyAccessExpression(n) && thisField(n) === field);
}

/**
 * `if (url === this.url && this.client?.isOpen) return` before the method gives the field a new client: it returns
 * only while the field's client is open and something else holds too, so it is written to run while one is open, and
 * when the other condition fails (a new URL) the open one is overwritten.
 */
export function returnsOpenOnlyIf(body: ts.Block, field: string, creation: ts.Node): boolean {
  return body.statements.some((st) => st.end <= creation.pos && ts.isIfStatement(st) && !st.elseStatement && returnsAlone(st.thenStatement) &&
    conjuncts(st.expression).some((c) => testsOpen(c, field)) && alsoTestsOther(st.expression, field));
}

/** `if (this.client && url === this.url) return` returns only when the URL is the same too: not whenever the field holds one. */
export function alsoTestsOther(e: ts.Expression, field: string): boolean {
  return conjuncts(e).some((c) => !refersToField(c, field));
}

/**
 * `if (this.socket && Date.now() - this.lastFrameAt > staleAfter) this.connect()`: the branch that makes the new one is
 * entered only while the field holds one, tested for nothing but being there (not `this.socket.destroyed`).
 */
function entersWhileHeld(st: ts.IfStatement, field: string, creation: ts.Node): boolean {
  const tests = conjuncts(st.expression).filter((c) => refersToField(c, field));
  return st.thenStatement.pos <= creation.pos && creation.end <= st.thenStatement.end && tests.length > 0 && tests.every((c) => thisField(c) === field);
}

/** `a && b && c` → [a, b, c] (or the operands of `||`). */
function operands(e: ts.Expression, op = ts.SyntaxKind.AmpersandAmpersandToken): ts.Expression[] {
  const x = stripParens(e);
  return ts.isBinaryExpression(x) && x.operatorToken.kind === op ? [...operands(x.left, op), ...operands(x.right, op)] : [x];
}
const conjuncts = (e: ts.Expression) => operands(e);

/** `this.client`, `this.client?.isOpen`, `this.client.connected`: true while the field holds an open client. */
function testsOpen(e: ts.Expression, field: string): boolean {
  const x = stripParens(e);
  if (thisField(x) === field) return true;
  return ts.isPropertyAccessExpression(x) && OPEN_FLAGS.has(x.name.text) && thisField(stripParens(x.expression)) === field;
}

function returnsAlone(st: ts.Statement): boolean {
  const only = ts.isBlock(st) && st.statements.length === 1 ? st.statements[0] : st;
  return ts.isReturnStatement(only);
}

/**
 * `if (this.socket && !this.socket.destroyed) { this.socket.write(p); return 'primary' }` before `call` in `body`: every
 * part of the condition tests the field as open (`!this.socket.destroyed` too), and the branch returns, so past it
 * the field holds no open connection (a `scheduleReconnect()` there finds none to drop).
 */
export function returnsWhileOpenBefore(body: ts.Block, call: ts.Node, field: string): boolean {
  const openTest = (c: ts.Expression) => {
    const x = stripParens(c);
    if (testsOpen(x, field)) return true;
    const inner = ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken ? stripParens(x.operand) : undefined;
    return !!inner && ts.isPropertyAccessExpression(inner) && NOT_OPEN_FLAGS.has(inner.name.text) && thisField(stripParens(inner.expression)) === field;
  };
  const endsWithReturn = (st: ts.Statement) => ts.isReturnStatement(ts.isBlock(st) ? st.statements[st.statements.length - 1] ?? st : st);
  return body.statements.some((st) => st.end <= call.pos && ts.isIfStatement(st) && !st.elseStatement && endsWithReturn(st.thenStatement) &&
    conjuncts(st.expression).every(openTest) && conjuncts(st.expression).some((c) => testsOpen(stripParens(c), field)));
}

/**
 * `if (!this.pool || !this.healthy) this.pool = await new sql.ConnectionPool(cfg).connect()`: besides an empty field,
 * another condition (a health flag) lets the branch run while the field holds one, which is then dropped open.
 */
export function entersWithFieldSet(creation: ts.Node, method: ts.Node, field: string): boolean {
  for (let n: ts.Node = creation; n.parent && n !== method; n = n.parent) {
    const p = n.parent;
    if (!ts.isIfStatement(p) || p.thenStatement !== n) continue;
    const parts = operands(p.expression, ts.SyntaxKind.BarBarToken);
    return parts.length > 1 && parts.some((c) => absent(c, field)) && parts.some((c) => !refersToField(c, field));
  }
  return false;
}

/** `!this.pool`, `this.pool == null`, `this.pool === undefined`. */
function absent(e: ts.Expression, field: string): boolean {
  const x = stripParens(e);
  if (ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken) return thisField(stripParens(x.operand)) === field;
  return ts.isBinaryExpression(x) && [ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken].includes(x.operatorToken.kind) &&
    [x.left, x.right].some((y) => thisField(stripParens(y)) === field) && [x.left, x.right].some((y) => y.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(y) && y.text === 'undefined'));
}

/**
 * `if (!this.client?.isReady) await this.connect()`: the branch that gives the field a new client is also taken while the
 * one it holds is open and reconnecting by itself (redis v4 keeps `isOpen` and clears `isReady` until it is back; ioredis's
 * `status` is `'reconnecting'`; MQTT.js's `connected` is false), so that one is dropped still open.
 */
export function enteredWhileReconnecting(call: ts.Node, method: ts.Node, field: string): boolean {
  for (let n: ts.Node = call; n.parent && n !== method; n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && p.thenStatement === n && operands(p.expression, ts.SyntaxKind.BarBarToken).some((e) => readyTest(e, field) === false)) return true;
  }
  return false;
}

/**
 * `if (this.client?.isReady) return this.client; this.client = createClient(o)`: before the method gives the field a new
 * client, it returns only while the one it holds is ready, so one still reconnecting by itself is dropped open.
 */
export function returnsOnlyWhileReady(body: ts.Block, field: string, creation: ts.Node): boolean {
  return body.statements.some((st) => st.end <= creation.pos && ts.isIfStatement(st) && !st.elseStatement && readyTest(st.expression, field) === true &&
    (ts.isReturnStatement(st.thenStatement) || (ts.isBlock(st.thenStatement) && st.thenStatement.statements.length === 1 && ts.isReturnStatement(st.thenStatement.statements[0]))));
}

/** true for `this.client?.isReady` (or `this.client.status === 'ready'`), false for its negation, undefined otherwise. */
function readyTest(e: ts.Expression, field: string): boolean | undefined {
  const x = stripParens(e);
  if (ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken) return readyTest(x.operand, field) === true ? false : undefined;
  if (ts.isPropertyAccessExpression(x) && READY_FLAGS.has(x.name.text) && thisField(stripParens(x.expression)) === field) return true;
  if (!ts.isBinaryExpression(x) || ![x.left, x.right].some((y) => ts.isStringLiteralLike(y) && y.text === 'ready') ||
      ![x.left, x.right].some((y) => { const p = stripParens(y); return ts.isPropertyAccessExpression(p) && p.name.text === 'status' && thisField(stripParens(p.expression)) === field; })) return undefined;
  const k = x.operatorToken.kind;
  return k === ts.SyntaxKind.EqualsEqualsEqualsToken || k === ts.SyntaxKind.EqualsEqualsToken ? true
    : k === ts.SyntaxKind.ExclamationEqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsToken ? false : undefined;
}

/** `this.socket !== socket` of a listener of its own socket: which connection the field holds, not whether it holds one. */
export function identityTest(e: ts.Expression, field: string): boolean {
  const x = stripParens(e);
  const other = ts.isBinaryExpression(x) && EQUALITY.has(x.operatorToken.kind) ? (thisField(x.left) === field ? x.right : thisField(x.right) === field ? x.left : undefined) : undefined;
  return !!other && ts.isIdentifier(stripParens(other)) && (stripParens(other) as ts.Identifier).text !== 'undefined';
}

/** Before `at`, the method closes a local it gives the field (`socket.destroy()` with `this.socket = socket`). */
export function closesLocalFirst(body: ts.Node, field: string, at: ts.Node): boolean {
  const locals = new Set<string>();
  findNode(body, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && thisField(n.left) === field && ts.isIdentifier(stripParens(n.right))) {
      locals.add((stripParens(n.right) as ts.Identifier).text);
    }
    return false;
  });
  return locals.size > 0 && !!findNode(body, (n) => n.end <= at.pos && ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) &&
    ANY_RELEASE.has(n.expression.name.text) && ts.isIdentifier(stripParens(n.expression.expression)) && locals.has((stripParens(n.expression.expression) as ts.Identifier).text));
}

/** `await this.stop(); await this.start(servers)`: a method of the class that closes the field, called before `at`. */
export function stopsFirst(body: ts.Node, cls: ts.ClassLikeDeclaration, field: string, at: ts.Node): boolean {
  return !!findNode(body, (n) => n.end <= at.pos && ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) &&
    n.expression.expression.kind === ts.SyntaxKind.ThisKeyword && cls.members.some((m) => nameOf(m as ts.MethodDeclaration) === (n.expression as ts.PropertyAccessExpression).name.text && closesField(m, field)));
}

/** A method of the class that closes the field (`stop() { this.ws?.close() }`). */
export function closesField(m: ts.ClassElement, field: string): m is ts.MethodDeclaration {
  if (!ts.isMethodDeclaration(m) || !m.body) return false;
  // Also through a copy it takes first (`const socket = this.socket; this.socket = undefined; socket?.close(cb)`).
  const copies = fieldCopies(m.body, field, m.body.end, false);
  return !!findNode(m.body, (x) => callsMethodOn(x, ANY_RELEASE, (e) => thisField(e) === field || (ts.isIdentifier(e) && copies.has(e.text))));
}

/** Names of the locals declared before `before` as a copy of the field (`const previous = this.client`), in `body`'s own code unless `ownCode` is false. */
function fieldCopies(body: ts.Node, field: string, before: number, ownCode = true): Set<string> {
  const copies = new Set<string>();
  findNode(body, (n) => {
    if (n.pos < before && ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && thisField(stripParens(n.initializer)) === field) copies.add(n.name.text);
    return false;
  }, ownCode);
  return copies;
}

/**
 * Before `assignment`, the method closes the field or returns when it is set. For a client that
 * reconnects, a return only while it is connected (`if (!this.client || this.client.connected)
 * return`) lets a disconnected one through, and it is still retrying: no close.
 */
export function closesFirst(body: ts.Node, field: string, creation: ts.Node, reconnects = false): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n.pos >= creation.pos) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && (ANY_RELEASE.has(n.expression.name.text) ?
      thisField(stripParens(n.expression.expression)) === field : ownMethodClosesArgument(n, n.arguments.findIndex((x) => thisField(stripParens(x)) === field)))) found = true;
    // A test of the field that guards the call, or returns (or closes) when it holds one; not
    // `if (this.ws) this.ws.removeAllListeners()`, after which the old connection is still open.
    if (ts.isIfStatement(n) && refersToField(n.expression, field)) {
      // `if (!this.client) this.client = connect()`; for a client that reconnects, not `if (!this.client?.connected)`.
      if (n.pos <= creation.pos && creation.end <= n.end) {
        found = !(reconnects && testsConnected(n.expression, field)) && onlyOfField(n.expression, field) && !entersWhileHeld(n, field, creation);
      }
      else if (exitsOrCloses(n.thenStatement, field) && !letsOpenThrough(n.expression, field, reconnects) && !alsoTestsOther(n.expression, field) &&
        !identityTest(n.expression, field)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/** `const previous = this.client; this.client = connect(url); previous.close()`: the old one, saved before, closed. */
export function closesOldCopy(body: ts.Node, field: string, creation: ts.Node): boolean {
  // Saved before the field is given the new one: `const next = this.open(o); …; const previous = this.client; this.client = next`.
  const store = findNode(body, (n) => n.pos >= creation.pos && ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && thisField(stripParens(n.left)) === field);
  const saved = fieldCopies(body, field, store ? store.pos : creation.pos);
  return saved.size > 0 && !!findNode(body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ANY_RELEASE.has(n.expression.name.text) &&
    ts.isIdentifier(stripParens(n.expression.expression)) && saved.has((stripParens(n.expression.expression) as ts.Identifier).text));
}

function exitsOrCloses(st: ts.Statement, field: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) || ts.isThrowStatement(n)) found = true;
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ANY_RELEASE.has(n.expression.name.text) &&
      thisField(stripParens(n.expression.expression)) === field) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(st);
  return found;
}


