// A server's own route table: `['POST', /^\/attempts\/([\w-]+)\/snapshots$/, async (req, res, params, body) => …]`, an
// entry of an array the server's handler matches each request against; and a route object as hapi's `server.route()` and
// fastify's `route()` take it, `{ method: 'POST', path: '/shows/{id}/cues', handler }`, wherever the project builds it (a
// module returning its routes). Their handler answers every request of the route.
import { ts } from 'ts-morph';
import { skipParensUp } from '../../core/call-shapes';
import { findProp } from '../../core/syntax';
import { HEALTH_PATH } from './health-checks';

/** HTTP request methods, as a route table names them (and as a Next.js App Router `route.ts` exports its handlers). */
export const HTTP_VERBS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/**
 * The function is an element of an array literal that also holds an HTTP method (`'POST'`) and a path (a string that
 * starts with `/`, or a regular expression): a route of the table. Not a health probe's (HEALTH_PATH), which connects
 * on purpose.
 */
export function routeTableHandler(fn: ts.Node): boolean {
  const entry = skipParensUp(fn as ts.Expression).parent;
  if (!ts.isArrayLiteralExpression(entry) || !entry.elements.includes(skipParensUp(fn as ts.Expression) as ts.Expression)) return false;
  const method = entry.elements.some((e) => ts.isStringLiteralLike(e) && HTTP_VERBS.has(e.text.toUpperCase()));
  // `/^\/healthz$/` → `/healthz`.
  const literal = (e: ts.Expression) => e.getText().replace(/^\/\^?|\$?\/[a-z]*$/g, '').replace(/\\\//g, '/');
  const path = entry.elements.map((e) => (ts.isRegularExpressionLiteral(e) ? literal(e) : ts.isStringLiteralLike(e) && e.text.startsWith('/') ? e.text : undefined))
    .find((p) => p !== undefined);
  return method && path !== undefined && !HEALTH_PATH.test(path);
}

/**
 * The function is the `handler` of an object literal that also names an HTTP method (`method: 'POST'`, `['GET', 'HEAD']`
 * or hapi's `'*'`) and a path (`path` or `url`, starting with `/`): a hapi or fastify route. True when the route answers
 * health probes (HEALTH_PATH), false when it answers other requests, undefined when the function is no route's handler.
 */
export function routeObjectProbes(fn: ts.Node): boolean | undefined {
  const up = skipParensUp(fn as ts.Expression);
  const member = ts.isMethodDeclaration(fn) ? fn : up.parent;
  if (!(ts.isMethodDeclaration(member) || (ts.isPropertyAssignment(member) && member.initializer === up)) || member.name.getText() !== 'handler') return undefined;
  const route = member.parent;
  if (!ts.isObjectLiteralExpression(route)) return undefined;
  const method = findProp(route, 'method').value;
  const verbs = method && ts.isArrayLiteralExpression(method) ? method.elements : method ? [method] : [];
  const isVerb = (e: ts.Expression) => ts.isStringLiteralLike(e) && (HTTP_VERBS.has(e.text.toUpperCase()) || e.text === '*');
  const path = findProp(route, 'path').value ?? findProp(route, 'url').value;
  return verbs.length > 0 && verbs.every(isVerb) && path && ts.isStringLiteralLike(path) && path.text.startsWith('/') ? HEALTH_PATH.test(path.text) : undefined;
}
