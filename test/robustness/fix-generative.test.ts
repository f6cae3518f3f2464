// The generative fix checker (scripts/fix-gen.mjs, test/robustness/fixgen/): generated functions, every
// fix applied and checked (parses, no new TypeScript error, finding gone, no new finding, same
// statements in the same order and the release on every exit). A new seed each run, printed, so that
// every CI run explores new ground; `LINGER_FIXGEN_SEED` repeats one, `LINGER_FIXGEN_COUNT` sets the
// size (.ci/run: 5,000; the long run: `node scripts/fix-gen.mjs --count 100000`).
import * as assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { script } from './helpers';

const COUNT = Number(process.env.LINGER_FIXGEN_COUNT ?? 1000);
const SEED = Number(process.env.LINGER_FIXGEN_SEED ?? randomInt(1, 2 ** 31 - 1));

describe('robustness: generative fix checker', function () {
  this.timeout(1_800_000);

  it(`${COUNT} generated functions (seed ${SEED}): every fix parses, type-checks, removes its finding and keeps the behaviour`, () => {
    const r = script('fix-gen.mjs', ['--seed', String(SEED), '--count', String(COUNT), '--json'], 1_700_000);
    const line = r.stdout.split('\n').find((l) => l.startsWith('FIXGEN-SUMMARY '));
    assert.ok(line, `no summary (exit ${r.status}, signal ${r.signal}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-6000)}`);
    const s = JSON.parse(line.slice('FIXGEN-SUMMARY '.length));
    console.log(`      seed ${s.seed}: ${s.functions} functions, ${s.findings} findings, ${s.fixes} fixes (${s.safeFixes} safe), `
      + `behaviour compared for ${s.behaviourChecked}, ${s.failures} failures, ${s.seconds} s`);
    assert.equal(s.failures, 0, `failures (reproduce with: node scripts/fix-gen.mjs --seed ${s.seed} --count ${COUNT}):\n${r.stderr.slice(-12000)}`);
    assert.equal(r.status, 0, r.stderr.slice(-4000));
    assert.ok(s.functions >= COUNT, `only ${s.functions} functions`);
    // The run reached what it is for: fixes of both kinds, their behaviour compared, every shape generated.
    assert.ok(s.fixes >= COUNT / 4, `only ${s.fixes} fixes were applied`);
    assert.ok(s.behaviourChecked >= s.leakFixes * 0.9, `behaviour compared for only ${s.behaviourChecked} of ${s.leakFixes} release fixes`);
    const titles = Object.keys(s.fixesByTitle).join('\n');
    assert.match(titles, /Wrap the uses/);
    assert.match(titles, /before (the|each of the N) leaking exit/);
    assert.match(titles, /timeout/);
    assert.match(titles, /at module scope/);
    for (const shape of ['creation:sameLine', 'creation:conditional', 'creation:switchCase', 'creation:labelledLoop', 'creation:hoisted',
      'creation:closureBefore', 'item:promise', 'item:timer', 'item:listener', 'item:forEach', 'item:classStatic', 'item:yield', 'item:jsx']) {
      assert.ok(s.features[shape] > 0, `no function with ${shape} was generated`);
    }
  });
});
