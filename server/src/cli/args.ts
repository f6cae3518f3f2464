// `linger audit` options, named and behaving like ESLint's where ESLint has one.
import { isSeverity, KNOWN_RULE_IDS } from '../core/config';
import { RuleSettings } from '../core/types';

export class UsageError extends Error {}

/**
 * A command line read one argument at a time: `--flag value`, `--flag=value` (where `inline` says
 * the argument may carry its value), `-f value`; the value readers throw a UsageError naming the flag.
 */
export class ArgReader {
  arg = '';
  flag = '';
  private inlineValue?: string;
  private i = -1;

  constructor(private args: string[], private inline: (arg: string) => boolean = (arg) => arg.startsWith('--')) {}

  /** Moves to the next argument; false after the last. */
  next(): boolean {
    if (++this.i >= this.args.length) return false;
    this.arg = this.args[this.i];
    const eq = this.inline(this.arg) ? this.arg.indexOf('=') : -1;
    [this.flag, this.inlineValue] = eq > 0 ? [this.arg.slice(0, eq), this.arg.slice(eq + 1)] : [this.arg, undefined];
    return true;
  }

  value(): string {
    const v = this.inlineValue ?? this.args[++this.i];
    if (v === undefined) throw new UsageError(`${this.flag} needs a value`);
    return v;
  }

  noValue(): void {
    if (this.inlineValue !== undefined) throw new UsageError(`${this.flag} takes no value`);
  }

  wholeNumber(min: number): number {
    const v = this.value();
    const n = Number(v);
    if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${this.flag} needs a whole number${min > 0 ? ` of at least ${min}` : ` (${min} or more)`}, not "${v}"`);
    return n;
  }

  format(): 'text' | 'json' | 'sarif' {
    const f = this.value();
    if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format "${f}" (text, json or sarif)`);
    return f;
  }
}

export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
}

export const MAX_SHARDS = 1000;

export function parseShard(flag: string, v: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(v);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1 && count <= MAX_SHARDS) || !(index >= 1 && index <= count)) {
    throw new UsageError(`${flag} needs i/N with 1 <= i <= N <= ${MAX_SHARDS} (for example 2/4), not "${v}"`);
  }
  return { index, count };
}

export type Format = 'text' | 'json' | 'sarif';
export type DirectiveSeverity = 'off' | 'warning' | 'error';

export interface AuditArgs {
  paths: string[];
  project?: string;
  format: Format;
  rules: RuleSettings;
  /** Warnings allowed before exit 1; undefined: none (every rule is a warning by default); -1: unlimited. */
  maxWarnings?: number;
  output?: string;
  /** Only errors are reported and counted (ESLint's --quiet). */
  quiet: boolean;
  /** Per-file time budget in ms; none unless asked (deterministic CI). */
  timeBudgetMs?: number;
  /** Apply the safe fixes and write them (`fix`), or only print the fixed text (`dry-run`). */
  fix?: 'write' | 'dry-run';
  /** Severity of a suppression comment that silences nothing (ESLint's --report-unused-disable-directives). */
  unusedDirectives: DirectiveSeverity;
  /** Files that should have been analysed and were not fail the audit, unless turned off. */
  errorOnUnanalysed: boolean;
  /** --color / --no-color; undefined: decided by the environment (colors.ts). */
  color?: boolean;
  cache: boolean;
  cacheLocation?: string;
  /** Audit only this slice of the files (a CI job matrix); `linger merge` joins the reports. */
  shard?: ShardSpec;
}

export const AUDIT_USAGE = `linger audit [paths...] [--project <tsconfig>] [--format text|json|sarif] [--output <file>]
               [--rule <id>=off|hint|info|warning|error]... [--max-warnings <n>] [--quiet]
               [--fix | --fix-dry-run] [--cache [--cache-location <path>]] [--time-budget <ms>]
               [--report-unused-disable-directives] [--no-error-on-unanalysed] [--color | --no-color]
               [--shard <i>/<n>]`;

export const AUDIT_HELP = `Options of linger audit:
  -p, --project <tsconfig>   audit every file of this tsconfig/jsconfig (with no paths), or use it for the paths given
  -f, --format <name>        text (default), json, or sarif (SARIF 2.1.0 for code scanning)
  -o, --output <file>        write the report to a file (its folder is created) instead of stdout
  --rule <id>=<severity>     override a rule's severity: off, hint, info, warning or error (repeatable)
  --max-warnings <n>         warnings allowed before exit 1 (default 0: every rule is a warning by default; -1: no limit)
  --quiet                    report errors only (warnings are neither printed nor counted)
  --fix                      apply the fixes marked safe (those "Fix all" applies in the editor), write them, re-audit
  --fix-dry-run              the same without writing: --format json adds "fixed": [{ file, output }]
  --cache                    reuse the results of unchanged files (kept in .lingercache)
  --cache-location <path>    the cache file, or a folder to keep it in
  --time-budget <ms>         give up on a file after this long (default: no limit, so results never depend on load)
  --report-unused-disable-directives           report linger-ignore comments that silence nothing, as errors
  --report-unused-disable-directives-severity  off, warn or error
  --no-error-on-unanalysed   a file that does not parse or ran out of its time budget does not fail the audit
  --color, --no-color        force colors on or off (default: on when stdout is a terminal; NO_COLOR, FORCE_COLOR)
  --shard <i>/<n>            audit only the i-th of n slices of the files (split by path, balanced by size);
                             \`linger merge\` joins the JSON or SARIF reports of the n shards into the whole audit's`;

export function parseAudit(args: string[]): AuditArgs {
  const a: AuditArgs = { paths: [], format: 'text', rules: {}, quiet: false, unusedDirectives: 'off', errorOnUnanalysed: true, cache: false };
  const r = new ArgReader(args, (arg) => arg.startsWith('--') && !arg.startsWith('--rule='));
  while (r.next()) {
    const { arg, flag } = r;
    switch (flag) {
      case '--project': case '-p': a.project = r.value(); break;
      case '--format': case '-f': a.format = r.format(); break;
      case '--max-warnings': a.maxWarnings = r.wholeNumber(-1); break;
      case '--output': case '-o': a.output = r.value(); break;
      case '--quiet': r.noValue(); a.quiet = true; break;
      case '--time-budget': a.timeBudgetMs = r.wholeNumber(1); break;
      case '--fix': r.noValue(); a.fix = 'write'; break;
      case '--fix-dry-run': r.noValue(); a.fix = 'dry-run'; break;
      case '--cache': r.noValue(); a.cache = true; break;
      case '--cache-location': a.cacheLocation = r.value(); break;
      case '--report-unused-disable-directives': r.noValue(); a.unusedDirectives = 'error'; break;
      case '--report-unused-disable-directives-severity': {
        const v = r.value();
        const sev = ({ off: 'off', '0': 'off', warn: 'warning', warning: 'warning', '1': 'warning', error: 'error', '2': 'error' } as const)[v];
        if (!sev) throw new UsageError(`${flag} must be off, warn or error, not "${v}"`);
        a.unusedDirectives = sev;
        break;
      }
      case '--no-error-on-unanalysed': r.noValue(); a.errorOnUnanalysed = false; break;
      case '--color': r.noValue(); a.color = true; break;
      case '--no-color': r.noValue(); a.color = false; break;
      case '--shard': a.shard = parseShard(flag, r.value()); break;
      default:
        if (flag === '--rule' || arg.startsWith('--rule=')) {
          const spec = arg.startsWith('--rule=') ? arg.slice(7) : r.value();
          const [id, sev] = spec.split('=');
          if (!KNOWN_RULE_IDS.includes(id)) throw new UsageError(`unknown rule "${id}" (known: ${KNOWN_RULE_IDS.join(', ')})`);
          if (!sev || !isSeverity(sev)) throw new UsageError(`--rule ${spec}: severity must be off, hint, info, warning or error`);
          a.rules[id] = sev;
        } else if (arg.startsWith('-')) {
          throw new UsageError(`unknown option ${arg}`);
        } else {
          a.paths.push(arg);
        }
    }
  }
  if (a.shard && a.fix) throw new UsageError(`--shard cannot be combined with ${a.fix === 'write' ? '--fix' : '--fix-dry-run'} (a fix can change what the files of other shards find)`);
  return a;
}
