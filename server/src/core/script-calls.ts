// Functions a command-line script runs once without being its main(): a helper of the file that main() calls in
// one place, outside any loop (`const pickedUp = await reconcilePickups()`). What such a helper leaves open stays
// open to the end of the script, as what main() leaves open does (leak-rule.ts leftOpenByScript).
import { ts } from 'ts-morph';
import { calleeName, findNode, FnLike, functionName, stripParens } from './ast';
import { isExportedFunction } from './module-specifiers';
import { calledOnceAtTopLevel, fileNames, isScriptMain } from './execution';
import { enclosingFunction, loopAround } from './syntax';

/** The script's main() that calls `fn` once, outside a loop, where nothing else in the file (or another module) names it. */
export function scriptMainCalling(fn: FnLike): FnLike | undefined {
  if (ts.isMethodDeclaration(fn)) return undefined;
  const name = functionName(fn);
  if (!name || isExportedFunction(fn)) return undefined;
  const ids = fileNames(fn.getSourceFile()).ids.get(name) ?? [];
  const call = ids.length === 1 ? ids[0].parent : undefined;
  if (!call || !ts.isCallExpression(call) || call.expression !== ids[0]) return undefined;
  const caller = enclosingFunction(call);
  return caller && caller !== fn && !loopAround(call, caller) && (calledOnceAtTopLevel(caller) || isScriptMain(caller)) ? caller : undefined;
}

/** Openers of a project class that say it runs as a service. */
const SERVICE_STARTS = new Set(['start', 'run', 'listen', 'serve', 'boot', 'launch']);

function startsService(n: ts.Node | undefined): boolean {
  return !!n && (ts.isCallExpression(n) || ts.isNewExpression(n)) && SERVICE_STARTS.has(calleeName(n) ?? '');
}

/** `const app = buildApp(); await app.start(4000)`: the function starts the service it made. */
function startsServiceIn(fn: ts.Node, name: string): boolean {
  return !!findNode(fn, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && SERVICE_STARTS.has(n.expression.name.text) &&
    ts.isIdentifier(stripParens(n.expression.expression)) && (stripParens(n.expression.expression) as ts.Identifier).text === name, true);
}

/** `await worker.start()` on what `fn` made at `creation` (or holds in `name`): a service that runs until the process ends. */
export function startsServiceMade(fn: ts.Node, creation: ts.Node | undefined, name: string | undefined): boolean {
  return startsService(creation) || (!!name && startsServiceIn(fn, name));
}
