// Collection calls that take a resource as a key without owning it (call-shapes.ts isNonOwningCall).
import { ts } from 'ts-morph';
import { stripParens } from './ast';

/**
 * `state.get(socket)`, `seen.has(ws)`: a lookup by it keeps nothing; nor does `state.set(socket, s)` of a
 * `WeakMap` (or `WeakSet` `add`), which holds its keys weakly and cannot be iterated to reach them.
 */
export function keyedBy(call: ts.CallExpression | ts.NewExpression, name: string): boolean {
  const callee = stripParens(call.expression);
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(callee)) return false;
  if (name === 'get' || name === 'has') return call.arguments.length === 1;
  if (name !== 'set' && name !== 'add') return false;
  const recv = stripParens(callee.expression);
  // The receiver's declaration in the file: `const state = new WeakMap()`.
  const sf = call.getSourceFile();
  const weak = (e: ts.Expression | undefined) => {
    const x = e && stripParens(e);
    return !!x && ts.isNewExpression(x) && ts.isIdentifier(x.expression) && (x.expression.text === 'WeakMap' || x.expression.text === 'WeakSet');
  };
  if (!ts.isIdentifier(recv)) return false;
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === recv.text && weak(d.initializer))) return true;
  }
  return false;
}
