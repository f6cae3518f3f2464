// The sites of the last `linger trace` run, sent by the client (`linger/traceSites`): a finding
// whose range covers a traced line gains a related location "seen at run time: ...". Nothing here
// runs or reads workspace code; the figures come from the trace report the client read.
import { Diagnostic } from 'vscode-languageserver/node';
import type { TracedSiteInfo, TraceSitesParams } from '../protocol';
import { isObject } from './guards';
import { pathToUri, uriToPath } from './paths';

/** Sites kept at most (a report lists every site; only the first ones matter here). */
const MAX_SITES = 5000;

export class TracedSites {
  /** Bumped when the sites change: part of the diagnostics' result id. */
  generation = 0;
  private byFile = new Map<string, TracedSiteInfo[]>();
  private last = '';

  /** Replaces the sites; false when the params are unusable or nothing changed. */
  update(params: TraceSitesParams | undefined): boolean {
    const list = isObject(params) && Array.isArray(params.sites) ? params.sites.filter(isSite).slice(0, MAX_SITES) : null;
    if (!list) return false;
    const key = JSON.stringify(list);
    if (key === this.last) return false;
    this.last = key;
    this.byFile = new Map();
    for (const site of list) {
      const file = normalise(site.path);
      const sites = this.byFile.get(file) ?? [];
      sites.push(site);
      this.byFile.set(file, sites);
    }
    this.generation++;
    return true;
  }

  /** The diagnostics of `uri`, with "seen at run time" added to those at a traced line. */
  decorate(uri: string, diagnostics: Diagnostic[]): Diagnostic[] {
    if (this.byFile.size === 0) return diagnostics;
    const file = uriToPath(uri);
    const sites = file ? this.byFile.get(normalise(file)) : undefined;
    if (!sites) return diagnostics;
    return diagnostics.map((d) => {
      const here = sites.filter((s) => s.line - 1 >= d.range.start.line && s.line - 1 <= d.range.end.line);
      // Findings carry `data`; the note of a skipped file does not.
      if (!here.length || d.data === undefined) return d;
      return {
        ...d,
        relatedInformation: [
          ...(d.relatedInformation ?? []),
          ...here.map((s) => ({
            location: { uri: pathToUri(s.path), range: { start: { line: s.line - 1, character: s.column - 1 }, end: { line: s.line - 1, character: s.column - 1 } } },
            message: seenAtRunTime(s),
          })),
        ],
      };
    });
  }
}

/** "seen at run time: 3 sockets in CLOSE_WAIT, 318 of 320 responses never consumed". */
export function seenAtRunTime(s: TracedSiteInfo): string {
  const parts = [`${s.closeWait} socket${s.closeWait === 1 ? '' : 's'} in CLOSE_WAIT`];
  if (s.unconsumedResponses > 0) parts.push(`${s.unconsumedResponses} of ${Math.max(s.responses, s.unconsumedResponses)} responses never consumed`);
  if (s.timeWait > 0) parts.push(`${s.timeWait} left in TIME_WAIT (${s.timeWaitPerSecond}/s)`);
  return `seen at run time: ${parts.join(', ')}`;
}

function isSite(s: unknown): s is TracedSiteInfo {
  if (!isObject(s) || typeof s.path !== 'string' || !s.path) return false;
  const counts = ['line', 'column', 'closeWait', 'timeWait', 'timeWaitPerSecond', 'responses', 'unconsumedResponses'];
  return counts.every((k) => typeof s[k] === 'number' && Number.isFinite(s[k]) && s[k] >= 0) && s.line >= 1 && s.column >= 1;
}

function normalise(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  return process.platform === 'win32' ? slashed.toLowerCase() : slashed;
}
