// The "Live Sockets" view: this machine's TCP sockets by service (inbound to a local listening
// port, outbound to a remote port), with state counts (CLOSE_WAIT and TIME_WAIT first), read by the
// language server (`linger/sockets`) every `linger.sockets.refreshSeconds` — on the machine the
// workspace is on, also over VS Code Remote. It can be paused, badges growing CLOSE_WAIT, links
// each port to its listen() site, and offers the CLOSE_WAIT / TIME_WAIT explanations. When the
// sockets cannot be read, the reason is the view's only item.
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS, SOCKETS_REQUEST, SocketsParams, SocketsResult } from '../../server/src/protocol';
import type { CodeRef, ProcessRef, Service } from '../../server/src/sockets/types';
import type { TraceReport } from '../../server/src/trace/types';
import { traceChildren, traceItem, type TraceNode } from './traceNodes';

export const LIVE_SOCKETS_VIEW = 'linger.liveSockets';
/** Context keys: the view has been started at least once; it is paused. */
const RUNNING_CONTEXT = 'linger.sockets.running';
const PAUSED_CONTEXT = 'linger.sockets.paused';
/** Services listed; the rest are summed up in one item. */
export const MAX_SERVICES = 100;
/** While the view is hidden it refreshes this many times less often (the badge still rises). */
const HIDDEN_SLOWDOWN = 5;

type Node =
  | { kind: 'message'; id: string; text: string; detail?: string; icon: vscode.ThemeIcon; tooltip?: string }
  | { kind: 'notes'; notes: string[] }
  | { kind: 'note'; id: string; text: string }
  | { kind: 'service'; service: Service; growth: number }
  | { kind: 'state'; service: Service; state: string; count: number }
  | { kind: 'code'; service: Service; code: CodeRef }
  | { kind: 'process'; service: Service; process: ProcessRef }
  | { kind: 'more'; count: number }
  | TraceNode;

type ViewState =
  | { kind: 'idle' }
  | { kind: 'waiting'; reason: string }
  | { kind: 'failed'; reason: string; platform?: string }
  | { kind: 'report'; result: Extract<SocketsResult, { ok: true }>; growth: Map<string, number> };

const serviceKey = (s: { direction: string; port: number }) => `${s.direction}:${s.port}`;

export class LiveSocketsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  readonly treeView: vscode.TreeView<Node>;
  private state: ViewState = { kind: 'idle' };
  private changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private running = false;
  private paused = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private previousCloseWait: Map<string, number> | undefined;
  /** The badge: CLOSE_WAIT growth of the last refresh, or summed over the refreshes the view was hidden for. */
  private badgeValue = 0;
  private badgeWhileHidden = false;
  private disposables: vscode.Disposable[] = [];
  /** The last `linger trace` run of "Linger: Trace a Command…", shown above the services. */
  private trace: { report: TraceReport; running: boolean } | undefined;

  constructor(private client: LanguageClient) {
    this.treeView = vscode.window.createTreeView(LIVE_SOCKETS_VIEW, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.treeView,
      this.changed,
      this.treeView.onDidChangeVisibility((e) => {
        if (e.visible && !this.running) this.start();
        // Seen again after a slow hidden period: show the present at once.
        else if (e.visible && !this.paused) void this.refresh();
        else this.schedule();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('linger.sockets.refreshSeconds')) {
          this.renderChrome();
          this.schedule();
        }
      }),
    );
    if (this.treeView.visible) this.start();
  }

  /** "Linger: Show Live Socket States": reveal the view, resume if paused, refresh now. */
  async show(): Promise<void> {
    await vscode.commands.executeCommand(`${LIVE_SOCKETS_VIEW}.focus`);
    if (this.paused) await this.setPaused(false);
    this.start();
    await this.refresh();
  }

  /** Shows (or, with undefined, clears) the sites of a trace run. */
  setTrace(report: TraceReport | undefined, running: boolean): void {
    this.trace = report ? { report, running } : undefined;
    this.changed.fire(undefined);
  }

  async pause(): Promise<void> {
    await this.setPaused(true);
  }

  async resume(): Promise<void> {
    await this.setPaused(false);
    this.start();
    await this.refresh();
  }

  /** Read the sockets now (the toolbar button, and every tick). */
  refresh(): Promise<void> {
    // One request at a time: a slow /proc scan must not pile up requests.
    this.inFlight ??= this.tick().finally(() => {
      this.inFlight = undefined;
      this.schedule();
    });
    return this.inFlight;
  }

  private start(): void {
    if (!this.running) {
      this.running = true;
      void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, true);
      void vscode.commands.executeCommand('setContext', PAUSED_CONTEXT, this.paused);
    }
    this.renderChrome();
    if (!this.paused && this.state.kind === 'idle') void this.refresh();
    else this.schedule();
  }

  private async setPaused(paused: boolean): Promise<void> {
    this.paused = paused;
    await vscode.commands.executeCommand('setContext', PAUSED_CONTEXT, paused);
    this.renderChrome();
    this.schedule();
  }

  private refreshSeconds(): number {
    const v = vscode.workspace.getConfiguration('linger').get<number>('sockets.refreshSeconds', 3);
    return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.min(v, 3600) : 3;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running || this.paused || this.inFlight) return;
    const ms = this.refreshSeconds() * 1000 * (this.treeView.visible ? 1 : HIDDEN_SLOWDOWN);
    this.timer = setTimeout(() => void this.refresh(), ms);
  }

  private async tick(): Promise<void> {
    if (!this.client.isRunning()) {
      this.state = { kind: 'waiting', reason: 'The Linger language server is not running yet (or stopped); retrying.' };
      this.render();
      return;
    }
    let result: SocketsResult;
    try {
      result = await this.client.sendRequest<SocketsResult>(SOCKETS_REQUEST, {} satisfies SocketsParams);
    } catch (e) {
      this.state = { kind: 'failed', reason: `the request to the Linger language server failed: ${(e as Error)?.message ?? String(e)}` };
      this.render();
      return;
    }
    if (!result || typeof result !== 'object' || !('ok' in result)) {
      this.state = { kind: 'failed', reason: 'the Linger language server sent no socket report' };
    } else if (!result.ok) {
      this.state = { kind: 'failed', reason: result.reason, platform: result.platform };
    } else {
      const growth = this.growthOf(result.report.services);
      const grew = [...growth.values()].reduce((a, b) => a + b, 0);
      if (this.treeView.visible) {
        this.badgeValue = grew;
        this.badgeWhileHidden = false;
      } else {
        // Nobody is looking: keep counting until the view is seen again.
        this.badgeValue = (this.badgeWhileHidden ? this.badgeValue : 0) + grew;
        this.badgeWhileHidden = this.badgeValue > 0;
      }
      this.state = { kind: 'report', result, growth };
    }
    this.render();
  }

  /** CLOSE_WAIT growth per service since the previous successful refresh. */
  private growthOf(services: Service[]): Map<string, number> {
    const now = new Map(services.map((s) => [serviceKey(s), s.states.CLOSE_WAIT ?? 0]));
    const growth = new Map<string, number>();
    if (this.previousCloseWait) {
      for (const [key, count] of now) {
        const before = this.previousCloseWait.get(key) ?? 0;
        if (count > before) growth.set(key, count - before);
      }
    }
    this.previousCloseWait = now;
    return growth;
  }

  private render(): void {
    this.renderChrome();
    this.changed.fire(undefined);
  }

  /** Description, message and badge of the view itself. */
  private renderChrome(): void {
    const every = `every ${this.refreshSeconds()} s`;
    this.treeView.description = this.paused ? 'paused' : this.running ? every : undefined;
    const s = this.state;
    if (s.kind !== 'report') {
      this.treeView.message = undefined;
      this.treeView.badge = undefined;
      return;
    }
    const r = s.result;
    const time = new Date(r.takenAt).toLocaleTimeString();
    const services = r.report.services.length;
    this.treeView.message = `${this.paused ? 'Paused at' : 'Updated'} ${time} · ${services} service${services === 1 ? '' : 's'} · ${r.socketCount} sockets · ephemeral ports ${r.report.ephemeralRange[0]}–${r.report.ephemeralRange[1]}`;
    const value = this.badgeValue;
    this.treeView.badge = value > 0
      ? { value, tooltip: `CLOSE_WAIT grew by ${value} socket${value === 1 ? '' : 's'}${this.badgeWhileHidden ? ' while this view was hidden' : ' since the last refresh'}` }
      : undefined;
  }

  getChildren(node?: Node): Node[] {
    if (!node) return [...(this.trace ? [{ kind: 'trace' as const, ...this.trace }] : []), ...this.roots()];
    switch (node.kind) {
      case 'trace':
        return traceChildren(node);
      case 'notes':
        return node.notes.map((text, i) => ({ kind: 'note', id: `note:${i}`, text }));
      case 'service': {
        const s = node.service;
        return [
          ...s.code.map((code): Node => ({ kind: 'code', service: s, code })),
          ...Object.entries(s.states).map(([state, count]): Node => ({ kind: 'state', service: s, state, count })),
          ...s.processes.map((process): Node => ({ kind: 'process', service: s, process })),
        ];
      }
      default:
        return [];
    }
  }

  private roots(): Node[] {
    const s = this.state;
    switch (s.kind) {
      case 'idle':
        return [{
          kind: 'message', id: 'idle', icon: new vscode.ThemeIcon('debug-pause'),
          text: this.paused ? 'Paused' : 'Not started',
          detail: 'Run "Linger: Show Live Socket States"',
        }];
      case 'waiting':
        return [{ kind: 'message', id: 'waiting', icon: new vscode.ThemeIcon('loading~spin'), text: s.reason }];
      case 'failed':
        return [{
          kind: 'message', id: 'failed', icon: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
          text: `Cannot read this machine's sockets: ${s.reason}`,
          tooltip: `Cannot read this machine's TCP sockets${s.platform ? ` (${s.platform})` : ''}:\n${s.reason}`,
        }];
      case 'report': {
        const r = s.result;
        const notes = [...r.warnings];
        if (r.inventory.source === 'none') notes.push('No workspace folder: ports are shown without their listen() sites.');
        else if (r.inventory.partial) notes.push(`Still finding the workspace's listen() sites (${r.inventory.listeners} so far); run "Linger: Audit Connections in Workspace" to find them all now.`);
        const services = r.report.services;
        const nodes: Node[] = [];
        if (notes.length) nodes.push({ kind: 'notes', notes });
        if (!services.length) {
          nodes.push({ kind: 'message', id: 'empty', icon: new vscode.ThemeIcon('info'), text: 'No TCP sockets on this machine' });
        }
        nodes.push(...services.slice(0, MAX_SERVICES).map((service): Node => ({ kind: 'service', service, growth: s.growth.get(serviceKey(service)) ?? 0 })));
        if (services.length > MAX_SERVICES) nodes.push({ kind: 'more', count: services.length - MAX_SERVICES });
        return nodes;
      }
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const None = vscode.TreeItemCollapsibleState.None;
    switch (node.kind) {
      case 'trace':
      case 'traceSite':
        return traceItem(node);
      case 'message': {
        const item = new vscode.TreeItem(node.text, None);
        item.id = `message:${node.id}`;
        item.description = node.detail;
        item.tooltip = node.tooltip ?? node.text;
        item.iconPath = node.icon;
        item.contextValue = 'message';
        return item;
      }
      case 'notes': {
        const item = new vscode.TreeItem(`Notes (${node.notes.length})`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = 'notes';
        item.iconPath = new vscode.ThemeIcon('info');
        item.tooltip = node.notes.join('\n');
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(node.text, None);
        item.id = node.id;
        item.tooltip = node.text;
        return item;
      }
      case 'service':
        return serviceItem(node.service, node.growth);
      case 'state': {
        const item = new vscode.TreeItem(node.state, None);
        item.id = `${serviceId(node.service)}:state:${node.state}`;
        item.description = String(node.count);
        item.accessibilityInformation = { label: `${node.state} ${node.count}` };
        const explain = node.state === 'CLOSE_WAIT' ? COMMANDS.explainCloseWait : node.state === 'TIME_WAIT' ? COMMANDS.explainTimeWait : undefined;
        item.contextValue = node.state === 'CLOSE_WAIT' ? 'state closeWait' : node.state === 'TIME_WAIT' ? 'state timeWait' : 'state';
        if (explain) {
          item.command = { title: node.state === 'CLOSE_WAIT' ? 'Explain CLOSE_WAIT' : 'Explain TIME_WAIT', command: explain };
          item.tooltip = `${node.count} socket${node.count === 1 ? '' : 's'} in ${node.state}. Click for what it means and how to fix it.`;
          item.iconPath = new vscode.ThemeIcon('question');
        } else {
          item.iconPath = new vscode.ThemeIcon('circle-small');
        }
        return item;
      }
      case 'code': {
        const rel = vscode.workspace.asRelativePath(node.code.file);
        const item = new vscode.TreeItem(`${rel}:${node.code.line}`, None);
        item.id = `${serviceId(node.service)}:code:${node.code.file}:${node.code.line}`;
        item.description = `listen() on port ${node.service.port}`;
        item.tooltip = `Open the listen() site of port ${node.service.port}: ${node.code.file}:${node.code.line}`;
        item.iconPath = new vscode.ThemeIcon('go-to-file');
        item.command = openCode(node.code);
        item.contextValue = 'code';
        return item;
      }
      case 'process': {
        const item = new vscode.TreeItem(node.process.command, None);
        item.id = `${serviceId(node.service)}:pid:${node.process.pid}`;
        item.description = `pid ${node.process.pid}`;
        item.iconPath = new vscode.ThemeIcon('server-process');
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(`… ${node.count} more services`, None);
        item.id = 'more';
        item.tooltip = 'Only the first services are listed (CLOSE_WAIT and TIME_WAIT first). Run `linger sockets --port N` in a terminal for one port.';
        return item;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.running = false;
    this.disposables.forEach((d) => d.dispose());
  }
}

const serviceId = (s: Service) => `service:${s.direction}:${s.port}`;

/**
 * `inbound :8080 ▲+12`, then `src/server.ts:12 · CLOSE_WAIT 340 · TIME_WAIT 0 · ESTABLISHED 3`:
 * the growth and the code site come first, so a narrow sidebar cuts the counts, not them.
 */
export function serviceLabel(s: Service, growth = 0): string {
  return `${s.direction} :${s.port}${growth > 0 ? ` ▲+${growth}` : ''}`;
}

export function serviceDescription(s: Service): string {
  const states = Object.entries(s.states)
    .filter(([state, n]) => n > 0 || state === 'CLOSE_WAIT' || state === 'TIME_WAIT')
    .map(([state, n]) => `${state} ${n}`)
    .join(' · ');
  const code = s.code[0] ? `${vscode.workspace.asRelativePath(s.code[0].file)}:${s.code[0].line}${s.code.length > 1 ? ` (+${s.code.length - 1})` : ''} · ` : '';
  return `${code}${states}`;
}

function serviceItem(s: Service, growth: number): vscode.TreeItem {
  const closeWait = s.states.CLOSE_WAIT ?? 0;
  const timeWait = s.states.TIME_WAIT ?? 0;
  const item = new vscode.TreeItem(serviceLabel(s, growth), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = serviceId(s);
  item.description = serviceDescription(s);
  item.accessibilityInformation = { label: `${item.label}, ${item.description}` };
  item.iconPath = closeWait > 0
    ? new vscode.ThemeIcon(growth > 0 ? 'arrow-up' : 'error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
    : timeWait > 0
      ? new vscode.ThemeIcon('watch', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : new vscode.ThemeIcon(s.direction === 'inbound' ? 'plug' : 'arrow-right');
  // The context menu offers the explanations (both states are always counted, 0 included).
  item.contextValue = ['service', 'closeWait', 'timeWait', s.code.length ? 'hasCode' : ''].filter(Boolean).join(' ');
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${s.direction === 'inbound' ? 'Inbound to local' : 'Outbound to remote'} port ${s.port}**\n\n`);
  for (const [state, n] of Object.entries(s.states)) md.appendMarkdown(`- ${state}: ${n}\n`);
  if (growth > 0) md.appendMarkdown(`\nCLOSE_WAIT grew by ${growth} since the last refresh.\n`);
  if (s.code.length) md.appendMarkdown(`\nlisten() site${s.code.length > 1 ? 's' : ''}: ${s.code.map((c) => `\`${vscode.workspace.asRelativePath(c.file)}:${c.line}\``).join(', ')}\n`);
  if (s.processes.length) md.appendMarkdown(`\nProcesses: ${s.processes.map((p) => `${p.command} (${p.pid})`).join(', ')}\n`);
  item.tooltip = md;
  // Clicking a port opens its listen() site.
  if (s.code[0]) item.command = openCode(s.code[0]);
  return item;
}

function openCode(code: CodeRef): vscode.Command {
  const line = Math.max(0, code.line - 1);
  const selection = new vscode.Range(line, 0, line, 0);
  return { title: 'Open listen() site', command: 'vscode.open', arguments: [vscode.Uri.file(code.file), { selection } satisfies vscode.TextDocumentShowOptions] };
}
