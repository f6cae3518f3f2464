// Boolean flags a function keeps about the resource it follows, which tell a condition's branches apart:
// - a run-once flag of a shutdown helper (`if (stopping) return; stopping = true;`), kept outside the
//   function, true only once an earlier call already ran (and closed);
// - a "released" flag of its own (`attachStream(res); attached = true;` … `finally { if (!attached)
//   discard(res) }`), true only past the statement that hands the resource to its consumer.
import { ts } from 'ts-morph';
import { isNullLiteral, skipOuter, within } from './ast';
import { isEndListener } from './relays';
import { Subject } from './subject';

type SymbolOf = (n: ts.Node) => ts.Symbol | undefined;

/** A flag kept outside the function, which the function itself sets to `true`. */
export function isRunOnceFlag(e: ts.Expression, subject: Subject, symbolOf: SymbolOf): boolean {
  const flag = ts.isIdentifier(e) ? symbolOf(e) : undefined;
  const body = subject.fn.body;
  if (!flag || !body || flag.declarations?.some((d) => within(d, body))) return false;
  return assignments(body, flag, symbolOf, false).some((a) => a.right.kind === ts.SyntaxKind.TrueKeyword);
}

/**
 * A `let` of the function, `false` at first, set only to `true` and only right after a statement that
 * names the resource (`attachStream(res, ctx); attached = true;`), before one in the same block
 * (`settled = true; cleanup(); conn.close();`) or in a listener for its end (`conn.once('end', () => {
 * settled = true; … })`): where it is true, the resource was handed on, released or ended. Prefer
 * silence: a statement that only names it counts too.
 */
export function isReleasedFlag(e: ts.Expression, subject: Subject, symbolOf: SymbolOf, namesResource: (n: ts.Node) => boolean): boolean {
  const flag = ts.isIdentifier(e) ? symbolOf(e) : undefined;
  const decl = flag?.declarations?.[0];
  const body = subject.fn.body;
  // `let settled = false`, or `let reader;` set only from the resource (`reader = res.body.getReader()`): truthy once it is taken.
  const init = decl && ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
  const unset = !init || isNullLiteral(init);
  if (!flag || !body || !decl || !ts.isVariableDeclaration(decl) || !within(decl, body) || !(decl.parent.flags & ts.NodeFlags.Let) ||
      (init?.kind !== ts.SyntaxKind.FalseKeyword && !unset)) return false;
  // Each branch on the flag asks again: its assignments are walked once per subject.
  let known = RELEASED_FLAGS.get(subject);
  if (!known) RELEASED_FLAGS.set(subject, (known = new Map()));
  let released = known.get(flag);
  if (released === undefined) {
    const sets = assignments(body, flag, symbolOf, true);
    released = sets.length > 0 && sets.every((a) => {
      if (unset) return madeFromResource(a.right, namesResource);
      const st = a.parent;
      if (a.right.kind !== ts.SyntaxKind.TrueKeyword || !ts.isExpressionStatement(st) || !ts.isBlock(st.parent)) return false;
      const statements = st.parent.statements;
      const at = statements.indexOf(st);
      return (at > 0 && namesResource(statements[at - 1])) || statements.slice(at + 1).some(namesResource) || inEndListenerOf(st.parent.parent, namesResource);
    });
    known.set(flag, released);
  }
  return released;
}

const RELEASED_FLAGS = new WeakMap<Subject, Map<ts.Symbol, boolean>>();

/** `res.body.getReader()`, `await sock.pipe(out)`: a chain of calls on the resource itself, not a callback that names it. */
function madeFromResource(e: ts.Expression, namesResource: (n: ts.Node) => boolean): boolean {
  let x = skipOuter(e);
  if (!ts.isCallExpression(x)) return false;
  while (ts.isCallExpression(x) || ts.isPropertyAccessExpression(x)) x = skipOuter(x.expression);
  return ts.isIdentifier(x) && namesResource(x);
}

/** `conn.once('end', fn)`: `fn` is a listener for the end of what `namesResource` names. */
function inEndListenerOf(fn: ts.Node, namesResource: (n: ts.Node) => boolean): boolean {
  const call = fn.parent;
  return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isCallExpression(call) && call.arguments.includes(fn) &&
    isEndListener(call) && ts.isPropertyAccessExpression(call.expression) && namesResource(call.expression.expression);
}

/** `flag = …` in `body`, and in the functions nested in it when `nested`. */
function assignments(body: ts.Node, flag: ts.Symbol, symbolOf: SymbolOf, nested: boolean): ts.BinaryExpression[] {
  const out: ts.BinaryExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && !nested) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && symbolOf(n.left) === flag) out.push(n);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return out;
}
