// The client-side commands behind two code actions: open an explanation page in Markdown preview
// (Chinese when VS Code's display language is Chinese), and turn a rule off for the workspace.
import * as vscode from 'vscode';

type Explanation = 'close-wait' | 'time-wait';

export async function explain(context: vscode.ExtensionContext, which: Explanation): Promise<void> {
  const english = vscode.Uri.joinPath(context.extensionUri, 'docs', `${which}.md`);
  let page = english;
  if (vscode.env.language.toLowerCase().startsWith('zh')) {
    const chinese = vscode.Uri.joinPath(context.extensionUri, 'docs', 'zh-cn', `${which}.md`);
    if (await exists(chinese)) page = chinese;
  }
  await vscode.commands.executeCommand('markdown.showPreview', page);
}

/** `linger.explain` from the palette, without an argument. */
export async function pickExplanation(context: vscode.ExtensionContext): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'CLOSE_WAIT', description: 'connections the application never closes', value: 'close-wait' as const },
      { label: 'TIME_WAIT', description: 'connections closed too often, or on a fixed port', value: 'time-wait' as const },
    ],
    { placeHolder: 'Which TCP state?' },
  );
  if (picked) await explain(context, picked.value);
}

/** Set `linger.rules[ruleId] = "off"` in the workspace settings, keeping the other rules there. */
export async function disableRule(ruleId: unknown, uri: unknown): Promise<void> {
  if (typeof ruleId !== 'string') return;
  const scope = typeof uri === 'string' ? vscode.Uri.parse(uri) : undefined;
  const config = vscode.workspace.getConfiguration('linger', scope);
  // Without a workspace there are no workspace settings: fall back to the user's.
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const current = config.inspect<Record<string, string>>('rules');
  const existing = (target === vscode.ConfigurationTarget.Workspace ? current?.workspaceValue : current?.globalValue) ?? {};
  await config.update('rules', { ...existing, [ruleId]: 'off' }, target);
  const where = target === vscode.ConfigurationTarget.Workspace ? 'this workspace' : 'your user settings';
  void vscode.window.showInformationMessage(`Linger: ${ruleId} is off in ${where} ("linger.rules").`);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
