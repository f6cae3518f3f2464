// The import graph of the project's own TypeScript sources, for the architecture test: which file
// imports which, read with the TypeScript parser (no type checking). Every kind of import counts,
// type-only ones included: a cycle of types is as hard to read as a cycle of values.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** File → the project files it imports (absolute paths). Packages and Node built-ins are left out. */
export type ImportGraph = Map<string, string[]>;

export function importGraph(roots: string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of roots.flatMap(sourceFiles)) {
    const text = fs.readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
    const imported = moduleSpecifiers(source)
      .map((s) => resolveRelative(file, s))
      .filter((f): f is string => f !== undefined);
    graph.set(file, [...new Set(imported)]);
  }
  return graph;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** `import … from`, `export … from`, `import x = require()`, `require()`, `import()` and `import('…').T`. */
function moduleSpecifiers(source: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      out.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      out.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      out.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The project file a relative specifier names, as Node's CommonJS resolution finds it; undefined for packages. */
function resolveRelative(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')];
  return candidates.find((c) => /\.tsx?$/.test(c) && fs.existsSync(c) && fs.statSync(c).isFile());
}

/**
 * One entry per group of files that import each other (a strongly connected component of more than
 * one file, or a file importing itself): its files, and one cycle through them as a path a → b → … → a.
 */
export function importCycles(graph: ImportGraph): Array<{ files: string[]; cycle: string[] }> {
  const cycles: Array<{ files: string[]; cycle: string[] }> = [];
  for (const component of stronglyConnected(graph)) {
    const start = [...component].sort()[0]; // a stable starting point, for readable reports
    if (component.length === 1 && !graph.get(start)?.includes(start)) continue;
    cycles.push({ files: [...component].sort(), cycle: cycleThrough(graph, start, new Set(component)) });
  }
  return cycles;
}

/** Tarjan's algorithm, iterative (no recursion limit on deep graphs). */
function stronglyConnected(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; edge: number }> = [{ node: root, edge: 0 }];
    index.set(root, next); low.set(root, next++); stack.push(root); onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++];
        if (!index.has(to)) {
          index.set(to, next); low.set(to, next++); stack.push(to); onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/** The shortest way from `start` back to itself inside its component (breadth-first). */
function cycleThrough(graph: ImportGraph, start: string, component: Set<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const to of graph.get(node) ?? []) {
      if (!component.has(to)) continue;
      if (to === start) {
        const cycle = [node];
        while (cycle[0] !== start) cycle.unshift(previous.get(cycle[0])!);
        return [...cycle, start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

/** Files under `from` that reach a file under `to` through imports, each with the chain that does. */
export function importPaths(graph: ImportGraph, from: string, to: string): string[][] {
  const inside = (file: string, dir: string) => file.startsWith(dir + path.sep);
  const chains: string[][] = [];
  for (const file of graph.keys()) {
    if (!inside(file, from)) continue;
    const previous = new Map<string, string>([[file, file]]);
    const queue = [file];
    let found: string | undefined;
    while (queue.length && !found) {
      const node = queue.shift()!;
      for (const next of graph.get(node) ?? []) {
        if (previous.has(next)) continue;
        previous.set(next, node);
        if (inside(next, to)) { found = next; break; }
        queue.push(next);
      }
    }
    if (!found) continue;
    const chain = [found];
    while (chain[0] !== file) chain.unshift(previous.get(chain[0])!);
    chains.push(chain);
  }
  return chains;
}
