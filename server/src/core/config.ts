// Configuration: the nearest `.lingerrc.json`, or the `linger` key of the nearest package.json,
// validated against schemas/lingerrc.schema.json. A broken file yields one message naming it and
// the problem; analysis goes on with the defaults. Config files are read through the file-system
// layer (regular files only, size-capped, inside the workspace or, where allowed, above it).
import * as path from 'path';
import schema from '../../../schemas/lingerrc.schema.json';
import { CONFIG_SIZE_LIMIT, FileAccess } from './files';
import { excludeMatcher } from './globs';
import { RuleSettings, SeveritySetting } from './types';

export interface LingerConfig {
  rules: RuleSettings;
  exclude: string[];
  /** Folder the exclude globs are relative to. */
  root: string;
  maxFileSize?: number;
  timeBudgetMs?: number;
  /** Where it was read from; undefined for the defaults. */
  source?: string;
}

export interface ConfigLookup {
  config: LingerConfig;
  error?: string;
  /** The config file the error is about (the editor puts a diagnostic on it). */
  errorFile?: string;
}

/** One problem of a config, at a JSON path of the Linger part (`["rules", "x"]`). */
export interface ConfigProblem {
  path: Array<string | number>;
  /** The property name itself is wrong (an unknown key), not its value. */
  onKey?: boolean;
  message: string;
}

const SEVERITIES: readonly string[] = schema.properties.rules.additionalProperties.enum;
export const KNOWN_RULE_IDS: readonly string[] = schema.properties.rules.propertyNames.enum;

export class ConfigCache {
  private byDir = new Map<string, ConfigLookup>();

  constructor(private files = new FileAccess()) {}

  /** Forget everything (a config file changed). */
  clear(): void {
    this.byDir.clear();
  }

  forFile(file: string): ConfigLookup {
    return this.forDir(path.dirname(path.resolve(file)));
  }

  /** The config that applies to the files of `dir`: in it, or in the nearest folder above it that may be read. */
  forDir(dir: string): ConfigLookup {
    // Iterative: a folder hierarchy can be deep, and every folder on the way gets the answer cached.
    const pending: string[] = [];
    let result: ConfigLookup | undefined;
    for (let d = path.resolve(dir); ; d = path.dirname(d)) {
      result = this.byDir.get(d);
      if (result) break;
      pending.push(d);
      if (!this.files.mayLookForConfigsIn(d)) {
        result = { config: defaults(pending[0]) };
        break;
      }
      const rc = path.join(d, '.lingerrc.json');
      const pkg = path.join(d, 'package.json');
      if (this.files.exists(rc)) result = this.read(rc, (json) => json);
      else if (this.files.exists(pkg)) result = this.read(pkg, (json) => (isObject(json) ? json.linger : undefined));
      if (result) break;
      if (path.dirname(d) === d) {
        result = { config: defaults(d) };
        break;
      }
    }
    for (const d of pending) this.byDir.set(d, result);
    return result;
  }

  private read(file: string, pick: (json: unknown) => unknown): ConfigLookup | undefined {
    const r = this.files.readText(file, CONFIG_SIZE_LIMIT, 'config');
    if (r.text === undefined) {
      if (path.basename(file) === 'package.json') return undefined;
      return { config: defaults(path.dirname(file)), error: `${file}: ${r.reason}`, errorFile: file };
    }
    return readConfig(file, r.text, pick);
  }
}

function defaults(root: string): LingerConfig {
  return { rules: {}, exclude: [], root };
}

/** Read one config file; `pick` selects the Linger part (undefined: this file has none, keep looking). */
function readConfig(file: string, text: string, pick: (json: unknown) => unknown): ConfigLookup | undefined {
  const root = path.dirname(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    if (path.basename(file) === 'package.json') return undefined; // not ours to report
    return { config: defaults(root), error: `${file}: not valid JSON (${(e as Error).message})`, errorFile: file };
  }
  const part = pick(json);
  if (part === undefined) return undefined;
  const problems = validate(part);
  const where = path.basename(file) === 'package.json' ? `${file} ("linger" key)` : file;
  if (problems.length) return { config: { ...defaults(root), source: file }, error: `${where}: ${problems.join('; ')}`, errorFile: file };
  const c = part as { rules?: RuleSettings; exclude?: string[]; maxFileSize?: number; timeBudgetMs?: number };
  return {
    config: { rules: c.rules ?? {}, exclude: c.exclude ?? [], root, maxFileSize: c.maxFileSize, timeBudgetMs: c.timeBudgetMs, source: file },
  };
}

/** Validation of the schema's shape (the schema file is the single source of the allowed values). */
export function validate(value: unknown): string[] {
  return configProblems(value).map((p) => p.message);
}

/** The problems of a config's Linger part, each at its JSON path (the editor underlines it there). */
export function configProblems(value: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!isObject(value)) return [{ path: [], message: 'must be an object' }];
  const allowed = Object.keys(schema.properties);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.push({ path: [key], onKey: true, message: `unknown property "${key}" (allowed: ${allowed.filter((k) => k !== '$schema').join(', ')})` });
  }
  const { rules, exclude, maxFileSize, timeBudgetMs } = value as Record<string, unknown>;
  if (rules !== undefined) {
    if (!isObject(rules)) problems.push({ path: ['rules'], message: '"rules" must be an object' });
    else {
      for (const [id, sev] of Object.entries(rules)) {
        if (!KNOWN_RULE_IDS.includes(id)) problems.push({ path: ['rules', id], onKey: true, message: `unknown rule "${id}"` });
        else if (typeof sev !== 'string' || !SEVERITIES.includes(sev)) {
          problems.push({ path: ['rules', id], message: `rule "${id}": severity must be one of ${SEVERITIES.join(', ')} (got ${JSON.stringify(sev)})` });
        }
      }
    }
  }
  if (exclude !== undefined && (!Array.isArray(exclude) || exclude.some((g) => typeof g !== 'string'))) {
    const at = Array.isArray(exclude) ? exclude.findIndex((g) => typeof g !== 'string') : -1;
    problems.push({ path: at >= 0 ? ['exclude', at] : ['exclude'], message: '"exclude" must be an array of glob strings' });
  }
  for (const [k, v] of [['maxFileSize', maxFileSize], ['timeBudgetMs', timeBudgetMs]] as const) {
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) problems.push({ path: [k], message: `"${k}" must be a positive integer` });
  }
  return problems;
}

export function isSeverity(s: string): s is SeveritySetting {
  return SEVERITIES.includes(s);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Excluded by the config's `exclude` globs (relative to the config's folder; see globs.ts for the semantics). */
export function isExcluded(file: string, config: LingerConfig, isDir = false): boolean {
  if (!config.exclude.length) return false;
  const rel = path.relative(config.root, path.resolve(file)).split(path.sep).join('/');
  return excludeMatcher(config.exclude).excludes(rel, isDir);
}
