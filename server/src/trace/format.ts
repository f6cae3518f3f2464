// The report as a table for a terminal: worst sites first, each with the rule that describes it.
import { siteName } from './report';
import { formatRate } from './rules';
import type { TracedSite, TraceReport } from './types';

/** Sites printed; the rest are summed up in one line (the JSON report has them all). */
export const MAX_ROWS = 30;

export function formatTraceText(report: TraceReport): string {
  const lines: string[] = [header(report)];
  for (const w of report.warnings) lines.push(`  note: ${w}`);
  const unseen = report.processes.reduce((n, p) => n + p.unseenSockets, 0);
  if (unseen > 0) lines.push(`  note: ${unseen} client socket${unseen === 1 ? ' was' : 's were'} created where no diagnostics channel reports it; rerun with --all-sockets for ${unseen === 1 ? 'its line' : 'their lines'}`);
  if (report.sites.length === 0) {
    lines.push('  no TCP socket was opened or accepted');
    return `${lines.join('\n')}\n`;
  }
  const rows = report.sites.slice(0, MAX_ROWS).map(row);
  const head = ['CLOSE_WAIT', 'TIME_WAIT', 'ESTAB', 'unconsumed', 'kind', 'site'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i].length)));
  const render = (cells: string[]) => cells.map((c, i) => (i < 4 ? c.padStart(widths[i]) : i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  lines.push(`  ${render(head)}`);
  for (const r of rows) {
    lines.push(`  ${render(r.cells)}`);
    if (r.note) lines.push(`      ↳ ${r.note}`);
  }
  if (report.sites.length > MAX_ROWS) lines.push(`  … ${report.sites.length - MAX_ROWS} more sites (--format json lists them all)`);
  return `${lines.join('\n')}\n`;
}

function header(r: TraceReport): string {
  const command = r.command.join(' ');
  const status = r.endedAt === null ? 'running' : r.signal ? `killed by ${r.signal}` : `exit code ${r.exitCode}`;
  const source = r.stateSource === 'kernel' ? `states from /proc/net/tcp every ${r.intervalSeconds} s` : "states from the sockets' own events (no kernel join on this platform)";
  const processes = r.processes.length === 1 ? '1 process' : `${r.processes.length} processes`;
  return `linger trace: ${command} — ${r.durationSeconds.toFixed(1)} s, ${status}, ${processes}, ${source}`;
}

function row(site: TracedSite): { cells: string[]; note: string | null } {
  // The age is a lower bound (since Node read the FIN, or the first sample that saw it): shown from 1 s.
  const age = site.closeWait.oldestSeconds;
  const cw = site.closeWait.count > 0 && age !== null && age >= 1 ? `${site.closeWait.count} (${formatAge(age)})` : String(site.closeWait.count);
  const tw = site.timeWait.count > 0 ? `${site.timeWait.count} (${formatRate(site.timeWait.perSecond)}/s)` : '0';
  const unconsumed = site.responses > 0 || site.unconsumedResponses > 0 ? `${site.unconsumedResponses}/${Math.max(site.responses, site.unconsumedResponses)}` : '-';
  const name = siteName(site) + (site.function ? ` (${site.function})` : '') + (site.inLibrary ? ' [library]' : '');
  const note = site.rule ? `${site.rule.id}: ${site.rule.message}` : site.unseen;
  return { cells: [cw, tw, String(site.states.ESTABLISHED ?? 0), unconsumed, site.kind, name], note };
}

function formatAge(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
