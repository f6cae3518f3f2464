// The injection grammar that highlights `linger-ignore` comments, tokenized with vscode-textmate.
// VS Code's TypeScript grammar is not available offline, so the host is a stand-in with the same
// line-comment rule (scope `comment.line.double-slash.ts`), which is all the injection selects.
import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, IGrammar, Registry } from 'vscode-textmate';
import { REPO } from './client';

const HOST = {
  scopeName: 'source.ts',
  patterns: [
    {
      begin: '(^[ \\t]+)?((//)(?:\\s*((@)internal)(?=\\s|$))?)',
      beginCaptures: { 1: { name: 'punctuation.whitespace.comment.leading.ts' }, 2: { name: 'comment.line.double-slash.ts' }, 3: { name: 'punctuation.definition.comment.ts' } },
      end: '(?=$)',
      contentName: 'comment.line.double-slash.ts',
    },
    { match: '\\bconst\\b', name: 'storage.type.ts' },
  ],
};

async function grammar(): Promise<IGrammar> {
  const wasm = readFileSync(path.join(REPO, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  // loadWASM returns the same promise when another test file already loaded it.
  const ready = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const injection = JSON.parse(readFileSync(path.join(REPO, 'syntaxes', 'linger-ignore.injection.tmLanguage.json'), 'utf8'));
  const registry = new Registry({
    onigLib: ready.then(() => ({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    })),
    loadGrammar: async (scope) => (scope === 'source.ts' ? HOST : scope === injection.scopeName ? injection : null),
    getInjections: (scope) => (scope === 'source.ts' ? [injection.scopeName] : []),
  });
  return (await registry.loadGrammar('source.ts'))!;
}

/** `text → last scope` for each token of the line. */
function scopes(g: IGrammar, line: string): Array<[string, string]> {
  return g.tokenizeLine(line, INITIAL).tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1]]);
}

describe('linger-ignore injection grammar', () => {
  let g: IGrammar;
  before(async () => {
    g = await grammar();
  });

  it('marks the directive, each rule id and the reason', () => {
    const tokens = scopes(g, '  // linger-ignore-next-line unclosed-connection, fixed-local-port -- closed by the pool');
    const named = tokens.filter(([, s]) => s.endsWith('.linger'));
    assert.deepStrictEqual(named, [
      ['linger-ignore-next-line', 'keyword.control.directive.linger'],
      ['unclosed-connection', 'entity.name.tag.rule-id.linger'],
      [',', 'punctuation.separator.comma.linger'],
      ['fixed-local-port', 'entity.name.tag.rule-id.linger'],
      ['--', 'punctuation.separator.reason.linger'],
      [' closed by the pool', 'string.unquoted.reason.linger'],
    ]);
  });

  it('marks linger-ignore-file, and a directive after code on the same line', () => {
    assert.ok(scopes(g, '// linger-ignore-file unconsumed-response').some(([t, s]) => t === 'linger-ignore-file' && s === 'keyword.control.directive.linger'));
    assert.ok(scopes(g, 'const x = 1; // linger-ignore-next-line').some(([t, s]) => t === 'linger-ignore-next-line' && s === 'keyword.control.directive.linger'));
  });

  it('leaves a mention that is not right after // alone, as the analyzer does', () => {
    assert.ok(!scopes(g, '// see linger-ignore-file in the docs').some(([, s]) => s.endsWith('.linger')));
    assert.ok(!scopes(g, 'const linger = "linger-ignore-file";').some(([, s]) => s.endsWith('.linger')));
  });
});
