// axios with `responseType: 'stream'` rejects a non-2xx answer (its default `validateStatus`) with the
// response in the error: `err.response.data` is then the IncomingMessage itself, unread, holding its
// socket out of the agent's pool (lib/core/settle.js rejects with the response the http adapter built
// around the stream). A `catch` that knows there is a response (it tests `err.response` or its status)
// and returns without reading, destroying or handing on that stream leaves it so: `if (err.response?.status
// === 404) return null`. The path walker follows the resolved response; this follows the rejected one.
import { ts } from 'ts-morph';
import { calleeName, enclosingFunction, FnLike, findNode, stripParens } from './ast';
import { CreatorFinder } from './creators';
import type { FieldLeak } from './fields';
import { makeSubject } from './subject';

/** Calls that look at an error without taking it: a log, a type test. */
const LOOKS_ONLY = /^(isAxiosError|log|info|warn|error|debug|trace|String|format|inspect|stringify)$/;

export function rejectedStreamLeaks(sf: ts.SourceFile, creators: CreatorFinder): FieldLeak[] {
  const out: FieldLeak[] = [];
  if (!sf.text.includes('axios') || !sf.text.includes('catch')) return out;
  const visit = (n: ts.Node): void => {
    // The cheap question first: a call in a `try` that has a `catch`; only then, is it an axios stream request.
    const fn = ts.isCallExpression(n) ? enclosingFunction(n) : undefined;
    const clause = fn && catchOf(n, fn);
    const match = clause && creators.match(n as ts.CallExpression);
    const err = clause?.variableDeclaration && ts.isIdentifier(clause.variableDeclaration.name) ? clause.variableDeclaration.name.text : undefined;
    if (match?.kind === 'response' && match.viaModule === 'axios' && err && !handsOnError(clause!.block, err)) {
      const exits = unreadExits(clause!.block, err);
      if (exits.length) {
        out.push({
          subject: makeSubject('response', fn as FnLike, n as ts.CallExpression, { creation: n as ts.CallExpression }), match,
          exits: exits.map((node) => ({ node, kind: 'rejected' })), sawRelease: true, sawEscape: false,
        });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The `catch` of a `try` around the request in the same function. */
function catchOf(call: ts.Node, fn: ts.Node): ts.CatchClause | undefined {
  for (let n: ts.Node = call; n.parent && n !== fn; n = n.parent) {
    if (ts.isFunctionLike(n)) return undefined;
    if (ts.isTryStatement(n.parent) && n.parent.tryBlock === n) return n.parent.catchClause;
  }
  return undefined;
}

/** The catch reads the stream (`err.response.data`) or hands the error or its response to a call that may. */
function handsOnError(block: ts.Block, err: string): boolean {
  return !!findNode(block, (n) => {
    if (!ts.isIdentifier(n) || n.text !== err) return false;
    let x: ts.Node = n;
    while (ts.isPropertyAccessExpression(x.parent) && x.parent.expression === x) {
      if (x.parent.name.text === 'data') return true;
      x = x.parent;
    }
    const p = x.parent;
    return ts.isCallExpression(p) && p.arguments.includes(x as ts.Expression) && !LOOKS_ONLY.test(calleeName(p) ?? '');
  });
}

/** `return` (or `continue`) statements of the catch under a test that there is a response: `if (err.response?.status === 404) return null`. */
function unreadExits(block: ts.Block, err: string): ts.Statement[] {
  const out: ts.Statement[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if ((ts.isReturnStatement(n) || ts.isContinueStatement(n)) && underResponseTest(n, block, err)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(block);
  return out;
}

function underResponseTest(node: ts.Node, block: ts.Block, err: string): boolean {
  for (let n: ts.Node = node; n !== block; n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && p.thenStatement === n && namesResponse(p.expression, err)) return true;
  }
  return false;
}

/** `err.response`, `err.response?.status === 404`, `axios.isAxiosError(err) && err.response`, not under a `!`. */
function namesResponse(e: ts.Expression, err: string): boolean {
  const x = stripParens(e);
  if (ts.isPrefixUnaryExpression(x)) return false;
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.BarBarToken) return false;
  const negated = (n: ts.Node) => !!findNode(x, (m) => ts.isPrefixUnaryExpression(m) && m.operator === ts.SyntaxKind.ExclamationToken && m.operand.pos <= n.pos && n.end <= m.operand.end);
  const response = (n: ts.Node) => ts.isPropertyAccessExpression(n) && n.name.text === 'response' && ts.isIdentifier(stripParens(n.expression)) &&
    (stripParens(n.expression) as ts.Identifier).text === err && !negated(n);
  return response(x) || !!findNode(x, response, true);
}
