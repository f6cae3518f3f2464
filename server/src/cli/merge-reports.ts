// Joining the reports of the shards of one audit (`linger audit --shard i/N`) into the report the
// whole audit would have printed: the same findings, listeners and skipped files in the same order,
// the same counts; only durationMs differs (the longest shard's). JSON goes back through toJson, so
// both writers are one; SARIF is merged as SARIF (its fingerprints need the files' text, which the
// shards had). Paths are ordered as the audit orders them, by absolute path: a relative path in a
// report is taken relative to the current folder (run the merge where the shards ran, the
// repository's root), a SARIF location relative to the shard's %SRCROOT%.
import * as path from 'path';
import { fileURLToPath } from 'url';
import { Listener, SkippedFile } from '../core/types';
import { AuditReport, compareFiles, compareReported, Reported } from './report';
import { SHARD_PROPERTY } from './sarif';
import type { ShardInfo } from './shard';

/** Reports are JSON read from files, checked where it matters (merge.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonReport = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SarifLog = any;

/** The shard a report says it is, or undefined for a report that is not a shard's. */
export function shardOfJson(report: JsonReport): ShardInfo | undefined {
  return report?.shard;
}

export function shardOfSarif(log: SarifLog): ShardInfo | undefined {
  return log?.runs?.[0]?.properties?.[SHARD_PROPERTY];
}

/** Sorts `items` by `compare` applied to their keys (computed once each); stable. */
function sortBy<T, K>(items: T[], keyOf: (x: T) => K, compare: (a: K, b: K) => number): T[] {
  return items.map((x) => ({ x, k: keyOf(x) })).sort((a, b) => compare(a.k, b.k)).map((e) => e.x);
}

/** The shards' JSON reports (in shard order) as one audit report, paths as the reports show them. */
export function mergeJson(shards: JsonReport[], cwd: string): AuditReport {
  const abs = (f: string) => path.resolve(cwd, f);
  const findings: Reported[] = shards.flatMap((r) => r.findings);
  const listeners: Listener[] = shards.flatMap((r) => r.listeners);
  const skipped: SkippedFile[] = shards.flatMap((r) => r.summary.skipped)
    .map((s: { file: string; reason: string; fatal: boolean }) => ({ file: s.file, reason: s.reason, ...(s.fatal ? { fatal: true } : {}) }));
  const analysed = shards.reduce((n, r) => n + r.summary.files, 0);
  return {
    findings: sortBy(findings, (f) => ({ ...f, file: abs(f.file) }), compareReported),
    listeners: sortBy(listeners, (l) => ({ ...l, file: abs(l.file) }), compareReported),
    // Only the number of files analysed is in a JSON report (and all that toJson and toText use).
    files: new Array<string>(analysed).fill(''),
    skipped: sortBy(skipped, (s) => abs(s.file), compareFiles),
    configErrors: [],
    configWarnings: [],
    durationMs: Math.max(...shards.map((r) => r.summary.durationMs)),
  };
}

/** The shards' SARIF logs (in shard order) as one: the first shard's run with every shard's results and notifications. */
export function mergeSarif(shards: SarifLog[]): SarifLog {
  const merged = JSON.parse(JSON.stringify(shards[0]));
  const run = merged.runs[0];
  const root: string | undefined = run.originalUriBaseIds?.['%SRCROOT%']?.uri;
  const fileOf = (loc: any): string => {
    const a = loc?.physicalLocation?.artifactLocation;
    if (!a?.uri) return '';
    if (a.uriBaseId === '%SRCROOT%' && root) return path.join(fileURLToPath(root), ...a.uri.split('/').map(decodeURIComponent));
    try {
      return fileURLToPath(a.uri);
    } catch {
      return a.uri;
    }
  };
  const runs = shards.map((s) => s.runs[0]);
  run.results = sortBy(runs.flatMap((r) => r.results), (x: any) => ({
    file: fileOf(x.locations?.[0]), line: x.locations?.[0]?.physicalLocation?.region?.startLine ?? 0,
    column: x.locations?.[0]?.physicalLocation?.region?.startColumn ?? 0, ruleId: x.ruleId,
  }), compareReported);
  const invocation = run.invocations[0];
  invocation.executionSuccessful = runs.every((r) => r.invocations?.[0]?.executionSuccessful !== false);
  invocation.toolExecutionNotifications = sortBy(runs.flatMap((r) => r.invocations?.[0]?.toolExecutionNotifications ?? []), (n: any) => fileOf(n.locations?.[0]), compareFiles);
  // Configuration problems are reported by every shard that met them: once each, errors first, sorted as the audit sorts them.
  const notes = new Map<string, any>();
  for (const r of runs) for (const n of r.invocations?.[0]?.toolConfigurationNotifications ?? []) notes.set(`${n.descriptor?.id}\0${n.message?.text}`, n);
  const kind = (id: string) => sortBy([...notes.values()].filter((n) => n.descriptor?.id === id), (n: any) => String(n.message?.text), compareFiles);
  const configNotes = [...kind('config-error'), ...kind('tsconfig-warning')];
  delete invocation.toolConfigurationNotifications;
  if (configNotes.length) invocation.toolConfigurationNotifications = configNotes;
  delete run.properties[SHARD_PROPERTY];
  if (!Object.keys(run.properties).length) delete run.properties;
  return merged;
}
