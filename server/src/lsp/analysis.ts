// Runs the core analyzer on open documents — in the analysis worker, off the request path — and
// remembers the last result of each, so that diagnostics, code actions and hovers of the same
// version share one analysis. A document over the size cap is kept as text but never sent to it.
import * as path from 'path';
import { Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_MAX_FILE_SIZE, FileAnalysis } from '../core/analyze';
import { isExcluded } from '../core/config';
import { Boundary, FileAccess, tooLarge } from '../core/files';
import { CACHE_NAME } from '../cache/cache';
import { AnalysisWorker } from './analysis-host';
import { AnalysisOptions } from './analysis-jobs';
import { diagnosticsOf, DocLink, uriMapper } from './diagnostics';
import { openingOf } from './documents';
import { analysisPath, docUri } from './paths';
import { Settings } from './settings';

export interface DocumentResult {
  uri: string;
  version: number;
  /** Identifies the inputs (document version, settings, projects); equal ids mean equal results. */
  resultId: string;
  /** The inputs other than the document's own text (settings, projects, other files). */
  context: string;
  analysis: FileAnalysis;
  diagnostics: Diagnostic[];
  /** Over the size cap: not analysed, and no diagnostic says so (the status does). */
  oversize?: boolean;
}

export class AnalysisService {
  readonly worker: AnalysisWorker;
  /** The file-system layer of the main thread (the listener inventory's reads), same boundary as the worker's. */
  readonly files: FileAccess;
  private results = new Map<string, DocumentResult>();
  private inFlight = new Map<string, Promise<DocumentResult>>();
  /** Bumped when anything outside the document may have changed its result (configs, other files). */
  private generation = 0;
  private _folders: string[] = [];
  private parentConfigs = false;
  /** Bumped whenever what may be read changes (folders, `linger.parentConfigs`). */
  boundaryVersion = 0;
  /** How diagnostics link to rule pages; set at initialize, from what the client can open. */
  docLink: DocLink = docUri;

  constructor(workerEntry: string, private log: (message: string) => void) {
    this.files = new FileAccess(this.boundary());
    this.worker = new AnalysisWorker(workerEntry, this.boundary(), log);
  }

  /** Workspace folders (paths): what the server may read, and the base of `linger.exclude` globs. */
  get folders(): string[] {
    return this._folders;
  }

  set folders(folders: string[]) {
    this._folders = folders;
    this.boundaryChanged();
  }

  /** `linger.parentConfigs`: configs in the parent folders of the workspace folders may be read too. */
  allowParentConfigs(allow: boolean): void {
    if (allow === this.parentConfigs) return;
    this.parentConfigs = allow;
    this.boundaryChanged();
  }

  private boundary(): Boundary {
    return { roots: [...this._folders], configsAbove: this.parentConfigs };
  }

  private boundaryChanged(): void {
    this.boundaryVersion++;
    this.files.setBoundary(this.boundary());
    this.worker.setBoundary(this.boundary());
    this.invalidateResults();
  }

  /** Something changed that can alter every result: drop them all. */
  invalidateResults(): void {
    this.generation++;
  }

  /** tsconfig/package.json/.lingerrc.json changed: reload projects and configs on next use. */
  invalidateProjects(): void {
    this.files.clear();
    void this.worker.run({ kind: 'invalidate' }).catch(() => undefined);
    this.invalidateResults();
  }

  /** A file changed on disk: its project re-reads it (and links are resolved again). */
  revert(file: string): void {
    this.files.clear();
    void this.worker.run({ kind: 'revert', file }).catch(() => undefined);
  }

  /** Changes whenever settings, configs or other files changed. */
  contextKey(settingsGeneration: number): string {
    return `${settingsGeneration}.${this.generation}`;
  }

  /** The last result of a document, whatever its version. */
  last(uri: string): DocumentResult | undefined {
    return this.results.get(uri);
  }

  /** The last result if it was computed for this exact version of the document. */
  current(doc: TextDocument): DocumentResult | undefined {
    const r = this.results.get(doc.uri);
    return r && r.version === doc.version && r.resultId.startsWith(`${openingOf(doc)}.`) ? r : undefined;
  }

  forget(uri: string, languageId = 'typescript'): void {
    this.results.delete(uri);
    const file = analysisPath(uri, languageId);
    // Back to the text on disk, so the project does not keep a closed buffer's unsaved edits.
    if (file) this.revert(file);
  }

  /** The analysis of a document (in the worker), cached per version, settings and context. */
  analyze(doc: TextDocument, settings: Settings, settingsGeneration: number): Promise<DocumentResult> {
    const context = this.contextKey(settingsGeneration);
    const resultId = `${openingOf(doc)}.${doc.version}.${context}`;
    const cached = this.results.get(doc.uri);
    if (cached && cached.resultId === resultId) return Promise.resolve(cached);
    const key = `${doc.uri}\n${resultId}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.compute(doc, settings, resultId, context, settingsGeneration).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async compute(doc: TextDocument, settings: Settings, resultId: string, context: string, settingsGeneration: number): Promise<DocumentResult> {
    // TextDocument.update changes the document object in place: take the version and the text now,
    // before the analysis runs in the worker (the user may type meanwhile).
    const version = doc.version;
    const first = !this.results.has(doc.uri);
    let fromCache = false;
    const file = analysisPath(doc.uri, doc.languageId);
    const text = doc.getText();
    const base = { file: file ?? doc.uri, findings: [], listeners: [], connections: [], configErrors: [], durationMs: 0 };
    let analysis: FileAnalysis;
    const oversize = file ? overSizeCap(text, settings.maxFileSize ?? DEFAULT_MAX_FILE_SIZE) : undefined;
    if (!settings.enable || !file || this.excludedBySettings(file, settings)) {
      analysis = { ...base, excluded: true };
    } else if (oversize) {
      analysis = { ...base, skipped: oversize };
    } else {
      // `connections`: the connect() sites, for the hover on connect().
      const options: AnalysisOptions = { rules: settings.rules, timeBudgetMs: settings.timeBudgetMs, maxFileSize: settings.maxFileSize, connections: true };
      const cached = first ? await this.fromCache(file, text, options) : null;
      if (cached) {
        analysis = cached;
        fromCache = true;
        this.log(`${file}: first diagnostics from the results cache (${CACHE_NAME}); the analysis follows`);
      } else {
        try {
          analysis = await this.worker.run({ kind: 'analyze', file, text, options });
        } catch (e) {
          analysis = { ...base, skipped: `the analysis ${(e as Error).message.split('\n')[0]}` };
        }
      }
    }
    const diagnostics = oversize ? [] : diagnosticsOf(analysis, version, this.docLink, uriMapper(doc.uri, analysis.file), openingOf(doc));
    // From the cache: another id, so that the next request analyses (and gets fixes and hovers).
    const result: DocumentResult = { uri: doc.uri, version, resultId: fromCache ? `${resultId}.cached` : resultId, context, analysis, diagnostics, oversize: !!oversize };
    // A newer version may have been stored while this one ran in the worker: keep the newest.
    const stored = this.results.get(doc.uri);
    const newerStored = stored && stored.resultId.startsWith(`${openingOf(doc)}.`) && stored.version > version;
    if (!newerStored) this.results.set(doc.uri, result);
    if (fromCache) this.refine(doc, settings, settingsGeneration, result);
    return result;
  }

  /** Called when the analysis that follows a cached result says something else (the client should ask again). */
  onRefined?: (uri: string) => void;

  /**
   * The first result of a document after a start may come from the results cache that
   * `linger audit --cache` writes (.lingercache in the workspace folder): shown at once, while the
   * analysis loads the project. Only a buffer that is the file's text on disk, and only when every
   * input of the cached result is unchanged (cache/cache.ts).
   */
  private async fromCache(file: string, text: string, options: AnalysisOptions): Promise<FileAnalysis | null> {
    const folder = this.folderOf(file);
    if (!folder) return null;
    try {
      return await this.worker.run({ kind: 'cached', file, text, cacheFile: path.join(folder, CACHE_NAME), options });
    } catch {
      return null;
    }
  }

  /** The analysis behind a cached result: hovers and fixes need it, and it replaces the cached one. */
  private refine(doc: TextDocument, settings: Settings, settingsGeneration: number, cached: DocumentResult): void {
    void this.analyze(doc, settings, settingsGeneration).then((real) => {
      if (real.version === cached.version && JSON.stringify(real.diagnostics) !== JSON.stringify(cached.diagnostics)) this.onRefined?.(doc.uri);
    }, () => undefined);
  }

  /** `linger.exclude` globs are relative to the workspace folder that holds the file. */
  excludedBySettings(file: string, settings: Settings): boolean {
    if (!settings.exclude.length) return false;
    return isExcluded(file, { exclude: settings.exclude, root: this.folderOf(file) ?? path.dirname(file), rules: {} });
  }

  /** The workspace folder that holds a file (the innermost, when folders nest). */
  private folderOf(file: string): string | undefined {
    return this.folders.filter((f) => file.startsWith(f + path.sep)).sort((a, b) => b.length - a.length)[0];
  }
}

/** Why a buffer is too large to analyse (UTF-8 bytes over the cap), without encoding it when the length decides. */
export function overSizeCap(text: string, maxBytes: number): string | undefined {
  if (text.length * 3 <= maxBytes) return undefined; // at most 3 UTF-8 bytes per UTF-16 unit
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > maxBytes ? tooLarge(maxBytes, bytes) : undefined;
}
