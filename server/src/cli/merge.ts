// `linger merge <reports…>`: the JSON or SARIF reports of the N shards of one audit (linger audit
// --shard i/N, run by a CI job matrix) as the one report the whole audit would have printed, and
// its exit code: 0 clean, 1 problems (errors, files left unanalysed, more warnings than
// --max-warnings), 2 when the merge cannot be done (a report missing, unreadable, of another
// format, another split or another version of linger), or nothing was analysed at all.
import * as fs from 'fs';
import * as path from 'path';
import { ArgReader, UsageError } from './args';
import { useColor } from './colors';
import { toJson, toText } from './formats';
import { fail, Io, writeReport } from './io';
import { JsonReport, mergeJson, mergeSarif, SarifLog, shardOfJson, shardOfSarif } from './merge-reports';
import { AuditReport, verdict } from './report';
import type { ShardInfo } from './shard';

export const MERGE_USAGE = `linger merge <reports...> [--format json|sarif|text] [--output <file>] [--max-warnings <n>]
               [--no-error-on-unanalysed] [--color | --no-color]`;

export const MERGE_HELP = `Options of linger merge (the reports: one per shard, of linger audit --shard i/N --format json or sarif):
  -f, --format <name>        the merged report's format: the shards' (default), or text from JSON reports
  -o, --output <file>        write the merged report to a file (its folder is created) instead of stdout
  --max-warnings <n>         warnings allowed in all the shards together before exit 1 (default 0; -1: no limit)
  --no-error-on-unanalysed   a file that could not be analysed does not fail the merge
  --color, --no-color        force colors on or off in the text format`;

interface MergeArgs {
  reports: string[];
  format?: 'json' | 'sarif' | 'text';
  output?: string;
  maxWarnings?: number;
  errorOnUnanalysed: boolean;
  color?: boolean;
}

export function parseMerge(args: string[]): MergeArgs {
  const a: MergeArgs = { reports: [], errorOnUnanalysed: true };
  const r = new ArgReader(args);
  while (r.next()) {
    const { arg, flag } = r;
    switch (flag) {
      case '--format': case '-f': a.format = r.format(); break;
      case '--output': case '-o': a.output = r.value(); break;
      case '--max-warnings': a.maxWarnings = r.wholeNumber(-1); break;
      case '--no-error-on-unanalysed': r.noValue(); a.errorOnUnanalysed = false; break;
      case '--color': r.noValue(); a.color = true; break;
      case '--no-color': r.noValue(); a.color = false; break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        a.reports.push(arg);
    }
  }
  if (!a.reports.length) throw new UsageError('linger merge needs the reports of the shards (linger audit --shard i/N --format json or sarif)');
  return a;
}

interface Loaded {
  name: string;
  kind: 'json' | 'sarif';
  data: JsonReport | SarifLog;
  shard: ShardInfo;
  version: string;
}

/** Reads and checks one report; a message (for exit 2) when it cannot be merged. */
function load(name: string, cwd: string): Loaded | string {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, name), 'utf8');
  } catch (e) {
    return `${name}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  let data: JsonReport;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return `${name}: not JSON (${(e as Error).message})`;
  }
  const sarif = data?.version === '2.1.0' && Array.isArray(data?.runs) && data.runs[0]?.tool?.driver?.name === 'linger';
  const json = data?.tool?.name === 'linger' && Array.isArray(data?.findings) && Array.isArray(data?.summary?.skipped);
  if (!sarif && !json) return `${name}: not a report of linger audit (--format json or sarif)`;
  const shard = sarif ? shardOfSarif(data) : shardOfJson(data);
  if (!shard || !Number.isInteger(shard.index) || !Number.isInteger(shard.count) || typeof shard.fingerprint !== 'string') {
    return `${name}: not the report of a shard (linger audit --shard i/N)`;
  }
  return { name, kind: sarif ? 'sarif' : 'json', data, shard, version: String(sarif ? data.runs[0].tool.driver.version : data.tool.version) };
}

/** Why the reports do not make one audit, if they do not. */
function mismatch(reports: Loaded[]): string | undefined {
  const [first] = reports;
  for (const r of reports) {
    if (r.kind !== first.kind) return `${first.name} is ${first.kind.toUpperCase()} but ${r.name} is ${r.kind.toUpperCase()}: merge the reports of one format`;
    if (r.version !== first.version) return `${first.name} comes from linger ${first.version} but ${r.name} from linger ${r.version}`;
    if (r.shard.count !== first.shard.count) return `${first.name} is shard ${first.shard.index}/${first.shard.count} but ${r.name} is shard ${r.shard.index}/${r.shard.count}`;
    if (r.shard.fingerprint !== first.shard.fingerprint) {
      return `${first.name} and ${r.name} come from different runs (other files, file sizes or options): run every shard on the same checkout with the same options`;
    }
  }
  const byIndex = new Map<number, Loaded>();
  for (const r of reports) {
    const twice = byIndex.get(r.shard.index);
    if (twice) return `shard ${r.shard.index}/${r.shard.count} is given twice (${twice.name}, ${r.name})`;
    byIndex.set(r.shard.index, r);
  }
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length) return `missing ${missing.length === 1 ? 'shard' : 'shards'} ${missing.map((i) => `${i}/${first.shard.count}`).join(', ')}: every shard's report is needed`;
  return undefined;
}

export function merge(a: MergeArgs, io: Io): number {
  const loaded: Loaded[] = [];
  for (const name of a.reports) {
    const r = load(name, io.cwd);
    if (typeof r === 'string') return fail(io, r);
    loaded.push(r);
  }
  const problem = mismatch(loaded);
  if (problem) return fail(io, problem);
  loaded.sort((x, y) => x.shard.index - y.shard.index);
  const kind = loaded[0].kind;
  const format = a.format ?? kind;
  if (kind === 'sarif' && format !== 'sarif') return fail(io, `--format ${format} needs the shards' JSON reports (these are SARIF)`);
  if (kind === 'json' && format === 'sarif') return fail(io, '--format sarif needs the shards\' SARIF reports (these are JSON): run the shards with --format sarif');

  let text: string;
  let report: AuditReport;
  const analysed = loaded.reduce((n, r) => n + (r.shard.analysed ?? 0), 0);
  if (kind === 'json') {
    report = mergeJson(loaded.map((r) => r.data), io.cwd);
    const same = (f: string) => f;
    text = format === 'json' ? toJson(report, same)
      : toText(report, same, verdict(report, policy(a)), {
        color: useColor({ flag: a.color, env: io.env ?? {}, isTTY: !!io.isTTY, toFile: !!a.output }), quiet: false, errorOnUnanalysed: a.errorOnUnanalysed,
      });
  } else {
    const log = mergeSarif(loaded.map((r) => r.data));
    text = JSON.stringify(log, null, 2);
    report = fromSarif(log, analysed);
  }
  const unwritten = writeReport(io, a.output, text);
  if (unwritten) return fail(io, unwritten);
  const v = verdict(report, policy(a));
  if (v.code === 2) return 2;
  if (!report.files.length && !(v.unanalysed && a.errorOnUnanalysed)) {
    return fail(io, `no file was analysed by the ${loaded.length} shards (${report.skipped.length} skipped): nothing was checked`);
  }
  if (v.reason) io.stderr(`linger: ${v.reason}`);
  return v.code;
}

function policy(a: MergeArgs) {
  return { maxWarnings: a.maxWarnings, errorOnUnanalysed: a.errorOnUnanalysed };
}

/** What the exit code needs of a merged SARIF log: the levels of its results and notifications, and the files analysed. */
function fromSarif(log: SarifLog, analysed: number): AuditReport {
  const run = log.runs[0];
  const severity = (level: string) => (level === 'error' ? 'error' : level === 'warning' ? 'warning' : 'info');
  const inv = run.invocations?.[0] ?? {};
  return {
    findings: (run.results ?? []).map((r: { level: string }) => ({ severity: severity(r.level) })),
    listeners: [],
    files: new Array<string>(analysed).fill(''),
    skipped: (inv.toolExecutionNotifications ?? []).map((n: { level: string; message: { text: string } }) => ({ file: '', reason: n.message?.text, ...(n.level === 'error' ? { fatal: true } : {}) })),
    configErrors: (inv.toolConfigurationNotifications ?? []).filter((n: { level: string }) => n.level === 'error').map((n: { message: { text: string } }) => n.message?.text),
    configWarnings: [],
    durationMs: 0,
  };
}
