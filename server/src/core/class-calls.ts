// A class's calls of its own methods (`this.connect()`), by which the field checks tell how often and when a
// method runs, as far as the class itself shows.
import { ts } from 'ts-morph';

/** The method's name, for finding its `this.name()` calls. */
export function nameOf(method: ts.MethodDeclaration): string | undefined {
  return method.name && (ts.isIdentifier(method.name) || ts.isPrivateIdentifier(method.name)) ? method.name.text : undefined;
}

/** The `this.name()` calls under `root`; with `ownCode`, not those in its nested functions. */
export function thisCalls(root: ts.Node, name: string, ownCode = false): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ownCode && ts.isFunctionLike(n)) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
        n.expression.name.text === name) out.push(n);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(root, visit);
  return out;
}
