// The client-side commands behind code actions and links: open an explanation page or a rule's
// page in Markdown preview (the explanations in Chinese when VS Code's display language is
// Chinese), and turn a rule off for the workspace. Pages are shown rendered, never opened as
// editable files of the extension's folder.
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

/** A page of the extension's docs/ folder, by its path relative to the extension (`docs/rules/<id>.md`). */
const DOC_PATH = /^docs\/(?:[a-z0-9][a-z0-9-]*\/)*[a-z0-9][a-z0-9-]*\.md$/;

/**
 * `linger.openDoc`: the rule links of the Problems panel, the diagnostic hover and the Connections
 * view. The argument comes from a link, so only a page of docs/ is opened.
 */
export async function openDoc(context: vscode.ExtensionContext, relative: unknown): Promise<void> {
  if (typeof relative !== 'string' || !DOC_PATH.test(relative)) {
    void vscode.window.showWarningMessage(`Linger: no such documentation page: ${String(relative)}`);
    return;
  }
  const page = vscode.Uri.joinPath(context.extensionUri, ...relative.split('/'));
  if (!(await exists(page))) {
    void vscode.window.showWarningMessage(`Linger: no such documentation page: ${relative}`);
    return;
  }
  await vscode.commands.executeCommand('markdown.showPreview', page);
}

/** The doc page of a rule, relative to the extension. */
export function ruleDocPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
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
