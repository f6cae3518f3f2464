// A connection kept one per key in a collection (evictions.ts) and replaced: the method reads the entry for
// a key, then stores a new connection under it on a path where the old one is still there, and nothing
// closes the old one (a reconfiguration that changed the URL, a reconnect).
import { ts } from 'ts-morph';
import { findNode, isNullLiteral, skipOuter } from './ast';
import { CLOSED_FLAGS, NOT_OPEN_FLAGS, OPEN_FLAGS } from './state-tests';

/**
 * `const current = this.feeds.get(id); if (current && current.url === url) continue; … this.feeds.set(id, feed)`:
 * the method reads the entry it then replaces and, on a path where it is there, stores the new one over it
 * without closing it (a change of configuration, a reconnect). Any call on the old entry or hand-off of it
 * (`current.stop()`, `retire(current)`) counts as closing it; reads of its properties and tests do not. A
 * guard that leaves whenever the entry is there (`if (current) continue`), or a store under `if (!current)`,
 * keeps the old one. The store, or nothing.
 */
export function replacedUnclosed(body: ts.Block, store: ts.CallExpression, isCollection: (e: ts.Expression) => boolean): ts.CallExpression | undefined {
  if (!ts.isPropertyAccessExpression(store.expression) || store.expression.name.text !== 'set' || store.arguments.length < 2) return undefined;
  const key = store.arguments[0].getText();
  const isRead = (x: ts.Expression | undefined) => {
    const c = x && skipOuter(x);
    return !!c && ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'get' &&
      isCollection(c.expression.expression) && c.arguments[0]?.getText() === key;
  };
  const previous = findNode(body, (n) => ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.end < store.pos && isRead(n.initializer), true) as ts.VariableDeclaration | undefined;
  if (!previous || !ts.isIdentifier(previous.name)) return undefined;
  const name = previous.name.text;
  const isPrevious = (x: ts.Expression) => ts.isIdentifier(skipOuter(x)) && (skipOuter(x) as ts.Identifier).text === name;
  const handled = findNode(body, (n) => {
    if (!ts.isIdentifier(n) || n.text !== name || n.pos < previous.end || n.end > store.pos) return false;
    const p = n.parent;
    // `current.readyState === OPEN`, `current.destroyed`: replaced because of its state, which is most often closed.
    if (ts.isPropertyAccessExpression(p) && p.expression === n) return (ts.isCallExpression(p.parent) && p.parent.expression === p) || STATES.has(p.name.text);
    return !inTest(n);
  });
  if (handled) return undefined;
  // Entries read before and guards: `if (current) continue`, `if (!current) { …; this.feeds.set(id, feed) }`.
  const present = (c: ts.Expression): boolean | undefined => {
    const x = skipOuter(c);
    if (isPrevious(x)) return true;
    if (ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken) {
      const inner = present(x.operand);
      return inner === undefined ? undefined : !inner;
    }
    if (ts.isBinaryExpression(x) && (isPrevious(x.left) && isNullLiteral(x.right))) {
      const negated = x.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || x.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken;
      return negated ? true : x.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || x.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken ? false : undefined;
    }
    return undefined;
  };
  for (let n: ts.Node = store; n !== body; n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && n !== p.expression && present(p.expression) === (n === p.elseStatement)) return undefined;
    if (ts.isBlock(p) || ts.isSourceFile(p)) {
      for (const st of (p as ts.Block).statements) {
        if (st.end > n.pos) break;
        if (st.pos > previous.pos && ts.isIfStatement(st) && !st.elseStatement && present(st.expression) === true && exitsAlways(st.thenStatement)) return undefined;
      }
    }
  }
  return store;
}

/** Properties that tell whether a connection is open (state-tests.ts), and the usual names of its state. */
const STATES = new Set([...CLOSED_FLAGS, ...NOT_OPEN_FLAGS, ...OPEN_FLAGS, 'readyState', 'state', 'status', 'isReady', 'ready', 'alive', 'isAlive']);

/** Where a name is only tested: an `if`'s or a loop's condition, an operand of `!`, `&&`, `||`, `??` or a comparison. */
function inTest(n: ts.Node): boolean {
  let x: ts.Node = n;
  for (;;) {
    const p = x.parent;
    if (ts.isParenthesizedExpression(p) || (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken)) x = p;
    else if (ts.isBinaryExpression(p) && TESTING_OPERATORS.has(p.operatorToken.kind)) x = p;
    else return (ts.isIfStatement(p) || ts.isWhileStatement(p) || ts.isConditionalExpression(p)) && (p as ts.IfStatement).expression === x ||
      (ts.isConditionalExpression(p) && p.condition === x);
  }
}

const TESTING_OPERATORS = new Set([
  ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
]);

/** `continue`, `return`, `throw`, `break`, or a block that ends with one. */
function exitsAlways(s: ts.Statement): boolean {
  const last = ts.isBlock(s) ? s.statements[s.statements.length - 1] : s;
  return !!last && (ts.isContinueStatement(last) || ts.isReturnStatement(last) || ts.isThrowStatement(last) || ts.isBreakStatement(last));
}
