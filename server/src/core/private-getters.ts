// A field's connection returned by a private method to the class's own code only:
//
//   private sessionFor(env) { if (!this.sandbox) this.sandbox = http2.connect(host); return this.sandbox; }
//   send(…) { const session = this.sessionFor(env); session.request(…) }
//
// The class lends it to itself, for requests; nothing outside ever gets it, so the class still owns it. So does
// `return Promise.resolve(this.control)` to `const c = await this.controlSocket(); await this.command(c, cmd)`, with
// a method of the class that only uses what it is given.
import { ts } from 'ts-morph';
import { stripParens } from './ast';
import { onlyReadsParam } from './borrowing';
import { skipParensUp } from './call-shapes';
import { ANY_RELEASE } from './kinds';

/** `return this.f` (`use`, in `ret`) in a private method of `cls` every call of which only calls methods on what it returns. */
export function returnedToOwnCode(ret: ts.Node, cls: ts.ClassLikeDeclaration): boolean {
  if (isPromiseResolve(ret) && ts.isReturnStatement(skipParensUp(ret).parent)) ret = skipParensUp(ret).parent;
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
  return calls.length > 0 && calls.every((c) => onlyCalledOn(c, cls));
}

const isPromiseResolve = (n: ts.Node): n is ts.CallExpression => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) &&
  n.expression.name.text === 'resolve' && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === 'Promise';

/** `this.command(control, cmd)` of a method of `cls` that only uses its parameter there (borrowing.ts onlyReadsParam). */
function lentToOwnMethod(call: ts.Node, arg: ts.Node, cls: ts.ClassLikeDeclaration): boolean {
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.expression.kind !== ts.SyntaxKind.ThisKeyword) return false;
  const name = call.expression.name.getText();
  const method = cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText() === name);
  const i = call.arguments.indexOf(arg as ts.Expression);
  return !!method && i >= 0 && onlyReadsParam(method, i, ANY_RELEASE);
}

function isPrivate(m: ts.MethodDeclaration): boolean {
  return ts.isPrivateIdentifier(m.name) || (ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Private) !== 0;
}

/** `this.get().request(…)`, or `const s = this.get()` with `s` only ever the receiver of a call (`s.request(…)`). */
function onlyCalledOn(call: ts.CallExpression, cls: ts.ClassLikeDeclaration): boolean {
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
      ok = (ts.isPropertyAccessExpression(q) && stripParens(q.expression) === n && ts.isCallExpression(q.parent) && q.parent.expression === q) ||
        lentToOwnMethod(q, n, cls);
    }
    ts.forEachChild(n, visit);
  };
  const body = scope && (scope as ts.FunctionLikeDeclaration).body;
  if (body) visit(body);
  return ok;
}
