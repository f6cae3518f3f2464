// Calls of plain functions (not methods) in a listener or callback: a function of the code's own may do anything,
// closing the resource included, unless it cannot reach it.
import { ts } from 'ts-morph';
import { importedFrom, stripParens, topLevelNamed } from './ast';

/** Global functions that close no connection: clearing a timer, converting a value. */
const CLOSES_NOTHING = new Set(['clearTimeout', 'clearInterval', 'clearImmediate', 'String', 'Number', 'Boolean', 'parseInt', 'parseFloat']);

/**
 * `() => cleanup()`, `(err) => done(err)`: the function calls a plain function (of the code's own, which may do anything),
 * not only methods. With `reaches`, only calls it accepts: an imported or top-level function (`channelFor(roomId)`) can
 * reach a function's locals only through its arguments.
 */
export function callsPlainFunction(fn: ts.ArrowFunction | ts.FunctionExpression, reaches: (call: ts.CallExpression) => boolean = () => true): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(stripParens(n.expression)) && !CLOSES_NOTHING.has((stripParens(n.expression) as ts.Identifier).text) && reaches(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

/** `channelFor(roomId)`: a call of a function the file imports or declares at its top, which sees no local of another function. */
export function callsModuleFunction(call: ts.CallExpression): boolean {
  const c = stripParens(call.expression);
  return ts.isIdentifier(c) && (!!topLevelNamed(call.getSourceFile(), c.text) || !!importedFrom(call.getSourceFile(), c.text));
}
