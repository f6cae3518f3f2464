// A library's own tests use the library by path (`import { Server } from '..'`), the way its users use
// it by name. In a test file of a package that owns the HTTP server it is made with (Socket.IO: its
// `close()` closes that server) or whose mock server drops its connections when stopped (mockttp), a
// name imported from the package's own code is that catalog entry, so what users get applies to the
// library's tests too, also for the whole module (`const Hapi = require('..')`, then `Hapi.server()`: hapi's stop
// drops its connections, and its server is a creator too, so hapi's own tests are checked as its users' are).
// Only these packages: taking any library's creators by path (ioredis's tests, `import Redis from
// '../../lib/Redis'`) would add findings in library test suites nobody has judged yet (216 in socket.io and ioredis).
import * as path from 'path';
import { ts } from 'ts-morph';
import { HTTP_SERVER_OWNERS, SUITE_DROPPING_SERVERS } from './catalog';
import { isTestFile } from './execution';

/** The package a file belongs to: its package.json `name` and folder. */
export type PackageOf = (file: string) => { name: string; root: string } | undefined;

/** `module:name` pairs of the HTTP-server owners and the connection-dropping mock servers of the catalog. */
const CATALOG_NAMES = new Set<string>([...HTTP_SERVER_OWNERS, ...SUITE_DROPPING_SERVERS].flatMap((o) => o.modules.flatMap((m) => o.names.map((n) => `${m}:${n}`))));

const CATALOG_PACKAGES = new Set<string>([...HTTP_SERVER_OWNERS, ...SUITE_DROPPING_SERVERS].flatMap((o) => o.modules));

/**
 * The catalog module a relative import of a test file names (`socket.io` for `Server`), when what it
 * loads (`target`: a file, or the package's folder itself) is its own package's code, not a test's, and
 * the package is such an owner.
 */
export function selfImport(packageOf: PackageOf | undefined, from: ts.SourceFile, target: string | undefined, name: string): string | undefined {
  if (!packageOf || !target || !isTestFile(from)) return undefined;
  const pkg = packageOf(from.fileName);
  // `name` '': the whole module (`const Hapi = require('..')`), whose members are then looked up by name.
  if (!pkg?.name || !(name === '' ? CATALOG_PACKAGES.has(pkg.name) : CATALOG_NAMES.has(`${pkg.name}:${name}`))) return undefined;
  const rel = path.relative(pkg.root, target);
  if (rel === '') return pkg.name; // `require('..')`: the package itself, built or not
  return !rel.startsWith('..') && !path.isAbsolute(rel) && !/(^|[\\/])(node_modules|test|tests|__tests__)[\\/]/.test(rel) ? pkg.name : undefined;
}

/** The same for the module specifier of an import or `require()` (`'..'`), resolved by the checker. */
export function selfImportOf(checker: ts.TypeChecker, packageOf: PackageOf | undefined, specifier: ts.Node | undefined, name: string): string | undefined {
  if (!packageOf || !specifier || !ts.isStringLiteralLike(specifier) || !/^\.\.?(\/|$)/.test(specifier.text)) return undefined;
  let target: ts.Node | undefined;
  try {
    target = checker.getSymbolAtLocation(specifier)?.valueDeclaration;
  } catch {
    return undefined;
  }
  const from = specifier.getSourceFile();
  // Unresolved (`'..'` of a package whose `main` is built output not there): the folder it names.
  const file = target && ts.isSourceFile(target) ? target.fileName : path.resolve(path.dirname(from.fileName), specifier.text);
  return selfImport(packageOf, from, file, name);
}
