// What every handler needs: the connection, the open documents, the analysis, the settings and what
// the client said it can do at initialize.
import { Connection, InitializeParams } from 'vscode-languageserver/node';
import { AnalysisResult } from '../core/types';
import { COMMANDS, InitializationOptions, STATUS_NOTIFICATION, StatusParams } from '../protocol';
import { AnalysisService } from './analysis';
import { ConfigProblems } from './config-problems';
import { DocumentStore } from './documents';
import { isObject } from './guards';
import { ListenerInventory } from './inventory';
import { SettingsStore } from './settings';
import { TracedSites } from './traced';

/** The last completed workspace audit (`linger/audit`), for "export as SARIF/Markdown". */
export interface LastAudit {
  result: AnalysisResult;
  roots: string[];
}

export interface ClientInfo {
  /** `textDocument/diagnostic` supported: the client pulls, the server never pushes. */
  pullDiagnostics: boolean;
  /** `workspace/diagnostic/refresh` supported. */
  diagnosticRefresh: boolean;
  /** `workspace/configuration`: settings are pulled per resource. */
  configuration: boolean;
  /** `workspace/didChangeConfiguration` may be registered dynamically (else the client pushes unasked, or never). */
  configurationDynamic: boolean;
  watchedFilesDynamic: boolean;
  workDoneProgress: boolean;
  /** Versioned `documentChanges` in workspace edits (the client rejects edits for a stale version). */
  documentChanges: boolean;
  showDocument: boolean;
  workspaceFolders: boolean;
  /** `codeAction/resolve` can fill in `edit`: fix-all is then computed only when chosen. */
  codeActionResolve: boolean;
  /** Client-side commands it implements (the VS Code client: explain, disable rule). */
  clientCommands: Set<string>;
  /** The client wants `linger/status` notifications. */
  status: boolean;
  locale?: string;
}

export function clientInfo(params: InitializeParams): ClientInfo {
  const caps = isObject(params?.capabilities) ? params.capabilities : {};
  const td = caps.textDocument ?? {};
  const ws = caps.workspace ?? {};
  const opts: InitializationOptions = isObject(params?.initializationOptions) ? params.initializationOptions : {};
  const known = new Set<string>(Object.values(COMMANDS));
  return {
    pullDiagnostics: !!td.diagnostic,
    diagnosticRefresh: !!ws.diagnostics?.refreshSupport,
    configuration: !!ws.configuration,
    configurationDynamic: !!ws.didChangeConfiguration?.dynamicRegistration,
    watchedFilesDynamic: !!ws.didChangeWatchedFiles?.dynamicRegistration,
    workDoneProgress: !!caps.window?.workDoneProgress,
    documentChanges: !!ws.workspaceEdit?.documentChanges,
    showDocument: !!caps.window?.showDocument?.support,
    workspaceFolders: !!ws.workspaceFolders,
    codeActionResolve: Array.isArray(td.codeAction?.resolveSupport?.properties) && td.codeAction.resolveSupport.properties.includes('edit'),
    clientCommands: new Set((Array.isArray(opts.clientCommands) ? opts.clientCommands : []).filter((c) => known.has(c))),
    status: opts.status === true,
    locale: typeof params?.locale === 'string' ? params.locale : undefined,
  };
}

export class ServerContext {
  readonly documents: DocumentStore;
  readonly analysis: AnalysisService;
  readonly settings: SettingsStore;
  /** listen() sites of the workspace, for the sysctl port-range check and `linger/sockets`. */
  readonly inventory: ListenerInventory;
  client!: ClientInfo;
  /** The last completed workspace audit, for exports. */
  lastAudit?: LastAudit;
  /** The sites of the last `linger trace` run the client sent ("seen at run time" on findings). */
  readonly traced = new TracedSites();
  /** Broken .lingerrc.json / package.json configs: diagnostics on them, and a notification. */
  readonly configProblems: ConfigProblems;

  /** Set by the `shutdown` request: every later request is answered with an error (LSP spec). */
  shuttingDown = false;

  constructor(readonly connection: Connection, workerEntry: string) {
    this.analysis = new AnalysisService(workerEntry, (m) => this.log(m));
    this.documents = new DocumentStore((m) => this.log(m));
    this.settings = new SettingsStore(connection, () => this.client?.configuration ?? false);
    const log = (message: string) => this.log(message);
    this.inventory = new ListenerInventory(this.analysis, this.settings, this.documents, log);
    this.configProblems = new ConfigProblems(connection, this.analysis, this.documents, log);
  }

  log(message: string): void {
    this.connection.console.log(`linger: ${message}`);
  }

  private loggedOnce = new Set<string>();

  /** Log a message once per key (per document version, say). */
  logOnce(key: string, message: string): void {
    if (this.loggedOnce.has(key)) return;
    if (this.loggedOnce.size > 10_000) this.loggedOnce.clear();
    this.loggedOnce.add(key);
    this.log(message);
  }

  /** A broken tsconfig or .lingerrc.json (from an analysis): the config files get diagnostics, the user a notification. */
  reportConfigErrors(messages: string[]): void {
    for (const m of messages) this.configProblems.notify(m);
    this.configProblems.refresh();
  }

  status(params: StatusParams): void {
    if (this.client?.status) void this.connection.sendNotification(STATUS_NOTIFICATION, params);
  }
}
