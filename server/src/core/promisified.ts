// `const getConnection = util.promisify(pool.getConnection).bind(pool)`: a library method turned into one that returns a
// promise. Calling it is calling the method in its promise form: `await getConnection()` checks a connection out of the
// pool as `pool.getConnection(cb)` does, and the connection is the promise's value instead of the callback's argument.
import { ts } from 'ts-morph';
import { calleeName, stripParens } from './ast';

/** `x.bind(recv)`: x. */
function unbound(e: ts.Expression): ts.Expression {
  const x = stripParens(e);
  return ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'bind' ? stripParens(x.expression.expression) : x;
}

/** The method a `promisify(recv.method)` (also `.bind(recv)` after or inside it) wraps. */
function wrappedMethod(init: ts.Expression): ts.PropertyAccessExpression | undefined {
  const call = unbound(init);
  if (!ts.isCallExpression(call) || calleeName(call) !== 'promisify' || call.arguments.length !== 1) return undefined;
  const method = unbound(call.arguments[0]);
  return ts.isPropertyAccessExpression(method) ? method : undefined;
}

/** `getConnection` of `const getConnection = promisify(pool.getConnection).bind(pool)`: the method it calls, `pool.getConnection`. */
export function promisifiedMethod(callee: ts.Identifier, symbolOf: (n: ts.Node) => ts.Symbol | undefined): ts.PropertyAccessExpression | undefined {
  const decl = symbolOf(callee)?.declarations?.[0];
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(decl.parent.flags & ts.NodeFlags.Const)) return undefined;
  return wrappedMethod(decl.initializer);
}

/** The names of the file's top-level `const`s made by `promisify(recv.method)`: calls of them may check a resource out. */
export function promisifiedNames(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer && wrappedMethod(d.initializer)) names.add(d.name.text);
  }
  return names;
}

/**
 * `opsDb.getConnection()` where the project module `opsDb` exports `getConnection` made so (`module.exports = {
 * getConnection }`, or `export const getConnection = promisify(…)`): the method it calls.
 */
export function promisifiedExport(name: ts.Identifier, targetOf: (n: ts.Node) => ts.Symbol | undefined, symbolOf: (n: ts.Node) => ts.Symbol | undefined): ts.PropertyAccessExpression | undefined {
  let decl: ts.Declaration | undefined = targetOf(name)?.declarations?.[0];
  // `module.exports = { getConnection }`: the const the shorthand names.
  if (decl && ts.isShorthandPropertyAssignment(decl)) decl = symbolOf(decl.name)?.declarations?.[0];
  if (!decl || decl.getSourceFile().isDeclarationFile || !ts.isVariableDeclaration(decl) || !decl.initializer || !(decl.parent.flags & ts.NodeFlags.Const)) return undefined;
  return wrappedMethod(decl.initializer);
}
