// What a creating call says about itself, read from its arguments: a HEAD request (no body), a
// relative URL (browser code), a server given no handler (it serves nothing).
import { ts } from 'ts-morph';
import { stripParens } from './ast';

/**
 * `fetch(url, { method: 'HEAD' })` has no body to consume; nor does `{ method: m }` inside
 * `if (m === 'HEAD') { … }`.
 */
export function isHeadRequest(node: ts.CallExpression | ts.NewExpression): boolean {
  for (const a of node.arguments ?? []) {
    if (!ts.isObjectLiteralExpression(a)) continue;
    for (const p of a.properties) {
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === 'method' && guardedAsHead(node, 'method')) return true;
      if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name) || p.name.text !== 'method') continue;
      const v = stripParens(p.initializer);
      if (ts.isStringLiteralLike(v) && v.text.toUpperCase() === 'HEAD') return true;
      if (ts.isIdentifier(v) && guardedAsHead(node, v.text)) return true;
    }
  }
  return false;
}

function guardedAsHead(node: ts.Node, name: string): boolean {
  for (let n: ts.Node = node; n.parent && !ts.isFunctionLike(n); n = n.parent) {
    const p = n.parent;
    if (!ts.isIfStatement(p) || p.thenStatement !== n) continue;
    const c = stripParens(p.expression);
    if (ts.isBinaryExpression(c) && (c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken)) {
      const [l, r] = [stripParens(c.left), stripParens(c.right)];
      if ((ts.isIdentifier(l) && l.text === name && ts.isStringLiteralLike(r) && r.text.toUpperCase() === 'HEAD') ||
          (ts.isIdentifier(r) && r.text === name && ts.isStringLiteralLike(l) && l.text.toUpperCase() === 'HEAD')) return true;
    }
  }
  return false;
}

/**
 * The global `fetch` of a URL that starts with `/`: Node's fetch rejects relative URLs ("Failed to
 * parse URL"), so this code runs in a browser, whose connections are not this process's.
 */
export function fetchesRelativeUrl(node: ts.CallExpression | ts.NewExpression): boolean {
  const a = node.arguments?.[0] && stripParens(node.arguments[0]);
  if (!a) return false;
  const head = ts.isStringLiteralLike(a) ? a.text : ts.isTemplateExpression(a) ? a.head.text : undefined;
  return !!head && head.startsWith('/') && !head.startsWith('//');
}

/** Events through which a server receives what it serves. */
export const SERVE_EVENTS = new Set(['request', 'connection', 'secureConnection', 'upgrade', 'connect', 'stream', 'session', 'message', 'checkContinue']);

/** `net.createServer()`, `http.createServer({ keepAlive: true })`: no handler among the arguments. */
export function servesNothing(node: ts.CallExpression | ts.NewExpression): boolean {
  return (node.arguments ?? []).every((a) => ts.isObjectLiteralExpression(stripParens(a)));
}
