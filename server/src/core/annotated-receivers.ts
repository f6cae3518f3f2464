// A receiver whose class the code writes down as one of the project's: `private readonly transport: Transport`
// (a field or a constructor's parameter property, read as `this.transport`), a parameter or variable annotated so
// (`t: Transport`), a const made with one (`const t = new Transport(o)`), and an annotated field of such a receiver
// (`client.invoices` with `readonly invoices: InvoicesResource` in the client's class). Its methods can be followed
// without inferring a type: the annotation names the class, so `this.transport.raw(o)` runs `Transport.raw`
// (creators.ts, which follows methods only on receivers this cheap to resolve).
import { ts } from 'ts-morph';
import { stripParens } from './ast';
import { classMemberType } from './option-types';

type SymbolOf = (n: ts.Node) => ts.Symbol | undefined;

/** `e` is a receiver whose class, written down as above, is a class of the project (not of a package's typings). */
export function annotatedWithProjectClass(e: ts.Expression, symbolOf: SymbolOf, targetOf: SymbolOf): boolean {
  return !!receiverClass(e, symbolOf, targetOf, 0);
}

function receiverClass(e: ts.Expression, symbolOf: SymbolOf, targetOf: SymbolOf, depth: number): ts.ClassDeclaration | undefined {
  const x = stripParens(e);
  if (ts.isPropertyAccessExpression(x) && (ts.isIdentifier(x.name) || ts.isPrivateIdentifier(x.name))) {
    // `this.transport`: the class around; `client.invoices`: the receiver's class, one step at most.
    const owner = x.expression.kind === ts.SyntaxKind.ThisKeyword ? ts.findAncestor(x, ts.isClassLike)
      : depth < 1 ? receiverClass(x.expression, symbolOf, targetOf, depth + 1) : undefined;
    return classNamed(owner && classMemberType(owner, x.name.text), targetOf);
  }
  if (!ts.isIdentifier(x)) return undefined;
  const d = symbolOf(x)?.valueDeclaration;
  if (d && (ts.isParameter(d) || ts.isVariableDeclaration(d)) && d.type) return classNamed(d.type, targetOf);
  // `const t = new Transport(o)`.
  const init = d && ts.isVariableDeclaration(d) && (d.parent.flags & ts.NodeFlags.Const) !== 0 && d.initializer ? stripParens(d.initializer) : undefined;
  return init && ts.isNewExpression(init) && ts.isIdentifier(init.expression) ? projectClass(init.expression, targetOf) : undefined;
}

function classNamed(type: ts.TypeNode | undefined, targetOf: SymbolOf): ts.ClassDeclaration | undefined {
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  return projectClass(ts.isIdentifier(type.typeName) ? type.typeName : type.typeName.right, targetOf);
}

function projectClass(name: ts.Identifier, targetOf: SymbolOf): ts.ClassDeclaration | undefined {
  const decl = targetOf(name)?.declarations?.[0];
  return decl && ts.isClassDeclaration(decl) && !decl.getSourceFile().isDeclarationFile ? decl : undefined;
}
