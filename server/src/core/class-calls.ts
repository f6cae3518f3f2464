// A class's calls of its own methods (`this.connect()`), by which the field checks tell how often and when a
// method runs, as far as the class itself shows.
import { ts } from 'ts-morph';
import { ANY_RELEASE } from './kinds';

/** The method's name, for finding its `this.name()` calls. */
export function nameOf(method: ts.MethodDeclaration): string | undefined {
  return method.name && (ts.isIdentifier(method.name) || ts.isPrivateIdentifier(method.name)) ? method.name.text : undefined;
}

/** The `this.name()` calls under `root`; with `ownCode`, not those in its nested functions. */
export function thisCalls(root: ts.Node, name: string, ownCode = false): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ownCode && ts.isFunctionLike(n) && !invokedInPlace(n)) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
        n.expression.name.text === name) out.push(n);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(root, visit);
  return out;
}

/** `(async () => { for await (const s of nc.status()) … })()`: a function expression called where it is written runs as the code around it. */
export function invokedInPlace(n: ts.Node): boolean {
  if (!ts.isArrowFunction(n) && !ts.isFunctionExpression(n)) return false;
  let x: ts.Node = n;
  while (ts.isParenthesizedExpression(x.parent)) x = x.parent;
  return ts.isCallExpression(x.parent) && x.parent.expression === x;
}

/**
 * `this.#discard(this.ws)`, with `#discard(ws) { ws.removeAllListeners(); ws.terminate() }` in the class: a
 * method of the class, given the value as argument `index`, closes it in its own code.
 */
export function ownMethodClosesArgument(call: ts.CallExpression, index: number): boolean {
  const callee = call.expression;
  const cls = ts.findAncestor(call, ts.isClassLike);
  if (!cls || !ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword) return false;
  const method = cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && nameOf(m) === callee.name.text);
  const param = method?.parameters[index]?.name;
  if (!method?.body || !param || !ts.isIdentifier(param)) return false;
  const closes = (n: ts.Node): boolean => !ts.isFunctionLike(n) && ((ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) &&
    ANY_RELEASE.has(n.expression.name.text) && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === param.text) || !!ts.forEachChild(n, closes));
  return !!ts.forEachChild(method.body, closes);
}
