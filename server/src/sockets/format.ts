import { serviceKey } from './group';
import type { BuiltReport, SocketFilters } from './report';
import type { Service } from './types';

export const CLOSE_WAIT_HINT =
  'CLOSE_WAIT is fixed in code: the application never called close()/destroy() — see docs/close-wait.md';

/** TIME_WAIT counts this high, or this share of the ephemeral range, earn the tuning hint. */
export const HIGH_TIME_WAIT = 1000;
export const HIGH_EPHEMERAL_SHARE = 0.1;

export interface TextOptions {
  /** serviceKey → CLOSE_WAIT growth since the previous sample (watch mode); > 0 gets ▲. */
  growth?: ReadonlyMap<string, number>;
  filters?: SocketFilters;
}

export function formatText(built: BuiltReport, options: TextOptions = {}): string {
  const { report, ephemeral } = built;
  const lines: string[] = [];
  if (report.services.length === 0) lines.push(`no TCP sockets${describeFilters(options.filters)}`);
  const portWidth = Math.max(0, ...report.services.map((s) => String(s.port).length + 1));
  for (const service of report.services) {
    lines.push(serviceLine(service, portWidth, options.growth?.get(serviceKey(service)) ?? 0));
  }

  const [low, high] = report.ephemeralRange;
  const users = ephemeral.byState.map(([state, n]) => `${state} ${n}`).join(' + ');
  lines.push(
    users
      ? `${users} sockets using ${ephemeral.portsInUse} of the ${ephemeral.rangeSize} ephemeral ports (${low}-${high})`
      : `no outbound sockets using the ${ephemeral.rangeSize} ephemeral ports (${low}-${high})`,
  );

  const closeWait = sum(report.services, 'CLOSE_WAIT');
  const timeWait = sum(report.services, 'TIME_WAIT');
  if (closeWait > 0) lines.push(CLOSE_WAIT_HINT);
  const ephemeralTimeWait = ephemeral.byState.find(([state]) => state === 'TIME_WAIT')?.[1] ?? 0;
  if (timeWait >= HIGH_TIME_WAIT || ephemeralTimeWait >= ephemeral.rangeSize * HIGH_EPHEMERAL_SHARE) {
    lines.push(
      `TIME_WAIT is high (${timeWait}): the side that closes first keeps each connection 60 s (TCP_TIMEWAIT_LEN); ` +
        'reuse connections (keep-alive agents, pools) rather than opening one per request — see docs/time-wait.md and docs/sysctl.md',
    );
  }
  return lines.join('\n') + '\n';
}

function serviceLine(service: Service, portWidth: number, growth: number): string {
  const fields = [service.direction.padEnd(8), `:${service.port}`.padEnd(portWidth)];
  for (const [state, count] of Object.entries(service.states)) {
    fields.push(state === 'CLOSE_WAIT' && growth > 0 ? `${state} ${count} ▲+${growth}` : `${state} ${count}`);
  }
  if (service.processes.length > 0) {
    const shown = service.processes.slice(0, 3).map((p) => `${p.command}(${p.pid})`);
    if (service.processes.length > 3) shown.push(`+${service.processes.length - 3} more`);
    fields.push(shown.join(','));
  }
  if (service.code.length > 0) fields.push(service.code.map((c) => `${c.file}:${c.line}`).join(', '));
  // Two spaces between fields, but the direction column already carries its padding.
  return `${fields[0]} ${fields.slice(1).join('  ')}`.trimEnd();
}

function sum(services: readonly Service[], state: string): number {
  return services.reduce((total, s) => total + (s.states[state] ?? 0), 0);
}

function describeFilters(filters: SocketFilters | undefined): string {
  const parts: string[] = [];
  if (filters?.port !== undefined) parts.push(`on port ${filters.port}`);
  if (filters?.state !== undefined) parts.push(`in ${filters.state}`);
  return parts.length > 0 ? ` ${parts.join(' ')}` : '';
}
