// `npm run fuzz -- --seed S --count N [--corpus DIR] [--budget MS]`: mutation fuzzing of the analyzer.
//
// Inputs: every source file of test/fixtures/** and examples/**, the code snippets of the rule test
// tables (test/rules/*.test.ts), and the shared corpus (when --corpus is given or
// ../shared/corpus/fetch-corpus.sh exists; --no-corpus to leave it out), plus generated
// pathological files (deep nesting, 2 MB minified line, 100,000 statements, JSX, decorators, ...).
// Mutant i is a pure function of (seed, i): `--only I` re-runs one, `--dump I` writes it to a file.
//
// Oracle, for every analysis:
//   exception      nothing escapes Analyzer.analyzeFile (a file it cannot analyse comes back `skipped`)
//   shape          the result is well formed: positions inside the text, skipped => a reason and no findings
//   slow           wall time of analyzeFile (performance.now() around the call) <= budget + margin; the
//                  first analysis of each unmutated file, which loads its project, gets --load-ms instead
//   fix-parse      a fix offered on a mutant that parsed leaves text that still parses
//   memory         process RSS (sampled after every analysis, and the kernel's max RSS) <= --max-rss
//                  (default 3072 MB: a backstop, 3/4 of Node's default ~4 GB heap ceiling on 64-bit); and the
//                  live heap after a full GC once all texts are restored <= 1.5 x its value after warm-up
//                  + 64 MB (a leak shows there, not in RSS, which V8 grows lazily)
//   nondeterminism each unmutated file gives the same output before the mutants, after them (same
//                  analyzer, texts restored) and in a fresh analyzer
//   hang / crash   the parent process kills the worker when it makes no progress for --hang-ms, or
//                  reports it when it dies (stack overflow, out of memory), with the mutant's index
// Then --workspaces N workspace scenarios (scripts/fuzz/workspace.mjs: links, special files, config
// files of every shape, huge files), each audited as the CLI does: no exception, no internal error,
// nothing read outside the workspace, each real file once (`--only-workspace I` re-runs one).
// Exit code: 0 all passed, 1 an oracle failed (each failure written to .fuzz-failures/ with a
// reproduction command), 2 bad usage.
//
// This file runs the fuzzing (the child process); its parts are in scripts/fuzz/: options.mjs (the
// command line), watchdog.mjs (the parent that catches hangs and crashes), sources.mjs (inputs),
// rng.mjs and mutators.mjs (mutants), shape.mjs (the shape oracle), workspace.mjs (workspace
// scenarios) and summary.mjs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from './fuzz/options.mjs';
import { checkShape } from './fuzz/shape.mjs';
import { printSummary } from './fuzz/summary.mjs';
import { runWatched } from './fuzz/watchdog.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

const opts = parseArgs(process.argv.slice(2));

if (!process.env.LINGER_FUZZ_CHILD) await runWatched(opts, fileURLToPath(import.meta.url));
else await child();

// ---------------------------------------------------------------------------------------------
// Child: the fuzzing itself.

async function child() {
  const { createAnalyzer } = await import(pathToFileURL(path.join(ROOT, 'server/src/analyzer.ts')).href);
  const { applyEdits } = await import(pathToFileURL(path.join(ROOT, 'server/src/core/text.ts')).href);
  const { Rng, hashSeed } = await import('./fuzz/rng.mjs');
  const { GENERATORS, mutate, tokenize } = await import('./fuzz/mutators.mjs');
  const src = await import('./fuzz/sources.mjs');

  const progressFd = process.env.LINGER_FUZZ_PROGRESS ? fs.openSync(process.env.LINGER_FUZZ_PROGRESS, 'a') : undefined;
  const progress = (s) => { if (progressFd !== undefined) fs.writeSync(progressFd, `${s}\n`); };
  const log = (s) => { if (!opts.quiet) console.log(s); };

  // Inputs.
  const ws = src.scratchWorkspace('linger-fuzz-ws-');
  const fixtures = [...src.fixtureFiles(), ...src.writeRuleSnippets(path.join(ws, 'snippets'))];
  let corpus = [];
  let corpusDir;
  if (!opts.noCorpus) {
    corpusDir = src.corpusDir(opts.corpus);
    if (corpusDir) corpus = src.spread(src.corpusFiles(corpusDir), opts.corpusFiles);
  }
  const originals = new Map();
  for (const f of [...fixtures, ...corpus]) originals.set(f, fs.readFileSync(f, 'utf8'));
  const tokens = new Map();
  const tokensOf = (f) => { let t = tokens.get(f); if (!t) { t = tokenize(originals.get(f)); tokens.set(f, t); } return t; };
  const fixtureTexts = fixtures.map((f) => originals.get(f));
  const detachedDir = path.join(ws, 'detached');
  fs.mkdirSync(detachedDir, { recursive: true });
  const generated = new Map();

  /** Mutant i: { index, source, ext, path, text, ops, inPlace }. Pure function of (seed, i). */
  function makeMutant(i) {
    const rng = new Rng(hashSeed(opts.seed, i));
    if (i < GENERATORS.length) {
      const g = GENERATORS[i];
      if (!generated.has(g.name)) generated.set(g.name, g.make());
      return { index: i, source: `generator:${g.name}`, ops: [g.name], ext: g.ext, path: path.join(detachedDir, `mutant${g.ext}`), text: generated.get(g.name), inPlace: false };
    }
    const fromCorpus = corpus.length > 0 && rng.chance(0.5);
    const pool = fromCorpus ? corpus : fixtures;
    const file = rng.pick(pool);
    const { text, ops } = mutate(originals.get(file), rng, { tokens: tokensOf(file), pool: fixtureTexts });
    let ext = path.extname(file);
    // Fixtures are mutated in place (their project, as an editor would); corpus files mostly in a
    // detached one-file project (fast), sometimes in place.
    const inPlace = !fromCorpus || rng.chance(0.2);
    if (!inPlace && rng.chance(0.1)) {
      ext = rng.pick(['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cts']);
      ops.push(`as${ext}`);
    }
    return { index: i, source: file, ops, ext, path: inPlace ? file : path.join(detachedDir, `mutant${ext}`), text, inPlace };
  }

  if (opts.dump !== undefined) {
    const m = makeMutant(opts.dump);
    const out = writeFailure({ kind: 'dump', mutant: m, message: 'written by --dump' });
    console.error(`fuzz: mutant ${m.index} (${m.source}, ${m.ops.join('+')}) written to ${out}`);
    process.exit(0);
  }

  const analyzer = createAnalyzer({ timeBudgetMs: opts.budget });
  const failures = [];
  let peakRss = 0;
  const sampleRss = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
    return rss;
  };
  const stats = { analysed: 0, skipped: 0, findings: 0, fixesChecked: 0, reasons: new Map(), slowest: { ms: 0 }, times: [] };
  let memoryFailed = false;

  const tolerated = [];
  function fail(kind, mutant, message, extra = {}) {
    const f = { kind, mutant, message, ...extra };
    // Known bugs (--tolerate REGEX, matched against "kind: message [ops] source"): counted, not failed.
    // Texts with U+2028/U+2029/U+0085 or lone CR line breaks are tagged [odd-line-breaks].
    const odd = mutant && /[\u2028\u2029\u0085]|\r(?!\n)/.test(mutant.text) ? ' [odd-line-breaks]' : '';
    const key = `${kind}: ${message} [${mutant?.ops.join('+') ?? ''}] ${mutant?.source ?? ''}${odd}`;
    if (opts.tolerate.some((re) => re.test(key))) {
      tolerated.push(f);
      return f;
    }
    failures.push(f);
    if (failures.length <= opts.maxFailures) {
      f.file = writeFailure(f);
      console.error(`\nFAIL ${kind} (seed ${opts.seed}${mutant ? `, mutant ${mutant.index}` : ''}): ${message}`);
      if (mutant) console.error(`  source: ${mutant.source} [${mutant.ops.join('+')}]${mutant.inPlace ? ' (in place)' : ''}\n  written to: ${f.file}`);
      if (mutant && mutant.index >= 0) console.error(`  reproduce: npm run fuzz -- ${reproArgs()} --only ${mutant.index}`);
      if (f.minimal) console.error(`  minimal reproduction (${f.minimal.split('\n').length} lines):\n${indent(f.minimal.slice(0, 2000))}`);
    }
    return f;
  }

  /** One analysis with the per-call oracles. Returns the result (or undefined if it threw). */
  function analyse(file, text, mutant, { timeLimit, checkFixes = false } = {}) {
    if (mutant) progress(`m ${mutant.index}`);
    else progress(`b ${file}`);
    let r;
    const t0 = performance.now();
    try {
      r = analyzer.analyzeFile(file, text);
    } catch (e) {
      const ms = performance.now() - t0;
      const m = mutant ?? { index: -1, source: file, ops: ['unmutated'], ext: path.extname(file), path: file, text: text ?? originals.get(file), inPlace: true };
      fail('exception', m, `${e?.stack ?? e}`.split('\n').slice(0, 8).join('\n'), { ms, minimal: minimise(m, (t) => throws(m.path, t)) });
      return undefined;
    }
    const ms = performance.now() - t0;
    const rss = sampleRss();
    const fullText = text ?? originals.get(file) ?? '';
    stats.times.push(ms);
    if (ms > stats.slowest.ms) stats.slowest = { ms, source: mutant ? `${mutant.source} [${mutant.ops.join('+')}]` : `${file} (unmutated)`, index: mutant?.index, skipped: r.skipped };
    if (r.skipped) {
      stats.skipped++;
      const reason = r.skipped.replace(/\(.*$/, '').replace(/\d+/g, 'N').replace(/:.*/, '').trim();
      stats.reasons.set(reason, (stats.reasons.get(reason) ?? 0) + 1);
      if (/^internal error/.test(r.skipped)) {
        const m = mutant ?? { index: -1, source: file, ops: ['unmutated'], ext: path.extname(file), path: file, text: fullText, inPlace: true };
        fail('internal-error', m, r.skipped, { ms, minimal: minimise(m, (t) => /^internal error/.test(quiet(m.path, t)?.skipped ?? '')) });
      }
    } else {
      stats.analysed++;
      stats.findings += r.findings.length;
    }
    const shapeProblem = checkShape(r, file, fullText);
    if (shapeProblem) fail('shape', mutant, shapeProblem, { ms });
    if (ms > timeLimit) {
      fail('slow', mutant ?? { index: -1, source: file, ops: ['unmutated'], ext: path.extname(file), path: file, text: fullText, inPlace: true },
        `analyzeFile took ${ms.toFixed(0)} ms (limit ${timeLimit} ms = budget ${opts.budget} + margin ${timeLimit - opts.budget})${r.skipped ? `; skipped: ${r.skipped}` : ''}`, { ms });
    }
    if (!memoryFailed && rss > opts.maxRss * 1024 * 1024) {
      memoryFailed = true;
      fail('memory', mutant, `process RSS ${(rss / 1048576).toFixed(0)} MB exceeds --max-rss ${opts.maxRss} MB`);
    }
    if (checkFixes && !r.skipped && mutant) {
      let checked = 0;
      for (const f of r.findings) {
        for (const fix of f.fixes ?? []) {
          if (checked >= 3 || fix.edits.some((e) => path.resolve(e.file) !== path.resolve(file))) continue;
          checked++;
          stats.fixesChecked++;
          let fixed;
          try {
            fixed = applyEdits(fullText, fix.edits);
          } catch (e) {
            fail('fix-parse', mutant, `applying fix "${fix.title}" threw: ${e.message}`);
            continue;
          }
          const again = quiet(file, fixed);
          if (again && /^does not parse/.test(again.skipped ?? '')) {
            fail('fix-parse', { ...mutant, text: fullText }, `fix "${fix.title}" (rule ${f.ruleId}, line ${f.line}) leaves text that does not parse: ${again.skipped}`,
              { fixedText: fixed });
          }
        }
      }
    }
    return r;
  }

  /** analyzeFile without the oracles (for minimisation and fix checks). */
  function quiet(file, text) {
    try {
      return analyzer.analyzeFile(file, text);
    } catch {
      return undefined;
    }
  }

  function throws(file, text) {
    try {
      analyzer.analyzeFile(file, text);
      return false;
    } catch {
      return true;
    }
  }

  /** Line-based delta debugging, at most 300 tries or 60 s. */
  function minimise(mutant, stillFails) {
    const deadline = Date.now() + 60_000;
    let tries = 0;
    let lines = mutant.text.split('\n');
    if (lines.length > 20_000) return undefined;
    let chunk = Math.max(1, Math.floor(lines.length / 2));
    while (chunk >= 1 && tries < 300 && Date.now() < deadline) {
      let removed = false;
      for (let i = 0; i < lines.length && tries < 300 && Date.now() < deadline;) {
        const candidate = [...lines.slice(0, i), ...lines.slice(i + chunk)];
        tries++;
        if (candidate.length && stillFails(candidate.join('\n'))) {
          lines = candidate;
          removed = true;
        } else i += chunk;
      }
      if (!removed) chunk = Math.floor(chunk / 2);
    }
    restore(mutant);
    return lines.join('\n');
  }

  function restore(mutant) {
    if (mutant.inPlace) analyzer.projects.setText(mutant.path, originals.get(mutant.source));
    else analyzer.projects.setText(mutant.path, '');
  }

  const normal = (r) => (r ? JSON.stringify({ findings: r.findings, listeners: r.listeners, skipped: r.skipped ?? null, excluded: !!r.excluded, configErrors: r.configErrors }) : 'threw');
  const budgetSkip = (r) => /time budget/.test(r?.skipped ?? '');

  // 1. Baseline: every unmutated file, loading its project (timed against --load-ms).
  const started = performance.now();
  const only = opts.only !== undefined ? makeMutant(opts.only) : undefined;
  const baseFiles = only ? (only.inPlace ? [only.source] : []) : [...fixtures, ...corpus];
  const baseline = new Map();
  log(`fuzz: seed ${opts.seed}, ${opts.only !== undefined ? `only mutant ${opts.only}` : `${opts.count} mutants`}; ${fixtures.length} fixture files, `
    + `${corpus.length} corpus files${corpusDir ? ` (${corpusDir})` : ''}; budget ${opts.budget} ms + margin ${opts.margin} ms; max RSS ${opts.maxRss} MB`);
  for (const f of baseFiles) baseline.set(f, analyse(f, undefined, undefined, { timeLimit: opts.loadMs }));
  const baselineMs = performance.now() - started;
  const warmRss = sampleRss();
  const warmHeap = heapAfterGc();
  log(`fuzz: baseline of ${baseFiles.length} unmutated files in ${(baselineMs / 1000).toFixed(1)} s, RSS ${(warmRss / 1048576).toFixed(0)} MB`);

  // 2. Mutants.
  const mutStart = performance.now();
  const indices = only ? [opts.only] : Array.from({ length: opts.count }, (_, i) => i);
  let done = 0;
  let lastReport = mutStart;
  const timeLimit = opts.budget + opts.margin;
  for (const i of indices) {
    const m = makeMutant(i);
    analyse(m.path, m.text, m, { timeLimit, checkFixes: true });
    restore(m);
    done++;
    const now = performance.now();
    if (!opts.quiet && now - lastReport > 10_000) {
      lastReport = now;
      console.log(`fuzz: ${done}/${indices.length} mutants, ${(done / ((now - mutStart) / 1000)).toFixed(1)}/s, RSS ${(process.memoryUsage.rss() / 1048576).toFixed(0)} MB, ${failures.length} failures`);
    }
    if (failures.length >= opts.maxFailures * 5) break;
    // --max-seconds: stop generating mutants (the determinism pass still runs); the summary says how many ran.
    if ((now - mutStart) / 1000 > opts.maxSeconds) break;
  }
  const mutMs = performance.now() - mutStart;

  // 2b. Workspace scenarios (default: one per 50 mutants).
  const { runWorkspaceScenarios } = await import('./fuzz/workspace.mjs');
  const core = { ...await import(pathToFileURL(path.join(ROOT, 'server/src/core/analyze.ts')).href), createAnalyzer };
  const scenarioIndices = opts.onlyWorkspace !== undefined ? [opts.onlyWorkspace]
    : only ? [] : Array.from({ length: opts.workspaces ?? Math.ceil(opts.count / 50) }, (_, i) => i);
  const wsStart = performance.now();
  const wsStats = runWorkspaceScenarios({
    seed: opts.seed, indices: scenarioIndices, core, root: fs.realpathSync(ROOT), scratch: ws, budget: opts.budget, progress,
    fail: (kind, what, message) => fail(kind, { index: -1, source: `workspace scenario ${what.index}`, ops: what.ops, ext: '.txt', text: `${what.ops.join('\n')}\n`, inPlace: false },
      `${message}\n  reproduce: npm run fuzz -- --seed ${opts.seed} --count 0 --only-workspace ${what.index}`),
  });
  const wsMs = performance.now() - wsStart;

  // 3. Determinism: the unmutated files again, in the same analyzer (texts restored) and in a fresh one.
  let compared = 0;
  let budgetSkipped = 0;
  const compare = (label, f, r) => {
    const b = baseline.get(f);
    if (budgetSkip(b) || budgetSkip(r)) { budgetSkipped++; return; }
    compared++;
    if (normal(b) !== normal(r)) {
      fail('nondeterminism', { index: -1, source: f, ops: ['unmutated'], ext: path.extname(f), path: f, text: originals.get(f), inPlace: true },
        `${label}: output differs from the first analysis\n  first: ${normal(b).slice(0, 600)}\n  again: ${normal(r).slice(0, 600)}`);
    }
  };
  const finalStart = performance.now();
  for (const f of baseFiles) compare('same analyzer after the mutants', f, analyse(f, undefined, undefined, { timeLimit: opts.loadMs }));
  const endRss = sampleRss();
  const endHeap = heapAfterGc();
  // A leak shows as live heap (after a full GC) growing once every text is back to what it was.
  const heapLimit = warmHeap * 1.5 + 64 * 1048576;
  if (warmHeap && endHeap > heapLimit && opts.only === undefined) {
    fail('memory', undefined, `live heap after GC grew from ${(warmHeap / 1048576).toFixed(0)} MB after warm-up to ${(endHeap / 1048576).toFixed(0)} MB `
      + `after the mutants (limit 1.5x + 64 MB = ${(heapLimit / 1048576).toFixed(0)} MB)`);
  }
  if (opts.fresh && baseFiles.length) {
    const fresh = createAnalyzer({ timeBudgetMs: opts.budget });
    for (const f of baseFiles) {
      progress(`b ${f}`);
      let r;
      try { r = fresh.analyzeFile(f); } catch { r = undefined; }
      compare('fresh analyzer', f, r);
    }
  }
  const finalMs = performance.now() - finalStart;
  const maxRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);

  // 4. Summary.
  printSummary({
    opts, done, fixtures, corpus, mutMs, baselineMs, finalMs, stats, warmRss, endRss, maxRss, warmHeap, endHeap,
    wsStats, wsMs, compared, budgetSkipped, failures, tolerated,
  }, log);
  fs.rmSync(ws, { recursive: true, force: true });
  process.exit(failures.length ? 1 : 0);

  function reproArgs() {
    return [`--seed ${opts.seed}`, opts.noCorpus ? '--no-corpus' : corpusDir ? `--corpus ${corpusDir}` : '',
      Number.isFinite(opts.corpusFiles) ? `--corpus-files ${opts.corpusFiles}` : '', opts.budget !== 2000 ? `--budget ${opts.budget}` : ''].filter(Boolean).join(' ');
  }

  function writeFailure(f) {
    fs.mkdirSync(opts.failDir, { recursive: true });
    const m = f.mutant;
    const base = path.join(opts.failDir, `seed${opts.seed}-${m && m.index >= 0 ? `m${m.index}` : `file-${path.basename(m?.source ?? 'none')}`}-${f.kind}`);
    if (m) fs.writeFileSync(`${base}${m.ext}`, m.text);
    if (f.minimal) fs.writeFileSync(`${base}.min${m.ext}`, f.minimal);
    if (f.fixedText) fs.writeFileSync(`${base}.fixed${m.ext}`, f.fixedText);
    fs.writeFileSync(`${base}.json`, JSON.stringify({
      kind: f.kind, seed: opts.seed, index: m?.index, source: m?.source, ops: m?.ops, analysedAs: m?.path, inPlace: m?.inPlace, message: f.message,
      reproduce: m && m.index >= 0 ? `npm run fuzz -- ${reproArgs()} --only ${m.index}` : undefined,
    }, null, 2));
    return `${base}${m?.ext ?? '.json'}`;
  }
}

function heapAfterGc() {
  if (typeof globalThis.gc !== 'function') return 0;
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

function indent(s) {
  return s.split('\n').map((l) => `    | ${l}`).join('\n');
}
