// Suppression comments as the analyzer parses them: which comments count, which findings they
// silence, and which of them are unused or name an unknown rule (with the edit that removes them).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { parseSuppressions } from '../../server/src/core/suppressions';
import { useColor } from '../../server/src/cli/colors';

const KNOWN = ['unclosed-connection', 'unconsumed-response'];
const parse = (text: string) => parseSuppressions(text, ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest, true));

describe('suppression comments (directives)', () => {
  it('next-line, line and file directives cover their lines', () => {
    const s = parse([
      '// linger-ignore-next-line unclosed-connection',
      'a();',
      'b(); // linger-ignore-line unconsumed-response -- a reason',
      '// linger-ignore-file unconsumed-response',
    ].join('\n'));
    assert.equal(s.isSuppressed('unclosed-connection', 2), true);
    assert.equal(s.isSuppressed('unclosed-connection', 3), false);
    assert.equal(s.isSuppressed('unconsumed-response', 3), true);
    assert.equal(s.isSuppressed('unconsumed-response', 40), true, 'file-wide');
  });

  it('only real line comments count: not in strings, templates, regular expressions or block comments', () => {
    const text = [
      "const a = '// linger-ignore-file';",
      'const b = `',
      '// linger-ignore-file`;',
      'const c = /\\/\\/ linger-ignore-file/;',
      '/* see // linger-ignore-file */',
      'x();',
    ].join('\n');
    const s = parse(text);
    assert.equal(s.isSuppressed('unclosed-connection', 6), false);
    assert.deepEqual(s.problems(KNOWN), []);
    // The same text as a real comment does count.
    assert.equal(parse(`${text}\n// linger-ignore-file`).isSuppressed('unclosed-connection', 6), true);
  });

  it('reports unused directives, per rule, with a removal edit when the whole comment is unused', () => {
    const text = [
      'const x = 1;',
      '  // linger-ignore-next-line unclosed-connection',
      'a();',
      'b(); // linger-ignore-line unclosed-connection, unconsumed-response',
      '// linger-ignore-next-line',
      'c();',
    ].join('\n');
    const s = parse(text);
    assert.equal(s.isSuppressed('unconsumed-response', 4), true);
    const problems = s.problems(KNOWN);
    assert.deepEqual(problems.map((p) => [p.kind, p.line, !!p.removal]), [
      ['unused', 2, true],
      ['unused', 4, false], // unclosed-connection unused, unconsumed-response used: no removal
      ['unused', 5, true],
    ]);
    assert.match(problems[1].message, /no "unclosed-connection" finding/);
    // The whole line goes for a comment alone on its line, only the comment for a trailing one.
    assert.deepEqual(problems[0].removal, { line: 2, column: 1, endLine: 3, endColumn: 1, newText: '' });
    const trailing = parse('b();   // linger-ignore-line unclosed-connection\n').problems(KNOWN)[0];
    assert.deepEqual(trailing.removal, { line: 1, column: 5, endLine: 1, endColumn: 49, newText: '' });
  });

  it('a directive naming an unknown rule is reported, and silences nothing for it', () => {
    const s = parse('// linger-ignore-next-line unclosed-conection, unclosed-connection\nx();\n');
    assert.equal(s.isSuppressed('unclosed-conection', 2), true, 'the id is matched as written');
    assert.equal(s.isSuppressed('unclosed-connection', 2), true);
    const problems = s.problems(KNOWN);
    assert.deepEqual(problems.map((p) => p.kind), ['unknown-rule']);
    assert.match(problems[0].message, /"unclosed-conection", which is not a Linger rule/);
  });

  it('CRLF line endings', () => {
    const s = parse('// linger-ignore-next-line unclosed-connection\r\nx();\r\ny(); // linger-ignore-line\r\n');
    assert.equal(s.isSuppressed('unclosed-connection', 2), true);
    assert.equal(s.isSuppressed('anything', 3), true);
    assert.deepEqual(s.problems(KNOWN), []);
  });
});

describe('the linger-ignore grammar (editor highlighting)', () => {
  it('highlights the same three directives the analyzer reads', () => {
    const grammar = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'syntaxes', 'linger-ignore.injection.tmLanguage.json'), 'utf8'));
    const re = new RegExp(grammar.repository.directive.match);
    for (const kind of ['next-line', 'line', 'file']) {
      const m = re.exec(`x(); // linger-ignore-${kind} unclosed-connection -- why`);
      assert.equal(m?.[1], `linger-ignore-${kind}`);
      assert.equal(m?.[2].trim(), 'unclosed-connection');
      assert.equal(m?.[4].trim(), 'why');
    }
    assert.equal(re.exec('// linger-ignore-lines x'), null);
  });
});

describe('colours of the text report', () => {
  const tty = { env: {}, isTTY: true, toFile: false };
  it('follows Node: --color/--no-color, then FORCE_COLOR, then NO_COLOR, then the terminal', () => {
    assert.equal(useColor(tty), true);
    assert.equal(useColor({ ...tty, isTTY: false }), false);
    assert.equal(useColor({ ...tty, env: { NO_COLOR: '1' } }), false);
    assert.equal(useColor({ ...tty, env: { NO_COLOR: '' } }), true, 'an empty NO_COLOR is unset');
    assert.equal(useColor({ ...tty, env: { TERM: 'dumb' } }), false);
    assert.equal(useColor({ ...tty, toFile: true }), false);
    assert.equal(useColor({ ...tty, isTTY: false, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }), true);
    assert.equal(useColor({ ...tty, env: { FORCE_COLOR: 'false' } }), false);
    assert.equal(useColor({ ...tty, flag: false, env: { FORCE_COLOR: '1' } }), false);
    assert.equal(useColor({ ...tty, isTTY: false, flag: true }), true);
  });
});
