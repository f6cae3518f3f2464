// A broken `.lingerrc.json` (or `linger` key of package.json) must never block an editor: the
// problem becomes a diagnostic on the config file itself, at the JSON path it is about, and a
// non-modal `window/showMessage` notification (never `window/showMessageRequest`, whose prompt
// waits for an answer: Neovim stops on it). Analysis goes on with the defaults meanwhile.
//
// The main thread looks up the config of each open document with its own ConfigCache (cheap and
// cached, the same lookup the analysis worker does), and re-reads a broken one here to find where
// in the text each problem is. Diagnostics on config files are always pushed: editors do not send
// JSON files to this server, so it is never asked to pull them.
import * as path from 'path';
import { findNodeAtLocation, getNodeValue, Node as JsonNode, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { Connection, Diagnostic, DiagnosticSeverity, MessageType, Range, ShowMessageNotification } from 'vscode-languageserver/node';
import { ConfigCache, configProblems } from '../core/config';
import { CONFIG_SIZE_LIMIT } from '../core/files';
import { lineStarts } from '../core/text';
import { DIAGNOSTIC_SOURCE } from '../protocol';
import { AnalysisService } from './analysis';
import { DocumentStore } from './documents';
import { pathToUri, uriToPath } from './paths';

/** The `code` of a config-file diagnostic. */
export const CONFIG_CODE = 'config';

export class ConfigProblems {
  private configs: ConfigCache;
  /** Config files with diagnostics published, by URI (to clear them once fixed). */
  private published = new Map<string, string>();
  /** Messages already shown (once each until configs change). */
  private shown = new Set<string>();
  /** The diagnostics of each broken config file, until configs change. */
  private byFile = new Map<string, Diagnostic[]>();
  private boundaryVersion = -1;

  constructor(
    private connection: Connection,
    private analysis: AnalysisService,
    private documents: DocumentStore,
    private log: (message: string) => void,
  ) {
    this.configs = new ConfigCache(analysis.files);
  }

  /** Tell the user once (until configs change), in a notification that asks nothing; log always. */
  notify(message: string): void {
    if (this.shown.has(message)) return;
    this.shown.add(message);
    this.log(`config: ${message}`);
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Linger: ${message}` });
  }

  /** Config files changed on disk: read them again, and show their errors again if they are still there. */
  changed(): void {
    this.configs.clear();
    this.byFile.clear();
    this.shown.clear();
    this.refresh();
  }

  /** Publish the diagnostics of the broken configs that apply to the open documents; clear fixed ones. */
  refresh(): void {
    if (this.boundaryVersion !== this.analysis.boundaryVersion) {
      // Other folders (or parent folders) may be read now: look again.
      this.boundaryVersion = this.analysis.boundaryVersion;
      this.configs.clear();
      this.byFile.clear();
    }
    const broken = new Map<string, Diagnostic[]>();
    for (const doc of this.documents.all()) {
      const file = uriToPath(doc.uri);
      if (!file) continue;
      const errorFile = this.configs.forFile(file).errorFile;
      if (!errorFile || broken.has(errorFile)) continue;
      let diagnostics = this.byFile.get(errorFile);
      if (!diagnostics) this.byFile.set(errorFile, (diagnostics = this.diagnosticsOf(errorFile)));
      broken.set(errorFile, diagnostics);
    }
    const next = new Map<string, string>();
    for (const [file, diagnostics] of broken) {
      const uri = pathToUri(file);
      const key = JSON.stringify(diagnostics);
      next.set(uri, key);
      if (this.published.get(uri) !== key) void this.connection.sendDiagnostics({ uri, diagnostics });
    }
    for (const uri of this.published.keys()) if (!next.has(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.published = next;
  }

  /** Where and what is wrong in one config file. */
  private diagnosticsOf(file: string): Diagnostic[] {
    const read = this.analysis.files.readText(file, CONFIG_SIZE_LIMIT, 'config');
    if (read.text === undefined) return [diagnostic(START, `Linger cannot read this configuration: ${read.reason}. The defaults apply.`)];
    return configFileDiagnostics(read.text, path.basename(file) === 'package.json');
  }
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * The problems of a config file's text, each at its place: a JSON syntax error where the parser
 * stopped, a schema problem at its JSON path (the key of an unknown property, the value of a wrong
 * one). In package.json only the `linger` key is Linger's.
 */
export function configFileDiagnostics(text: string, packageJson: boolean): Diagnostic[] {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const lines = new LineIndex(text);
  if (errors.length || !root) {
    if (packageJson) return []; // not ours to report: npm and the editor's JSON support say so
    const e = errors[0];
    const range = e ? lines.range(e.offset, e.offset + Math.max(e.length, 1)) : START;
    return [diagnostic(range, `Not valid JSON (${e ? printParseErrorCode(e.error) : 'empty file'}): Linger ignores this file and uses the defaults.`)];
  }
  const base: Array<string | number> = packageJson ? ['linger'] : [];
  const part = packageJson ? findNodeAtLocation(root, base) : root;
  if (!part) return [];
  return configProblems(getNodeValue(part)).map((p) => {
    const at = base.concat(p.path);
    const node = nearestNode(root, at);
    const target = p.onKey && node.parent?.type === 'property' ? node.parent.children![0] : node;
    return diagnostic(lines.range(target.offset, target.offset + target.length), `${jsonPath(at)}: ${p.message}. Linger ignores this file and uses the defaults.`);
  });
}

function diagnostic(range: Range, message: string): Diagnostic {
  return { range, severity: DiagnosticSeverity.Error, source: DIAGNOSTIC_SOURCE, code: CONFIG_CODE, message };
}

/** The node at a path, or the deepest one that exists on the way there. */
function nearestNode(root: JsonNode, at: Array<string | number>): JsonNode {
  for (let n = at.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, at.slice(0, n));
    if (node) return node;
  }
  return root;
}

/** `rules["unclosed-conection"]`, `exclude[2]`, `linger.rules`; `(top level)` for the root. */
export function jsonPath(at: Array<string | number>): string {
  if (!at.length) return '(top level)';
  return at.map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `${i ? '.' : ''}${k}` : `[${JSON.stringify(k)}]`)).join('');
}

/** Offsets to LSP positions (UTF-16 code units, as both JavaScript strings and LSP count them). */
class LineIndex {
  private starts: number[];

  constructor(text: string) {
    this.starts = lineStarts(text);
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  private position(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
}
