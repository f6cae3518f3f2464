// The CI version of scripts/fix-safety.mjs: every fix offered over test/fixtures/**, examples/** and the
// rule-test snippets parses, adds no TypeScript error, removes its finding and adds none in its function.
// Over the corpus: `node scripts/fix-safety.mjs` (fetches it) or `--corpus DIR`.
import * as assert from 'node:assert/strict';
import { script } from './helpers';

/**
 * Known core bugs, tolerated here (matched against "reason rule fix-title file"); each has a skipped
 * regression test in test/robustness/core-bugs.test.ts. Delete the line when fixed.
 */
const KNOWN_BUGS: string[] = [];

describe('robustness: fix safety (CI pass)', function () {
  this.timeout(300_000);

  it('every fix over the fixtures, examples and rule snippets is safe', () => {
    const r = script('fix-safety.mjs', ['--no-corpus', '--json', ...KNOWN_BUGS.flatMap((re) => ['--tolerate', re])], 280_000);
    const line = r.stdout.split('\n').find((l) => l.startsWith('FIX-SAFETY-SUMMARY '));
    assert.ok(line, `no summary (exit ${r.status}, signal ${r.signal}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-6000)}`);
    const s = JSON.parse(line.slice('FIX-SAFETY-SUMMARY '.length));
    console.log(`      ${s.fixes} fixes of ${s.findingsWithFixes} findings: ${s.passed} passed, ${s.failed} failed, ${s.tolerated.length} known-bug failures tolerated`);
    assert.ok(s.fixes >= 20, `only ${s.fixes} fixes were checked`);
    assert.deepEqual(s.failures.map((f: { reason: string; file: string; line: number; fix: string; detail: string }) =>
      `${f.reason}: ${f.file}:${f.line} "${f.fix}": ${f.detail}`), []);
    assert.equal(r.status, 0, r.stderr.slice(-4000));
  });
});
