// A field's connection replaced from a callback that the connection itself runs: `this.session.ping((err,
// ms) => { if (ms > max) this.session = this.open() })`. The session answered the ping, so it is open when
// the field is given a new one; the old one is dropped without a close.
import { ts } from 'ts-morph';
import { calleeName, stripParens, thisField } from './ast';
import { ANY_RELEASE } from './kinds';
import { LISTEN_METHODS, PROMISE_CALLBACKS } from './call-shapes';

/**
 * A failed operation leaves a connection of `kind` open: it reconnects by itself, or outlives a failed publish, query or
 * call (an AMQP channel error closes the channel only; a gRPC channel stays; a UDP socket whose `send()` fails, an
 * ECONNREFUSED of a connected one, stays open: dgram closes a socket only in `close()`).
 */
export function outlivesFailure(kind: string, reconnects: boolean): boolean {
  return reconnects || kind === 'amqp-connection' || kind === 'db-client' || kind === 'grpc-client' || kind === 'udp-socket';
}

/**
 * `assignment` (of `this.<field>`) runs in a callback given to a method of that same field's connection,
 * other than a listener (the events decide there: fields.ts) or a callback of its release (`this.ws.close(()
 * => …)` runs once it is closed) or of a promise: not in a branch taken when the callback is given an error
 * (`if (err) this.socket = net.connect(o)`: a failed write has destroyed the socket), unless the connection `outlivesFailure`
 * (a gRPC client after an UNAVAILABLE call: `if (err) this.client = new Pricing(addr, creds)` drops an open channel).
 */
export function inCallbackOfOwnConnection(assignment: ts.Node, field: string, member: ts.Node, outlivesFailure = false): boolean {
  for (let n: ts.Node = assignment; n.parent && n !== member; n = n.parent) {
    if (!ts.isArrowFunction(n) && !ts.isFunctionExpression(n)) continue;
    const holder = n.parent;
    if (!ts.isCallExpression(holder) || !holder.arguments.includes(n)) return false;
    const callee = stripParens(holder.expression);
    const method = calleeName(holder);
    if (!method || !ts.isPropertyAccessExpression(callee) || thisField(stripParens(callee.expression)) !== field) return false;
    if (LISTEN_METHODS.has(method) || ANY_RELEASE.has(method) || PROMISE_CALLBACKS.has(method)) return false;
    const error = n.parameters[0]?.name;
    return outlivesFailure || !(error && ts.isIdentifier(error) && underErrorTest(assignment, n, error.text));
  }
  return false;
}

/** An `if` between `node` and `fn` whose condition names the error parameter other than negated (`if (err)`, `err && …`). */
function underErrorTest(node: ts.Node, fn: ts.Node, error: string): boolean {
  for (let n: ts.Node = node; n.parent && n !== fn; n = n.parent) {
    const p = n.parent;
    const cond = ts.isIfStatement(p) && p.thenStatement === n ? p.expression : ts.isConditionalExpression(p) && p.whenTrue === n ? p.condition : undefined;
    if (cond && namesPositively(cond, error)) return true;
  }
  return false;
}

function namesPositively(e: ts.Expression, name: string): boolean {
  const x = stripParens(e);
  if (ts.isIdentifier(x)) return x.text === name;
  if (ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken) return false;
  if (ts.isBinaryExpression(x)) return namesPositively(x.left, name) || namesPositively(x.right, name);
  return ts.isPropertyAccessExpression(x) && namesPositively(x.expression, name);
}
