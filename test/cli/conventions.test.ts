// ESLint's conventions in `linger audit`: exit codes 0/1/2 for each option, --quiet, --max-warnings -1,
// --output creating its folder, colours (NO_COLOR, FORCE_COLOR, no TTY), files that could not be
// analysed counted as errors, nothing to analyse as exit 2, tsconfig problems as warnings,
// suppression comments (linger-ignore-line, unknown rules, unused directives).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanup, CLI, workspace } from '../robustness/helpers';

const PKG = '{"name":"fixture","private":true}';
const LEAK = "import * as net from 'net';\nexport function f() {\n  const s = net.connect(1);\n  s.write('x');\n}\n";
const CLEAN = 'export const answer = 42;\n';

function run(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const base = { ...process.env };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'NODE_DISABLE_COLORS']) delete base[k];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...base, ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const json = (stdout: string) => JSON.parse(stdout);

describe('linger audit: ESLint conventions', () => {
  const dirs: string[] = [];
  const ws = (files: Record<string, string>) => {
    const d = workspace({ 'package.json': PKG, ...files }, 'linger-cli-');
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach(cleanup));

  describe('exit codes and warnings', () => {
    it('a warning fails by default, --max-warnings N allows N, --max-warnings -1 allows any number', () => {
      const d = ws({ 'a.ts': LEAK, 'b.ts': LEAK });
      assert.equal(run(['audit'], d).code, 1);
      assert.equal(run(['audit', '--max-warnings', '1'], d).code, 1);
      const over = run(['audit', '--max-warnings', '1'], d);
      assert.match(over.stderr, /too many warnings \(maximum: 1\)/);
      assert.equal(run(['audit', '--max-warnings', '2'], d).code, 0);
      assert.equal(run(['audit', '--max-warnings', '-1'], d).code, 0);
      assert.equal(run(['audit', '--max-warnings=-1'], d).code, 0);
      assert.equal(run(['audit', '--max-warnings', '-2'], d).code, 2);
      assert.equal(run(['audit', '--max-warnings', 'many'], d).code, 2);
    });

    it('an error fails whatever --max-warnings says; a clean project exits 0', () => {
      const d = ws({ 'a.ts': LEAK });
      assert.equal(run(['audit', '--rule', 'unclosed-connection=error', '--max-warnings', '-1'], d).code, 1);
      assert.equal(run(['audit'], ws({ 'a.ts': CLEAN })).code, 0);
    });

    it('--quiet reports errors only: warnings are neither printed nor counted', () => {
      const d = ws({ 'a.ts': LEAK, 'b.ts': LEAK.replace('net.connect(1)', 'net.connect(2)') });
      const quiet = run(['audit', '--quiet', '--format', 'json'], d);
      assert.equal(quiet.code, 0, quiet.stderr);
      assert.deepEqual(json(quiet.stdout).findings, []);
      const text = run(['audit', '--quiet'], d);
      assert.doesNotMatch(text.stdout, /warning/);
      const errors = run(['audit', '--quiet', '--format', 'json', '--rule', 'unclosed-connection=error'], d);
      assert.equal(errors.code, 1);
      assert.equal(json(errors.stdout).findings.length, 2);
    });

    it('--time-budget takes a positive whole number of milliseconds', () => {
      const d = ws({ 'a.ts': LEAK });
      const r = run(['audit', '--time-budget', '600000', '--format', 'json'], d);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(json(r.stdout).findings.length, 1);
      for (const bad of ['0', '-5', 'soon', '1.5']) assert.equal(run(['audit', '--time-budget', bad], d).code, 2, bad);
    });
  });

  describe('files that are not analysed', () => {
    it('a file that does not parse is an error: exit 1, unless --no-error-on-unanalysed', () => {
      const d = ws({ 'ok.ts': CLEAN, 'broken.ts': 'export function (\n' });
      const r = run(['audit', '--format', 'json'], d);
      assert.equal(r.code, 1);
      const out = json(r.stdout);
      assert.deepEqual(out.summary.skipped.map((s: { file: string; fatal: boolean }) => [s.file, s.fatal]), [['broken.ts', true]]);
      const text = run(['audit'], d);
      assert.match(text.stdout, /broken\.ts\n\s+error\s+not analysed: does not parse/);
      assert.match(text.stdout, /✖ 1 problem \(1 error, 0 warnings\) in 1 file, 1 not analysed/);
      assert.equal(run(['audit', '--no-error-on-unanalysed'], d).code, 0);
    });

    it('a run where every file was left unanalysed fails (never "no problems in 0 files")', () => {
      const d = ws({ 'broken.ts': 'export function (\n' });
      const r = run(['audit'], d);
      assert.equal(r.code, 1);
      assert.doesNotMatch(r.stdout, /✔/);
      // Told not to count it, nothing at all was checked: still not a pass.
      const lenient = run(['audit', '--no-error-on-unanalysed'], d);
      assert.equal(lenient.code, 2);
      assert.match(lenient.stderr, /no file under .* was analysed/);
    });

    it('generated files are recognised by their header comment only, listed, and do not fail', () => {
      const d = ws({
        'gen.ts': `// Code generated by protoc-gen-ts. DO NOT EDIT.\n${LEAK}`,
        'strict.js': `"use strict";\n/* @generated */\nconst net = require('net');\nnet.connect(1);\n`,
        'mentions.ts': `const GENERATED = /@generated/;\n// a comment that says @generated later in the file\n${LEAK}`,
      });
      const r = run(['audit', '--format', 'json'], d);
      const out = json(r.stdout);
      assert.deepEqual(out.summary.skipped.map((s: { file: string; fatal: boolean }) => [s.file, s.fatal]).sort(), [['gen.ts', false], ['strict.js', false]]);
      assert.deepEqual(out.findings.map((f: { file: string }) => f.file), ['mentions.ts'], 'a file that only mentions @generated is analysed');
      assert.equal(r.code, 1, 'the leak in mentions.ts');
    });

    it('no JavaScript or TypeScript file under the paths given: exit 2 with the reason', () => {
      const d = ws({ 'README.md': '# nothing here\n', 'docs/a.txt': 'x' });
      const r = run(['audit', 'docs'], d);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^linger: no JavaScript or TypeScript files under docs/);
      assert.equal(run(['audit'], d).code, 2);
      // Every file skipped on purpose (generated): nothing was checked, which is not a pass either.
      const gen = ws({ 'gen.js': '// @generated\nmodule.exports = 1;\n' });
      const g = run(['audit'], gen);
      assert.equal(g.code, 2);
      assert.match(g.stderr, /no file under .* was analysed \(1 skipped\)/);
    });
  });

  describe('tsconfig problems are warnings (as in tsserver)', () => {
    const cases: Array<[string, object, RegExp]> = [
      ['an extends that cannot be resolved', { extends: '@tsconfig/node20/tsconfig.json', include: ['src'] }, /@tsconfig\/node20\/tsconfig\.json' not found/],
      ['an unknown option', { compilerOptions: { frobnicate: true }, include: ['src'] }, /Unknown compiler option 'frobnicate'/],
      ['a missing include target', { include: ['src', 'lib'] }, /"include" entry lib not found/],
      ['a missing files entry', { files: ['src/a.ts', 'src/gone.ts'] }, /"files" entry src\/gone\.ts not found/],
    ];
    for (const [name, tsconfig, message] of cases) {
      it(`${name}: one line naming the file and the problem, analysis goes on, exit code unaffected`, () => {
        const d = ws({ 'tsconfig.json': JSON.stringify(tsconfig), 'src/a.ts': CLEAN });
        const r = run(['audit', '--format', 'json'], d);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(json(r.stdout).summary.files, 1);
        const lines = r.stderr.trim().split('\n');
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0], /^linger: warning: .*tsconfig\.json: /);
        assert.match(lines[0], message);
        // With a leak, the exit code is the leak's.
        fs.writeFileSync(path.join(d, 'src', 'a.ts'), LEAK);
        assert.equal(run(['audit'], d).code, 1);
      });
    }

    it('an include entry written with ${configDir} (TypeScript 5.5) is found where it points: no warning', () => {
      const d = ws({ 'tsconfig.json': JSON.stringify({ include: ['${configDir}/src'] }), 'src/a.ts': LEAK });
      const r = run(['audit', '--format', 'json'], d);
      assert.equal(r.stderr.trim(), '');
      assert.equal(json(r.stdout).summary.files, 1);
      assert.equal(r.code, 1, 'the leak in src/a.ts');
      fs.writeFileSync(path.join(d, 'tsconfig.json'), JSON.stringify({ include: ['${configDir}/lib'] }));
      assert.match(run(['audit'], d).stderr, /"include" entry \$\{configDir\}\/lib not found/);
    });

    it('a broken .lingerrc.json still exits 2', () => {
      const d = ws({ '.lingerrc.json': '{"rules":{"unclosed-connection":"loud"}}', 'a.ts': CLEAN });
      const r = run(['audit'], d);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /\.lingerrc\.json: rule "unclosed-connection"/);
    });
  });

  describe('output', () => {
    it('--output creates its folder, writes the report there and nothing to stdout', () => {
      const d = ws({ 'a.ts': LEAK });
      const r = run(['audit', '--format', 'sarif', '--output', 'reports/deep/linger.sarif'], d);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.equal(JSON.parse(fs.readFileSync(path.join(d, 'reports', 'deep', 'linger.sarif'), 'utf8')).version, '2.1.0');
    });

    it('--output that cannot be written (a file where a folder should be): exit 2', () => {
      const d = ws({ 'a.ts': LEAK, 'blocker': 'a file' });
      const r = run(['audit', '--output', 'blocker/report.txt'], d);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--output blocker\/report\.txt cannot be written/);
    });

    it('colours: off when stdout is not a terminal, on with FORCE_COLOR or --color, NO_COLOR and --no-color win over a terminal', () => {
      const d = ws({ 'a.ts': LEAK });
      const esc = /\x1b\[/;
      assert.doesNotMatch(run(['audit'], d).stdout, esc, 'piped: plain');
      assert.match(run(['audit'], d, { FORCE_COLOR: '1' }).stdout, esc);
      assert.doesNotMatch(run(['audit'], d, { FORCE_COLOR: '0' }).stdout, esc);
      assert.match(run(['audit', '--color'], d).stdout, esc);
      assert.doesNotMatch(run(['audit', '--no-color'], d, { FORCE_COLOR: '1' }).stdout, esc);
      assert.doesNotMatch(run(['audit', '--format', 'json'], d, { FORCE_COLOR: '1' }).stdout, esc, 'JSON never');
    });
  });

  describe('suppression comments', () => {
    const LINE = "import * as net from 'net';\nexport function f() {\n  const s = net.connect(1); // linger-ignore-line unclosed-connection -- pooled elsewhere\n  s.write('x');\n}\n";

    it('a trailing `// linger-ignore-line <rule>` silences its own line', () => {
      const d = ws({ 'a.ts': LINE });
      const r = run(['audit', '--format', 'json'], d);
      assert.equal(r.code, 0, r.stdout);
      assert.deepEqual(json(r.stdout).findings, []);
    });

    it('the same words inside a string do not silence anything', () => {
      const d = ws({ 'a.ts': LEAK.replace("s.write('x');", "s.write('// linger-ignore-file');") });
      assert.equal(json(run(['audit', '--format', 'json'], d).stdout).findings.length, 1);
    });

    it('a comment naming an unknown rule is a warning (it silences nothing)', () => {
      const d = ws({ 'a.ts': `// linger-ignore-file unclosed-conection\n${CLEAN}` });
      const r = run(['audit', '--format', 'json'], d);
      assert.equal(r.code, 1);
      const [f] = json(r.stdout).findings;
      assert.equal(f.ruleId, 'linger-ignore-unknown-rule');
      assert.equal(f.severity, 'warning');
      assert.match(f.message, /"unclosed-conection", which is not a Linger rule/);
    });

    it('--report-unused-disable-directives: an unused comment is an error with a safe fix; used ones are not reported', () => {
      const unused = `${CLEAN}// linger-ignore-next-line unconsumed-response -- was a fetch once\nexport const b = 1;\n`;
      const d = ws({ 'a.ts': LINE, 'b.ts': unused });
      assert.equal(run(['audit'], d).code, 0, 'not reported unless asked');
      const r = run(['audit', '--report-unused-disable-directives', '--format', 'json'], d);
      assert.equal(r.code, 1);
      const findings = json(r.stdout).findings;
      assert.deepEqual(findings.map((f: { file: string; ruleId: string; severity: string; line: number }) => [f.file, f.ruleId, f.severity, f.line]), [['b.ts', 'unused-linger-ignore', 'error', 2]]);
      assert.equal(findings[0].fixes[0].safe, true);
      const warn = run(['audit', '--report-unused-disable-directives-severity', 'warn', '--format', 'json'], d);
      assert.equal(json(warn.stdout).findings[0].severity, 'warning');
      assert.equal(run(['audit', '--report-unused-disable-directives-severity', 'warn', '--max-warnings', '1'], d).code, 0);
    });
  });
});
