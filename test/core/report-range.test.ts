// Where a finding is underlined: a multi-line call underlines its callee, not all its lines.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { createAnalyzer } from '../../server/src/analyzer';
import { reportRange } from '../../server/src/core/report-range';
import { lineStarts } from '../../server/src/core/text';

/** The text `reportRange` underlines for the first node of `kind` whose text starts with `startsWith`. */
function underlined(code: string, kind: ts.SyntaxKind, startsWith: string): string {
  const sf = ts.createSourceFile('a.ts', code, ts.ScriptTarget.Latest, true);
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (!found && n.kind === kind && n.getText(sf).startsWith(startsWith)) found = n;
    n.forEachChild(visit);
  };
  visit(sf);
  assert.ok(found, `no ${ts.SyntaxKind[kind]} starting with ${startsWith}`);
  return slice(code, reportRange(found));
}

function slice(text: string, r: { line: number; column: number; endLine: number; endColumn: number }): string {
  const starts = lineStarts(text);
  return text.slice(starts[r.line - 1] + r.column - 1, starts[r.endLine - 1] + r.endColumn - 1);
}

describe('report ranges', () => {
  it('a node on one line is underlined whole', () => {
    assert.equal(underlined('const s = net.connect({ host, port });', ts.SyntaxKind.CallExpression, 'net.connect'), 'net.connect({ host, port })');
  });

  it('a multi-line call underlines its callee; `new` keeps its keyword; `await` and parentheses are looked through', () => {
    assert.equal(underlined('const s = net.connect({\n  host,\n  port,\n});', ts.SyntaxKind.CallExpression, 'net.connect'), 'net.connect');
    assert.equal(underlined('const c = new pg.Client({\n  host,\n});', ts.SyntaxKind.NewExpression, 'new pg.Client'), 'new pg.Client');
    assert.equal(underlined('const r = await fetch(url, {\n  method: "POST",\n});', ts.SyntaxKind.AwaitExpression, 'await fetch'), 'fetch');
    assert.equal(underlined('const r = (connect(\n  port,\n));', ts.SyntaxKind.ParenthesizedExpression, '(connect'), 'connect');
  });

  it('a callee that itself spans lines underlines its last name', () => {
    assert.equal(underlined('const req = http\n  .request({\n    host,\n  });', ts.SyntaxKind.CallExpression, 'http'), 'request');
  });

  it('a multi-line function underlines its signature; anything else its first line', () => {
    assert.equal(underlined("s.on('timeout', (err) => {\n  log(err);\n});", ts.SyntaxKind.ArrowFunction, '(err)'), '(err) =>');
    assert.equal(underlined("s.on('timeout', function onTimeout() {\n  log();\n});", ts.SyntaxKind.FunctionExpression, 'function'), 'function onTimeout()');
    assert.equal(underlined('const o = {\n  a: 1,\n};', ts.SyntaxKind.ObjectLiteralExpression, '{'), '{');
  });

  it('the leak rules report a multi-line creation on its callee', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-range-'));
    try {
      const file = path.join(dir, 'a.ts');
      const code = [
        "import * as net from 'net';",
        'export function probe(host: string, port: number): void {',
        '  const s = net.connect({',
        '    host,',
        '    port,',
        '  });',
        '  if (!host) return;',
        '  s.end();',
        '}',
        '',
      ].join('\n');
      fs.writeFileSync(file, code);
      const r = createAnalyzer().analyzeFile(file);
      assert.deepEqual(r.findings.map((f) => [f.ruleId, f.line, f.column, f.endLine, f.endColumn, slice(code, f)]), [
        ['unclosed-connection', 3, 13, 3, 24, 'net.connect'],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
