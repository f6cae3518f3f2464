// Responses a test's own server makes large: a test that starts a server and requests a route whose
// handler, in the same file, answers with a body of a known size above undici's 64 KiB buffer
// (`'x'.repeat(1e6)`, `Buffer.alloc(1 << 20)`). Such a body is not taken in whole: left unread, it
// pauses the parser and holds the connection, and the server's `close()` waits for it. A test's other
// responses are a few bytes, which the client buffers and lets go of (leak-rule.ts).
import { ts } from 'ts-morph';
import { calleeName, findNode, stripParens } from './ast';
import { findProp } from './syntax';

/** undici's body buffer (node-socket-semantics.md §5): a larger body is not taken in whole. */
const BUFFERED_BYTES = 64 * 1024;

/** Methods that register a route by path (Express, Fastify, Koa routers, Hapi-like `route`). */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'delete', 'del', 'patch', 'head', 'options', 'all',
  'mkcol', 'move', 'copy', 'lock', 'unlock', 'propfind', 'proppatch', 'search', 'trace', 'report']);

/** The request made by `call` goes to a route of this file some handler of which answers with a body larger than undici buffers. */
export function answeredWithLargeBody(call: ts.CallExpression | ts.NewExpression): boolean {
  const path = requestPath(call.arguments?.[0]);
  if (!path) return false;
  // The routes of the test around the request; else those registered at the file's top level.
  let outer: ts.Node | undefined;
  for (let p: ts.Node | undefined = call.parent; p; p = p.parent) if (ts.isFunctionLike(p)) outer = p;
  const inTest = outer && routesTo(outer, path, true);
  const found = inTest?.handlers.length || inTest?.unknown ? inTest : routesTo(call.getSourceFile(), path, false);
  return found.handlers.some(makesLargeBody);
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
 * The handler builds a payload of a constant size above the buffer: `'x'.repeat(n)`, `Buffer.alloc(n)`,
 * `Buffer.allocUnsafe(n)`, `new Uint8Array(n)`, `randomBytes(n)`, in its body or in a variable of the
 * file it names.
 */
function makesLargeBody(fn: ts.FunctionLikeDeclaration): boolean {
  const sf = fn.getSourceFile();
  const seen = new Set<string>();
  const large = (n: ts.Node): boolean => {
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && SIZED.has(calleeName(n) ?? '') && (sizeOf(n.arguments?.[0]) ?? 0) > BUFFERED_BYTES) return true;
    if (ts.isIdentifier(n) && !seen.has(n.text)) {
      seen.add(n.text);
      const init = initializerOf(sf, n.text);
      if (init && large(init)) return true;
    }
    return !!ts.forEachChild(n, (c) => large(c) || undefined);
  };
  return !!fn.body && large(fn.body);
}

const SIZED = new Set(['repeat', 'alloc', 'allocUnsafe', 'Uint8Array', 'randomBytes']);

/** A constant size: `1e6`, `1024 * 1024`, `1 << 20`. */
function sizeOf(e: ts.Expression | undefined): number | undefined {
  const x = e && stripParens(e);
  if (!x) return undefined;
  if (ts.isNumericLiteral(x)) return Number(x.text);
  if (ts.isBinaryExpression(x)) {
    const [l, r] = [sizeOf(x.left), sizeOf(x.right)];
    if (l === undefined || r === undefined) return undefined;
    if (x.operatorToken.kind === ts.SyntaxKind.AsteriskToken) return l * r;
    if (x.operatorToken.kind === ts.SyntaxKind.LessThanLessThanToken) return l * 2 ** r;
    if (x.operatorToken.kind === ts.SyntaxKind.PlusToken) return l + r;
  }
  return undefined;
}

/** The initializer of a variable of this name declared in the file (a test's payload constant). */
function initializerOf(sf: ts.SourceFile, name: string): ts.Expression | undefined {
  const decl = findNode(sf, (n) => ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && !!n.initializer);
  return (decl as ts.VariableDeclaration | undefined)?.initializer;
}
