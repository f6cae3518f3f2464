// Whether a folder's findings depend on the order its files are analysed in (they must not: a file's
// result is the same whichever files of its program were analysed before it; test/core/analysis-order.test.ts
// holds the case this found). Analyses every file in listing order with one analyzer and in reverse
// order with another, and prints the files whose findings differ.
// Usage: npx tsx scripts/order-check.ts <folder> [<folder> …]
import { createAnalyzer } from '../server/src/analyzer';
import { listSourceFiles } from '../server/src/core/analyze';

function findingsInOrder(order: string[]): Map<string, string> {
  const analyzer = createAnalyzer({ shareSyntaxTrees: true });
  for (const f of order) {
    try {
      analyzer.projects.projectFor(f);
    } catch {
      /* reported by analyzeFile */
    }
  }
  return new Map(order.map((f) => [f, analyzer.analyzeFile(f).findings.map((x) => `${x.ruleId}:${x.line}:${x.column}`).sort().join(', ')]));
}

let differing = 0;
for (const root of process.argv.slice(2)) {
  const { files } = listSourceFiles([root], createAnalyzer({}));
  const forward = findingsInOrder(files);
  const reverse = findingsInOrder([...files].reverse());
  const differ = files.filter((f) => forward.get(f) !== reverse.get(f));
  for (const f of differ) console.log(`${f}\n  in order:   ${forward.get(f) || '(none)'}\n  in reverse: ${reverse.get(f) || '(none)'}`);
  console.log(`${root}: ${files.length} files, ${differ.length} differ`);
  differing += differ.length;
}
process.exitCode = differing ? 1 : 0;
