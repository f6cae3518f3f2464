import * as fs from 'fs';
import * as path from 'path';

/**
 * What an audit may read: the current folder, and each path named outside it (a file's folder),
 * plus the folder of a --project config. Config files are also looked for above them, as tsc and
 * ESLint do; links out of these folders are not followed.
 */
export function workspaceRoots(cwd: string, paths: string[], project?: string): string[] {
  const roots = [cwd];
  const add = (p: string) => {
    if (!roots.some((r) => p === r || p.startsWith(r + path.sep))) roots.push(p);
  };
  for (const p of paths) add(isFolder(p) ? p : path.dirname(p));
  if (project) add(path.dirname(project));
  return roots;
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
