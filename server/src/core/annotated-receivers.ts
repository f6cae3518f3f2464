// A receiver whose type the code writes down as a class of the project: `private readonly transport: Transport`
// (a field or a constructor's parameter property, read as `this.transport`), or a parameter or variable
// annotated so (`t: Transport`), or a const made with one (`const t = new Transport(o)`). Its methods can be followed without inferring a type: the annotation names
// the class, so `this.transport.raw(o)` runs `Transport.raw` (creators.ts, which follows methods only on
// receivers this cheap to resolve).
import { ts } from 'ts-morph';
import { thisField } from './ast';

/** `e` is `this.f` or a name, declared with a type annotation naming a class of the project (not of a package's typings). */
export function annotatedWithProjectClass(e: ts.Expression, symbolOf: (n: ts.Node) => ts.Symbol | undefined, targetOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  const type = annotationOf(e, symbolOf);
  const made = type ? undefined : constMadeWith(e, symbolOf);
  const name = type && ts.isTypeReferenceNode(type) ? (ts.isIdentifier(type.typeName) ? type.typeName : type.typeName.right)
    : made && ts.isIdentifier(made.expression) ? made.expression : undefined;
  const decl = name && targetOf(name)?.declarations?.[0];
  return !!decl && ts.isClassDeclaration(decl) && !decl.getSourceFile().isDeclarationFile;
}

/** `const t = new Transport(o)`: the `new` a const name is set to. */
function constMadeWith(e: ts.Expression, symbolOf: (n: ts.Node) => ts.Symbol | undefined): ts.NewExpression | undefined {
  const d = ts.isIdentifier(e) ? symbolOf(e)?.valueDeclaration : undefined;
  const init = d && ts.isVariableDeclaration(d) && (d.parent.flags & ts.NodeFlags.Const) !== 0 ? d.initializer : undefined;
  return init && ts.isNewExpression(init) ? init : undefined;
}

function annotationOf(e: ts.Expression, symbolOf: (n: ts.Node) => ts.Symbol | undefined): ts.TypeNode | undefined {
  const field = thisField(e);
  if (field !== undefined) {
    const cls = ts.findAncestor(e, ts.isClassLike);
    for (const m of cls?.members ?? []) {
      if (ts.isPropertyDeclaration(m) && m.name.getText() === field) return m.type;
      // `constructor(private readonly transport: Transport)`: a parameter property.
      if (ts.isConstructorDeclaration(m)) {
        const p = m.parameters.find((x) => ts.isIdentifier(x.name) && x.name.text === field && ts.getModifiers(x)?.length);
        if (p) return p.type;
      }
    }
    return undefined;
  }
  if (!ts.isIdentifier(e)) return undefined;
  const d = symbolOf(e)?.valueDeclaration;
  return d && (ts.isParameter(d) || ts.isVariableDeclaration(d)) ? d.type : undefined;
}
