// Mongoose's default connection opened by a suite's setup hook (`before(async () => { await mongoose.connect(url) })`)
// and closed by nothing: the connection belongs to the module, not to a variable of the file, so hooks.ts (which follows
// what a hook assigns) does not see it, and subjects.ts leaves `mongoose.connect` alone in tests (one per process). Its
// pool keeps the runner alive after the last test (mocha without `--exit`, node:test), as a client a hook keeps does.
import { ts } from 'ts-morph';
import { calleeName, callsMethodOn, findNode, stripParens } from './ast';
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
  // `mongoose.disconnect()`, `mongoose.connection.close()`, or anything an after hook calls that is not a library's
  // (`after(() => closeDb())` of the project may disconnect it).
  const closedInFile = !!findNode(sf, (n) => callsMethodOn(n, CLOSES, (e) => fromMongoose(rootOf(e))));
  const library = (c: ts.CallExpression) => { const m = resolver.ofBinding(stripParens(c.expression))?.module; return !!m && !/^[./]/.test(m); };
  if (closedInFile || afterHooksDo(sf, (c) => ts.isCallExpression(c) && !library(c))) return out;
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
