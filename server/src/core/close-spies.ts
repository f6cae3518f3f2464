// A test that waits, through a spy, for the resource's own close: the spy is its close listener
// (`ws.onclose = closed`, `sock.on('close', closed)`) and the test awaits the spy's call
// (`await expect.poll(() => closed).toHaveBeenCalledTimes(1)`, `await vi.waitFor(() =>
// expect(closed).toHaveBeenCalled())`). Past that await, the resource is closed, whoever closed it
// (the server's close frame, the peer's FIN): the same as `await once(ws, 'close')`.
import { ts } from 'ts-morph';
import { calleeName, calleeReceiver, findNode, inlineFunction, stripParens } from './ast';
import { LISTEN_METHODS } from './call-shapes';

const CALLED = /^(toHaveBeenCalled|toBeCalled)/;

/** `n` waits for a spy of `body` that is the close listener of a handle (`isHandle`). */
export function awaitsCloseSpy(n: ts.CallExpression, body: ts.Node, isHandle: (e: ts.Expression) => boolean): boolean {
  let awaited: ts.Node = n;
  while (ts.isParenthesizedExpression(awaited.parent)) awaited = awaited.parent;
  if (!ts.isAwaitExpression(awaited.parent)) return false;
  const spy = polledSpy(n) ?? waitedSpy(n);
  return !!spy && !!findNode(body, (x) => listensForClose(x, spy, isHandle));
}

/** `expect.poll(() => spy).toHaveBeenCalledTimes(1)`: the spy's name. */
function polledSpy(n: ts.CallExpression): string | undefined {
  if (!CALLED.test(calleeName(n) ?? '')) return undefined;
  const poll = calleeReceiver(n) && stripParens(calleeReceiver(n)!);
  if (!poll || !ts.isCallExpression(poll) || calleeName(poll) !== 'poll') return undefined;
  const fn = inlineFunction(poll.arguments[0]);
  const value = fn && !ts.isBlock(fn.body) ? stripParens(fn.body) : undefined;
  return value && ts.isIdentifier(value) ? value.text : undefined;
}

/** `vi.waitFor(() => expect(spy).toHaveBeenCalled())`: the spy's name. */
function waitedSpy(n: ts.CallExpression): string | undefined {
  if (calleeName(n) !== 'waitFor') return undefined;
  const fn = inlineFunction(n.arguments[0]);
  const check = fn && !ts.isBlock(fn.body) ? stripParens(fn.body) : undefined;
  if (!check || !ts.isCallExpression(check) || !CALLED.test(calleeName(check) ?? '')) return undefined;
  const expectCall = calleeReceiver(check) && stripParens(calleeReceiver(check)!);
  const spy = expectCall && ts.isCallExpression(expectCall) && calleeName(expectCall) === 'expect' ? expectCall.arguments[0] : undefined;
  return spy && ts.isIdentifier(stripParens(spy)) ? (stripParens(spy) as ts.Identifier).text : undefined;
}

/** `ws.onclose = spy`, `ws.on('close', spy)`, `ws.addEventListener('close', spy)`. */
function listensForClose(x: ts.Node, spy: string, isHandle: (e: ts.Expression) => boolean): boolean {
  const isSpy = (e: ts.Expression | undefined) => !!e && ts.isIdentifier(stripParens(e)) && (stripParens(e) as ts.Identifier).text === spy;
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const target = stripParens(x.left);
    return ts.isPropertyAccessExpression(target) && target.name.text === 'onclose' && isHandle(target.expression) && isSpy(x.right);
  }
  if (!ts.isCallExpression(x) || !LISTEN_METHODS.has(calleeName(x) ?? '')) return false;
  const recv = calleeReceiver(x);
  const event = x.arguments[0] && stripParens(x.arguments[0]);
  return !!recv && isHandle(recv) && !!event && ts.isStringLiteralLike(event) && event.text === 'close' && isSpy(x.arguments[1]);
}
