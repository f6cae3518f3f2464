// Where a finding's squiggle goes. A node on one line is underlined whole; a node that spans lines
// (a call with its options object, a handler function) would underline all of them, so only its
// head is: the callee of a call (`net.connect`, `new Client`), the signature of a function, else
// the node's first line.
import { ts } from 'ts-morph';
import { nodeRange, rangeOf } from './text';
import { Range } from './types';

export function reportRange(node: ts.Node): Range {
  const sf = node.getSourceFile();
  const whole = nodeRange(node);
  if (whole.line === whole.endLine) return whole;
  const head = headOf(node, sf);
  if (head) {
    const r = rangeOf(sf, head.start, head.end);
    if (r.line === r.endLine) return r;
  }
  return firstLine(node, sf);
}

/** The offsets of the part of a multi-line node that names what it is. */
function headOf(node: ts.Node, sf: ts.SourceFile): { start: number; end: number } | undefined {
  let n = node;
  // `await fetch(…)`, `(connect(…))`, `connect(…)!`, `connect(…) as Socket`: the call inside.
  while (ts.isAwaitExpression(n) || ts.isParenthesizedExpression(n) || ts.isNonNullExpression(n) || ts.isAsExpression(n) || ts.isSatisfiesExpression(n) || ts.isTypeAssertionExpression(n)) n = n.expression;
  if (ts.isCallExpression(n)) return calleeOf(n.expression, sf, n.expression.getStart(sf));
  if (ts.isNewExpression(n)) return calleeOf(n.expression, sf, n.getStart(sf)); // `new Client`, keyword included
  if (ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) {
    // The signature: up to `=>`, or up to the body's `{`.
    const end = ts.isArrowFunction(n) ? n.equalsGreaterThanToken.getEnd() : n.body ? n.body.getStart(sf) : n.getEnd();
    return { start: n.getStart(sf), end: trimEnd(sf.text, n.getStart(sf), end) };
  }
  if (ts.isVariableDeclaration(n) && n.initializer) return headOf(n.initializer, sf);
  if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name)) return { start: n.getStart(sf), end: n.name.getEnd() };
  return undefined;
}

/** `net.connect`; for a callee that spans lines itself (`http\n  .request`), just its last name. */
function calleeOf(callee: ts.Expression, sf: ts.SourceFile, start: number): { start: number; end: number } {
  const whole = rangeOf(sf, start, callee.getEnd());
  if (whole.line === whole.endLine || !ts.isPropertyAccessExpression(callee)) return { start, end: callee.getEnd() };
  return { start: callee.name.getStart(sf), end: callee.name.getEnd() };
}

/** The node's text on its first line, without trailing spaces. */
function firstLine(node: ts.Node, sf: ts.SourceFile): Range {
  const start = node.getStart(sf);
  let end = start;
  while (end < node.getEnd() && sf.text[end] !== '\n' && sf.text[end] !== '\r') end++;
  return rangeOf(sf, start, trimEnd(sf.text, start, end));
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}
