// Connections a class is made with by a static factory of its own: `static async open(uri) { const conn = await
// mongoose.createConnection(uri).asPromise(); const nc = await connect(o); return new SessionStore(conn, nc) }`
// with `private constructor(private readonly conn: Connection, private readonly nc: NatsConnection)`. Each one
// ends up in a field, as if the constructor had made it: one the class never closes nor hands on stays open for
// as long as the object lives, and after it (fields.ts reports the same for a field the class assigns itself).
import { ts } from 'ts-morph';
import { classesIn, constInitializer, findNode, stripParens } from './ast';
import { creationUnder } from './call-shapes';
import { CreatorFinder } from './creators';
import { Assignment, FieldLeak, FIELD_KINDS, report } from './fields';
import { BaseClassOf, fieldUses } from './field-uses';
import { fieldKeeping } from './wrapper-classes';
import type { ProjectFunctionOf } from './borrowing';
import { endOfLifeReleases } from './forgotten-connections';

export function staticFactoryLeaks(sf: ts.SourceFile, creators: CreatorFinder, symbolOf: (n: ts.Node) => ts.Symbol | undefined,
    functionOf?: ProjectFunctionOf, baseOf?: BaseClassOf): FieldLeak[] {
  if (!/\bstatic\b/.test(sf.text)) return []; // most files: no class walk
  const out: FieldLeak[] = [];
  for (const cls of classesIn(sf)) {
    for (const a of staticFactoryAssignments(cls, creators, symbolOf)) {
      const uses = fieldUses(cls, a.field, functionOf, baseOf);
      // A WebSocket kept for good is a live client's usual shape (fields.ts leaves it alone too). A UDP socket is forgotten
      // only by a class whose end of life closes its other connections (forgotten-connections.ts).
      if (a.match.kind === 'udp-socket' && !endOfLifeReleases(cls, a.field)) continue;
      if (!uses.releases && !uses.handsOver && a.match.kind !== 'websocket') out.push(report(a, { node: a.call, kind: 'classNeverCloses' }));
    }
  }
  return out;
}

/** For each argument of `new C(…)` in a static method of `C` that is a `const` the method made a connection in: its field. */
function staticFactoryAssignments(cls: ts.ClassLikeDeclaration, creators: CreatorFinder, symbolOf: (n: ts.Node) => ts.Symbol | undefined): Assignment[] {
  const ctor = cls.members.find(ts.isConstructorDeclaration);
  const name = cls.name?.text;
  if (!ctor || !name) return [];
  const out: Assignment[] = [];
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member) || !member.body || !member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
    findNode(member.body, (n) => {
      const callee = ts.isNewExpression(n) ? stripParens(n.expression) : undefined;
      if (!callee || !((ts.isIdentifier(callee) && callee.text === name) || callee.kind === ts.SyntaxKind.ThisKeyword)) return false;
      (n as ts.NewExpression).arguments?.forEach((arg, i) => {
        const field = fieldKeeping(ctor, i);
        // `const nc = await connect(o)`: the creation the argument holds.
        const init = field && ts.isIdentifier(stripParens(arg)) ? constInitializer(symbolOf(stripParens(arg))) : undefined;
        const call = init && creationUnder(init);
        const match = call && creators.match(call);
        if (field && call && match && (FIELD_KINDS.has(match.kind) || match.kind === 'udp-socket')) out.push({ field, call, match, member });
      });
      return false;
    });
  }
  return out;
}
