// Node closes what it was made with an AbortSignal when that signal aborts: a UDP socket from
// `dgram.createSocket({ type, signal })`, a server listening with `listen({ port, signal })`, a
// `new net.Socket({ signal })`. A class that makes its connection with the signal of a controller it
// keeps (`signal: this.controller.signal`) and aborts that controller (`this.controller.abort()` in
// `stop()`) closes the connection there.
import { ts } from 'ts-morph';
import { findNode, stripParens } from './ast';
import { findProp } from './syntax';

/** `call` gets `signal: this.<field>.signal` in an options literal, and some method of `cls` calls `this.<field>.abort()`. */
export function closedBySignal(cls: ts.ClassLikeDeclaration, call: ts.CallExpression | ts.NewExpression): boolean {
  const controller = controllerField(call);
  return !!controller && !!findNode(cls, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'abort' &&
    thisField(n.expression.expression) === controller);
}

/** The field of `this` whose `.signal` an options literal of the call (or of a `listen` chained on it) is given. */
function controllerField(call: ts.CallExpression | ts.NewExpression): string | undefined {
  for (const a of call.arguments ?? []) {
    const o = stripParens(a);
    if (!ts.isObjectLiteralExpression(o)) continue;
    const signal = findProp(o, 'signal').value;
    const v = signal && stripParens(signal);
    if (v && ts.isPropertyAccessExpression(v) && v.name.text === 'signal') return thisField(v.expression);
  }
  return undefined;
}

/** `this.controller` (also `this.controller!`, `this.controller?`): `controller`. */
function thisField(e: ts.Expression): string | undefined {
  let x = stripParens(e);
  if (ts.isNonNullExpression(x)) x = stripParens(x.expression);
  return ts.isPropertyAccessExpression(x) && x.expression.kind === ts.SyntaxKind.ThisKeyword ? x.name.text : undefined;
}

/** `startUdpListener({ port, signal: ingest.signal })`, `dgram.createSocket({ type, signal })`: made with an abort signal. */
export function givenSignal(call: ts.Expression): boolean {
  return (ts.isCallExpression(call) || ts.isNewExpression(call)) && (call.arguments ?? []).some((a) => {
    const o = stripParens(a);
    return ts.isObjectLiteralExpression(o) && findProp(o, 'signal').prop !== undefined;
  });
}
