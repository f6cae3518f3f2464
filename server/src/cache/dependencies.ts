// What the analysis of one file can depend on besides its own text, read from its TypeScript
// program: the project files it imports, directly or through other project files (a helper that
// closes its argument, a class that owns a socket), the files that import it (whose calls say how often
// its functions run), the project's global scripts (declarations
// every file sees), the type declarations it imports from node_modules, and its tsconfig with the
// configs it extends. The cache (cache.ts) re-analyses a file when any of them changes, and --fix
// (fix.ts) re-audits the files that import a fixed one.
import * as path from 'path';
import { ts } from 'ts-morph';
import { Analyzer } from '../core/analyze';
import { CONFIG_SIZE_LIMIT, isLibraryDeclaration } from '../core/files';
import { relativeRequires, requiredSourceFile } from '../core/required-modules';

export interface Dependencies {
  /** Files whose text the analysis may read: project files (transitively) and node_modules declarations (directly imported). */
  files: string[];
  /** The tsconfig/jsconfig that owns the file and every config it extends. */
  configs: string[];
}

// TypeScript keeps these on programs and source files without declaring them; they are stable
// across versions (the language service uses them) and only read here.
type ProgramInternals = ts.Program & {
  getResolvedModuleFromModuleSpecifier?(specifier: ts.StringLiteralLike, sf: ts.SourceFile): ts.ResolvedModuleWithFailedLookupLocations | undefined;
};
type SourceFileInternals = ts.SourceFile & {
  imports?: readonly ts.StringLiteralLike[];
  externalModuleIndicator?: unknown;
  commonJsModuleIndicator?: unknown;
};

/** The files `file` imports, directly, as resolved in its program (absolute paths). */
function directImports(program: ProgramInternals, sf: SourceFileInternals): string[] {
  const out: string[] = [];
  for (const spec of sf.imports ?? []) {
    const resolved = program.getResolvedModuleFromModuleSpecifier?.(spec, sf)?.resolvedModule?.resolvedFileName;
    if (resolved) out.push(path.resolve(resolved));
  }
  for (const ref of sf.referencedFiles) out.push(path.resolve(path.dirname(sf.fileName), ref.fileName));
  // A TypeScript file's `require('./x')` is in no import list (TypeScript binds it only in JavaScript), yet the analysis follows it.
  for (const spec of relativeRequires(sf)) {
    const required = requiredSourceFile(program, spec);
    if (required) out.push(path.resolve(required.fileName));
  }
  return out;
}

/** Dependencies of each of `files` (all in the analyzer's projects), sharing one walk per program. */
export function dependenciesOf(analyzer: Analyzer, files: string[]): Map<string, Dependencies> {
  const out = new Map<string, Dependencies>();
  const globalsByProgram = new Map<ts.Program, string[]>();
  const importersByProgram = new Map<ts.Program, Map<string, string[]>>();
  const configChains = new Map<string, string[]>();
  // Each file's direct imports once: the walks of files in one project cover mostly the same files.
  const importsOf = new Map<ts.SourceFile, string[]>();
  const imports = (program: ProgramInternals, sf: SourceFileInternals) => {
    let hit = importsOf.get(sf);
    if (!hit) importsOf.set(sf, (hit = directImports(program, sf)));
    return hit;
  };
  for (const file of files) {
    let owned;
    let program: ProgramInternals;
    try {
      owned = analyzer.projects.projectFor(file);
      program = analyzer.projects.program(owned);
    } catch {
      continue; // no program: the file was not analysed, nothing to depend on
    }
    const sf = program.getSourceFile(file) as SourceFileInternals | undefined;
    if (!sf) continue;
    let globals = globalsByProgram.get(program);
    if (!globals) {
      globals = program.getSourceFiles()
        .filter((s: SourceFileInternals) => !isLibraryDeclaration(s.fileName) && s.externalModuleIndicator === undefined && s.commonJsModuleIndicator === undefined)
        .map((s) => path.resolve(s.fileName));
      globalsByProgram.set(program, globals);
    }
    const seen = new Set<string>([path.resolve(file)]);
    const deps = new Set<string>(globals);
    // The files that import it: how often its functions run is read from their calls (run-rate.ts).
    let importers = importersByProgram.get(program);
    if (!importers) importersByProgram.set(program, (importers = importersIn(program, imports)));
    for (const f of importers.get(path.resolve(file)) ?? []) deps.add(f);
    const queue: SourceFileInternals[] = [sf];
    while (queue.length) {
      const current = queue.pop()!;
      for (const dep of imports(program, current)) {
        if (seen.has(dep)) continue;
        seen.add(dep);
        deps.add(dep);
        // Type declarations of installed packages are followed one step only: they change with the
        // package, and a package's own files are many. (Sources audited inside node_modules are followed.)
        if (isLibraryDeclaration(dep)) continue;
        const next = program.getSourceFile(dep) as SourceFileInternals | undefined;
        if (next) queue.push(next);
      }
    }
    deps.delete(path.resolve(file));
    const configs = owned.configPath ? configChain(analyzer, owned.configPath, configChains) : [];
    out.set(file, { files: [...deps].sort(), configs });
  }
  return out;
}

/** Each project file of the program, with the project files that import it directly. */
function importersIn(program: ProgramInternals, imports: (p: ProgramInternals, sf: SourceFileInternals) => string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const sf of program.getSourceFiles() as SourceFileInternals[]) {
    if (isLibraryDeclaration(sf.fileName) || /[\\/]node_modules[\\/]/.test(sf.fileName)) continue;
    const from = path.resolve(sf.fileName);
    for (const dep of imports(program, sf)) {
      let list = out.get(dep);
      if (!list) out.set(dep, (list = []));
      list.push(from);
    }
  }
  return out;
}

/** A config and the configs it extends, as TypeScript resolves `extends` (through the file-system layer). */
function configChain(analyzer: Analyzer, configPath: string, memo: Map<string, string[]>): string[] {
  const hit = memo.get(configPath);
  if (hit) return hit;
  const chain = [configPath];
  const text = analyzer.files.readText(configPath, CONFIG_SIZE_LIMIT, 'config').text;
  if (text !== undefined) {
    const json = ts.parseJsonText(configPath, text);
    const host: ts.ParseConfigHost = {
      useCaseSensitiveFileNames: process.platform === 'linux',
      readDirectory: () => [],
      fileExists: (f) => analyzer.files.isReadableFile(f, 'config'),
      readFile: (f) => analyzer.files.readText(f, CONFIG_SIZE_LIMIT, 'config').text,
    };
    ts.parseJsonSourceFileConfigFileContent(json, host, path.dirname(configPath), undefined, configPath);
    const extended = (json as ts.TsConfigSourceFile & { extendedSourceFiles?: string[] }).extendedSourceFiles ?? [];
    chain.push(...extended.map((f) => path.resolve(f)));
  }
  memo.set(configPath, chain);
  return chain;
}

/** For each file, the files among `files` whose dependencies include it (who to re-audit when it changes). */
export function dependents(deps: Map<string, Dependencies>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [file, d] of deps) {
    for (const dep of d.files) out.set(dep, [...(out.get(dep) ?? []), file]);
  }
  return out;
}
