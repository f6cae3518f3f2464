// Step functions: `const next = () => { …; conn.query(sql, (err) => { …; next() }) }; next()`, a local function that goes
// on with the paths of what the code around it holds, as a callback does (flow.ts walks its body where it is declared).
import { ts } from 'ts-morph';
import { enclosingFunction, findNode, functionOfDeclaration } from './ast';
import { skipParensUp } from './call-shapes';

/**
 * `const next = () => { …; conn.query(sql, (err) => { if (err) return conn.rollback(() => reject(err)); next() }) }; next()`:
 * a step function of a `const` that its function only ever calls by name, last (never hands on as a listener or a
 * callback, nor calls before more work), so its body goes on with the paths of what the code around it holds, as a
 * callback does.
 */
export function calledOnlyByName(fn: ts.Node, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  // Asked at every call of a local function a path walk meets: one scan of the function around it per declaration.
  let known = stepFunctions.get(fn);
  if (known === undefined) stepFunctions.set(fn, known = onlyCalledByName(fn, symbolOf));
  return known;
}
const stepFunctions = new WeakMap<ts.Node, boolean>();

function onlyCalledByName(fn: ts.Node, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  const decl = fn.parent;
  if (!ts.isVariableDeclaration(decl) || decl.initializer !== fn || !ts.isIdentifier(decl.name) || !(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return false;
  const sym = symbolOf(decl.name);
  const scope = enclosingFunction(decl);
  let calls = 0;
  const other = scope?.body && findNode(scope.body, (n) => {
    if (!ts.isIdentifier(n) || n === decl.name || n.text !== (decl.name as ts.Identifier).text || symbolOf(n) !== sym) return false;
    if (ts.isCallExpression(n.parent) && n.parent.expression === n && inTailPosition(n.parent)) return void calls++, false;
    return true;
  });
  return !!sym && calls > 0 && !other;
}

/**
 * `next()` as the last statement of a function's body, `return next()`, or `() => next()`: nothing of the caller runs
 * after it, so a path that ends in the step function ends there (unlike `await send(line)` in a loop, which goes on).
 */
function inTailPosition(call: ts.CallExpression): boolean {
  const p = skipParensUp(call).parent;
  if (ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === skipParensUp(call))) return true;
  const block = ts.isExpressionStatement(p) ? p.parent : undefined;
  return !!block && ts.isBlock(block) && ts.isFunctionLike(block.parent) && block.statements[block.statements.length - 1] === p;
}

/** `body` calls such a step function (calledOnlyByName) whose own body releases what the code holds (`releases`). */
export function callsStepFunction(body: ts.Node, symbolOf: (n: ts.Node) => ts.Symbol | undefined, releases: (body: ts.Node) => boolean): boolean {
  return !!findNode(body, (n) => isStepCall(n, symbolOf, releases));
}

/** `next()`: a call of such a step function, whose paths are walked where it is declared. */
export function isStepCall(n: ts.Node, symbolOf: (n: ts.Node) => ts.Symbol | undefined, releases: (body: ts.Node) => boolean): boolean {
  if (!ts.isCallExpression(n) || !ts.isIdentifier(n.expression)) return false;
  const decl = symbolOf(n.expression)?.valueDeclaration;
  const fn = decl && functionOfDeclaration(decl);
  return !!fn?.body && calledOnlyByName(fn, symbolOf) && releases(fn.body);
}
