// Responses that have no body to hold: a test that starts its own server and requests a route whose
// handler, in the same file, answers with `reply.send()` or `res.end()` and nothing else. The response
// is complete when it arrives (content-length 0), undici has already pooled its connection, and there
// is nothing to consume or cancel.
import { ts } from 'ts-morph';
import { calleeName, stripParens } from './ast';
import { findProp } from './syntax';

/** Methods that register a route by path (Express, Fastify, Koa routers, Hapi-like `route`). */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'delete', 'del', 'patch', 'head', 'options', 'all',
  'mkcol', 'move', 'copy', 'lock', 'unlock', 'propfind', 'proppatch', 'search', 'trace', 'report']);
/** Calls through which a handler sends a body, when given one. */
const SENDS = new Set(['send', 'end', 'json', 'write', 'jsonp', 'render', 'sendFile', 'download', 'pipe', 'redirect', 'sendStatus', 'serialize']);

/** The request made by `call` goes to a route of this file whose every handler answers without a body. */
export function answeredWithoutBody(call: ts.CallExpression | ts.NewExpression): boolean {
  const path = requestPath(call.arguments?.[0]);
  if (!path) return false;
  // The routes of the test around the request; else those registered at the file's top level.
  let outer: ts.Node | undefined;
  for (let p: ts.Node | undefined = call.parent; p; p = p.parent) if (ts.isFunctionLike(p)) outer = p;
  const inTest = outer && routesTo(outer, path, true);
  const found = inTest?.handlers.length || inTest?.unknown ? inTest : routesTo(call.getSourceFile(), path, false);
  return !found.unknown && found.handlers.length > 0 && found.handlers.every(sendsNoBody);
}

/** The handlers registered for `path` under `scope` (into nested functions only when `deep`). */
function routesTo(scope: ts.Node, path: string, deep: boolean): { handlers: ts.FunctionLikeDeclaration[]; unknown: boolean } {
  const handlers: ts.FunctionLikeDeclaration[] = [];
  let unknown = false;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const route = routeOf(n);
      if (route && route.path === path) {
        if (route.handler) handlers.push(route.handler);
        else unknown = true;
        return;
      }
    }
    if (!deep && ts.isFunctionLike(n)) return;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(scope, visit);
  return { handlers, unknown };
}

/** `'/headers'` of `` `${base}/headers` ``, `base + '/headers'`, `'http://h:1/headers'`. */
function requestPath(arg: ts.Expression | undefined): string | undefined {
  const a = arg && stripParens(arg);
  if (!a) return undefined;
  let text: string | undefined;
  if (ts.isStringLiteralLike(a)) text = a.text.replace(/^[a-z]+:\/\/[^/]+/i, '');
  else if (ts.isTemplateExpression(a) && !a.head.text && a.templateSpans.length === 1) text = a.templateSpans[0].literal.text;
  else if (ts.isBinaryExpression(a) && a.operatorToken.kind === ts.SyntaxKind.PlusToken && ts.isStringLiteralLike(a.right)) text = a.right.text;
  if (!text || !text.startsWith('/')) return undefined;
  return text.split('?')[0];
}

function routeOf(n: ts.CallExpression): { path: string; handler?: ts.FunctionLikeDeclaration } | undefined {
  const name = (n.expression as ts.PropertyAccessExpression).name.text;
  const first = n.arguments[0] && stripParens(n.arguments[0]);
  if (ROUTE_METHODS.has(name) && first && ts.isStringLiteralLike(first) && n.arguments.length >= 2) {
    return { path: first.text, handler: handlerOf(n.arguments[n.arguments.length - 1]) };
  }
  if (name === 'route' && first && ts.isObjectLiteralExpression(first)) {
    const value = findProp(first, 'url').value ?? findProp(first, 'path').value;
    const url = value && stripParens(value);
    if (!url || !ts.isStringLiteralLike(url)) return undefined;
    // `handler: (req, reply) => …` or `handler(req, reply) { … }`.
    const h = findProp(first, 'handler');
    return { path: url.text, handler: h.value ? handlerOf(h.value) : h.prop && ts.isMethodDeclaration(h.prop) ? h.prop : undefined };
  }
  return undefined;
}

function handlerOf(e: ts.Expression): ts.FunctionLikeDeclaration | undefined {
  const x = stripParens(e) as ts.Node;
  return ts.isArrowFunction(x) || ts.isFunctionExpression(x) || ts.isMethodDeclaration(x) ? x : undefined;
}

/**
 * The handler answers, and every answer is empty: `reply.send()`, `res.end()`, `reply.code(201).send()`;
 * nothing returned as a payload (an async Fastify handler's return value is the body).
 */
function sendsNoBody(fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return false;
  let empty = 0;
  let other = false;
  const visit = (n: ts.Node): void => {
    if (other) return;
    if (ts.isReturnStatement(n) && n.expression && !isReplyChain(n.expression)) other = true;
    else if (ts.isCallExpression(n) && SENDS.has(calleeName(n) ?? '') && ts.isPropertyAccessExpression(n.expression)) {
      if (n.arguments.length === 0 && (calleeName(n) === 'send' || calleeName(n) === 'end')) empty++;
      else other = true;
    }
    if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return !other && empty > 0;
}

/** `return reply.send()`, `return reply.code(201).send()`: returning the reply itself. */
function isReplyChain(e: ts.Expression): boolean {
  const x = stripParens(e);
  return ts.isCallExpression(x) && (calleeName(x) === 'send' || calleeName(x) === 'end') && x.arguments.length === 0;
}
