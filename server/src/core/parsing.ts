// How the projects of projects.ts parse their files. ts-morph parses through a document registry of
// its own per project, with only a script target; two things are changed there:
//  - TypeScript files are parsed without their JSDoc comments, as tsc and tsserver do since
//    TypeScript 5.3 (`JSDocParsingMode.ParseForTypeInfo`): in a .ts file JSDoc carries no type, and
//    the analysis reads comments as text (suppressions, fixes), never as JSDoc nodes. JavaScript
//    files keep theirs (their types are written in JSDoc). On mongodb's sources, a third less time.
//  - For an audit, the projects of one run share their syntax trees, as tsserver's document registry
//    does: in a monorepo each tsconfig's program also holds the sources of the packages it imports,
//    and every file was parsed (and bound) once per program that holds it: twice over on vite's
//    repository, twelve times on testcontainers'. A tree is shared between projects whose options
//    parse and bind alike (TypeScript's own list, `sourceFileAffectingCompilerOptions`), and only
//    while nothing edits it: an incremental parse reuses and moves the nodes of the old tree, so an
//    editor's projects (the language server) keep their own.
// Where ts-morph's internals are not as expected, files are parsed as ts-morph does.
import type { Project } from 'ts-morph';
import { ts } from 'ts-morph';

interface DocumentRegistryInternals {
  createOrUpdateSourceFile?(fileName: string, settings: ts.CompilerOptions, snapshot: ts.IScriptSnapshot, scriptKind?: ts.ScriptKind): ts.SourceFile;
  acquireDocument?(fileName: string, settings: ts.CompilerOptions, snapshot: ts.IScriptSnapshot, ...rest: unknown[]): ts.SourceFile;
}

/** The options that change what a parse and a bind produce (what tsserver keys its registry by). */
const TREE_OPTIONS = ((ts as unknown as { sourceFileAffectingCompilerOptions?: Array<{ name: string }> }).sourceFileAffectingCompilerOptions ?? [])
  .map((o) => o.name);

/** Syntax trees shared by the projects of one audit: by file, text and the options that shape a tree. */
export class SharedTrees {
  private trees = new Map<string, ts.SourceFile>();

  /** The tree of `fileName` with this text, options and script kind, parsed by `parse` the first time. */
  get(fileName: string, settings: ts.CompilerOptions, text: string, scriptKind: unknown, parse: () => ts.SourceFile): ts.SourceFile {
    const key = JSON.stringify([fileName, TREE_OPTIONS.map((n) => settings[n] ?? null), scriptKind ?? null]);
    const hit = this.trees.get(key);
    if (hit && hit.text === text) return hit;
    const tree = parse();
    this.trees.set(key, tree);
    return tree;
  }
}

/** Parse the project's files lean, and through `shared` when given (see the top of this file). */
export function parseThrough(project: Project, shared?: SharedTrees): Project {
  const registry = (project as unknown as { _context?: { compilerFactory?: { documentRegistry?: DocumentRegistryInternals } } })
    ._context?.compilerFactory?.documentRegistry;
  if (!registry?.createOrUpdateSourceFile || !registry.acquireDocument || !TREE_OPTIONS.length) return project;
  const lean = (settings: ts.CompilerOptions) => ({
    ...settings,
    target: { languageVersion: settings.target ?? ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo },
  }) as unknown as ts.CompilerOptions;
  const create = registry.createOrUpdateSourceFile.bind(registry);
  const acquire = registry.acquireDocument.bind(registry);
  registry.createOrUpdateSourceFile = (fileName, settings, snapshot, scriptKind) => {
    const parse = () => create(fileName, lean(settings), snapshot, scriptKind);
    return shared ? shared.get(fileName, settings, snapshot.getText(0, snapshot.getLength()), scriptKind, parse) : parse();
  };
  registry.acquireDocument = (fileName, settings, snapshot, ...rest) => acquire(fileName, lean(settings), snapshot, ...rest);
  return project;
}
