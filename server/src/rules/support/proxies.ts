// http-proxy servers made without an `agent`: each proxied request opens a connection to the target and
// closes it after its answer (connection-churn `proxyNoAgent`).
import { ts } from 'ts-morph';
import { RuleContext } from '../../core/rule';
import { RelatedLocation, Fix } from '../../core/types';
import { callsIn, findProp, methodCall, objectOf } from '../../core/syntax';
import { skipOuter } from '../../core/ast';
import { skipParensUp } from '../../core/call-shapes';
import { PROXY_METHODS } from './http';

/** How connection-churn reports a finding, and the related location it gives one. */
export type Report = (node: ts.Node, messageId: string, data: Record<string, string>, related: RelatedLocation[], fixes?: Fix[], alongside?: boolean, covering?: ts.Node[]) => void;
export type Rel = (n: ts.Node, message: string) => RelatedLocation[];

/** http-proxy's options literal without `agent` (and no spread that could bring one). */
export function proxyWithoutAgent(ctx: RuleContext, call: ts.CallExpression, api: string, report: Report, rel: Rel): void {
  const opts = call.arguments.map((a) => objectOf(ctx, a)).find((o) => !!o);
  // `createProxyServer()` with no options has no agent either, when no `proxy.web(req, res, opts)` of the
  // file can bring one: each gives none, or options written out without one.
  if (!opts && !call.arguments.length && proxyCalls(ctx, call)?.every((c) => c.arguments.slice(2).every((a) => {
    const o = objectOf(ctx, a);
    return ts.isFunctionLike(skipOuter(a)) || (!!o && !findProp(o, 'agent').prop && !findProp(o, 'agent').opaque);
  }))) report(call, 'proxyNoAgent', { api }, rel(call, 'no options, so no `agent`'));
  if (!opts) return;
  const agent = findProp(opts, 'agent');
  if (agent.prop || agent.opaque) return;
  // A Unix-socket target (`target: { socketPath }`) has no TIME_WAIT: that is TCP only.
  const target = objectOf(ctx, findProp(opts, 'target').value);
  if (target && findProp(target, 'socketPath').prop) return;
  if (agentOnEveryCall(ctx, call)) return;
  report(call, 'proxyNoAgent', { api }, rel(opts, 'its options, with no `agent`'));
}

/**
 * `const proxy = createProxyServer(o)` whose every `proxy.web(req, res, { target, agent })` in the file
 * gives an agent: a call's options override the server's (http-proxy's `web()` merges them).
 */
function agentOnEveryCall(ctx: RuleContext, call: ts.CallExpression): boolean {
  const uses = proxyCalls(ctx, call) ?? [];
  return uses.length > 0 && uses.every((c) => c.arguments.slice(2).some((a) => {
    const o = objectOf(ctx, a);
    return !!o && !!findProp(o, 'agent').prop;
  }));
}

/** The `web()`/`ws()` calls of the file on the proxy `call` makes, when a variable holds it. */
function proxyCalls(ctx: RuleContext, call: ts.CallExpression): ts.CallExpression[] | undefined {
  const decl = skipParensUp(call).parent;
  const proxy = ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) ? ctx.resolver.symbolOf(decl.name) : undefined;
  if (!proxy) return undefined;
  return callsIn(ctx.sourceFile, () => ctx.tick()).filter((c): c is ts.CallExpression => {
    const m = methodCall(c);
    return !!m && PROXY_METHODS.has(m.name) && ts.isIdentifier(skipOuter(m.recv)) && ctx.resolver.symbolOf(skipOuter(m.recv)) === proxy;
  });
}
