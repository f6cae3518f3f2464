// The shapes that cross the boundary between the analysis core and its users (CLI, language
// server, tests). Nothing here may import from vscode-languageserver.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

/** 1-based line and column, like the CLI's JSON output. `endColumn` is exclusive. */
export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface TextEdit extends Range {
  file: string;
  newText: string;
}

export interface Fix {
  title: string;
  /** Safe to apply without review, so offered by "Fix all" (`source.fixAll.linger`). */
  safe: boolean;
  edits: TextEdit[];
}

export interface RelatedLocation extends Range {
  file: string;
  message: string;
}

/** Which explanation page a finding links to. */
export type Explanation = 'close-wait' | 'time-wait';

export interface Finding extends Range {
  ruleId: string;
  messageId: string;
  severity: Severity;
  message: string;
  file: string;
  related: RelatedLocation[];
  fixes: Fix[];
  explanation: Explanation;
}

export type ReuseState = 'implicit' | 'explicit' | 'off';

/** One `listen()`/`bind()` site, for the listener inventory. */
export interface Listener {
  file: string;
  line: number;
  column: number;
  api: string;
  port: number | null;
  host: string | null;
  reuseAddr: ReuseState;
  reusePort: boolean;
}

export interface SkippedFile {
  file: string;
  reason: string;
  /**
   * The file should have been analysed and was not (it does not parse, ran out of its time budget,
   * could not be read, the analysis failed): an error for the CLI, like ESLint's fatal parse errors.
   * Files skipped on purpose (oversized, minified, generated, not regular files) leave it unset.
   */
  fatal?: boolean;
}

/** An outbound connection site whose target is a literal in the code. */
export interface ConnectionSite {
  file: string;
  line: number;
  column: number;
  api: string;
  host: string | null;
  port: number | null;
}

export interface AnalysisResult {
  findings: Finding[];
  listeners: Listener[];
  connections: ConnectionSite[];
  /** Files that were analysed (not skipped). */
  files: string[];
  skipped: SkippedFile[];
  /** Configuration problems (broken tsconfig, .lingerrc.json), one line each, naming the file. */
  configErrors: string[];
  durationMs: number;
}

export interface RuleSettings {
  [ruleId: string]: SeveritySetting;
}
