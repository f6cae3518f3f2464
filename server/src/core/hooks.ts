// Connections a test suite makes before each test: `beforeEach(() => { server = http.createServer(app).listen(0) })`.
// Each test gets a new one, so each must be closed after each test; an `afterAll`/`after` hook closes
// only the last, and every other one stays open (its port bound, the runner unable to exit).
import { ts } from 'ts-morph';
import { calleeName, FnLike, stripParens } from './ast';
import { KINDS } from './catalog';
import { CreatorFinder } from './creators';
import { FieldLeak } from './fields';
import { creationUnder } from './call-shapes';
import { makeSubject } from './subject';

const EACH = new Set(['beforeEach']);
const AFTER_EACH = new Set(['afterEach']);
const AFTER_ALL = new Set(['after', 'afterAll']);
/** Kinds a test makes and must close; responses and checkouts have rules of their own. */
const KINDS_OPENED_PER_TEST = new Set(['server', 'socket', 'websocket', 'db-client', 'redis-client', 'mongo-client', 'amqp-connection', 'pool', 'http2-session', 'sio-client', 'udp-socket']);

export function hookLeaks(sf: ts.SourceFile, creators: CreatorFinder): FieldLeak[] {
  const out: FieldLeak[] = [];
  if (!sf.text.includes('beforeEach')) return out; // most files: no walk
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && EACH.has(n.expression.text)) {
      const cb = hookBody(n);
      if (cb) for (const a of assignments(cb)) check(a, n, creators, out);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

interface Assignment { name: string; node: ts.BinaryExpression; call: ts.CallExpression | ts.NewExpression }

function hookBody(call: ts.CallExpression): FnLike | undefined {
  const a = call.arguments[call.arguments.length - 1];
  const fn = a && stripParens(a);
  return fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? fn : undefined;
}

/** `x = creator(…)` in the hook (not in its nested functions), `x` declared outside it. */
function assignments(fn: FnLike): Assignment[] {
  const out: Assignment[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left)) {
      const call = creationUnder(n.right);
      if (call) out.push({ name: n.left.text, node: n, call });
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return out.filter((a) => !declaredIn(fn, a.name));
}

function declaredIn(fn: FnLike, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) found = true;
    else ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found || fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name);
}

function check(a: Assignment, hook: ts.CallExpression, creators: CreatorFinder, out: FieldLeak[]): void {
  const match = creators.match(a.call);
  if (!match || match.callbackParam !== undefined || !KINDS_OPENED_PER_TEST.has(match.kind)) return;
  const release = KINDS[match.kind].release;
  const scope = hook.parent?.parent; // the block or file whose hooks these are
  if (!scope) return;
  let each = false;
  let all = false;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n !== hook) {
      const name = n.expression.text;
      const body = (AFTER_EACH.has(name) || AFTER_ALL.has(name)) ? hookBody(n) : undefined;
      if (body && releases(body, a.name, release)) {
        if (AFTER_EACH.has(name)) each = true;
        else all = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(scope, visit);
  // Closed after each test, or handed to something we cannot see: nothing to say. Only the shape
  // that is certainly wrong is reported: closed once, after all of them.
  if (each || !all) return;
  const subject = makeSubject(match.kind, hookBody(hook)!, a.call, { creation: a.call });
  out.push({
    subject, match, exits: [{ node: a.node, kind: 'everyTest' }], sawRelease: true, sawEscape: false,
    releaseCall: `${a.name}.${match.fixCall ?? KINDS[match.kind].fixCall}`, resourceName: a.name,
  });
}

/** The hook calls `name.<release>(…)` or passes `name` to a call (`server.close(done)`, `close(server)`). */
function releases(fn: FnLike, name: string, release: string[]): boolean {
  let found = false;
  const isName = (e: ts.Expression) => ts.isIdentifier(stripParens(e)) && (stripParens(e) as ts.Identifier).text === name;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const callee = stripParens(n.expression);
      if (ts.isPropertyAccessExpression(callee) && isName(callee.expression) && release.includes(callee.name.text)) found = true;
      else if (n.arguments.some(isName) && calleeName(n) !== 'log') found = true;
    }
    if (!found) ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}
