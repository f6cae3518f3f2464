// What the language server's main thread asks its analysis worker (analysis-worker.ts) to do.
import type { FileAnalysis } from '../core/analyze';
import type { Discovery } from '../core/discover';
import type { Boundary } from '../core/files';
import type { RuleSettings } from '../core/types';

export interface AnalysisOptions {
  rules?: RuleSettings;
  timeBudgetMs?: number;
  maxFileSize?: number;
  /** List outbound connection sites too (connections.ts), for the hover on connect(). */
  connections?: boolean;
}

export type Job =
  /** Analyse a file; with `text` (an editor buffer) nothing of it is read from disk. */
  | { kind: 'analyze'; file: string; text?: string; options: AnalysisOptions }
  /**
   * The outcome `linger audit --cache` stored for a file (in `cacheFile`), when the buffer is the
   * text it was computed from and every other input is unchanged; null otherwise.
   */
  | { kind: 'cached'; file: string; text: string; cacheFile: string; options: AnalysisOptions }
  /** The source files under folders (discover.ts), for the audit and the listener inventory. */
  | { kind: 'list'; roots: string[] }
  /** Load a file into its project (an audit loads every file first: one program per project). */
  | { kind: 'load'; file: string }
  /** A closed buffer goes back to the text on disk. */
  | { kind: 'revert'; file: string }
  /** Configs changed: reload projects and configs on next use. */
  | { kind: 'invalidate' }
  /** The workspace folders (or the setting that allows configs above them) changed. */
  | { kind: 'boundary'; boundary: Boundary }
  /** A full garbage collection (memory measurements of the soak, which runs the server with --expose-gc). */
  | { kind: 'gc' };

export interface JobResults {
  analyze: FileAnalysis;
  cached: FileAnalysis | null;
  list: Discovery;
  load: null;
  revert: null;
  invalidate: null;
  boundary: null;
  gc: null;
}

export type JobReply = ({ ok: true; value: unknown } | { ok: false; error: string }) & {
  id: number;
  /** Set when the worker dropped its projects to stay under its heap limit (heap in MB then). */
  droppedCaches?: number;
};
