// The language server and the file system (issue 14): it reads nothing outside its workspace folders
// — no config above them, no file through a link or a tsconfig `include` pointing out — unless
// `linger.parentConfigs` allows configs above; and it takes an open document's text from the client,
// never from disk, whatever the URI names (a FIFO, /dev/zero).
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TestClient, uriOf } from './client';

const LEAK = "import * as net from 'net';\nexport function probe(port: number) {\n  const s = net.connect(port);\n  s.write('ping');\n}\n";
const posix = process.platform !== 'win32';

describe('lsp: the workspace boundary', function () {
  this.timeout(60_000);
  let top: string;
  let ws: string;
  let outside: string;
  let client: TestClient | undefined;

  beforeEach(function () {
    if (!posix) this.skip();
    top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'linger-boundary-')));
    ws = path.join(top, 'ws');
    outside = path.join(top, 'outside');
    fs.mkdirSync(path.join(ws, 'src'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(ws, 'package.json'), '{"name":"ws","private":true}');
    fs.writeFileSync(path.join(ws, 'src', 'a.ts'), LEAK);
    // A config above the workspace folder that would turn the rule off.
    fs.writeFileSync(path.join(top, '.lingerrc.json'), '{"rules":{"unclosed-connection":"off"}}');
    // A helper that does not close what it is given: read, it makes a caller's socket a leak; not
    // read (outside the workspace), the call is an ownership transfer and nothing is reported.
    fs.writeFileSync(path.join(outside, 'helper.ts'), 'export function keep(s: { write(x: string): void }) { s.write("x"); }\n');
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    if (top) fs.rmSync(top, { recursive: true, force: true });
  });

  const codes = (items: Array<{ code: string }>) => items.map((d) => d.code);

  it('does not read a .lingerrc.json above the workspace folder (unless linger.parentConfigs)', async () => {
    client = await TestClient.start({ rootPath: ws });
    const uri = uriOf(path.join(ws, 'src', 'a.ts'));
    await client.open(uri, LEAK);
    assert.deepStrictEqual(codes(await client.pull(uri)), ['unclosed-connection'], 'the parent config changed nothing');
    await client.stop();

    client = await TestClient.start({ rootPath: ws, settings: { parentConfigs: true } });
    await client.open(uri, LEAK);
    assert.deepStrictEqual(codes(await client.pull(uri)), [], 'allowed: the parent config turns the rule off');
  });

  it('does not read ../tsconfig.json, files through a linked folder, or a tsconfig include of an outside path', async () => {
    fs.writeFileSync(path.join(top, 'tsconfig.json'), 'this is not JSON: reading it would report an error');
    fs.writeFileSync(path.join(ws, 'tsconfig.json'), JSON.stringify({ include: ['src', path.join(outside, '**/*')] }));
    fs.symlinkSync(outside, path.join(ws, 'src', 'linked'));
    const text = "import * as net from 'net';\nimport { keep } from './linked/helper';\nexport function probe(port: number) {\n  const s = net.connect(port);\n  keep(s);\n}\n";
    fs.writeFileSync(path.join(ws, 'src', 'b.ts'), text);
    client = await TestClient.start({ rootPath: ws });
    const uri = uriOf(path.join(ws, 'src', 'b.ts'));
    await client.open(uri, text);
    assert.deepStrictEqual(codes(await client.pull(uri)), [], 'the helper behind the link was not read (read, it makes this a leak)');
    const audit = await client.request('linger/audit', {});
    assert.deepStrictEqual(audit.findings.map((f: { file: string }) => path.relative(ws, f.file)).sort(), ['src/a.ts']);
    assert.deepStrictEqual(audit.skipped.map((s: { file: string; reason: string }) => [path.relative(ws, s.file), /outside the workspace/.test(s.reason)]), [['src/linked', true]]);
    const logs = client.notifications.filter((n) => n.method === 'window/logMessage' || n.method === 'window/showMessage').map((n) => n.params.message as string);
    assert.deepStrictEqual(logs.filter((m) => m.includes(path.join(top, 'tsconfig.json'))), [], 'the parent tsconfig.json was never read');
  });

  it('analyses the text the client sent for a file: URI naming /dev/zero or a FIFO, and reads neither', async () => {
    const fifo = path.join(ws, 'src', 'pipe.ts');
    execFileSync('mkfifo', [fifo]);
    client = await TestClient.start({ rootPath: ws });
    // A name without a source extension is not a TypeScript file to the compiler: a note says it
    // was not analysed. Either way the answer comes from the text sent, and nothing is read.
    for (const [uri, expected, hovers] of [['file:///dev/zero', ['skipped'], false], [uriOf(fifo), ['unclosed-connection'], true]] as const) {
      await client.open(uri, LEAK, 'typescript');
      const items = await client.pull(uri);
      assert.deepStrictEqual(codes(items), expected, uri);
      assert.doesNotMatch(items[0].message, /internal error|cannot be read/);
      // The hover on connect() answers from the text sent too (it would hang or crash reading the file).
      const hover = (await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 16 } })) as { contents: { value: string } } | null;
      if (hovers) assert.match(hover?.contents.value ?? '', /^\*\*Linger: `net\.connect`\*\*/, uri);
      else assert.strictEqual(hover, null, `${uri}: not analysed, so no hover`);
      await client.close(uri);
    }
    assert.strictEqual(client.proc.exitCode, null, 'still running');
  });
});
