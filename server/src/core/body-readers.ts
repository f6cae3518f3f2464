// A response body read through a reader of its own (`res.body.getReader()`) is consumed only as far as the reader
// reads: `reader.releaseLock()` lets go of the stream and cancels nothing (WHATWG Streams: releasing a reader leaves
// the stream as it is), so a reader that stops before `done` leaves the rest of the body unread on its connection.
import { ts } from 'ts-morph';
import { callsMethodOn, findNode, stripParens, within } from './ast';
import { callsIn, enclosingFunction } from './syntax';

/**
 * `const reader = res.body.getReader(); const { value } = await reader.read(); reader.releaseLock()` (one chunk, a
 * JPEG's magic bytes), or a read loop that stops on a count of its own (`while (gusts.length < hours)`) before the
 * lock is released: the call that takes the reader (or its chain, `pipeThrough(decoder).getReader()`) does not
 * consume the body; nor does a loop that reads to `done` but returns (or breaks) on something else first. Not when
 * the function cancels the reader or hands it on, nor when it reads in a loop that only `done` ends (`while (true)`,
 * `for (;;)`, `while (!done)`).
 */
export function readerStopsEarly(call: ts.CallExpression): boolean {
  let top: ts.Expression = call;
  while (ts.isPropertyAccessExpression(top.parent) && ts.isCallExpression(top.parent.parent) && top.parent.parent.expression === top.parent) top = top.parent.parent;
  const holder = top.parent;
  if (!ts.isCallExpression(top) || calleeText(top) !== 'getReader' || !ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return false;
  const reader = holder.name.text;
  const fn = enclosingFunction(call);
  if (!fn?.body) return false;
  const onReader = (m: string) => (n: ts.Node) => callsMethodOn(n, [m], (e) => ts.isIdentifier(e) && e.text === reader);
  if (findNode(fn.body, onReader('cancel')) || handedOn(fn.body, reader)) return false;
  const reads = callsIn(fn.getSourceFile(), () => undefined).filter((c) => within(c, fn.body!) && onReader('read')(c));
  if (!reads.length) return false;
  if (findNode(fn.body, onReader('releaseLock'))) return !reads.some((r) => readsToDone(r, fn));
  // Never released: a loop that reads to `done` but that the function leaves on something else it found (`return
  // new Date(event.at)` on the event it waited for in a server-sent-event stream that never ends).
  // So does a loop of its own count that stops before `done` (`while (out.length < hours)`), or a single read, as in the released case.
  return reads.every((r) => {
    const loop = readsToDone(r, fn);
    return loop ? leftEarly(loop, fn) : countedLoop(r, fn);
  });
}

/**
 * The read is in a `while`/`for` loop whose condition does not read `done` (`while (gusts.length < hours)`), or in no
 * loop at all (one chunk: `const { value } = await reader.read()` to sniff a file's magic bytes).
 */
function countedLoop(read: ts.Node, fn: ts.Node): boolean {
  const loop = ts.findAncestor(read.parent, (a) => a === fn || ts.isIterationStatement(a, false));
  if (!loop || loop === fn) return true;
  if (!ts.isWhileStatement(loop) && !ts.isDoStatement(loop) && !ts.isForStatement(loop)) return false;
  const condition = ts.isForStatement(loop) ? loop.condition : (loop as ts.WhileStatement | ts.DoStatement).expression;
  return !!condition && !namesDone(condition);
}

/** The reader is named other than as the receiver of its own methods: handed to a call, returned, stored. */
function handedOn(body: ts.Node, reader: string): boolean {
  return !!findNode(body, (n) => ts.isIdentifier(n) && n.text === reader && !(ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n) &&
    !(ts.isVariableDeclaration(n.parent) && n.parent.name === n));
}

const calleeText = (c: ts.CallExpression) => (ts.isPropertyAccessExpression(c.expression) ? c.expression.name.text : undefined);

/** The loop around the read that only `done` ends (`while (true)`, `for (;;)`, `while (!done)`). */
function readsToDone(read: ts.Node, fn: ts.Node): ts.IterationStatement | undefined {
  for (let n = read.parent; n && n !== fn; n = n.parent) {
    if (ts.isWhileStatement(n) || ts.isDoStatement(n)) {
      const c = stripParens(n.expression);
      if (c.kind === ts.SyntaxKind.TrueKeyword || (ts.isPrefixUnaryExpression(c) && ts.isIdentifier(c.operand) && /done/i.test(c.operand.text))) return n;
    }
    if (ts.isForStatement(n) && !n.condition) return n;
  }
  return undefined;
}

/** A `return` in the loop, or a `break` out of it, under no test of `done`: the function stops reading before the end. */
function leftEarly(loop: ts.IterationStatement, fn: ts.Node): boolean {
  // The nearest `if` around it, up to the loop, that tests `done` (`if (done) return null`): that exit is the end.
  const underDone = (n: ts.Node) => ts.findAncestor(n, (a) => a === loop || (ts.isIfStatement(a) && namesDone(a.expression))) !== loop;
  const breaksThis = (b: ts.BreakStatement) => !b.label && ts.findAncestor(b.parent, (a) => a === loop || ts.isIterationStatement(a, false) || ts.isSwitchStatement(a)) === loop;
  return !!findNode(loop.statement, (n) => ((ts.isReturnStatement(n) && enclosingFunction(n) === fn) || (ts.isBreakStatement(n) && breaksThis(n))) && !underDone(n));
}

/**
 * `if (done) return null` in a loop that reads a body through its reader: the path leaves once the body has ended,
 * having read all of it (a leak report's exit there is no leak).
 */
export function leavesAtBodyEnd(exit: ts.Node): boolean {
  const test = ts.findAncestor(exit, (a) => ts.isFunctionLike(a) || ts.isIterationStatement(a, false) || (ts.isIfStatement(a) && a.thenStatement.pos <= exit.pos && exit.end <= a.thenStatement.end));
  // `const { value } = await reader.read(); if (!value) return false`: no chunk, the body has ended.
  if (test && ts.isIfStatement(test) && noChunk(test.expression)) return true;
  const loop = test && ts.isIfStatement(test) ? ts.findAncestor(test, (a) => ts.isFunctionLike(a) || ts.isIterationStatement(a, false)) : undefined;
  return !!test && ts.isIfStatement(test) && namesDone(test.expression) && !!loop && ts.isIterationStatement(loop, false) &&
    !!findNode(loop.statement, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'read' && n.arguments.length === 0);
}

/** `done`, `!done`, `result.done`, `done || stop`: a condition that reads the reader's `done`. */
function namesDone(e: ts.Expression): boolean {
  const isDone = (x: ts.Node) => (ts.isIdentifier(x) && /^done$/i.test(x.text)) || (ts.isPropertyAccessExpression(x) && x.name.text === 'done');
  return isDone(stripParens(e)) || !!findNode(e, isDone);
}

/** `!value` of `const { value } = await reader.read()`: the read found the body at its end. */
function noChunk(e: ts.Expression): boolean {
  const x = stripParens(e);
  const operand = ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken ? stripParens(x.operand) : undefined;
  if (!operand || !ts.isIdentifier(operand)) return false;
  const fn = enclosingFunction(x);
  const isValueOfRead = (n: ts.Node) => {
    if (!ts.isVariableDeclaration(n) || !ts.isObjectBindingPattern(n.name) || n.pos > x.pos || !n.initializer) return false;
    const awaited = stripParens(n.initializer);
    const read = ts.isAwaitExpression(awaited) ? stripParens(awaited.expression) : undefined;
    return !!read && ts.isCallExpression(read) && read.arguments.length === 0 && ts.isPropertyAccessExpression(read.expression) && read.expression.name.text === 'read' &&
      n.name.elements.some((el) => ts.isIdentifier(el.name) && el.name.text === operand.text && (el.propertyName ?? el.name).getText() === 'value');
  };
  return !!fn?.body && !!findNode(fn.body, isValueOfRead);
}
