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

/** The language server's heap limit, in MB (the bin chooses the same: bin/linger-language-server.js). */
export const SERVER_HEAP_MB = 3072;

export function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  // A bounded heap: a workspace that makes the analysis grow ends the server's analysis worker (which
  // it restarts), never VS Code's memory. The worker shares this limit (server/src/lsp/analysis-host.ts).
  const heap = `--max-old-space-size=${SERVER_HEAP_MB}`;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio, options: { execArgv: [heap] } },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: [heap, '--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = {
    // This client opens explanations and rule pages in Markdown preview and edits settings itself.
    clientCommands: [COMMANDS.explain, COMMANDS.openDoc, COMMANDS.disableRule],
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
