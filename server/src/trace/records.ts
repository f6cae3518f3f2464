// The journal a traced process writes and `linger trace` reads: one JSON array per line, appended
// to `<LINGER_TRACE_DIR>/<pid>-<threadId>-<start time>.jsonl` every interval and at exit. Types only, so the
// preload imports nothing from here at run time.

/** How the preload learned of a socket (the parent refines it with the stack). */
export type KindHint =
  /** `net.client.socket`: `net.connect`/`createConnection`, also under http's Agent and undici. */
  | 'connect'
  /** `net.server.socket`: accepted by a server whose `listen()` site is the site. */
  | 'accept'
  /** `undici:client:beforeConnect`/`connected`: a fetch or undici connection. */
  | 'undici'
  /** First seen on an `http`/`https` client request (its socket came from no channel). */
  | 'http'
  | 'https'
  /** Found by `--all-sockets` (async_hooks) where no channel reports the socket. */
  | 'handle'
  /** Found among the process's active handles, created where no channel reports it. */
  | 'unseen';

export interface HelloRecord {
  pid: number;
  ppid: number;
  threadId: number;
  argv: string[];
  cwd: string;
  node: string;
  platform: string;
  /** Milliseconds since the epoch. */
  t: number;
}

export type JournalRecord =
  | ['hello', HelloRecord]
  /** A distinct creation stack: `stack` is V8's text from the first frame to the first frame of the app ('' when unknown). */
  | ['site', siteId: number, hint: KindHint, stack: string]
  /** A socket connected (or accepted): its 4-tuple as Node reports it. `halfOpen` is `allowHalfOpen`. */
  | ['open', socketId: number, siteId: number, hint: KindHint, localAddress: string, localPort: number, remoteAddress: string, remotePort: number, t: number, halfOpen: 0 | 1]
  /** The peer's FIN was read (`'end'`). */
  | ['end', socketId: number, t: number]
  /** The socket closed; `byThisSide` when it closed before the peer's FIN and without error (it will sit in TIME_WAIT). */
  | ['close', socketId: number, t: number, byThisSide: 0 | 1]
  /** Counters since the previous `count` of the same site. */
  | ['count', siteId: number, requests: number, responses: number, unconsumed: number]
  /** Client sockets among the active handles that no channel reported (they are observed from now on). */
  | ['unseen', count: number, t: number]
  | ['tick', t: number]
  /** The process is exiting; `procFile` holds its /proc/net/tcp{,6} at that moment (Linux). */
  | ['exit', t: number, code: number, procFile: string | null];

/** Environment variables the parent sets for the preload. */
export const ENV_DIR = 'LINGER_TRACE_DIR';
export const ENV_INTERVAL = 'LINGER_TRACE_INTERVAL_MS';
export const ENV_ALL_SOCKETS = 'LINGER_TRACE_ALL_SOCKETS';
