// A server's own route table: `['POST', /^\/attempts\/([\w-]+)\/snapshots$/, async (req, res, params, body) => …]`, an
// entry of an array the server's handler matches each request against. Its handler answers every request of the route.
import { ts } from 'ts-morph';
import { skipParensUp } from '../../core/call-shapes';
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
