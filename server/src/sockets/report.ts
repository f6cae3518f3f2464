import { attachCode } from './correlate';
import { classify, groupServices, listeningPorts } from './group';
import { stateRank } from './states';
import type { CodeSites, SocketReport, SocketRow, SocketSnapshot, TcpState } from './types';

export interface SocketFilters {
  /** Keep sockets whose local or remote port is this one. */
  port?: number;
  state?: TcpState;
}

/** Ephemeral-port usage by the outbound sockets of the report (text output only). */
export interface EphemeralUsage {
  /** Distinct local ports inside the range held by outbound sockets. */
  portsInUse: number;
  rangeSize: number;
  /** Outbound sockets on those ports, by state, CLOSE_WAIT and TIME_WAIT first. */
  byState: Array<[string, number]>;
}

export interface BuiltReport {
  report: SocketReport;
  ephemeral: EphemeralUsage;
}

export function buildReport(
  snapshot: SocketSnapshot,
  filters: SocketFilters = {},
  sites?: CodeSites,
  cwd?: string,
): BuiltReport {
  const listening = listeningPorts(snapshot.sockets);
  const range = snapshot.ephemeralRange;
  const sockets = snapshot.sockets.filter((s) => matches(s, filters)).sort(compareSockets);
  let services = groupServices(sockets, listening, range, snapshot.commands);
  if (sites) services = attachCode(services, sites, { cwd, sockets, listening, ephemeralRange: range });
  return {
    report: { ephemeralRange: [range[0], range[1]], services, sockets },
    ephemeral: ephemeralUsage(sockets, listening, range),
  };
}

function matches(socket: SocketRow, filters: SocketFilters): boolean {
  if (filters.port !== undefined && socket.localPort !== filters.port && socket.remotePort !== filters.port) return false;
  if (filters.state !== undefined && socket.state !== filters.state) return false;
  return true;
}

function compareSockets(a: SocketRow, b: SocketRow): number {
  return stateRank(a.state) - stateRank(b.state) || a.localPort - b.localPort || a.remotePort - b.remotePort;
}

function ephemeralUsage(sockets: readonly SocketRow[], listening: ReadonlySet<number>, range: readonly [number, number]): EphemeralUsage {
  const ports = new Set<number>();
  const counts = new Map<string, number>();
  for (const socket of sockets) {
    if (socket.localPort < range[0] || socket.localPort > range[1]) continue;
    if (classify(socket, listening, range).direction !== 'outbound') continue;
    ports.add(socket.localPort);
    counts.set(socket.state, (counts.get(socket.state) ?? 0) + 1);
  }
  const byState = [...counts].sort((a, b) => stateRank(a[0]) - stateRank(b[0]));
  return { portsInUse: ports.size, rangeSize: range[1] - range[0] + 1, byState };
}
