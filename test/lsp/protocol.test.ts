// The server cannot be frozen or killed through the protocol (issue 14): a malformed frame (no, a
// negative or a non-numeric Content-Length, a body that is not JSON) is answered with a parse error
// and the next frame is read; requests after `shutdown` get InvalidRequest; the analysis of a large
// document runs off the request path, so hovers and code actions are answered meanwhile.
import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO, SERVER, TestClient, WORKSPACE, fixtureUri, uriOf } from './client';

/** The server over stdio with hand-written frames, and every message it writes back. */
class RawServer {
  readonly proc: ChildProcess;
  readonly messages: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];

  stderr = '';

  constructor(script = SERVER) {
    this.proc = spawn(process.execPath, [script, '--stdio'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d) => (this.stderr += d));
    this.proc.stdout!.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) break;
        const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())![1]);
        if (this.buffer.length < end + 4 + length) break;
        this.messages.push(JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')));
        this.buffer = this.buffer.subarray(end + 4 + length);
        this.waiters.splice(0).forEach((w) => w());
      }
    });
  }

  raw(text: string): void {
    this.proc.stdin!.write(text);
  }

  send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    this.proc.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  }

  async response(id: number | null, after = 0): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    for (;;) {
      const hit = this.messages.slice(after).find((m) => m.id === id && ('result' in m || 'error' in m));
      if (hit) return hit;
      if (this.proc.exitCode !== null) throw new Error(`server exited (${this.proc.exitCode})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 20_000);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  /** The first message from the server, after the first `after`, that `match`es. */
  async message(match: (m: any) => boolean, after = 0): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    for (;;) {
      const hit = this.messages.slice(after).find(match);
      if (hit) return hit;
      if (this.proc.exitCode !== null) throw new Error(`server exited (${this.proc.exitCode})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 20_000);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  async initialize(): Promise<void> {
    this.send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    await this.response(1);
    this.send({ method: 'initialized', params: {} });
  }

  exited(): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.proc.exitCode !== null) return resolve(this.proc.exitCode);
      this.proc.once('exit', (code) => resolve(code));
    });
  }
}

describe('lsp: protocol robustness', function () {
  this.timeout(60_000);
  let server: RawServer;
  beforeEach(async () => {
    server = new RawServer();
    await server.initialize();
  });
  afterEach(() => {
    if (server.proc.exitCode === null) server.proc.kill();
  });

  const body = (id: number, method: string, params: object = {}) => JSON.stringify({ jsonrpc: '2.0', id, method, params });

  for (const [what, header] of [
    ['no Content-Length', 'Content-Type: application/vscode-jsonrpc\r\n'],
    ['a negative Content-Length', 'Content-Length: -12\r\n'],
    ['a non-numeric Content-Length', 'Content-Length: twelve\r\n'],
  ]) {
    it(`answers a frame with ${what} with a parse error, then serves the next frames, shutdown included`, async () => {
      const before = server.messages.length;
      server.raw(`${header}\r\n${body(7, 'textDocument/hover', { textDocument: { uri: 'file:///x.ts' }, position: { line: 0, character: 0 } })}`);
      const parseError = await server.response(null, before);
      assert.strictEqual(parseError.error.code, -32700);
      assert.match(parseError.error.message, /Content-Length/);
      server.send({ id: 8, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.ts' }, position: { line: 0, character: 0 } } });
      assert.deepStrictEqual((await server.response(8)).result, null, 'the next request is answered');
      server.send({ id: 9, method: 'shutdown' });
      assert.deepStrictEqual((await server.response(9)).result, null);
      server.send({ method: 'exit' });
      assert.strictEqual(await server.exited(), 0);
    });
  }

  it('answers a body that is not JSON, or not an object, and goes on', async () => {
    const before = server.messages.length;
    const frame = (text: string) => `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;
    server.raw(frame('{"jsonrpc":"2.0","id":') + frame('[1,2,3]'));
    server.send({ id: 3, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.ts' }, position: { line: 0, character: 0 } } });
    assert.deepStrictEqual((await server.response(3)).result, null);
    const errors = server.messages.slice(before).filter((m) => m.id === null).map((m) => m.error.code);
    assert.deepStrictEqual(errors, [-32700, -32600]);
  });

  it('answers every request after shutdown with InvalidRequest, and exits 0 on exit', async () => {
    server.send({ id: 2, method: 'shutdown' });
    assert.deepStrictEqual((await server.response(2)).result, null);
    server.send({ id: 3, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.ts' }, position: { line: 0, character: 0 } } });
    server.send({ id: 4, method: 'textDocument/diagnostic', params: { textDocument: { uri: 'file:///x.ts' } } });
    server.send({ id: 5, method: 'linger/audit', params: {} });
    server.send({ id: 6, method: 'shutdown' });
    for (const id of [3, 4, 5, 6]) assert.strictEqual((await server.response(id)).error?.code, -32600, `request ${id}`);
    server.send({ method: 'exit' });
    assert.strictEqual(await server.exited(), 0);
  });
});

describe('lsp: a request cancelled twice', function () {
  this.timeout(60_000);

  // Was a bug (found by the soak under load): vscode-jsonrpc 10.0.0 gives a request cancelled before
  // it was dispatched a source whose token is the frozen CancellationToken.Cancelled, which has no
  // cancel(); a second $/cancelRequest for it while its handler runs calls that missing cancel() from
  // the message reader: "TypeError: this._token.cancel is not a function", uncaught (the server
  // logged it, and the frames read with it waited for the next chunk). The order is made, not waited
  // for: the first cancel is written with the request (behind a few notifications, so that it is read
  // while the request is still queued), the second once the hover's handler has asked the client for
  // its document's settings, and is answered only after that.
  it('answers a hover cancelled before and again while it runs, with nothing uncaught', async () => {
    const server = new RawServer();
    try {
      const uri = fixtureUri('src/double-cancel.ts');
      server.send({ id: 1, method: 'initialize', params: { processId: null, rootUri: uriOf(WORKSPACE), capabilities: { textDocument: { diagnostic: {} }, workspace: { configuration: true } } } });
      await server.response(1);
      server.send({ method: 'initialized', params: {} });
      server.send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'typescript', version: 1, text: fs.readFileSync(path.join(WORKSPACE, 'src/probe.ts'), 'utf8') } } });
      const frame = (message: object) => {
        const text = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
        return Buffer.concat([Buffer.from(`Content-Length: ${text.length}\r\n\r\n`), text]);
      };
      const before = server.messages.length;
      const filler = Array.from({ length: 20 }, () => frame({ method: '$/setTrace', params: { value: 'off' } }));
      server.proc.stdin!.write(Buffer.concat([...filler,
        frame({ id: 7, method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 0, character: 0 } } }),
        frame({ method: '$/cancelRequest', params: { id: 7 } })]));
      // Pull diagnostics are advertised: the document was not analysed on open, its settings are first asked for by the hover.
      const ask = await server.message((m) => m.method === 'workspace/configuration' && m.params.items.some((it: { scopeUri?: string }) => it.scopeUri === uri), before);
      server.send({ method: '$/cancelRequest', params: { id: 7 } });
      server.send({ id: 8, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.ts' }, position: { line: 0, character: 0 } } });
      // Either the next request is answered, or (the bug) the server logs the uncaught error: no waiting on a clock.
      const next = await server.message((m) => m.id === 8 || (m.method === 'window/logMessage' && /uncaught|unhandled/i.test(m.params.message)), before);
      assert.strictEqual(next.id, 8, `instead of answering the next request, the server logged: ${next.params?.message}`);
      assert.deepStrictEqual(next.result, null);
      server.send({ id: ask.id, result: ask.params.items.map(() => ({})) });
      const hover = await server.response(7);
      assert.ok(hover.error?.code === -32800 || 'result' in hover, JSON.stringify(hover));
      server.send({ id: 9, method: 'shutdown' });
      assert.deepStrictEqual((await server.response(9)).result, null);
      const logs = server.messages.filter((m) => m.method === 'window/logMessage').map((m) => m.params.message as string);
      assert.deepStrictEqual(logs.filter((m) => /uncaught|unhandled|failed: /i.test(m)), []);
      server.send({ method: 'exit' });
      assert.strictEqual(await server.exited(), 0);
      assert.doesNotMatch(server.stderr, /uncaught|unhandled|TypeError/i);
    } finally {
      if (server.proc.exitCode === null) server.proc.kill();
    }
  });
});

describe('lsp: the bin bounds the heap', function () {
  this.timeout(60_000);

  it('runs the server with --max-old-space-size and passes its exit code on', async function () {
    if (process.platform !== 'linux') this.skip();
    const server = new RawServer(path.join(REPO, 'bin', 'linger-language-server.js'));
    await server.initialize();
    const children = fs.readFileSync(`/proc/${server.proc.pid}/task/${server.proc.pid}/children`, 'utf8').trim().split(/\s+/);
    const argv = fs.readFileSync(`/proc/${children[0]}/cmdline`, 'utf8').split('\0');
    assert.ok(argv.includes('--max-old-space-size=3072'), argv.join(' '));
    server.send({ id: 2, method: 'shutdown' });
    await server.response(2);
    server.send({ method: 'exit' });
    assert.strictEqual(await server.exited(), 0);
  });
});

describe('lsp: an analysis that exhausts the heap', function () {
  this.timeout(120_000);

  it('ends the analysis worker, not the server: the document gets a note, a new worker analyses the next one', async () => {
    // 64 MB for the server (the worker gets the same limit): enough to serve, far too little for
    // the program of a 900 KB file of 10,000 functions.
    const client = await TestClient.start({ nodeArgs: ['--max-old-space-size=64'] });
    try {
      let big = "import * as net from 'net';\n";
      for (let i = 0; big.length < 900_000; i++) big += `export function f${i}(port: number) {\n  const s = net.connect(port);\n  s.end();\n}\n`;
      const bigUri = fixtureUri('src/big-oom.ts');
      await client.open(bigUri, big);
      const items = await client.pull(bigUri);
      assert.deepStrictEqual(items.map((d: { code: string }) => d.code), ['skipped']);
      assert.match(items[0].message, /the analysis ran out of memory \(the \d+ MB heap limit\)/);
      const uri = fixtureUri('src/users.ts');
      await client.open(uri, fs.readFileSync(path.join(WORKSPACE, 'src/users.ts'), 'utf8'));
      assert.deepStrictEqual((await client.pull(uri)).map((d: { code: string }) => d.code), ['unconsumed-response']);
      await client.waitFor('window/logMessage', (p) => /analysis worker ran out of memory .* a new one takes over/.test(p.message));
      assert.strictEqual(client.proc.exitCode, null);
    } finally {
      await client.stop();
    }
  });
});

describe('lsp: a large document does not hold up other requests', function () {
  this.timeout(120_000);
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(() => client.stop());

  it('answers hovers and code actions while a 900 KB document is being analysed', async () => {
    const serverUri = fixtureUri('src/server.ts');
    const serverText = fs.readFileSync(path.join(WORKSPACE, 'src/server.ts'), 'utf8');
    const lines = serverText.split('\n');
    const line = lines.findIndex((l) => l.includes('server.listen('));
    await client.open(serverUri, serverText);
    await client.pull(serverUri);

    // ~900 KB of functions that each open a socket: seconds of analysis.
    let big = "import * as net from 'net';\n";
    for (let i = 0; big.length < 900_000; i++) big += `export function f${i}(port: number) {\n  const s = net.connect(port);\n  if (port > ${i}) return s.write('x');\n  s.end();\n}\n`;
    const bigUri = fixtureUri('src/big-generated.ts');
    await client.open(bigUri, big);
    let bigDone = false;
    // Its analysis takes seconds (parsing and binding alone); it may end after this test does.
    void client.pull(bigUri).then(() => { bigDone = true; }, () => { bigDone = true; });
    // The server asks for the document's settings right before handing it to the analysis.
    while (!client.serverRequests.some((r) => r.method === 'workspace/configuration' && r.params.items.some((it: { scopeUri?: string }) => it.scopeUri === bigUri))) {
      await new Promise((r) => setTimeout(r, 5));
    }
    for (let i = 0; i < 3; i++) {
      const hover = await client.request('textDocument/hover', { textDocument: { uri: serverUri }, position: { line, character: lines[line].indexOf('listen') + 2 } });
      assert.match(hover.contents.value, /net\.Server\.listen/);
      const actions = await client.request('textDocument/codeAction', { textDocument: { uri: serverUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } });
      assert.ok(Array.isArray(actions));
      assert.strictEqual(bigDone, false, 'the hover and the code actions were answered before the large document\'s analysis ended');
    }
    await client.close(bigUri);
  });
});
