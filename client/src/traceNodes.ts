// The traced sites in the Live Sockets view: one group for the last `linger trace` run, one row per
// site (worst first) with its figures; a click opens the creating line.
import * as vscode from 'vscode';
import type { TracedSite, TraceReport } from '../../server/src/trace/types';

export type TraceNode =
  | { kind: 'trace'; report: TraceReport; running: boolean }
  | { kind: 'traceSite'; site: TracedSite; index: number };

/** Sites listed under the group; the report file has them all. */
export const MAX_TRACE_SITES = 50;

export function traceChildren(node: TraceNode): TraceNode[] {
  if (node.kind !== 'trace') return [];
  return node.report.sites.slice(0, MAX_TRACE_SITES).map((site, index) => ({ kind: 'traceSite', site, index }));
}

export function traceItem(node: TraceNode): vscode.TreeItem {
  return node.kind === 'trace' ? groupItem(node.report, node.running) : siteItem(node.site, node.index);
}

function groupItem(report: TraceReport, running: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(`Traced: ${report.command.join(' ')}`, vscode.TreeItemCollapsibleState.Expanded);
  item.id = 'trace';
  const closeWait = report.sites.filter((s) => s.closeWait.count > 0).length;
  const state = running && report.endedAt === null ? 'running' : report.signal ? `ended by ${report.signal}` : `exited ${report.exitCode ?? '?'}`;
  item.description = `${state} · ${report.sites.length} site${report.sites.length === 1 ? '' : 's'}${closeWait ? ` · ${closeWait} with CLOSE_WAIT` : ''}`;
  item.iconPath = new vscode.ThemeIcon(running && report.endedAt === null ? 'debug-start' : 'debug-stop');
  item.contextValue = 'trace';
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**linger trace** \`${report.command.join(' ')}\`\n\n${report.durationSeconds.toFixed(1)} s, ${report.processes.length} process${report.processes.length === 1 ? '' : 'es'}; states ${report.stateSource === 'kernel' ? 'from the kernel' : "from the sockets' own events"}.\n`);
  for (const w of report.warnings) md.appendMarkdown(`\n- ${w}`);
  item.tooltip = md;
  return item;
}

/** `server.ts:12` — `accepted · CLOSE_WAIT 4 · TIME_WAIT 0 · unconsumed 3/3`. */
export function traceSiteLabel(site: TracedSite): string {
  return site.file !== null ? `${site.file}:${site.line}` : `(unseen ${site.kind} site)`;
}

export function traceSiteDescription(site: TracedSite): string {
  const parts = [site.kind, `CLOSE_WAIT ${site.closeWait.count}`, `TIME_WAIT ${site.timeWait.count}${site.timeWait.count ? ` (${site.timeWait.perSecond}/s)` : ''}`];
  if (site.responses > 0 || site.unconsumedResponses > 0) parts.push(`unconsumed ${site.unconsumedResponses}/${Math.max(site.responses, site.unconsumedResponses)}`);
  return parts.join(' · ');
}

function siteItem(site: TracedSite, index: number): vscode.TreeItem {
  const item = new vscode.TreeItem(traceSiteLabel(site), vscode.TreeItemCollapsibleState.None);
  item.id = `trace:site:${index}:${site.path ?? site.kind}:${site.line ?? ''}`;
  item.description = traceSiteDescription(site);
  item.accessibilityInformation = { label: `${item.label}, ${item.description}` };
  const bad = site.closeWait.count > 0 || site.unconsumedResponses > 0;
  item.iconPath = bad
    ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
    : site.rule
      ? new vscode.ThemeIcon('watch', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : new vscode.ThemeIcon(site.kind === 'accepted' ? 'plug' : 'arrow-right');
  item.contextValue = ['traceSite', site.closeWait.count ? 'closeWait' : '', site.timeWait.count ? 'timeWait' : ''].filter(Boolean).join(' ');
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${traceSiteLabel(site)}**${site.function ? ` in \`${site.function}\`` : ''} (${site.kind})\n\n`);
  if (site.rule) md.appendMarkdown(`${site.rule.message} — \`${site.rule.id}\`\n\n`);
  if (site.unseen) md.appendMarkdown(`${site.unseen}\n\n`);
  md.appendMarkdown(Object.entries(site.states).map(([state, n]) => `- ${state}: ${n}`).join('\n'));
  md.appendMarkdown(`\n\n${site.sockets.opened} opened, ${site.sockets.closed} closed (${site.sockets.closedByThisSide} by this side)`);
  if (site.peers.length) md.appendMarkdown(`; peers ${site.peers.join(', ')}`);
  item.tooltip = md;
  if (site.path !== null && site.line !== null) {
    const line = site.line - 1;
    const column = Math.max(0, (site.column ?? 1) - 1);
    item.command = {
      title: 'Open the creating line',
      command: 'vscode.open',
      arguments: [vscode.Uri.file(site.path), { selection: new vscode.Range(line, column, line, column) } satisfies vscode.TextDocumentShowOptions],
    };
  }
  return item;
}
