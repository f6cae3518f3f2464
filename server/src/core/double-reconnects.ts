// A class whose connection's 'error' and 'close' listeners both reconnect. A WebSocket (ws) or a net/tls socket
// that fails emits 'error' and then 'close' (ws `lib/websocket.js` emitClose after the error; net's destroy
// emits 'close' after 'error'), so each failure runs the reconnect twice: the field ends up holding the second
// new connection, and the first one stays open, out of reach (`stop()` closes only the field's).
// Not when the reconnect keeps itself from running twice: a method that tests a field (or a captured variable) it
// also sets (`if (this.timer) return; this.timer = setTimeout(…)`), one that cancels the timer it sets before setting
// it again (`clearTimeout(timer); timer = setTimeout(connect, d)`), or a listener that takes the other one off.
import { ts } from 'ts-morph';
import { calleeName, findNode, FnLike, isStringArg, skipOuter, stripParens, thisField } from './ast';
import { LISTEN_METHODS, TIMER_CLEARS } from './call-shapes';
import { nameOf } from './class-calls';

/** Kinds that emit 'close' after 'error' and make no new connection by themselves. */
export const RECONNECTING_KINDS = new Set(['websocket', 'socket']);

/** Of the class's field assignments (fields.ts), those made by a method whose connection's 'error' and 'close' both run it again. */
export function reconnectedTwice<A extends { field: string; call: ts.Node; member: ts.ClassElement; match: { kind: string } }>(cls: ts.ClassLikeDeclaration, assignments: A[]): A[] {
  // Most files: no walk.
  const text = cls.getSourceFile().text;
  if (!text.includes("'close'") || !text.includes("'error'")) return [];
  const methods = new Map(cls.members.filter((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body).map((m) => [nameOf(m) ?? '', m]));
  return assignments.filter((a) => {
    if (!RECONNECTING_KINDS.has(a.match.kind) || !ts.isMethodDeclaration(a.member) || !a.member.body) return false;
    const connect = nameOf(a.member);
    const onError = listenerOf(a.member.body, a, 'error');
    const onClose = listenerOf(a.member.body, a, 'close');
    // `connect() { if (this.ws && this.ws.readyState !== WebSocket.CLOSED) return; … }`: the second run does nothing.
    if (!connect || !onError || !onClose || mayRemoveListeners(onError) || mayRemoveListeners(onClose) || guardsItself(a.member.body, fieldOf)) return false;
    const calls = (n: ts.Node) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.expression.kind === ts.SyntaxKind.ThisKeyword ? n.expression.name.text : undefined;
    return reconnects(onError, connect, (m) => methods.get(m), calls, fieldOf) && reconnects(onClose, connect, (m) => methods.get(m), calls, fieldOf);
  });
}

/** `this.timer`: the field a node names. */
const fieldOf = (n: ts.Node) => (ts.isPropertyAccessExpression(n) ? thisField(n) : undefined);

/** The callback of `conn.on(event, cb)` in the connecting method, on the connection its field gets (`ws` or `this.ws`). */
function listenerOf(body: ts.Block, a: { field: string; call: ts.Node }, event: string): ts.Node | undefined {
  const local = localOf(a.call);
  let found: ts.Node | undefined;
  findNode(body, (n) => {
    if (found || !ts.isCallExpression(n) || !LISTEN_METHODS.has(calleeName(n) ?? '') || !isStringArg(n.arguments[0], new Set([event]))) return false;
    const on = ts.isPropertyAccessExpression(n.expression) ? stripParens(n.expression.expression) : undefined;
    const cb = n.arguments[1] && skipOuter(n.arguments[1]);
    if (on && cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) && ((ts.isIdentifier(on) && on.text === local) || thisField(on) === a.field)) found = cb;
    return false;
  });
  return found;
}

/** `const ws = new WebSocket(url)`: the local a creation initializes. */
function localOf(call: ts.Node): string | undefined {
  let n = call.parent;
  while (n && (ts.isAwaitExpression(n) || ts.isParenthesizedExpression(n) || ts.isAsExpression(n))) n = n.parent;
  return n && ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) ? n.name.text : undefined;
}

/** `ws.removeAllListeners()`, `ws.off('close', h)`, `ws.terminate()`…: a listener that may keep the other one from running. */
export function mayRemoveListeners(body: ts.Node): boolean {
  return !!findNode(body, (n) => ts.isCallExpression(n) && /^(removeAllListeners|removeListener|off)$/.test(calleeName(n) ?? ''));
}

/**
 * The listener reconnects without a guard of its own: it calls the connecting function (`this.connect()`, also in a
 * timer), or another function of the class or closure that does (`this.scheduleReconnect()`), and neither tests a
 * holder it sets. `calls` names the function a node calls or passes (`this.x()`; `x()` or `setTimeout(x, d)`).
 */
export function reconnects(body: ts.Node, connect: string, functionNamed: (name: string) => FnLike | undefined, calls: (n: ts.Node) => string | undefined, holderOf: (n: ts.Node) => string | undefined, depth = 0): boolean {
  if (guardsItself(body, holderOf)) return false;
  return !!findNode(body, (n) => {
    const name = calls(n);
    if (name === undefined) return false;
    if (name === connect) return true;
    const f = functionNamed(name);
    return depth < 1 && !!f?.body && reconnects(f.body, connect, functionNamed, calls, holderOf, depth + 1);
  });
}

/**
 * `if (this.timer) return; this.timer = setTimeout(…)`: a holder (a field, or a captured variable) both tested and
 * set, so a second run does nothing; or `clearTimeout(timer); timer = setTimeout(…)`: the second run cancels the first.
 */
export function guardsItself(body: ts.Node, holderOf: (n: ts.Node) => string | undefined): boolean {
  const set = new Set<string>();
  const tested = new Set<string>();
  findNode(body, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const f = holderOf(n.left);
      if (f !== undefined) set.add(f);
    }
    if ((ts.isIfStatement(n) || ts.isConditionalExpression(n)) && (ts.isIfStatement(n) ? n.expression : n.condition)) {
      findNode(ts.isIfStatement(n) ? n.expression : n.condition, (x) => {
        const f = holderOf(x);
        if (f !== undefined) tested.add(f);
        return false;
      });
    }
    if (ts.isCallExpression(n) && TIMER_CLEARS.has(calleeName(n) ?? '') && n.arguments[0]) {
      const f = holderOf(stripParens(n.arguments[0]));
      if (f !== undefined) tested.add(f);
    }
    return false;
  });
  return [...tested].some((f) => set.has(f));
}
