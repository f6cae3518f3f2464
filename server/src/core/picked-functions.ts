// A function picked by a conditional into a `const` that is then called: `const handler = kind === 'door' ?
// onDoorEvent : onTelemetry; handler(id, payload)` in a message listener calls `onDoorEvent` there.
import { ts } from 'ts-morph';
import { skipOuter, skipOuterUp } from './ast';
import { usesOfName } from './execution';

/**
 * For a name that is one branch of a conditional (nested ones too) initializing a `const`, the callee names
 * of that const's calls, and whether it has uses other than those calls; undefined otherwise.
 */
export function callsThroughPick(id: ts.Identifier, symbolOf: (n: ts.Node) => ts.Symbol | undefined): { calls: ts.Identifier[]; other: boolean } | undefined {
  let branch: ts.Node = id;
  while (ts.isParenthesizedExpression(branch.parent) || (ts.isConditionalExpression(branch.parent) && branch.parent.condition !== branch)) branch = branch.parent;
  const decl = branch.parent;
  if (branch === id || !ts.isVariableDeclaration(decl) || decl.initializer !== branch) return undefined;
  const uses = constUses(decl, symbolOf);
  return uses?.calls.length ? uses : undefined;
}

/**
 * The uses of a `const` bound to a plain name (`const forward = createForwarder(o)`): the callee names of its calls
 * (`forward(r)`), and whether it has other uses than those and tests of it (`if (!handler) return`).
 */
export function constUses(decl: ts.VariableDeclaration, symbolOf: (n: ts.Node) => ts.Symbol | undefined): { calls: ts.Identifier[]; other: boolean } | undefined {
  if (!ts.isIdentifier(decl.name) || !(decl.parent.flags & ts.NodeFlags.Const)) return undefined;
  const sym = symbolOf(decl.name);
  if (!sym) return undefined;
  const calls: ts.Identifier[] = [];
  let other = false;
  for (const u of usesOfName(decl.getSourceFile(), decl.name.text)) {
    if (u === decl.name || symbolOf(u) !== sym) continue;
    const p = skipOuterUp(u).parent;
    if (ts.isCallExpression(p) && skipOuter(p.expression) === u) calls.push(u);
    else if (!ts.isPrefixUnaryExpression(p) && !ts.isIfStatement(p)) other = true;
  }
  return { calls, other };
}
