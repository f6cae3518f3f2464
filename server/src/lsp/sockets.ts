// `linger/sockets`: the machine's TCP sockets by service, as `linger sockets --format json` reports
// them, with the workspace's listen() sites on inbound services. The server runs where the
// workspace is (over VS Code Remote too), so these are that machine's sockets. A platform or a
// /proc that cannot be read is an answer (`ok: false` with the reason), never an error or silence.
import { buildReport, collectSockets, nodeSystem, normaliseState, type CodeSites, type SystemAccess } from '../sockets';
import { SocketsParams, SocketsResult } from '../protocol';
import type { ServerContext } from './context';
import { invalidParams, isObject } from './guards';
import { isUdpListener } from './inventory';

/** How long a request waits for the listener inventory; later requests get the rest. */
export const SOCKETS_INVENTORY_WAIT_MS = 1000;

export async function liveSockets(ctx: ServerContext, params: SocketsParams | undefined, system: SystemAccess = nodeSystem): Promise<SocketsResult> {
  const p: Record<string, unknown> = isObject(params) ? { ...params } : {};
  let port: number | undefined;
  if (p.port !== undefined && p.port !== null) {
    if (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 0 || p.port > 65535) throw invalidParams('port must be an integer from 0 to 65535');
    port = p.port;
  }
  let state: ReturnType<typeof normaliseState> | undefined;
  if (p.state !== undefined && p.state !== null) {
    state = typeof p.state === 'string' ? normaliseState(p.state) : null;
    if (!state) throw invalidParams(`unknown TCP state ${JSON.stringify(p.state)}`);
  }
  const platform = system.platform;
  let snapshot;
  try {
    snapshot = await collectSockets(system);
  } catch (e) {
    const reason = (e as Error)?.message ?? String(e);
    ctx.log(`sockets: ${reason}`);
    return { ok: false, platform, reason };
  }
  const takenAt = Date.now();
  const inventory = await ctx.inventory.get(SOCKETS_INVENTORY_WAIT_MS);
  const sites: CodeSites = {
    listeners: inventory.all.filter((l) => !isUdpListener(l)).map((l) => ({ file: l.file, line: l.line, port: l.port })),
    // The core has no inventory of outbound connection sites yet.
    outbound: [],
  };
  const { report } = buildReport(snapshot, { port, state: state ?? undefined }, sites);
  return {
    ok: true,
    platform,
    takenAt,
    report: p.includeSockets === true ? report : { ...report, sockets: [] },
    socketCount: snapshot.sockets.length,
    warnings: snapshot.warnings,
    inventory: { source: inventory.source, partial: inventory.partial, listeners: inventory.listeners },
  };
}
