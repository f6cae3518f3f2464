// The language server's first diagnostics of a file come from the results cache that
// `linger audit --cache` wrote in the workspace folder, when every input of the cached result is
// unchanged; the analysis follows and brings the fixes. Both sides are the built bundles (dist/),
// as users run them: the CLI and the server of one build share the cache.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO, TestClient, uriOf } from './client';

const CLI = path.join(REPO, 'bin', 'linger.js');

const LEAK = `import * as net from 'net';
import { describe } from './helper';

export function probe(port: number): void {
  const socket = net.connect(port, 'db.internal');
  socket.write(describe(port));
}
`;
const HELPER = `export function describe(port: number): string {
  return \`probe \${port}\\n\`;
}
`;

function workspace(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'linger-results-cache-')));
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"cache-ws","private":true}');
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs' }, include: ['*.ts'] }));
  fs.writeFileSync(path.join(dir, 'probe.ts'), LEAK);
  fs.writeFileSync(path.join(dir, 'helper.ts'), HELPER);
  return dir;
}

function auditWithCache(dir: string): { findings: Array<{ line: number; ruleId: string; message: string }> } {
  const r = spawnSync(process.execPath, [CLI, 'audit', '--cache', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  assert.ok(fs.existsSync(path.join(dir, '.lingercache')), 'the audit wrote its cache');
  return JSON.parse(r.stdout);
}

const fromCacheLog = (client: TestClient, file: string) =>
  client.notifications.some((n) => n.method === 'window/logMessage' && String(n.params.message).includes(`${file}: first diagnostics from the results cache`));

describe('lsp: first diagnostics from the results cache of linger audit --cache', function () {
  this.timeout(60_000);
  let dir: string;
  let client: TestClient | undefined;
  beforeEach(() => {
    dir = workspace();
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the cached findings of an unchanged file at once, then the analysis brings its quick fixes', async () => {
    const audit = auditWithCache(dir);
    assert.ok(audit.findings.length > 0, 'the fixture leaks');
    client = await TestClient.start({ rootPath: dir });
    const file = path.join(dir, 'probe.ts');
    const uri = uriOf(file);
    await client.open(uri, LEAK);
    const first = await client.pull(uri);
    assert.ok(fromCacheLog(client, file), 'the first diagnostics came from the cache');
    assert.deepStrictEqual(first.map((d) => [d.range.start.line + 1, d.code, d.message]), audit.findings.map((f) => [f.line, f.ruleId, f.message]));
    // The next request is answered by the analysis itself: same diagnostics, now with their fixes.
    const second = await client.pull(uri);
    assert.deepStrictEqual(second.map((d) => [d.range.start.line + 1, d.code, d.message]), audit.findings.map((f) => [f.line, f.ruleId, f.message]));
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri }, range: second[0].range, context: { diagnostics: [second[0]], only: ['quickfix'] },
    });
    assert.ok(actions.length > 0, 'quick fixes once the analysis ran');
  });

  it('analyses instead when the buffer differs from the disk, or a file it depends on changed', async () => {
    auditWithCache(dir);
    // A dependency changed after the audit: the cached result may be stale.
    fs.appendFileSync(path.join(dir, 'helper.ts'), 'export const changed = 1;\n');
    client = await TestClient.start({ rootPath: dir });
    const file = path.join(dir, 'probe.ts');
    await client.open(uriOf(file), LEAK);
    const items = await client.pull(uriOf(file));
    assert.ok(items.length > 0);
    assert.ok(!fromCacheLog(client, file), 'not from the cache after a dependency changed');
    await client.stop();
    // The file is unchanged on disk and so is everything else, but the editor holds other text.
    auditWithCache(dir);
    client = await TestClient.start({ rootPath: dir });
    const edited = LEAK.replace("'db.internal'", "'db2.internal'");
    await client.open(uriOf(file), edited);
    await client.pull(uriOf(file));
    assert.ok(!fromCacheLog(client, file), 'not from the cache for a buffer that is not the file on disk');
    await client.stop();
    // A cache file that is not one: analysed as if there were none.
    fs.writeFileSync(path.join(dir, '.lingercache'), '{"format":1,"tool":');
    client = await TestClient.start({ rootPath: dir });
    await client.open(uriOf(file), LEAK);
    assert.ok((await client.pull(uriOf(file))).length > 0);
    assert.ok(!fromCacheLog(client, file), 'a broken cache file is ignored');
  });

  it('never offers a fix from the cache file, which is workspace content', async () => {
    auditWithCache(dir);
    // Someone rewrote the stored fix; the entry still matches every input.
    const cacheFile = path.join(dir, '.lingercache');
    const cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    const stored = cache.files[path.join(dir, 'probe.ts')].outcome.findings[0];
    assert.ok(stored.fixes.length > 0, 'the CLI stored fixes');
    for (const fix of stored.fixes) for (const e of fix.edits) e.newText = 'evil();';
    fs.writeFileSync(cacheFile, JSON.stringify(cache));
    client = await TestClient.start({ rootPath: dir });
    const uri = uriOf(path.join(dir, 'probe.ts'));
    await client.open(uri, LEAK);
    const first = await client.pull(uri);
    assert.ok(fromCacheLog(client, path.join(dir, 'probe.ts')));
    assert.ok(first.length > 0 && first.every((d) => d.data.fixes.length === 0), 'a cached diagnostic carries no fix');
    const second = await client.pull(uri);
    assert.ok(second.some((d) => d.data.fixes.length > 0), 'the analysis brings the fixes');
    assert.ok(!JSON.stringify(second).includes('evil();'), 'and they are its own');
  });
});
