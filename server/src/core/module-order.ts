// TypeScript builds a program by recursion over the import graph (findSourceFile ->
// processImportedModules -> findSourceFile ...): a chain of a few thousand modules overflows the
// stack, and since the program is shared, every file of the project fails with it. Feeding the root
// files dependencies-first keeps that recursion one level deep: each import is already in the
// program when its importer is processed. This computes that order with an explicit stack, so the
// walk itself is iterative whatever the length of the chain.
import { ts } from 'ts-morph';

export interface ModuleGraphHost {
  /** The text of a file, or undefined when it cannot be read (outside the workspace, too large). */
  readText(file: string): string | undefined;
  resolve(moduleName: string, containingFile: string): string | undefined;
}

/**
 * Every file reachable from `roots` (the roots included), each after the files it imports
 * (post-order of a depth-first walk; cycles are cut where the walk meets a file already on its path).
 */
export function dependenciesFirst(roots: string[], host: ModuleGraphHost): string[] {
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const importsOf = (file: string): string[] => {
    const text = host.readText(file);
    if (text === undefined) return [];
    const info = ts.preProcessFile(text, true, true);
    const names = [...info.importedFiles, ...info.referencedFiles].map((r) => r.fileName);
    return names.map((n) => host.resolve(n, file)).filter((f): f is string => !!f);
  };
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: Array<{ file: string; next: string[] }> = [{ file: root, next: importsOf(root).reverse() }];
    state.set(root, 'open');
    while (stack.length) {
      const top = stack[stack.length - 1];
      const dep = top.next.pop();
      if (dep === undefined) {
        stack.pop();
        state.set(top.file, 'done');
        order.push(top.file);
      } else if (!state.has(dep)) {
        state.set(dep, 'open');
        stack.push({ file: dep, next: importsOf(dep).reverse() });
      }
    }
  }
  return order;
}
