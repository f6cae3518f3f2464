// `linger audit` options, named and behaving like ESLint's where ESLint has one.
import { isSeverity, KNOWN_RULE_IDS } from '../core/config';
import { RuleSettings } from '../core/types';

export class UsageError extends Error {}

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
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') && !arg.startsWith('--rule=') ? arg.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const noValue = () => {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
    };
    const wholeNumber = (min: number) => {
      const v = value();
      const n = Number(v);
      if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} needs a whole number${min > 0 ? ` of at least ${min}` : ` (${min} or more)`}, not "${v}"`);
      return n;
    };
    switch (flag) {
      case '--project': case '-p': a.project = value(); break;
      case '--format': case '-f': {
        const f = value();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format "${f}" (text, json or sarif)`);
        a.format = f;
        break;
      }
      case '--max-warnings': a.maxWarnings = wholeNumber(-1); break;
      case '--output': case '-o': a.output = value(); break;
      case '--quiet': noValue(); a.quiet = true; break;
      case '--time-budget': a.timeBudgetMs = wholeNumber(1); break;
      case '--fix': noValue(); a.fix = 'write'; break;
      case '--fix-dry-run': noValue(); a.fix = 'dry-run'; break;
      case '--cache': noValue(); a.cache = true; break;
      case '--cache-location': a.cacheLocation = value(); break;
      case '--report-unused-disable-directives': noValue(); a.unusedDirectives = 'error'; break;
      case '--report-unused-disable-directives-severity': {
        const v = value();
        const sev = ({ off: 'off', '0': 'off', warn: 'warning', warning: 'warning', '1': 'warning', error: 'error', '2': 'error' } as const)[v];
        if (!sev) throw new UsageError(`${flag} must be off, warn or error, not "${v}"`);
        a.unusedDirectives = sev;
        break;
      }
      case '--no-error-on-unanalysed': noValue(); a.errorOnUnanalysed = false; break;
      case '--color': noValue(); a.color = true; break;
      case '--no-color': noValue(); a.color = false; break;
      case '--shard': a.shard = parseShard(flag, value()); break;
      default:
        if (flag === '--rule' || arg.startsWith('--rule=')) {
          const spec = arg.startsWith('--rule=') ? arg.slice(7) : value();
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
