// Mongoose's default connection opened by a suite's setup hook (`before(async () => { await mongoose.connect(url) })`)
// and closed by nothing: the connection belongs to the module, not to a variable of the file, so hooks.ts (which follows
// what a hook assigns) does not see it, and subjects.ts leaves `mongoose.connect` alone in tests (one per process). Its
// pool keeps the runner alive after the last test (mocha without `--exit`, node:test), as a client a hook keeps does.
import { ts } from 'ts-morph';
import { assignmentsTo, calleeName, callsMethodOn, findNode, importedFrom, stripParens } from './ast';
import { CreatorFinder } from './creators';
import { inTestCode } from './execution';
import { FieldLeak } from './fields';
import { hookBody } from './hooks';
import { OriginResolver } from './origins';
import { rootOf } from './owner-roots';
import { makeSubject } from './subject';
import { afterHooksDo } from './suite-servers';

const SETUP = new Set(['before', 'beforeAll']);
const CLOSES = ['disconnect', 'close', 'destroy'];

/**
 * `otherFilesMayClose`: another test file of the project names mongoose and a close (a root hook file, a global
 * teardown): that one may end the default connection for every suite.
 */
export function mongooseSuiteLeaks(sf: ts.SourceFile, creators: CreatorFinder, resolver: OriginResolver, otherFilesMayClose: () => boolean): FieldLeak[] {
  if (!sf.text.includes('mongoose') || !/\bbefore(All)?\s*\(/.test(sf.text)) return [];
  const out: FieldLeak[] = [];
  const fromMongoose = (e: ts.Expression) => resolver.ofBinding(stripParens(e))?.module === 'mongoose';
  // `mongoose.disconnect()`, `mongoose.connection.close()`, or what an after hook reaches of the project that may
  // (`after(() => closeDb())`, `app.close()` of an app a project function built).
  const closedInFile = !!findNode(sf, (n) => callsMethodOn(n, CLOSES, (e) => fromMongoose(rootOf(e))));
  if (closedInFile || afterHooksDo(sf, (n) => ts.isIdentifier(n) && mayReachMongoose(n, sf, resolver))) return out;
  const defaultConnect = (c: ts.Node): c is ts.CallExpression => {
    const m = ts.isCallExpression(c) && calleeName(c) === 'connect' ? creators.match(c) : undefined;
    return !!m?.moduleState && m.viaModule === 'mongoose';
  };
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && SETUP.has(n.expression.text) && inTestCode(n)) {
      const hook = hookBody(n);
      const connect = hook?.body && findNode(hook.body, defaultConnect, true) as ts.CallExpression | undefined;
      const match = connect && creators.match(connect);
      if (hook && connect && match && !otherFilesMayClose()) {
        const subject = makeSubject(match.kind, hook, connect, { fixCall: match.fixCall });
        out.push({ subject, match, exits: [{ node: connect, kind: 'suiteNeverCloses' }], sawRelease: false, sawEscape: false, releaseCall: 'mongoose.disconnect()', resourceName: 'mongoose.connection' });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * A name an after hook uses that may lead to code closing mongoose's connection: a function or an object of a
 * project module that names mongoose (or imports one that does), a variable of the file made from one, or a
 * name nothing declares (a global a setup file defines). Not a library's, a parameter (`resolve`), nor a
 * project module that never names mongoose (`closeMongo()` closing a MongoClient of its own).
 */
function mayReachMongoose(name: ts.Identifier, sf: ts.SourceFile, resolver: OriginResolver, depth = 0): boolean {
  // `x.close`: the property is not a binding; its receiver is visited on its own.
  if (ts.isPropertyAccessExpression(name.parent) && name.parent.name === name) return false;
  const local = resolver.symbolOf(name)?.declarations?.[0];
  if (!local) return !GLOBALS.has(name.text);
  if (ts.isParameter(local)) return false;
  // Imported from a package (`import express from 'express'`, `const { once } = require('node:events')`), typed or not.
  const spec = importedFrom(sf, name.text);
  if (spec !== undefined && !/^[./]/.test(spec)) return false;
  // A helper of the test file (`async function teardown() { await closeDb() }`): what its body uses.
  if (ts.isFunctionDeclaration(local) && local.getSourceFile() === sf) {
    return depth > 2 || !!local.body && !!findNode(local.body, (n) => ts.isIdentifier(n) && mayReachMongoose(n, sf, resolver, depth + 1));
  }
  const target = resolver.targetOf(name)?.declarations?.[0];
  if (!target) return true;
  const file = target.getSourceFile();
  if (file.isDeclarationFile || /[\\/]node_modules[\\/]/.test(file.fileName)) return false;
  if (file !== sf) return namesMongoose(file, resolver);
  // A variable of the test file: what it is made from (`app = await buildApp()`, `server = app.listen(0)`).
  if (!ts.isVariableDeclaration(target) || depth > 2) return true;
  const sym = resolver.symbolOf(name);
  const values = [target.initializer, ...(sym ? assignmentsTo(target, sym, (n) => resolver.symbolOf(n)).values : [])].filter((v): v is ts.Expression => !!v);
  return values.some((v) => !!findNode(v, (n) => ts.isIdentifier(n) && mayReachMongoose(n, sf, resolver, depth + 1), true));
}

/** The module names mongoose, or imports a module of the project that does. */
function namesMongoose(file: ts.SourceFile, resolver: OriginResolver): boolean {
  if (file.text.includes('mongoose')) return true;
  return file.statements.some((st) => {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !/^[./]/.test(st.moduleSpecifier.text)) return false;
    const imported = st.importClause && findNode(st.importClause, ts.isIdentifier, true) as ts.Identifier | undefined;
    const decl = imported && resolver.targetOf(imported)?.declarations?.[0];
    return !decl || decl.getSourceFile().text.includes('mongoose');
  }) || /\brequire\s*\(\s*['"]\./.test(file.text);
}

/** `Promise`, `setTimeout`, `console`: names the runtime declares. */
const GLOBALS = new Set(['Promise', 'setTimeout', 'setImmediate', 'clearTimeout', 'clearInterval', 'console', 'process', 'undefined', 'globalThis', 'Error']);
