// What `linger trace` knows: the traced processes, their sockets and the sites that made them,
// built from the journals and joined with the kernel's sockets by 4-tuple. A process that exits is
// folded into its sites' figures as it was when it exited, and its sockets are dropped.
import { canonicalAddress } from '../sockets/address';
import type { ProcTcpRow } from '../sockets/procNet';
import type { HelloRecord, JournalRecord } from './records';
import type { SiteLocation, SiteResolver } from './resolve';

/** Closed sockets are kept this long to catch them in TIME_WAIT (60 s on Linux) or FIN_WAIT2. */
export const CLOSED_RETENTION_MS = 120_000;
/**
 * At most this many closed sockets per process are kept (a client opening thousands of connections
 * a second): beyond it the oldest go first, once a sample has seen them.
 */
export const MAX_CLOSED_PER_PROCESS = 50_000;

export interface TracedSocket {
  site: SiteStats;
  tuple: string;
  peer: string;
  closedAt: number | null;
  peerEndedAt: number | null;
  /** The kernel's state at the last sample; null when not (or no longer) in the table. */
  state: string | null;
  closeWaitSince: number | null;
  timeWaitSeen: boolean;
  /** A kernel sample has looked at it since it closed. */
  sampled: boolean;
}

export class SiteStats {
  opened = 0;
  closed = 0;
  closedByThisSide = 0;
  requests = 0;
  responses = 0;
  unconsumed = 0;
  /** Closed sockets of this site seen in TIME_WAIT (kernel). */
  timeWaitSeen = 0;
  firstOpenAt: number | null = null;
  lastCloseAt: number | null = null;
  halfOpen = false;
  readonly peers = new Map<string, number>();
  readonly pids = new Set<number>();
  /** Sockets of running processes: open, or closed within CLOSED_RETENTION_MS. */
  readonly live = new Set<TracedSocket>();
  /** States of the sockets of exited processes, as they exited. */
  readonly exitedStates: Record<string, number> = {};
  exitedOldestCloseWaitMs: number | null = null;

  constructor(readonly location: SiteLocation) {}
}

export class TracedProcessState {
  hello: HelloRecord | null = null;
  readonly sites = new Map<number, SiteStats>();
  readonly sockets = new Map<number, TracedSocket>();
  exitedAt: number | null = null;
  exitCode: number | null = null;
  unseenSockets = 0;
  /** The process ended without an exit record (killed): its last known states are kept. */
  vanished = false;

  constructor(readonly key: string) {}

  get running(): boolean {
    return this.exitedAt === null && !this.vanished;
  }
}

export type StateSource = 'kernel' | 'socket events';

export class TraceModel {
  readonly sites = new Map<string, SiteStats>();
  readonly processes = new Map<string, TracedProcessState>();
  /** Journal lines that could not be understood. */
  badRecords = 0;

  constructor(
    private readonly resolver: SiteResolver,
    readonly stateSource: StateSource,
    /** Reads the rows an exiting process saved from /proc/net/tcp{,6}. */
    private readonly readExitRows: (file: string) => ProcTcpRow[] | null = () => null,
  ) {}

  process(key: string): TracedProcessState {
    let proc = this.processes.get(key);
    if (!proc) this.processes.set(key, (proc = new TracedProcessState(key)));
    return proc;
  }

  apply(key: string, record: JournalRecord): void {
    const proc = this.process(key);
    if (!proc.running && record[0] !== 'hello') return;
    switch (record[0]) {
      case 'hello':
        proc.hello = record[1];
        break;
      case 'site':
        proc.sites.set(record[1], this.siteOf(record[2], record[3]));
        break;
      case 'open': {
        const [, id, siteId, , localAddress, localPort, remoteAddress, remotePort, t, halfOpen] = record;
        const site = proc.sites.get(siteId);
        if (!site) return void this.badRecords++;
        const peer = `${canonicalAddress(remoteAddress)}:${remotePort}`;
        const socket: TracedSocket = {
          site, tuple: tupleKey(localAddress, localPort, remoteAddress, remotePort), peer,
          closedAt: null, peerEndedAt: null, state: null, closeWaitSince: null, timeWaitSeen: false, sampled: false,
        };
        proc.sockets.set(id, socket);
        site.live.add(socket);
        site.opened++;
        site.firstOpenAt ??= t;
        site.peers.set(peer, (site.peers.get(peer) ?? 0) + 1);
        if (proc.hello) site.pids.add(proc.hello.pid);
        if (halfOpen) site.halfOpen = true;
        if (this.stateSource === 'socket events') socket.state = 'ESTABLISHED';
        break;
      }
      case 'end': {
        const socket = proc.sockets.get(record[1]);
        if (!socket) return;
        socket.peerEndedAt = record[2];
        if (this.stateSource === 'socket events' && socket.closedAt === null) {
          socket.state = 'CLOSE_WAIT';
          socket.closeWaitSince = record[2];
        }
        break;
      }
      case 'close': {
        const socket = proc.sockets.get(record[1]);
        if (!socket || socket.closedAt !== null) return;
        socket.closedAt = record[2];
        socket.site.closed++;
        socket.site.lastCloseAt = record[2];
        if (record[3]) socket.site.closedByThisSide++;
        if (this.stateSource === 'socket events') socket.state = null;
        break;
      }
      case 'count': {
        const site = proc.sites.get(record[1]);
        if (!site) return void this.badRecords++;
        site.requests += record[2];
        site.responses += record[3];
        site.unconsumed += record[4];
        break;
      }
      case 'unseen':
        proc.unseenSockets += record[1];
        break;
      case 'tick':
        break;
      case 'exit': {
        const [, t, code, procFile] = record;
        const rows = procFile && this.stateSource === 'kernel' ? this.readExitRows(procFile) : null;
        if (rows) this.joinProcess(proc, indexRows(rows), t);
        proc.exitCode = code;
        this.retire(proc, t);
        proc.exitedAt = t;
        break;
      }
      default:
        this.badRecords++;
    }
  }

  /** A live sample of the kernel's sockets, for the processes still running. */
  sample(rows: readonly ProcTcpRow[], at: number): void {
    const index = indexRows(rows);
    for (const proc of this.processes.values()) if (proc.running) this.joinProcess(proc, index, at);
  }

  /** A process that is gone without an exit record (killed): keep what was last known. */
  vanish(key: string, at: number): void {
    const proc = this.processes.get(key);
    if (!proc || !proc.running) return;
    this.retire(proc, at);
    proc.vanished = true;
  }

  /** Forget closed sockets that can no longer be in TIME_WAIT, and the oldest beyond the cap. */
  sweep(at: number, maxClosed = MAX_CLOSED_PER_PROCESS): void {
    for (const proc of this.processes.values()) {
      let closed = 0;
      for (const socket of proc.sockets.values()) if (socket.closedAt !== null) closed++;
      // Map order is opening order: the oldest come first.
      for (const [id, socket] of proc.sockets) {
        if (socket.closedAt === null) continue;
        const expired = socket.closedAt < at - CLOSED_RETENTION_MS;
        const over = closed > maxClosed && (socket.sampled || this.stateSource !== 'kernel');
        if (!expired && !over) continue;
        proc.sockets.delete(id);
        socket.site.live.delete(socket);
        closed--;
      }
    }
  }

  private siteOf(hint: Parameters<SiteResolver['resolve']>[0], stack: string): SiteStats {
    const location = this.resolver.resolve(hint, stack);
    let site = this.sites.get(location.key);
    if (!site) this.sites.set(location.key, (site = new SiteStats(location)));
    return site;
  }

  private joinProcess(proc: TracedProcessState, index: ReadonlyMap<string, string>, at: number): void {
    for (const socket of proc.sockets.values()) {
      const state = index.get(socket.tuple) ?? null;
      socket.state = state;
      if (socket.closedAt !== null) socket.sampled = true;
      // Node read the peer's FIN when it emitted 'end': CLOSE_WAIT began then, if it did.
      if (state === 'CLOSE_WAIT') socket.closeWaitSince ??= Math.min(socket.peerEndedAt ?? at, at);
      else socket.closeWaitSince = null;
      if (state === 'TIME_WAIT' && !socket.timeWaitSeen) {
        socket.timeWaitSeen = true;
        socket.site.timeWaitSeen++;
      }
    }
  }

  /** Fold a process's sockets into their sites' exited figures and drop them. */
  private retire(proc: TracedProcessState, at: number): void {
    for (const socket of proc.sockets.values()) {
      const site = socket.site;
      site.live.delete(socket);
      if (!socket.state) continue;
      site.exitedStates[socket.state] = (site.exitedStates[socket.state] ?? 0) + 1;
      if (socket.state === 'CLOSE_WAIT' && socket.closeWaitSince !== null) {
        site.exitedOldestCloseWaitMs = Math.max(site.exitedOldestCloseWaitMs ?? 0, at - socket.closeWaitSince);
      }
    }
    proc.sockets.clear();
  }
}

/** `local>remote` with canonical addresses, as both Node and /proc spell them. */
export function tupleKey(localAddress: string, localPort: number, remoteAddress: string, remotePort: number): string {
  return `${canonicalAddress(localAddress)}:${localPort}>${canonicalAddress(remoteAddress)}:${remotePort}`;
}

function indexRows(rows: readonly ProcTcpRow[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const row of rows) {
    if (row.state === 'LISTEN') continue;
    index.set(tupleKey(row.localAddress, row.localPort, row.remoteAddress, row.remotePort), row.state);
  }
  return index;
}
