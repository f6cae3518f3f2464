// Where a field's connection comes from when the assignment does not make it in place: the value a `then()`
// callback is given, or what a method of the class returns unchanged.
import { ts } from 'ts-morph';
import { creationUnder } from './call-shapes';
import { returnedValues, stripParens } from './ast';

/**
 * `this.dial().then((fresh) => { this.socket = fresh; })`: the parameter of a `then()` callback holds what the promise
 * it is chained to resolves to, the creation under that promise.
 */
export function resolvedBy(e: ts.Expression): ts.CallExpression | ts.NewExpression | undefined {
  const x = stripParens(e);
  if (!ts.isIdentifier(x)) return undefined;
  const fn = ts.findAncestor(x, ts.isFunctionLike);
  const param = fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? fn.parameters[0] : undefined;
  const then = fn?.parent;
  if (!param || !ts.isIdentifier(param.name) || param.name.text !== x.text || !then || !ts.isCallExpression(then) || then.arguments[0] !== fn ||
      !ts.isPropertyAccessExpression(then.expression) || then.expression.name.text !== 'then') return undefined;
  return creationUnder(then.expression.expression);
}

/** `this.attach(x)` where the class's `attach(client)` returns its parameter on every path: the creation in `x`. */
export function passedThrough(call: ts.CallExpression | ts.NewExpression, cls: ts.ClassLikeDeclaration): ts.CallExpression | ts.NewExpression | undefined {
  const callee = call.expression;
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const method = cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText() === callee.name.text && !!m.body);
  const values = (method && returnedValues(method)) ?? [];
  const index = method?.parameters.findIndex((p) => ts.isIdentifier(p.name) && values.length > 0 &&
    values.every((v) => ts.isIdentifier(stripParens(v)) && (stripParens(v) as ts.Identifier).text === (p.name as ts.Identifier).text)) ?? -1;
  return index >= 0 && call.arguments[index] ? creationUnder(call.arguments[index]) : undefined;
}
