// Every custom method, notification and command id that client and server share. Both sides import
// this file (it imports nothing), so a name is spelled in exactly one place.
import type { Explanation, Finding, Listener, SkippedFile } from './core/types';
import type { SocketReport } from './sockets/types';

/** Request `linger/audit`: analyse every JS/TS file under the given folders (or the workspace). */
export const AUDIT_REQUEST = 'linger/audit';

export interface AuditParams {
  /** Folder or file URIs; when empty or missing, every workspace folder. */
  uris?: string[];
  /** Work done progress token (also accepted as the standard `workDoneToken`). */
  workDoneToken?: string | number;
}

export interface AuditResult {
  findings: Finding[];
  listeners: Listener[];
  skipped: SkippedFile[];
  configErrors: string[];
  /** Number of files analysed. */
  files: number;
  durationMs: number;
  /** The folders the audit covered (file-system paths), the base of relative paths in exports. */
  roots: string[];
}

/** Request `linger/exportReport`: the last audit as SARIF 2.1.0 or Markdown text. */
export const EXPORT_REPORT_REQUEST = 'linger/exportReport';

export interface ExportReportParams {
  format: 'sarif' | 'markdown';
}

export interface ExportReportResult {
  /** Undefined when no audit ran yet. */
  text?: string;
}

/**
 * Request `linger/sockets`: this machine's TCP sockets by service (what `linger sockets --format json`
 * prints), with the workspace's `listen()` sites attached to inbound services. Answered by the
 * server, so over VS Code Remote it reads the sockets of the machine the workspace is on.
 */
export const SOCKETS_REQUEST = 'linger/sockets';

export interface SocketsParams {
  /** Only sockets whose local or remote port is this one. */
  port?: number;
  /** Only sockets in this state (CLOSE_WAIT, close-wait, TIME-WAIT...). */
  state?: string;
  /** Include `report.sockets` (one row per socket; large on busy hosts). Default false: `[]`. */
  includeSockets?: boolean;
}

/** Where the listener sites attached to the report came from. */
export interface ListenerInventoryInfo {
  /** `audit`: the last workspace audit; `scan`: the server's own bounded scan; `none`: no workspace folder. */
  source: 'audit' | 'scan' | 'none';
  /** The scan stopped at its bounds, or is still running: some listen() sites may be missing. */
  partial: boolean;
  /** Number of listener sites known. */
  listeners: number;
}

export type SocketsResult =
  | {
      ok: true;
      platform: string;
      /** Milliseconds since the epoch, when the sockets were read. */
      takenAt: number;
      /** `services[].code[].file` are absolute paths (with `/` separators). */
      report: SocketReport;
      /** Total sockets read (before `port`/`state` filters), whether or not `sockets` is included. */
      socketCount: number;
      /** Things the user should know (owners unreadable, defaults assumed). */
      warnings: string[];
      inventory: ListenerInventoryInfo;
    }
  | {
      ok: false;
      platform: string;
      /** Why the sockets could not be read, for the user. */
      reason: string;
    };

/**
 * Notification `linger/traceSites` (client → server): the sites of the last `linger trace` report
 * (docs/trace.md). A finding whose range covers a traced site's line gains a related location
 * "seen at run time: N sockets in CLOSE_WAIT". An empty list clears them.
 */
export const TRACE_SITES_NOTIFICATION = 'linger/traceSites';

export interface TracedSiteInfo {
  /** Absolute path of the file (`/` separators). */
  path: string;
  /** 1-based line and column of the creating call (or of `listen()` for accepted sockets). */
  line: number;
  column: number;
  kind: string;
  closeWait: number;
  timeWait: number;
  timeWaitPerSecond: number;
  responses: number;
  unconsumedResponses: number;
}

export interface TraceSitesParams {
  sites: TracedSiteInfo[];
}

/** Notification `linger/status` (server → client): what the analysis is doing, for the status item. */
export const STATUS_NOTIFICATION = 'linger/status';

export interface StatusParams {
  state: 'idle' | 'auditing' | 'disabled';
  /** The document the numbers are about (URI). */
  uri?: string;
  /** Time the last analysis of `uri` took. */
  durationMs?: number;
  findings?: number;
  /** Why the last file was not analysed. */
  skipped?: string;
}

/**
 * Commands. `CLIENT_COMMANDS` are executed by the VS Code client; a client that handles them says
 * so in `initializationOptions.clientCommands`, and the server then uses them in code actions and
 * hovers. Other editors get the server-side equivalents (`SERVER_COMMANDS`) instead.
 */
export const COMMANDS = {
  explain: 'linger.explain',
  /** Opens a page of the package's docs/ in Markdown preview. Argument: its path, `docs/rules/<id>.md`. */
  openDoc: 'linger.openDoc',
  /** The Connections view's inline button on a rule: its page, rendered. */
  openRuleDoc: 'linger.openRuleDoc',
  explainCloseWait: 'linger.explainCloseWait',
  explainTimeWait: 'linger.explainTimeWait',
  disableRule: 'linger.disableRule',
  auditWorkspace: 'linger.auditWorkspace',
  auditFolder: 'linger.auditFolder',
  rerunAudit: 'linger.rerunAudit',
  exportSarif: 'linger.exportSarif',
  exportMarkdown: 'linger.exportMarkdown',
  filterByRule: 'linger.filterByRule',
  restartServer: 'linger.restartServer',
  showOutput: 'linger.showOutput',
  showLiveSockets: 'linger.showLiveSockets',
  pauseLiveSockets: 'linger.sockets.pause',
  resumeLiveSockets: 'linger.sockets.resume',
  refreshLiveSockets: 'linger.sockets.refresh',
  traceCommand: 'linger.traceCommand',
} as const;

/** Commands the server executes itself (`workspace/executeCommand`), for editors other than VS Code. */
export const SERVER_COMMANDS = {
  /** Opens the explanation page with `window/showDocument`. Argument: an `Explanation`. */
  explain: 'linger.server.explain',
} as const;

/** Arguments of `linger.explain` (client) and `linger.server.explain` (server). */
export type ExplainArgs = [Explanation];

/** Arguments of `linger.openDoc`: a path under docs/, relative to the package root. */
export type OpenDocArgs = [relativePath: string];

/** Arguments of `linger.disableRule`: the rule id and the document URI it was offered on. */
export type DisableRuleArgs = [ruleId: string, uri: string];

/** What the client may pass in `initializationOptions`. */
export interface InitializationOptions {
  /** Client-side commands the client implements (ids from `COMMANDS`). */
  clientCommands?: string[];
  /** Send `linger/status` notifications (the VS Code status item). */
  status?: boolean;
}

/** The code action kind of "fix all safe problems". */
export const FIX_ALL_KIND = 'source.fixAll.linger';

/** The `source` of every diagnostic. */
export const DIAGNOSTIC_SOURCE = 'linger';
