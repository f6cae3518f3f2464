// The "Connections" tree: findings grouped by rule then file (files in path order, findings by
// line), the listener inventory, and skipped files, from the last audit. Empty until the first
// audit, which lets the welcome view show. A finding's row is `line:col` and a short title (the
// resource and the exit, finding-title.ts), so rows can be told apart in a narrow sidebar; the full
// message is its description and tooltip. A rule's row opens the rule's page (Markdown preview).
import * as path from 'path';
import * as vscode from 'vscode';
import type { Finding, Listener, SkippedFile } from '../../server/src/core/types';
import { findingTitle } from '../../server/src/finding-title';
import { AuditResult, COMMANDS } from '../../server/src/protocol';
import { ruleDocPath } from './explain';

type Node =
  | { kind: 'findings'; findings: Finding[] }
  | { kind: 'rule'; ruleId: string; findings: Finding[] }
  | { kind: 'file'; file: string; findings: Finding[] }
  | { kind: 'finding'; finding: Finding }
  | { kind: 'listeners'; listeners: Listener[] }
  | { kind: 'listener'; listener: Listener }
  | { kind: 'skipped'; skipped: SkippedFile[] }
  | { kind: 'skippedFile'; skipped: SkippedFile };

const SEVERITY_ICON: Record<Finding['severity'], vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  info: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
  hint: new vscode.ThemeIcon('lightbulb'),
};

export class ConnectionsView implements vscode.TreeDataProvider<Node> {
  private result: AuditResult | undefined;
  /** Rule ids to show; undefined shows all. */
  private filter: Set<string> | undefined;
  private changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  show(result: AuditResult): void {
    this.result = result;
    this.changed.fire(undefined);
  }

  async pickRuleFilter(): Promise<void> {
    const ids = [...new Set(this.result?.findings.map((f) => f.ruleId) ?? [])].sort();
    if (!ids.length) {
      void vscode.window.showInformationMessage('Linger: no findings to filter.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      ids.map((id) => ({ label: id, picked: !this.filter || this.filter.has(id) })),
      { canPickMany: true, placeHolder: 'Rules to show in the Connections view' },
    );
    if (!picked) return;
    this.filter = picked.length === ids.length ? undefined : new Set(picked.map((p) => p.label));
    await vscode.commands.executeCommand('setContext', 'linger.filtered', !!this.filter);
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    const r = this.result;
    if (!r) return [];
    if (!node) {
      const findings = r.findings.filter((f) => !this.filter || this.filter.has(f.ruleId));
      const top: Node[] = [{ kind: 'findings', findings }, { kind: 'listeners', listeners: r.listeners }];
      if (r.skipped.length) top.push({ kind: 'skipped', skipped: r.skipped });
      return top;
    }
    switch (node.kind) {
      case 'findings':
        return groupBy(node.findings, (f) => f.ruleId).map(([ruleId, findings]) => ({ kind: 'rule', ruleId, findings }));
      case 'rule':
        return groupBy([...node.findings].sort(byPosition), (f) => f.file).map(([file, findings]) => ({ kind: 'file', file, findings }));
      case 'file':
        return [...node.findings].sort(byPosition).map((finding) => ({ kind: 'finding', finding }));
      case 'listeners':
        return node.listeners.map((listener) => ({ kind: 'listener', listener }));
      case 'skipped':
        return node.skipped.map((skipped) => ({ kind: 'skippedFile', skipped }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    const Expanded = vscode.TreeItemCollapsibleState.Expanded;
    switch (node.kind) {
      case 'findings': {
        const item = new vscode.TreeItem(`Findings (${node.findings.length})${this.filter ? ' — filtered' : ''}`, Expanded);
        item.iconPath = new vscode.ThemeIcon('debug-disconnect');
        return item;
      }
      case 'rule': {
        const item = new vscode.TreeItem(node.ruleId, Expanded);
        item.description = `${node.findings.length}`;
        item.iconPath = SEVERITY_ICON[node.findings[0].severity];
        const doc = `command:${COMMANDS.openDoc}?${encodeURIComponent(JSON.stringify([ruleDocPath(node.ruleId)]))}`;
        const md = new vscode.MarkdownString(`\`${node.ruleId}\` ${node.findings[0].explanation === 'time-wait' ? 'piles up TIME_WAIT' : 'leaves sockets in CLOSE_WAIT'}. [Open the rule's page](${doc})`);
        md.isTrusted = { enabledCommands: [COMMANDS.openDoc] };
        item.tooltip = md;
        // The inline "Open Rule Documentation" button (package.json, view/item/context).
        item.contextValue = 'rule';
        return item;
      }
      case 'file': {
        const uri = vscode.Uri.file(node.file);
        const item = new vscode.TreeItem(uri, Expanded);
        item.description = `${vscode.workspace.asRelativePath(path.dirname(node.file))} · ${node.findings.length}`;
        return item;
      }
      case 'finding': {
        const f = node.finding;
        // `9:13  socket · not closed on return`: the position and what leaks how; the rest in the description.
        const item = new vscode.TreeItem(`${f.line}:${f.column}  ${findingTitle(f)}`);
        item.description = f.message;
        const md = new vscode.MarkdownString().appendText(f.message).appendMarkdown(`\n\n\`${f.ruleId}\` · ${path.basename(f.file)}:${f.line}:${f.column}`);
        for (const r of f.related) md.appendMarkdown('\n- ').appendText(`line ${r.line}: ${r.message}`);
        item.tooltip = md;
        item.accessibilityInformation = { label: `${f.line}:${f.column} ${findingTitle(f)}. ${f.message}` };
        item.iconPath = SEVERITY_ICON[f.severity];
        item.command = openAt(f.file, f.line, f.column, f.endLine, f.endColumn);
        return item;
      }
      case 'listeners': {
        const item = new vscode.TreeItem(`Listeners (${node.listeners.length})`, node.listeners.length ? Collapsed : vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('radio-tower');
        return item;
      }
      case 'listener': {
        const l = node.listener;
        const item = new vscode.TreeItem(`${l.port === null ? 'port ?' : `:${l.port}`}  ${l.api}`);
        item.description = `SO_REUSEADDR ${l.reuseAddr}${l.reusePort ? ', SO_REUSEPORT' : ''} · ${vscode.workspace.asRelativePath(l.file)}:${l.line}`;
        item.tooltip = `${l.api} on ${l.host ?? 'the default host'}:${l.port ?? '?'}\nSO_REUSEADDR: ${l.reuseAddr}\nSO_REUSEPORT: ${l.reusePort ? 'on' : 'off'}`;
        item.iconPath = new vscode.ThemeIcon('plug');
        item.command = openAt(l.file, l.line, l.column);
        return item;
      }
      case 'skipped': {
        const item = new vscode.TreeItem(`Skipped (${node.skipped.length})`, Collapsed);
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        return item;
      }
      case 'skippedFile': {
        const item = new vscode.TreeItem(vscode.Uri.file(node.skipped.file));
        item.description = node.skipped.reason;
        item.command = openAt(node.skipped.file, 1, 1);
        return item;
      }
    }
  }
}

/** Open a file at a 1-based range. */
function openAt(file: string, line: number, column: number, endLine = line, endColumn = column): vscode.Command {
  const selection = new vscode.Range(line - 1, column - 1, endLine - 1, endColumn - 1);
  return { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.file(file), { selection } satisfies vscode.TextDocumentShowOptions] };
}

function byPosition(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}

function groupBy<T>(items: T[], key: (t: T) => string): Array<[string, T[]]> {
  const m = new Map<string, T[]>();
  for (const t of items) m.set(key(t), [...(m.get(key(t)) ?? []), t]);
  return [...m];
}
