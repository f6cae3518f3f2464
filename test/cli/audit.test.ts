// The `linger` command as users run it: the built bundle, spawned like a shell would.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'linger.js');

function linger(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A folder of its own for one test, removed once the file's tests have run. */
const made: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-cli-'));
  made.push(dir);
  return dir;
};
after(() => made.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('linger audit (CLI)', () => {
  before(function () {
    if (!fs.existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('run `npm run build` first (npm test does)');
  });

  it('prints the documented JSON shape, sorted, with fixes, and exits 1 on warnings', () => {
    const r = linger(['audit', 'examples', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['tool', 'findings', 'listeners', 'summary']);
    assert.equal(out.tool.name, 'linger');
    assert.deepEqual(Object.keys(out.summary), ['files', 'skipped', 'findings', 'durationMs']);
    assert.equal(out.summary.findings, out.findings.length);
    assert.ok(out.findings.length >= 4);
    const f = out.findings[0];
    assert.deepEqual(Object.keys(f), ['ruleId', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'related', 'fixes']);
    assert.ok(!path.isAbsolute(f.file), 'paths given relative come back relative');
    const keys = out.findings.map((x: { file: string; line: number; column: number }) => [x.file, x.line, x.column]);
    const sorted = [...keys].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1] || a[2] - b[2]);
    assert.deepEqual(keys, sorted);
    const pool = out.findings.find((x: { ruleId: string }) => x.ruleId === 'unreleased-pool-connection');
    assert.equal(pool.file, path.join('examples', 'src', 'users-repo.ts'));
    assert.equal(pool.related[0].message, 'not released if this `await` rejects');
    assert.ok(pool.fixes[0].edits[0].newText.includes('client.release()'));
  });

  it('exits 0 under --max-warnings and when rules are turned off', () => {
    assert.equal(linger(['audit', 'examples', '--max-warnings', '100']).code, 0);
    const off = ['unclosed-connection', 'unconsumed-response', 'unreleased-pool-connection'].flatMap((id) => ['--rule', `${id}=off`]);
    const r = linger(['audit', 'examples', '--format', 'json', ...off]);
    const ids = new Set(JSON.parse(r.stdout).findings.map((x: { ruleId: string }) => x.ruleId));
    for (const id of ['unclosed-connection', 'unconsumed-response', 'unreleased-pool-connection']) assert.ok(!ids.has(id));
  });

  it('turns a warning into an error with --rule and exits 1 even under --max-warnings', () => {
    const r = linger(['audit', 'examples', '--rule', 'unreleased-pool-connection=error', '--max-warnings', '100', '--format', 'json']);
    assert.equal(r.code, 1);
    assert.ok(JSON.parse(r.stdout).findings.some((x: { severity: string }) => x.severity === 'error'));
  });

  it('prints stylish text with a summary line', () => {
    const r = linger(['audit', 'examples']);
    assert.match(r.stdout, /examples\/src\/health-check\.ts\n\s+5:18\s+warning/);
    assert.match(r.stdout, /✖ \d+ problems \(0 errors, \d+ warnings\) in \d+ files/);
  });

  it('writes SARIF 2.1.0 with rules, results, related locations and fixes', () => {
    const r = linger(['audit', 'examples', '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'linger');
    assert.ok(run.tool.driver.rules.some((x: { id: string }) => x.id === 'unconsumed-response'));
    assert.ok(run.results.length >= 4);
    for (const res of run.results) {
      assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      assert.ok(res.locations[0].physicalLocation.artifactLocation.uri.startsWith('examples/'));
      assert.ok(res.locations[0].physicalLocation.region.startLine >= 1);
    }
    assert.ok(run.results.some((x: { relatedLocations: unknown[]; fixes?: unknown[] }) => x.relatedLocations.length && x.fixes?.length));
  });

  it('audits every file of a --project without paths', () => {
    const r = linger(['audit', '--project', 'examples/tsconfig.json', '--format', 'json']);
    const out = JSON.parse(r.stdout);
    assert.equal(out.summary.files, fs.readdirSync(path.join(root, 'examples', 'src')).length);
  });

  it('lists files that do not parse as skipped and goes on', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'broken.ts'), 'export function (\n');
    fs.writeFileSync(path.join(dir, 'ok.js'), "const net = require('net');\nfunction f() { const s = net.connect(1); s.write('x'); }\n");
    const r = linger(['audit', dir, '--format', 'json']);
    const out = JSON.parse(r.stdout);
    assert.equal(out.summary.files, 1);
    assert.equal(out.summary.skipped.length, 1);
    assert.match(out.summary.skipped[0].reason, /does not parse/);
    assert.equal(out.findings.length, 1);
  });

  it('exits 2 with a one-line reason on bad usage and missing paths', () => {
    for (const args of [['audit', 'no/such/dir'], ['audit', '--format', 'xml'], ['audit', '--rule', 'nope=off'], ['frobnicate'], ['audit', '--project', 'nope.json']]) {
      const r = linger(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr.split('\n')[0], /^linger: /);
    }
  });

  it('exits 2 and names the file when a config is broken, still printing the findings', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '.lingerrc.json'), '{"rules":{"unclosed-connection":"loud"}}');
    fs.writeFileSync(path.join(dir, 'a.js'), "const net = require('net');\nfunction f() { const s = net.connect(1); s.write('x'); }\n");
    const r = linger(['audit', dir, '--format', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.lingerrc\.json: rule "unclosed-connection": severity must be one of/);
    assert.equal(JSON.parse(r.stdout).findings.length, 1);
  });
});
