// What ends the process: `process.exit()` (also `exit` imported from `node:process`), and statements or
// callbacks that reach it before anything else can leave. Whatever a run left open dies with the process.
import { ts } from 'ts-morph';
import { stripParens } from './ast';

/** `process.exit(…)`, `process.abort()`, `process.kill(process.pid, …)`: nothing after them runs. */
export function isProcessExit(call: ts.CallExpression): boolean {
  const c = stripParens(call.expression);
  // `import { exit } from 'node:process'; … exit(1)`.
  if (ts.isIdentifier(c)) return importedFromProcess(call.getSourceFile(), c.text) === 'exit';
  if (!ts.isPropertyAccessExpression(c) || !ts.isIdentifier(c.expression) || c.expression.text !== 'process') return false;
  if (c.name.text === 'exit' || c.name.text === 'abort' || c.name.text === 'reallyExit') return true;
  const target = call.arguments[0];
  return c.name.text === 'kill' && !!target && ts.isPropertyAccessExpression(target) && target.name.text === 'pid';
}

/** The export of Node's `process` module that a file imports under `local` (`import { exit as quit } from 'node:process'`). */
function importedFromProcess(sf: ts.SourceFile, local: string): string | undefined {
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !/^(node:)?process$/.test(st.moduleSpecifier.text)) continue;
    const named = st.importClause?.namedBindings;
    if (!named || !ts.isNamedImports(named)) continue;
    const el = named.elements.find((e) => e.name.text === local);
    if (el) return (el.propertyName ?? el.name).text;
  }
  return undefined;
}

/** `log(e); process.exit(1)`: the statements call `process.exit()` and none before it may return or throw. */
export function exitsBeforeLeaving(stmts: readonly ts.Statement[]): boolean {
  const i = stmts.findIndex((st) => ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && isProcessExit(st.expression));
  return i >= 0 && !stmts.slice(0, i).some(leaves);
}

/** The statement may return or throw before the statements after it run. */
function leaves(n: ts.Node): boolean {
  if (ts.isReturnStatement(n) || ts.isThrowStatement(n)) return true;
  return !ts.isFunctionLike(n) && !!ts.forEachChild(n, (c) => leaves(c) || undefined);
}

/** A callback whose body ends the process on every path: `process.exit()` among its own statements. */
export function callbackExitsProcess(arg: ts.Expression): boolean {
  const fn = stripParens(arg);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  return ts.isBlock(fn.body) ? exitsBeforeLeaving(fn.body.statements) : ts.isCallExpression(fn.body) && isProcessExit(fn.body);
}
