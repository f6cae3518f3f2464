// Configuration: the nearest `.lingerrc.json`, or the `linger` key of the nearest package.json,
// validated against schemas/lingerrc.schema.json (by Ajv). A broken file yields one message naming it and
// the problem; analysis goes on with the defaults. Config files are read through the file-system
// layer (regular files only, size-capped, inside the workspace or, where allowed, above it).
import * as path from 'path';
import type { ErrorObject, ValidateFunction } from 'ajv';
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

/** The messages of the problems of a config's Linger part (none: it is valid). */
export function validate(value: unknown): string[] {
  return configProblems(value).map((p) => p.message);
}

// The checking itself is the schema's, through Ajv: the file VS Code validates and completes
// `.lingerrc.json` with (package.json `contributes.jsonValidation`) is the one the analyzer obeys.
// What is Linger's here is only the wording of its errors, which name the rule or property and
// what it must be, as the user wrote it (Ajv's own say "must be equal to one of the allowed values").

/** Compiled on the first config there is to check (most runs read none). */
let schemaValidator: ValidateFunction | undefined;

/** What each top-level property must be, in the words of the messages. */
const EXPECTED: Record<string, string> = {
  rules: 'an object',
  exclude: 'an array of glob strings',
  maxFileSize: 'a positive integer',
  timeBudgetMs: 'a positive integer',
};

/** The problems of a config's Linger part, each at its JSON path (the editor underlines it there). */
export function configProblems(value: unknown): ConfigProblem[] {
  schemaValidator ??= compileSchema();
  if (schemaValidator(value)) return [];
  const problems = (schemaValidator.errors ?? []).map((e) => problemOf(e, value)).filter((p): p is ConfigProblem => !!p);
  // Nothing more about a key that is itself wrong; one problem per message (a property with two
  // non-string globs, a number both fractional and negative, is one mistake to fix).
  const wrongKeys = problems.filter((p) => p.onKey).map((p) => p.path);
  const sorted = problems
    .filter((p) => p.onKey || !wrongKeys.some((k) => k.every((segment, i) => p.path[i] === segment)))
    .sort((a, b) => problemOrder(a) - problemOrder(b) || documentOrder(a.path, b.path, value));
  const byMessage = new Map<string, ConfigProblem>();
  for (const p of sorted) if (!byMessage.has(p.message)) byMessage.set(p.message, p);
  return [...byMessage.values()];
}

function compileSchema(): ValidateFunction {
  // Loaded here rather than imported at the top: loading Ajv would cost every run ~10 ms, and
  // most runs have no config file to check.
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  // verbose: each error carries the value it is about and the schema that rejected it.
  return new Ajv({ allErrors: true, verbose: true }).compile(schema);
}

function problemOf(e: ErrorObject, value: unknown): ConfigProblem | undefined {
  const at = pathOf(e.instancePath, value);
  const [top] = at;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys(e.parentSchema?.properties ?? {}).filter((k) => k !== '$schema');
      return { path: [...at, key], onKey: true, message: `unknown property "${key}" (allowed: ${allowed.join(', ')})` };
    }
    case 'propertyNames': {
      const key = String(e.params.propertyName);
      return { path: [...at, key], onKey: true, message: `unknown ${at.length === 1 && top === 'rules' ? 'rule' : 'property'} "${key}"` };
    }
    case 'enum':
      if (e.propertyName !== undefined) return undefined; // the name's own check: reported as propertyNames
      if (at.length === 2 && top === 'rules') {
        return { path: at, message: `rule "${at[1]}": severity must be one of ${(e.params.allowedValues as unknown[]).join(', ')} (got ${JSON.stringify(e.data)})` };
      }
      break;
  }
  const expected = typeof top === 'string' && EXPECTED[top] ? `must be ${EXPECTED[top]}` : mustBe(e);
  return { path: at, message: top === undefined ? mustBe(e) : `"${top}" ${expected}` };
}

/** Ajv's message, with an article for a type ("must be an object", not "must be object"). */
function mustBe(e: ErrorObject): string {
  if (e.keyword !== 'type') return String(e.message);
  const type = String(e.params.type);
  return `must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/** An Ajv instance path (`/exclude/1`) as a JSON path (`["exclude", 1]`): numbers index arrays only. */
function pathOf(pointer: string, value: unknown): Array<string | number> {
  const at: Array<string | number> = [];
  let here = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(here) ? Number(key) : key;
    at.push(segment);
    here = (here as Record<string | number, unknown>)?.[segment];
  }
  return at;
}

/** Unknown top-level properties first, then the schema's order of properties. */
function problemOrder(p: ConfigProblem): number {
  if (p.path.length === 1 && p.onKey) return -1;
  const index = Object.keys(schema.properties).indexOf(String(p.path[0]));
  return index < 0 ? Number.MAX_SAFE_INTEGER : index;
}

/** Then the order of the keys in the file (as written: Ajv reports in the schema's order). */
function documentOrder(a: Array<string | number>, b: Array<string | number>, value: unknown): number {
  let here = value;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      if (typeof a[i] === 'number' && typeof b[i] === 'number') return (a[i] as number) - (b[i] as number);
      const keys = isObject(here) ? Object.keys(here) : [];
      return keys.indexOf(String(a[i])) - keys.indexOf(String(b[i]));
    }
    here = (here as Record<string | number, unknown>)?.[a[i]];
  }
  return a.length - b.length;
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
