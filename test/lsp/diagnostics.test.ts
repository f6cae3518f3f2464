// Diagnostics over the protocol: initialize, pull (with every field), push for clients that cannot
// pull, settings changes, and results for stale versions being dropped.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { TestClient, WORKSPACE, fixtureUri } from './client';

const read = (rel: string) => fs.readFileSync(path.join(WORKSPACE, rel), 'utf8');

describe('lsp: diagnostics', () => {
  describe('pull client', () => {
    let client: TestClient;
    before(async () => {
      client = await TestClient.start({ pull: true });
    });
    after(() => client.stop());

    it('announces pull diagnostics, code actions with resolve, hover and its command', () => {
      const caps = (client.initializeResult as { capabilities: Record<string, any> }).capabilities;
      assert.deepStrictEqual(caps.diagnosticProvider, { identifier: 'linger', interFileDependencies: false, workspaceDiagnostics: false });
      assert.deepStrictEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.linger'], resolveProvider: true });
      assert.strictEqual(caps.hoverProvider, true);
      assert.deepStrictEqual(caps.executeCommandProvider.commands, ['linger.server.explain']);
    });

    it('pulls a diagnostic with source, code, codeDescription, relatedInformation and data', async () => {
      const uri = fixtureUri('src/probe.ts');
      await client.open(uri, read('src/probe.ts'));
      const items = await client.pull(uri);
      assert.strictEqual(items.length, 1, JSON.stringify(items));
      const d = items[0];
      assert.strictEqual(d.source, 'linger');
      assert.strictEqual(d.code, 'unclosed-connection');
      assert.strictEqual(d.severity, 2);
      // `net.connect({ host, port })` on line 5 (0-based 4), from column 18 (0-based 17).
      assert.deepStrictEqual(d.range, { start: { line: 4, character: 17 }, end: { line: 4, character: 44 } });
      const doc = fileURLToPath(d.codeDescription.href);
      assert.ok(doc.endsWith(path.join('docs', 'rules', 'unclosed-connection.md')), doc);
      assert.ok(fs.existsSync(path.dirname(path.dirname(doc))), 'the href points into the package docs/ folder');
      const related = d.relatedInformation.map((r: any) => `${r.location.range.start.line}:${r.message}`);
      assert.deepStrictEqual(related, ['5:not closed if this `await` rejects', '7:not closed when this `return` is taken']);
      assert.ok(d.relatedInformation.every((r: any) => r.location.uri === uri));
      assert.strictEqual(d.data.ruleId, 'unclosed-connection');
      assert.strictEqual(d.data.explanation, 'close-wait');
      assert.strictEqual(d.data.version, 1);
      assert.ok(d.data.fixes.length >= 1);
      assert.ok(d.data.fixes[0].edits[uri].length >= 1, 'fix edits are keyed by document URI');
    });

    it('links the rule page through linger.openDoc for a client that implements it (VS Code: Markdown preview)', async () => {
      const vscodeLike = await TestClient.start({ initializationOptions: { clientCommands: ['linger.explain', 'linger.openDoc'] } });
      try {
        const uri = fixtureUri('src/probe.ts');
        await vscodeLike.open(uri, read('src/probe.ts'));
        const [d] = await vscodeLike.pull(uri);
        assert.strictEqual(d.codeDescription.href, `command:linger.openDoc?${encodeURIComponent(JSON.stringify(['docs/rules/unclosed-connection.md']))}`);
        assert.ok(fs.existsSync(path.join(WORKSPACE, '..', '..', '..', '..', 'docs', 'rules', 'unclosed-connection.md')), 'the page it names exists');
      } finally {
        await vscodeLike.stop();
      }
    });

    it('answers "unchanged" for the previous result id, and a new id after an edit', async () => {
      const uri = fixtureUri('src/users.ts');
      await client.open(uri, read('src/users.ts'));
      const first = await client.request('textDocument/diagnostic', { textDocument: { uri } });
      assert.strictEqual(first.kind, 'full');
      assert.strictEqual(first.items[0].code, 'unconsumed-response');
      const again = await client.request('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
      assert.deepStrictEqual(again, { kind: 'unchanged', resultId: first.resultId });
      await client.change(uri, read('src/users.ts').replace('if (!res.ok) {', 'if (!res.ok) {\n    await res.body?.cancel();'));
      const after = await client.request('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
      assert.strictEqual(after.kind, 'full');
      assert.notStrictEqual(after.resultId, first.resultId);
      assert.deepStrictEqual(after.items, [], 'cancelling the body before the throw fixes it');
    });

    it('a rule set to "off" in settings loses its diagnostics after didChangeConfiguration, with a refresh', async () => {
      const uri = fixtureUri('src/orders.ts');
      await client.open(uri, read('src/orders.ts'));
      assert.deepStrictEqual((await client.pull(uri)).map((d) => d.code), ['unreleased-pool-connection']);
      const refreshes = client.serverRequests.filter((r) => r.method === 'workspace/diagnostic/refresh').length;
      client.settings = { rules: { 'unreleased-pool-connection': 'off' } };
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      assert.deepStrictEqual(await client.pull(uri), []);
      await waitUntil(() => client.serverRequests.filter((r) => r.method === 'workspace/diagnostic/refresh').length > refreshes);
      client.settings = { rules: { 'unreleased-pool-connection': 'error' } };
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      assert.deepStrictEqual((await client.pull(uri)).map((d) => d.severity), [1], 'severity "error" from settings');
      client.settings = {};
      await client.notify('workspace/didChangeConfiguration', { settings: null });
    });

    it('linger.enable = false and linger.exclude silence a document', async () => {
      const uri = fixtureUri('src/probe.ts');
      client.settings = { enable: false };
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      assert.deepStrictEqual(await client.pull(uri), []);
      client.settings = { exclude: ['src/probe.*'] };
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      assert.deepStrictEqual(await client.pull(uri), []);
      client.settings = { exclude: ['lib/**'] };
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      assert.strictEqual((await client.pull(uri)).length, 1, 'a glob that does not match leaves it alone');
      client.settings = {};
      await client.notify('workspace/didChangeConfiguration', { settings: null });
    });

    it('run = onSave keeps the last result while typing and re-analyses on save', async () => {
      const uri = fixtureUri('src/clean.ts');
      client.settings = { run: 'onSave' };
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      await client.open(uri, read('src/clean.ts'));
      assert.deepStrictEqual(await client.pull(uri), []);
      const leaky = read('src/probe.ts');
      await client.change(uri, leaky);
      assert.deepStrictEqual(await client.pull(uri), [], 'not analysed before the save');
      await client.notify('textDocument/didSave', { textDocument: { uri } });
      assert.deepStrictEqual((await client.pull(uri)).map((d) => d.code), ['unclosed-connection']);
      client.settings = {};
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      await client.close(uri);
    });

    it('an untitled buffer is analysed too', async () => {
      const uri = 'untitled:Untitled-1';
      await client.open(uri, read('src/probe.ts'));
      assert.deepStrictEqual((await client.pull(uri)).map((d) => d.code), ['unclosed-connection']);
      await client.close(uri);
    });
  });

  describe('push client (no pull support)', () => {
    let client: TestClient;
    before(async () => {
      client = await TestClient.start({ pull: false });
    });
    after(() => client.stop());

    it('does not announce pull diagnostics', () => {
      assert.strictEqual((client.initializeResult as any).capabilities.diagnosticProvider, undefined);
    });

    it('pushes diagnostics with all fields and the document version, then clears them on close', async () => {
      const uri = fixtureUri('src/orders.ts');
      await client.open(uri, read('src/orders.ts'));
      const pushed = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
      assert.strictEqual(pushed.version, 1);
      assert.strictEqual(pushed.diagnostics.length, 1);
      const d = pushed.diagnostics[0];
      assert.strictEqual(d.code, 'unreleased-pool-connection');
      assert.strictEqual(d.source, 'linger');
      assert.ok(d.codeDescription.href.endsWith('/docs/rules/unreleased-pool-connection.md'));
      assert.strictEqual(d.relatedInformation[0].message, 'not released if this `await` rejects');
      assert.strictEqual(d.data.fixes[0].safe, true);

      await client.close(uri);
      await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length === 0);
    });

    it('debounces a burst of edits into one push for the last version', async () => {
      const uri = fixtureUri('src/users.ts');
      const text = read('src/users.ts');
      await client.open(uri, text);
      await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 1);
      const before = client.notifications.length;
      let version = 1;
      for (let i = 0; i < 5; i++) version = await client.change(uri, `${text}\n// edit ${i}\n`);
      const last = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === version);
      assert.strictEqual(last.diagnostics[0].code, 'unconsumed-response');
      const pushes = client.notifications.slice(before).filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri);
      assert.deepStrictEqual(pushes.map((p) => p.params.version), [version], 'intermediate versions are never pushed');
    });
  });
});

async function waitUntil(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
