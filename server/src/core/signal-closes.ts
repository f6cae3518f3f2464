// Node closes what it was made with an AbortSignal when that signal aborts: a UDP socket from
// `dgram.createSocket({ type, signal })`, a server listening with `listen({ port, signal })`, a
// `new net.Socket({ signal })`. A class that makes its connection with the signal of a controller it
// keeps (`signal: this.controller.signal`) and aborts that controller (`this.controller.abort()` in
// `stop()`) closes the connection there.
import { ts } from 'ts-morph';
import { findNode, skipOuter, stripParens, thisField } from './ast';
import { findProp } from './syntax';

/** `call` gets `signal: this.<field>.signal` in an options literal, and some method of `cls` calls `this.<field>.abort()`. */
export function closedBySignal(cls: ts.ClassLikeDeclaration, call: ts.CallExpression | ts.NewExpression): boolean {
  const controller = controllerField(call);
  return !!controller && !!findNode(cls, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'abort' &&
    thisField(skipOuter(n.expression.expression)) === controller);
}

/** The field of `this` whose `.signal` an options literal of the call is given (`signal: this.controller.signal`). */
function controllerField(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const signal = signalOption(call);
  const v = signal && stripParens(signal);
  return v && ts.isPropertyAccessExpression(v) && v.name.text === 'signal' ? thisField(skipOuter(v.expression)) : undefined;
}

/**
 * `startUdpListener({ port, signal: ingest.signal })`, `dgram.createSocket({ type, signal })`: made with an abort signal;
 * also one handed on its own, `runCalibrationWorker(workerAbort.signal)`, a project function's way to be stopped.
 */
export function givenSignal(call: ts.Expression): boolean {
  if (!ts.isCallExpression(call) && !ts.isNewExpression(call)) return false;
  const isSignal = (a: ts.Expression) => {
    const x = stripParens(a);
    return (ts.isPropertyAccessExpression(x) && x.name.text === 'signal') || (ts.isIdentifier(x) && x.text === 'signal');
  };
  return signalOption(call) !== undefined || !!call.arguments?.some(isSignal);
}

/** The `signal` an options literal of the call gives (the property's value, or its name for `{ signal }`). */
function signalOption(call: ts.CallExpression | ts.NewExpression): ts.Expression | undefined {
  for (const a of call.arguments ?? []) {
    const o = stripParens(a);
    const { prop, value } = ts.isObjectLiteralExpression(o) ? findProp(o, 'signal') : { prop: undefined, value: undefined };
    if (prop) return value ?? (ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined);
  }
  return undefined;
}
