// Connections a class is made with by a static factory of its own: `static async open(uri) { const conn = await
// mongoose.createConnection(uri).asPromise(); const nc = await connect(o); return new SessionStore(conn, nc) }`
// with `private constructor(private readonly conn: Connection, private readonly nc: NatsConnection)`. Each one
// ends up in a field, as if the constructor had made it: one the class never closes nor hands on stays open for
// as long as the object lives, and after it (fields.ts reports the same for a field the class assigns itself).
import { ts } from 'ts-morph';
import { findNode, stripParens } from './ast';
import { creationUnder } from './call-shapes';
import { CreatorFinder } from './creators';
import { Assignment, FieldLeak, FIELD_KINDS, report } from './fields';
import { BaseClassOf, fieldUses } from './field-uses';
import type { ProjectFunctionOf } from './borrowing';

export function staticFactoryLeaks(sf: ts.SourceFile, creators: CreatorFinder, functionOf?: ProjectFunctionOf, baseOf?: BaseClassOf): FieldLeak[] {
  const out: FieldLeak[] = [];
  if (!/\bstatic\b/.test(sf.text)) return out; // most files: no walk
  findNode(sf, (n) => {
    if (ts.isClassDeclaration(n)) {
      for (const a of staticFactoryAssignments(n, creators)) {
        const uses = fieldUses(n, a.field, functionOf, baseOf);
        // A WebSocket kept for good is a live client's usual shape (fields.ts leaves it alone too).
        if (!uses.releases && !uses.handsOver && a.match.kind !== 'websocket') out.push(report(a, { node: a.call, kind: 'classNeverCloses' }));
      }
    }
    return false;
  });
  return out;
}

/** For each argument of `new C(…)` in a static method of `C` that is a local the method made a connection in: its field. */
function staticFactoryAssignments(cls: ts.ClassDeclaration, creators: CreatorFinder): Assignment[] {
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
        const field = fieldOfParameter(ctor, i);
        const call = field ? madeInto(member, stripParens(arg)) : undefined;
        const match = call && creators.match(call);
        if (field && call && match && FIELD_KINDS.has(match.kind)) out.push({ field, call, match, member });
      });
      return false;
    });
  }
  return out;
}

const PROPERTY_MODIFIERS = new Set([ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.ReadonlyKeyword]);

/** The field the constructor keeps its `i`th parameter in: a parameter property, or `this.x = param`. */
function fieldOfParameter(ctor: ts.ConstructorDeclaration, i: number): string | undefined {
  const p = ctor.parameters[i];
  if (!p || !ts.isIdentifier(p.name)) return undefined;
  if (p.modifiers?.some((m) => PROPERTY_MODIFIERS.has(m.kind))) return p.name.text;
  const param = p.name.text;
  let field: string | undefined;
  if (ctor.body) findNode(ctor.body, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) &&
        n.left.expression.kind === ts.SyntaxKind.ThisKeyword && ts.isIdentifier(stripParens(n.right)) && (stripParens(n.right) as ts.Identifier).text === param) {
      field = n.left.name.text;
      return true;
    }
    return false;
  });
  return field;
}

/** `const nc = await connect(o)` in the method: the creation a local given as an argument holds. */
function madeInto(method: ts.MethodDeclaration, arg: ts.Expression): ts.CallExpression | ts.NewExpression | undefined {
  if (!ts.isIdentifier(arg)) return undefined;
  let made: ts.CallExpression | ts.NewExpression | undefined;
  findNode(method.body!, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === arg.text && n.initializer) {
      made = creationUnder(n.initializer);
      return true;
    }
    return false;
  }, true);
  return made;
}
