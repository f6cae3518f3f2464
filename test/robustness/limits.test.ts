// Limits and bad input: oversized and minified files are skipped with a reason; a broken tsconfig.json or
// .lingerrc.json gives ONE clear message naming the file and the problem while the rest is analysed; bad
// paths and bad options give exit code 2 with the reason.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeFiles, listSourceFiles } from '../../server/src/core/analyze';
import { cleanup, LEAK_TS, linger, workspace } from './helpers';
import { createAnalyzer } from '../../server/src/analyzer';

const PKG = '{"name":"ws","private":true}\n';

describe('robustness: limits', () => {
  let dir: string;
  afterEach(() => cleanup(dir));

  it('a file over the size limit is skipped with the reason (option, config and default)', () => {
    dir = workspace({ 'package.json': PKG, 'small.ts': LEAK_TS, 'big.ts': `${LEAK_TS}// ${'x'.repeat(5_000)}\n`.repeat(3),
      'huge.ts': `export const a = 1;\n${'// filler line of a big generated file\n'.repeat(30_000)}` });
    const r = createAnalyzer({ maxFileSize: 4_000 }).analyzeFile(path.join(dir, 'big.ts'));
    assert.match(r.skipped ?? '', /larger than the 4000-byte limit/);
    assert.deepEqual(r.findings, []);
    assert.equal(createAnalyzer({ maxFileSize: 4_000 }).analyzeFile(path.join(dir, 'small.ts')).skipped, undefined);
    const huge = createAnalyzer().analyzeFile(path.join(dir, 'huge.ts'));
    assert.match(huge.skipped ?? '', /larger than the 1000000-byte limit/);
  });

  it('a variable reassigned from its own calls line after line (a query builder) is analysed whole: each assignment once, not every combination', () => {
    // Each `qb = qb.where(…)` once asked where every other assignment's `qb` comes from: the work doubled
    // with each line, and objection.js's typings test (40 such lines) ran for longer than 20 minutes.
    const chain = Array.from({ length: 120 }, (_, i) => `qb = qb.where('c${i}');`).join('\n');
    dir = workspace({ 'package.json': PKG, 'query.ts': `class QB { where(x?: string): QB { return this; } }\nlet qb = new QB();\n${chain}\n${LEAK_TS}` });
    const r = createAnalyzer().analyzeFile(path.join(dir, 'query.ts'));
    assert.equal(r.skipped, undefined);
    assert.deepEqual(r.findings.map((f) => [f.ruleId, f.line]), [['unclosed-connection', 125]]);
  });

  it('maxFileSize from .lingerrc.json applies', () => {
    dir = workspace({ 'package.json': PKG, '.lingerrc.json': '{ "maxFileSize": 100 }', 'a.ts': LEAK_TS });
    assert.match(createAnalyzer().analyzeFile(path.join(dir, 'a.ts')).skipped ?? '', /larger than the 100-byte limit/);
  });

  it('a minified bundle is skipped as minified/generated, and the CLI lists it with the reason', () => {
    const unit = 'var a=require("net").connect(1);a.on("data",function(d){a.write(d)});';
    dir = workspace({ 'package.json': PKG, 'src/app.ts': LEAK_TS, 'dist/bundle.min.js': unit.repeat(1_000) });
    const r = createAnalyzer().analyzeFile(path.join(dir, 'dist/bundle.min.js'));
    assert.match(r.skipped ?? '', /looks minified or generated/);
    const cli = linger(['audit', '.', '--format', 'json'], dir);
    assert.equal(cli.status, 1, cli.stderr);
    const out = JSON.parse(cli.stdout);
    assert.deepEqual(out.summary.skipped.map((s: { file: string; reason: string }) => [path.basename(s.file), /minified/.test(s.reason)]), [['bundle.min.js', true]]);
    assert.equal(out.findings.length, 1, 'the rest is analysed');
    const text = linger(['audit', '.'], dir);
    assert.match(text.stdout + text.stderr, /bundle\.min\.js/);
  });

  it('a minified bundle wrapped at short lines (a committed index.js) is skipped; written code of the same size is not', () => {
    const unit = 'var a=require("net").connect(1);a.on("data",function(d){a.write(d)});';
    const wrapped = unit.repeat(400).match(/.{1,110}/g)!.join('\n');
    const written = Array.from({ length: 300 }, (_, i) => `export function probe${i}(port: number): void {\n  const socket = connect(port);\n  socket.write('ping');\n}\n`).join('');
    dir = workspace({ 'package.json': PKG, 'index.js': wrapped, 'src/probes.ts': `import { connect } from 'node:net';\n${written}` });
    assert.match(createAnalyzer().analyzeFile(path.join(dir, 'index.js')).skipped ?? '', /looks minified \(almost no spaces or indentation/);
    const r = createAnalyzer().analyzeFile(path.join(dir, 'src/probes.ts'));
    assert.equal(r.skipped, undefined);
    assert.ok(r.findings.length >= 300, `${r.findings.length} findings`);
  });
});

describe('robustness: broken configuration', () => {
  let dir: string;
  afterEach(() => cleanup(dir));

  /** Audit in-process and by the CLI; return the messages of both. */
  function audit(d: string) {
    const { files } = listSourceFiles([d]);
    const result = analyzeFiles(files, {}, createAnalyzer());
    const cli = linger(['audit', '.', '--format', 'json'], d);
    const stderr = cli.stderr.split('\n').filter((l) => l.trim());
    return { result, cli, stderr, findings: JSON.parse(cli.stdout || '{"findings":[]}').findings.length as number };
  }

  it('tsconfig.json that is not valid JSON: one warning naming it and the problem; the rest analysed, exit code unaffected', () => {
    dir = workspace({ 'package.json': PKG, 'tsconfig.json': '{ "compilerOptions": { "strict": true }\n  "include": ["src"] ',
      'src/a.ts': LEAK_TS, 'src/b.ts': LEAK_TS, 'src/c.ts': 'export const c = 1;\n' });
    const { result, cli, stderr, findings } = audit(dir);
    assert.equal(result.configErrors.length, 1, result.configErrors.join('\n'));
    assert.match(result.configErrors[0], /tsconfig\.json/);
    assert.match(result.configErrors[0], /expected/);
    assert.equal(result.findings.length, 2, 'both leaks are still found');
    // As tsserver: a tsconfig problem is a warning; the exit code is the findings' (1: two warnings).
    assert.equal(cli.status, 1);
    assert.equal(stderr.length, 1, cli.stderr);
    assert.match(stderr[0], /^linger: warning: .*tsconfig\.json: .*expected/);
    assert.equal(findings, 2);
  });

  it('.lingerrc.json that is not valid JSON: one message naming it; defaults used, the rest analysed', () => {
    dir = workspace({ 'package.json': PKG, '.lingerrc.json': '{ "rules": ', 'src/a.ts': LEAK_TS, 'src/b.ts': LEAK_TS });
    const { result, cli, stderr, findings } = audit(dir);
    assert.equal(result.configErrors.length, 1, result.configErrors.join('\n'));
    assert.match(result.configErrors[0], /\.lingerrc\.json: not valid JSON/);
    assert.equal(result.findings.length, 2);
    assert.equal(cli.status, 2);
    assert.equal(stderr.length, 1, cli.stderr);
    assert.match(stderr[0], /\.lingerrc\.json/);
    assert.equal(findings, 2);
  });

  it('.lingerrc.json that breaks the schema: one message naming the file and each problem', () => {
    dir = workspace({ 'package.json': PKG, '.lingerrc.json': '{ "rules": { "unclosed-connection": "loud", "no-such-rule": "off" }, "exclud": [], "maxFileSize": -1 }',
      'src/a.ts': LEAK_TS, 'src/b.ts': LEAK_TS });
    const { result, cli, stderr } = audit(dir);
    assert.equal(result.configErrors.length, 1, result.configErrors.join('\n'));
    const msg = result.configErrors[0];
    for (const re of [/\.lingerrc\.json/, /"exclud"/, /unclosed-connection.*loud/, /no-such-rule/, /maxFileSize/]) assert.match(msg, re);
    assert.equal(result.findings.length, 2);
    assert.equal(stderr.length, 1, cli.stderr);
  });

  it('the "linger" key of package.json is validated the same way', () => {
    dir = workspace({ 'package.json': '{"name":"x","linger":{"rules":[]}}', 'a.ts': LEAK_TS });
    const { result } = audit(dir);
    assert.deepEqual(result.configErrors.map((e) => /package\.json \("linger" key\): "rules" must be an object/.test(e)), [true]);
    assert.equal(result.findings.length, 1);
  });
});

describe('robustness: bad paths and options (CLI exit code 2)', () => {
  let dir: string;
  before(() => { dir = workspace({ 'package.json': PKG, 'a.ts': LEAK_TS }); });
  after(() => cleanup(dir));

  it('a path that does not exist', () => {
    const r = linger(['audit', 'nope/missing.ts'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /nope\/missing\.ts: no such file or directory/);
  });

  it('a path that cannot be read (a broken symbolic link)', () => {
    const link = path.join(dir, 'dangling.ts');
    require('node:fs').symlinkSync(path.join(dir, 'gone.ts'), link);
    const r = linger(['audit', 'dangling.ts'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /dangling\.ts: .*not readable/);
  });

  it('--project naming a missing tsconfig', () => {
    const r = linger(['audit', '--project', 'nope.json'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /nope\.json/);
  });

  it('an unknown --rule, a bad severity, an unknown --format, an unknown option', () => {
    for (const [args, re] of [
      [['--rule', 'no-such-rule=off'], /unknown rule "no-such-rule"/],
      [['--rule=unclosed-connection=loud'], /severity must be/],
      [['--format', 'xml'], /unknown format "xml"/],
      [['--frobnicate'], /unknown option --frobnicate/],
      [['--format'], /--format needs a value/],
    ] as const) {
      const r = linger(['audit', 'a.ts', ...args], dir);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
  });
});
