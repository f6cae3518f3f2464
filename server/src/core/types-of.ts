// The few questions the analysis asks the type checker about values (not about where they come from:
// that is origins.ts).
import { ts } from 'ts-morph';

/** The checker's type of an expression, or undefined where the checker throws (code it cannot type). */
export function typeAt(checker: ts.TypeChecker, e: ts.Node): ts.Type | undefined {
  try {
    return checker.getTypeAtLocation(e);
  } catch {
    return undefined;
  }
}

/**
 * The switch's cases cover every member of the union type of its expression (string, number or enum
 * literals): `switch (kind) { case 'a': … case 'b': … }` over `'a' | 'b'` has no path on which no case
 * runs. The type is one the project declares; with no type to go on, the answer is no.
 */
export function coversUnion(checker: ts.TypeChecker, n: ts.SwitchStatement): boolean {
  const type = typeAt(checker, n.expression);
  if (!type) return false;
  const members = type.isUnion() ? type.types : [type];
  const wanted = new Set<string>();
  for (const m of members) {
    if (m.isStringLiteral() || m.isNumberLiteral()) wanted.add(String(m.value));
    else if (m.flags & ts.TypeFlags.BooleanLiteral) wanted.add((m as unknown as { intrinsicName: string }).intrinsicName);
    else return false;
  }
  for (const clause of n.caseBlock.clauses) {
    if (!ts.isCaseClause(clause)) continue;
    const t = typeAt(checker, clause.expression);
    if (!t) continue;
    if (t.isStringLiteral() || t.isNumberLiteral()) wanted.delete(String(t.value));
    else if (t.flags & ts.TypeFlags.BooleanLiteral) wanted.delete((t as unknown as { intrinsicName: string }).intrinsicName);
  }
  return wanted.size === 0;
}
