// Code actions over the protocol: every offered fix, applied to the text, makes its diagnostic go
// away; fix-all (resolved lazily) applies the safe ones; explain, ignore and disable do what they say.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient, WORKSPACE, fixtureUri } from './client';

const read = (rel: string) => fs.readFileSync(path.join(WORKSPACE, rel), 'utf8');
const LEAKY = ['src/probe.ts', 'src/users.ts', 'src/orders.ts'];

/** Apply the edits of a workspace edit that touch `uri` to `text`. */
function applyEdit(uri: string, text: string, edit: any, version: number): string {
  const changes = edit.documentChanges
    ? edit.documentChanges.filter((c: any) => c.textDocument.uri === uri).flatMap((c: any) => {
      assert.strictEqual(c.textDocument.version, version, 'edits are pinned to the analysed version');
      return c.edits;
    })
    : edit.changes?.[uri] ?? [];
  return TextDocument.applyEdits(TextDocument.create(uri, 'typescript', version, text), changes);
}

/** A file that does not parse gets no diagnostics at all, so "no diagnostic" alone proves nothing. */
function assertParses(text: string, what: string): void {
  const sf = ts.createSourceFile('fixed.ts', text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const errors = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  assert.deepStrictEqual(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')), [], `${what} leaves text that does not parse:\n${text}`);
}

describe('lsp: code actions', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ initializationOptions: { clientCommands: ['linger.explain', 'linger.disableRule'] } });
  });
  after(() => client.stop());

  /** Open (or reset) a document with `text` and pull its diagnostics. */
  async function diagnose(uri: string, text: string): Promise<{ items: any[]; version: number }> {
    client.settings = {};
    await client.close(uri);
    await client.open(uri, text);
    return { items: await client.pull(uri), version: 1 };
  }

  for (const rel of LEAKY) {
    it(`each quick fix for ${rel} removes its diagnostic`, async () => {
      const uri = fixtureUri(rel);
      const text = read(rel);
      const { items } = await diagnose(uri, text);
      assert.strictEqual(items.length, 1, JSON.stringify(items.map((d) => d.message)));
      const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: items[0].range, context: { diagnostics: items, only: ['quickfix'] } });
      const fixes = actions.filter((a: any) => a.edit && !a.title.startsWith('Ignore '));
      assert.ok(fixes.length >= 1, 'at least one fix');
      assert.strictEqual(fixes[0].isPreferred, true, 'the first fix is preferred');
      assert.ok(fixes.slice(1).every((a: any) => !a.isPreferred));
      for (const fix of fixes) {
        assert.strictEqual(fix.kind, 'quickfix');
        assert.deepStrictEqual(fix.diagnostics.map((d: any) => d.code), [items[0].code]);
        const fixed = applyEdit(uri, text, fix.edit, 1);
        assert.notStrictEqual(fixed, text);
        assertParses(fixed, `"${fix.title}"`);
        const after = await diagnose(uri, fixed);
        assert.deepStrictEqual(after.items.filter((d) => d.code === items[0].code), [], `"${fix.title}" leaves:\n${fixed}`);
      }
    });
  }

  it('offers the CLOSE_WAIT explanation, ignore-on-this-line and disable-in-workspace for a finding', async () => {
    const uri = fixtureUri('src/orders.ts');
    const text = read('src/orders.ts');
    const { items } = await diagnose(uri, text);
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: items[0].range, context: { diagnostics: items } });
    const byTitle = new Map(actions.map((a: any) => [a.title, a]));

    const explain: any = byTitle.get('Explain: why this leaves sockets in CLOSE_WAIT');
    assert.deepStrictEqual(explain.command, { title: explain.title, command: 'linger.explain', arguments: ['close-wait'] });

    const disable: any = byTitle.get('Disable unreleased-pool-connection in this workspace');
    assert.deepStrictEqual(disable.command.arguments, ['unreleased-pool-connection', uri]);
    assert.strictEqual(disable.command.command, 'linger.disableRule');

    const ignore: any = byTitle.get('Ignore on this line');
    const ignored = applyEdit(uri, text, ignore.edit, 1);
    const line = items[0].range.start.line;
    assert.strictEqual(ignored.split('\n')[line], '  // linger-ignore-next-line unreleased-pool-connection -- ', 'indented like the finding line');
    assertParses(ignored, 'Ignore on this line');
    assert.deepStrictEqual((await diagnose(uri, ignored)).items, [], 'the comment silences the finding');
  });

  it('without client commands, explain falls back to the server command and disable is not offered', async () => {
    const plain = await TestClient.start();
    try {
      const uri = fixtureUri('src/users.ts');
      await plain.open(uri, read('src/users.ts'));
      const items = await plain.pull(uri);
      const actions = await plain.request('textDocument/codeAction', { textDocument: { uri }, range: items[0].range, context: { diagnostics: items } });
      const explain = actions.find((a: any) => a.title.startsWith('Explain'));
      assert.deepStrictEqual(explain.command.command, 'linger.server.explain');
      assert.ok(!actions.some((a: any) => a.title.startsWith('Disable')));
      // The server command asks the editor to show the page.
      await plain.request('workspace/executeCommand', explain.command);
      const shown = plain.serverRequests.find((r) => r.method === 'window/showDocument');
      assert.ok(shown?.params.uri.endsWith('/docs/close-wait.md'), JSON.stringify(shown));
    } finally {
      await plain.stop();
    }
  });

  it('fix-all applies every safe fix of the document, resolved only when chosen', async () => {
    const uri = fixtureUri('src/probe.ts');
    // Two leaks in one document: the probe and the users fetch, side by side.
    const text = `${read('src/probe.ts')}\n${read('src/users.ts')}`;
    const { items } = await diagnose(uri, text);
    assert.deepStrictEqual(items.map((d) => d.code).sort(), ['unclosed-connection', 'unconsumed-response']);
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.strictEqual(actions.length, 1);
    assert.strictEqual(actions[0].kind, 'source.fixAll.linger');
    assert.strictEqual(actions[0].edit, undefined, 'the edit is left for codeAction/resolve');
    const resolved = await client.request('codeAction/resolve', actions[0]);
    const fixed = applyEdit(uri, text, resolved.edit, 1);
    assertParses(fixed, 'fix-all');
    assert.deepStrictEqual((await diagnose(uri, fixed)).items, [], fixed);
  });

  it('a TIME_WAIT finding explains TIME_WAIT, and fix-all leaves its unsafe fix to the user', async () => {
    const uri = fixtureUri('src/pinned.ts');
    const pinned = "import * as net from 'net';\n\nexport function pinned(host: string): net.Socket {\n  return net.connect({ host, port: 443, localPort: 5000 });\n}\n";
    const text = `${pinned}\n${read('src/users.ts')}`;
    const { items } = await diagnose(uri, text);
    assert.deepStrictEqual(items.map((d) => d.code), ['fixed-local-port', 'unconsumed-response']);
    const tw = items[0];
    assert.strictEqual(tw.data.explanation, 'time-wait');
    assert.strictEqual(tw.data.fixes[0].safe, false);
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: tw.range, context: { diagnostics: [tw] } });
    const explain = actions.find((a: any) => a.command?.command === 'linger.explain');
    assert.strictEqual(explain.title, 'Explain: why this piles up TIME_WAIT');
    assert.deepStrictEqual(explain.command.arguments, ['time-wait']);
    // The unsafe fix is offered one by one, but not applied by fix-all.
    assert.ok(actions.some((a: any) => a.title.startsWith('Remove `localPort`') && a.edit));
    const [fixAll] = await client.request('textDocument/codeAction', { textDocument: { uri }, range: tw.range, context: { diagnostics: [], only: ['source.fixAll.linger'] } });
    const fixed = applyEdit(uri, text, (await client.request('codeAction/resolve', fixAll)).edit, 1);
    assert.deepStrictEqual((await diagnose(uri, fixed)).items.map((d) => d.code), ['fixed-local-port']);
    await client.close(uri);
  });

  it('offers no fix for a diagnostic of an older version (its edits would land in the wrong place)', async () => {
    const uri = fixtureUri('src/users.ts');
    const text = read('src/users.ts');
    const { items } = await diagnose(uri, text);
    await client.change(uri, `// a new first line\n${text}`);
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: items[0].range, context: { diagnostics: items } });
    assert.ok(actions.length > 0);
    assert.ok(!actions.some((a: any) => a.title.startsWith('Consume or cancel')), actions.map((a: any) => a.title).join(', '));
  });

  it('offers no fix for a diagnostic of an earlier opening with the same version (a reopened file starts its versions again)', async () => {
    const uri = fixtureUri('src/users.ts');
    const text = read('src/users.ts');
    const { items } = await diagnose(uri, text);
    await client.close(uri);
    await client.open(uri, `// a new first line\n${text}`); // version 1 again, another text
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: items[0].range, context: { diagnostics: items } });
    assert.ok(actions.length > 0);
    assert.ok(!actions.some((a: any) => a.edit && (a.edit.documentChanges?.length || Object.keys(a.edit.changes ?? {}).length)), actions.map((a: any) => a.title).join(', '));
  });

  it('finds the data itself when a client sends diagnostics back without it', async () => {
    const uri = fixtureUri('src/users.ts');
    const { items } = await diagnose(uri, read('src/users.ts'));
    const bare = items.map(({ data, ...rest }) => rest); // eslint-disable-line @typescript-eslint/no-unused-vars
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: items[0].range, context: { diagnostics: bare } });
    assert.ok(actions.some((a: any) => a.isPreferred && a.edit), actions.map((a: any) => a.title).join(', '));
  });

  it('"Ignore for this file" puts `// linger-ignore-file <rule>` first (after a #! line), which silences every finding of that rule', async () => {
    const uri = fixtureUri('src/probe.ts');
    const text = `#!/usr/bin/env node\n${read('src/probe.ts')}\n${read('src/probe.ts').replace(/export async function isSsh/, 'export async function isSsh2').replace(/function firstChunk/, 'function firstChunk2').replace(/firstChunk\(socket\)/, 'firstChunk2(socket)').replace(/^import .*$/m, '')}`;
    const { items } = await diagnose(uri, text);
    assert.deepStrictEqual(items.map((d) => d.code), ['unclosed-connection', 'unclosed-connection']);
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: items[0].range, context: { diagnostics: [items[0]], only: ['quickfix'] } });
    const ignore = actions.find((a: any) => a.title === 'Ignore for this file');
    const ignored = applyEdit(uri, text, ignore.edit, 1);
    assert.deepStrictEqual(ignored.split('\n').slice(0, 2), ['#!/usr/bin/env node', '// linger-ignore-file unclosed-connection -- ']);
    assert.deepStrictEqual((await diagnose(uri, ignored)).items, [], 'both findings of the rule are silenced');
  });

  it('"Fix all Linger problems in this file" in the quick-fix menu applies every safe fix, once, below the per-finding actions', async () => {
    const uri = fixtureUri('src/probe.ts');
    const text = `${read('src/probe.ts')}\n${read('src/users.ts')}`;
    const { items } = await diagnose(uri, text);
    assert.deepStrictEqual(items.map((d) => d.code).sort(), ['unclosed-connection', 'unconsumed-response']);
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: items[0].range, context: { diagnostics: items, only: ['quickfix'] } });
    const all = actions.filter((a: any) => a.title === 'Fix all Linger problems in this file');
    assert.strictEqual(all.length, 1, 'offered once for the two findings');
    assert.strictEqual(actions.at(-1).title, 'Fix all Linger problems in this file', 'last in the menu');
    assert.strictEqual(all[0].kind, 'quickfix');
    assert.deepStrictEqual(all[0].diagnostics.map((d: any) => d.code).sort(), ['unclosed-connection', 'unconsumed-response']);
    const resolved = await client.request('codeAction/resolve', all[0]);
    const fixed = applyEdit(uri, text, resolved.edit, 1);
    assertParses(fixed, 'fix all in the menu');
    assert.deepStrictEqual((await diagnose(uri, fixed)).items, [], fixed);
  });

  it('an untitled buffer\'s fixes and related locations point at the buffer, not at the path it is analysed under', async () => {
    const uri = 'untitled:Untitled-7';
    const text = read('src/probe.ts');
    const { items } = await diagnose(uri, text);
    assert.deepStrictEqual(items.map((d) => d.code), ['unclosed-connection']);
    assert.ok(items[0].relatedInformation.every((r: any) => r.location.uri === uri), JSON.stringify(items[0].relatedInformation));
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: items[0].range, context: { diagnostics: items, only: ['quickfix'] } });
    const fix = actions.find((a: any) => a.isPreferred);
    assert.deepStrictEqual(fix.edit.documentChanges.map((c: any) => c.textDocument.uri), [uri]);
    const fixAll = actions.find((a: any) => a.title === 'Fix all Linger problems in this file');
    assert.ok(fixAll, 'fix-all is offered for an untitled buffer too');
    const fixed = applyEdit(uri, text, fix.edit, 1);
    assert.deepStrictEqual((await diagnose(uri, fixed)).items, [], fixed);
    await client.close(uri);
  });
});
