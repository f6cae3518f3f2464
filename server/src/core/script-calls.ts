// Functions a command-line script runs once without being its main(): a helper of the file that main() calls in
// one place, outside any loop (`const pickedUp = await reconcilePickups()`). What such a helper leaves open stays
// open to the end of the script, as what main() leaves open does (leak-rule.ts leftOpenByScript).
import { ts } from 'ts-morph';
import { FnLike, functionName } from './ast';
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
