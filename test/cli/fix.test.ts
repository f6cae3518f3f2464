// --fix and --fix-dry-run: only the fixes marked safe (as "Fix all" in the editor), written or
// printed, the changed files audited again, exit codes from what is left.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanup, linger, ROOT, workspace } from '../robustness/helpers';

const EXAMPLES = path.join(ROOT, 'examples');

function copyExamples(): string {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files[path.relative(EXAMPLES, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(EXAMPLES);
  return workspace(files, 'linger-fix-');
}

// A fix that is offered for review only: the shared agent moves to module scope.
const REVIEW_ONLY = `import * as http from 'http';
export function main(path: string) {
  http.get({ host: 'api', path, agent: new http.Agent({ keepAlive: true }) }, (res) => res.resume());
}
`;

describe('linger audit --fix / --fix-dry-run', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach(cleanup));

  it('JSON marks each fix safe or not', () => {
    const d = copyExamples();
    dirs.push(d);
    fs.writeFileSync(path.join(d, 'src', 'churn.ts'), REVIEW_ONLY);
    const out = JSON.parse(linger(['audit', '--format', 'json'], d).stdout);
    const safety = out.findings.map((f: { file: string; fixes: Array<{ safe: boolean }> }) => [f.file, f.fixes.map((x) => x.safe)]);
    assert.deepEqual(safety.find(([f]: [string]) => f === 'src/churn.ts'), ['src/churn.ts', [false]]);
    assert.deepEqual(safety.find(([f]: [string]) => f === 'src/users-repo.ts'), ['src/users-repo.ts', [true]]);
  });

  it('--fix-dry-run prints the fixed text and the findings left, and writes nothing', () => {
    const d = copyExamples();
    dirs.push(d);
    fs.writeFileSync(path.join(d, 'src', 'churn.ts'), REVIEW_ONLY);
    const before = fs.readFileSync(path.join(d, 'src', 'users-repo.ts'), 'utf8');
    const r = linger(['audit', '--fix-dry-run', '--format', 'json'], d);
    assert.equal(r.status, 1, 'the review-only finding is left');
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.findings.map((f: { file: string; ruleId: string }) => [f.file, f.ruleId]), [['src/churn.ts', 'connection-churn']]);
    assert.deepEqual(out.fixed.map((x: { file: string }) => x.file), ['src/github-client.js', 'src/health-check.ts', 'src/users-repo.ts']);
    const repo = out.fixed.find((x: { file: string }) => x.file === 'src/users-repo.ts');
    assert.match(repo.output, /try \{\n\s+const result = await client\.query[\s\S]*\} finally \{\n\s+client\.release\(\);/);
    assert.equal(fs.readFileSync(path.join(d, 'src', 'users-repo.ts'), 'utf8'), before, 'nothing written');
    assert.equal(fs.readFileSync(path.join(d, 'src', 'churn.ts'), 'utf8'), REVIEW_ONLY);
  });

  it('--fix writes the safe fixes, leaves the review-only ones, and re-audits: a second run has nothing to fix', () => {
    const d = copyExamples();
    dirs.push(d);
    const dry = JSON.parse(linger(['audit', '--fix-dry-run', '--format', 'json'], d).stdout);
    const r = linger(['audit', '--fix'], d);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /fixed 4 problems in 3 files/);
    assert.match(r.stdout, /✔ no problems in 3 files/);
    for (const x of dry.fixed) assert.equal(fs.readFileSync(path.join(d, x.file), 'utf8'), x.output, `${x.file}: the dry run showed what --fix wrote`);
    const again = linger(['audit', '--fix', '--format', 'json'], d);
    assert.equal(again.status, 0);
    assert.deepEqual(JSON.parse(again.stdout).fixed, []);
  });

  it('removes linger-ignore comments that silence nothing when they are reported (--report-unused-disable-directives)', () => {
    const d = workspace({
      'package.json': '{"name":"x","private":true}',
      'tsconfig.json': '{"compilerOptions":{"strict":true},"include":["src"]}',
      'src/a.ts': "// linger-ignore-next-line unconsumed-response\nexport const a = 1;\n",
    }, 'linger-fix-');
    dirs.push(d);
    assert.equal(linger(['audit', '--fix'], d).status, 0, 'not reported, not removed');
    assert.match(fs.readFileSync(path.join(d, 'src', 'a.ts'), 'utf8'), /linger-ignore/);
    const r = linger(['audit', '--fix', '--report-unused-disable-directives', '--format', 'json'], d);
    assert.equal(r.status, 0, r.stdout);
    assert.equal(fs.readFileSync(path.join(d, 'src', 'a.ts'), 'utf8'), 'export const a = 1;\n');
  });
});
