// The workspace audit request: findings, listeners and skipped files of every file (open or not),
// `$/progress` from begin to end, cancellation of a long audit, and the SARIF/Markdown exports.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { TestClient, WORKSPACE, fixtureUri, uriOf } from './client';

const read = (rel: string) => fs.readFileSync(path.join(WORKSPACE, rel), 'utf8');

describe('lsp: workspace audit', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(() => client.stop());

  it('audits every file of the workspace and reports $/progress from begin to end', async () => {
    const token = 'audit-1';
    const result = await client.request('linger/audit', { workDoneToken: token });
    const byFile = (f: { file: string; ruleId: string }) => `${path.relative(WORKSPACE, f.file)} ${f.ruleId}`;
    const core = result.findings.filter((f: any) => ['unclosed-connection', 'unconsumed-response', 'unreleased-pool-connection'].includes(f.ruleId));
    assert.deepStrictEqual(core.map(byFile), [
      'src/orders.ts unreleased-pool-connection',
      'src/probe.ts unclosed-connection',
      'src/users.ts unconsumed-response',
    ]);
    assert.strictEqual(result.files, 5);
    assert.deepStrictEqual(result.skipped, []);
    assert.deepStrictEqual(result.roots, [WORKSPACE]);
    const listener = result.listeners.find((l: any) => l.file.endsWith('server.ts'));
    assert.deepStrictEqual({ api: listener.api, port: listener.port, reuseAddr: listener.reuseAddr }, { api: 'net.Server.listen', port: 8080, reuseAddr: 'implicit' });

    const progress = client.notifications.filter((n) => n.method === '$/progress' && n.params.token === token).map((n) => n.params.value);
    assert.strictEqual(progress[0].kind, 'begin');
    assert.strictEqual(progress[0].cancellable, true);
    assert.strictEqual(progress.at(-1).kind, 'end');
    const reports = progress.filter((p) => p.kind === 'report');
    assert.ok(reports.length >= 1);
    assert.deepStrictEqual({ percentage: reports.at(-1).percentage, message: reports.at(-1).message }, { percentage: 100, message: '5/5 files' });
  });

  it('audits an open document as it is in the editor, not as it is on disk', async () => {
    const uri = fixtureUri('src/probe.ts');
    await client.open(uri, read('src/clean.ts'));
    const result = await client.request('linger/audit', { uris: [uriOf(path.join(WORKSPACE, 'src'))] });
    const files = new Set(result.findings.map((f: any) => path.basename(f.file)));
    assert.ok(!files.has('probe.ts'), 'the open buffer holds the clean code');
    assert.ok(files.has('users.ts') && files.has('orders.ts'), 'unopened files are read from disk');
    await client.close(uri);
  });

  it('exports the last audit as SARIF 2.1.0 and as Markdown', async () => {
    const result = await client.request('linger/audit', {});
    const sarif = JSON.parse((await client.request('linger/exportReport', { format: 'sarif' })).text);
    assert.strictEqual(sarif.version, '2.1.0');
    assert.strictEqual(sarif.runs[0].results.length, result.findings.length);
    assert.ok(sarif.runs[0].results.some((r: any) => r.locations[0].physicalLocation.artifactLocation.uri === 'src/probe.ts'));
    const md: string = (await client.request('linger/exportReport', { format: 'markdown' })).text;
    assert.match(md, /^# Linger connection audit\n/);
    assert.match(md, /## unclosed-connection \(\d+\)/);
    assert.ok(md.includes('`src/orders.ts:7:24`'), md);
    assert.match(md, /## Listeners \(1\)\n\n\| Location \| API \| Port \| SO_REUSEADDR \| SO_REUSEPORT \|/);
    await assert.rejects(client.request('linger/exportReport', { format: 'pdf' }), (e: any) => e.code === -32602);
  });

  it('stops a long audit on $/cancelRequest and keeps serving', async function () {
    this.timeout(120_000);
    // Inside the workspace folder: the server reads nothing outside it (see the next test).
    const dir = fs.mkdtempSync(path.join(WORKSPACE, 'audit-cancel-'));
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"many","private":true}');
      const probe = read('src/probe.ts');
      for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(dir, `probe${i}.ts`), probe.replace('isSsh', `isSsh${i}`));
      const source = new CancellationTokenSource();
      const token = 'audit-cancel';
      const pending = client.request('linger/audit', { uris: [uriOf(dir)], workDoneToken: token }, source);
      await client.waitFor('$/progress', (p) => p.token === token && p.value.kind === 'report');
      const started = Date.now();
      source.cancel();
      await assert.rejects(pending, (e: any) => e.code === -32800);
      assert.ok(Date.now() - started < 5000, 'cancelled promptly');
      await client.waitFor('$/progress', (p) => p.token === token && p.value.kind === 'end');
      // Still answering.
      const uri = fixtureUri('src/users.ts');
      await client.open(uri, read('src/users.ts'));
      const items = await client.pull(uri);
      assert.strictEqual(items[0].code, 'unconsumed-response');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads nothing of a folder outside the workspace folders it is asked to audit, and says so', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-audit-outside-'));
    try {
      fs.writeFileSync(path.join(dir, 'probe.ts'), read('src/probe.ts'));
      const result = await client.request('linger/audit', { uris: [uriOf(dir)] });
      assert.deepStrictEqual(result.findings, []);
      assert.strictEqual(result.files, 0);
      assert.deepStrictEqual(result.skipped.map((s: { reason: string }) => /outside the workspace/.test(s.reason)), [true]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
