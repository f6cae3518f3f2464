// Hover on a listen() site, from the listener inventory of the file's analysis.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { TestClient, WORKSPACE, fixtureUri } from './client';

describe('lsp: hover', () => {
  let client: TestClient;
  const uri = fixtureUri('src/server.ts');
  const text = fs.readFileSync(path.join(WORKSPACE, 'src/server.ts'), 'utf8');
  const lines = text.split('\n');
  const listenLine = lines.findIndex((l) => l.includes('server.listen('));

  before(async () => {
    client = await TestClient.start({ initializationOptions: { clientCommands: ['linger.explain'] } });
    await client.open(uri, text);
  });
  after(() => client.stop());

  it('describes SO_REUSEADDR/SO_REUSEPORT for server.listen() and links the TIME_WAIT explanation', async () => {
    const character = lines[listenLine].indexOf('listen') + 2;
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: listenLine, character } });
    assert.ok(hover, 'a hover on listen');
    assert.strictEqual(hover.contents.kind, 'markdown');
    const md: string = hover.contents.value;
    assert.match(md, /`net\.Server\.listen`/);
    assert.match(md, /port 8080, host `127\.0\.0\.1`/);
    assert.match(md, /SO_REUSEADDR\*\*: set by Node itself: libuv sets it on every TCP bind on Unix/);
    assert.match(md, /SO_REUSEPORT\*\*: not set/);
    // The VS Code client handles linger.explain, so the link is a command link to the TIME_WAIT page.
    assert.ok(md.includes(`command:linger.explain?${encodeURIComponent('["time-wait"]')}`), md);
  });

  it('says nothing on other words of the line or on other lines', async () => {
    const onServerWord = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: listenLine, character: lines[listenLine].indexOf('server') + 1 } });
    assert.strictEqual(onServerWord, null);
    const elsewhere = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } });
    assert.strictEqual(elsewhere, null);
  });

  it('describes the outbound socket of net.connect(): its ephemeral port, TIME_WAIT on the side that closes first, what localPort would do', async () => {
    const probeUri = fixtureUri('src/probe.ts');
    const probe = fs.readFileSync(path.join(WORKSPACE, 'src/probe.ts'), 'utf8');
    const probeLines = probe.split('\n');
    const line = probeLines.findIndex((l) => l.includes('net.connect('));
    await client.open(probeUri, probe);
    const hover = await client.request('textDocument/hover', { textDocument: { uri: probeUri }, position: { line, character: probeLines[line].indexOf('connect(') + 3 } });
    const md: string = hover.contents.value;
    assert.match(md, /^\*\*Linger: `net\.connect`\*\* \(outbound, target chosen at run time\)/);
    assert.match(md, /\*\*Local port\*\*: the kernel gives each connection its own ephemeral port \(Linux: 32768–60999/);
    assert.match(md, /\*\*TIME_WAIT\*\*: the side that closes first keeps the connection in TIME_WAIT for 60 s/);
    assert.match(md, /\*\*`localPort`\*\*: not set, as it should be\. .*EADDRNOTAVAIL/);
    const onNet = await client.request('textDocument/hover', { textDocument: { uri: probeUri }, position: { line, character: probeLines[line].indexOf('net.') + 1 } });
    assert.strictEqual(onNet, null, 'only on the name of the call');
  });

  it('says which localPort a connect() pins, from its fixed-local-port finding', async () => {
    const pinnedUri = fixtureUri('src/pinned-hover.ts');
    const text = "import * as net from 'net';\n\nexport function pinned(host: string): net.Socket {\n  return net.connect({\n    host,\n    port: 443,\n    localPort: 5000,\n  });\n}\n";
    await client.open(pinnedUri, text);
    await client.pull(pinnedUri);
    const hover = await client.request('textDocument/hover', { textDocument: { uri: pinnedUri }, position: { line: 3, character: 16 } });
    const md: string = hover.contents.value;
    assert.match(md, /\(outbound, to port 443, host chosen at run time\)/);
    assert.match(md, /\*\*Local port\*\*: pinned to 5000 by `localPort`/);
    assert.match(md, /\*\*`localPort: 5000`\*\*: the bind succeeds \(libuv sets SO_REUSEADDR\), but a reconnect/);
    await client.close(pinnedUri);
  });

  it('links the explanation file for clients without the explain command', async () => {
    const plain = await TestClient.start();
    try {
      await plain.open(uri, text);
      const hover = await plain.request('textDocument/hover', { textDocument: { uri }, position: { line: listenLine, character: lines[listenLine].indexOf('listen') } });
      assert.match(hover.contents.value, /\(file:\/\/\/.*\/docs\/time-wait\.md\)/);
    } finally {
      await plain.stop();
    }
  });
});
