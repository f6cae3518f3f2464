// Files changing on disk while the server runs: a new .lingerrc.json, and an unopened helper that
// another file depends on. Both must change open documents' diagnostics without a restart.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TestClient, WORKSPACE, uriOf } from './client';

describe('lsp: watched files', () => {
  let dir: string;
  let client: TestClient;

  const helper = (body: string) => `import * as net from 'net';\nexport function shut(socket: net.Socket): void {\n  ${body}\n}\n`;
  const USE = `import * as net from 'net';\nimport { shut } from './helpers';\nexport function ping(host: string): void {\n  const socket = net.connect(80, host);\n  shut(socket);\n}\n`;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-watch-'));
    fs.mkdirSync(path.join(dir, 'src'));
    for (const f of ['tsconfig.json', 'package.json', 'src/orders.ts']) fs.copyFileSync(path.join(WORKSPACE, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'src/helpers.ts'), helper('socket.destroy();'));
    fs.writeFileSync(path.join(dir, 'src/use.ts'), USE);
    client = await TestClient.start({ rootPath: dir });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const refreshes = () => client.serverRequests.filter((r) => r.method === 'workspace/diagnostic/refresh').length;

  async function changed(file: string, type: 1 | 2 | 3): Promise<void> {
    const before = refreshes();
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file), type }] });
    const deadline = Date.now() + 5000;
    while (refreshes() === before) {
      if (Date.now() > deadline) throw new Error('no workspace/diagnostic/refresh after the change');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('registers file watchers for configs and sources', async () => {
    // Registration is sent after `initialized`, so it may still be on its way.
    for (let i = 0; i < 100 && !watcherRegistration(); i++) await new Promise((r) => setTimeout(r, 20));
    const reg = watcherRegistration();
    assert.ok(reg, 'client/registerCapability for workspace/didChangeWatchedFiles');
    const globs = reg.params.registrations.find((x: any) => x.method === 'workspace/didChangeWatchedFiles').registerOptions.watchers.map((w: any) => w.globPattern);
    for (const g of ['**/package.json', '**/.lingerrc.json']) assert.ok(globs.includes(g), globs.join(', '));
    assert.ok(globs.some((g: string) => g.startsWith('**/*.{') && g.includes('ts') && g.includes('mjs')), globs.join(', '));
  });

  const watcherRegistration = () => client.serverRequests.find((r) => r.method === 'client/registerCapability' && r.params.registrations.some((x: any) => x.method === 'workspace/didChangeWatchedFiles'));

  it('a new .lingerrc.json that turns a rule off takes effect without a restart', async () => {
    const uri = uriOf(path.join(dir, 'src/orders.ts'));
    await client.open(uri, fs.readFileSync(path.join(dir, 'src/orders.ts'), 'utf8'));
    assert.deepStrictEqual((await client.pull(uri)).map((d) => d.code), ['unreleased-pool-connection']);
    const rc = path.join(dir, '.lingerrc.json');
    fs.writeFileSync(rc, JSON.stringify({ rules: { 'unreleased-pool-connection': 'off' } }));
    await changed(rc, 1);
    assert.deepStrictEqual(await client.pull(uri), []);
    fs.rmSync(rc);
    await changed(rc, 3);
    assert.deepStrictEqual((await client.pull(uri)).map((d) => d.code), ['unreleased-pool-connection']);
  });

  it('an unopened helper edited on disk changes the findings of the file that calls it', async () => {
    const uri = uriOf(path.join(dir, 'src/use.ts'));
    await client.open(uri, USE);
    assert.deepStrictEqual(await client.pull(uri), [], 'shut() destroys the socket');
    const file = path.join(dir, 'src/helpers.ts');
    fs.writeFileSync(file, helper('console.log(socket.remotePort);'));
    await changed(file, 2);
    assert.deepStrictEqual((await client.pull(uri)).map((d) => d.code), ['unclosed-connection'], 'shut() no longer closes it');
  });
});
