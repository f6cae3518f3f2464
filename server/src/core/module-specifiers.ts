// Module specifiers as the origin resolver reads them: `require('x')` and `import('x')`, an import's
// specifier, a relative one (the project's own module), and the package a typings declaration belongs to.
import { ts } from 'ts-morph';
import { normalizeModule } from './catalog';

/** `require('x')`, or a dynamic `import('x')` (awaited: `const { Client } = await import('undici')`). */
export function requireSpecifier(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (((ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword) && call.arguments.length >= 1 &&
      (call.arguments.length === 1 || callee.kind === ts.SyntaxKind.ImportKeyword)) {
    const arg = call.arguments[0];
    if (ts.isStringLiteralLike(arg)) return normalizeModule(arg.text);
  }
  return undefined;
}

export function moduleSpecifierOf(decl: ts.ImportSpecifier | ts.ExportSpecifier): string | undefined {
  const holder = ts.isImportSpecifier(decl) ? decl.parent.parent.parent : decl.parent.parent;
  const spec = holder.moduleSpecifier;
  return spec && ts.isStringLiteral(spec) ? spec.text : undefined;
}

export function isRelative(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/');
}

/**
 * A declaration of the global scope in a typings file: top level of a script (lib.dom.d.ts), or
 * inside `declare global { … }` of a module (@types/node, undici-types).
 */
export function isGlobalDeclaration(decl: ts.Node): boolean {
  const sf = decl.getSourceFile();
  if (!sf.isDeclarationFile) return false;
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (ts.isModuleDeclaration(n)) return (n.flags & ts.NodeFlags.GlobalAugmentation) !== 0;
  }
  return !ts.isExternalModule(sf);
}

/** `declare module 'net'` or `node_modules/(@types/)?<pkg>/...`. */
export function declaringModule(decl: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) return normalizeModule(n.name.text);
  }
  const file = decl.getSourceFile().fileName;
  const m = /node_modules\/(?:@types\/)?((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(file);
  if (!m) return undefined;
  if (m[1] === 'mysql2' && /(^|\/)promise\.d\.ts$/.test(m[2])) return 'mysql2/promise';
  // mariadb's callback API (`mariadb/callback`: types/callback.d.ts), whose createConnection() returns the connection itself.
  if (m[1] === 'mariadb' && /(^|\/)callback\.d\.c?ts$/.test(m[2])) return 'mariadb/callback';
  return m[1];
}

/** `default` is the module itself for CommonJS-style packages (`import pg from 'pg'`). */
export function normPath(path: string[]): string[] {
  return path[0] === 'default' ? path.slice(1) : path;
}

/** The name a binding's declaration imports: `Engine` of `const { Engine: Store } = require('../lib')` or `import { Engine as Store }`. */
export function importedNameOf(decl: ts.Declaration | undefined): string | undefined {
  return decl && (ts.isImportSpecifier(decl) || ts.isBindingElement(decl)) && decl.propertyName && ts.isIdentifier(decl.propertyName) ? decl.propertyName.text : undefined;
}

/** `export function f()`, `export const f = async () => …`: a module-level function its module exports by name. */
export function isExportedFunction(fn: ts.SignatureDeclaration): boolean {
  const decl = ts.isFunctionDeclaration(fn) ? fn : fn.parent?.parent?.parent;
  return !!decl && ts.canHaveModifiers(decl) && (ts.getCombinedModifierFlags(decl as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
}
