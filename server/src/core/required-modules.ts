// A relative `require('./x')` in a TypeScript file. TypeScript binds `require` as an import only in
// JavaScript files: in a `.ts` file `const { open } = require('./helper')` is an untyped call, so
// neither the checker nor the program's import list knows which file it loads. Test files and older
// code written in TypeScript use it often enough that a helper reached this way must still be followed.
import * as path from 'path';
import { ts } from 'ts-morph';

/** The program of each checker the analysis uses, to look a required file up by its path. */
const PROGRAMS = new WeakMap<ts.TypeChecker, ts.Program>();

export function rememberProgram(checker: ts.TypeChecker, program: ts.Program): void {
  PROGRAMS.set(checker, program);
}

/** The program a checker of the analysis belongs to (for questions about other files: run-rate.ts). */
export function programOf(checker: ts.TypeChecker): ts.Program | undefined {
  return PROGRAMS.get(checker);
}

/**
 * Some file of the checker's program names `module` in a string literal (`'ws'`, `"ws"`, `` `ws` ``):
 * an import, a `require()`, `import('ws')` in a type or a `declare module`. Without one, no binding of
 * the program can come from that module, and the origin resolver need not be asked (Bun's `serve()`:
 * every plain call of every file would be resolved for it).
 */
export function programNamesModule(checker: ts.TypeChecker, module: string): boolean {
  const quoted = [`'${module}'`, `"${module}"`, `\`${module}\``];
  return someFileHolds(checker, `module ${module}`, (sf) => quoted.some((q) => sf.text.includes(q)));
}

/**
 * Some source file of the checker's program, not a declaration file, holds `word` in its text
 * (`localPort`): without one, no object literal of the program can set that property, and a rule
 * about it need not resolve the callee of every call.
 */
export function programSourceWrites(checker: ts.TypeChecker, word: string): boolean {
  return someFileHolds(checker, `word ${word}`, (sf) => !sf.isDeclarationFile && sf.text.includes(word));
}

/** Per syntax tree (trees outlive an edit's program), and per program (asked for every call of every file): the answers so far, by question. */
const TREE_ANSWERS = new WeakMap<ts.SourceFile, Map<string, boolean>>();
const PROGRAM_ANSWERS = new WeakMap<ts.Program, Map<string, boolean>>();

/** `test` holds for some file of the checker's program (true when the program is unknown); `question` names `test` in the caches. */
function someFileHolds(checker: ts.TypeChecker, question: string, test: (sf: ts.SourceFile) => boolean): boolean {
  const program = PROGRAMS.get(checker);
  if (!program) return true;
  let answers = PROGRAM_ANSWERS.get(program);
  if (!answers) PROGRAM_ANSWERS.set(program, (answers = new Map()));
  let answer = answers.get(question);
  if (answer !== undefined) return answer;
  answer = program.getSourceFiles().some((sf) => {
    let known = TREE_ANSWERS.get(sf);
    if (!known) TREE_ANSWERS.set(sf, (known = new Map()));
    let holds = known.get(question);
    if (holds === undefined) known.set(question, (holds = test(sf)));
    return holds;
  });
  answers.set(question, answer);
  return answer;
}

// What Node (and a bundler) would try for `./helper`; `./helper.js` in TypeScript's ESM style names `./helper.ts`.
const SUFFIXES = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.d.ts', '/index.ts', '/index.tsx', '/index.js'];

/** The paths a relative `require()` specifier may load, in the order tried. */
function candidates(specifier: ts.StringLiteralLike): string[] {
  const text = specifier.text;
  if (!text.startsWith('./') && !text.startsWith('../')) return [];
  const base = path.resolve(path.dirname(specifier.getSourceFile().fileName), text).split(path.sep).join('/');
  const bases = /\.[cm]?js$/.test(base) ? [base.replace(/\.([cm]?)js$/, '.$1ts'), base] : [base];
  return bases.flatMap((b) => SUFFIXES.map((suffix) => b + suffix));
}

/** The project file a relative `require()` specifier of a TypeScript file loads, from `program`. */
export function requiredSourceFile(program: ts.Program, specifier: ts.StringLiteralLike): ts.SourceFile | undefined {
  for (const c of candidates(specifier)) {
    const sf = program.getSourceFile(c);
    if (sf && !sf.isDeclarationFile) return sf;
  }
  return undefined;
}

/**
 * Per syntax tree: every program build (each edit in the editor) asks about every file, and a new
 * program keeps the trees of the files the edit did not touch.
 */
const REQUIRES = new WeakMap<ts.SourceFile, ts.StringLiteralLike[]>();

/** The relative `require('./x')` calls of a TypeScript file (none in JavaScript, where TypeScript imports them itself). */
export function relativeRequires(sf: ts.SourceFile): ts.StringLiteralLike[] {
  const known = REQUIRES.get(sf);
  if (known) return known;
  const out: ts.StringLiteralLike[] = [];
  REQUIRES.set(sf, out);
  if (sf.isDeclarationFile || isJavaScript(sf) || !sf.text.includes('require(')) return out;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const arg = requireArgument(n);
      if (arg && ts.isStringLiteralLike(arg) && candidates(arg).length) out.push(arg);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * Files a TypeScript file of the program loads with `require('./x')` that the program does not hold
 * (TypeScript adds only what it imports): the editor's program of one open file must see the helper
 * the command line's program of every file sees.
 */
export function requiredFilesMissing(program: ts.Program, exists: (file: string) => boolean): string[] {
  const out = new Set<string>();
  for (const sf of program.getSourceFiles()) {
    if (/[\\/]node_modules[\\/]/.test(sf.fileName)) continue;
    for (const spec of relativeRequires(sf)) {
      if (requiredSourceFile(program, spec)) continue;
      const found = candidates(spec).find((c) => !c.endsWith('.d.ts') && exists(c));
      if (found) out.add(found);
    }
  }
  return [...out];
}

/** The module symbol of the file `require(specifier)` loads in a TypeScript file, when the program has it. */
export function requiredModuleSymbol(checker: ts.TypeChecker, specifier: ts.Expression): ts.Symbol | undefined {
  const program = PROGRAMS.get(checker);
  if (!program || !ts.isStringLiteralLike(specifier) || isJavaScript(specifier.getSourceFile())) return undefined;
  const sf = requiredSourceFile(program, specifier);
  return sf && checker.getSymbolAtLocation(sf);
}

/**
 * What a name destructured from a relative `require()` in a TypeScript file, or from an awaited `import()`, stands for
 * (`const { open } = require('./helper')`, `const { HarbourApi } = await import('../src/harbourApi.js')` → the export), or undefined for any other symbol.
 */
export function requiredBinding(checker: ts.TypeChecker, sym: ts.Symbol): ts.Symbol | undefined {
  const decl = sym.valueDeclaration;
  if (!decl || !ts.isBindingElement(decl) || !ts.isObjectBindingPattern(decl.parent)) return undefined;
  const holder = decl.parent.parent;
  if (!ts.isVariableDeclaration(holder) || !holder.initializer) return undefined;
  const mod = moduleOf(checker, holder.initializer);
  const key = decl.propertyName ?? decl.name;
  return mod && ts.isIdentifier(key) ? exportNamed(checker, mod, key.text) : undefined;
}

/**
 * The export a member name of a module required whole in a TypeScript file names
 * (`const helper = require('./helper'); helper.open(h)` → the exported `open`), or undefined.
 */
export function requiredMember(checker: ts.TypeChecker, name: ts.Node): ts.Symbol | undefined {
  const access = name.parent;
  if (!ts.isIdentifier(name) || !access || !ts.isPropertyAccessExpression(access) || access.name !== name || !ts.isIdentifier(access.expression)) return undefined;
  const decl = checker.getSymbolAtLocation(access.expression)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name) || !decl.initializer) return undefined;
  const mod = moduleOf(checker, decl.initializer);
  return mod && exportNamed(checker, mod, name.text);
}

/** The module a `require(…)` of a TypeScript file, or an `await import(…)` (a test's import after its set-up), loads. */
function moduleOf(checker: ts.TypeChecker, init: ts.Expression): ts.Symbol | undefined {
  const awaited = ts.isAwaitExpression(init) ? init.expression : undefined;
  if (awaited && ts.isCallExpression(awaited) && awaited.expression.kind === ts.SyntaxKind.ImportKeyword && awaited.arguments[0]) {
    // The checker resolves a dynamic import's specifier as it does a static one's; its bindings are no aliases, though.
    try {
      return checker.getSymbolAtLocation(awaited.arguments[0]);
    } catch {
      return undefined;
    }
  }
  const specifier = requireArgument(init);
  return specifier && requiredModuleSymbol(checker, specifier);
}

function requireArgument(e: ts.Node): ts.Expression | undefined {
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1 ? e.arguments[0] : undefined;
}

function exportNamed(checker: ts.TypeChecker, mod: ts.Symbol, name: string): ts.Symbol | undefined {
  try {
    return checker.getExportsOfModule(mod).find((e) => e.getName() === name);
  } catch {
    return undefined;
  }
}

function isJavaScript(sf: ts.SourceFile): boolean {
  return /\.[cm]?jsx?$/.test(sf.fileName);
}

/** Per program: the project files another file re-exports whole, whose functions its importers may call. */
const REEXPORTED = new WeakMap<ts.Program, Set<ts.SourceFile>>();

/**
 * `export * from './osv'`, `module.exports = { ...require('./osv') }`, `module.exports = require('./osv')`,
 * `Object.assign(module.exports, require('./osv'))`: another file of the program hands on every export of `sf`
 * without naming them, so who calls them is not to be found by name (a library's entry module).
 */
export function reexportedWhole(program: ts.Program, sf: ts.SourceFile): boolean {
  let files = REEXPORTED.get(program);
  if (!files) {
    REEXPORTED.set(program, (files = new Set()));
    for (const file of program.getSourceFiles()) {
      if (file.isDeclarationFile || /[\\/]node_modules[\\/]/.test(file.fileName) || !/export \*|require\(/.test(file.text)) continue;
      for (const spec of wholeReexports(file)) {
        const target = requiredSourceFile(program, spec);
        if (target) files.add(target);
      }
    }
  }
  return files.has(sf);
}

function wholeReexports(file: ts.SourceFile): ts.StringLiteralLike[] {
  const out: ts.StringLiteralLike[] = [];
  const isExports = (e: ts.Expression) => /^(module\.)?exports$/.test(e.getText());
  // ast.ts imports this module, so its stripParens is not imported here.
  const stripParens = (e: ts.Expression): ts.Expression => (ts.isParenthesizedExpression(e) ? stripParens(e.expression) : e);
  const required = (e: ts.Expression | undefined) => {
    const arg = e && ts.isCallExpression(e) ? requireArgument(e) : undefined;
    if (arg && ts.isStringLiteralLike(arg)) out.push(arg);
  };
  // Statements of the file's top level only: where a module says what it exports.
  for (const st of file.statements) {
    if (ts.isExportDeclaration(st) && !st.exportClause && st.moduleSpecifier && ts.isStringLiteralLike(st.moduleSpecifier)) out.push(st.moduleSpecifier);
    const e = ts.isExpressionStatement(st) ? st.expression : undefined;
    if (e && ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && isExports(e.left)) {
      const right = stripParens(e.right);
      if (ts.isObjectLiteralExpression(right)) right.properties.forEach((p) => ts.isSpreadAssignment(p) && required(stripParens(p.expression)));
      else required(right);
    }
    if (e && ts.isCallExpression(e) && e.expression.getText() === 'Object.assign' && e.arguments[0] && isExports(e.arguments[0])) e.arguments.slice(1).forEach((a) => required(stripParens(a)));
  }
  return out;
}
