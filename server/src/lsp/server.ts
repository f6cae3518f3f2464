// The Linger language server: LSP wiring only. Each handler delegates to a small module and runs
// inside `safe`, so an error on one document is logged and answered with an LSP error, and the
// server stays up. Analysis runs in a worker thread (analysis-host.ts); stdio frames are read by
// frames.ts, which answers malformed ones with a parse error and recovers.
import {
  CodeAction,
  CodeActionKind,
  Connection,
  createConnection,
  ErrorCodes,
  DidChangeConfigurationParams,
  DidChangeTextDocumentParams,
  DidChangeWatchedFilesParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
  DidSaveTextDocumentParams,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  InitializeParams,
  InitializeResult,
  ProposedFeatures,
  ResponseError,
  StreamMessageWriter,
  TextDocumentSyncKind,
  WorkspaceFolder,
  WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { VERSION } from '../core/version';
import { AUDIT_REQUEST, AuditParams, COMMANDS, EXPORT_REPORT_REQUEST, ExportReportParams, FIX_ALL_KIND, SERVER_COMMANDS, SOCKETS_REQUEST, SocketsParams, TRACE_SITES_NOTIFICATION, TraceSitesParams } from '../protocol';
import { audit } from './audit';
import { codeActions, resolveCodeAction } from './codeActions';
import { executeCommand } from './commands';
import { clientInfo, ServerContext } from './context';
import { PushScheduler, pullDiagnostics } from './diagnose';
import { hover } from './hover';
import { docHref, uriToPath } from './paths';
import { exportReport } from './report';
import { safe as safeRequest, safeNotification } from './safe';
import { liveSockets } from './sockets';
import { isSysctlDocument } from './sysctl';
import { filesChanged, WATCHED_GLOBS } from './watch';
import { FrameReader } from './frames';
import { CONNECTION_OPTIONS } from './cancellation';

const USAGE = `linger-language-server ${VERSION}
Usage: linger-language-server [--stdio | --node-ipc | --socket=<port>]
Speaks the Language Server Protocol; defaults to --stdio.`;

/** Start the server; `workerEntry` is the script the analysis worker runs (this bundle). */
export function startServer(workerEntry: string): void {
  const argv = process.argv.slice(2);
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`${VERSION}\n`);
    process.exit(0);
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const stdio = !argv.some((a) => a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'));

  const connection = stdio ? stdioConnection() : createConnection(ProposedFeatures.all, CONNECTION_OPTIONS);
  const ctx = new ServerContext(connection, workerEntry);
  if (stdio) {
    // The client went away: exit as the LSP says (0 after shutdown, 1 otherwise).
    const end = () => process.exit(ctx.shuttingDown ? 0 : 1);
    process.stdin.on('end', end);
    process.stdin.on('close', end);
  }
  const push = new PushScheduler(ctx);
  const log = (m: string) => ctx.log(m);
  // Every request handler: an error after `shutdown` (the spec's InvalidRequest), an LSP error for an internal failure.
  const safe: typeof safeRequest = (name, logTo, handler) => safeRequest(name, logTo, (p, token) => {
    if (ctx.shuttingDown) throw new ResponseError(ErrorCodes.InvalidRequest, `${name}: the server is shutting down`);
    return handler(p, token);
  });

  // Only under --expose-gc (the soak's memory measurement, scripts/soak/gc-hook.cjs): collect in the worker too.
  if (typeof (globalThis as { gc?: unknown }).gc === 'function') {
    (globalThis as { __lingerCollectGarbage?: () => Promise<unknown> }).__lingerCollectGarbage = () => ctx.analysis.worker.run({ kind: 'gc' });
  }

  connection.onShutdown(() => {
    if (ctx.shuttingDown) throw new ResponseError(ErrorCodes.InvalidRequest, 'shutdown: already shutting down');
    ctx.shuttingDown = true;
    ctx.analysis.worker.dispose();
  });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    if (ctx.shuttingDown) throw new ResponseError(ErrorCodes.InvalidRequest, 'initialize: the server is shutting down');
    ctx.client = clientInfo(params);
    ctx.analysis.folders = workspaceFolders(params);
    const openDoc = ctx.client.clientCommands.has(COMMANDS.openDoc);
    ctx.analysis.docLink = (relative) => docHref(relative, openDoc);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
        hoverProvider: true,
        executeCommandProvider: { commands: [SERVER_COMMANDS.explain] },
        // A change to one file can change another's findings (a helper that closes its parameter), but
        // re-checking every open file on every keystroke would be too slow: other files are refreshed on save.
        ...(ctx.client.pullDiagnostics ? { diagnosticProvider: { identifier: 'linger', interFileDependencies: false, workspaceDiagnostics: false } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'linger-language-server', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    // Registering needs the client's consent (LSP): Neovim, Helix and eglot send the notification unasked.
    if (ctx.client.configurationDynamic) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'linger' }).catch(() => undefined);
    }
    if (ctx.client.watchedFilesDynamic) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) })
        .catch(() => undefined);
    }
    if (ctx.client.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e: WorkspaceFoldersChangeEvent) => {
        const removed = new Set(e.removed.map((f: WorkspaceFolder) => uriToPath(f.uri)));
        ctx.analysis.folders = [...ctx.analysis.folders.filter((f) => !removed.has(f)), ...foldersToPaths(e.added)];
        ctx.inventory.invalidate();
      });
    }
  });

  /** Everything may have changed: ask pull clients to pull again, re-push for the others. */
  let refreshTimer: NodeJS.Timeout | undefined;
  function refreshAll(): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      if (ctx.client.pullDiagnostics && ctx.client.diagnosticRefresh) void connection.languages.diagnostics.refresh().catch(() => undefined);
      else if (!ctx.client.pullDiagnostics) push.scheduleAll();
    }, 50);
  }

  const pushing = () => !ctx.client.pullDiagnostics;
  // A document first shown from the results cache, whose analysis then said otherwise.
  ctx.analysis.onRefined = (uri) => {
    if (pushing()) push.schedule(uri, 0);
    else if (ctx.client.diagnosticRefresh) void connection.languages.diagnostics.refresh().catch(() => undefined);
  };

  /** The listening ports of the workspace changed: the sysctl port-range check may say otherwise now. */
  let sysctlRefreshTimer: NodeJS.Timeout | undefined;
  ctx.inventory.onChanged = () => {
    const sysctlDocs = ctx.documents.all().filter((d) => isSysctlDocument(d.uri, d.languageId));
    if (!sysctlDocs.length) return;
    clearTimeout(sysctlRefreshTimer);
    sysctlRefreshTimer = setTimeout(() => {
      if (!ctx.client.pullDiagnostics) sysctlDocs.forEach((d) => push.schedule(d.uri, 0));
      else if (ctx.client.diagnosticRefresh) void connection.languages.diagnostics.refresh().catch(() => undefined);
    }, 100);
  };

  connection.onDidOpenTextDocument(safeNotification('didOpen', log, (params: DidOpenTextDocumentParams) => {
    const doc = ctx.documents.open(params);
    if (doc && pushing()) push.schedule(doc.uri, 0);
  }));
  connection.onDidChangeTextDocument(safeNotification('didChange', log, async (params: DidChangeTextDocumentParams) => {
    const doc = ctx.documents.change(params);
    if (doc && pushing() && (isSysctlDocument(doc.uri, doc.languageId) || (await ctx.settings.get(doc.uri)).run === 'onType')) push.schedule(doc.uri);
  }));
  connection.onDidSaveTextDocument(safeNotification('didSave', log, (params: DidSaveTextDocumentParams) => {
    // Other files' findings can depend on this one; `run: onSave` documents are analysed now.
    if (ctx.documents.save(params)) {
      ctx.analysis.invalidateResults();
      refreshAll();
    }
  }));
  connection.onDidCloseTextDocument(safeNotification('didClose', log, (params: DidCloseTextDocumentParams) => {
    const languageId = ctx.documents.get(params?.textDocument?.uri)?.languageId;
    const uri = ctx.documents.close(params);
    if (!uri) return;
    if (!isSysctlDocument(uri, languageId)) {
      ctx.analysis.forget(uri, languageId);
      ctx.inventory.forgetDocument(uri);
    }
    ctx.settings.forget(uri);
    if (pushing()) push.clear(uri);
    ctx.configProblems.refresh();
  }));
  connection.onDidChangeConfiguration(safeNotification('didChangeConfiguration', log, (params: DidChangeConfigurationParams) => {
    ctx.settings.changed(params?.settings);
    refreshAll();
  }));
  // The client read a `linger trace` report: findings at its sites gain "seen at run time".
  connection.onNotification(TRACE_SITES_NOTIFICATION, safeNotification(TRACE_SITES_NOTIFICATION, log, (params: TraceSitesParams) => {
    if (ctx.traced.update(params)) refreshAll();
  }));
  connection.onDidChangeWatchedFiles(safeNotification('didChangeWatchedFiles', log, (params: DidChangeWatchedFilesParams) => {
    ctx.inventory.invalidate();
    if (filesChanged(ctx, params)) refreshAll();
  }));

  connection.languages.diagnostics.on(safe('textDocument/diagnostic', log, (p, token) => pullDiagnostics(ctx, p, token)));
  connection.onCodeAction(safe('textDocument/codeAction', log, (p) => codeActions(ctx, p)));
  connection.onCodeActionResolve(safe('codeAction/resolve', log, (p: CodeAction) => resolveCodeAction(ctx, p)));
  connection.onHover(safe('textDocument/hover', log, (p) => hover(ctx, p)));
  connection.onExecuteCommand(safe('workspace/executeCommand', log, (p) => executeCommand(ctx, p)));
  connection.onRequest(AUDIT_REQUEST, safe(AUDIT_REQUEST, log, (p: AuditParams, token) => audit(ctx, p, token)));
  connection.onRequest(SOCKETS_REQUEST, safe(SOCKETS_REQUEST, log, (p: SocketsParams) => liveSockets(ctx, p)));
  connection.onRequest(EXPORT_REPORT_REQUEST, safe(EXPORT_REPORT_REQUEST, log, (p: ExportReportParams) => exportReport(ctx, p)));

  // Last line of defence: log and keep serving rather than die with the editor still attached.
  process.on('uncaughtException', (e) => log(`uncaught: ${e?.stack ?? e}`));
  process.on('unhandledRejection', (e) => log(`unhandled rejection: ${(e as Error)?.stack ?? e}`));

  connection.listen();
}

/**
 * The stdio connection, with frames read by FrameReader (a malformed frame gets a parse error and
 * the next one is read). Like vscode-languageserver's own stdio setup: the process ends when stdin
 * does, and console output goes to stderr, never into the protocol stream.
 */
function stdioConnection(): Connection {
  const writer = new StreamMessageWriter(process.stdout);
  const reader = new FrameReader(process.stdin, (code, message) => {
    void writer.write({ jsonrpc: '2.0', id: null, error: { code, message } } as never);
  });
  const connection = createConnection(ProposedFeatures.all, reader, writer, CONNECTION_OPTIONS);
  for (const level of ['log', 'info', 'debug', 'warn'] as const) console[level] = (...args: unknown[]) => console.error(...args);
  return connection;
}

function workspaceFolders(params: InitializeParams): string[] {
  if (Array.isArray(params.workspaceFolders) && params.workspaceFolders.length) return foldersToPaths(params.workspaceFolders);
  const root = typeof params.rootUri === 'string' ? uriToPath(params.rootUri) : undefined;
  return root ? [root] : typeof params.rootPath === 'string' ? [params.rootPath] : [];
}

function foldersToPaths(folders: WorkspaceFolder[]): string[] {
  return folders.map((f) => (typeof f?.uri === 'string' ? uriToPath(f.uri) : undefined)).filter((p): p is string => !!p);
}
