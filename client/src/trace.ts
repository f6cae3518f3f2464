// "Linger: Trace a Command…": runs `linger trace --watch --format json --output <file> -- <command>`
// (dist/trace.js, the trace without the analyzer)
// in a terminal of the workspace folder, reads the report file as it is rewritten, shows the sites
// in the Live Sockets view and sends them to the language server (findings at a traced line gain
// "seen at run time"). Running the command is the user's explicit act; it needs a trusted workspace.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { TRACE_SITES_NOTIFICATION, TraceSitesParams } from '../../server/src/protocol';
import type { TraceReport } from '../../server/src/trace/types';
import { commandProblem, splitCommand } from './commandLine';

/** How often the report file is checked while the trace runs. */
const POLL_MS = 1000;
const LAST_COMMAND_KEY = 'linger.trace.lastCommand';

export interface TraceView {
  setTrace(report: TraceReport | undefined, running: boolean): void;
}

export class TraceRunner implements vscode.Disposable {
  private terminal: vscode.Terminal | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastText = '';
  private lastSent = '';
  private readonly disposables: vscode.Disposable[] = [];
  private runs = 0;
  /** The report file of the current run. */
  private output: string | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    private readonly view: TraceView,
  ) {
    this.disposables.push(vscode.window.onDidCloseTerminal((t) => {
      if (t === this.terminal) this.stopPolling(true);
    }));
  }

  /** Asks for the command (and the folder when there are several), then starts it; false when cancelled. */
  async run(): Promise<boolean> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Linger: tracing runs the command you give it, so it needs a trusted workspace.');
      return false;
    }
    const folder = await this.pickFolder();
    if (!folder) return false;
    const command = await vscode.window.showInputBox({
      title: 'Linger: Trace a Command',
      prompt: `A Node command to run in ${folder.name} with the trace preload (every Node process it starts is traced)`,
      placeHolder: 'node server.js   ·   npm start   ·   npx tsx src/main.ts',
      value: this.context.workspaceState.get<string>(LAST_COMMAND_KEY, ''),
      ignoreFocusOut: true,
      validateInput: (v) => commandProblem(splitCommand(v)),
    });
    const words = splitCommand(command ?? '');
    if (commandProblem(words)) return false;
    await this.context.workspaceState.update(LAST_COMMAND_KEY, command);
    this.start(folder.uri.fsPath, words);
    return true;
  }

  private start(cwd: string, words: string[]): void {
    this.stopPolling(false);
    this.terminal?.dispose();
    const dir = this.context.storageUri?.fsPath ?? os.tmpdir();
    fs.mkdirSync(dir, { recursive: true });
    const output = path.join(dir, `linger-trace-${process.pid}-${++this.runs}.json`);
    fs.rmSync(output, { force: true });
    const cli = this.context.asAbsolutePath(path.join('dist', 'trace.js'));
    // In desktop VS Code the extension host is Electron: run linger with the `node` on PATH, the
    // one the traced app uses too. code-server's extension host is Node itself.
    const node = process.versions.electron ? 'node' : process.execPath;
    this.terminal = vscode.window.createTerminal({
      name: `Linger trace: ${words.join(' ')}`,
      cwd,
      shellPath: node,
      shellArgs: [cli, '--watch', '--format', 'json', '--output', output, '--', ...words],
    });
    this.terminal.show(true);
    this.lastText = '';
    this.view.setTrace(undefined, true);
    this.timer = setInterval(() => this.poll(output, true), POLL_MS);
    this.output = output;
  }

  private poll(file: string, running: boolean): void {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return;
    }
    if (text === this.lastText && running) return;
    let report: TraceReport;
    try {
      report = JSON.parse(text) as TraceReport;
    } catch {
      return;
    }
    this.lastText = text;
    const ended = report.endedAt !== null;
    this.view.setTrace(report, running && !ended);
    this.send(report);
    // The final report is written when the command has exited: nothing more will change.
    if (ended) this.stopPolling(false);
  }

  /** The sites with a line, for "seen at run time" on the findings there. */
  private send(report: TraceReport): void {
    const params: TraceSitesParams = {
      sites: report.sites.filter((s) => s.path !== null && s.line !== null).map((s) => ({
        path: s.path!,
        line: s.line!,
        column: s.column ?? 1,
        kind: s.kind,
        closeWait: s.closeWait.count,
        timeWait: s.timeWait.count,
        timeWaitPerSecond: s.timeWait.perSecond,
        responses: s.responses,
        unconsumedResponses: s.unconsumedResponses,
      })),
    };
    const key = JSON.stringify(params);
    if (key === this.lastSent || !this.client.isRunning()) return;
    this.lastSent = key;
    void this.client.sendNotification(TRACE_SITES_NOTIFICATION, params).catch(() => undefined);
  }

  private stopPolling(finalRead: boolean): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (finalRead && this.output) this.poll(this.output, false);
  }

  private async pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length <= 1) {
      if (!folders.length) void vscode.window.showWarningMessage('Linger: open a folder to trace a command in it.');
      return folders[0];
    }
    return vscode.window.showWorkspaceFolderPick({ placeHolder: 'The folder to run the command in' });
  }

  dispose(): void {
    this.stopPolling(false);
    this.disposables.forEach((d) => d.dispose());
  }
}
