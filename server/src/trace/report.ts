// The model → the report of `--format json` (types.ts), sites sorted worst first.
import * as path from 'node:path';
import { VERSION } from '../core/version';
import type { SiteStats, TraceModel } from './model';
import { ruleOf } from './rules';
import type { TracedProcess, TracedSite, TraceReport } from './types';

export interface RunInfo {
  command: string[];
  cwd: string;
  startedAt: number;
  /** Null while the command runs. */
  endedAt: number | null;
  exitCode: number | null;
  signal: string | null;
  platform: string;
  intervalSeconds: number;
  warnings: string[];
}

export function buildTraceReport(model: TraceModel, run: RunInfo, now: number): TraceReport {
  const sites = [...model.sites.values()].filter((s) => s.opened > 0 || s.requests > 0).map((s) => siteReport(s, model, run.cwd, now));
  sites.sort(compareSites);
  const processes: TracedProcess[] = [...model.processes.values()].filter((p) => p.hello).map((p) => ({
    pid: p.hello!.pid,
    ppid: p.hello!.ppid,
    threadId: p.hello!.threadId,
    argv: p.hello!.argv,
    startedAt: new Date(p.hello!.t).toISOString(),
    exitedAt: p.exitedAt === null ? null : new Date(p.exitedAt).toISOString(),
    exitCode: p.exitCode,
    unseenSockets: p.unseenSockets,
  }));
  const end = run.endedAt ?? now;
  return {
    tool: 'linger trace',
    version: VERSION,
    command: run.command,
    cwd: run.cwd,
    startedAt: new Date(run.startedAt).toISOString(),
    endedAt: run.endedAt === null ? null : new Date(run.endedAt).toISOString(),
    durationSeconds: round((end - run.startedAt) / 1000, 3),
    exitCode: run.exitCode,
    signal: run.signal,
    platform: run.platform,
    stateSource: model.stateSource,
    intervalSeconds: run.intervalSeconds,
    processes,
    sites,
    warnings: run.warnings,
  };
}

function siteReport(site: SiteStats, model: TraceModel, cwd: string, now: number): TracedSite {
  const loc = site.location;
  const states: Record<string, number> = { ...site.exitedStates };
  let oldestMs = site.exitedOldestCloseWaitMs;
  let open = 0;
  for (const socket of site.live) {
    if (socket.closedAt === null) open++;
    if (!socket.state) continue;
    states[socket.state] = (states[socket.state] ?? 0) + 1;
    if (socket.state === 'CLOSE_WAIT' && socket.closeWaitSince !== null) oldestMs = Math.max(oldestMs ?? 0, now - socket.closeWaitSince);
  }
  const timeWaitCount = model.stateSource === 'kernel' ? site.timeWaitSeen : site.closedByThisSide;
  const spanMs = Math.max(1000, (site.lastCloseAt ?? now) - (site.firstOpenAt ?? now));
  const file = loc.path === null ? null : displayPath(loc.path, cwd);
  const figures = {
    file,
    path: loc.path === null ? null : loc.path.split(path.sep).join('/'),
    line: loc.line,
    column: loc.column,
    function: loc.function,
    inLibrary: loc.inLibrary,
    kind: loc.kind,
    halfOpen: site.halfOpen,
    unseen: loc.unseen,
    states: sortStates(states),
    closeWait: { count: states.CLOSE_WAIT ?? 0, oldestSeconds: oldestMs === null || !states.CLOSE_WAIT ? null : round(oldestMs / 1000, 1) },
    timeWait: { count: timeWaitCount, perSecond: round(timeWaitCount / (spanMs / 1000), 2) },
    sockets: { opened: site.opened, closed: site.closed, open, closedByThisSide: site.closedByThisSide },
    requests: site.requests,
    responses: site.responses,
    unconsumedResponses: site.unconsumed,
    peers: [...site.peers].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([peer]) => peer),
    pids: [...site.pids].sort((a, b) => a - b),
  };
  return { ...figures, rule: ruleOf(figures, siteName(figures)) };
}

/** `src/upstream.ts:42`, or what is known of a site without a line. */
export function siteName(site: Pick<TracedSite, 'file' | 'line' | 'kind' | 'peers'>): string {
  if (site.file !== null) return `${site.file}:${site.line}`;
  return `an unseen ${site.kind} site${site.peers[0] ? ` (to ${site.peers[0]})` : ''}`;
}

function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  return (inside ? rel : file).split(path.sep).join('/');
}

const STATE_ORDER = ['CLOSE_WAIT', 'TIME_WAIT', 'FIN_WAIT2', 'FIN_WAIT1', 'ESTABLISHED', 'LAST_ACK', 'CLOSING', 'SYN_SENT', 'SYN_RECV'];

function sortStates(states: Record<string, number>): Record<string, number> {
  const rank = (s: string) => (STATE_ORDER.includes(s) ? STATE_ORDER.indexOf(s) : STATE_ORDER.length);
  return Object.fromEntries(Object.entries(states).filter(([, n]) => n > 0).sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0])));
}

function compareSites(a: TracedSite, b: TracedSite): number {
  return b.closeWait.count - a.closeWait.count
    || b.timeWait.perSecond - a.timeWait.perSecond
    || b.unconsumedResponses - a.unconsumedResponses
    || (a.file ?? '\uffff').localeCompare(b.file ?? '\uffff')
    || (a.line ?? 0) - (b.line ?? 0)
    || a.kind.localeCompare(b.kind);
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
