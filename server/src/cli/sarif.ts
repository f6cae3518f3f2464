// SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer): the rules with their help, the
// results with related locations, fixes and fingerprints that survive edits elsewhere in the file,
// and the invocation with the files that were not analysed as notifications. Validated against
// the OASIS schema in test/cli/sarif.test.ts.
import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { RULES } from '../rules';
import { Severity, SkippedFile } from '../core/types';
import { VERSION } from '../core/version';
import { enclosingFunctionName } from './enclosing';
import { DIRECTIVE_RULES, Reported } from './report';
import type { ShardInfo } from './shard';

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
const REPO = 'https://github.com/linger-dev/linger';
/** The run property of a shard's SARIF that says which shard it is (merge.ts reads it). */
export const SHARD_PROPERTY = 'lingerShard';

export interface SarifInput {
  findings: Reported[];
  skipped: SkippedFile[];
  configErrors?: string[];
  configWarnings?: string[];
}

/** `textOf` gives a file's text (as analysed) for the fingerprints; without it they use the message. */
export function toSarif(report: SarifInput, root: string, textOf?: (file: string) => string | undefined, shard?: ShardInfo): string {
  const uri = (abs: string) => {
    const rel = path.relative(root, abs);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
    return { uri: pathToFileURL(abs).href };
  };
  const region = (r: { line: number; column: number; endLine?: number; endColumn?: number }) => ({
    startLine: r.line, startColumn: r.column, ...(r.endLine ? { endLine: r.endLine, endColumn: r.endColumn } : {}),
  });
  const rules = [...RULES.map((r) => ({
    id: r.meta.id,
    name: pascal(r.meta.id),
    shortDescription: { text: firstSentence(r.meta.description) },
    fullDescription: { text: `${r.meta.description} ${explanationOf(r.meta.explanation)}` },
    helpUri: `${REPO}/blob/main/${r.meta.docs}`,
    help: {
      text: `${r.meta.description}\n\nWhat it reports:\n${Object.values(r.meta.messages).map((m) => `- ${m}`).join('\n')}\n\nSee ${REPO}/blob/main/${r.meta.docs}`,
      markdown: `${r.meta.description}\n\n**What it reports:**\n\n${Object.values(r.meta.messages).map((m) => `- ${m}`).join('\n')}\n\n[Rule page](${REPO}/blob/main/${r.meta.docs}) · [${r.meta.explanation === 'time-wait' ? 'TIME_WAIT' : 'CLOSE_WAIT'} explained](${REPO}/blob/main/docs/${r.meta.explanation}.md)`,
    },
    defaultConfiguration: { level: r.meta.defaultSeverity === 'off' ? 'none' : SARIF_LEVEL[r.meta.defaultSeverity] },
    properties: { tags: ['reliability', r.meta.explanation === 'time-wait' ? 'TIME_WAIT' : 'CLOSE_WAIT'] },
  })), ...Object.values(DIRECTIVE_RULES).map((r) => ({
    id: r.id,
    name: pascal(r.id),
    shortDescription: { text: firstSentence(r.description) },
    fullDescription: { text: r.description },
    helpUri: `${REPO}#configuration`,
    help: { text: r.description },
    defaultConfiguration: { level: 'warning' },
  }))];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const fingerprints = fingerprintsOf(report.findings, textOf, (f) => uri(f).uri);
  const results = report.findings.map((f, i) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId),
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: uri(f.file), region: region(f) } }],
    ...(f.related.length ? {
      relatedLocations: f.related.map((r, j) => ({
        id: j + 1,
        message: { text: r.message },
        physicalLocation: { artifactLocation: uri(r.file), region: region(r) },
      })),
    } : {}),
    ...(f.fixes.length ? {
      fixes: f.fixes.map((x) => ({
        description: { text: x.safe ? x.title : `${x.title} (review before applying)` },
        artifactChanges: groupEdits(x.edits).map(([file, edits]) => ({
          artifactLocation: uri(file),
          replacements: edits.map((e) => ({ deletedRegion: region(e), insertedContent: { text: e.newText } })),
        })),
      })),
    } : {}),
    partialFingerprints: { primaryLocationLineHash: fingerprints[i], 'lingerFinding/v1': fingerprints[i] },
  }));
  const notifications = report.skipped.map((s) => ({
    level: s.fatal ? 'error' : 'note',
    message: { text: `${s.fatal ? 'not analysed' : 'skipped'}: ${s.reason}` },
    locations: [{ physicalLocation: { artifactLocation: uri(s.file) } }],
    descriptor: { id: s.fatal ? 'unanalysed-file' : 'skipped-file' },
  }));
  const configNotes = [
    ...(report.configErrors ?? []).map((text) => ({ level: 'error', message: { text }, descriptor: { id: 'config-error' } })),
    ...(report.configWarnings ?? []).map((text) => ({ level: 'warning', message: { text }, descriptor: { id: 'tsconfig-warning' } })),
  ];
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'linger', version: VERSION, semanticVersion: VERSION, informationUri: REPO, rules } },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(root.endsWith(path.sep) ? root : root + path.sep).href } },
      columnKind: 'utf16CodeUnits',
      results,
      invocations: [{
        executionSuccessful: !(report.configErrors ?? []).length,
        toolExecutionNotifications: notifications,
        ...(configNotes.length ? { toolConfigurationNotifications: configNotes } : {}),
      }],
      // Only in the report of one shard (linger audit --shard); `linger merge` removes it.
      ...(shard ? { properties: { [SHARD_PROPERTY]: shard } } : {}),
    }],
  }, null, 2);
}

/**
 * A fingerprint per finding that does not move with the line: a hash of the rule, the file, the
 * names of the functions around the finding and the reported code with its whitespace normalised;
 * findings with the same hash in one file are told apart by their order (`hash:1`, `hash:2`, as
 * GitHub's own primaryLocationLineHash).
 */
export function fingerprintsOf(findings: Reported[], textOf: ((file: string) => string | undefined) | undefined, uriOf: (file: string) => string): string[] {
  const texts = new Map<string, string | undefined>();
  const seen = new Map<string, number>();
  return findings.map((f) => {
    if (!texts.has(f.file)) texts.set(f.file, textOf?.(f.file));
    const text = texts.get(f.file);
    let context: string;
    if (text !== undefined) {
      const start = offsetOf(text, f.line, f.column);
      const end = offsetOf(text, f.endLine, f.endColumn);
      context = `${enclosingFunctionName(f.file, text, start)}\0${text.slice(start, Math.max(start, end)).replace(/\s+/g, ' ').trim()}`;
    } else {
      context = f.message.replace(/\d+/g, '#'); // no text: the message, without the line numbers it may quote
    }
    const hash = createHash('sha256').update(`${f.ruleId}\0${uriOf(f.file)}\0${context}`).digest('hex').slice(0, 32);
    const n = (seen.get(`${f.file}\0${hash}`) ?? 0) + 1;
    seen.set(`${f.file}\0${hash}`, n);
    return `${hash}:${n}`;
  });
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(text.length, offset + column - 1);
}

function pascal(id: string): string {
  return id.replace(/(^|-)(\w)/g, (_, __, ch: string) => ch.toUpperCase());
}

function firstSentence(s: string): string {
  const m = /^(.+?[.:])(\s|$)/.exec(s);
  return m ? m[1].replace(/:$/, '.') : s;
}

function explanationOf(e: string): string {
  return e === 'time-wait'
    ? 'The side that closes a TCP connection first keeps it in TIME_WAIT for a minute or more; many short connections exhaust the ephemeral ports (EADDRNOTAVAIL).'
    : 'A connection the peer has closed stays in CLOSE_WAIT until this process closes it: the socket and its file descriptor leak until the process runs out of them (EMFILE) or a pool waits forever.';
}

function groupEdits<T extends { file: string }>(edits: T[]): Array<[string, T[]]> {
  const m = new Map<string, T[]>();
  for (const e of edits) m.set(e.file, [...(m.get(e.file) ?? []), e]);
  return [...m];
}
