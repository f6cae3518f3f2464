// Runs the core analyzer on open documents and remembers the last result of each, so that
// diagnostics, code actions and hovers of the same version share one analysis.
import * as path from 'path';
import { Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer, FileAnalysis } from '../core/analyze';
import { isExcluded } from '../core/config';
import { diagnosticsOf } from './diagnostics';
import { openingOf } from './documents';
import { analysisPath } from './paths';
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
}

export class AnalysisService {
  readonly analyzer = new Analyzer();
  private results = new Map<string, DocumentResult>();
  /** Bumped when anything outside the document may have changed its result (configs, other files). */
  private generation = 0;
  /** Workspace folders (paths), the base of `linger.exclude` globs. */
  folders: string[] = [];

  /** Something changed that can alter every result: drop them all. */
  invalidateResults(): void {
    this.generation++;
  }

  /** tsconfig/package.json/.lingerrc.json changed: reload projects and configs on next use. */
  invalidateProjects(): void {
    this.analyzer.invalidate();
    this.invalidateResults();
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
    return r && r.version === doc.version ? r : undefined;
  }

  forget(uri: string, languageId = 'typescript'): void {
    this.results.delete(uri);
    const file = analysisPath(uri, languageId);
    // Back to the text on disk, so the project does not keep a closed buffer's unsaved edits.
    if (file) {
      try {
        this.analyzer.projects.revert(file);
      } catch {
        /* the project may be gone after an invalidate */
      }
    }
  }

  /** Analyse a document now (synchronously: the core is synchronous) and cache the result. */
  analyze(doc: TextDocument, settings: Settings, settingsGeneration: number): DocumentResult {
    const context = this.contextKey(settingsGeneration);
    const resultId = `${openingOf(doc)}.${doc.version}.${context}`;
    const cached = this.results.get(doc.uri);
    if (cached && cached.resultId === resultId) return cached;
    const file = analysisPath(doc.uri, doc.languageId);
    let analysis: FileAnalysis;
    if (!settings.enable || !file || this.excludedBySettings(file, settings)) {
      analysis = { file: file ?? doc.uri, findings: [], listeners: [], connections: [], excluded: true, configErrors: [], durationMs: 0 };
    } else {
      this.analyzer.setOptions({ rules: settings.rules, timeBudgetMs: settings.timeBudgetMs, maxFileSize: settings.maxFileSize });
      analysis = this.analyzer.analyzeFile(file, doc.getText());
    }
    const result: DocumentResult = { uri: doc.uri, version: doc.version, resultId, context, analysis, diagnostics: diagnosticsOf(analysis, doc.version) };
    this.results.set(doc.uri, result);
    return result;
  }

  /** `linger.exclude` globs are relative to the workspace folder that holds the file. */
  excludedBySettings(file: string, settings: Settings): boolean {
    if (!settings.exclude.length) return false;
    const root = this.folders.filter((f) => file.startsWith(f + path.sep)).sort((a, b) => b.length - a.length)[0] ?? path.dirname(file);
    return isExcluded(file, { exclude: settings.exclude, root, rules: {} });
  }
}
