// The generative fix checker: generate files of functions (generate.ts), analyse each, apply every
// fix offered, and require of each: the file parses; no TypeScript error is added in the function;
// the finding it was for is gone; no new finding appears in the function; and the same observable
// behaviour (paths.ts): the same statements run in the same order and the release happens on every
// exit, never twice, never on an unset variable, never before a use.
//
// Speed: the fixes of different functions of one file are independent, so one fix per function is
// applied at once, and the file is analysed and type-checked once per round; a round whose failure
// cannot be pinned on one function is re-run one fix at a time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { applyEdits, lineStarts } from '../../../server/src/core/text';
import { Finding, Fix } from '../../../server/src/core/types';
import { generateFile, GenFile, Rng, Unit } from './generate';
import { TsError, TypeChecker } from './typecheck';
import { compareBehaviour, declaredName, enumeratePaths, PathSummary, subjectFunction, TooManyPaths } from './paths';
import { createAnalyzer } from '../../../server/src/analyzer';

const LEAK_RULES = new Set(['unclosed-connection', 'unconsumed-response', 'unreleased-pool-connection']);

export interface Failure {
  reason: string;
  detail: string;
  unit: string;
  fix: string;
  safe: boolean;
  finding: string;
  original: string;
  fixed: string;
  ext: string;
}

export interface RunStats {
  seed: number;
  functions: number;
  files: number;
  findings: number;
  fixes: number;
  safeFixes: number;
  /** Fixes of the leak rules, whose behaviour is compared. */
  leakFixes: number;
  behaviourChecked: number;
  behaviourSkipped: number;
  failures: Failure[];
  fixesByTitle: Record<string, number>;
  features: Record<string, number>;
  fixedFeatures: Record<string, number>;
}

interface Pair { unit: Unit; finding: Finding; fix: Fix }

export interface RunOptions {
  seed: number;
  count: number;
  perFile?: number;
  dir: string;
  onFile?: (done: number, stats: RunStats) => void;
}

export function runGenerated(opts: RunOptions): RunStats {
  const perFile = opts.perFile ?? 40;
  const stats: RunStats = {
    seed: opts.seed, functions: 0, files: 0, findings: 0, fixes: 0, safeFixes: 0, leakFixes: 0, behaviourChecked: 0, behaviourSkipped: 0,
    failures: [], fixesByTitle: {}, features: {}, fixedFeatures: {},
  };
  // Half the files in a project without a tsconfig, half under one with the disposable lib (where
  // `await using` fixes are offered).
  for (const sub of ['plain', 'disposable']) {
    fs.mkdirSync(path.join(opts.dir, sub), { recursive: true });
    fs.writeFileSync(path.join(opts.dir, sub, 'package.json'), '{"name":"fixgen","private":true}');
  }
  fs.writeFileSync(path.join(opts.dir, 'disposable', 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'es2022', module: 'commonjs', lib: ['es2022', 'esnext.disposable'], strict: true, allowJs: true, jsx: 'preserve', esModuleInterop: true },
  }));
  const checker = new Checker(opts.dir, stats);
  const rng = new Rng(opts.seed);
  for (let fileNo = 0; stats.functions < opts.count; fileNo++) {
    const gen = generateFile(rng, Math.min(perFile, opts.count - stats.functions), fileNo);
    checker.checkFile(gen, fileNo);
    opts.onFile?.(fileNo + 1, stats);
  }
  return stats;
}

class Checker {
  private analyzer = createAnalyzer({ timeBudgetMs: 600_000 });
  private types: TypeChecker;

  constructor(private dir: string, private stats: RunStats) {
    this.types = new TypeChecker(dir);
  }

  checkFile(gen: GenFile, fileNo: number): void {
    const file = path.join(this.dir, fileNo % 2 ? 'disposable' : 'plain', `g${fileNo}${gen.ext}`);
    fs.writeFileSync(file, gen.text);
    const { stats } = this;
    stats.files++;
    stats.functions += gen.units.length;
    for (const u of gen.units) for (const f of u.features) stats.features[f] = (stats.features[f] ?? 0) + 1;
    try {
      const r = this.analyzer.analyzeFile(file, gen.text);
      if (r.skipped) {
        this.fail({ reason: 'generator', detail: `the generated file is skipped: ${r.skipped}`, unit: '(file)', fix: '', safe: false, finding: '', original: gen.text, fixed: '', ext: gen.ext });
        return;
      }
      // TypeScript errors of the original: only the functions that have a fix need them.
      const before = new Snapshot(gen, gen.text, r.findings);
      const pairs: Pair[] = [];
      for (const finding of r.findings) {
        const unit = before.unitAt(offsetOf(gen.text, finding.line, finding.column));
        if (!unit) continue;
        stats.findings++;
        for (const fix of finding.fixes) pairs.push({ unit, finding, fix });
      }
      const fixedUnits = new Set(pairs.map((p) => p.unit.name));
      const checkedText = `${gen.header}\n${[...before.ranges].filter(([n]) => fixedUnits.has(n)).map(([, [a, b]]) => gen.text.slice(a, b)).join('\n\n')}\n`;
      before.setErrors(parse(checkedText, gen.ext), this.tsErrors(file, checkedText));
      const local = (p: Pair) => {
        const range = before.ranges.get(p.unit.name)!;
        return p.fix.edits.every((e) => path.resolve(e.file) === file && within(offsetOf(gen.text, e.line, e.column), range) &&
          within(offsetOf(gen.text, e.endLine, e.endColumn), range));
      };
      // Round k applies the k-th fix of every function; a fix that edits outside its function goes alone.
      const rounds: Pair[][] = [];
      const alone: Pair[] = [];
      const perUnit = new Map<string, number>();
      for (const p of pairs) {
        if (!local(p)) { alone.push(p); continue; }
        const k = perUnit.get(p.unit.name) ?? 0;
        perUnit.set(p.unit.name, k + 1);
        (rounds[k] ??= []).push(p);
      }
      for (const round of rounds) this.checkRound(file, gen, before, round, true);
      for (const p of alone) this.checkRound(file, gen, before, [p], false);
    } finally {
      fs.rmSync(file, { force: true });
      this.analyzer.projects.revert(file);
    }
  }

  /**
   * Apply one fix per function at once. The text analysed and type-checked holds only the functions
   * this round changed (with the file's header): the others are as before, and each function's
   * findings and errors do not depend on its neighbours.
   */
  private checkRound(file: string, gen: GenFile, before: Snapshot, round: Pair[], local: boolean): void {
    const fixed = local ? roundText(gen, before, round) : withoutOtherUnits(gen, applyEdits(gen.text, round[0].fix.edits), round[0].unit);
    const again = this.analyzer.analyzeFile(file, fixed);
    const problems = new Map<Pair, { reason: string; detail: string }>();
    if (again.skipped) {
      if (round.length > 1) { for (const p of round) this.checkRound(file, gen, before, [p], local); return; }
      problems.set(round[0], { reason: 'parse', detail: `the fixed file is skipped: ${again.skipped}` });
    } else {
      const after = this.snapshot(file, gen, fixed, again.findings);
      if (after.headerErrors.length > before.headerErrors.length && round.length > 1) {
        for (const p of round) this.checkRound(file, gen, before, [p], local);
        return;
      }
      for (const p of round) {
        const problem = this.judge(p, before, after, fixed);
        if (problem) problems.set(p, problem);
      }
    }
    for (const p of round) {
      this.stats.fixes++;
      if (p.fix.safe) this.stats.safeFixes++;
      if (LEAK_RULES.has(p.finding.ruleId)) this.stats.leakFixes++;
      const title = p.fix.title.replace(/`[^`]*`/g, '`x`').replace(/\d+/g, 'N');
      this.stats.fixesByTitle[title] = (this.stats.fixesByTitle[title] ?? 0) + 1;
      for (const f of p.unit.features) this.stats.fixedFeatures[f] = (this.stats.fixedFeatures[f] ?? 0) + 1;
      const problem = problems.get(p);
      if (problem) {
        const range = before.ranges.get(p.unit.name)!;
        this.fail({
          ...problem, unit: p.unit.name, fix: p.fix.title, safe: p.fix.safe, finding: `${p.finding.line}:${p.finding.column} ${p.finding.ruleId} ${p.finding.message}`,
          original: `${gen.header}\n${gen.text.slice(range[0], range[1])}\n`,
          fixed: local ? `${gen.header}\n${fixedUnit(gen, before, p)}\n` : fixed, ext: gen.ext,
        });
      }
    }
  }

  /** What is wrong with one applied fix, judged within its function. */
  private judge(p: Pair, before: Snapshot, after: Snapshot, fixed: string): { reason: string; detail: string } | undefined {
    const name = p.unit.name;
    const addedErrors = added(before.errors.get(name) ?? [], after.errors.get(name) ?? []);
    if (after.headerErrors.length > before.headerErrors.length) addedErrors.push(...added(before.headerErrors, after.headerErrors));
    if (addedErrors.length) return { reason: 'ts-errors', detail: addedErrors.join('\n') };
    const myKey = findingKey(before.text, p.finding);
    const countOf = (keys: string[], k: string) => keys.filter((x) => x === k).length;
    const beforeKeys = before.findings.get(name) ?? [];
    const afterKeys = after.findings.get(name) ?? [];
    if (countOf(afterKeys, myKey) >= countOf(beforeKeys, myKey)) return { reason: 'still-there', detail: myKey };
    // A fix offered for review may leave another rule's finding (a client closed per call is still
    // connection-churn); a safe one adds none.
    const fresh = [...new Set(afterKeys)].filter((k) => countOf(afterKeys, k) > countOf(beforeKeys, k) &&
      (p.fix.safe || k.startsWith(`${p.finding.ruleId}/`)));
    if (fresh.length) return { reason: 'new-finding', detail: fresh.join('\n') };
    return this.behaviour(p, before, fixed);
  }

  private behaviour(p: Pair, before: Snapshot, fixed: string): { reason: string; detail: string } | undefined {
    const leakFix = LEAK_RULES.has(p.finding.ruleId);
    // The other rules' fixes add statements by design (`s.on('timeout', …)`, a shared agent): the
    // statement-by-statement comparison is for the release fixes.
    if (!leakFix) return undefined;
    const fixedSf = parse(fixed, before.ext);
    const fnBefore = subjectFunction(before.sf, p.unit);
    const fnAfter = subjectFunction(fixedSf, p.unit);
    if (!fnBefore || !fnAfter) {
      if (leakFix && fnBefore) return { reason: 'behaviour', detail: 'the function holding the resource is gone after the fix' };
      this.stats.behaviourSkipped++;
      return undefined;
    }
    let a: PathSummary[];
    let b: PathSummary[];
    try {
      a = before.paths(p.unit, fnBefore);
      b = enumeratePaths(fnAfter, p.unit);
    } catch (e) {
      if (e instanceof TooManyPaths) { this.stats.behaviourSkipped++; return undefined; }
      throw e;
    }
    this.stats.behaviourChecked++;
    const problem = compareBehaviour(a, b, leakFix, p.unit.kind.idempotent);
    return problem && { reason: `behaviour:${problem.reason}`, detail: problem.path };
  }

  private snapshot(file: string, gen: GenFile, text: string, findings: Finding[]): Snapshot {
    const snap = new Snapshot(gen, text, findings);
    snap.setErrors(snap.sf, this.tsErrors(file, text));
    return snap;
  }

  private tsErrors(file: string, text: string): TsError[] {
    return this.types.errors(path.extname(file), text);
  }

  private fail(f: Failure): void {
    this.stats.failures.push(f);
  }
}

/** A file's text with its units located, its TypeScript errors and findings per unit, and path summaries on demand. */
class Snapshot {
  readonly sf: ts.SourceFile;
  readonly ext: string;
  readonly ranges = new Map<string, [number, number]>();
  readonly errors = new Map<string, string[]>();
  readonly headerErrors: string[] = [];
  readonly findings = new Map<string, string[]>();
  private pathCache = new Map<string, PathSummary[]>();

  constructor(private gen: GenFile, readonly text: string, findings: Finding[]) {
    this.ext = gen.ext;
    this.sf = parse(text, gen.ext);
    unitRanges(this.sf, gen, this.ranges);
    for (const f of findings) {
      const u = this.nameAt(offsetOf(text, f.line, f.column));
      if (u) this.findings.set(u, [...(this.findings.get(u) ?? []), findingKey(text, f)]);
    }
  }

  /** Errors of the text as type-checked (`sf`: this text, or one with only some of its functions). */
  setErrors(sf: ts.SourceFile, errors: TsError[]): void {
    const ranges = sf === this.sf ? this.ranges : unitRanges(sf, this.gen, new Map());
    for (const e of errors) {
      const u = nameAt(ranges, e.pos);
      if (u) this.errors.set(u, [...(this.errors.get(u) ?? []), e.message]);
      else this.headerErrors.push(e.message);
    }
  }

  private nameAt(pos: number): string | undefined {
    return nameAt(this.ranges, pos);
  }

  unitAt(pos: number): Unit | undefined {
    const name = this.nameAt(pos);
    return name ? this.gen.units.find((u) => u.name === name) : undefined;
  }

  paths(unit: Unit, fn: ts.FunctionLikeDeclaration): PathSummary[] {
    let p = this.pathCache.get(unit.name);
    if (!p) { p = enumeratePaths(fn, unit); this.pathCache.set(unit.name, p); }
    return p;
  }
}

function unitRanges(sf: ts.SourceFile, gen: GenFile, out: Map<string, [number, number]>): Map<string, [number, number]> {
  const names = new Set(gen.units.map((u) => u.name));
  for (const st of sf.statements) {
    const name = declaredName(st);
    if (name && names.has(name)) out.set(name, [st.getStart(sf), st.getEnd()]);
  }
  return out;
}

function nameAt(ranges: Map<string, [number, number]>, pos: number): string | undefined {
  for (const [name, range] of ranges) if (within(pos, range)) return name;
  return undefined;
}

function parse(text: string, ext: string): ts.SourceFile {
  const kind = ext === '.tsx' ? ts.ScriptKind.TSX : ext === '.js' ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  return ts.createSourceFile(`x${ext}`, text, ts.ScriptTarget.Latest, true, kind);
}

function within(pos: number, [a, b]: [number, number]): boolean {
  return pos >= a && pos <= b;
}

function offsetOf(text: string, line: number, column: number): number {
  return (lineStarts(text)[line - 1] ?? text.length) + column - 1;
}

/** A finding's identity across a fix: rule, message id and flagged text (whitespace collapsed: fixes re-indent). */
function findingKey(text: string, f: Finding): string {
  return `${f.ruleId}/${f.messageId}/${text.slice(offsetOf(text, f.line, f.column), offsetOf(text, f.endLine, f.endColumn)).replace(/\s+/g, ' ')}`;
}

function added(before: string[], after: string[]): string[] {
  const left = [...before];
  const out: string[] = [];
  for (const m of after) {
    const i = left.indexOf(m);
    if (i >= 0) left.splice(i, 1);
    else out.push(m);
  }
  return out;
}

/** A function after its fix, on its own: the edits moved to the function's first line. */
function fixedUnit(gen: GenFile, before: Snapshot, p: Pair): string {
  const [a, b] = before.ranges.get(p.unit.name)!;
  const firstLine = gen.text.slice(0, a).split('\n').length;
  return applyEdits(gen.text.slice(a, b), p.fix.edits.map((e) => ({ ...e, line: e.line - firstLine + 1, endLine: e.endLine - firstLine + 1 })));
}

/** A fixed file without the functions other than `unit` (what the fix added at module level stays). */
function withoutOtherUnits(gen: GenFile, fixed: string, unit: Unit): string {
  const sf = parse(fixed, gen.ext);
  const names = new Set(gen.units.map((u) => u.name));
  let out = fixed;
  for (const st of [...sf.statements].reverse()) {
    const name = declaredName(st);
    if (name && names.has(name) && name !== unit.name) out = out.slice(0, st.getFullStart()) + out.slice(st.getEnd());
  }
  return out;
}

/** The header and the functions a round changed, each with its fix. */
function roundText(gen: GenFile, before: Snapshot, round: Pair[]): string {
  return `${gen.header}\n${round.map((p) => fixedUnit(gen, before, p)).join('\n\n')}\n`;
}
