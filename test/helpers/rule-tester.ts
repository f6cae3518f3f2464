// Table-driven rule tests in the style of typescript-eslint's RuleTester: `valid` snippets must
// produce no finding of the rule; `invalid` ones exactly the listed findings (line + message id),
// and every fix offered must parse, add no TypeScript error, and remove the finding it was for.
// Every case runs in three environments (test/helpers/environments.ts): no node_modules, libraries
// and their typings installed, a tsconfig with the DOM library; the findings must be the same.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Project, ts } from 'ts-morph';
import { Analyzer } from '../../server/src/core/analyze';
import { applyEdits, lineStarts } from '../../server/src/core/text';
import { Finding } from '../../server/src/core/types';
import { Environment, makeEnvironments } from './environments';
import { createAnalyzer } from '../../server/src/analyzer';

export interface ValidCase {
  name: string;
  code: string;
  /** Defaults to `.ts`. */
  ext?: '.ts' | '.js' | '.mjs' | '.tsx';
  /** Other files of the project, beside the case (name → code), for imports like `./db`. */
  files?: Record<string, string>;
  /** Where the case lives in its project (`test/helpers/tls.ts`), when the path matters; the extension is ignored. */
  file?: string;
}

export interface InvalidCase extends ValidCase {
  /** `message`: a pattern the finding's text must match (the names and lines it quotes). */
  errors: Array<{ line: number; messageId?: string; message?: RegExp }>;
  /** The text after applying the first fix of the first finding (dedented like `code`). */
  output?: string;
  /** The fixes of the first finding, in order, as `safe: <title>` (fix-all applies it) or `review: <title>`. */
  fixes?: string[];
}

/** Remove the common indentation of a template literal, and its first and last blank lines. */
export function dedent(s: string): string {
  const lines = s.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return `${lines.map((l) => l.slice(indent)).join('\n')}\n`;
}

/** Files without import/export would share one global scope in the test project. */
function asModule(code: string, ext: string): string {
  if (/^\s*(import|export)\s/m.test(code)) return code;
  // `exports['…']`, not `module.exports.…`: the latter is itself a sign of a Node module (execution.ts isBrowserFile).
  return ext === '.js' ? `${code}\nexports['__case'] = true;\n` : `${code}\nexport {};\n`;
}

/**
 * The environment's suffix in the case's module system: `import 'express'` would turn a CommonJS JavaScript file
 * into an ES module, whose `module.exports` TypeScript no longer binds as exports (its callers in other files would
 * stop resolving), so CommonJS cases get the same import as a `require`.
 */
function suffixFor(env: Environment, code: string, ext: string): string {
  const commonJs = (ext === '.js' || ext === '.cjs') && !/^\s*(import|export)\s/m.test(code);
  return commonJs ? env.suffix.replace(/^(\s*)import ('[^']+');/m, '$1require($2);') : env.suffix;
}

function stripModuleMarker(code: string): string {
  return code.replace(/\nexports\['__case'\] = true;\n$/, '').replace(/\nexport \{\};\n$/, '');
}

interface EnvironmentRun {
  env: Environment;
  analyzer: Analyzer;
}

export interface TesterOptions {
  /** Written as `.lingerrc.json` beside the cases (to turn on a rule that is off by default). */
  config?: object;
}

/** Folders of every tester's cases, removed when the test process ends. */
const CASE_DIRS: string[] = [];
process.once('exit', () => CASE_DIRS.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

export class RuleTester {
  private analyzer = createAnalyzer();
  private runs: EnvironmentRun[] | undefined;
  private n = 0;

  constructor(private options: TesterOptions = {}) {}

  /** The environments, made on first use (installing the typed one can take a while the first time). */
  private environments(): EnvironmentRun[] {
    if (!this.runs) {
      this.runs = makeEnvironments().map((env, i) => {
        if (this.options.config) fs.writeFileSync(path.join(env.dir, '.lingerrc.json'), JSON.stringify(this.options.config));
        // The bare environment keeps the tester's own analyzer: fixes are re-analysed with it.
        return { env, analyzer: i === 0 ? this.analyzer : createAnalyzer() };
      });
      for (const r of this.runs) CASE_DIRS.push(r.env.dir);
    }
    return this.runs;
  }

  /** Findings of a case in the bare environment. */
  findings(code: string, ext = '.ts', ruleId?: string): CaseResult {
    return this.findingsIn(this.environments()[0], code, ext, ruleId, ++this.n);
  }

  private findingsIn(run: EnvironmentRun, code: string, ext: string, ruleId: string | undefined, n: number, files: Record<string, string> = {}, at?: string): CaseResult {
    // Each case in its own folder, so that its sibling files cannot meet another case's.
    const dir = path.join(run.env.dir, `case${n}`);
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, body] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), dedent(body));
    }
    const file = path.join(dir, at ? at.replace(/\.[^./]+$/, ext) : `case${ext}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const text = asModule(code, ext) + suffixFor(run.env, code, ext);
    fs.writeFileSync(file, text);
    // The sibling sources are in the program as an audit of the folder has them (callers too, not only imports).
    for (const name of Object.keys(files)) if (/\.[cm]?[jt]sx?$/.test(name)) run.analyzer.projects.projectFor(path.join(dir, name));
    const r = run.analyzer.analyzeFile(file, text);
    return { file, text, findings: r.findings.filter((f) => !ruleId || f.ruleId === ruleId), skipped: r.skipped };
  }

  /** Findings in every environment; fails unless they are the same as in the bare one. */
  private findingsEverywhere(code: string, ext: string, ruleId: string, files?: Record<string, string>, at?: string): CaseResult {
    const n = ++this.n;
    const [bare, ...others] = this.environments().map((run) => ({ run, result: this.findingsIn(run, code, ext, ruleId, n, files, at) }));
    const show = (r: CaseResult) => (r.skipped ? [`skipped: ${r.skipped}`] : r.findings.map((f) => `${f.line}:${f.column} ${f.ruleId} ${f.message}`));
    for (const o of others) {
      assert.deepEqual(show(o.result), show(bare.result), `the ${o.run.env.name} environment disagrees with the bare one`);
    }
    for (const o of others) {
      const dir = path.join(o.run.env.dir, `case${n}`);
      const names = [o.result.file, ...Object.keys(files ?? {}).map((f) => path.join(dir, f))];
      fs.rmSync(dir, { recursive: true, force: true });
      for (const f of names) o.run.analyzer.projects.revert(f);
    }
    return bare.result;
  }

  /** A project with the standard library and @types/node, unlike the analyzer's, to judge fixes as `tsc` would. */
  private typecheck = new Project({
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, allowJs: true,
      esModuleInterop: true, skipLibCheck: true, noEmit: true, lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'],
      typeRoots: [path.join(__dirname, '..', '..', 'node_modules', '@types')], types: ['node'] },
  });

  /** TypeScript errors of a text, semantic and syntactic, as a count per message (to compare before/after). */
  private tsErrors(file: string, text: string): string[] {
    const project = this.typecheck;
    const sf = project.createSourceFile(file, text, { overwrite: true });
    const program = project.getProgram().compilerObject;
    const tsSf = program.getSourceFile(sf.getFilePath())!;
    return [...program.getSyntacticDiagnostics(tsSf), ...program.getSemanticDiagnostics(tsSf)]
      .filter((d) => d.category === ts.DiagnosticCategory.Error)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
  }

  run(ruleId: string, tables: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
    describe(ruleId, () => {
      describe('valid', () => {
        for (const c of tables.valid) {
          it(c.name, () => {
            const r = this.findingsEverywhere(dedent(c.code), c.ext ?? '.ts', ruleId, c.files, c.file);
            assert.equal(r.skipped, undefined, `skipped: ${r.skipped}`);
            assert.deepEqual(r.findings.map((f) => `${f.line}: ${f.message}`), []);
          });
        }
      });
      describe('invalid', () => {
        for (const c of tables.invalid) {
          it(c.name, () => {
            const code = dedent(c.code);
            const r = this.findingsEverywhere(code, c.ext ?? '.ts', ruleId, c.files, c.file);
            assert.equal(r.skipped, undefined, `skipped: ${r.skipped}`);
            assert.deepEqual(
              r.findings.map((f) => ({ line: f.line, messageId: f.messageId })),
              c.errors.map((e) => ({ line: e.line, messageId: e.messageId ?? r.findings.find((f) => f.line === e.line)?.messageId })),
              r.findings.map((f) => `${f.line}: ${f.message}`).join('\n'),
            );
            c.errors.forEach((e, i) => {
              if (e.message) assert.match(r.findings[i].message, e.message);
            });
            for (const f of r.findings) {
              assert.ok(f.related.length > 0, 'a finding names its leaking exits');
              assert.ok(f.message.length > 40);
            }
            if (c.fixes !== undefined) {
              assert.deepEqual(r.findings[0]?.fixes.map((f) => `${f.safe ? 'safe' : 'review'}: ${f.title}`), c.fixes);
            }
            if (c.output !== undefined) {
              const fix = r.findings[0]?.fixes[0];
              assert.ok(fix, 'expected a fix');
              assert.equal(stripModuleMarker(applyEdits(r.text, fix.edits)), dedent(c.output));
            }
            this.checkFixes(r.file, r.text, r.findings, ruleId);
          });
        }
      });
    });
  }

  /**
   * Every fix: parses, adds no TypeScript error, the finding it was for is gone, and no finding of any
   * rule appears that was not there before (same rule, message and flagged text); of its own rule
   * only, for a fix offered for review.
   */
  private checkFixes(file: string, text: string, findings: Finding[], ruleId: string): void {
    const before = this.tsErrors(file, text);
    // Another rule's finding on the text the fix edits keeps its identity (rule and message), not its text.
    const keyOf = (t: string, f: Finding) => `${f.ruleId}/${f.messageId}/${f.ruleId === ruleId ? sliceOf(t, f).replace(/\s+/g, ' ') : ''}`;
    let beforeKeys: string[] | undefined;
    for (const f of findings) {
      for (const fix of f.fixes) {
        const fixed = applyEdits(text, fix.edits);
        const after = this.tsErrors(file, fixed);
        const added = after.filter((m) => before.filter((b) => b === m).length < after.filter((a) => a === m).length);
        assert.deepEqual([...new Set(added)], [], `fix "${fix.title}" adds TypeScript errors:\n${fixed}`);
        beforeKeys ??= this.analyzer.analyzeFile(file, text).findings.map((g) => keyOf(text, g));
        const again = this.analyzer.analyzeFile(file, fixed);
        assert.equal(again.skipped, undefined, `fix "${fix.title}" leaves a file that does not parse:\n${fixed}`);
        const remaining = again.findings.filter((g) => g.ruleId === ruleId);
        assert.ok(remaining.length < findings.length,
          `fix "${fix.title}" does not remove its finding:\n${fixed}\n${remaining.map((g) => `${g.line}: ${g.message}`).join('\n')}`);
        const left = [...beforeKeys];
        const fresh = again.findings.filter((g) => {
          const i = left.indexOf(keyOf(fixed, g));
          if (i < 0) return true;
          left.splice(i, 1);
          return false;
        });
        // A fix offered for review (not safe) may leave another rule's finding behind (a client closed
        // per call is still churn); a safe one adds none.
        const counted = fix.safe ? fresh : fresh.filter((g) => g.ruleId === ruleId);
        assert.deepEqual(counted.map((g) => `${g.line}: ${g.ruleId} ${g.message}`), [], `fix "${fix.title}" adds findings:\n${fixed}`);
      }
    }
    this.analyzer.analyzeFile(file, text);
  }
}

/** The text a finding flags. */
function sliceOf(text: string, f: Finding): string {
  const starts = lineStarts(text);
  const at = (line: number, col: number) => (starts[line - 1] ?? text.length) + col - 1;
  return text.slice(at(f.line, f.column), at(f.endLine, f.endColumn));
}

interface CaseResult {
  file: string;
  text: string;
  findings: Finding[];
  skipped?: string;
}
