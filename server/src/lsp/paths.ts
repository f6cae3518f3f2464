// URIs ↔ file paths, and where the installed package keeps its docs.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { Explanation } from '../core/types';
import { COMMANDS } from '../protocol';

/** The file-system path of a `file:` URI; undefined for other schemes (untitled:, vscode-notebook:…). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}

/**
 * The analyzer works on file paths. An untitled buffer has none, so it gets a made-up path under a
 * folder that does not exist (`/__linger_untitled__/`): no tsconfig claims it, so it lands in an
 * inferred project, and nothing is ever read from or written to that path.
 */
export function analysisPath(uri: string, languageId: string): string | undefined {
  const real = uriToPath(uri);
  if (real) return real;
  if (!uri.startsWith('untitled:')) return undefined;
  const ext = { typescript: '.ts', typescriptreact: '.tsx', javascript: '.js', javascriptreact: '.jsx' }[languageId] ?? '.ts';
  const name = uri.slice('untitled:'.length).replace(/[^A-Za-z0-9_-]/g, '_') || 'untitled';
  return path.join(path.parse(process.cwd()).root, '__linger_untitled__', name + ext);
}

let root: string | undefined;

/**
 * The package root: the folder holding docs/ and package.json. The bundle lives in dist/ (one level
 * down) and the sources in server/src/lsp/ (three levels down, when run by tsx), so walk up.
 */
export function packageRoot(): string {
  if (root) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'docs', 'close-wait.md')) && fs.existsSync(path.join(dir, 'package.json'))) return (root = dir);
    if (path.dirname(dir) === dir) return (root = path.resolve(__dirname, '..'));
  }
}

/** `file:` URI of a rule's doc page (`meta.docs` is relative to the package root). */
export function docUri(relative: string): string {
  return pathToUri(path.join(packageRoot(), relative));
}

/**
 * The link to a doc page (`docs/rules/<id>.md`, relative to the package root) for a diagnostic's
 * `codeDescription`. A client that implements `linger.openDoc` (the VS Code extension) gets a command
 * link, which opens the page rendered in Markdown preview: VS Code opens a `file:` link as an
 * editable text file. Other editors get the file.
 */
export function docHref(relative: string, openDocCommand: boolean): string {
  if (!openDocCommand) return docUri(relative);
  return `command:${COMMANDS.openDoc}?${encodeURIComponent(JSON.stringify([relative]))}`;
}

/** The explanation page, in Chinese when the client's locale asks for it and the translation exists. */
export function explanationPath(explanation: Explanation, locale?: string): string {
  const file = `${explanation}.md`;
  if (locale?.toLowerCase().startsWith('zh')) {
    const zh = path.join(packageRoot(), 'docs', 'zh-cn', file);
    if (fs.existsSync(zh)) return zh;
  }
  return path.join(packageRoot(), 'docs', file);
}
