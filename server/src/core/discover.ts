// Which files an audit analyses: the JS/TS files under the given paths, found by an iterative walk
// through the file-system layer. node_modules and dot-folders are not entered; folders excluded by
// the nearest config are pruned (the same glob matcher as for single files); links are resolved and
// followed only inside the workspace; each real folder is walked once and each real file listed
// once, so a link to `/` or a folder linked into itself cannot make the walk endless or repeat files.
import type * as fs from 'fs';
import * as path from 'path';
import { CONFIG_SIZE_LIMIT, FileAccess, fileKind, isInside } from './files';
import { excludeMatcher } from './globs';
import { SkippedFile } from './types';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export function isSourceFile(p: string): boolean {
  return SOURCE_EXTENSIONS.includes(path.extname(p)) && !/\.d\.[cm]?ts$/.test(p);
}

export interface Discovery {
  /** Absolute paths, each real file once. */
  files: string[];
  /** Paths given that do not exist or cannot be read (the CLI exits 2). */
  missing: string[];
  /** Entries found but not analysed, with the reason (links out of the workspace, loops, FIFOs). */
  skipped: SkippedFile[];
}

/** `(path, isFolder) => excluded`, decided by the config nearest to the path. */
export type ExcludeTest = (file: string, isDir: boolean) => boolean;

export function discoverSourceFiles(paths: string[], files: FileAccess, isExcluded: ExcludeTest = () => false): Discovery {
  const out: Discovery = { files: [], missing: [], skipped: [] };
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  const addFile = (shown: string, real: string) => {
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    out.files.push(shown);
  };

  for (const given of paths.map((p) => path.resolve(p))) {
    const { real, problem } = files.real(given);
    const st = real ? files.stat(real) : undefined;
    if (!real || !st) {
      out.missing.push(given);
      if (problem === 'a link loop') out.skipped.push({ file: given, reason: problem });
      continue;
    }
    const refused = files.refusal(real, 'source');
    if (refused) {
      out.skipped.push({ file: given, reason: `a link to a ${st.isDirectory() ? 'folder' : 'file'} ${refused}` });
      continue;
    }
    if (st.isFile()) {
      // Named explicitly: analysed whatever its extension (unless excluded).
      if (!isExcluded(given, false)) addFile(given, real);
      continue;
    }
    if (!st.isDirectory()) {
      out.missing.push(given); // a FIFO or a device named on the command line
      continue;
    }
    walk(given, real);
  }
  return out;

  /**
   * A node_modules folder that a `.gitignore` between the walk's root and it re-includes
   * (`!packages/node_modules`, as Node-RED keeps its own packages): the project's source, not installed code.
   */
  function reincluded(root: string, folder: string): boolean {
    for (let d = path.dirname(folder); ; d = path.dirname(d)) {
      const r = files.readText(path.join(d, '.gitignore'), CONFIG_SIZE_LIMIT, 'config');
      const negations = r.text?.split(/\r?\n/).filter((l) => l.startsWith('!')).map((l) => l.slice(1)) ?? [];
      if (negations.length && excludeMatcher(negations).excludesItself(path.relative(d, folder).split(path.sep).join('/'), true)) return true;
      if (d === root || path.dirname(d) === d || !isInside(d, root)) return false;
    }
  }

  function walk(start: string, startReal: string): void {
    const stack: Array<{ dir: string; real: string }> = [{ dir: start, real: startReal }];
    while (stack.length) {
      const { dir, real } = stack.pop()!;
      if (seenDirs.has(real)) continue;
      seenDirs.add(real);
      const entries = files.dirents(real);
      if (!Array.isArray(entries)) {
        out.skipped.push({ file: dir, reason: `folder cannot be read (${entries.error})` });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: Array<{ dir: string; real: string }> = [];
      for (const e of entries) {
        let shown = path.join(dir, e.name);
        let entryReal = path.join(real, e.name);
        let st: fs.Stats | undefined;
        if (e.isSymbolicLink()) {
          const target = files.real(entryReal);
          if (!target.real) {
            if (target.problem === 'a link loop' || isSourceFile(e.name)) out.skipped.push({ file: shown, reason: target.problem ?? 'a dangling link' });
            continue;
          }
          entryReal = target.real;
          st = files.stat(entryReal);
          if (!st) continue;
          const refused = files.refusal(entryReal, 'source');
          if (refused && (st.isDirectory() || isSourceFile(e.name))) {
            out.skipped.push({ file: shown, reason: `a link to a ${st.isDirectory() ? 'folder' : 'file'} ${refused}` });
            continue;
          }
          if (refused) continue;
          // Shown (and analysed) at its real place: the same file is never analysed under two names.
          shown = files.display(entryReal);
        }
        const isDir = st ? st.isDirectory() : e.isDirectory();
        const isFile = st ? st.isFile() : e.isFile();
        if (isDir) {
          if (e.name.startsWith('.') || (e.name === 'node_modules' && !reincluded(start, shown))) continue;
          if (isExcluded(shown, true)) continue;
          subdirs.push({ dir: shown, real: entryReal });
        } else if (isSourceFile(e.name)) {
          if (isExcluded(shown, false)) continue;
          if (isFile) addFile(shown, entryReal);
          else out.skipped.push({ file: shown, reason: `${fileKind(st ?? files.lstat(entryReal) ?? NOTHING)}, not a regular file` });
        }
      }
      // Depth first, in name order (the stack pops the last pushed first).
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
    }
  }
}

/** Stats of a file gone between the listing and the look: of no particular kind. */
const NOTHING = { isDirectory: () => false, isFIFO: () => false, isCharacterDevice: () => false, isBlockDevice: () => false, isSocket: () => false } as fs.Stats;
