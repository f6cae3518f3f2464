// `Connection: close` set by the code on a client request, or on every response a server handler sends: each
// connection serves one request, and the side that closes first keeps its TIME_WAIT entry (connection-churn's
// `requestClose` and `responseClose`).
import { ts } from 'ts-morph';
import { RuleContext } from '../../core/rule';
import { connectionCloseHeader, enclosingFunction, isCloseValue, methodCall, objectOf, originOf } from '../../core/syntax';
import { inTestCode } from '../../core/execution';
import { findNode, skipOuter } from '../../core/ast';
import { skipParensUp } from '../../core/call-shapes';
import { Rel, Report } from './proxies';
import { runsSeldom } from './frequency';
import { responseParam, runsEveryTime } from './http';

/** `req.setHeader('Connection', 'close')` on a client request; on every response of a server handler. */
export function headerCall(ctx: RuleContext, m: NonNullable<ReturnType<typeof methodCall>>, report: Report, rel: Rel): void {
  const { recv, name, call } = m;
  const args = call.arguments;
  let header: ts.Node | undefined;
  if (['setHeader', 'set', 'header', 'appendHeader'].includes(name) && args[0] && ts.isStringLiteralLike(args[0]) &&
      args[0].text.toLowerCase() === 'connection' && isCloseValue(args[1])) header = call;
  if (name === 'writeHead') {
    const h = objectOf(ctx, args[args.length - 1]);
    header = h && connectionCloseHeader(h);
  }
  if (!header) return;
  const o = originOf(ctx, recv);
  if (o && o.instance && (o.module === 'http' || o.module === 'https') && ['request', 'get', 'ClientRequest'].includes(o.path.join('.'))) {
    if (name !== 'writeHead' && !runsSeldom(ctx, call)) report(header, 'requestClose', {}, rel(call, 'set on this client request'));
    return;
  }
  const fn = enclosingFunction(call);
  const stmt = call.parent;
  // A test's server answers the test's few requests: closing each connection is usually what it checks.
  if (!fn || !ts.isExpressionStatement(stmt) || !runsEveryTime(stmt, fn) || inTestCode(call) || closesItsServer(ctx, fn)) return;
  const res = responseParam(ctx, fn);
  if (res && ts.isIdentifier(skipOuter(recv)) && ctx.resolver.symbolOf(skipOuter(recv)) === res) {
    report(header, 'responseClose', {}, rel(fn, 'the request handler that sets it on every response'));
  }
}

/**
 * `const server = http.createServer((req, res) => { …; server.close() })`: a one-shot server (the
 * redirect target of a CLI's OAuth login) that stops after its answer. There is no next request.
 */
function closesItsServer(ctx: RuleContext, handler: ts.Node): boolean {
  const made = skipParensUp(handler as ts.Expression).parent;
  const decl = ts.isCallExpression(made) || ts.isNewExpression(made) ? skipParensUp(made).parent : undefined;
  if (!decl || !ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return false;
  const server = ctx.resolver.symbolOf(decl.name);
  return !!server && !!findNode(handler, (n) => {
    const m = ts.isCallExpression(n) ? methodCall(n) : undefined;
    return !!m && m.name === 'close' && ts.isIdentifier(skipOuter(m.recv)) && ctx.resolver.symbolOf(skipOuter(m.recv)) === server;
  });
}
