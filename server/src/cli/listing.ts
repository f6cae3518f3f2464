// Which files `linger audit` analyses: the paths given (walked), else the files of --project's
// config (as TypeScript expands it), else the current folder. The same listing for an audit and for
// the record of it that the next run replays (record-replay.ts).
import * as path from 'path';
import { Analyzer, listSourceFiles } from '../core/analyze';
import { SkippedFile } from '../core/types';
import { AuditArgs } from './args';
import { auditedWhere } from './conclude';
import { filesOfConfig } from './project-files';

export function listAuditFiles(a: AuditArgs, cwd: string, analyzer: Analyzer, project: string | undefined): { files: string[]; skipped: SkippedFile[] } | { error: string } {
  const resolve = (p: string) => path.resolve(cwd, p);
  let files: string[];
  let skipped: SkippedFile[] = [];
  if (a.paths.length) {
    const listed = listSourceFiles(a.paths.map(resolve), analyzer);
    if (listed.missing.length) return { error: `${path.relative(cwd, listed.missing[0]) || listed.missing[0]}: no such file or directory, or not readable` };
    ({ files, skipped } = listed);
  } else if (project) {
    const listed = filesOfConfig(analyzer, project);
    if ('error' in listed) return listed;
    files = listed.files;
  } else {
    ({ files, skipped } = listSourceFiles([cwd], analyzer));
  }
  if (!files.length) {
    return { error: `no JavaScript or TypeScript files under ${auditedWhere(a, cwd)}${skipped.length ? ` (${skipped.length} skipped: ${skipped[0].reason}${skipped.length > 1 ? ', …' : ''})` : ''}` };
  }
  return { files, skipped };
}
