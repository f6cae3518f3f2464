// A catch that tells the errors its try block throws on purpose from every other failure:
//
//   try {
//     if (clash) { await tx.rollback(); ctx.throw(409, 'already booked'); }
//     if (row.LockedBy) { await tx.rollback(); throw new SetpointRejected('locked'); }
//     …
//   } catch (err) {
//     if (!err.status && !(err instanceof SetpointRejected)) await tx.rollback();   // both were rolled back already
//     throw err;
//   }
//
// Two kinds of test pick such errors out. An HTTP status (`err.status`, `statusCode`, `expose`): Koa's `ctx.throw()` /
// `ctx.assert()`, the `http-errors` package and the HttpError classes of applications throw errors with one; a database
// driver's or a socket's errors have none. And a class of the project (`err instanceof SetpointRejected`) the try block
// throws with `throw new SetpointRejected(…)`. When every such throw of the try block happens with the resource already
// released, an error that passes the test holds nothing open, and the branch for it needs no release.
import { ts } from 'ts-morph';
import { calleeName, findNode, functionOfDeclaration, stripParens } from './ast';
import { CONTEXT_THROWS } from './catalog';

/** What `http-errors` is imported as, by habit. */
const CREATE_ERROR = new Set(['createError', 'createHttpError', 'httpErrors']);
/** The properties only such errors have. */
const STATUS_PROPS = new Set(['status', 'statusCode', 'expose']);

/**
 * `ctx.throw(409, …)`, `ctx.assert(ok, 404)`, `throw createError(409, …)`, `throw Object.assign(new Error(m), { status: 409 })`,
 * `throw new HttpError(409, m)` of a project class that sets `this.status`: a throw of an error with an HTTP status.
 */
function isStatusThrow(n: ts.Node, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  if (ts.isThrowStatement(n)) {
    const e = n.expression && stripParens(n.expression);
    if (!e || !(ts.isCallExpression(e) || ts.isNewExpression(e))) return false;
    if (CREATE_ERROR.has(calleeName(e) ?? '')) return true;
    const props = ts.isCallExpression(e) && e.expression.getText() === 'Object.assign' ? e.arguments[1] : undefined;
    if (props && ts.isObjectLiteralExpression(props)) return props.properties.some((p) => !!p.name && STATUS_PROPS.has(p.name.getText()));
    const decl = ts.isNewExpression(e) ? symbolOf(e.expression)?.declarations?.[0] : undefined;
    return !!decl && ts.isClassDeclaration(decl) && setsStatus(decl);
  }
  return ts.isCallExpression(n) && isContextThrow(n);
}

/** Koa's `ctx.throw(404, msg)`, which throws an HTTP error, and `ctx.assert(value, 404)`, which does when the value is falsy. */
export function isContextThrow(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && CONTEXT_THROWS.methods.includes(callee.name.text) && ts.isIdentifier(callee.expression) &&
    CONTEXT_THROWS.receivers.includes(callee.expression.text);
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
function statusThrowsOf(block: ts.Block, symbolOf: (n: ts.Node) => ts.Symbol | undefined): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (isStatusThrow(n, symbolOf)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(block);
  return out;
}

/** What a catch tests its error for: an HTTP status, or being an instance of a class (its symbol). */
export type OwnErrorKind = 'status' | ts.Symbol;

/** The tests of the caught error in a catch clause (`err.status`, `err instanceof SetpointRejected`), by kind. */
export function ownErrorTests(clause: ts.CatchClause, symbolOf: (n: ts.Node) => ts.Symbol | undefined): { caught: ts.Symbol; kinds: OwnErrorKind[] } | undefined {
  const name = clause.variableDeclaration?.name;
  const caught = name && ts.isIdentifier(name) ? symbolOf(name) : undefined;
  if (!caught) return undefined;
  const kinds = new Set<OwnErrorKind>();
  findNode(clause.block, (n) => {
    const kind = ts.isExpression(n) ? testedKind(n, caught, symbolOf) : undefined;
    if (kind) kinds.add(kind);
    return false;
  }, true);
  return kinds.size ? { caught, kinds: [...kinds] } : undefined;
}

/** The throws of the try block that make errors of that kind. */
export function ownThrowsOf(block: ts.Block, kind: OwnErrorKind, symbolOf: (n: ts.Node) => ts.Symbol | undefined): ts.Node[] {
  if (kind === 'status') return statusThrowsOf(block, symbolOf);
  const out: ts.Node[] = [];
  let elsewhere = false;
  findNode(block, (n) => {
    const e = ts.isThrowStatement(n) && n.expression ? stripParens(n.expression) : undefined;
    if (e && ts.isNewExpression(e) && symbolOf(e.expression) === kind) out.push(n);
    // `assertUnlocked(row)`, a function of the project that throws one itself, maybe with the resource open.
    if (ts.isCallExpression(n) && throwsClass(n, kind.name, symbolOf)) elsewhere = true;
    return false;
  }, true);
  return elsewhere ? [] : out;
}

/** The call's function, of the project, has a `throw new <name>(…)` of its own. */
function throwsClass(call: ts.CallExpression, name: string, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  const callee = stripParens(call.expression);
  const decl = symbolOf(ts.isPropertyAccessExpression(callee) ? callee.name : callee)?.declarations?.[0];
  const fn = decl && functionOfDeclaration(decl);
  const body = fn && !fn.getSourceFile().isDeclarationFile ? fn.body : undefined;
  return !!body && !!findNode(body, (n) => ts.isThrowStatement(n) && !!n.expression && ts.isNewExpression(stripParens(n.expression)) &&
    (stripParens(n.expression) as ts.NewExpression).expression.getText() === name, true);
}

/**
 * `err.status`, `(err as HttpError).statusCode`, `err.expose` ('status'), `err instanceof SetpointRejected` (its class) of
 * the caught error: truthy only for an error of that kind.
 */
export function testedKind(e: ts.Expression, caught: ts.Symbol, symbolOf: (n: ts.Node) => ts.Symbol | undefined): OwnErrorKind | undefined {
  const x = stripParens(e);
  const isCaught = (t: ts.Expression) => ts.isIdentifier(stripParens(t)) && symbolOf(stripParens(t)) === caught;
  if (ts.isPropertyAccessExpression(x) && STATUS_PROPS.has(x.name.text) && isCaught(x.expression)) return 'status';
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword && isCaught(x.left)) {
    // A class of the project or one it imports, not `Error` or another global of the library files.
    const cls = symbolOf(x.right);
    return cls?.declarations?.length && cls.declarations.every((d) => !d.getSourceFile().isDeclarationFile) ? cls : undefined;
  }
  return undefined;
}
