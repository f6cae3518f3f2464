// TypeScript errors of generated files, counted as `tsc` would (the standard library, @types/node and
// the generator's prelude). The library files are parsed once and shared by every program; each check
// builds a program from the previous one, so only the checked file is new.
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { PRELUDE } from './kinds';

export interface TsError { pos: number; message: string }

export class TypeChecker {
  private options: ts.CompilerOptions;
  private host: ts.CompilerHost;
  private shared = new Map<string, ts.SourceFile>();
  private texts = new Map<string, string>();
  private old: ts.Program | undefined;
  private prelude: string;
  private roots: string[];
  private resolved = new Map<string, ts.ResolvedModuleWithFailedLookupLocations>();
  private cache!: ts.ModuleResolutionCache;

  constructor(dir: string) {
    const typeRoot = path.join(__dirname, '..', '..', '..', 'node_modules', '@types');
    this.options = {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, allowJs: true, checkJs: true, esModuleInterop: true,
      skipLibCheck: true, noEmit: true, jsx: ts.JsxEmit.Preserve, lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts'],
      types: [],
    };
    this.prelude = path.join(dir, 'prelude.d.ts');
    this.texts.set(this.prelude, PRELUDE);
    // The same roots for every program (one file per extension; the others keep their last text).
    // @types/node as a root rather than a `types` entry: no type-reference resolution per program.
    this.roots = [this.prelude, path.join(typeRoot, 'node', 'index.d.ts'), ...['.ts', '.tsx', '.js'].map((e) => path.join(dir, `checked${e}`))];
    for (const r of this.roots.slice(2)) this.texts.set(r, 'export {};\n');
    const base = ts.createCompilerHost(this.options);
    this.host = {
      ...base,
      getSourceFile: (file, lang) => {
        const text = this.texts.get(file);
        if (text !== undefined) return ts.createSourceFile(file, text, lang, true, scriptKind(file));
        let sf = this.shared.get(file);
        if (!sf) {
          sf = base.getSourceFile(file, lang);
          if (sf) this.shared.set(file, sf);
        }
        return sf;
      },
      fileExists: (file) => this.texts.has(file) || base.fileExists(file),
      readFile: (file) => this.texts.get(file) ?? base.readFile(file),
      // package.json lookups (for each library file's module format) cached across programs.
      getModuleResolutionCache: () => this.cache,
      // Every generated file imports the same few modules: resolve each once.
      resolveModuleNameLiterals: (literals, containing, redirected, options) => literals.map((lit) => {
        const key = `${path.dirname(containing)}\0${lit.text}`;
        let r = this.resolved.get(key);
        if (!r) {
          r = ts.resolveModuleName(lit.text, containing, options, this.host, this.cache, redirected);
          this.resolved.set(key, r);
        }
        return r;
      }),
    };
    this.cache = ts.createModuleResolutionCache(dir, (f) => f, this.options);
  }

  /** Errors of a text (syntactic and semantic), with their offsets; `ext` says how to parse it. */
  errors(ext: string, text: string): TsError[] {
    // One name per extension: a program built from the previous one with the same roots reuses the most.
    const file = path.join(path.dirname(this.prelude), `checked${ext}`);
    this.texts.set(file, text);
    const program = ts.createProgram(this.roots, this.options, this.host, this.old);
    this.old = program;
    if (process.env.FIXGEN_DEBUG) console.log("reuse", (program as any).structureIsReused);
    const sf = program.getSourceFile(file)!;
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]
      .filter((d) => d.category === ts.DiagnosticCategory.Error)
      .map((d) => ({ pos: d.start ?? 0, message: `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}` }));
  }
}

function scriptKind(file: string): ts.ScriptKind {
  return file.endsWith('.tsx') ? ts.ScriptKind.TSX : file.endsWith('.js') ? ts.ScriptKind.JS : file.endsWith('.d.ts') || file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.Unknown;
}
