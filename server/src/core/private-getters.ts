// A field's connection returned by a private method to the class's own code only:
//
//   private sessionFor(env) { if (!this.sandbox) this.sandbox = http2.connect(host); return this.sandbox; }
//   send(…) { const session = this.sessionFor(env); session.request(…) }
//
// The class lends it to itself, for requests; nothing outside ever gets it, so the class still owns it.
import { ts } from 'ts-morph';
import { stripParens } from './ast';

/** `return this.f` (`use`, in `ret`) in a private method of `cls` every call of which only calls methods on what it returns. */
export function returnedToOwnCode(ret: ts.Node, cls: ts.ClassLikeDeclaration): boolean {
  if (!ts.isReturnStatement(ret)) return false;
  const method = ts.findAncestor(ret, ts.isFunctionLike);
  if (!method || !ts.isMethodDeclaration(method) || method.parent !== cls || !isPrivate(method)) return false;
  const name = method.name.getText();
  const calls: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
        n.expression.name.getText() === name) calls.push(n);
    ts.forEachChild(n, visit);
  };
  visit(cls);
  return calls.length > 0 && calls.every(onlyCalledOn);
}

function isPrivate(m: ts.MethodDeclaration): boolean {
  return ts.isPrivateIdentifier(m.name) || (ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Private) !== 0;
}

/** `this.get().request(…)`, or `const s = this.get()` with `s` only ever the receiver of a call (`s.request(…)`). */
function onlyCalledOn(call: ts.CallExpression): boolean {
  let e: ts.Node = call;
  while (ts.isParenthesizedExpression(e.parent) || ts.isAwaitExpression(e.parent) || ts.isNonNullExpression(e.parent)) e = e.parent;
  const p = e.parent;
  if (ts.isPropertyAccessExpression(p) && p.expression === e) return ts.isCallExpression(p.parent) && p.parent.expression === p;
  if (!ts.isVariableDeclaration(p) || !ts.isIdentifier(p.name) || !(p.parent.flags & ts.NodeFlags.Const)) return false;
  const scope = ts.findAncestor(p, ts.isFunctionLike);
  const name = p.name;
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(n) && n !== name && n.text === name.text) {
      const q = n.parent;
      ok = ts.isPropertyAccessExpression(q) && stripParens(q.expression) === n && ts.isCallExpression(q.parent) && q.parent.expression === q;
    }
    ts.forEachChild(n, visit);
  };
  const body = scope && (scope as ts.FunctionLikeDeclaration).body;
  if (body) visit(body);
  return ok;
}
