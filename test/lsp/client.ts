// A minimal LSP client for the protocol tests: spawns the BUILT server (`node dist/server.js
// --stdio`, as users run it), answers the requests a server sends to its client, and records the
// notifications it receives so tests can wait for them.
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  CancellationTokenSource,
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';

export const REPO = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(REPO, 'dist', 'server.js');
export const WORKSPACE = path.join(REPO, 'test', 'fixtures', 'lsp', 'workspace');

export const uriOf = (file: string) => pathToFileURL(file).href;
export const fixtureUri = (rel: string) => uriOf(path.join(WORKSPACE, rel));

export interface ClientOptions {
  /** Advertise pull diagnostics (like VS Code); otherwise the server must push. */
  pull?: boolean;
  /** The `linger` settings the client answers `workspace/configuration` with. */
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  rootPath?: string;
  /** A command the server runs under (`strace -f -o log`): [program, ...args], then node and the server. */
  wrapper?: string[];
  /** Node options for the server (`--max-old-space-size=64`). */
  nodeArgs?: string[];
  /** Another copy of the built server to run (default: dist/server.js of this checkout). */
  server?: string;
  /** The client's capabilities, instead of the VS Code-like defaults (a client profile, clients.test.ts). */
  capabilities?: Record<string, unknown>;
  /** What `workspace/configuration` answers: the settings (default), or null for every item (a client that keeps none there). */
  configurationAnswer?: 'settings' | 'null';
}

export interface Received {
  method: string;
  params: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export class TestClient {
  readonly connection: MessageConnection;
  readonly notifications: Received[] = [];
  readonly serverRequests: Received[] = [];
  settings: Record<string, unknown>;
  stderr = '';
  private waiters: Array<() => void> = [];
  private versions = new Map<string, number>();

  private constructor(readonly proc: ChildProcess, readonly options: ClientOptions) {
    this.settings = options.settings ?? {};
    this.connection = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    proc.stderr!.on('data', (d) => (this.stderr += d));
    this.connection.onNotification((method, params) => this.record(this.notifications, method, params));
    // vscode-jsonrpc routes $/progress to per-token handlers; with none registered it lands here.
    this.connection.onUnhandledProgress((params) => this.record(this.notifications, '$/progress', params));
    this.connection.onRequest((method, params) => {
      this.record(this.serverRequests, method, params);
      switch (method) {
        case 'workspace/configuration':
          return ((params as { items: unknown[] }).items ?? []).map(() => (options.configurationAnswer === 'null' ? null : this.settings));
        case 'window/showDocument':
          return { success: true };
        default:
          return null; // registerCapability, workDoneProgress/create, diagnostic/refresh, showMessageRequest
      }
    });
    this.connection.listen();
  }

  static async start(options: ClientOptions = {}): Promise<TestClient> {
    const [program, ...args] = [...(options.wrapper ?? []), process.execPath, ...(options.nodeArgs ?? []), options.server ?? SERVER, '--stdio'];
    const proc = spawn(program, args, { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new TestClient(proc, options);
    await client.initialize();
    return client;
  }

  private record(list: Received[], method: string, params: unknown): void {
    list.push({ method, params });
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  private async initialize(): Promise<unknown> {
    const root = this.options.rootPath ?? WORKSPACE;
    const pull = this.options.pull ?? true;
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: path.basename(root) }],
      locale: 'en',
      ...(this.options.initializationOptions ? { initializationOptions: this.options.initializationOptions } : {}),
      capabilities: this.options.capabilities ?? {
        textDocument: {
          ...(pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: {
            dataSupport: true,
            resolveSupport: { properties: ['edit'] },
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true },
          ...(pull ? { diagnostics: { refreshSupport: true } } : {}),
        },
        window: { workDoneProgress: true, showDocument: { support: true } },
      },
    });
    this.initializeResult = result;
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  initializeResult: unknown;

  request<R = any>(method: string, params?: unknown, token?: CancellationTokenSource): Promise<R> { // eslint-disable-line @typescript-eslint/no-explicit-any
    // Passing `undefined` as the token would make it a second positional parameter.
    const sent = token ? this.connection.sendRequest(method, params, token.token) : params === undefined ? this.connection.sendRequest(method) : this.connection.sendRequest(method, params);
    return sent as Promise<R>;
  }

  notify(method: string, params?: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  async open(uri: string, text: string, languageId = 'typescript'): Promise<void> {
    this.versions.set(uri, 1);
    await this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replace the whole text (a full-document change); returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** Pull diagnostics; returns the items of a full report. */
  async pull(uri: string): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const report = await this.request('textDocument/diagnostic', { textDocument: { uri } });
    if (report.kind !== 'full') throw new Error(`expected a full report, got ${JSON.stringify(report)}`);
    return report.items;
  }

  /** Resolve when a recorded notification matches, or fail after `timeoutMs`. */
  async waitFor(method: string, match: (params: any) => boolean = () => true, timeoutMs = 20_000): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.notifications.find((n) => n.method === method && match(n.params));
      if (hit) return hit.params;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${method} notification within ${timeoutMs} ms; stderr: ${this.stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  /** A clean shutdown; kills the process if it does not exit. */
  async stop(): Promise<void> {
    try {
      await Promise.race([this.request('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.notify('exit');
    } catch {
      /* already gone */
    }
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const t = setTimeout(() => { this.proc.kill(); resolve(); }, 2000);
      this.proc.once('exit', () => { clearTimeout(t); resolve(); });
    });
    this.connection.dispose();
  }
}
