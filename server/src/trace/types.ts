// The report of `linger trace --format json`: the shape documented in docs/trace.md and
// schemas/trace-report.schema.json. Plain data: the VS Code client and the language server import
// these types too.

/** What made the sockets of a site (a library's package name when one of the catalog's made them). */
export type TraceKind =
  | 'accepted'
  | 'client'
  | 'tls'
  | 'http'
  | 'https'
  | 'fetch'
  | 'undici'
  | string;

export interface TracedSite {
  /** Relative to the report's `cwd` when inside it, else absolute; `/` separators. Null when no frame was seen. */
  file: string | null;
  /** Absolute path of `file`, for editors. */
  path: string | null;
  /** 1-based, source-mapped when the app has source maps. */
  line: number | null;
  column: number | null;
  /** The function of that frame, when V8 names it. */
  function: string | null;
  /** True when every frame was in node_modules: `file` is then a library's line. */
  inLibrary: boolean;
  kind: TraceKind;
  /** The sockets were made with `allowHalfOpen: true` (an http server's own setting does not count). */
  halfOpen: boolean;
  /** Why there is no line: how the sockets were found when their creation was not seen; else null. */
  unseen: string | null;
  /** Sockets of the site by TCP state, at the last sample (for a process that has exited: as it exited). */
  states: Record<string, number>;
  closeWait: { count: number; oldestSeconds: number | null };
  /** Connections this side closed first, which the kernel keeps in TIME_WAIT for 60 s. */
  timeWait: { count: number; perSecond: number };
  sockets: { opened: number; closed: number; open: number; closedByThisSide: number };
  /** HTTP requests sent on the site's connections (http/https/fetch/undici). */
  requests: number;
  responses: number;
  /** Responses never read, cancelled or destroyed when garbage-collected or at exit. */
  unconsumedResponses: number;
  /** The most common peers (`address:port`), most sockets first, at most 3. */
  peers: string[];
  pids: number[];
  /** The static rule that describes what this site does wrong, with the figures; null when nothing is wrong. */
  rule: { id: string; message: string } | null;
}

export interface TracedProcess {
  pid: number;
  ppid: number;
  threadId: number;
  argv: string[];
  startedAt: string;
  exitedAt: string | null;
  exitCode: number | null;
  /** Client sockets found among its handles that no diagnostics channel reported (see `--all-sockets`). */
  unseenSockets: number;
}

export interface TraceReport {
  tool: 'linger trace';
  version: string;
  command: string[];
  cwd: string;
  startedAt: string;
  /** Null while the command runs (`--watch` with `--output`, SIGUSR2). */
  endedAt: string | null;
  durationSeconds: number;
  exitCode: number | null;
  signal: string | null;
  platform: string;
  /** `kernel`: states from /proc/net/tcp{,6} (Linux); `socket events`: from the sockets' own events. */
  stateSource: 'kernel' | 'socket events';
  intervalSeconds: number;
  processes: TracedProcess[];
  /** Sorted by CLOSE_WAIT count, then TIME_WAIT rate, then unconsumed responses. */
  sites: TracedSite[];
  warnings: string[];
}
