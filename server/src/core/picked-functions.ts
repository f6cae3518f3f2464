// A function picked by a conditional into a `const` that is then called: `const handler = kind === 'door' ?
// onDoorEvent : onTelemetry; handler(id, payload)` in a message listener calls `onDoorEvent` there.
import { ts } from 'ts-morph';
import { skipOuter } from './ast';

/**
 * For a name that is one branch of a conditional (nested ones too) initializing a `const`, the callee names
 * of that const's calls in its scope, and whether it has uses other than those calls; undefined otherwise.
 */
export function callsThroughPick(id: ts.Identifier, symbolOf: (n: ts.Node) => ts.Symbol | undefined): { calls: ts.Identifier[]; other: boolean } | undefined {
  let branch: ts.Node = id;
  while (ts.isParenthesizedExpression(branch.parent) || (ts.isConditionalExpression(branch.parent) && branch.parent.condition !== branch)) branch = branch.parent;
  const decl = branch.parent;
  if (branch === id || !ts.isVariableDeclaration(decl) || decl.initializer !== branch || !ts.isIdentifier(decl.name) || !(decl.parent.flags & ts.NodeFlags.Const)) return undefined;
  const sym = symbolOf(decl.name);
  const scope = ts.findAncestor(decl, (n) => ts.isBlock(n) || ts.isSourceFile(n));
  if (!sym || !scope) return undefined;
  const calls: ts.Identifier[] = [];
  let other = false;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n !== decl.name && n.text === decl.name.getText() && symbolOf(n) === sym) {
      const p = skipOuterUp(n);
      if (ts.isCallExpression(p.parent) && skipOuter(p.parent.expression) === n) calls.push(n);
      // `if (!handler) return`: a test of it is no use.
      else if (!ts.isPrefixUnaryExpression(p.parent) && !ts.isIfStatement(p.parent)) other = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return calls.length ? { calls, other } : undefined;
}

function skipOuterUp(n: ts.Node): ts.Node {
  let x = n;
  while (ts.isParenthesizedExpression(x.parent) || ts.isNonNullExpression(x.parent)) x = x.parent;
  return x;
}
