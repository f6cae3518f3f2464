// `socket.once('disconnect', () => socket.connect())` before `socket.disconnect()`: a listener for the
// resource's own close that opens it again undoes that close (a Socket.IO client, a reconnecting wrapper).
import { ts } from 'ts-morph';
import { findNode, isStringArg, stripParens } from './ast';
import { LISTEN_METHODS } from './call-shapes';

/** A close whose own event a listener answers by opening the client again. */
const RECONNECT_EVENTS = new Set(['disconnect', 'close']);

/** In `body`, a listener for the resource's `disconnect`/`close` opens it again, so calling `release` does not end it. */
export function reopensAfter(body: ts.Node | undefined, release: string, isAlias: (n: ts.Node) => boolean): boolean {
  if (!body || !RECONNECT_EVENTS.has(release)) return false;
  return !!findNode(body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LISTEN_METHODS.has(n.expression.name.text) &&
    isAlias(stripParens(n.expression.expression)) && isStringArg(n.arguments[0], RECONNECT_EVENTS) && !!n.arguments[1] &&
    !!findNode(n.arguments[1], (x) => ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && ['connect', 'open'].includes(x.expression.name.text) &&
      isAlias(stripParens(x.expression.expression))));
}
