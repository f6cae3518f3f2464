// A language-status item ({} in the status bar of JS/TS files): the server's state and the time
// the last analysis of the active file took, from `linger/status` notifications.
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS, STATUS_NOTIFICATION, StatusParams } from '../../server/src/protocol';
import { DOCUMENT_SELECTOR } from './client';

export class StatusItem implements vscode.Disposable {
  private item = vscode.languages.createLanguageStatusItem('linger.status', DOCUMENT_SELECTOR);
  private byUri = new Map<string, StatusParams>();
  private auditing = false;
  private disposables: vscode.Disposable[] = [];

  constructor() {
    this.item.name = 'Linger';
    this.item.text = 'Linger';
    this.item.detail = 'starting…';
    this.item.busy = true;
    this.item.command = { title: 'Show Output', command: COMMANDS.showOutput };
    this.disposables.push(vscode.window.onDidChangeActiveTextEditor(() => this.render()));
  }

  attach(client: LanguageClient): void {
    this.disposables.push(
      client.onNotification(STATUS_NOTIFICATION, (p: StatusParams) => {
        if (p.state === 'auditing' || (p.state === 'idle' && !p.uri)) this.auditing = p.state === 'auditing';
        if (p.uri) this.byUri.set(p.uri, p);
        this.render();
      }),
      client.onDidChangeState(() => this.render(client)),
    );
  }

  private render(client?: LanguageClient): void {
    if (client && !client.isRunning()) {
      this.item.detail = 'server stopped';
      this.item.severity = vscode.LanguageStatusSeverity.Warning;
      this.item.busy = false;
      return;
    }
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const s = uri ? this.byUri.get(uri) : undefined;
    this.item.busy = this.auditing;
    this.item.severity = vscode.LanguageStatusSeverity.Information;
    if (this.auditing) this.item.detail = 'auditing the workspace…';
    else if (!s) this.item.detail = 'ready';
    else if (s.state === 'disabled') this.item.detail = 'disabled (linger.enable)';
    else if (s.skipped) {
      this.item.detail = `not analysed: ${s.skipped}`;
      this.item.severity = vscode.LanguageStatusSeverity.Warning;
    } else this.item.detail = `${s.findings ?? 0} finding${s.findings === 1 ? '' : 's'} · ${s.durationMs ?? 0} ms`;
  }

  dispose(): void {
    this.item.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
