// sysctl.conf and sysctl.d/*.conf documents: diagnostics from `sysctlDiagnostics` (with the ports
// the workspace listens on, from the listener inventory) and hovers from `hoverAt`. These
// documents never reach the TypeScript analysis: every entry point checks `isSysctlDocument` first.
import * as path from 'path';
import { Diagnostic, DiagnosticSeverity, Hover, MarkupKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Severity } from '../core/types';
import { DIAGNOSTIC_SOURCE } from '../protocol';
import { hoverAt, sysctlDiagnostics, type ListeningPortSite } from '../sysctl';
import type { ServerContext } from './context';
import { toRange } from './diagnostics';
import { pathToUri, uriToPath } from './paths';
import { InventorySnapshot } from './inventory';

/** How long diagnostics wait for the listener inventory before answering with what is known. */
export const INVENTORY_WAIT_MS = 2000;
const MAX_MESSAGE = 400;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** languageId `sysctl`, or a path named like one: `…/sysctl.conf`, `…/sysctl.d/*.conf`. */
export function isSysctlDocument(uri: string, languageId: string | undefined): boolean {
  if (languageId === 'sysctl') return true;
  const name = uriPath(uri);
  if (!name) return false;
  const parts = name.split(/[\\/]+/);
  const base = parts.at(-1) ?? '';
  return base === 'sysctl.conf' || (parts.at(-2) === 'sysctl.d' && base.endsWith('.conf'));
}

/** The path of any URI (file:, untitled:, vscode-remote:…), for the name check only. */
function uriPath(uri: string): string | undefined {
  if (typeof uri !== 'string') return undefined;
  const file = uriToPath(uri);
  if (file) return file;
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return undefined;
  }
}

export interface SysctlResult {
  resultId: string;
  diagnostics: Diagnostic[];
}

export async function sysctlDocumentDiagnostics(ctx: ServerContext, doc: TextDocument): Promise<SysctlResult> {
  const settings = await ctx.settings.get(doc.uri);
  if (!settings.enable) return { resultId: `sysctl.${doc.version}.off.${ctx.settings.generation}`, diagnostics: [] };
  const inventory = await ctx.inventory.get(INVENTORY_WAIT_MS);
  const sites = listeningPortSites(ctx, inventory);
  // The sysctl parser splits lines at \n and \r\n; an editor also breaks lines at a lone \r.
  const text = doc.getText().replace(/\r(?!\n)/g, '\n');
  const found = sysctlDiagnostics(text, { listeningPorts: sites });
  const diagnostics = found.map((d): Diagnostic => {
    const diagnostic: Diagnostic = {
      range: toRange(d),
      severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Warning,
      source: DIAGNOSTIC_SOURCE,
      code: d.code,
      codeDescription: { href: ctx.analysis.docLink('docs/sysctl.md') },
      // A syntax warning quotes its whole line, which can be any length.
      message: d.message.length > MAX_MESSAGE ? `${d.message.slice(0, MAX_MESSAGE)}…` : d.message,
    };
    if (d.code === 'sysctl-port-range-overlaps-listener') {
      const port = Number(/^Port (\d+)/.exec(d.message)?.[1]);
      const related = inventory.all.filter((l) => l.port === port).slice(0, 10);
      if (related.length) {
        diagnostic.relatedInformation = related.map((l) => ({
          location: { uri: pathToUri(l.file), range: toRange({ line: l.line, column: l.column, endLine: l.line, endColumn: l.column }) },
          message: `listens on port ${port} (${l.api})`,
        }));
      }
    }
    return diagnostic;
  });
  const key = `${doc.version}.${ctx.settings.generation}.${hash(JSON.stringify(sites))}`;
  return { resultId: `sysctl.${key}`, diagnostics };
}

/** One site per listening port (the first in file order), file paths relative to their workspace folder. */
export function listeningPortSites(ctx: ServerContext, inventory: InventorySnapshot): ListeningPortSite[] {
  const seen = new Set<number>();
  const sites: ListeningPortSite[] = [];
  for (const l of inventory.all) {
    if (l.port === null || !Number.isInteger(l.port) || l.port <= 0 || l.port > 65535 || seen.has(l.port)) continue;
    seen.add(l.port);
    sites.push({ port: l.port, file: displayPath(ctx, l.file), line: l.line });
  }
  return sites.sort((a, b) => a.port - b.port);
}

function displayPath(ctx: ServerContext, file: string): string {
  const root = ctx.analysis.folders.filter((f) => file.startsWith(f + path.sep)).sort((a, b) => b.length - a.length)[0];
  return (root ? path.relative(root, file) : file).split(path.sep).join('/');
}

export function sysctlHover(doc: TextDocument, position: { line: number; character: number }): Hover | null {
  if (position.line >= doc.lineCount) return null;
  const raw = doc.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } });
  const line = raw.replace(/\r?\n$|\r$/, '');
  const markdown = hoverAt(line, 1, position.character + 1);
  return markdown ? { contents: { kind: MarkupKind.Markdown, value: markdown } } : null;
}

function hash(s: string): string {
  let h = 5381;
  for (let i = 0; i < s.length; i++) h = ((h << 5) + h + s.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}
