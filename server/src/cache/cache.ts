// `--cache`, with ESLint's name and semantics: results of files whose inputs have not changed are
// reused from a cache file (.lingercache in the current folder, or --cache-location), and a run
// without --cache deletes it. A file's entry is valid while all of these are unchanged:
//   - the tool: its version and its build (a hash of the sources and lockfile it was built from, the
//     same in the CLI's and the language server's bundles), and the options that change results
//     (--rule, --project);
//   - the file's text (by content, not by time);
//   - the .lingerrc.json / "linger" settings that apply to it, which tsconfig owns it, its package
//     root, that package's package.json and lockfile;
//   - the text of every file its analysis can read (dependencies.ts: project files it imports,
//     transitively, the project's global scripts, type declarations it imports, its tsconfig chain);
//   - the names in the folders of those project files (a new `util.ts` beside `util.js` changes
//     what `./util` means).
// So a changed helper re-analyses every file that imports it, directly or not. The language server
// reads the same file for the first diagnostics of a file it opens (lsp/analysis.ts), never writes it.
// The file also keeps how the last audit found its files and their entries (`replay`), so that the
// next run with the same arguments can print its report without loading the analyzer when nothing
// it looked at changed (cli/replay.ts).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Analyzer } from '../core/analyze';
import { isLibraryDeclaration, PROGRAM_FILE_SIZE_LIMIT } from '../core/files';
import { CACHE_NAME, cacheNameFor, FsOp, isCacheFileName } from '../core/fs-observation';
import { RuleSettings, SkippedFile } from '../core/types';
import { VERSION } from '../core/version';
import type { Dependencies } from './dependencies';
import { FileOutcome } from './outcome';

const FORMAT = 1;
/** The cache's name in the folder of the audit (and where the language server looks for it). */
export { CACHE_NAME };
const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock'];

interface Entry {
  hash: string;
  key: string;
  deps: Record<string, string>;
  configs: Record<string, string>;
  dirs: Record<string, string>;
  outcome: FileOutcome;
}

export interface CacheFile {
  format: number;
  tool: string;
  files: Record<string, Entry>;
  replay?: Replay;
}

/**
 * A run whose files all came from the cache, as the next run can replay it: `key` names its
 * arguments (cli/replay.ts), `files` and `skipped` are what the listing found, and `observed` every
 * file-system call the listing and the cache lookups made, with what it returned (a digest).
 */
export interface Replay {
  key: string;
  files: string[];
  skipped: SkippedFile[];
  observed: Array<[FsOp, string, string]>;
  /** The SARIF report the run printed, and the options that shaped it (SARIF needs the rules and the syntax trees). */
  sarif?: { shape: string; text: string };
}

/** Where the cache lives: --cache-location as a file, or a folder to put it in (named after the cwd, as ESLint does). */
export function cachePath(cwd: string, location?: string): string {
  if (!location) return path.join(cwd, CACHE_NAME);
  const abs = path.resolve(cwd, location);
  let isDir = /[\\/]$/.test(location);
  try {
    isDir ||= fs.statSync(abs).isDirectory();
  } catch {
    /* not there yet: a file */
  }
  return isDir ? path.join(abs, cacheNameFor(cwd)) : abs;
}

/** ESLint deletes its cache when run without --cache (its results may be stale by the next cached run). */
export function deleteCache(file: string): void {
  if (readCacheFile(file)) fs.rmSync(file, { force: true });
}

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}

/** Set by scripts/build.mjs: the same in the CLI's and the language server's bundles of one build. */
declare const LINGER_BUILD_ID: string | undefined;

/**
 * The identity of the running tool: version and build, so a rebuilt or upgraded linger starts afresh.
 * A bundle knows its build (the hash of the sources it was built from); the sources run by the tests
 * use the time of this file.
 */
export function toolStamp(options: { rules?: RuleSettings; project?: string }): string {
  let build = typeof LINGER_BUILD_ID === 'string' ? LINGER_BUILD_ID : '';
  if (!build) {
    try {
      const st = fs.statSync(__filename);
      build = `${st.size}:${st.mtimeMs}`;
    } catch {
      /* no file: version only */
    }
  }
  return sha1(JSON.stringify({ VERSION, build, options: { rules: options.rules ?? {}, project: options.project } }));
}

/**
 * The content of a cache file for the language server, which looks files up one by one as they are
 * opened: read again only when the file changed (size and time), through `read` (the server's
 * file-system layer: inside the workspace, a regular file, under a size cap).
 */
export function cachedEntries(file: string, read: (file: string) => string | undefined): CacheFile | undefined {
  let stamp: string;
  try {
    const st = fs.statSync(file);
    stamp = `${st.size}:${st.mtimeMs}:${st.ino}`;
  } catch {
    return undefined;
  }
  if (lastRead?.file !== file || lastRead.stamp !== stamp) {
    const text = read(file);
    lastRead = { file, stamp, data: text === undefined ? undefined : parseCacheFile(text) };
  }
  return lastRead.data;
}

let lastRead: { file: string; stamp: string; data: CacheFile | undefined } | undefined;

function parseCacheFile(text: string): CacheFile | undefined {
  try {
    const json = JSON.parse(text) as CacheFile;
    return json && json.format === FORMAT && typeof json.files === 'object' && json.files ? json : undefined;
  } catch {
    return undefined;
  }
}

export function readCacheFile(file: string): CacheFile | undefined {
  try {
    return fs.statSync(file).isFile() ? parseCacheFile(fs.readFileSync(file, 'utf8')) : undefined;
  } catch {
    return undefined;
  }
}

export class AuditCache {
  private data: CacheFile;
  private texts = new Map<string, string>();
  private listings = new Map<string, string>();
  private keys = new Map<string, string>();
  /** How many files this run took from the cache (for the benchmark and the tests). */
  hits = 0;
  /** How the next run may replay this one (saved with the entries; none unless set). */
  replay: Replay | undefined;

  /**
   * `options`: what changes results besides the files (the CLI's `--rule` and `--project`, the
   * server's `linger.rules`), keyed alike for both. `existing`: the cache file's content when the
   * caller has read it already (cachedEntries).
   */
  constructor(readonly file: string, private analyzer: Analyzer, options: { rules?: RuleSettings; project?: string }, existing = readCacheFile(file)) {
    const tool = toolStamp(options);
    this.data = existing && existing.tool === tool ? existing : { format: FORMAT, tool, files: {} };
  }

  /** The entries as they stand (a replay is recorded over the entries of the run that made it). */
  get content(): CacheFile {
    return this.data;
  }

  /**
   * The cached outcome of `file`, when every input it was computed from is unchanged. With `text`
   * (an editor buffer), that text stands for the file's.
   */
  lookup(file: string, text?: string): FileOutcome | undefined {
    const e = this.data.files[file];
    if (!e || e.hash !== (text === undefined ? this.hashOf(file) : sha1(text)) || e.key !== this.keyOf(file)) return undefined;
    for (const [dep, h] of Object.entries(e.deps)) if (this.hashOf(dep) !== h) return undefined;
    for (const [cfg, h] of Object.entries(e.configs)) if (this.hashOf(cfg, 'config') !== h) return undefined;
    for (const [dir, h] of Object.entries(e.dirs)) if (this.listingOf(dir) !== h) return undefined;
    this.hits++;
    return e.outcome;
  }

  store(outcome: FileOutcome, deps: Dependencies | undefined): void {
    const file = outcome.file;
    const depFiles = deps?.files ?? [];
    const dirs = new Set([path.dirname(file), ...depFiles.filter((d) => !isLibraryDeclaration(d)).map((d) => path.dirname(d))]);
    this.data.files[file] = {
      hash: this.hashOf(file),
      key: this.keyOf(file),
      deps: Object.fromEntries(depFiles.map((d) => [d, this.hashOf(d)])),
      configs: Object.fromEntries((deps?.configs ?? []).map((c) => [c, this.hashOf(c, 'config')])),
      dirs: Object.fromEntries([...dirs].sort().map((d) => [d, this.listingOf(d)])),
      outcome,
    };
  }

  /** A file's text changed on disk during this run (--fix wrote it): hash it again. */
  forget(file: string): void {
    this.texts.delete(file);
  }

  /** Write the cache (atomically); entries of files that no longer exist are dropped. */
  save(): void {
    for (const f of Object.keys(this.data.files)) if (!fs.existsSync(f)) delete this.data.files[f];
    this.data.replay = this.replay;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data));
    fs.renameSync(tmp, this.file);
  }

  private hashOf(file: string, purpose: 'program' | 'config' = 'program'): string {
    let h = this.texts.get(file);
    if (h === undefined) {
      // The larger cap for every file: lockfiles easily pass the config cap, and a file over it would hash the same after a change.
      const r = this.analyzer.files.readText(file, PROGRAM_FILE_SIZE_LIMIT, purpose);
      h = r.text === undefined ? `unreadable: ${r.reason}` : sha1(r.text);
      this.texts.set(file, h);
    }
    return h;
  }

  private listingOf(dir: string): string {
    let h = this.listings.get(dir);
    if (h === undefined) {
      // Without the cache itself, which appears in its folder when the first run ends.
      const names = this.analyzer.files.readDir(dir).filter((e) => !isCacheFileName(path.basename(e.path))).map((e) => `${path.basename(e.path)}${e.isDir ? '/' : ''}`);
      h = sha1(names.sort().join('\n'));
      this.listings.set(dir, h);
    }
    return h;
  }

  /** Settings that apply to the file: its Linger config, its tsconfig, its package and lockfile. */
  private keyOf(file: string): string {
    const root = this.analyzer.projects.packageRoot(file);
    const { config, error } = this.analyzer.configs.forFile(file);
    const owner = this.analyzer.projects.configPathFor(file) ?? null;
    let perRoot = this.keys.get(root);
    if (perRoot === undefined) {
      const pkgFiles = ['package.json', ...LOCKFILES].map((n) => path.join(root, n)).filter((p) => this.analyzer.files.exists(p));
      perRoot = pkgFiles.map((p) => `${p}=${this.hashOf(p, 'config')}`).join('\n');
      this.keys.set(root, perRoot);
    }
    // The owner's text too: when it cannot be loaded, the file is in an inferred project and has no config chain.
    const ownerHash = owner ? this.hashOf(owner, 'config') : null;
    // The folder `exclude` globs are relative to matters only when there are some: the CLI and the
    // language server (which take the current folder and the workspace folder) then share entries.
    const settings = config.exclude.length ? config : { ...config, root: undefined };
    return sha1(JSON.stringify({ config: settings, error: error ?? null, owner, ownerHash, root, perRoot }));
  }
}
