// The VS Code extension: starts the Linger language server and adds what only an editor UI can do
// (Markdown preview of the explanations, the Connections view, settings edits, a status item).
// Everything about analysis happens in the server.
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS } from '../../server/src/protocol';
import { AuditController } from './audit';
import { createClient } from './client';
import { ConnectionsView } from './connectionsView';
import { disableRule, explain, openDoc, pickExplanation, ruleDocPath } from './explain';
import { LiveSocketsView } from './liveSockets';
import { StatusItem } from './status';
import { TraceRunner } from './trace';
import { openLeakyExample } from './walkthrough';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Linger', { log: true });
  const status = new StatusItem();
  const view = new ConnectionsView();
  client = createClient(context, output);
  const audits = new AuditController(client, view);
  const liveSockets = new LiveSocketsView(client);
  const tracer = new TraceRunner(context, client, liveSockets);
  status.attach(client);

  context.subscriptions.push(
    output,
    status,
    vscode.window.createTreeView('linger.connections', { treeDataProvider: view, showCollapseAll: true }),
    vscode.commands.registerCommand(COMMANDS.explain, (which?: unknown) => (which === 'close-wait' || which === 'time-wait' ? explain(context, which) : pickExplanation(context))),
    vscode.commands.registerCommand(COMMANDS.openDoc, (relative: unknown) => openDoc(context, relative)),
    vscode.commands.registerCommand(COMMANDS.openRuleDoc, (node?: { ruleId?: unknown }) => openDoc(context, typeof node?.ruleId === 'string' ? ruleDocPath(node.ruleId) : undefined)),
    vscode.commands.registerCommand(COMMANDS.explainCloseWait, () => explain(context, 'close-wait')),
    vscode.commands.registerCommand(COMMANDS.explainTimeWait, () => explain(context, 'time-wait')),
    vscode.commands.registerCommand(COMMANDS.disableRule, (ruleId: unknown, uri: unknown) => disableRule(ruleId, uri)),
    vscode.commands.registerCommand(COMMANDS.auditWorkspace, () => audits.run()),
    // From the explorer: the clicked folder, or every selected one.
    vscode.commands.registerCommand(COMMANDS.auditFolder, (uri?: vscode.Uri, selected?: vscode.Uri[]) => audits.run(selected?.length ? selected : uri ? [uri] : undefined)),
    vscode.commands.registerCommand(COMMANDS.rerunAudit, () => audits.rerun()),
    vscode.commands.registerCommand(COMMANDS.exportSarif, () => audits.export('sarif')),
    vscode.commands.registerCommand(COMMANDS.exportMarkdown, () => audits.export('markdown')),
    vscode.commands.registerCommand(COMMANDS.filterByRule, () => view.pickRuleFilter()),
    vscode.commands.registerCommand(COMMANDS.restartServer, async () => {
      output.info('Restarting the Linger language server…');
      await client?.restart();
    }),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => output.show(true)),
    vscode.commands.registerCommand('linger.walkthrough.openExample', () => openLeakyExample()),
    liveSockets,
    vscode.commands.registerCommand(COMMANDS.showLiveSockets, () => liveSockets.show()),
    vscode.commands.registerCommand(COMMANDS.pauseLiveSockets, () => liveSockets.pause()),
    vscode.commands.registerCommand(COMMANDS.resumeLiveSockets, () => liveSockets.resume()),
    vscode.commands.registerCommand(COMMANDS.refreshLiveSockets, () => liveSockets.refresh()),
    tracer,
    vscode.commands.registerCommand(COMMANDS.traceCommand, async () => {
      if (await tracer.run()) await liveSockets.show();
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
