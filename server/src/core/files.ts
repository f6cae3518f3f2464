// The one way the CLI, the project loader and the language server touch the file system. Every
// read goes through `readText`: the path is resolved (links followed, loops detected), must stay
// inside the workspace (or be a config above it, when that is allowed, or a type declaration that
// module resolution found in a node_modules folder), must be a regular file — checked with stat
// BEFORE it is opened, since opening a FIFO blocks and reading /dev/zero never ends — and must fit
// under a size cap, also checked before reading (and enforced while reading, in case it grows).
import type * as fs from 'fs';
import * as path from 'path';
import {
  direntsDigest, direntsOf, FsOp, lstatOf, Observer, readDigest, readRegularFile, realpathDigest, realpathOf, statDigest, statOf,
} from './fs-observation';

export { fileKind, tooLarge } from './fs-observation';

export interface Boundary {
  /**
   * Folders whose files may be read; null: anywhere (library use without a workspace). An empty
   * list confines to nothing (an editor with no folder open: only the buffers it sends are analysed).
   */
  roots: string[] | null;
  /**
   * Config files (tsconfig/jsconfig, .lingerrc.json, package.json) may also be read from the
   * parent folders of the roots, as tsc and ESLint look for theirs (the CLI; the editor only when
   * `linger.parentConfigs` is on).
   */
  configsAbove: boolean;
}

export type Purpose = 'source' | 'config' | 'program';

export type ReadResult = { text: string; realPath: string; reason?: undefined } | { text?: undefined; reason: string };

/** Config files are small; this only stops a hostile one from filling memory. */
export const CONFIG_SIZE_LIMIT = 4_000_000;
/** Files the TypeScript program reads besides the analysed one (imports, type declarations). */
export const PROGRAM_FILE_SIZE_LIMIT = 16_000_000;

const DECLARATION = /\.d\.[cm]?ts$/;
const IN_NODE_MODULES = /[\\/]node_modules[\\/]/;
const CONFIG_NAME = /^(?:(?:tsconfig|jsconfig)[^\\/]*\.json|\.lingerrc\.json|package\.json)$/;

/** A declaration file of an installed package (not the project's own code). */
export function isLibraryDeclaration(file: string): boolean {
  return IN_NODE_MODULES.test(file) && DECLARATION.test(file);
}

export function isInside(p: string, root: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

export class FileAccess {
  private realRoots: string[] | null = null;
  /** [as given, real] for each root, to show paths the way the user named the folder. */
  private rootPairs: Array<[string, string]> = [];
  private realCache = new Map<string, { real?: string; problem?: string }>();
  /**
   * The texts of the project's own files as the program read them, with the identity of the file
   * they came from: the analysis of a file (and the cache, and SARIF's fingerprints) reads it again
   * as a source, and gets the same text without a second read while the file is unchanged (same
   * device, inode, size, modification and change times). Type declarations are not kept.
   */
  private programTexts = new Map<string, { text: string; dev: number; ino: number; size: number; mtimeMs: number; ctimeMs: number }>();

  /** `observer`: told of every call this layer makes to the file system (fs-observation.ts). */
  constructor(private boundary: Boundary = { roots: null, configsAbove: true }, readonly observer?: Observer) {
    this.setBoundary(boundary);
  }

  get confined(): boolean {
    return this.realRoots !== null;
  }

  get configsAbove(): boolean {
    return this.boundary.configsAbove;
  }

  setBoundary(boundary: Boundary): void {
    this.boundary = boundary;
    this.realCache.clear();
    this.rootPairs = (boundary.roots ?? []).map((r) => [path.resolve(r), this.real(path.resolve(r)).real ?? path.resolve(r)]);
    this.realRoots = boundary.roots ? [...new Set(this.rootPairs.map(([, real]) => real))] : null;
  }

  /** A real path as it looks under the root it belongs to, as the root was named (/tmp, not /private/tmp). */
  display(real: string): string {
    for (const [given, realRoot] of this.rootPairs) {
      if (isInside(real, realRoot)) return path.join(given, path.relative(realRoot, real));
    }
    return real;
  }

  /** Forget resolved links and texts read (files changed on disk). */
  clear(): void {
    this.realCache.clear();
    this.programTexts.clear();
  }

  /** The real path of `p` (every link resolved; the OS detects loops), or why there is none. */
  real(p: string): { real?: string; problem?: string } {
    const abs = path.resolve(p);
    let hit = this.realCache.get(abs);
    if (!hit) {
      hit = this.observed('realpath', abs, realpathOf(abs), realpathDigest);
      if (this.realCache.size > 50_000) this.realCache.clear();
      this.realCache.set(abs, hit);
    }
    return hit;
  }

  /** Inside one of the roots (always, when not confined). */
  insideRoots(real: string): boolean {
    return this.realRoots === null || this.realRoots.some((r) => isInside(real, r));
  }

  /** A folder where config files may be looked for: inside the roots, or above them when allowed. */
  mayLookForConfigsIn(dir: string): boolean {
    if (this.realRoots === null) return true;
    const real = this.real(dir).real ?? path.resolve(dir);
    if (this.insideRoots(real)) return true;
    return this.boundary.configsAbove && this.realRoots.some((r) => isInside(r, real));
  }

  /** Whether the file at `real` may be read for `purpose`; a reason when not. */
  refusal(real: string, purpose: Purpose): string | undefined {
    if (this.insideRoots(real)) return undefined;
    const base = path.basename(real);
    // Type declarations (and the package.json that points at them) found by module resolution.
    if (purpose === 'program' && IN_NODE_MODULES.test(real) && (DECLARATION.test(real) || base === 'package.json')) return undefined;
    if ((purpose === 'config' || purpose === 'program') && CONFIG_NAME.test(base)) {
      if (this.boundary.configsAbove && this.mayLookForConfigsIn(path.dirname(real))) return undefined;
      // A tsconfig `extends` of a published base config (`@tsconfig/node20`).
      if (this.boundary.configsAbove && IN_NODE_MODULES.test(real)) return undefined;
    }
    return `outside the workspace (${real})`;
  }

  /** Something is there (a file, a folder, a FIFO, a link, even a looping one): only lstat. */
  exists(p: string): boolean {
    return this.observed('exists', p, lstatOf(p) !== undefined, (there) => (there ? 'yes' : 'no'));
  }

  /** Whether `p` is a regular file that may be read (no open: only stat). */
  isReadableFile(p: string, purpose: Purpose): boolean {
    const { real } = this.real(p);
    if (!real || this.refusal(real, purpose)) return false;
    return !!this.stat(real)?.isFile();
  }

  isDirectory(p: string): boolean {
    const { real } = this.real(p);
    if (!real) return false;
    return !!this.stat(real)?.isDirectory();
  }

  /** stat (links followed); undefined when it fails. */
  stat(p: string): fs.Stats | undefined {
    return this.observed('stat', p, statOf(p), statDigest);
  }

  /** lstat (the link itself); undefined when it fails. */
  lstat(p: string): fs.Stats | undefined {
    return this.observed('lstat', p, lstatOf(p), statDigest);
  }

  /** A folder's entries with their types (links not resolved), or the error code. */
  dirents(dir: string): fs.Dirent[] | { error: string } {
    return this.observed('readdir', dir, direntsOf(dir), direntsDigest);
  }

  /** `result`, after telling the observer (if any) what the call on `p` returned. */
  private observed<T>(op: FsOp, p: string, result: T, digest: (r: T) => string): T {
    this.observer?.(op, p, digest(result));
    return result;
  }

  /**
   * The text of a file, or why it was not read: a regular file under `limit`, read without blocking
   * (fs-observation.ts: readRegularFile), inside the boundary for `purpose`.
   */
  readText(p: string, limit: number, purpose: Purpose): ReadResult {
    const { real, problem } = this.real(p);
    if (!real) return { reason: problem ?? 'cannot be resolved' };
    const refused = this.refusal(real, purpose);
    if (refused) return { reason: `a link to a file ${refused}` };
    const r = this.observed(`read:${limit}`, real, this.keptText(real, limit) ?? readRegularFile(real, limit), readDigest);
    if (r.text === undefined) return { reason: r.reason };
    const st = r.stat;
    if (purpose === 'program' && !DECLARATION.test(real) && !this.programTexts.has(real) && r.whole) {
      if (this.programTexts.size >= 50_000) this.programTexts.clear();
      this.programTexts.set(real, { text: r.text, dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs });
    }
    return { text: r.text, realPath: real };
  }

  /** The text the program read, while the file is the same (device, inode, size, times). */
  private keptText(real: string, limit: number): { text: string; stat: fs.Stats; whole: boolean } | undefined {
    const kept = this.programTexts.get(real);
    if (!kept) return undefined;
    const st = statOf(real);
    if (st && st.isFile() && st.size <= limit && kept.dev === st.dev && kept.ino === st.ino && kept.size === st.size && kept.mtimeMs === st.mtimeMs && kept.ctimeMs === st.ctimeMs) {
      return { text: kept.text, stat: st, whole: true };
    }
    this.programTexts.delete(real);
    return undefined;
  }

  /**
   * The entries of a folder inside the boundary, links resolved: a link out of the roots, a loop or
   * a dangling link is left out. Folders outside the roots are not listed at all.
   */
  readDir(dir: string): Array<{ path: string; real: string; isDir: boolean; isFile: boolean }> {
    const { real } = this.real(dir);
    if (!real || !this.insideRoots(real)) return [];
    const entries = this.dirents(real);
    if (!Array.isArray(entries)) return [];
    const out: Array<{ path: string; real: string; isDir: boolean; isFile: boolean }> = [];
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() || e.isFile()) {
        out.push({ path: p, real: path.join(real, e.name), isDir: e.isDirectory(), isFile: e.isFile() });
        continue;
      }
      if (!e.isSymbolicLink()) continue;
      const target = this.real(path.join(real, e.name)).real;
      if (!target || !this.insideRoots(target)) continue;
      const st = this.stat(target);
      if (st) out.push({ path: p, real: target, isDir: st.isDirectory(), isFile: st.isFile() }); // else gone since
    }
    return out;
  }
}
