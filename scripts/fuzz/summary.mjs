// The fuzzer's summary (scripts/fuzz.mjs): printed for people, and as the line
// `FUZZ-SUMMARY {json}` (with --json) that the CI test (test/robustness/fuzz.test.ts) reads.

/**
 * `run`: what the run measured: the options, mutants done, inputs, durations (ms), analysis
 * statistics, memory (bytes), workspace-scenario statistics, determinism counts, failures and
 * tolerated failures. `log` prints unless --quiet.
 */
export function printSummary(run, log) {
  const {
    opts, done, fixtures, corpus, mutMs, baselineMs, finalMs, stats, warmRss, endRss, maxRss, warmHeap, endHeap,
    wsStats, wsMs, compared, budgetSkipped, failures, tolerated,
  } = run;
  const times = stats.times.sort((a, b) => a - b);
  const pct = (p) => (times.length ? times[Math.min(times.length - 1, Math.floor(p * times.length))] : 0);
  const summary = {
    seed: opts.seed,
    mutants: done,
    fixtureFiles: fixtures.length,
    corpusFiles: corpus.length,
    mutantsPerSecond: Number((done / (mutMs / 1000)).toFixed(1)),
    baselineSeconds: Number((baselineMs / 1000).toFixed(1)),
    mutantSeconds: Number((mutMs / 1000).toFixed(1)),
    determinismSeconds: Number((finalMs / 1000).toFixed(1)),
    analysed: stats.analysed,
    skipped: stats.skipped,
    skipReasons: Object.fromEntries([...stats.reasons].sort((a, b) => b[1] - a[1])),
    findings: stats.findings,
    fixesChecked: stats.fixesChecked,
    slowest: { ms: Math.round(stats.slowest.ms), source: stats.slowest.source, index: stats.slowest.index, skipped: stats.slowest.skipped },
    p50ms: Number(pct(0.5).toFixed(1)),
    p99ms: Number(pct(0.99).toFixed(1)),
    rssWarmMB: Math.round(warmRss / 1048576),
    rssEndMB: Math.round(endRss / 1048576),
    rssPeakMB: Math.round(maxRss / 1048576),
    heapWarmMB: Math.round(warmHeap / 1048576),
    heapEndMB: Math.round(endHeap / 1048576),
    workspaceScenarios: wsStats.scenarios,
    workspaceSeconds: Number((wsMs / 1000).toFixed(1)),
    workspaceSlowestMs: Math.max(0, ...wsStats.ms),
    determinismCompared: compared,
    determinismBudgetSkipped: budgetSkipped,
    failures: failures.length,
    tolerated: tolerated.length,
    toleratedByKind: tolerated.reduce((acc, f) => ({ ...acc, [f.kind]: (acc[f.kind] ?? 0) + 1 }), {}),
    failuresByKind: failures.reduce((acc, f) => ({ ...acc, [f.kind]: (acc[f.kind] ?? 0) + 1 }), {}),
  };
  log(`\nfuzz summary (seed ${opts.seed}):
  mutants:      ${summary.mutants} in ${summary.mutantSeconds} s = ${summary.mutantsPerSecond} mutants/s (${summary.analysed} analysed, ${summary.skipped} skipped, ${summary.findings} findings, ${summary.fixesChecked} fixes re-parsed)
  skip reasons: ${Object.entries(summary.skipReasons).map(([k, v]) => `${v} ${k}`).join('; ')}
  time:         p50 ${summary.p50ms} ms, p99 ${summary.p99ms} ms, slowest ${summary.slowest.ms} ms: ${summary.slowest.source}${summary.slowest.skipped ? ` (skipped: ${summary.slowest.skipped})` : ''}
  memory:       RSS after warm-up ${summary.rssWarmMB} MB, at the end ${summary.rssEndMB} MB, peak ${summary.rssPeakMB} MB (limit ${opts.maxRss} MB);
                live heap after GC ${summary.heapWarmMB} MB after warm-up, ${summary.heapEndMB} MB at the end (limit 1.5x + 64 MB)
  workspaces:   ${wsStats.scenarios} scenarios in ${summary.workspaceSeconds} s (${wsStats.files} files analysed, ${wsStats.skipped} skipped, slowest ${summary.workspaceSlowestMs} ms)
  determinism:  ${compared} unmutated files compared (${budgetSkipped} left out: stopped by the time budget)
  tolerated:    ${tolerated.length} known-bug failures (--tolerate)${tolerated.length ? ` ${JSON.stringify(summary.toleratedByKind)}` : ''}
  failures:     ${failures.length}${failures.length ? ` ${JSON.stringify(summary.failuresByKind)} — written to ${opts.failDir}` : ''}`);
  if (opts.json) console.log(`FUZZ-SUMMARY ${JSON.stringify(summary)}`);
}
