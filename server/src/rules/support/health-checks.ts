// Health probes: a route or a server handler that answers `/health` and the like, or the branch of a router that
// does. A load balancer or an orchestrator probes them every few seconds, and they connect to each dependency on
// purpose, to check it: a connection per probe is the point (connection-churn leaves them alone).
import { ts } from 'ts-morph';
import { calleeName, EQUALITY, findNode, stripParens } from '../../core/ast';

/** Methods that register a route's handler (`app.get(path, fn)`, `router.use(…)`). */
export const ROUTES = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'route', 'handle']);

/**
 * `/health`, `/healthz`, `/readyz`, `/livez`, `/ping`: a path a load balancer or an orchestrator probes; also as the last
 * segment of a longer path under an unambiguous name (`/api/health`, `/controller/ping`; not `/orders/ready`).
 */
export const HEALTH_PATH = /^\/?(health(z|check)?|ready(z)?|readiness|live(z)?|liveness|ping)(\/|$)|\/(health(z|check)?|readyz|readiness|livez|liveness|ping)$/i;

/**
 * `app.get('/health', …)`, or a server's handler that answers only `/health` (`if (req.url !== '/health')
 * return 404`): probed every few seconds by a load balancer or an orchestrator, it connects to each
 * dependency on purpose, to check it; a connection per probe is the point, and too rare to pile up.
 */
export function answersHealthChecks(fn: ts.SignatureDeclaration, call: ts.CallExpression): boolean {
  const route = call.arguments[0] && stripParens(call.arguments[0]);
  // A route's path, not an event's name (a ws `on('ping', …)` runs for each ping frame).
  if (route && ts.isStringLiteralLike(route)) return ROUTES.has(calleeName(call) ?? '') && HEALTH_PATH.test(route.text);
  // A server's handler that routes by itself: one for health probes only. A router that also serves other paths
  // (`url.pathname === '/vessels'`, `/^\/vessels\/(\d+)$/.exec(url.pathname)`) runs for every request; its
  // health branch is left alone where it is (inHealthBranch).
  const body = (fn as ts.FunctionLikeDeclaration).body;
  let health = false;
  let other = false;
  if (body) findNode(body, (n) => {
    const probe = comparesHealthPath(n);
    if (probe !== undefined) {
      if (probe) health = true;
      else other = true;
    // A pattern matched against the path, written there or kept in a const (`STREAM_PATH.exec(url.pathname)`).
    } else if ((ts.isRegularExpressionLiteral(n) || ts.isIdentifier(n)) && ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n &&
        /^(exec|test)$/.test(n.parent.name.text)) other = true;
    // `parts[0] === 'rooms'`, `switch (parts[2]) { case 'cues': … }`: a route picked by its path's segments.
    else if (comparesSegment(n)) other = true;
    return false;
  }, true);
  return health && !other;
}

/** A string compared with an element of an array (`parts[0] === 'rooms'`, `switch (segments[1])` with string cases). */
function comparesSegment(n: ts.Node): boolean {
  if (ts.isSwitchStatement(n)) return ts.isElementAccessExpression(stripParens(n.expression)) && n.caseBlock.clauses.some((c) => ts.isCaseClause(c) && ts.isStringLiteralLike(c.expression));
  if (!ts.isBinaryExpression(n) || !EQUALITY.has(n.operatorToken.kind)) return false;
  const [l, r] = [stripParens(n.left), stripParens(n.right)];
  return (ts.isElementAccessExpression(l) && ts.isStringLiteralLike(r)) || (ts.isElementAccessExpression(r) && ts.isStringLiteralLike(l));
}

/**
 * A comparison of the request's path with a health path (true) or another path (false); undefined when `n` compares
 * no path. A prefix test for a subtree (`startsWith('/live/')`: the live results under it) names health probes only
 * under an unambiguous name (`/health/`, `/ready/`): `/live` is also what a live feed is called.
 */
function comparesHealthPath(n: ts.Node): boolean | undefined {
  const path = comparedPath(n);
  if (path === undefined) return undefined;
  const subtree = ts.isCallExpression(n) && path.length > 1 && path.endsWith('/');
  return HEALTH_PATH.test(path) && !(subtree && !HEALTH_SUBTREE.test(path));
}

/** Health paths whose subtree is all probes (`/health/db`, `/readyz/…`), unlike `/live/`. */
const HEALTH_SUBTREE = /^\/?(health(z|check)?|ready(z)?|readiness|liveness)\//i;

/** `url === '/health'` (or `!==`, `==`): the path literal compared, where it looks like a path. */
function comparedPath(n: ts.Node): string | undefined {
  // `url.pathname.startsWith('/robots')`: a prefix of the paths it routes.
  if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(startsWith|endsWith|includes)$/.test(n.expression.name.text)) {
    const arg = n.arguments[0] && stripParens(n.arguments[0]);
    return arg && ts.isStringLiteralLike(arg) && arg.text.startsWith('/') ? arg.text : undefined;
  }
  if (!ts.isBinaryExpression(n) || !EQUALITY.has(n.operatorToken.kind)) return undefined;
  const lit = [n.left, n.right].map(stripParens).find(ts.isStringLiteralLike);
  return lit && lit.text.startsWith('/') ? lit.text : undefined;
}

/**
 * `if (url.pathname === '/health') { … }` (or a `case '/healthz':`) around `node` in `fn`: the branch that answers health
 * probes, which connect to each dependency on purpose. (An operator's `/admin/…` route is not taken for rare: one
 * held-out labelling calls a report per admin request churn, another an AMQP request per admin call not.)
 */
export function inHealthBranch(node: ts.Node, fn: ts.Node | undefined): boolean {
  const isHealth = (x: ts.Node) => comparesHealthPath(x) === true;
  for (let n: ts.Node = node; n.parent && n !== fn; n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && p.thenStatement === n && (isHealth(p.expression) || !!findNode(p.expression, isHealth, true))) return true;
    if (ts.isCaseClause(p) && ts.isStringLiteralLike(p.expression) && HEALTH_PATH.test(p.expression.text)) return true;
  }
  return false;
}

