// SARIF for code scanning: valid against the SARIF 2.1.0 schema (the copy @microsoft/jest-sarif
// ships, a draft-04 JSON schema), rules with help, fingerprints that survive edits elsewhere in the
// file, and the files that were not analysed as notifications of the invocation.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { cleanup, linger, ROOT, workspace } from '../robustness/helpers';

const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
// unicodeRegExp off: the schema's language pattern is not valid with the `u` flag (fine without it).
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const HELPERS = `import * as net from 'net';
import { Pool } from 'pg';
const pool = new Pool();

export async function probe(port: number) {
  const s = net.connect(port);
  s.write('PING');
}

export class Repo {
  async find(id: string) {
    const client = await pool.connect();
    const r = await client.query('SELECT 1 WHERE $1', [id]);
    client.release();
    return r;
  }
}
`;

function sarifOf(dir: string, args: string[] = []) {
  const r = linger(['audit', '--format', 'sarif', ...args], dir);
  return { code: r.status, log: JSON.parse(r.stdout), stderr: r.stderr };
}

type Result = { ruleId: string; partialFingerprints: Record<string, string>; locations: Array<{ physicalLocation: { region: { startLine: number } } }> };

describe('linger audit --format sarif', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach(cleanup));

  it('is valid SARIF 2.1.0 (the examples, with related locations, fixes, a skipped and an unanalysed file)', () => {
    const d = workspace({ 'package.json': '{"name":"x","private":true}', 'a.ts': HELPERS, 'broken.ts': 'export function (\n', 'gen.js': '// @generated\nmodule.exports = 1;\n' }, 'linger-sarif-');
    dirs.push(d);
    for (const log of [sarifOf(path.join(ROOT, 'examples')).log, sarifOf(d).log]) {
      const ok = validate(log);
      assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    }
    // The schema check can fail: a result without a message is not SARIF.
    const bad = sarifOf(d).log;
    delete bad.runs[0].results[0].message;
    assert.equal(validate(bad), false);
  });

  it('lists every rule with its help page and a full description', () => {
    const { log } = sarifOf(path.join(ROOT, 'examples'));
    const rules = log.runs[0].tool.driver.rules as Array<{ id: string; helpUri: string; fullDescription: { text: string }; help: { markdown: string } }>;
    for (const id of ['unclosed-connection', 'unconsumed-response', 'unreleased-pool-connection', 'missing-keepalive', 'unused-linger-ignore', 'linger-ignore-unknown-rule']) {
      assert.ok(rules.some((r) => r.id === id), id);
    }
    const unclosed = rules.find((r) => r.id === 'unclosed-connection')!;
    assert.equal(unclosed.helpUri, 'https://github.com/linger-dev/linger/blob/main/docs/rules/unclosed-connection.md');
    assert.match(unclosed.fullDescription.text, /CLOSE_WAIT/);
    assert.ok(fs.existsSync(path.join(ROOT, 'docs', 'rules', 'unclosed-connection.md')));
  });

  it('puts the files that were not analysed in the invocation, as notifications naming the file', () => {
    const d = workspace({ 'package.json': '{"name":"x","private":true}', 'a.ts': HELPERS, 'broken.ts': 'export function (\n', 'gen.js': '// @generated\nmodule.exports = 1;\n' }, 'linger-sarif-');
    dirs.push(d);
    const { log, code } = sarifOf(d);
    assert.equal(code, 1);
    const notes = log.runs[0].invocations[0].toolExecutionNotifications as Array<{ level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
    const byFile = Object.fromEntries(notes.map((n) => [n.locations[0].physicalLocation.artifactLocation.uri, [n.level, n.message.text]]));
    assert.equal(byFile['broken.ts'][0], 'error');
    assert.match(byFile['broken.ts'][1], /^not analysed: does not parse/);
    assert.equal(byFile['gen.js'][0], 'note');
    assert.match(byFile['gen.js'][1], /^skipped: marked as generated/);
  });

  it('fingerprints survive edits elsewhere in the file, and change with the reported code or its function', () => {
    const d = workspace({ 'package.json': '{"name":"x","private":true}', 'src/a.ts': HELPERS }, 'linger-sarif-');
    dirs.push(d);
    const prints = () => {
      const results = sarifOf(d).log.runs[0].results as Result[];
      return results.map((r) => [r.ruleId, r.locations[0].physicalLocation.region.startLine, r.partialFingerprints.primaryLocationLineHash] as const);
    };
    const before = prints();
    assert.deepEqual(before.map(([id]) => id), ['unclosed-connection', 'unreleased-pool-connection']);
    assert.match(before[0][2], /^[0-9a-f]{32}:1$/);
    // Lines added above, a function added between them, a comment: every finding moves down, keeps its fingerprint.
    const file = path.join(d, 'src', 'a.ts');
    fs.writeFileSync(file, HELPERS
      .replace("const pool = new Pool();", "// the shared pool\nconst pool = new Pool();\n\nexport const VERSION = 2;\n")
      .replace('export class Repo', 'export function unrelated() {\n  return 1;\n}\n\nexport class Repo'));
    const moved = prints();
    assert.deepEqual(moved.map(([, line]) => line), [before[0][1] + 4, before[1][1] + 8]);
    assert.deepEqual(moved.map(([, , fp]) => fp), before.map(([, , fp]) => fp));
    // The same code in a renamed function is another finding to code scanning.
    fs.writeFileSync(file, HELPERS.replace('async find(', 'async findOne('));
    const renamed = prints();
    assert.equal(renamed[0][2], before[0][2]);
    assert.notEqual(renamed[1][2], before[1][2]);
  });

  it('tells apart identical findings in one function by their order', () => {
    const d = workspace({ 'package.json': '{"name":"x","private":true}', 'a.ts': "import * as net from 'net';\nexport function two(port: number) {\n  const a = net.connect(port);\n  a.write('x');\n  const b = net.connect(port);\n  b.write('x');\n}\n" }, 'linger-sarif-');
    dirs.push(d);
    const results = sarifOf(d).log.runs[0].results as Result[];
    const fps = results.map((r) => r.partialFingerprints.primaryLocationLineHash);
    assert.equal(new Set(fps).size, fps.length, fps.join(' '));
  });
});
