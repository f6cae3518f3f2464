// Plain data shared by the socket readers, the report builder and the CLI. Nothing here touches
// the system, so the language server and the VS Code view can import it freely.

/** TCP states, named as Linux names them in /proc/net/tcp (include/net/tcp_states.h). */
export type TcpState =
  | 'ESTABLISHED'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'TIME_WAIT'
  | 'CLOSE'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'LISTEN'
  | 'CLOSING';

/** One TCP socket as the report's `sockets[]` shows it. */
export interface SocketRow {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** A TcpState, or the raw upper-cased text when a tool printed a state we do not know. */
  state: string;
  pid: number | null;
}

export interface ProcessRef {
  pid: number;
  command: string;
}

export interface CodeRef {
  file: string;
  line: number;
}

export type Direction = 'inbound' | 'outbound';

export interface Service {
  direction: Direction;
  port: number;
  states: Record<string, number>;
  processes: ProcessRef[];
  code: CodeRef[];
}

/** The exact JSON printed by `linger sockets --format json`. */
export interface SocketReport {
  ephemeralRange: [number, number];
  services: Service[];
  sockets: SocketRow[];
}

/** A `listen()` site found by the analysis core. */
export interface ListenerSite {
  file: string;
  line: number;
  port: number | null;
}

/** An outbound connection site (`net.connect`, `http.request`, ...) found by the analysis core. */
export interface OutboundSite {
  file: string;
  line: number;
  port: number | null;
  host: string | null;
}

export interface CodeSites {
  listeners: ListenerSite[];
  outbound: OutboundSite[];
}

/** What a platform reader returns before filtering and grouping. */
export interface SocketSnapshot {
  sockets: SocketRow[];
  /** pid → command name, for the pids that own at least one socket. */
  commands: Map<number, string>;
  ephemeralRange: [number, number];
  /** Things the user should know (owners unreadable, defaults assumed); printed on stderr. */
  warnings: string[];
}
