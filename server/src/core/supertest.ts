// supertest's `request(app)`: given an app function or a server that is not listening, it listens on an
// ephemeral port itself and closes that server when the request ends; given a server that is already
// listening (`request(app.listen())`), it uses it and closes nothing (`Test#serverAddress` and
// `Test#end` in ladjs/supertest lib/test.js). So a server handed to it stays the caller's to close.
import { ts } from 'ts-morph';
import { Origin } from './origins';

/** `request(…)` where `request` is supertest's default export, by the origin resolver's binding lookup. */
export function isSupertestRequest(call: ts.Node, ofBinding: (e: ts.Expression) => Origin | undefined): call is ts.CallExpression {
  if (!ts.isCallExpression(call)) return false;
  const o = ofBinding(call.expression);
  return !!o && !o.instance && o.module === 'supertest' && (o.path.length === 0 || o.path.join('.') === 'default');
}
