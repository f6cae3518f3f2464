// A JavaScript module of the project with typings written by hand beside it (`lib/index.js` and
// `lib/index.d.ts`): TypeScript resolves `require('..')` to the typings, where a class or function has
// no body. The code that runs is the JavaScript of the same name: `class Engine`, `function connect`,
// `exports.Engine = class CatboxRedis {…}`, `module.exports.connect = function (…) {…}`.
import { ts } from 'ts-morph';
import { topLevelNamed } from './ast';

const SIBLINGS: Array<[RegExp, string[]]> = [
  [/\.d\.ts$/, ['.js', '.cjs', '.mjs']],
  [/\.d\.cts$/, ['.cjs']],
  [/\.d\.mts$/, ['.mjs']],
];

/** What runs for a declaration of a project's hand-written typings, found in the program's JavaScript beside it. */
export function implementationOf(program: ts.Program, decl: ts.Declaration | undefined): ts.Declaration | undefined {
  const sf = decl?.getSourceFile();
  const name = decl && ts.getNameOfDeclaration(decl);
  if (!sf?.isDeclarationFile || !name || !ts.isIdentifier(name) || /[\\/]node_modules[\\/]/.test(sf.fileName)) return undefined;
  for (const [typings, exts] of SIBLINGS) {
    if (!typings.test(sf.fileName)) continue;
    for (const ext of exts) {
      const js = program.getSourceFile(sf.fileName.replace(typings, ext));
      const found = js && topLevelNamed(js, name.text);
      if (found) return found;
    }
  }
  return undefined;
}

/** The JavaScript files beside the project's own typings that the program does not hold yet. */
export function implementationFiles(program: ts.Program, exists: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const sf of program.getSourceFiles()) {
    if (!sf.isDeclarationFile || program.isSourceFileFromExternalLibrary(sf) || /[\\/]node_modules[\\/]/.test(sf.fileName)) continue;
    for (const [typings, exts] of SIBLINGS) {
      if (!typings.test(sf.fileName)) continue;
      const js = exts.map((ext) => sf.fileName.replace(typings, ext)).find((f) => !program.getSourceFile(f) && exists(f));
      if (js) out.push(js);
    }
  }
  return out;
}
