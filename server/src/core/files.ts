// The one way the CLI, the project loader and the language server touch the file system. Every
// read goes through `readText`: the path is resolved (links followed, loops detected), must stay
// inside the workspace (or be a config above it, when that is allowed, or a type declaration that
// module resolution found in a node_modules folder), must be a regular file — checked with stat
// BEFORE it is opened, since opening a FIFO blocks and reading /dev/zero never ends — and must fit
// under a size cap, also checked before reading (and enforced while reading, in case it grows).
import fs = require('fs'); // the module object itself, so that tests can observe every read
import * as path from 'path';

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

/** What a non-regular file is, for the reason given when it is skipped. */
export function fileKind(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Why a real path could not be resolved (a loop, a dangling link, no permission). */
function resolveProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ELOOP') return 'a link loop';
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'not found (or a dangling link)';
  return `cannot be read (${code ?? (e as Error)?.message})`;
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

  constructor(private boundary: Boundary = { roots: null, configsAbove: true }) {
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
      try {
        // The native call is one system call; the JS one (when native is missing, or fs is wrapped by a test) also detects loops.
        hit = { real: (fs.realpathSync.native ?? fs.realpathSync)(abs) };
      } catch (e) {
        hit = { problem: resolveProblem(e) };
      }
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
    try {
      fs.lstatSync(p);
      return true;
    } catch {
      return false;
    }
  }

  /** Whether `p` is a regular file that may be read (no open: only stat). */
  isReadableFile(p: string, purpose: Purpose): boolean {
    const { real } = this.real(p);
    if (!real || this.refusal(real, purpose)) return false;
    try {
      return fs.statSync(real).isFile();
    } catch {
      return false;
    }
  }

  isDirectory(p: string): boolean {
    const { real } = this.real(p);
    if (!real) return false;
    try {
      return fs.statSync(real).isDirectory();
    } catch {
      return false;
    }
  }

  /**
   * The text of a file, or why it was not read. Stat first (regular file, size under `limit`), then
   * open without following a link and without blocking, check it is the same file, and read at most
   * `limit + 1` bytes.
   */
  readText(p: string, limit: number, purpose: Purpose): ReadResult {
    const { real, problem } = this.real(p);
    if (!real) return { reason: problem ?? 'cannot be resolved' };
    const refused = this.refusal(real, purpose);
    if (refused) return { reason: `a link to a file ${refused}` };
    let st: fs.Stats;
    try {
      st = fs.statSync(real);
    } catch (e) {
      return { reason: resolveProblem(e) };
    }
    if (!st.isFile()) return { reason: `${fileKind(st)}, not a regular file` };
    if (st.size > limit) return { reason: tooLarge(limit, st.size) };
    const kept = this.programTexts.get(real);
    if (kept && kept.dev === st.dev && kept.ino === st.ino && kept.size === st.size && kept.mtimeMs === st.mtimeMs && kept.ctimeMs === st.ctimeMs) {
      return { text: kept.text, realPath: real };
    }
    let fd: number | undefined;
    try {
      fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0));
      const again = fs.fstatSync(fd);
      if (!again.isFile() || again.ino !== st.ino || again.dev !== st.dev) return { reason: 'changed while being read' };
      // Read in chunks up to one byte past the limit: the size from stat is only a hint (a file can
      // grow, and some report 0).
      const chunks: Buffer[] = [];
      let length = 0;
      for (;;) {
        const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limit + 1 - length));
        const n = fs.readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
        length += n;
        if (length > limit) return { reason: tooLarge(limit, Math.max(length, again.size)) };
      }
      const text = Buffer.concat(chunks, length).toString('utf8');
      if (purpose === 'program' && !DECLARATION.test(real) && length === again.size) {
        if (this.programTexts.size >= 50_000) this.programTexts.clear();
        this.programTexts.set(real, { text, dev: again.dev, ino: again.ino, size: again.size, mtimeMs: again.mtimeMs, ctimeMs: again.ctimeMs });
      }
      return { text, realPath: real };
    } catch (e) {
      return { reason: resolveProblem(e) };
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /**
   * The entries of a folder inside the boundary, links resolved: a link out of the roots, a loop or
   * a dangling link is left out. Folders outside the roots are not listed at all.
   */
  readDir(dir: string): Array<{ path: string; real: string; isDir: boolean; isFile: boolean }> {
    const { real } = this.real(dir);
    if (!real || !this.insideRoots(real)) return [];
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(real, { withFileTypes: true });
    } catch {
      return [];
    }
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
      try {
        const st = fs.statSync(target);
        out.push({ path: p, real: target, isDir: st.isDirectory(), isFile: st.isFile() });
      } catch {
        /* gone since */
      }
    }
    return out;
  }
}

export function tooLarge(limit: number, size: number): string {
  return `larger than the ${limit}-byte limit (${size} bytes)`;
}
