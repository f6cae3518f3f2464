// A catch that tells the HTTP errors its try block throws on purpose from every other failure:
//
//   try {
//     if (clash) { await tx.rollback(); ctx.throw(409, 'already booked'); }
//     …
//   } catch (err) {
//     if (!err.status) await tx.rollback();   // the 409 was rolled back before it was thrown
//     throw err;
//   }
//
// Koa's `ctx.throw()` / `ctx.assert()`, the `http-errors` package and the HttpError classes of applications throw
// errors with a `status` (or `statusCode`, `expose`); a database driver's or a socket's errors have none. When every such throw of
// the try block happens with the resource already released, an error with a status reaching the catch
// holds nothing open, and the branch for it needs no release.
import { ts } from 'ts-morph';
import { calleeName, findNode, stripParens } from './ast';
import { CONTEXT_THROWS } from './catalog';

/** What `http-errors` is imported as, by habit. */
const CREATE_ERROR = new Set(['createError', 'createHttpError', 'httpErrors']);
/** The properties only such errors have. */
const STATUS_PROPS = new Set(['status', 'statusCode', 'expose']);

/**
 * `ctx.throw(409, …)`, `ctx.assert(ok, 404)`, `throw createError(409, …)`, `throw Object.assign(new Error(m), { status: 409 })`,
 * `throw new HttpError(409, m)` of a project class that sets `this.status`: a throw of an error with an HTTP status.
 */
export function isStatusThrow(n: ts.Node, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  if (ts.isThrowStatement(n)) {
    const e = n.expression && stripParens(n.expression);
    if (!e || !(ts.isCallExpression(e) || ts.isNewExpression(e))) return false;
    if (CREATE_ERROR.has(calleeName(e) ?? '')) return true;
    const props = ts.isCallExpression(e) && e.expression.getText() === 'Object.assign' ? e.arguments[1] : undefined;
    if (props && ts.isObjectLiteralExpression(props)) return props.properties.some((p) => !!p.name && STATUS_PROPS.has(p.name.getText()));
    const decl = ts.isNewExpression(e) ? symbolOf(e.expression)?.declarations?.[0] : undefined;
    return !!decl && ts.isClassDeclaration(decl) && setsStatus(decl);
  }
  if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return false;
  const receiver = n.expression.expression;
  return CONTEXT_THROWS.methods.includes(n.expression.name.text) && ts.isIdentifier(receiver) && CONTEXT_THROWS.receivers.includes(receiver.text);
}

/** `class HttpError extends Error { constructor(status, m) { super(m); this.status = status; } }`, or a `status` field of its own. */
function setsStatus(cls: ts.ClassDeclaration): boolean {
  const field = (m: ts.ClassElement) => ts.isPropertyDeclaration(m) && STATUS_PROPS.has(m.name.getText());
  // `constructor(public statusCode: number, …)`: a parameter property.
  const parameterField = (m: ts.ClassElement) => ts.isConstructorDeclaration(m) && m.parameters.some((p) => !!p.modifiers?.length && STATUS_PROPS.has(p.name.getText()));
  return cls.members.some((m) => field(m) || parameterField(m)) ||
    !!findNode(cls, (n) => ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) &&
      n.left.expression.kind === ts.SyntaxKind.ThisKeyword && STATUS_PROPS.has(n.left.name.text));
}

/** The status throws of a try block (not those of functions defined in it, which throw elsewhere). */
export function statusThrowsOf(block: ts.Block, symbolOf: (n: ts.Node) => ts.Symbol | undefined): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (isStatusThrow(n, symbolOf)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(block);
  return out;
}

/** The caught error of a catch clause that tests it for an HTTP status somewhere (`if (!err.status)`). */
export function statusTestedError(clause: ts.CatchClause, symbolOf: (n: ts.Node) => ts.Symbol | undefined): ts.Symbol | undefined {
  const name = clause.variableDeclaration?.name;
  const sym = name && ts.isIdentifier(name) ? symbolOf(name) : undefined;
  return sym && findNode(clause.block, (n) => ts.isExpression(n) && isStatusTest(n, sym, symbolOf), true) ? sym : undefined;
}

/** `err.status`, `(err as HttpError).statusCode`, `err.expose` of the caught error: truthy for an error thrown with an HTTP status. */
export function isStatusTest(e: ts.Expression, caught: ts.Symbol, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  const x = stripParens(e);
  if (!ts.isPropertyAccessExpression(x) || !STATUS_PROPS.has(x.name.text)) return false;
  const target = stripParens(x.expression);
  return ts.isIdentifier(target) && symbolOf(target) === caught;
}
