// The one entry point every user of the core calls: the CLI, the language server and the tests.
import * as path from 'path';
import { ts } from 'ts-morph';
import { ConfigCache, isExcluded, KNOWN_RULE_IDS } from './config';
import { discoverSourceFiles, Discovery, SOURCE_EXTENSIONS } from './discover';
import { Boundary, FileAccess } from './files';
import type { Observer } from './fs-observation';
import { setPathInPackage } from './execution';
import { skippedTestRanges } from './test-runs';
import { BudgetExceeded, LeakEngine, LeakReport } from './leaks';
import { collectListeners, ListenSite } from './listeners';
import { collectConnections } from './connections';
import { ProjectHost } from './projects';
import { Rule, RuleContext } from './rule';
import { DirectiveProblem, parseSuppressions } from './suppressions';
import { lineColumn, lineStarts } from './text';
import { AnalysisResult, ConnectionSite, Finding, Listener, RuleSettings, Severity, SkippedFile } from './types';

export interface AnalyzerOptions {
  /** The rules to run: the registry (rules/index.ts) is the caller's to pass, so the core knows none by name. */
  ruleSet?: readonly Rule[];
  /** Severity overrides applied over config files (CLI `--rule`, editor settings). */
  rules?: RuleSettings;
  /** Use this tsconfig/jsconfig for every file (CLI `--project`). */
  project?: string;
  /** Files larger than this are skipped (bytes). */
  maxFileSize?: number;
  /** Analysis of one file stops after this long (ms). */
  timeBudgetMs?: number;
  /** Also list outbound connection sites with literal targets (for `linger sockets`). */
  connections?: boolean;
  /** Where files may be read from (files.ts); default: anywhere. */
  boundary?: Boundary;
  /**
   * The projects parse each file once between them (parsing.ts): for an audit. Not for an editor,
   * whose edits update a file's tree in place.
   */
  shareSyntaxTrees?: boolean;
  /** Told of every file-system call the analyzer makes (fs-observation.ts; the replay of a cached audit). */
  observer?: Observer;
}

export interface FileAnalysis {
  file: string;
  findings: Finding[];
  listeners: Listener[];
  /** Outbound connection sites with a literal target, when asked for (`connections` option). */
  connections: ConnectionSite[];
  /** Why the file was not analysed, when it was not. */
  skipped?: string;
  /**
   * Set with `skipped` when the file should have been analysed and was not: it does not parse, ran
   * out of its time budget, could not be read, or the analysis failed (the CLI counts it as an error,
   * like ESLint's fatal parse errors). Oversized, minified, generated and excluded files are not.
   */
  fatal?: boolean;
  /** Suppression comments that silence nothing or name an unknown rule (suppressions.ts). */
  directives?: DirectiveProblem[];
  /** Set when the file is excluded by configuration (not analysed, not reported). */
  excluded?: boolean;
  configErrors: string[];
  durationMs: number;
}

export const DEFAULT_MAX_FILE_SIZE = 1_000_000;
const MAX_LINES = 50_000;
const GENERATED_MARK = /@generated\b|Code generated .* DO NOT EDIT/;
/** Reasons of `readText` (files.ts) for a file that exists but could not be read: the audit missed it. */
const UNREADABLE = /^cannot be read/;
export { SOURCE_EXTENSIONS };

export class Analyzer {
  readonly projects: ProjectHost;
  readonly configs: ConfigCache;
  /** Every read of the analysis goes through it (files.ts). */
  readonly files: FileAccess;
  private engines = new WeakMap<ts.Program, LeakEngine>();

  constructor(private options: AnalyzerOptions = {}) {
    this.files = new FileAccess(options.boundary, options.observer);
    this.configs = new ConfigCache(this.files);
    this.projects = new ProjectHost(options.project, this.files, { shareTrees: options.shareSyntaxTrees });
  }

  setOptions(options: Partial<AnalyzerOptions>): void {
    const boundaryChanged = options.boundary && JSON.stringify(options.boundary) !== JSON.stringify(this.options.boundary);
    this.options = { ...this.options, ...options };
    if (boundaryChanged) {
      this.files.setBoundary(options.boundary!);
      this.invalidate();
    }
  }

  /** A tsconfig, package.json or .lingerrc.json changed: reload lazily. */
  invalidate(): void {
    this.files.clear();
    this.projects.clear();
    this.configs.clear();
  }

  analyzeFile(file: string, text?: string): FileAnalysis {
    const started = Date.now();
    const abs = path.resolve(file);
    const result: FileAnalysis = { file: abs, findings: [], listeners: [], connections: [], directives: [], configErrors: [], durationMs: 0 };
    const done = () => ({ ...result, durationMs: Date.now() - started });
    const { config, error } = this.configs.forFile(abs);
    if (error) result.configErrors.push(error);
    if (isExcluded(abs, config)) return { ...done(), excluded: true };
    const maxSize = this.options.maxFileSize ?? config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    if (text === undefined) {
      // Regular files inside the workspace only, and the size checked before anything is read.
      const read = this.files.readText(abs, maxSize, 'source');
      if (read.text === undefined) return { ...done(), skipped: read.reason, fatal: UNREADABLE.test(read.reason) || undefined };
      text = read.text;
    }
    const tooBig = sizeProblem(text, maxSize);
    if (tooBig) return { ...done(), skipped: tooBig };
    const severities = { ...config.rules, ...this.options.rules };
    // A type test (`*.test-d.ts` of tsd or `vitest --typecheck`, `*.tst.ts` of TSTyche) is compiled, never run: it opens nothing.
    const active = isTypeTest(abs) ? [] : (this.options.ruleSet ?? []).filter((r) => (severities[r.meta.id] ?? r.meta.defaultSeverity) !== 'off');
    // No budget unless asked (the editor asks, the CLI only with --time-budget): the same input must
    // give the same findings on a quiet and on a loaded machine.
    const budget = this.options.timeBudgetMs ?? config.timeBudgetMs ?? Infinity;
    let engine: LeakEngine | undefined;
    try {
      const owned = this.projects.projectFor(abs, text);
      const cfgError = owned.configPath ? this.projects.warnings.get(owned.configPath) : [...this.projects.errors.values()][0];
      if (cfgError && !result.configErrors.includes(cfgError)) result.configErrors.push(cfgError);
      const existing = owned.project.getSourceFile(abs)!;
      // A file that does not parse is skipped before the program is rebuilt (every keystroke while typing).
      const earlyParseError = firstParseError(existing.compilerNode);
      if (earlyParseError) return { ...done(), skipped: earlyParseError, fatal: true };
      const program = this.projects.program(owned);
      const sf = program.getSourceFile(abs);
      if (!sf) return { ...done(), skipped: 'not part of its TypeScript project', fatal: true };
      setPathInPackage(sf, path.relative(this.projects.packageRoot(abs), abs), this.projects.packageName(abs));
      const parseError = firstParseError(sf);
      if (parseError) return { ...done(), skipped: parseError, fatal: true };
      engine = this.engineFor(program);
      // The budget covers this file's analysis, never building or updating its program.
      engine.startBudget(budget, Date.now() + budget);
      engine.tick(true);
      const suppressions = parseSuppressions(sf.text, sf);
      let skippedTests: Array<[number, number]> | undefined;
      const inSkippedTest = (f: { line: number; column: number }) => {
        // Our lines (text.ts), not TypeScript's, which also break at U+2028.
        const at = (lineStarts(sf.text, sf)[f.line - 1] ?? 0) + f.column - 1;
        return (skippedTests ??= skippedTestRanges(sf)).some(([start, end]) => start <= at && at < end);
      };
      let reports: LeakReport[] | undefined;
      let sites: ListenSite[] | undefined;
      const ctx: RuleContext = {
        sourceFile: sf,
        file: abs,
        checker: program.getTypeChecker(),
        resolver: engine.resolver,
        compilerOptions: program.getCompilerOptions(),
        packageDependencies: this.projects.packageDependencies(abs),
        leakReports: () => (reports ??= engine!.analyze(sf)),
        listenSites: () => (sites ??= collectListeners(ctx)),
        report: () => undefined,
        tick: () => engine!.tick(),
      };
      // The inventory is part of every result, whichever rules are on (the editor's hover uses it).
      for (const site of ctx.listenSites()) result.listeners.push({ file: abs, ...site.listener });
      if (this.options.connections) for (const c of collectConnections(ctx)) result.connections.push({ file: abs, ...c });
      const covers = new Map<Finding, Array<{ line: number; column: number }>>();
      const alongside = new Set<Finding>();
      for (const rule of active) {
        const severity = (severities[rule.meta.id] ?? rule.meta.defaultSeverity) as Severity;
        ctx.report = ({ covers: also, alongside: besides, ...f }) => {
          if (suppressions.isSuppressed(rule.meta.id, f.line) || inSkippedTest(f)) return;
          const finding: Finding = { ruleId: rule.meta.id, severity, file: abs, explanation: rule.meta.explanation, ...f };
          result.findings.push(finding);
          if (also?.length) covers.set(finding, also);
          if (besides) alongside.add(finding);
        };
        rule.check(ctx);
      }
      result.findings = withoutSuperseded(result.findings, active, covers, alongside);
      result.directives = suppressions.problems(KNOWN_RULE_IDS);
      result.findings.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
      result.listeners.sort((a, b) => a.line - b.line || a.column - b.column);
      return done();
    } catch (e) {
      const empty = { findings: [], listeners: [], connections: [], directives: [], fatal: true };
      if (e instanceof BudgetExceeded) return { ...done(), ...empty, skipped: e.message };
      // A stack overflow in this file's analysis (TypeScript's checker or the rules, on code nested or
      // chained thousands deep); building the program itself cannot overflow (ProjectHost.program).
      if (e instanceof RangeError) return { ...done(), ...empty, skipped: `too deeply nested to analyse (${e.message})` };
      return { ...done(), ...empty, skipped: `internal error: ${(e as Error).message}` };
    } finally {
      engine?.endBudget();
    }
  }

  private engineFor(program: ts.Program): LeakEngine {
    let engine = this.engines.get(program);
    if (!engine) {
      engine = new LeakEngine(program, program.getTypeChecker(), (file, module) => this.projects.packageDependencies(file).has(module),
        (file) => ({ name: this.projects.packageName(file), root: this.projects.packageRoot(file) }));
      this.engines.set(program, engine);
    }
    return engine;
  }
}

/**
 * Drops a finding when a rule that supersedes its rule reported the same place (RuleMeta.supersedes), or a place
 * its finding covers (the calls of a module-local factory whose creation it is reported at); not for a finding that
 * was reported alongside the other rule's.
 */
function withoutSuperseded(findings: Finding[], rules: Rule[], covers: ReadonlyMap<Finding, Array<{ line: number; column: number }>>, alongside: ReadonlySet<Finding>): Finding[] {
  const at = (f: { line: number; column: number }) => `${f.line}:${f.column}`;
  const covered = new Set<string>();
  for (const rule of rules) {
    for (const f of findings) {
      if (f.ruleId !== rule.meta.id) continue;
      if (alongside.has(f)) continue; // made alongside another rule's finding: it supersedes nothing
      for (const other of rule.meta.supersedes ?? []) for (const place of [f, ...(covers.get(f) ?? [])]) covered.add(`${other}@${at(place)}`);
    }
  }
  return covered.size ? findings.filter((f) => !covered.has(`${f.ruleId}@${at(f)}`)) : findings;
}

/** Too large, or a minified/generated bundle: skipped with the reason. */
export function sizeProblem(text: string, maxSize: number): string | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxSize) return `larger than the ${maxSize}-byte limit (${bytes} bytes)`;
  if (GENERATED_MARK.test(headerComments(text))) return 'marked as generated (`@generated` or "Code generated … DO NOT EDIT")';
  if (text.length > 20_000) {
    let longest = 0;
    let lines = 0;
    // Parsing is the one step the time budget cannot interrupt; files this long are generated anyway.
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      if (i === text.length || text.charCodeAt(i) === 10) {
        longest = Math.max(longest, i - start);
        lines++;
        start = i + 1;
      }
    }
    if (longest > 5_000 && text.length / lines > 300) return `looks minified or generated (a ${longest}-character line)`;
    if (looksWrappedMinified(text)) return 'looks minified (almost no spaces or indentation: a bundle wrapped at short lines)';
    if (lines > MAX_LINES) return `looks generated (${lines} lines, more than ${MAX_LINES})`;
  }
  return undefined;
}

/**
 * A minifier's output wrapped at about a hundred characters (esbuild's `--line-limit`, a committed
 * `index.js` bundle): written code spends a sixth or more of its characters on spaces and indents most
 * of its lines; this spends under 5 % and indents under a tenth of them.
 */
function looksWrappedMinified(text: string): boolean {
  let spaces = 0;
  let lines = 0;
  let indented = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) spaces++;
    if (i === 0 || text.charCodeAt(i - 1) === 10) {
      lines++;
      if (c === 32 || c === 9) indented++;
    }
  }
  return spaces < text.length * 0.05 && indented < lines * 0.1;
}

/**
 * The comments before the first token (after a shebang): where generators put their "@generated" or
 * "Code generated … DO NOT EDIT" header. The same words later in the code (a regular expression, a
 * string, a comment inside a function) do not make a file generated.
 */
function headerComments(text: string): string {
  const comments: string[] = [];
  let pos = 0;
  for (;;) {
    const ranges = ts.getLeadingCommentRanges(text, pos) ?? [];
    comments.push(...ranges.map((r) => text.slice(r.pos, r.end)));
    // Compilers put the header after a "use strict" prologue.
    const after = ranges.length ? ranges[ranges.length - 1].end : pos;
    const prologue = /^\s*(['"])use strict\1;?/.exec(text.slice(after, after + 40));
    if (!prologue) return comments.join('\n');
    pos = after + prologue[0].length;
  }
}

/**
 * Legacy octal literals and escapes (`0755`, `'\033'`, `08`): TypeScript flags them, but Node runs
 * them in sloppy-mode scripts and the syntax tree is complete, so they do not stop the analysis.
 */
const LEGACY_SYNTAX = new Set([1121, 1487, 1488, 1489]);

function firstParseError(sf: ts.SourceFile): string | undefined {
  const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics?.filter((d) => !LEGACY_SYNTAX.has(d.code));
  if (!diags || !diags.length) return undefined;
  const d = diags[0];
  const lc = lineColumn(sf, d.start);
  return `does not parse: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')} (line ${lc.line}, column ${lc.column})`;
}

export interface AuditOptions extends AnalyzerOptions {
  /** Entries the file discovery skipped (links out of the workspace, FIFOs), reported with the rest. */
  skipped?: SkippedFile[];
  onProgress?: (done: number, total: number, file: string) => void;
  isCancelled?: () => boolean;
}

/**
 * Expand files and folders into the JS/TS files under them (node_modules and dot-folders left out,
 * folders excluded by their config pruned, links followed only inside the boundary, each real file
 * once). Without an analyzer, each path given is its own workspace root.
 */
export function listSourceFiles(paths: string[], analyzer?: Analyzer): Discovery {
  const files = analyzer?.files ?? new FileAccess({ roots: paths, configsAbove: true });
  const configs = analyzer?.configs ?? new ConfigCache(files);
  return discoverSourceFiles(paths, files, (p, isDir) => isExcluded(p, configs.forDir(isDir ? p : path.dirname(p)).config, isDir));
}

/** Analyse many files (the CLI's `audit` and the editor's workspace audit). */
export function analyzeFiles(files: string[], options: AuditOptions, analyzer = new Analyzer(options)): AnalysisResult {
  const started = Date.now();
  const result: AnalysisResult = { findings: [], listeners: [], connections: [], files: [], skipped: [], configErrors: [], durationMs: 0 };
  const errors = new Set<string>();
  // Load every file into its project first, so each project builds one program, not one per file.
  for (const f of files) {
    try { analyzer.projects.projectFor(f); } catch { /* reported per file below */ }
  }
  result.skipped.push(...(options.skipped ?? []));
  files.forEach((file, i) => {
    if (options.isCancelled?.()) return;
    const r = analyzer.analyzeFile(file);
    r.configErrors.forEach((e) => errors.add(e));
    options.onProgress?.(i + 1, files.length, file);
    if (r.excluded) return;
    if (r.skipped) {
      result.skipped.push({ file: r.file, reason: r.skipped, ...(r.fatal ? { fatal: true } : {}) } satisfies SkippedFile);
      return;
    }
    result.files.push(r.file);
    result.findings.push(...r.findings);
    result.listeners.push(...r.listeners);
    result.connections.push(...r.connections);
  });
  for (const e of [...analyzer.projects.errors.values(), ...analyzer.projects.warnings.values()]) errors.add(e);
  result.configErrors = [...errors];
  const order = (a: { file: string; line: number; column: number }, b: typeof a) =>
    a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
  result.findings.sort(order);
  result.listeners.sort(order);
  result.durationMs = Date.now() - started;
  return result;
}

/** `*.test-d.ts` (tsd, Vitest's type tests) and `*.tst.ts` (TSTyche): checked by the compiler only. */
function isTypeTest(file: string): boolean {
  return /\.(test-d|tst)\.[cm]?tsx?$/.test(file);
}
