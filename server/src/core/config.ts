// Configuration: the nearest `.lingerrc.json`, or the `linger` key of the nearest package.json,
// validated against schemas/lingerrc.schema.json. A broken file yields one message naming it and
// the problem; analysis goes on with the defaults.
import * as fs from 'fs';
import * as path from 'path';
import schema from '../../../schemas/lingerrc.schema.json';
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
}

const SEVERITIES: readonly string[] = schema.properties.rules.additionalProperties.enum;
export const KNOWN_RULE_IDS: readonly string[] = schema.properties.rules.propertyNames.enum;

export class ConfigCache {
  private byDir = new Map<string, ConfigLookup>();

  /** Forget everything (a config file changed). */
  clear(): void {
    this.byDir.clear();
  }

  forFile(file: string): ConfigLookup {
    return this.forDir(path.dirname(path.resolve(file)));
  }

  private forDir(dir: string): ConfigLookup {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    let result: ConfigLookup | undefined;
    const rc = path.join(dir, '.lingerrc.json');
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(rc)) result = readConfig(rc, (json) => json);
    else if (fs.existsSync(pkg)) result = readConfig(pkg, (json) => (isObject(json) ? json.linger : undefined));
    if (!result) {
      const parent = path.dirname(dir);
      result = parent === dir ? { config: defaults(dir) } : this.forDir(parent);
    }
    this.byDir.set(dir, result);
    return result;
  }
}

function defaults(root: string): LingerConfig {
  return { rules: {}, exclude: [], root };
}

/** Read one config file; `pick` selects the Linger part (undefined: this file has none, keep looking). */
function readConfig(file: string, pick: (json: unknown) => unknown): ConfigLookup | undefined {
  const root = path.dirname(file);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if (path.basename(file) === 'package.json') return undefined; // not ours to report
    return { config: defaults(root), error: `${file}: not valid JSON (${(e as Error).message})` };
  }
  const part = pick(json);
  if (part === undefined) return undefined;
  const problems = validate(part);
  const where = path.basename(file) === 'package.json' ? `${file} ("linger" key)` : file;
  if (problems.length) return { config: { ...defaults(root), source: file }, error: `${where}: ${problems.join('; ')}` };
  const c = part as { rules?: RuleSettings; exclude?: string[]; maxFileSize?: number; timeBudgetMs?: number };
  return {
    config: { rules: c.rules ?? {}, exclude: c.exclude ?? [], root, maxFileSize: c.maxFileSize, timeBudgetMs: c.timeBudgetMs, source: file },
  };
}

/** Validation of the schema's shape (the schema file is the single source of the allowed values). */
export function validate(value: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(value)) return ['must be an object'];
  const allowed = Object.keys(schema.properties);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.push(`unknown property "${key}" (allowed: ${allowed.filter((k) => k !== '$schema').join(', ')})`);
  }
  const { rules, exclude, maxFileSize, timeBudgetMs } = value as Record<string, unknown>;
  if (rules !== undefined) {
    if (!isObject(rules)) problems.push('"rules" must be an object');
    else {
      for (const [id, sev] of Object.entries(rules)) {
        if (!KNOWN_RULE_IDS.includes(id)) problems.push(`unknown rule "${id}"`);
        else if (typeof sev !== 'string' || !SEVERITIES.includes(sev)) {
          problems.push(`rule "${id}": severity must be one of ${SEVERITIES.join(', ')} (got ${JSON.stringify(sev)})`);
        }
      }
    }
  }
  if (exclude !== undefined && (!Array.isArray(exclude) || exclude.some((g) => typeof g !== 'string'))) {
    problems.push('"exclude" must be an array of glob strings');
  }
  for (const [k, v] of [['maxFileSize', maxFileSize], ['timeBudgetMs', timeBudgetMs]] as const) {
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) problems.push(`"${k}" must be a positive integer`);
  }
  return problems;
}

export function isSeverity(s: string): s is SeveritySetting {
  return SEVERITIES.includes(s);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A glob (`**`, `*`, `?`) as a regular expression over forward-slash paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function isExcluded(file: string, config: LingerConfig): boolean {
  if (!config.exclude.length) return false;
  const rel = path.relative(config.root, path.resolve(file)).split(path.sep).join('/');
  return config.exclude.some((g) => globToRegExp(g).test(rel) || globToRegExp(`${g.replace(/\/$/, '')}/**`).test(rel));
}
