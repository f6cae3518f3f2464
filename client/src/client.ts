// The language client: runs dist/server.js (bundled next to this file) over stdio for the four
// JS/TS languages, on disk and in untitled buffers, and for sysctl.conf files.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { COMMANDS, InitializationOptions } from '../../server/src/protocol';

export const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];
export const DOCUMENT_SELECTOR = LANGUAGES.flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

/**
 * What the server is sent: the JS/TS documents, plus sysctl.conf and sysctl.d/*.conf files (by
 * language, or by name when another extension or a user association claimed the file).
 */
export const SERVER_SELECTOR = [
  ...DOCUMENT_SELECTOR,
  { scheme: 'file', language: 'sysctl' },
  { scheme: 'untitled', language: 'sysctl' },
  { scheme: 'file', pattern: '**/sysctl.conf' },
  { scheme: 'file', pattern: '**/sysctl.d/*.conf' },
];

export function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = {
    // This client opens explanations in Markdown preview and edits settings itself.
    clientCommands: [COMMANDS.explain, COMMANDS.disableRule],
    status: true,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SERVER_SELECTOR,
    outputChannel: output,
    initializationOptions,
    middleware: {
      // The hover links to `command:linger.explain`; VS Code runs command links only from
      // trusted Markdown, so trust exactly that command.
      provideHover: async (document, position, token, next) => {
        const hover = await next(document, position, token);
        for (const c of hover?.contents ?? []) {
          if (c instanceof vscode.MarkdownString) c.isTrusted = { enabledCommands: [COMMANDS.explain] };
        }
        return hover;
      },
    },
  };
  return new LanguageClient('linger', 'Linger', serverOptions, clientOptions);
}
