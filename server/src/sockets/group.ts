import { stateRank } from './states';
import type { Direction, Service, SocketRow } from './types';

/** The local ports that have a LISTEN socket: connections on them are inbound. */
export function listeningPorts(sockets: readonly SocketRow[]): Set<number> {
  return new Set(sockets.filter((s) => s.state === 'LISTEN').map((s) => s.localPort));
}

export interface Classified {
  direction: Direction;
  port: number;
}

/**
 * A socket is inbound to its local port when that port listens on this host, and outbound to
 * its remote port otherwise. One fallback: a server that stopped listening (server.close())
 * can still hold accepted sockets, often in CLOSE_WAIT; when the local port lies outside the
 * ephemeral range and the remote port inside it, the socket was accepted, not dialled.
 */
export function classify(socket: SocketRow, listening: ReadonlySet<number>, ephemeral: readonly [number, number]): Classified {
  if (listening.has(socket.localPort)) return { direction: 'inbound', port: socket.localPort };
  const inRange = (port: number) => port >= ephemeral[0] && port <= ephemeral[1];
  if (socket.state !== 'LISTEN' && !inRange(socket.localPort) && inRange(socket.remotePort)) {
    return { direction: 'inbound', port: socket.localPort };
  }
  return { direction: 'outbound', port: socket.remotePort };
}

export function serviceKey(service: { direction: Direction; port: number }): string {
  return `${service.direction}:${service.port}`;
}

/**
 * Groups sockets into services with per-state counts. `listening` must come from the
 * unfiltered socket list, or `--state CLOSE_WAIT` would hide the LISTEN rows and turn every
 * inbound socket into an outbound one.
 */
export function groupServices(
  sockets: readonly SocketRow[],
  listening: ReadonlySet<number>,
  ephemeral: readonly [number, number],
  commands: ReadonlyMap<number, string>,
): Service[] {
  const byKey = new Map<string, { service: Service; pids: Set<number> }>();
  for (const socket of sockets) {
    const { direction, port } = classify(socket, listening, ephemeral);
    const key = serviceKey({ direction, port });
    let entry = byKey.get(key);
    if (!entry) {
      entry = { service: { direction, port, states: {}, processes: [], code: [] }, pids: new Set() };
      byKey.set(key, entry);
    }
    entry.service.states[socket.state] = (entry.service.states[socket.state] ?? 0) + 1;
    if (socket.pid !== null) entry.pids.add(socket.pid);
  }

  const services = [...byKey.values()].map(({ service, pids }) => ({
    ...service,
    states: orderStates(service.states),
    processes: [...pids].sort((a, b) => a - b).map((pid) => ({ pid, command: commands.get(pid) ?? '?' })),
  }));
  return services.sort(compareServices);
}

/** CLOSE_WAIT and TIME_WAIT always appear (0 is an answer), first; then the other states seen. */
function orderStates(counts: Record<string, number>): Record<string, number> {
  const ordered: Record<string, number> = { CLOSE_WAIT: counts.CLOSE_WAIT ?? 0, TIME_WAIT: counts.TIME_WAIT ?? 0 };
  const rest = Object.keys(counts)
    .filter((state) => !(state in ordered))
    .sort((a, b) => stateRank(a) - stateRank(b) || a.localeCompare(b));
  for (const state of rest) ordered[state] = counts[state];
  return ordered;
}

function compareServices(a: Service, b: Service): number {
  return (
    (b.states.CLOSE_WAIT ?? 0) - (a.states.CLOSE_WAIT ?? 0) ||
    (b.states.TIME_WAIT ?? 0) - (a.states.TIME_WAIT ?? 0) ||
    total(b) - total(a) ||
    a.port - b.port ||
    a.direction.localeCompare(b.direction)
  );
}

const total = (service: Service) => Object.values(service.states).reduce((sum, n) => sum + n, 0);
