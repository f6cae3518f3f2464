// A UDP socket bound to a port (`bind`, `addMembership`) is a listener, like a server: it is meant to keep running.
// Not one bound for the answers a promise waits for, which its executor closes, or which it binds to an ephemeral
// port (`bind(0)`) and sends a probe from (a discovery broadcast: nothing else can reach it once the promise settles),
// nor one that closes itself once its datagram is sent (`socket.send(frame, port, host, (err) => { …; socket.close() })`:
// a one-shot announcement): the paths of those are followed like any socket's.
import { ts } from 'ts-morph';
import { callsMethodOn, findNode, promiseExecutor, stripParens } from './ast';
import { Subject } from './subject';

const BINDS = ['bind', 'addMembership'];

/** `isAlias` tells the names the subject goes by. */
export function bindsForGood(subject: Subject, isAlias: (n: ts.Node) => boolean): boolean {
  const body = subject.fn.body;
  if (!body) return false;
  const calls = (methods: readonly string[], accept = (_: ts.CallExpression) => true) => !!findNode(body, (n) => callsMethodOn(n, methods, isAlias) && accept(n));
  if (!calls(BINDS)) return false;
  if (promiseExecutor(subject.fn.parent) === subject.fn && (calls(['close']) || (calls(['bind'], bindsEphemeral) && calls(['send'])))) return false;
  return !calls(['send'], (send) => closesIn(send.arguments[send.arguments.length - 1], isAlias));
}

/** `callback` is a function that closes the socket (`(err) => { if (err) return; socket.close() }`). */
function closesIn(callback: ts.Expression | undefined, isAlias: (n: ts.Node) => boolean): boolean {
  const cb = callback && stripParens(callback);
  return !!cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) && !!findNode(cb.body, (n) => callsMethodOn(n, ['close'], isAlias));
}

/** `socket.bind(0, cb)`, `socket.bind()`, `socket.bind({ port: 0 })`: a port the system picks, which no peer knows beforehand. */
function bindsEphemeral(bind: ts.CallExpression): boolean {
  const first = bind.arguments[0] && stripParens(bind.arguments[0]);
  if (!first || ts.isArrowFunction(first) || ts.isFunctionExpression(first)) return true;
  if (ts.isNumericLiteral(first)) return first.text === '0';
  if (!ts.isObjectLiteralExpression(first)) return false;
  const port = first.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'port') as ts.PropertyAssignment | undefined;
  return !port || (ts.isNumericLiteral(port.initializer) && port.initializer.text === '0');
}
