// What a project helper does to the resource it makes before handing it out: opens it (the caller
// gets a connected client, not one it still has to connect), or unrefs it (it will not keep the
// process alive). creators.ts asks, for each helper it follows.
import { ts } from 'ts-morph';
import { enclosingFunction, findNode, promiseExecutor, returnedValues, skipOuter, stripParens, within } from './ast';
import type { CreatorMatch } from './creator-match';

/**
 * `const pool = new sql.ConnectionPool(cfg); return pool.connect()`: a method of a local `fn` makes that gives
 * the resource itself back (CreatorSpec.returnsSelf): the local, whose creation is what the helper hands out.
 */
export function localReturningSelf(x: ts.CallExpression, fn: ts.FunctionLikeDeclaration, symbolOf: (n: ts.Node) => ts.Symbol | undefined,
    match: (n: ts.CallExpression | ts.NewExpression) => CreatorMatch | undefined): ts.Identifier | undefined {
  const callee = stripParens(x.expression);
  const recv = ts.isPropertyAccessExpression(callee) ? stripParens(callee.expression) : undefined;
  if (!recv || !ts.isIdentifier(recv)) return undefined;
  const decl = symbolOf(recv)?.declarations?.[0];
  const init = decl && ts.isVariableDeclaration(decl) && decl.initializer && within(decl, fn) ? skipOuter(decl.initializer) : undefined;
  const made = init && (ts.isCallExpression(init) || ts.isNewExpression(init)) ? match(init) : undefined;
  return made?.returnsSelf?.includes((callee as ts.PropertyAccessExpression).name.text) ? recv : undefined;
}

/** `server.unref(); return server;`: the helper unrefs the value it returns (not just any timer of its own). */
export function unrefsWhatItReturns(fn: ts.FunctionLikeDeclaration): boolean {
  const names = (returnedValues(fn) ?? []).flatMap((v) => (ts.isIdentifier(stripParens(v)) ? [(stripParens(v) as ts.Identifier).text] : []));
  const text = fn.body?.getText() ?? '';
  return names.some((n) => new RegExp(`\\b${n}\\s*\\.unref\\(\\)`).test(text));
}

/** The function opens what it returns: `const c = new Feed(); await c.connect(); return c`, `return createClient(o).connect()`. */
export function opensLocal(fn: ts.FunctionLikeDeclaration, openers: string[] | undefined): boolean {
  if (!openers || !fn.body) return false;
  const locals = new Set<string>();
  // `await client.connect()` on a local, or `return createClient(o).connect()` on the creation itself; in the
  // function's own code or in the executor of a promise it returns (`new Promise((resolve) => conn.once('ready', …).connect(o))`).
  const opened = (e: ts.Expression) => (ts.isIdentifier(e) && locals.has(e.text)) || ts.isNewExpression(e) || ts.isCallExpression(e);
  const ownCode = (n: ts.Node) => {
    const f = enclosingFunction(n);
    return f === fn || (!!f && !!f.parent && promiseExecutor(f.parent) === f && enclosingFunction(f.parent) === fn);
  };
  findNode(fn.body, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && ownCode(n)) locals.add(n.name.text);
    return false;
  });
  return !!findNode(fn.body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && openers.includes(n.expression.name.text) &&
    opened(stripParens(n.expression.expression)) && ownCode(n));
}
