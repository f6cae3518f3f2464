// Bad input from a client must never kill the server or make it lie: unknown documents, changes for
// unopened documents, out-of-order versions, unparsable text, a 5 MB minified bundle, malformed
// params, unknown methods. After each, the server still answers.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { safe } from '../../server/src/lsp/safe';
import { TestClient, WORKSPACE, fixtureUri } from './client';

const read = (rel: string) => fs.readFileSync(path.join(WORKSPACE, rel), 'utf8');

describe('lsp: robustness', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ initializationOptions: { status: true } });
  });
  after(() => client.stop());

  /** The server is alive and right: a leaky file still gets its diagnostic. */
  async function stillServing(): Promise<void> {
    const uri = fixtureUri('src/users.ts');
    await client.close(uri);
    await client.open(uri, read('src/users.ts'));
    assert.deepStrictEqual((await client.pull(uri)).map((d) => d.code), ['unconsumed-response']);
    assert.strictEqual(client.proc.exitCode, null);
  }

  it('answers requests about a document it does not know with empty results', async () => {
    const uri = fixtureUri('src/never-opened.ts');
    assert.deepStrictEqual(await client.request('textDocument/diagnostic', { textDocument: { uri } }), { kind: 'full', items: [] });
    assert.deepStrictEqual(await client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }), []);
    assert.strictEqual(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }), null);
    await stillServing();
  });

  it('ignores didChange for an unopened document and changes that arrive out of order', async () => {
    await client.notify('textDocument/didChange', { textDocument: { uri: fixtureUri('src/ghost.ts'), version: 2 }, contentChanges: [{ text: 'x' }] });
    const uri = fixtureUri('src/probe.ts');
    await client.open(uri, read('src/clean.ts'));
    await client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: read('src/probe.ts') }] });
    // Version 2 arrives after 3: stale, must not overwrite the newer text.
    await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: read('src/clean.ts') }] });
    assert.deepStrictEqual((await client.pull(uri)).map((d) => d.code), ['unclosed-connection']);
    const logs = client.notifications.filter((n) => n.method === 'window/logMessage').map((n) => n.params.message as string);
    assert.ok(logs.some((m) => m.includes('ghost.ts') && m.includes('not open')), logs.join('\n'));
    assert.ok(logs.some((m) => m.includes('out of order')), logs.join('\n'));
    await client.close(uri);
    await stillServing();
  });

  it('returns no diagnostics (and no error) for a document that does not parse', async () => {
    const uri = fixtureUri('src/broken.ts');
    await client.open(uri, 'export function f( {\n  const s = net.connect(1;\n');
    assert.deepStrictEqual(await client.pull(uri), []);
    await client.close(uri);
    await stillServing();
  });

  it('keeps a document over the size cap as text but does not analyse it: no diagnostic, a status and a log line say why', async function () {
    this.timeout(30_000);
    const uri = fixtureUri('dist/bundle.min.js');
    const chunk = 'var a=require("net").connect(80,"h");a.on("data",function(d){a.write(d)});';
    const text = chunk.repeat(Math.ceil((5 * 1024 * 1024) / chunk.length));
    await client.open(uri, text, 'javascript');
    assert.deepStrictEqual(await client.pull(uri), []);
    const status = await client.waitFor('linger/status', (p) => p.uri === uri);
    assert.match(status.skipped, /^larger than the 1000000-byte limit \(\d+ bytes\)$/);
    await client.waitFor('window/logMessage', (p) => p.message.includes('bundle.min.js not analysed: larger than'));
    // Still kept as text: an edit that brings it under the cap is analysed.
    await client.change(uri, "const net = require('net');\nfunction probe(port) {\n  const s = net.connect(port);\n  s.write('ping');\n}\nmodule.exports = probe;\n");
    const items = await client.pull(uri);
    assert.deepStrictEqual(items.map((d: any) => d.code), ['unclosed-connection']);
    await client.close(uri);
    await stillServing();
  });

  it('answers malformed params with InvalidParams or an empty result, never a crash', async () => {
    const invalid = (e: any) => e.code === -32602;
    await assert.rejects(client.request('textDocument/hover', {}), invalid);
    await assert.rejects(client.request('textDocument/hover', { textDocument: { uri: fixtureUri('src/users.ts') }, position: { line: -1 } }), invalid);
    await assert.rejects(client.request('textDocument/codeAction', { textDocument: 42 }), invalid);
    await assert.rejects(client.request('textDocument/diagnostic', { textDocument: null }), invalid);
    await assert.rejects(client.request('workspace/executeCommand', { command: 'linger.server.explain', arguments: ['nope'] }), invalid);
    assert.deepStrictEqual(await client.request('textDocument/codeAction', { textDocument: { uri: fixtureUri('src/users.ts') }, range: 'x', context: 7 }), []);
    assert.deepStrictEqual(await client.request('codeAction/resolve', { title: 'x', data: { fixAll: true, uri: 3 } }), { title: 'x', data: { fixAll: true, uri: 3 } });
    await client.notify('textDocument/didOpen', { textDocument: { uri: 5 } });
    await client.notify('textDocument/didOpen', null);
    await client.notify('textDocument/didChange', { contentChanges: 'all of them' });
    await client.notify('textDocument/didClose', {});
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: 7 }, null] });
    await client.notify('workspace/didChangeConfiguration', { settings: { linger: { rules: 'everything', exclude: [1, 2], run: 'sometimes', timeBudgetMs: -5 } } });
    await stillServing();
  });

  it('honours $/cancelRequest on a diagnostic request', async () => {
    const uri = fixtureUri('src/probe.ts');
    await client.open(uri, read('src/probe.ts'));
    const source = new CancellationTokenSource();
    const pending = client.request('textDocument/diagnostic', { textDocument: { uri } }, source);
    source.cancel();
    await assert.rejects(pending, (e: any) => e.code === -32800);
    assert.deepStrictEqual((await client.pull(uri)).map((d) => d.code), ['unclosed-connection'], 'the next request is answered');
    await client.close(uri);
  });

  it('answers an unknown method with MethodNotFound', async () => {
    await assert.rejects(client.request('linger/noSuchThing', {}), (e: any) => e.code === -32601);
    await assert.rejects(client.request('textDocument/semanticTokens/full', { textDocument: { uri: fixtureUri('src/users.ts') } }), (e: any) => e.code === -32601);
    await stillServing();
  });

  it('turns an internal error in a handler into an LSP InternalError and a log line', async () => {
    const logged: string[] = [];
    const handler = safe('test/request', (m) => logged.push(m), () => {
      throw new Error('boom');
    });
    await assert.rejects(handler({}, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) }),
      (e: any) => e.code === -32603 && /test\/request failed in the Linger server: boom/.test(e.message));
    assert.strictEqual(logged.length, 1);
    assert.match(logged[0], /^test\/request failed: Error: boom/);
  });
});
