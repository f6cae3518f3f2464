// The soak's report (scripts/soak.mjs): what was sent and how it was answered, latencies, memory,
// the verdict, and the last line `SOAK-SUMMARY {json}` that the CI test (test/robustness/soak.test.ts) reads.

/** The p-th percentile of a list of numbers (NaN for none). */
export function pct(list, p) {
  if (!list.length) return NaN;
  const s = [...list].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const MB = (b) => (b === undefined ? 'n/a' : `${(b / 1048576).toFixed(1)} MB`);

/**
 * Print the report of session `s`: `warm` and `end` are the server's memory after warm-up and at the
 * end, `ranMs` how long the actions ran, `pending` the requests never answered, `alive` and `equal`
 * the verdicts on the server's state and its final diagnostics, of `finalDocs` documents.
 */
export function printReport(s, { warm, end, ranMs, pending, alive, equal, finalDocs }) {
  const { opts, stats, failures } = s;
  const totalRequests = Object.values(stats.requests).reduce((a, b) => a + b, 0);
  const lat = stats.pullLatencies;
  const ratio = end.rss / warm.rss;
  const peak = Math.max(...stats.rssSamples, warm.rss, end.rss);
  console.log('');
  console.log(`edits: ${stats.edits} of ${opts.edits} in ${(ranMs / 1000).toFixed(1)} s (${Object.entries(stats.editKinds).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  console.log(`  fixes applied ${stats.fixesApplied}, fix-all applied ${stats.fixAllApplied}, stale versions sent ${stats.staleVersionsSent}, opens ${stats.opens}, closes ${stats.closes}, saves ${stats.saves}, settings changes ${stats.configChanges}, audits ${stats.audits}, malformed frames ${stats.malformedFrames}, workspace mutations ${stats.workspaceMutations}, huge documents ${stats.hugeDocuments}`);
  console.log(`actions: ${Object.entries(stats.actions ?? {}).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`requests: ${totalRequests} (${Object.entries(stats.requests).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  console.log(`  answered ${stats.answered}, of which RequestCancelled ${stats.requestCancelled}, ServerCancelled ${stats.serverCancelled}, ContentModified ${stats.contentModified}, expected errors ${stats.expectedErrors}, unexpected errors ${stats.unexpectedErrors}; cancelled by the client ${stats.cancelledByClient}; never answered ${pending}`);
  console.log(`  from the server: ${Object.entries(stats.serverRequests).map(([k, v]) => `${k} ${v}`).join(', ')}; configuration answered with an error ${s.configErrors}`);
  console.log(`diagnostic pulls of text that parses: ${stats.pullsOfParsingText} of ${stats.requests['textDocument/diagnostic'] ?? 0}; full reports with findings: ${stats.reportsWithFindings}`);
  console.log(`diagnostic pulls answered with a report: ${lat.length}; latency p50 ${pct(lat, 50).toFixed(1)} ms, p95 ${pct(lat, 95).toFixed(1)} ms, max ${Math.max(...lat, 0).toFixed(1)} ms`);
  console.log(`memory (VmRSS${opts.gc ? ' after a full GC' : ''}): after warm-up ${MB(warm.rss)}, at the end ${MB(end.rss)}, ratio ${ratio.toFixed(2)} (limit ${opts.memoryRatio}); peak sampled ${MB(peak)}${warm.heapUsed ? `; heap used ${MB(warm.heapUsed)} -> ${MB(end.heapUsed)}` : ''}`);
  if (Object.keys(stats.knownBugHits).length) {
    console.log(`known bugs hit (tolerated; --include-known-bugs makes them failures): ${Object.entries(stats.knownBugHits).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  console.log(`server alive at the end: ${alive ? 'yes' : 'no'}; final diagnostics of ${finalDocs.length} open documents equal to a fresh server's: ${equal ? 'yes' : 'no'}`);
  const summary = {
    seed: opts.seed, seconds: +(ranMs / 1000).toFixed(1), edits: stats.edits, requests: totalRequests, answered: stats.answered,
    requestCancelled: stats.requestCancelled, serverCancelled: stats.serverCancelled, unexpectedErrors: stats.unexpectedErrors,
    pulls: lat.length, p50: +pct(lat, 50).toFixed(1), p95: +pct(lat, 95).toFixed(1), max: +Math.max(...lat, 0).toFixed(1),
    rssWarmMB: +(warm.rss / 1048576).toFixed(1), rssEndMB: +(end.rss / 1048576).toFixed(1), ratio: +ratio.toFixed(2),
    finalEqual: equal, alive, failures: failures.length, knownBugHits: stats.knownBugHits,
    malformedFrames: stats.malformedFrames, workspaceMutations: stats.workspaceMutations, hugeDocuments: stats.hugeDocuments,
    actions: stats.actions,
  };
  if (failures.length) {
    console.error(`\nsoak FAILED (seed ${opts.seed}; rerun: npm run soak -- --seconds ${opts.seconds} --seed ${opts.seed}):`);
    for (const f of failures) console.error(`  - ${f}`);
    if (s.logs.length) console.error(`last server log lines:\n    ${s.logs.slice(-15).join('\n    ').slice(0, 4000)}`);
  } else {
    console.log(`soak passed (seed ${opts.seed})`);
  }
  console.log(`SOAK-SUMMARY ${JSON.stringify(summary)}`);
}
