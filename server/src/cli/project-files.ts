// The files of a tsconfig/jsconfig (`linger audit --project` with no paths), listed the way
// TypeScript expands `files`/`include`/`exclude`, but without loading the project: a run whose
// results all come from the cache must not parse and bind 40k lines first. Reads go through the
// file-system layer (the workspace boundary holds for folder listings too).
import * as path from 'path';
import { ts } from 'ts-morph';
import { Analyzer } from '../core/analyze';
import { CONFIG_SIZE_LIMIT } from '../core/files';

type MatchFiles = (
  root: string, extensions: readonly string[] | undefined, excludes: readonly string[] | undefined, includes: readonly string[],
  useCaseSensitiveFileNames: boolean, currentDirectory: string, depth: number | undefined,
  entries: (dir: string) => { files: readonly string[]; directories: readonly string[] }, realpath: (p: string) => string,
) => string[];

/** Absolute paths of the source files (not declarations) the config names, or why it cannot be read. */
export function filesOfConfig(analyzer: Analyzer, configPath: string): { files: string[] } | { error: string } {
  const r = analyzer.files.readText(configPath, CONFIG_SIZE_LIMIT, 'config');
  if (r.text === undefined) return { error: `${configPath}: cannot be read (${r.reason})` };
  const json = ts.parseJsonText(configPath, r.text);
  const syntax = (json as ts.TsConfigSourceFile & { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics?.[0];
  if (syntax) return { error: `${configPath}: ${ts.flattenDiagnosticMessageText(syntax.messageText, ' ')}` };
  // TypeScript's own matcher (what ts.sys.readDirectory and ts-morph use), over the bounded listing.
  const matchFiles = (ts as unknown as { matchFiles: MatchFiles }).matchFiles;
  const caseSensitive = process.platform !== 'win32' && process.platform !== 'darwin';
  const host: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: caseSensitive,
    fileExists: (f) => analyzer.files.isReadableFile(f, 'config'),
    readFile: (f) => analyzer.files.readText(f, CONFIG_SIZE_LIMIT, 'config').text,
    readDirectory: (root, extensions, excludes, includes, depth) => matchFiles(
      root, extensions, excludes, includes, caseSensitive, path.dirname(configPath), depth,
      (dir) => {
        const entries = analyzer.files.readDir(dir);
        return { files: entries.filter((e) => e.isFile).map((e) => path.basename(e.path)), directories: entries.filter((e) => e.isDir).map((e) => path.basename(e.path)) };
      },
      (p) => analyzer.files.real(p).real ?? p,
    ),
  };
  const parsed = ts.parseJsonSourceFileConfigFileContent(json, host, path.dirname(configPath), undefined, configPath);
  return { files: parsed.fileNames.filter((f) => !/\.d\.[cm]?ts$/.test(f)).map((f) => path.resolve(f)) };
}
