import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { cleanup, workspace as makeWorkspace } from '../robustness/helpers';
import { configProblems, isExcluded, validate } from '../../server/src/core/config';
import { parseSuppressions } from '../../server/src/core/suppressions';
import { applyEdits } from '../../server/src/core/text';
import { createAnalyzer } from '../../server/src/analyzer';

const LEAKY = `import * as net from 'net';
export function f(port: number) {
  const s = net.connect(port);
  s.write('x');
}
`;

// Every folder a test here makes is removed once the file's tests have run.
const made: string[] = [];
const workspace = (files: Record<string, string>) => {
  const dir = makeWorkspace(files, 'linger-cfg-');
  made.push(dir);
  return dir;
};
after(() => made.splice(0).forEach(cleanup));

const AGENT_PER_CALL = `import * as https from 'https';
export function robots(host: string) {
  const agent = new https.Agent({ keepAlive: true });
  https.get({ host, path: '/robots.txt', agent }, (res) => res.resume());
}
`;

describe('one defect, one finding', () => {
  it('reports an agent made per call as churn, not again as a pool left open', () => {
    const dir = workspace({ 'a.ts': AGENT_PER_CALL });
    const r = createAnalyzer().analyzeFile(path.join(dir, 'a.ts'));
    assert.deepEqual(r.findings.map((f) => `${f.line} ${f.ruleId}`), ['3 connection-churn']);
  });

  it('still reports the pool left open when connection-churn is off', () => {
    const dir = workspace({ '.lingerrc.json': '{"rules":{"connection-churn":"off"}}', 'a.ts': AGENT_PER_CALL });
    const r = createAnalyzer().analyzeFile(path.join(dir, 'a.ts'));
    assert.deepEqual(r.findings.map((f) => `${f.line} ${f.ruleId}`), ['3 unclosed-connection']);
  });
});

describe('configuration', () => {
  it('turns a rule off from .lingerrc.json', () => {
    const dir = workspace({ '.lingerrc.json': '{"rules":{"unclosed-connection":"off"}}', 'a.ts': LEAKY });
    const r = createAnalyzer().analyzeFile(path.join(dir, 'a.ts'));
    assert.deepEqual(r.findings, []);
  });

  it('raises severity from the linger key of package.json', () => {
    const dir = workspace({ 'package.json': '{"name":"x","linger":{"rules":{"unclosed-connection":"error"}}}', 'src/a.ts': LEAKY });
    const r = createAnalyzer().analyzeFile(path.join(dir, 'src/a.ts'));
    assert.deepEqual(r.findings.map((f) => f.severity), ['error']);
  });

  it('lets command-line rules override the file', () => {
    const dir = workspace({ '.lingerrc.json': '{"rules":{"unclosed-connection":"off"}}', 'a.ts': LEAKY });
    const r = createAnalyzer({ rules: { 'unclosed-connection': 'info' } }).analyzeFile(path.join(dir, 'a.ts'));
    assert.deepEqual(r.findings.map((f) => f.severity), ['info']);
  });

  it('reports a broken config once, naming the file, and still analyses with the defaults', () => {
    const dir = workspace({ '.lingerrc.json': '{"rules":{"unclosed-conection":"warning"}, "colour": 1}', 'a.ts': LEAKY });
    const r = createAnalyzer().analyzeFile(path.join(dir, 'a.ts'));
    assert.equal(r.configErrors.length, 1);
    assert.match(r.configErrors[0], /\.lingerrc\.json/);
    assert.match(r.configErrors[0], /unknown rule "unclosed-conection"/);
    assert.match(r.configErrors[0], /unknown property "colour"/);
    assert.equal(r.findings.length, 1);
  });

  it('reports invalid JSON with the parser message', () => {
    const dir = workspace({ '.lingerrc.json': '{"rules": {', 'a.ts': LEAKY });
    const r = createAnalyzer().analyzeFile(path.join(dir, 'a.ts'));
    assert.match(r.configErrors[0], /not valid JSON/);
  });

  it('excludes files by glob, relative to the config', () => {
    const dir = workspace({ '.lingerrc.json': '{"exclude":["gen/**"]}', 'gen/a.ts': LEAKY, 'src/a.ts': LEAKY });
    const analyzer = createAnalyzer();
    assert.equal(analyzer.analyzeFile(path.join(dir, 'gen/a.ts')).excluded, true);
    assert.equal(analyzer.analyzeFile(path.join(dir, 'src/a.ts')).findings.length, 1);
  });

  it('validates severities and numbers', () => {
    assert.deepEqual(validate({ rules: { 'unclosed-connection': 'loud' } }).length, 1);
    assert.deepEqual(validate({ maxFileSize: -1 }).length, 1);
    assert.deepEqual(validate({ rules: { 'fixed-local-port': 'hint' }, exclude: ['a/**'], timeBudgetMs: 10 }), []);
  });

  it('says what is wrong in the user\'s words, at JSON paths, one problem per mistake', () => {
    const config = JSON.parse('{"timeBudgetMs": 1.5, "rules": {"nope": "bad", "unclosed-connection": "loud"}, "exclude": ["a", 3, null], "colour": 1, "maxFileSize": -0.5}');
    assert.deepEqual(configProblems(config), [
      { path: ['colour'], onKey: true, message: 'unknown property "colour" (allowed: rules, exclude, maxFileSize, timeBudgetMs)' },
      { path: ['rules', 'nope'], onKey: true, message: 'unknown rule "nope"' },
      { path: ['rules', 'unclosed-connection'], message: 'rule "unclosed-connection": severity must be one of off, hint, info, warning, error (got "loud")' },
      { path: ['exclude', 1], message: '"exclude" must be an array of glob strings' },
      { path: ['maxFileSize'], message: '"maxFileSize" must be a positive integer' },
      { path: ['timeBudgetMs'], message: '"timeBudgetMs" must be a positive integer' },
    ]);
    assert.deepEqual(configProblems([]), [{ path: [], message: 'must be an object' }]);
    assert.deepEqual(configProblems({ rules: [] }), [{ path: ['rules'], message: '"rules" must be an object' }]);
  });

  it('matches globs like a shell', () => {
    const excluded = (glob: string, file: string) => isExcluded(`/ws/${file}`, { exclude: [glob], root: '/ws', rules: {} });
    assert.ok(excluded('src/**/*.ts', 'src/a/b/c.ts'));
    assert.ok(excluded('src/**/*.ts', 'src/c.ts'));
    assert.ok(!excluded('src/*.ts', 'src/a/c.ts'));
  });
});

describe('suppression comments', () => {
  it('ignores the next line for the named rule only', () => {
    const s = parseSuppressions('// linger-ignore-next-line unclosed-connection -- managed elsewhere\nconst s = 1;\n');
    assert.ok(s.isSuppressed('unclosed-connection', 2));
    assert.ok(!s.isSuppressed('unconsumed-response', 2));
    assert.ok(!s.isSuppressed('unclosed-connection', 3));
  });

  it('ignores every rule without an id, and whole files', () => {
    assert.ok(parseSuppressions('// linger-ignore-next-line\nx').isSuppressed('anything', 2));
    const f = parseSuppressions('// linger-ignore-file unconsumed-response, unclosed-connection\n');
    assert.ok(f.isSuppressed('unclosed-connection', 40));
    assert.ok(!f.isSuppressed('fixed-local-port', 40));
  });

  it('silences a real finding', () => {
    const dir = workspace({
      'a.ts': LEAKY.replace('  const s', '  // linger-ignore-next-line unclosed-connection -- closed by the pool\n  const s'),
    });
    assert.deepEqual(createAnalyzer().analyzeFile(path.join(dir, 'a.ts')).findings, []);
  });
});

describe('await using fix', () => {
  const code = `import * as dgram from 'dgram';
export async function send(msg: string, wait: () => Promise<void>) {
  const sock = dgram.createSocket('udp4');
  sock.send(msg, 9999, 'localhost');
  await wait();
}
`;
  const title = (t: string) => t.includes('await using');

  it('is offered where the project has the disposable lib, for review, and removes the finding', () => {
    const dir = workspace({ 'tsconfig.json': '{"compilerOptions":{"target":"ES2022","lib":["es2022","esnext.disposable"]}}', 'a.ts': code });
    const file = path.join(dir, 'a.ts');
    const analyzer = createAnalyzer();
    const [finding] = analyzer.analyzeFile(file).findings;
    const fix = finding.fixes.find((f) => title(f.title));
    assert.ok(fix, finding.fixes.map((f) => f.title).join('; '));
    assert.equal(fix.safe, false);
    const fixed = applyEdits(code, fix.edits);
    assert.match(fixed, /await using sock = dgram\.createSocket/);
    assert.deepEqual(analyzer.analyzeFile(file, fixed).findings, []);
  });

  it('is not offered without the disposable lib', () => {
    const dir = workspace({ 'tsconfig.json': '{"compilerOptions":{"target":"ES2022"}}', 'a.ts': code });
    const [finding] = createAnalyzer().analyzeFile(path.join(dir, 'a.ts')).findings;
    assert.ok(finding);
    assert.equal(finding.fixes.some((f) => title(f.title)), false);
  });
});
