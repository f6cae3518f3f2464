// Editor settings (section `linger`), read per resource through `workspace/configuration` (pull)
// and cached until the client says they changed; `workspace/didChangeConfiguration` may also carry
// them (push). Clients differ: VS Code and Neovim answer the pull; Helix and eglot push too; a
// client may answer the pull with null when it keeps its settings elsewhere. The pulled section
// wins when there is one, else the pushed one, else the defaults. Values from the client are not
// trusted: anything of the wrong shape falls back to the default, so a typo cannot break analysis.
import { Connection } from 'vscode-languageserver/node';
import { KNOWN_RULE_IDS, isSeverity } from '../core/config';
import { RuleSettings } from '../core/types';

export interface Settings {
  enable: boolean;
  /** Per-rule severity overrides, applied over .lingerrc.json / package.json. */
  rules: RuleSettings;
  run: 'onType' | 'onSave';
  /** Globs relative to the workspace folder; matching files get no diagnostics. */
  exclude: string[];
  timeBudgetMs?: number;
  maxFileSize?: number;
  /** Read tsconfig/.lingerrc.json/package.json in the parent folders of the workspace folders too. */
  parentConfigs: boolean;
}

export const EDITOR_TIME_BUDGET_MS = 2000;

export const DEFAULT_SETTINGS: Settings = { enable: true, rules: {}, run: 'onType', exclude: [], timeBudgetMs: EDITOR_TIME_BUDGET_MS, parentConfigs: false };

/** Turn whatever the client sent into valid settings. */
export function normalizeSettings(raw: unknown): Settings {
  const s: Settings = { ...DEFAULT_SETTINGS, rules: {}, exclude: [] };
  if (!raw || typeof raw !== 'object') return s;
  const r = raw as Record<string, unknown>;
  if (typeof r.enable === 'boolean') s.enable = r.enable;
  if (r.run === 'onType' || r.run === 'onSave') s.run = r.run;
  if (typeof r.parentConfigs === 'boolean') s.parentConfigs = r.parentConfigs;
  if (Array.isArray(r.exclude)) s.exclude = r.exclude.filter((g): g is string => typeof g === 'string' && g.length > 0);
  if (r.rules && typeof r.rules === 'object') {
    for (const [id, sev] of Object.entries(r.rules as Record<string, unknown>)) {
      if (KNOWN_RULE_IDS.includes(id) && typeof sev === 'string' && isSeverity(sev)) s.rules[id] = sev;
    }
  }
  const positive = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : undefined);
  // The editor keeps a per-file budget so that one huge function cannot stall diagnostics.
  s.timeBudgetMs = positive(r.timeBudgetMs) ?? EDITOR_TIME_BUDGET_MS;
  s.maxFileSize = positive(r.maxFileSize);
  return s;
}

export class SettingsStore {
  /** Settings per document URI (promises, so concurrent requests share one round trip). */
  private cache = new Map<string, Promise<Settings>>();
  /** Bumped on every change; part of diagnostic result ids so a change invalidates them. */
  generation = 0;
  /** Pushed with didChangeConfiguration: used when the client cannot answer `workspace/configuration`, or answers null. */
  private global: Settings = DEFAULT_SETTINGS;

  constructor(private connection: Connection, private supportsConfiguration: () => boolean) {}

  get(uri: string): Promise<Settings> {
    if (!this.supportsConfiguration()) return Promise.resolve(this.global);
    let p = this.cache.get(uri);
    if (!p) {
      p = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'linger' })
        .then((section: unknown) => (section === null || section === undefined ? this.global : normalizeSettings(section)), (e) => {
          this.connection.console.warn(`linger: cannot read settings for ${uri}: ${String(e)}`);
          this.cache.delete(uri);
          return this.global;
        });
      this.cache.set(uri, p);
    }
    return p;
  }

  /** `workspace/didChangeConfiguration`: forget everything; keep pushed settings if any. */
  changed(pushed: unknown): void {
    this.cache.clear();
    this.generation++;
    const section = pushed && typeof pushed === 'object' ? (pushed as Record<string, unknown>).linger : undefined;
    if (section !== undefined) this.global = normalizeSettings(section);
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
