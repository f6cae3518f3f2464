// "Linger: Audit Connections in Workspace/Folder": asks the server for the audit, shows its
// `$/progress` in a cancellable notification, and hands the result to the Connections view.
import * as vscode from 'vscode';
import { LanguageClient, WorkDoneProgress, WorkDoneProgressBegin, WorkDoneProgressEnd, WorkDoneProgressReport } from 'vscode-languageclient/node';
import { AUDIT_REQUEST, AuditParams, AuditResult, EXPORT_REPORT_REQUEST, ExportReportResult } from '../../server/src/protocol';
import { ConnectionsView } from './connectionsView';

/** RequestCancelled: the user pressed Cancel. */
const REQUEST_CANCELLED = -32800;

export class AuditController {
  private lastParams: AuditParams | undefined;
  private tokens = 0;

  constructor(private client: LanguageClient, private view: ConnectionsView) {}

  /** Audit these folders (or the whole workspace). */
  async run(folders?: vscode.Uri[]): Promise<void> {
    if (!vscode.workspace.workspaceFolders?.length && !folders?.length) {
      void vscode.window.showWarningMessage('Linger: open a folder or workspace to audit.');
      return;
    }
    const params: AuditParams = { uris: folders?.map((u) => u.toString()) };
    this.lastParams = params;
    let result: AuditResult | undefined;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Linger: auditing connections', cancellable: true },
        (progress, token) => this.request(params, progress, token),
      );
    } catch (e) {
      if ((e as { code?: number }).code === REQUEST_CANCELLED) {
        void vscode.window.showInformationMessage('Linger: audit cancelled.');
        return;
      }
      void vscode.window.showErrorMessage(`Linger: the audit failed: ${(e as Error).message}`);
      return;
    }
    this.view.show(result);
    await vscode.commands.executeCommand('setContext', 'linger.auditRan', true);
    await vscode.commands.executeCommand('linger.connections.focus');
    const skipped = result.skipped.length ? `, ${result.skipped.length} skipped` : '';
    vscode.window.setStatusBarMessage(`Linger: ${result.findings.length} findings in ${result.files} files${skipped} (${result.durationMs} ms)`, 8000);
  }

  rerun(): Promise<void> {
    return this.run(this.lastParams?.uris?.map((u) => vscode.Uri.parse(u)));
  }

  private async request(
    params: AuditParams,
    progress: vscode.Progress<{ message?: string; increment?: number }>,
    token: vscode.CancellationToken,
  ): Promise<AuditResult> {
    const workDoneToken = `linger-audit-${++this.tokens}`;
    let done = 0;
    // Server percentages are absolute; VS Code's progress wants increments.
    const sub = this.client.onProgress(WorkDoneProgress.type, workDoneToken, (value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd) => {
      if (value.kind === 'end') return;
      const increment = typeof value.percentage === 'number' ? Math.max(0, value.percentage - done) : undefined;
      if (typeof value.percentage === 'number') done = Math.max(done, value.percentage);
      progress.report({ message: value.message, increment });
    });
    try {
      return await this.client.sendRequest<AuditResult>(AUDIT_REQUEST, { ...params, workDoneToken }, token);
    } finally {
      sub.dispose();
    }
  }

  /** Save the last audit as SARIF or Markdown. */
  async export(format: 'sarif' | 'markdown'): Promise<void> {
    const { text } = await this.client.sendRequest<ExportReportResult>(EXPORT_REPORT_REQUEST, { format });
    if (text === undefined) {
      void vscode.window.showInformationMessage('Linger: run an audit first.');
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = format === 'sarif' ? 'linger.sarif' : 'linger-audit.md';
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'sarif' ? { SARIF: ['sarif', 'json'] } : { Markdown: ['md'] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
    const open = await vscode.window.showInformationMessage(`Linger: report saved to ${vscode.workspace.asRelativePath(target)}.`, 'Open');
    if (open) await vscode.window.showTextDocument(target);
  }
}
