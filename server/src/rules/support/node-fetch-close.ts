// node-fetch sends `Connection: close` on every request given no `agent` (node-fetch 2 lib/index.js and 3 src/request.js,
// getNodeRequestOptions: `if (!headers.has('Connection') && !agent) headers.set('Connection', 'close')`): each such
// request opens a new TCP (and TLS) connection and leaves a TIME_WAIT entry. Reported where the code shows it runs at
// least once a second: in the callback of a timer with such a delay (a heartbeat every second).
import { ts } from 'ts-morph';
import { RuleContext } from '../../core/rule';
import { enclosingFunction, findProp, objectOf } from '../../core/syntax';
import { calleeName, skipOuter } from '../../core/ast';
import { skipParensUp } from '../../core/call-shapes';
import { intervalValue, RARE_MS, TIMERS } from '../../core/timer-delays';

const NODE_FETCH_MODULES = new Set(['node-fetch']);

/** The timer call whose callback makes this node-fetch request without an agent at least once a second; else undefined. */
export function nodeFetchClosingEach(ctx: RuleContext, call: ts.CallExpression): ts.CallExpression | undefined {
  const o = ctx.resolver.ofBinding(call.expression);
  if (!o || o.instance || !NODE_FETCH_MODULES.has(o.module) || !['', 'default', 'fetch'].includes(o.path.join('.'))) return undefined;
  const init = call.arguments[1];
  if (init) {
    // Options it cannot see into may carry an agent; a `Connection` header of its own decides instead.
    const obj = objectOf(ctx, init);
    if (!obj) return undefined;
    const agent = findProp(obj, 'agent');
    const headers = findProp(obj, 'headers');
    if (agent.prop || agent.opaque || (headers.value && !ts.isObjectLiteralExpression(skipOuter(headers.value)) && !ts.isCallExpression(skipOuter(headers.value)))) return undefined;
    const own = headers.value && ts.isObjectLiteralExpression(skipOuter(headers.value)) ? skipOuter(headers.value) as ts.ObjectLiteralExpression : undefined;
    if (own && (own.properties.some(ts.isSpreadAssignment) || findProp(own, 'connection').prop || findProp(own, 'Connection').prop)) return undefined;
  }
  const fn = enclosingFunction(call);
  const timer = fn && skipParensUp(fn).parent;
  if (!timer || !ts.isCallExpression(timer) || !TIMERS.has(calleeName(timer) ?? '') || timer.arguments[0] !== skipParensUp(fn)) return undefined;
  const delay = intervalValue(ctx, timer.arguments[1]);
  return calleeName(timer) === 'setInterval' && typeof delay === 'number' && delay <= RARE_MS ? timer : undefined;
}
