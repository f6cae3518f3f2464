// The language server loads its bundle with V8's code cache (server/src/lsp/load.ts, through
// bin/compile-cache.js): one cache for the server's thread and one for its analysis worker, written
// once each thread has done its first analysis (a server is stopped, not left to exit), and taken
// by the next start, which then writes nothing. On a copy of the built server, so that the
// checkout's own caches are untouched.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO, TestClient, uriOf } from './client';

const LEAK = "import * as net from 'net';\nexport function probe(port: number) {\n  const s = net.connect(port);\n  s.write('x');\n}\n";
const nodeHasOwnCache = typeof (require('module') as { enableCompileCache?: unknown }).enableCompileCache === 'function';

describe('lsp: the code cache of the server and its analysis worker', function () {
  this.timeout(120_000);
  let pkg: string;
  let ws: string;
  let cacheDir: string;
  before(function () {
    if (nodeHasOwnCache) this.skip(); // Node 22.1+: module.enableCompileCache does it
    pkg = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'linger-server-cache-')));
    for (const f of ['package.json', 'bin/compile-cache.js', 'dist/server.js', 'dist/server-bundle.js']) {
      fs.mkdirSync(path.dirname(path.join(pkg, f)), { recursive: true });
      fs.copyFileSync(path.join(REPO, f), path.join(pkg, f));
    }
    ws = path.join(pkg, 'ws');
    fs.mkdirSync(ws);
    fs.writeFileSync(path.join(ws, 'probe.ts'), LEAK);
    cacheDir = path.join(pkg, 'node_modules', '.cache', 'linger-tcp');
  });
  after(() => {
    if (pkg) fs.rmSync(pkg, { recursive: true, force: true });
  });

  /** A start, a file opened and analysed twice; then wait (polling the files) until `written` holds. */
  const session = async (written: () => boolean) => {
    const client = await TestClient.start({ rootPath: ws, server: path.join(pkg, 'dist', 'server.js') });
    try {
      const uri = uriOf(path.join(ws, 'probe.ts'));
      await client.open(uri, LEAK);
      const items = await client.pull(uri);
      assert.deepStrictEqual(items.map((d) => [d.range.start.line + 1, d.code]), [[3, 'unclosed-connection']]);
      // A second analysis: each thread handles it after whatever it did after the first (writing
      // its cache, or deciding not to), so by its answer that is done in both.
      await client.change(uri, `${LEAK}\n`);
      assert.equal((await client.pull(uri)).length, 1);
      // Both threads write theirs after their first analysis.
      for (let i = 0; i < 400 && !written(); i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await client.stop();
    }
  };
  const bothWritten = () => caches().length === 2 && caches().every((f) => fs.statSync(path.join(cacheDir, f)).size > 1000);
  const caches = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((f) => f.endsWith('.bin')).sort() : []);

  it('is written by the first start, one per thread, and taken by the next, which writes nothing', async () => {
    await session(bothWritten);
    const written = caches();
    assert.deepStrictEqual(written.map((f) => f.replace(/[0-9a-f]{16}/, 'KEY')), ['server-bundle-server-KEY.bin', 'server-bundle-worker-KEY.bin']);
    const stamps = written.map((f) => fs.statSync(path.join(cacheDir, f)).mtimeMs);
    await session(() => true);
    assert.deepStrictEqual(caches(), written);
    assert.deepStrictEqual(written.map((f) => fs.statSync(path.join(cacheDir, f)).mtimeMs), stamps, 'accepted by V8, so not written again');
  });

  it('a cache V8 rejects is written again, and the server works meanwhile', async () => {
    for (const f of caches()) fs.writeFileSync(path.join(cacheDir, f), 'not a code cache');
    await session(bothWritten);
    for (const f of caches()) assert.ok(fs.statSync(path.join(cacheDir, f)).size > 1000, `${f} written again`);
  });
});
