// What the file-system layer (files.ts) saw, in a form that can be checked again later: each call
// it makes to the file system (resolve a link, stat, list a folder, read a file) can be reported as
// an observation `(op, path, digest)`, where the digest is what the caller learnt from the call.
// `linger audit --cache` records the observations of listing the files and looking them up in the
// cache, so that the next run can replay its report when every observation still holds (cli/replay.ts)
// without loading the analyzer. The same functions make the call and digest the result for both,
// so a recorded digest and a fresh one can only differ when the file system did.
// No TypeScript here: the replay bundle is built from this file.
import { createHash } from 'crypto';
import fs = require('fs'); // the module object itself, so that tests can observe every read

/** `read:<limit>`: a file read whole under a size limit (the limit changes the outcome). */
export type FsOp = 'realpath' | 'exists' | 'stat' | 'lstat' | 'readdir' | `read:${number}`;

export type Observer = (op: FsOp, path: string, digest: string) => void;

/** `whole`: as many bytes were read as stat said the file has (it did not change size meanwhile). */
export type RegularRead = { text: string; stat: fs.Stats; whole: boolean; reason?: undefined } | { text?: undefined; reason: string };

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
export function resolveProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ELOOP') return 'a link loop';
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'not found (or a dangling link)';
  return `cannot be read (${code ?? (e as Error)?.message})`;
}

export function tooLarge(limit: number, size: number): string {
  return `larger than the ${limit}-byte limit (${size} bytes)`;
}

/** The real path of an absolute path (every link resolved; the OS detects loops), or why there is none. */
export function realpathOf(abs: string): { real?: string; problem?: string } {
  try {
    // The native call is one system call; the JS one (when native is missing, or fs is wrapped by a test) also detects loops.
    return { real: (fs.realpathSync.native ?? fs.realpathSync)(abs) };
  } catch (e) {
    return { problem: resolveProblem(e) };
  }
}

export function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

export function lstatOf(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

/** A folder's entries with their types, or the error code when it cannot be listed. */
export function direntsOf(dir: string): fs.Dirent[] | { error: string } {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
}

/**
 * A regular file's text. Stat first (regular file, size under `limit`) — opening a FIFO blocks and
 * reading /dev/zero never ends — then open without following a link and without blocking, check it
 * is the same file, and read at most `limit + 1` bytes (the size from stat is only a hint: a file
 * can grow, and some report 0).
 */
export function readRegularFile(real: string, limit: number): RegularRead {
  let st: fs.Stats;
  try {
    st = fs.statSync(real);
  } catch (e) {
    return { reason: resolveProblem(e) };
  }
  if (!st.isFile()) return { reason: `${fileKind(st)}, not a regular file` };
  if (st.size > limit) return { reason: tooLarge(limit, st.size) };
  let fd: number | undefined;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0));
    const again = fs.fstatSync(fd);
    if (!again.isFile() || again.ino !== st.ino || again.dev !== st.dev) return { reason: 'changed while being read' };
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
    return { text: Buffer.concat(chunks, length).toString('utf8'), stat: again, whole: length === again.size };
  } catch (e) {
    return { reason: resolveProblem(e) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

// Digests: what callers use of each result, no more (a folder's size or a file's times do not
// change what the listing or the cache lookup concludes; a file's size does, through the size caps).
export function realpathDigest(r: { real?: string; problem?: string }): string {
  return r.real ?? `!${r.problem}`;
}

export function statDigest(st: fs.Stats | undefined): string {
  if (!st) return '-';
  if (st.isFile()) return `file ${st.size}`;
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'link';
  return fileKind(st);
}

/** The results cache's name (cache/cache.ts) in the folder of an audit. */
export const CACHE_NAME = '.lingercache';

/** Its name in a --cache-location folder: one per folder audited, as ESLint names them. */
export function cacheNameFor(cwd: string): string {
  return `${CACHE_NAME}_${sha1(cwd).slice(0, 12)}`;
}

/**
 * The results cache under either name, and its temporary file: written by the run that records,
 * never an input of the listing or of a cache entry.
 */
export function isCacheFileName(name: string): boolean {
  return /^\.lingercache(?:_[0-9a-f]{12})?(?:\.\d+\.tmp)?$/.test(name);
}

export function direntsDigest(r: fs.Dirent[] | { error: string }): string {
  if (!Array.isArray(r)) return `!${r.error}`;
  const type = (e: fs.Dirent) => (e.isDirectory() ? 'd' : e.isFile() ? 'f' : e.isSymbolicLink() ? 'l' : 'o');
  return sha1(r.filter((e) => !isCacheFileName(e.name)).map((e) => `${e.name}\t${type(e)}`).sort().join('\n'));
}

export function readDigest(r: { text?: string; reason?: string }): string {
  return r.text === undefined ? `!${r.reason}` : sha1(r.text);
}

/** The digest `op` on `path` gives now: what a recorded observation is compared with. */
export function observeAgain(op: FsOp, p: string): string {
  switch (op) {
    case 'realpath': return realpathDigest(realpathOf(p));
    case 'exists': return lstatOf(p) ? 'yes' : 'no';
    case 'stat': return statDigest(statOf(p));
    case 'lstat': return statDigest(lstatOf(p));
    case 'readdir': return direntsDigest(direntsOf(p));
    default: {
      const limit = Number(op.slice('read:'.length));
      return Number.isFinite(limit) ? readDigest(readRegularFile(p, limit)) : '?';
    }
  }
}

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}
