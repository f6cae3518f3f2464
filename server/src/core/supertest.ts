// supertest's `request(app)`: given an app function or a server that is not listening, it listens on an
// ephemeral port itself and closes that server when the request ends; given a server that is already
// listening (`request(app.listen())`), it uses it and closes nothing (`Test#serverAddress` and
// `Test#end` in ladjs/supertest lib/test.js). So a server handed to it stays the caller's to close.
import { ts } from 'ts-morph';
import { Origin, OriginResolver } from './origins';

/** `request(…)` where `request` is supertest's default export, by the origin resolver's binding lookup. */
export function isSupertestRequest(call: ts.Node, ofBinding: (e: ts.Expression) => Origin | undefined): call is ts.CallExpression {
  if (!ts.isCallExpression(call)) return false;
  const o = ofBinding(call.expression);
  return !!o && !o.instance && o.module === 'supertest' && (o.path.length === 0 || o.path.join('.') === 'default');
}

/** `const server = x.listen(0)` followed by `server.address()`: the value is a listening server. */
export function resultUsedAsServer(call: ts.CallExpression, resolver: OriginResolver): boolean {
  let e: ts.Node = call;
  while (ts.isParenthesizedExpression(e.parent) || ts.isAsExpression(e.parent)) e = e.parent;
  const p = e.parent;
  // `request(app.listen())` of supertest: it tests the listening server it is given.
  const bySupertest = (n: ts.Node) => isSupertestRequest(n, (x) => resolver.ofBinding(x));
  if (bySupertest(p)) return true;
  // `const server = app.listen(0)`, or a suite's `server = app.listen(0)` in a hook (the variable's scope is the suite's).
  const target = ts.isVariableDeclaration(p) ? p.name : ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === e ? p.left : undefined;
  const sym = target && ts.isIdentifier(target) ? resolver.symbolOf(target) : undefined;
  const scope = sym?.valueDeclaration && ts.isVariableDeclaration(sym.valueDeclaration) ? sym.valueDeclaration.parent?.parent?.parent : undefined;
  if (!sym || !scope) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'address' &&
        ts.isIdentifier(n.expression.expression) && resolver.symbolOf(n.expression.expression) === sym) found = true;
    else if (ts.isIdentifier(n) && bySupertest(n.parent) && resolver.symbolOf(n) === sym) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}
