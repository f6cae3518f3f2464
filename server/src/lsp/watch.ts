// Files changing on disk. A project or config file (tsconfig, jsconfig, package.json,
// .lingerrc.json) reloads projects and configs; a source file that is not open is re-read into its
// project, because another file's result can depend on it (a helper that closes its parameter).
import * as path from 'path';
import { DidChangeWatchedFilesParams } from 'vscode-languageserver/node';
import { SOURCE_EXTENSIONS } from '../core/analyze';
import { ServerContext } from './context';
import { isObject } from './guards';
import { uriToPath } from './paths';

/** Globs registered with `workspace/didChangeWatchedFiles`. */
export const WATCHED_GLOBS = [
  '**/{tsconfig,jsconfig}*.json',
  '**/package.json',
  '**/.lingerrc.json',
  `**/*.{${SOURCE_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`,
];

export function isConfigFile(file: string): boolean {
  const base = path.basename(file);
  return /^(tsconfig|jsconfig).*\.json$/.test(base) || base === 'package.json' || base === '.lingerrc.json';
}

/** Returns true when results may have changed (the caller refreshes diagnostics). */
export function filesChanged(ctx: ServerContext, params: DidChangeWatchedFilesParams): boolean {
  const changes = isObject(params) && Array.isArray(params.changes) ? params.changes.filter(isObject) : [];
  const files = changes.map((c) => (typeof c.uri === 'string' ? uriToPath(c.uri) : undefined)).filter((f): f is string => !!f);
  if (!files.length) return false;
  if (files.some(isConfigFile)) {
    ctx.log(`configuration changed (${files.filter(isConfigFile).map((f) => path.basename(f)).join(', ')}): reloading projects`);
    ctx.analysis.invalidateProjects();
    ctx.configProblems.changed();
    return true;
  }
  const open = new Set(ctx.documents.all().map((d) => uriToPath(d.uri)));
  let changed = false;
  for (const file of files) {
    if (open.has(file)) continue;
    // A source file is re-read; anything else (a link, a folder) may change where links lead.
    ctx.analysis.revert(file);
    changed = true;
  }
  if (changed) ctx.analysis.invalidateResults();
  return changed;
}
