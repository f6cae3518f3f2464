// Projects like tsserver builds them: the nearest tsconfig.json/jsconfig.json of a file, or an
// inferred project (JavaScript allowed) for files that no config claims. One ts-morph Project per
// config, kept and updated in place so that editors re-check only what changed. Everything a
// project reads goes through the file-system layer (project-fs.ts): the workspace boundary, regular
// files only, size caps.
import * as path from 'path';
import { Project, ProjectOptions, ts } from 'ts-morph';
import { CONFIG_SIZE_LIMIT, FileAccess, PROGRAM_FILE_SIZE_LIMIT } from './files';
import { dependenciesFirst } from './module-order';
import { parseThrough, SharedTrees } from './parsing';
import { BoundedFileSystemHost } from './project-fs';
import { requiredFilesMissing } from './required-modules';
import { implementationFiles } from './typings-implementation';

export interface OwnedProject {
  project: Project;
  /** The tsconfig/jsconfig, or undefined for an inferred project. */
  configPath?: string;
  /** The files the tsconfig includes (its own, not the libraries they import). */
  configFiles?: string[];
}

/** What ts-morph keeps of a source file, as far as replacing its syntax tree goes (internal, stable across ts-morph 2x). */
interface SourceFileInternals {
  compilerNode: ts.SourceFile;
  getChildren(): Array<{ forget(): void }>;
  _context?: { compilerFactory?: { replaceCompilerNode?(oldNode: unknown, newNode: ts.SourceFile): void } };
}

/**
 * A file's new text (an editor buffer after an edit), parsed incrementally as tsserver does: the
 * syntax tree of the old text is updated over the changed span (found by comparing the texts), and
 * the nodes the edit did not touch are reused, so a keystroke in a 5,000-line file does not parse
 * 5,000 lines again. The result is the tree a full parse gives (TypeScript's guarantee; the analysis
 * keeps nothing per node across trees: test/lsp/incremental.test.ts compares every result with a
 * full parse). Where ts-morph's internals are not as expected, the file is parsed whole.
 */
function replaceText(project: Project, existing: SourceFileInternals, text: string): void {
  const factory = existing._context?.compilerFactory;
  if (!factory?.replaceCompilerNode) {
    project.createSourceFile(existing.compilerNode.fileName, text, { overwrite: true });
    return;
  }
  // ts-morph's wrappers of the old tree go first: the update moves the nodes it reuses.
  existing.getChildren().forEach((c) => c.forget());
  const old = existing.compilerNode;
  const version = String((Number.parseInt((old as { version?: string }).version ?? '0', 10) || 0) + 1);
  const updated = ts.updateLanguageServiceSourceFile(old, ts.ScriptSnapshot.fromString(text), version, changeRange(old.text, text));
  factory.replaceCompilerNode(existing, updated);
}

/** The span of `before` that `after` replaces: what lies between their common prefix and common suffix. */
export function changeRange(before: string, after: string): ts.TextChangeRange {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return ts.createTextChangeRange(ts.createTextSpan(start, endBefore - start), endAfter - start);
}

/**
 * What every project is loaded with. Analysis resolves creators through import bindings and reads
 * types only of receivers, so the standard library and ambient `@types` packages (a third of the
 * files of a typical Node project) are not loaded: that halves the time to a first result. Modules a
 * file imports are still resolved, with their typings.
 */
const ANALYSIS_OPTIONS: ts.CompilerOptions = {
  noEmit: true,
  noLib: true,
  types: [],
  skipLibCheck: true,
  // Never let a workspace pull in plugins: analysis only reads.
  plugins: [],
};

const INFERRED_OPTIONS: ts.CompilerOptions = {
  ...ANALYSIS_OPTIONS,
  allowJs: true,
  checkJs: false,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
};

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

export class ProjectHost {
  private projects = new Map<string, OwnedProject>();
  private configOf = new Map<string, string | null>();
  /** Messages about configs that could not be loaded, once per config. */
  readonly errors = new Map<string, string>();
  /** Messages about configs loaded despite a problem (an `extends` not found, a bad option value). */
  readonly warnings = new Map<string, string>();

  private fileSystem: BoundedFileSystemHost;

  /** Set when the projects share their syntax trees (an audit; parsing.ts). */
  private shared?: SharedTrees;

  /** `shareTrees`: the projects parse each file once between them, and never edit a tree in place (an audit, not an editor). */
  constructor(private override: string | undefined, private files = new FileAccess(), options: { shareTrees?: boolean } = {}) {
    this.fileSystem = new BoundedFileSystemHost(files);
    if (options.shareTrees) this.shared = new SharedTrees();
  }

  private parsed(project: Project): Project {
    return parseThrough(project, this.shared);
  }

  /** How many projects are loaded (to tell a file's own cost from loading its project). */
  get count(): number {
    return this.projects.size;
  }

  clear(): void {
    if (this.shared) this.shared = new SharedTrees();
    this.projects.clear();
    this.checks.clear();
    this.configOf.clear();
    this.errors.clear();
    this.warnings.clear();
    this.manifests.clear();
  }

  /**
   * The project that owns a file, loading it on first use. With `text` (an editor buffer, or text
   * already read and size-checked), the file is never read from disk.
   */
  projectFor(file: string, text?: string): OwnedProject {
    const abs = path.resolve(file);
    const configPath = this.configPathFor(abs);
    let owned = configPath ? this.loadConfigured(configPath) : undefined;
    // A JavaScript file under a tsconfig without allowJs is not that project's: tsserver infers one.
    if (owned && /\.[cm]?jsx?$/.test(abs) && !owned.project.getCompilerOptions().allowJs) owned = undefined;
    if (!owned) owned = this.inferred(abs);
    const existing = owned.project.getSourceFile(abs);
    if (text !== undefined) {
      // Shared trees are parsed anew: an incremental parse would move nodes other projects hold.
      if (!existing || (this.shared && existing.getFullText() !== text)) owned.project.createSourceFile(abs, text, { overwrite: true });
      else if (existing.getFullText() !== text) replaceText(owned.project, existing, text);
    } else if (!existing && this.fileSystem.fileExistsSync(abs)) {
      owned.project.addSourceFileAtPathIfExists(abs);
    }
    return owned;
  }

  /**
   * The project's program. TypeScript builds it by recursion over the import graph; when that
   * overflows the stack (a chain of thousands of modules), the project is rebuilt with its files in
   * dependencies-first order, which keeps the recursion shallow (module-order.ts).
   */
  program(owned: OwnedProject): ts.Program {
    const program = this.built(owned);
    if (this.completePrograms.has(program)) return program;
    // `require('..')` resolved to hand-written typings (`lib/index.d.ts`): the JavaScript beside them is
    // what runs, and it must be in the program whichever file asked first (typings-implementation.ts).
    const exists = (f: string) => this.fileSystem.fileExistsSync(f);
    const missing = owned.project.getCompilerOptions().allowJs ? implementationFiles(program, exists) : [];
    // A TypeScript file's `require('./helper')`, which TypeScript does not load (required-modules.ts); a
    // few rounds for helpers that require helpers.
    let complete = program;
    for (let round = 0; round < 4; round++) {
      const more = [...missing, ...requiredFilesMissing(complete, exists)];
      missing.length = 0;
      if (!more.length) break;
      for (const f of more) owned.project.addSourceFileAtPathIfExists(f);
      complete = this.built(owned);
    }
    this.completePrograms.add(complete);
    return complete;
  }

  private completePrograms = new WeakSet<ts.Program>();

  private built(owned: OwnedProject): ts.Program {
    try {
      return owned.project.getProgram().compilerObject;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
    owned.project = this.reordered(owned.project);
    return owned.project.getProgram().compilerObject;
  }

  private reordered(old: Project): Project {
    const resolutionHost = old.getModuleResolutionHost();
    const options = old.getCompilerOptions();
    const texts = new Map(old.getSourceFiles().map((sf) => [sf.getFilePath() as string, sf.getFullText()]));
    const order = dependenciesFirst([...texts.keys()], {
      readText: (f) => texts.get(f) ?? this.files.readText(f, PROGRAM_FILE_SIZE_LIMIT, 'program').text,
      resolve: (name, from) => ts.resolveModuleName(name, from, options, resolutionHost).resolvedModule?.resolvedFileName,
    });
    const project = this.parsed(new Project({ ...this.baseOptions(), compilerOptions: options, skipAddingFilesFromTsConfig: true }));
    for (const f of order) {
      const text = texts.get(f) ?? this.files.readText(f, PROGRAM_FILE_SIZE_LIMIT, 'program').text;
      if (text !== undefined) project.createSourceFile(f, text, { overwrite: true });
    }
    return project;
  }

  private baseOptions(): Pick<ProjectOptions, 'fileSystem' | 'skipFileDependencyResolution'> {
    // Dependencies are resolved when the program is built (program(), guarded), not by the constructor.
    return { fileSystem: this.fileSystem, skipFileDependencyResolution: true };
  }

  /** Every source file a config includes (for `linger audit --project`). */
  filesOfConfig(configPath: string): string[] {
    const owned = this.loadConfigured(path.resolve(configPath));
    if (!owned) return [];
    return owned.configFiles ?? [];
  }

  /** Replace a file's text in memory (an editor buffer). */
  setText(file: string, text: string): void {
    const { project } = this.projectFor(file);
    project.createSourceFile(path.resolve(file), text, { overwrite: true });
  }

  /** Go back to the text on disk (through the file-system layer: a FIFO or an oversized file is dropped). */
  revert(file: string): void {
    const abs = path.resolve(file);
    for (const { project } of this.projects.values()) {
      const sf = project.getSourceFile(abs);
      if (!sf) continue;
      const r = this.files.readText(abs, PROGRAM_FILE_SIZE_LIMIT, 'program');
      if (r.text !== undefined) project.createSourceFile(abs, r.text, { overwrite: true });
      else project.removeSourceFile(sf);
    }
  }

  /**
   * Whether a file may end up in an inferred project, told without loading its tsconfig: it has none,
   * its tsconfig cannot be read or has a problem (which can keep it from loading), or the file is
   * JavaScript and the tsconfig does not allow JavaScript. `linger audit --shard` loads only the
   * projects its files may go into.
   */
  mayBeInferred(file: string): boolean {
    const abs = path.resolve(file);
    const configPath = this.configPathFor(abs);
    if (!configPath || this.errors.has(configPath)) return true;
    const js = /\.[cm]?jsx?$/.test(abs);
    const loaded = this.projects.get(configPath);
    if (loaded) return js && !loaded.project.getCompilerOptions().allowJs;
    let check = this.checks.get(configPath);
    if (!check) this.checks.set(configPath, (check = this.checkConfig(configPath)));
    return !!(check.fatal || check.warning) || (js && !check.allowJs);
  }

  private checks = new Map<string, { fatal?: string; warning?: string; allowJs?: boolean }>();

  /** The tsconfig/jsconfig that owns a file (`--project`, else the nearest one), found without loading it. */
  configPathFor(file: string): string | undefined {
    return this.override ? path.resolve(this.override) : this.nearestConfig(path.dirname(path.resolve(file)));
  }

  /** The nearest tsconfig/jsconfig, looking up from `dir` as far as the boundary allows (iteratively). */
  private nearestConfig(dir: string): string | undefined {
    const pending: string[] = [];
    let found: string | null | undefined;
    for (let d = dir; ; d = path.dirname(d)) {
      const hit = this.configOf.get(d);
      if (hit !== undefined) { found = hit; break; }
      pending.push(d);
      if (!this.files.mayLookForConfigsIn(d)) { found = null; break; }
      found = CONFIG_NAMES.map((n) => path.join(d, n)).find((c) => this.files.exists(c)) ?? null;
      if (found || d.endsWith(`${path.sep}node_modules`) || path.dirname(d) === d) break;
    }
    for (const d of pending) this.configOf.set(d, found ?? null);
    return found ?? undefined;
  }

  private loadConfigured(configPath: string): OwnedProject | undefined {
    const existing = this.projects.get(configPath);
    if (existing) return existing;
    if (this.errors.has(configPath)) return undefined;
    const problem = this.checkConfig(configPath);
    if (problem.fatal) {
      this.errors.set(configPath, problem.fatal);
      return undefined;
    }
    if (problem.warning) this.warnings.set(configPath, problem.warning);
    try {
      const project = this.parsed(new Project({ ...this.baseOptions(), tsConfigFilePath: configPath, compilerOptions: ANALYSIS_OPTIONS, skipAddingFilesFromTsConfig: true }));
      project.addSourceFilesFromTsConfig(configPath);
      const configFiles = project.getSourceFiles().map((sf) => path.resolve(sf.getFilePath())).filter((f) => !/\.d\.[cm]?ts$/.test(f));
      const owned = { project, configPath, configFiles };
      // The program is built now, as part of loading the project (not charged to the first file's
      // time budget), and with the guard against deep import chains.
      this.program(owned);
      this.projects.set(configPath, owned);
      return owned;
    } catch (e) {
      this.errors.set(configPath, `${configPath}: cannot be loaded (${(e as Error).message.split('\n')[0]}); using an inferred project`);
      return undefined;
    }
  }

  /** The nearest folder with a package.json above a file (within the places configs may be read), or the file's folder. */
  packageRoot(abs: string): string {
    let root = path.dirname(abs);
    for (let d = root; this.files.mayLookForConfigsIn(d); d = path.dirname(d)) {
      if (this.files.exists(path.join(d, 'package.json'))) { root = d; break; }
      if (path.dirname(d) === d) break;
    }
    return root;
  }

  /**
   * The packages a file's nearest package.json declares, of every kind (dependencies, dev, peer,
   * optional): what the code base uses, read once per package root.
   */
  packageDependencies(abs: string): ReadonlySet<string> {
    return this.manifest(abs).deps;
  }

  /** The `name` of a file's nearest package.json (`@graphql-yoga/e2e-testing`), or ''. */
  packageName(abs: string): string {
    return this.manifest(abs).name;
  }

  private manifest(abs: string): { deps: Set<string>; name: string } {
    const root = this.packageRoot(abs);
    let found = this.manifests.get(root);
    if (!found) {
      found = { deps: new Set(), name: '' };
      const r = this.files.readText(path.join(root, 'package.json'), CONFIG_SIZE_LIMIT, 'config');
      try {
        const json = r.text === undefined ? undefined : JSON.parse(r.text);
        for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
          const table = json && typeof json === 'object' ? json[key] : undefined;
          if (table && typeof table === 'object') for (const name of Object.keys(table)) found.deps.add(name);
        }
        if (json && typeof json === 'object' && typeof json.name === 'string') found.name = json.name;
      } catch {
        /* not JSON: no dependencies known (config.ts reports a broken package.json) */
      }
      this.manifests.set(root, found);
    }
    return found;
  }

  private manifests = new Map<string, { deps: Set<string>; name: string }>();

  /** One inferred project per package root (the nearest folder with a package.json), like tsserver's per-root projects. */
  private inferred(abs: string): OwnedProject {
    const root = this.packageRoot(abs);
    const key = `inferred:${root}`;
    let owned = this.projects.get(key);
    if (!owned) {
      owned = { project: this.parsed(new Project({ ...this.baseOptions(), compilerOptions: INFERRED_OPTIONS, skipAddingFilesFromTsConfig: true })) };
      this.projects.set(key, owned);
    }
    return owned;
  }

  /**
   * Read a tsconfig with TypeScript's own reader (extends, option values) through the file-system
   * layer, to say clearly what is wrong with a broken one. A problem in the options is reported; only
   * a config that cannot be read or is not JSON is fatal.
   */
  private checkConfig(configPath: string): { fatal?: string; warning?: string; allowJs?: boolean } {
    const r = this.files.readText(configPath, CONFIG_SIZE_LIMIT, 'config');
    if (r.text === undefined) return { fatal: `${configPath}: cannot be read (${r.reason}); using an inferred project` };
    const json = ts.parseConfigFileTextToJson(configPath, r.text);
    if (json.error) {
      return { fatal: `${configPath}: ${ts.flattenDiagnosticMessageText(json.error.messageText, ' ')}; using an inferred project` };
    }
    const host: ts.ParseConfigHost = {
      useCaseSensitiveFileNames: this.fileSystem.isCaseSensitive(),
      readDirectory: () => [], // only the options are checked here; ts-morph expands `include` itself
      fileExists: (f) => this.files.isReadableFile(f, 'config'),
      readFile: (f) => this.files.readText(f, CONFIG_SIZE_LIMIT, 'config').text,
    };
    const parsed = ts.parseJsonConfigFileContent(json.config, host, path.dirname(configPath), undefined, configPath);
    // "No inputs were found" (TS18003) is a config that includes nothing, not a broken one.
    const errors = parsed.errors.filter((d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003);
    const problems = errors.slice(0, 1).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
    problems.push(...this.missingTargets(configPath, json.config, parsed));
    const allowJs = !!parsed.options.allowJs;
    if (!problems.length) return { allowJs };
    return { warning: `${configPath}: ${problems.join('; ')}`, allowJs };
  }

  /**
   * `files` entries and wildcard-free `include` entries of the config itself that do not exist: the
   * code the user meant to be analysed is not (tsc reports the first, tsserver neither).
   */
  private missingTargets(configPath: string, raw: unknown, parsed: ts.ParsedCommandLine): string[] {
    const dir = path.dirname(configPath);
    const out: string[] = [];
    // With no directory listing (see the host above), the program's file names are the `files` entries.
    for (const f of parsed.fileNames) {
      if (!this.files.exists(f)) out.push(`"files" entry ${path.relative(dir, f) || f} not found`);
    }
    const include = (raw as { include?: unknown } | undefined)?.include;
    for (const spec of Array.isArray(include) ? include : []) {
      if (typeof spec !== 'string' || /[*?]/.test(spec)) continue;
      // `${configDir}/src` (TypeScript 5.5): the directory of the config that names it.
      if (!this.files.exists(path.resolve(dir, spec.replace(/^\$\{configDir\}/, dir)))) out.push(`"include" entry ${spec} not found`);
    }
    return out;
  }
}
