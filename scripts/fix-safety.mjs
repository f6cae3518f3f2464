// `node scripts/fix-safety.mjs [--corpus DIR | --no-corpus] [--dir DIR]... [--json] [--verbose]`: every fix the analyzer offers,
// over real code, applied to a copy (in memory) and checked:
//   parse        the fixed file parses (the analyzer does not skip it)
//   ts-errors    the TypeScript error count of the file does not rise, counted by a separate ts-morph
//                Project WITH the standard library and @types/node (the analyzer's own projects load no
//                lib on purpose), using the file's tsconfig/jsconfig when it has one (JavaScript checked
//                with checkJs, so that a fix naming an unknown variable is seen)
//   still-there  the finding the fix was for is gone (same rule, message id and flagged text)
//   new-finding  no new finding appears in the function that held the finding (for a fix offered for
//                review: none of its own rule)
// Inputs: test/fixtures/**, examples/**, the code snippets of test/rules/*.test.ts, and the shared corpus
// (--corpus DIR, or fetched by ../shared/corpus/fetch-corpus.sh when it exists), and the sources under each --dir DIR
// (node_modules, dot-folders and .d.ts skipped), e.g. the checked-out projects of the real-world set.
// Prints the counts; writes each failure (original, fixed text, what broke) under .fuzz-failures/fix-safety/.
// Exit code 0 when every fix passed (or failed only as a --tolerate REGEX known bug), 1 otherwise.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

if (!process.env.LINGER_FIX_SAFETY_CHILD) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, LINGER_FIX_SAFETY_CHILD: '1' } });
  process.exit(r.status ?? 1);
}

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const outDir = path.resolve(value('--fail-dir') ?? path.join(ROOT, '.fuzz-failures', 'fix-safety'));

const { createAnalyzer } = await import(pathToFileURL(path.join(ROOT, 'server/src/analyzer.ts')).href);
const { applyEdits } = await import(pathToFileURL(path.join(ROOT, 'server/src/core/text.ts')).href);
const src = await import('./fuzz/sources.mjs');
const { Project, ts } = await import('ts-morph');

const started = Date.now();
const ws = src.scratchWorkspace('linger-fix-safety-');
const files = [...src.fixtureFiles(), ...src.writeRuleSnippets(path.join(ws, 'snippets'))];
/** Source files under a folder, sorted, without node_modules, dot-folders and declaration files. */
function sourcesUnder(dir, out = []) {
  let entries = [];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) sourcesUnder(p, out);
    else if (e.isFile() && src.SOURCE_EXTENSIONS.includes(path.extname(e.name)) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}
for (const d of argv.flatMap((a, i) => (a === '--dir' ? [argv[i + 1]] : []))) files.push(...sourcesUnder(path.resolve(d)));
let corpusDir;
if (!flag('--no-corpus')) {
  corpusDir = src.corpusDir(value('--corpus'));
  if (corpusDir) files.push(...src.corpusFiles(corpusDir));
}

const analyzer = createAnalyzer();
const counts = { files: 0, skippedFiles: 0, findings: 0, findingsWithFixes: 0, fixes: 0, passed: 0, failed: 0 };
const failedBy = {};
const failures = [];

// ------------------------------------------------------------------------------------------------
// TypeScript error counts, with lib and @types/node.

const typeProjects = new Map();
const REPO_TYPES = path.join(ROOT, 'node_modules', '@types');

function nodeTypesRoot(dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, 'node_modules', '@types');
    if (fs.existsSync(path.join(candidate, 'node'))) return candidate;
    if (path.dirname(d) === d) return REPO_TYPES;
  }
}

function nearestConfig(dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    for (const name of ['tsconfig.json', 'jsconfig.json']) if (fs.existsSync(path.join(d, name))) return path.join(d, name);
    if (path.basename(d) === 'node_modules' || path.dirname(d) === d) return undefined;
  }
}

function typeProjectFor(file) {
  const config = nearestConfig(path.dirname(file));
  const typeRoot = nodeTypesRoot(path.dirname(file));
  const key = config ?? `inferred:${typeRoot}`;
  let p = typeProjects.get(key);
  if (p) return p;
  const common = { noEmit: true, skipLibCheck: true, allowJs: true, checkJs: true, types: ['node'], typeRoots: [typeRoot] };
  if (config) {
    try {
      p = new Project({ tsConfigFilePath: config, skipAddingFilesFromTsConfig: true, compilerOptions: { ...common } });
    } catch {
      p = undefined;
    }
  }
  p ??= new Project({
    compilerOptions: { ...common, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
      esModuleInterop: true, strict: true, lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'] },
  });
  typeProjects.set(key, p);
  return p;
}

function tsErrors(file, text) {
  const project = typeProjectFor(file);
  project.createSourceFile(file, text, { overwrite: true });
  const program = project.getProgram().compilerObject;
  const sf = program.getSourceFile(file);
  if (!sf) return ['(file not in its type-check program)'];
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

// ------------------------------------------------------------------------------------------------
// Functions and finding identities.

function offsetOf(text, line, column) {
  let pos = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return text.length;
    pos = nl + 1;
  }
  return pos + column - 1;
}

/** Function-like nodes in pre-order, as [start, end]; index i is the same function before and after a fix that adds none before it. */
function functionsOf(file, text) {
  const kind = /\.(tsx|jsx)$/.test(file) ? ts.ScriptKind.TSX : /\.(js|mjs|cjs)$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const out = [];
  const visit = (n) => {
    if (ts.isFunctionLike(n) && 'body' in n && n.body) out.push([n.getStart(sf), n.getEnd()]);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function enclosingFunction(fns, offset) {
  let best = -1;
  fns.forEach(([s, e], i) => { if (s <= offset && offset < e && (best < 0 || s >= fns[best][0])) best = i; });
  return best;
}

/** A finding's identity across a fix: rule, message id and flagged text (whitespace collapsed: fixes re-indent). */
const keyOf = (text, f) => `${f.ruleId}/${f.messageId}/${text.slice(offsetOf(text, f.line, f.column), offsetOf(text, f.endLine, f.endColumn)).replace(/\s+/g, ' ')}`;

function countKeys(keys) {
  const m = new Map();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

// ------------------------------------------------------------------------------------------------

// Known bugs (--tolerate REGEX, matched against "reason rule fix-title file"): counted apart, not failed.
const tolerate = argv.flatMap((a, i) => (a === '--tolerate' ? [new RegExp(argv[i + 1])] : []));
const tolerated = [];

function record(reason, file, text, fixed, finding, fix, detail) {
  if (tolerate.some((re) => re.test(`${reason} ${finding.ruleId} ${fix.title} ${file}`))) {
    tolerated.push({ reason, file, line: finding.line, rule: finding.ruleId, fix: fix.title });
    return;
  }
  counts.failed++;
  failedBy[reason] = (failedBy[reason] ?? 0) + 1;
  const n = failures.length + 1;
  fs.mkdirSync(outDir, { recursive: true });
  const base = path.join(outDir, `${n}-${reason}`);
  const ext = path.extname(file);
  fs.writeFileSync(`${base}.original${ext}`, text);
  if (fixed !== undefined) fs.writeFileSync(`${base}.fixed${ext}`, fixed);
  const entry = { reason, file, line: finding.line, rule: finding.ruleId, messageId: finding.messageId, fix: fix.title, detail, written: `${base}.*` };
  fs.writeFileSync(`${base}.json`, JSON.stringify(entry, null, 2));
  failures.push(entry);
  console.error(`FAIL ${reason}: ${file}:${finding.line} [${finding.ruleId}] fix "${fix.title}"\n  ${detail.split('\n').join('\n  ')}\n  written to ${base}.*`);
}

for (const file of files) {
  const r = analyzer.analyzeFile(file);
  counts.files++;
  if (r.skipped || r.excluded) { counts.skippedFiles++; continue; }
  counts.findings += r.findings.length;
  const withFixes = r.findings.filter((f) => f.fixes.length);
  if (!withFixes.length) continue;
  const text = fs.readFileSync(file, 'utf8');
  let before;
  const beforeFns = functionsOf(file, text);
  const beforeKeys = r.findings.map((f) => ({ key: keyOf(text, f) }));
  for (const finding of withFixes) {
    counts.findingsWithFixes++;
    const myKey = keyOf(text, finding);
    const myFn = enclosingFunction(beforeFns, offsetOf(text, finding.line, finding.column));
    for (const fix of finding.fixes) {
      counts.fixes++;
      const foreign = fix.edits.filter((e) => path.resolve(e.file) !== path.resolve(file));
      if (foreign.length) {
        record('other-file', file, text, undefined, finding, fix, `edits ${foreign.map((e) => e.file).join(', ')} (not checked)`);
        continue;
      }
      let fixed;
      try {
        fixed = applyEdits(text, fix.edits);
      } catch (e) {
        record('apply-throws', file, text, undefined, finding, fix, e.message);
        continue;
      }
      const again = analyzer.analyzeFile(file, fixed);
      let ok = true;
      if (again.skipped) {
        record('parse', file, text, fixed, finding, fix, `the fixed file is skipped: ${again.skipped}`);
        ok = false;
      } else {
        const afterKeys = countKeys(again.findings.map((f) => keyOf(fixed, f)));
        const beforeCount = countKeys(beforeKeys.map((b) => b.key));
        if ((afterKeys.get(myKey) ?? 0) >= (beforeCount.get(myKey) ?? 0)) {
          record('still-there', file, text, fixed, finding, fix, `the finding (${finding.message}) is still reported after the fix`);
          ok = false;
        }
        if (myFn >= 0) {
          const afterFns = functionsOf(file, fixed);
          const fnRange = afterFns[myFn];
          const inFnAfter = fnRange ? again.findings.filter((f) => { const o = offsetOf(fixed, f.line, f.column); return o >= fnRange[0] && o < fnRange[1]; }) : [];
          const [fs0, fe0] = beforeFns[myFn];
          const inFnBefore = countKeys(r.findings.filter((f) => { const o = offsetOf(text, f.line, f.column); return o >= fs0 && o < fe0; }).map((f) => keyOf(text, f)));
          const added = countKeys(inFnAfter.map((f) => keyOf(fixed, f)));
          // A fix offered for review may leave another rule's finding (a client closed per call is
          // still connection-churn); a safe one adds none.
          const fresh = [...added].filter(([k, n]) => n > (inFnBefore.get(k) ?? 0) && (fix.safe || k.startsWith(`${finding.ruleId}/`))).map(([k]) => k);
          if (fresh.length) {
            const msgs = inFnAfter.filter((f) => fresh.includes(keyOf(fixed, f))).map((f) => `line ${f.line} [${f.ruleId}] ${f.message}`);
            record('new-finding', file, text, fixed, finding, fix, `new finding(s) in the same function:\n${msgs.join('\n')}`);
            ok = false;
          }
        }
      }
      before ??= tsErrors(file, text);
      const after = tsErrors(file, fixed);
      if (after.length > before.length) {
        const b = countKeys(before);
        const added = [...countKeys(after)].filter(([m, n]) => n > (b.get(m) ?? 0)).map(([m]) => m);
        record('ts-errors', file, text, fixed, finding, fix, `TypeScript errors ${before.length} -> ${after.length}; added:\n${added.join('\n')}`);
        ok = false;
      }
      if (ok) counts.passed++;
      else if (!failures.some((f) => f.file === file && f.fix === fix.title && f.line === finding.line)) counts.tolerated = (counts.tolerated ?? 0) + 1;
      if (argv.includes('--verbose')) console.log(`${ok ? 'ok  ' : 'FAIL'} ${file}:${finding.line} ${fix.title}`);
    }
    // Back to the text on disk for the next fix.
    analyzer.analyzeFile(file, text);
    typeProjectFor(file).createSourceFile(file, text, { overwrite: true });
  }
}

fs.rmSync(ws, { recursive: true, force: true });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const summary = { ...counts, failedBy, tolerated, seconds: Number(seconds), corpus: corpusDir ?? null };
console.log(`fix safety: ${counts.files} files (${counts.skippedFiles} skipped), ${counts.findings} findings, ${counts.findingsWithFixes} with fixes, `
  + `${counts.fixes} fixes: ${counts.passed} passed, ${counts.failed} failed${counts.failed ? ` ${JSON.stringify(failedBy)}` : ''}`
  + `${tolerated.length ? `, ${tolerated.length} known-bug failures tolerated` : ''} in ${seconds} s`
  + `${corpusDir ? ` (corpus ${corpusDir})` : ' (no corpus)'}`);
if (flag('--json')) console.log(`FIX-SAFETY-SUMMARY ${JSON.stringify({ ...summary, failures })}`);
process.exit(counts.failed ? 1 : 0);
