// The result of auditing one file, as the CLI keeps it: what the analyzer returned, with the
// configuration messages split into the ones that fail the audit (.lingerrc.json) and the ones
// that only warn (tsconfig/jsconfig). This is also what the cache stores per file.
import { FileAnalysis } from '../core/analyze';
import { DirectiveProblem } from '../core/suppressions';
import { Finding, Listener } from '../core/types';

export interface FileOutcome {
  file: string;
  findings: Finding[];
  listeners: Listener[];
  directives: DirectiveProblem[];
  skipped?: string;
  fatal?: boolean;
  excluded?: boolean;
  configErrors: string[];
  configWarnings: string[];
}

/**
 * `tsconfigMessages`: everything the project host said about tsconfigs (they only warn); the one
 * about the file's own tsconfig, if any, is kept with the file.
 */
export function outcomeOf(r: FileAnalysis, tsconfigMessages: Set<string>, ownConfigMessage: string | undefined): FileOutcome {
  return {
    file: r.file,
    findings: r.findings,
    listeners: r.listeners,
    directives: r.directives ?? [],
    ...(r.skipped ? { skipped: r.skipped } : {}),
    ...(r.fatal ? { fatal: true } : {}),
    ...(r.excluded ? { excluded: true } : {}),
    configErrors: r.configErrors.filter((e) => !tsconfigMessages.has(e)),
    configWarnings: ownConfigMessage ? [ownConfigMessage] : [],
  };
}

/**
 * Whether an outcome depends only on the file's inputs, so it may be cached: a file skipped for its
 * time budget, a failed read or an internal error is tried again next time.
 */
export function isCacheable(o: FileOutcome): boolean {
  return !o.fatal || !!o.skipped?.startsWith('does not parse');
}

/**
 * A cached outcome as the analysis of its file, for the language server's first diagnostics. Without
 * the fixes: an edit is only ever offered from an analysis this server ran (a cache file is workspace
 * content, which anyone may have written), and the analysis that follows brings them.
 */
export function cachedAnalysis(o: FileOutcome): FileAnalysis {
  return {
    file: o.file,
    findings: o.findings.map((f) => ({ ...f, fixes: [] })),
    listeners: o.listeners,
    connections: [],
    directives: o.directives,
    ...(o.skipped ? { skipped: o.skipped } : {}),
    ...(o.fatal ? { fatal: true } : {}),
    ...(o.excluded ? { excluded: true } : {}),
    configErrors: [...o.configErrors, ...o.configWarnings],
    durationMs: 0,
  };
}
