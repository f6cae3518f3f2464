// A response body read through a reader of its own (`res.body.getReader()`) is consumed only as far as the reader
// reads: `reader.releaseLock()` lets go of the stream and cancels nothing (WHATWG Streams: releasing a reader leaves
// the stream as it is), so a reader that stops before `done` leaves the rest of the body unread on its connection.
import { ts } from 'ts-morph';
import { findNode, stripParens } from './ast';
import { enclosingFunction } from './syntax';

/**
 * `const reader = res.body.getReader(); const { value } = await reader.read(); reader.releaseLock()` (one chunk, a
 * JPEG's magic bytes), or a read loop that stops on a count of its own (`while (gusts.length < hours)`) before the
 * lock is released: the call that takes the reader (or its chain, `pipeThrough(decoder).getReader()`) does not
 * consume the body. Not when the function cancels the reader, nor when it reads in a loop that only `done` ends
 * (`while (true)`, `for (;;)`, `while (!done)`), nor when the lock is never released (the reader may go on elsewhere).
 */
export function readerStopsEarly(call: ts.CallExpression): boolean {
  let top: ts.Expression = call;
  while (ts.isPropertyAccessExpression(top.parent) && ts.isCallExpression(top.parent.parent) && top.parent.parent.expression === top.parent) top = top.parent.parent;
  const holder = top.parent;
  if (!ts.isCallExpression(top) || calleeText(top) !== 'getReader' || !ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return false;
  const reader = holder.name.text;
  const fn = enclosingFunction(call);
  if (!fn?.body) return false;
  const onReader = (m: string) => (n: ts.Node) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === m &&
    ts.isIdentifier(stripParens(n.expression.expression)) && (stripParens(n.expression.expression) as ts.Identifier).text === reader;
  if (!findNode(fn.body, onReader('releaseLock')) || findNode(fn.body, onReader('cancel'))) return false;
  const reads: ts.Node[] = [];
  findNode(fn.body, (n) => (onReader('read')(n) && reads.push(n), false));
  return reads.length > 0 && !reads.some((r) => readsToDone(r, fn));
}

const calleeText = (c: ts.CallExpression) => (ts.isPropertyAccessExpression(c.expression) ? c.expression.name.text : undefined);

function readsToDone(read: ts.Node, fn: ts.Node): boolean {
  for (let n = read.parent; n && n !== fn; n = n.parent) {
    if (ts.isWhileStatement(n) || ts.isDoStatement(n)) {
      const c = stripParens(n.expression);
      if (c.kind === ts.SyntaxKind.TrueKeyword || (ts.isPrefixUnaryExpression(c) && ts.isIdentifier(c.operand) && /done/i.test(c.operand.text))) return true;
    }
    if (ts.isForStatement(n) && !n.condition) return true;
  }
  return false;
}
