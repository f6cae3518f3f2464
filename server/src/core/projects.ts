// Projects like tsserver builds them: the nearest tsconfig.json/jsconfig.json of a file, or an
// inferred project (JavaScript allowed) for files that no config claims. One ts-morph Project per
// config, kept and updated in place so that editors re-check only what changed.
import * as fs from 'fs';
import * as path from 'path';
import { Project, ts } from 'ts-morph';

export interface OwnedProject {
  project: Project;
  /** The tsconfig/jsconfig, or undefined for an inferred project. */
  configPath?: string;
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

  constructor(private override?: string) {}

  /** How many projects are loaded (to tell a file's own cost from loading its project). */
  get count(): number {
    return this.projects.size;
  }

  clear(): void {
    this.projects.clear();
    this.configOf.clear();
    this.errors.clear();
    this.warnings.clear();
  }

  /** The project that owns a file, loading it (and the file) on first use. */
  projectFor(file: string): OwnedProject {
    const abs = path.resolve(file);
    const configPath = this.override ? path.resolve(this.override) : this.nearestConfig(path.dirname(abs));
    let owned = configPath ? this.loadConfigured(configPath) : undefined;
    // A JavaScript file under a tsconfig without allowJs is not that project's: tsserver infers one.
    if (owned && /\.[cm]?jsx?$/.test(abs) && !owned.project.getCompilerOptions().allowJs) owned = undefined;
    if (!owned) owned = this.inferred(abs);
    if (!owned.project.getSourceFile(abs) && fs.existsSync(abs)) owned.project.addSourceFileAtPathIfExists(abs);
    return owned;
  }

  /** Every source file a config includes (for `linger audit --project`). */
  filesOfConfig(configPath: string): string[] {
    const owned = this.loadConfigured(path.resolve(configPath));
    if (!owned) return [];
    // The config's own files, not the libraries they import.
    const program = owned.project.getProgram().compilerObject;
    return program.getRootFileNames().filter((f) => !f.endsWith('.d.ts')).map((f) => path.resolve(f));
  }

  /** Replace a file's text in memory (an editor buffer). */
  setText(file: string, text: string): void {
    const { project } = this.projectFor(file);
    project.createSourceFile(path.resolve(file), text, { overwrite: true });
  }

  /** Go back to the text on disk. */
  revert(file: string): void {
    const abs = path.resolve(file);
    for (const { project } of this.projects.values()) {
      const sf = project.getSourceFile(abs);
      if (!sf) continue;
      if (fs.existsSync(abs)) sf.refreshFromFileSystemSync();
      else project.removeSourceFile(sf);
    }
  }

  private nearestConfig(dir: string): string | undefined {
    const hit = this.configOf.get(dir);
    if (hit !== undefined) return hit ?? undefined;
    let found: string | undefined;
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) { found = candidate; break; }
    }
    if (!found && !dir.endsWith(`${path.sep}node_modules`)) {
      const parent = path.dirname(dir);
      if (parent !== dir) found = this.nearestConfig(parent);
    }
    this.configOf.set(dir, found ?? null);
    return found;
  }

  private loadConfigured(configPath: string): OwnedProject | undefined {
    const existing = this.projects.get(configPath);
    if (existing) return existing;
    if (this.errors.has(configPath)) return undefined;
    const problem = checkConfig(configPath);
    if (problem.fatal) {
      this.errors.set(configPath, problem.fatal);
      return undefined;
    }
    if (problem.warning) this.warnings.set(configPath, problem.warning);
    try {
      const project = new Project({
        tsConfigFilePath: configPath,
        compilerOptions: ANALYSIS_OPTIONS,
        skipFileDependencyResolution: false,
      });
      const owned = { project, configPath };
      this.projects.set(configPath, owned);
      return owned;
    } catch (e) {
      this.errors.set(configPath, `${configPath}: cannot be loaded (${(e as Error).message.split('\n')[0]}); using an inferred project`);
      return undefined;
    }
  }

  /** One inferred project per package root (the nearest folder with a package.json), like tsserver's per-root projects. */
  private inferred(abs: string): OwnedProject {
    let root = path.dirname(abs);
    for (let d = root; ; d = path.dirname(d)) {
      if (fs.existsSync(path.join(d, 'package.json'))) { root = d; break; }
      if (path.dirname(d) === d) break;
    }
    const key = `inferred:${root}`;
    let owned = this.projects.get(key);
    if (!owned) {
      owned = { project: new Project({ compilerOptions: INFERRED_OPTIONS, skipAddingFilesFromTsConfig: true }) };
      this.projects.set(key, owned);
    }
    return owned;
  }
}

/**
 * Read a tsconfig with TypeScript's own reader (extends, option values), to say clearly what is wrong
 * with a broken one. A problem in the options is reported; only unreadable JSON is fatal.
 */
function checkConfig(configPath: string): { fatal?: string; warning?: string } {
  let text: string;
  try {
    text = fs.readFileSync(configPath, 'utf8');
  } catch (e) {
    return { fatal: `${configPath}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); using an inferred project` };
  }
  const json = ts.parseConfigFileTextToJson(configPath, text);
  if (json.error) {
    return { fatal: `${configPath}: ${ts.flattenDiagnosticMessageText(json.error.messageText, ' ')}; using an inferred project` };
  }
  const parsed = ts.parseJsonConfigFileContent(json.config, ts.sys, path.dirname(configPath), undefined, configPath);
  // "No inputs were found" (TS18003) is a config that includes nothing, not a broken one.
  const errors = parsed.errors.filter((d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003);
  if (!errors.length) return {};
  return { warning: `${configPath}: ${ts.flattenDiagnosticMessageText(errors[0].messageText, ' ')}` };
}
