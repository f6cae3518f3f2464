// sysctl.conf documents through the language server: diagnostics (pulled and pushed) from
// sysctlDiagnostics with the workspace's listening ports, hovers from hoverAt, recognition by
// languageId or by path, no TypeScript analysis on them, and bad input answered, not crashed on.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TestClient, uriOf } from './client';

/** A workspace with one server listening on a literal port inside the range the conf sets. */
function makeWorkspace(): { root: string; app: string; listenLine: number } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-sysctl-'));
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'sysctl-ws', private: true }));
  fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs', target: 'es2022', types: [] }, include: ['src'] }));
  const app = path.join(root, 'src', 'app.ts');
  fs.writeFileSync(app, [
    "import * as net from 'net';",
    '',
    'const server = net.createServer((socket) => socket.end());',
    "server.listen(40000, '0.0.0.0');",
    '',
  ].join('\n'));
  fs.mkdirSync(path.join(root, 'etc', 'sysctl.d'), { recursive: true });
  return { root, app, listenLine: 4 };
}

const CONF = [
  '# TCP tuning',
  'net.ipv4.tcp_tw_recycle = 1',
  'net.ipv4.tcp_fin_timeout = 15',
  'net.ipv4.ip_local_port_range = 10000 64999',
  'net.core.somaxconn = 4096',
  '',
].join('\n');

const codes = (items: Array<{ code: string }>) => items.map((d) => d.code).sort();

describe('lsp: sysctl.conf', () => {
  const ws = makeWorkspace();
  const confUri = uriOf(path.join(ws.root, 'etc', 'sysctl.d', '99-tuning.conf'));
  let client: TestClient;

  before(async () => {
    client = await TestClient.start({ rootPath: ws.root, initializationOptions: { status: true } });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  it('pulls diagnostics for the classic mistakes, with the listening port of the workspace', async () => {
    await client.open(confUri, CONF, 'sysctl');
    // The listener inventory is built in the background; the port-range warning appears once it is.
    const deadline = Date.now() + 30_000;
    let items = await client.pull(confUri);
    while (!items.some((d) => d.code === 'sysctl-port-range-overlaps-listener') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      items = await client.pull(confUri);
    }
    assert.deepStrictEqual(codes(items), ['sysctl-fin-timeout-not-time-wait', 'sysctl-port-range-overlaps-listener', 'sysctl-tcp-tw-recycle-removed'], JSON.stringify(items, null, 2));
    assert.ok(items.every((d) => d.source === 'linger'));

    const recycle = items.find((d) => d.code === 'sysctl-tcp-tw-recycle-removed');
    assert.strictEqual(recycle.severity, 1, 'asking for tcp_tw_recycle = 1 is an error');
    assert.deepStrictEqual(recycle.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 'net.ipv4.tcp_tw_recycle'.length } });
    assert.match(recycle.message, /removed in Linux 4\.12/);
    assert.match(recycle.codeDescription.href, /docs\/sysctl\.md$/);

    const fin = items.find((d) => d.code === 'sysctl-fin-timeout-not-time-wait');
    assert.strictEqual(fin.severity, 2);
    assert.strictEqual(fin.range.start.line, 2);
    assert.match(fin.message, /FIN_WAIT_2/);

    const overlap = items.find((d) => d.code === 'sysctl-port-range-overlaps-listener');
    assert.strictEqual(overlap.severity, 2);
    assert.strictEqual(overlap.range.start.line, 3);
    assert.strictEqual(overlap.range.start.character, 'net.ipv4.ip_local_port_range = '.length);
    assert.match(overlap.message, /^Port 40000 \(src\/app\.ts:4\) listens inside ip_local_port_range 10000-64999/);
    assert.deepStrictEqual(overlap.relatedInformation.map((r: { location: { uri: string; range: { start: unknown } } }) => [r.location.uri, r.location.range.start]), [
      [uriOf(ws.app), { line: ws.listenLine - 1, character: 0 }],
    ]);
  });

  it('answers Unchanged for the same version, and follows edits', async () => {
    const first = await client.request('textDocument/diagnostic', { textDocument: { uri: confUri } });
    const again = await client.request('textDocument/diagnostic', { textDocument: { uri: confUri }, previousResultId: first.resultId });
    assert.strictEqual(again.kind, 'unchanged');
    await client.change(confUri, 'net.ipv4.tcp_fin_timeout = 60\nnet.ipv4.ip_local_port_range = 41000 60999\n');
    assert.deepStrictEqual(await client.pull(confUri), []);
  });

  it('hovers the TCP keys with what they really do', async () => {
    const hover = await client.request('textDocument/hover', { textDocument: { uri: confUri }, position: { line: 0, character: 12 } });
    assert.ok(hover, 'a hover on tcp_fin_timeout');
    assert.strictEqual(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /\*\*net\.ipv4\.tcp_fin_timeout\*\* — default: `60`/);
    assert.match(hover.contents.value, /FIN_WAIT_2/);
    assert.match(hover.contents.value, /TCP_TIMEWAIT_LEN/);
    // On the value too.
    const onValue = await client.request('textDocument/hover', { textDocument: { uri: confUri }, position: { line: 1, character: 'net.ipv4.ip_local_port_range = '.length + 1 } });
    assert.match(onValue.contents.value, /ip_local_port_range/);
    // Nothing on the '=' or past the end.
    assert.strictEqual(await client.request('textDocument/hover', { textDocument: { uri: confUri }, position: { line: 0, character: 'net.ipv4.tcp_fin_timeout '.length } }), null);
    assert.strictEqual(await client.request('textDocument/hover', { textDocument: { uri: confUri }, position: { line: 99, character: 0 } }), null);
  });

  it('recognises sysctl.d/*.conf and sysctl.conf by path whatever the languageId, and never analyses them as TypeScript', async () => {
    const byPath = uriOf(path.join(ws.root, 'etc', 'sysctl.d', '10-plain.conf'));
    const byName = uriOf(path.join(ws.root, 'etc', 'sysctl.conf'));
    await client.open(byPath, 'net.ipv4.tcp_tw_recycle = 0\n', 'plaintext');
    await client.open(byName, 'net/ipv4/tcp_tw_recycle = 0\n', 'properties');
    for (const uri of [byPath, byName]) {
      const items = await client.pull(uri);
      assert.deepStrictEqual(codes(items), ['sysctl-tcp-tw-recycle-removed']);
      assert.strictEqual(items[0].severity, 2, '"= 0" is only stale: a warning');
      const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: items[0].range, context: { diagnostics: items } });
      assert.deepStrictEqual(actions, []);
    }
    // The TS analysis reports every document it analyses through linger/status: none of these.
    await new Promise((r) => setTimeout(r, 300));
    const statuses = client.notifications.filter((n) => n.method === 'linger/status' && typeof n.params?.uri === 'string' && n.params.uri.endsWith('.conf'));
    assert.deepStrictEqual(statuses, []);
    await client.close(byPath);
    await client.close(byName);
  });

  it('counts lines as the editor does (a lone \\r breaks a line) and survives bad input', async () => {
    const uri = uriOf(path.join(ws.root, 'etc', 'sysctl.d', '20-odd.conf'));
    await client.open(uri, 'net.ipv4.tcp_tw_recycle = 1\rnet.ipv4.tcp_fin_timeout = 10\r\n\u0000\u0001garbage\n' + 'x'.repeat(200_000) + '\n-net.ipv4.tcp_max_tw_buckets = -5 # comment\n', 'sysctl');
    const items = await client.pull(uri);
    const lines = (code: string) => items.filter((d) => d.code === code).map((d) => d.range.start.line);
    assert.deepStrictEqual(lines('sysctl-tcp-tw-recycle-removed'), [0]);
    assert.deepStrictEqual(lines('sysctl-fin-timeout-not-time-wait'), [1]);
    assert.ok(lines('sysctl-syntax').includes(2), JSON.stringify(items.map((d) => [d.code, d.range.start.line])));
    // The 200 000-character line is reported with a bounded message.
    const long = items.find((d) => d.code === 'sysctl-syntax' && d.range.start.line === 3);
    assert.ok(long && long.message.length <= 401, `message of ${long?.message.length} characters`);
    for (const position of [{ line: 0, character: 10_000 }, { line: 3, character: 150_000 }, { line: -1, character: 0 }, { line: 0.5, character: 0 }]) {
      await client.request('textDocument/hover', { textDocument: { uri }, position }).catch((e) => assert.strictEqual(e.code, -32602));
    }
    await client.request('textDocument/diagnostic', { textDocument: {} }).catch((e) => assert.strictEqual(e.code, -32602));
    await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 99, character: 0 }, end: { line: 120, character: 4 } }, text: 'net.ipv4.tcp_tw_recycle=1' }] });
    assert.ok(Array.isArray(await client.pull(uri)));
    await client.close(uri);
    // Still serving.
    assert.ok(Array.isArray(await client.pull(confUri)));
  });

  it('pushes diagnostics to clients without pull support', async () => {
    const push = await TestClient.start({ rootPath: ws.root, pull: false });
    try {
      const uri = uriOf(path.join(ws.root, 'etc', 'sysctl.conf'));
      await push.open(uri, '# x\nnet.ipv4.tcp_fin_timeout = 30\n', 'sysctl');
      const published = await push.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 0);
      assert.deepStrictEqual(codes(published.diagnostics), ['sysctl-fin-timeout-not-time-wait']);
      assert.strictEqual(published.diagnostics[0].range.start.line, 1);
    } finally {
      await push.stop();
    }
  });
});
