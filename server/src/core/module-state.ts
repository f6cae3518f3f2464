// A connection a module keeps as its own state: `await mongoose.connect(uri)` opens mongoose's default connection,
// and `mongoose.disconnect()` closes it. The module object itself is the handle (CreatorSpec.moduleState).
import { ts } from 'ts-morph';
import { stripParens } from './ast';
import { inTestCode } from './execution';
import type { CreatorMatch } from './creator-match';
import type { OriginResolver } from './origins';
import { makeSubject, Subject } from './subject';
import { collectAliases } from './aliases';

/**
 * The subject of `mongoose.connect(uri)` in `fn`: its aliases are the module's binding (`mongoose`). One per process by
 * design, so long-lived: what reports it is a function that disconnects it on some paths only, or a script that
 * never does (leak-rule.ts leftOpenByScript). Not in tests, where hooks connect and disconnect it around the suite.
 * None, or one to add to SubjectFinder's discoveries.
 */
export function moduleStateSubjects(node: ts.CallExpression, match: CreatorMatch, fn: Subject['fn'], resolver: OriginResolver): Array<{ subject: Subject; match: CreatorMatch; resourceName: string }> {
  const callee = stripParens(node.expression);
  const module = ts.isPropertyAccessExpression(callee) ? stripParens(callee.expression) : undefined;
  const sym = module && ts.isIdentifier(module) ? resolver.symbolOf(module) : undefined;
  if (!sym || inTestCode(node)) return [];
  const subject = makeSubject(match.kind, fn, node, { creation: node, aliases: new Set([sym]), fixCall: match.fixCall });
  subject.longLived = true;
  collectAliases(subject, resolver);
  return [{ subject, match, resourceName: (module as ts.Identifier).text }];
}
