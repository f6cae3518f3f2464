// Connections a test suite makes in its hooks and keeps in a variable of the suite:
// - `beforeEach(() => { server = http.createServer(app).listen(0) })` gives each test a new one, so
//   each must be closed after each test; an `afterAll`/`after` hook closes only the last, and every
//   other one stays open (its port bound, the runner unable to exit);
// - `before(async () => { client = new MongoClient(url); await client.connect() })` with nothing in
//   the file that ever closes it or hands it on: it outlives the suite, and a runner without `--exit`
//   never ends.
import { ts } from 'ts-morph';
import { promiseForm } from './creator-match';
import { calleeName, callsMethodOn, findNode, FnLike, importedFrom, inlineFunction, promiseExecutor, skipOuter, stripParens } from './ast';
import { fieldKeeping, releaseOfKept } from './wrapper-classes';
import { CONNECTION_KINDS, KINDS, releaseMethods } from './kinds';
import { CreatorFinder } from './creators';
import { FieldLeak } from './fields';
import { creationUnder, isNonOwningArgument, isNonOwningCall, skipParensUp, waitsForEvent } from './call-shapes';
import { makeSubject } from './subject';
import { inTestCode, isTestFile } from './execution';
import { keptOnlyForUse } from './field-uses';
import { ENDING, everyUse, onlyReadsParam, ProjectFunctionOf, useOf } from './borrowing';
import { keepsIdleConnections } from './creator-options';

const EACH = new Set(['beforeEach']);
const SETUP = new Set(['before', 'beforeAll', 'beforeEach']);
const AFTER_EACH = new Set(['afterEach']);
const AFTER_ALL = new Set(['after', 'afterAll']);
/** The hooks that run after tests (mocha, jest, vitest; node:test's `after`/`afterEach`). */
export const AFTER_HOOKS = new Set([...AFTER_EACH, ...AFTER_ALL]);
/** Kinds a test makes and must close or give back (a project class that owns one too); responses have a rule of their own. */
const KINDS_OPENED_PER_TEST = new Set<string>([...CONNECTION_KINDS, 'server', 'pool', 'wrapper', 'pool-checkout']);

/** The project function a call runs (from the leak engine, which resolves imports). */

/** Whether a call makes an object that takes over the HTTP server it is given (`new Server(httpServer)` of Socket.IO). */
export type OwnsHttpServer = (call: ts.CallExpression | ts.NewExpression) => boolean;

/** supertest's `request(x)` (supertest.ts): it closes only a server it had to listen on itself. */
export type IsSupertestRequest = (call: ts.CallExpression) => boolean;

export function hookLeaks(sf: ts.SourceFile, creators: CreatorFinder, functionOf: ProjectFunctionOf, ownsServer: OwnsHttpServer, supertest: IsSupertestRequest): FieldLeak[] {
  const out: FieldLeak[] = [];
  topLevelLeaks(sf, creators, functionOf, supertest, out);
  if (!sf.text.includes('before')) return out; // most files: no walk
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && SETUP.has(n.expression.text)) {
      const cb = hookBody(n);
      if (cb) for (const a of [...assignments(cb), ...wrappedAssignments(cb, creators, functionOf)]) check(a, n, creators, functionOf, ownsServer, supertest, out);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** `release`: the project object's method that closes it, when the variable holds it wrapped in one (wrappedAssignments). */
interface Assignment { name: string; node: ts.BinaryExpression; call: ts.CallExpression | ts.NewExpression; release?: string }

/** The hook's function: `before(fn)`, mocha's `before('name', fn)`, jest's and vitest's `beforeAll(fn, timeout)`. */
export function hookBody(call: ts.CallExpression): FnLike | undefined {
  return call.arguments.map(inlineFunction).find((fn) => fn);
}

/** Callbacks a hook's setup runs once before it is done: `server.listen(0, () => { client = io(url) })`, a promise's executor. */
const SETUP_CALLBACKS = new Set(['listen', 'once', 'then', 'connect']);
const runsInSetup = (n: ts.Node) => promiseExecutor(n.parent) === n ||
  (ts.isCallExpression(n.parent) && n.parent.arguments.includes(n as ts.Expression) && SETUP_CALLBACKS.has(calleeName(n.parent) ?? ''));

/** `x = creator(…)` in the hook (or a callback its setup runs once), `x` declared outside it. */
function assignments(fn: FnLike): Assignment[] {
  const out: Assignment[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && !runsInSetup(n)) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left)) {
      const call = creationUnder(n.right) ?? listenOfLocal(n.right);
      if (call) out.push({ name: n.left.text, node: n, call });
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return out.filter((a) => !declaredIn(fn, a.name));
}

/** `const app = createApp(deps); server = app.listen(0)`: the server an app of the hook's own returns from `listen()`. */
function listenOfLocal(e: ts.Expression): ts.CallExpression | undefined {
  const x = skipOuter(e);
  return ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'listen' &&
    ts.isIdentifier(stripParens(x.expression.expression)) ? x : undefined;
}

/**
 * `const redis = createClient(o); await redis.connect(); cache = new FlagCache(redis, 5)`: a connection the hook makes in
 * a local and keeps in a variable of the suite inside a project object whose own release (`close()`) closes it.
 */
function wrappedAssignments(fn: FnLike, creators: CreatorFinder, functionOf: ProjectFunctionOf): Assignment[] {
  const out: Assignment[] = [];
  const locals = new Map<string, ts.CallExpression | ts.NewExpression>();
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      const call = creationUnder(n.initializer);
      if (call) locals.set(n.name.text, call);
    }
    const made = ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) ? stripParens(n.right) : undefined;
    const ctor = made && ts.isNewExpression(made) ? functionOf(made) : undefined;
    if (made && ctor && ts.isConstructorDeclaration(ctor)) {
      (made as ts.NewExpression).arguments?.forEach((arg, i) => {
        const x = skipOuter(arg);
        const call = ts.isIdentifier(x) ? locals.get(x.text) : undefined;
        const match = call && creators.match(call);
        const release = match && releaseOfKept(ctor.parent, i, releaseMethods(match.kind, match.fixCall), [...releaseMethods(match.kind, match.fixCall), ...KINDS.wrapper.release]);
        if (call && release) out.push({ name: ((n as ts.BinaryExpression).left as ts.Identifier).text, node: n as ts.BinaryExpression, call, release });
      });
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return out.filter((a) => !declaredIn(fn, a.name));
}

/** The hook sets a method of the instance to a function or a stub (`x.start = jest.fn()`, `x.send = () => …`). */
function stubsMethodsOf(fn: FnLike, name: string): boolean {
  return !!findNode(fn, (n) => ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(n.left) && ts.isIdentifier(n.left.expression) && n.left.expression.text === name &&
    (ts.isArrowFunction(stripParens(n.right)) || ts.isFunctionExpression(stripParens(n.right)) || ts.isCallExpression(stripParens(n.right))), true);
}

/** The assignment sits in `if (!x)` (or `x == null`, `x === undefined`) on the variable it assigns. */
function madeOnlyWhenAbsent(a: Assignment): boolean {
  for (let n: ts.Node = a.node; !ts.isFunctionLike(n); n = n.parent) {
    if (!ts.isIfStatement(n.parent) || n.parent.thenStatement !== n) continue;
    const c = stripParens(n.parent.expression);
    const isName = (e: ts.Expression) => ts.isIdentifier(stripParens(e)) && (stripParens(e) as ts.Identifier).text === a.name;
    if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken && isName(c.operand)) return true;
    if (ts.isBinaryExpression(c) && [ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken].includes(c.operatorToken.kind) &&
        (isName(c.left) || isName(c.right))) return true;
  }
  return false;
}

/** The hook opens what it assigned: `x = new Cache(); await x.connect()`, or `x = await new Cache().connect()`. */
function opensIn(fn: FnLike, a: Assignment, openers: string[]): boolean {
  return !!findNode(fn, (n) => {
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression) || !openers.includes(n.expression.name.text)) return false;
    const recv = stripParens(n.expression.expression);
    return (ts.isIdentifier(recv) && recv.text === a.name) || recv === a.call;
  }, true);
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

function check(
  made: Assignment, hook: ts.CallExpression, creators: CreatorFinder, functionOf: ProjectFunctionOf, ownsServer: OwnsHttpServer,
  supertest: IsSupertestRequest, out: FieldLeak[],
): void {
  // `server = createApp().listen(0)`: the app is no resource of the catalog, the server its `listen()` returns is.
  const outer = stripParens(made.node.right);
  const inner = creators.match(made.call);
  const a = inner || !ts.isCallExpression(outer) ? made : { ...made, call: outer };
  const match = a === made ? inner : creators.match(a.call);
  // `client = await pool.connect()`, `seed = await MongoClient.connect(uri)`: without a callback, the promise form.
  const promised = !!match && promiseForm(a.call, match);
  if (!match || (match.callbackParam !== undefined && !promised) || !KINDS_OPENED_PER_TEST.has(match.kind)) return;
  // A project class that connects in `connect()`/`start()` holds nothing until the hook calls it.
  if (match.kind === 'wrapper' && match.opensWith && !opensIn(hookBody(hook)!, a, match.opensWith)) return;
  // `transporter.startTcpServer = jest.fn()`: a project class whose methods the hook replaces is a test double.
  if (match.kind === 'wrapper' && stubsMethodsOf(hookBody(hook)!, a.name)) return;
  const release = a.release ? [a.release] : releaseMethods(match.kind, match.fixCall);
  const scope = hook.parent?.parent; // the block or file whose hooks these are
  if (!scope) return;
  let each = false;
  let all = false;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n !== hook) {
      const name = n.expression.text;
      const body = AFTER_HOOKS.has(name) ? hookBody(n) : undefined;
      if (body && releases(body, a.name, release, match.heldWhenDestructured?.name ?? match.through)) {
        if (AFTER_EACH.has(name)) each = true;
        else all = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(scope, visit);
  const releaseCall = a.release ? `${a.name}.${a.release}()` : `${a.name}.${match.fixCall ?? KINDS[match.kind].fixCall}`;
  if (!each && !all) {
    if (!inTestCode(hook)) return; // a function of the project that happens to be called `before`
    // Nothing after the tests closes it: reported only when nothing anywhere can (no release, no
    // hand-over, not exported); the subject has no creation, so no fix rewrites the hook itself.
    // supertest's `request(server)` of a server the hook made listen (`server = app.listen(0)`) closes nothing (supertest.ts).
    const listening = match.kind === 'server' && (calleeName(a.call) === 'listen' || opensIn(hookBody(hook)!, a, ['listen']));
    const lentToSupertest = (call: ts.CallExpression | ts.NewExpression, _i: number, member?: string) => listening && !member && ts.isCallExpression(call) && supertest(call);
    const lentOnly = borrowing(functionOf, release, creators);
    const borrowed: Borrowed = (call, i, member) => lentOnly(call, i, member) || lentToSupertest(call, i, member);
    // `io = new Server(httpServer)`: the Socket.IO server closes it, so it is released when `io` is.
    const owner = (call: ts.CallExpression | ts.NewExpression, i: number, member?: string) => {
      const kept = !member && i === 0 && ownsServer(call) ? skipParensUp(call).parent : undefined;
      const target = kept && ts.isBinaryExpression(kept) ? kept.left : kept && ts.isVariableDeclaration(kept) ? kept.name : undefined;
      return !!target && ts.isIdentifier(target) && neverReleased(hook, { ...a, name: target.text }, release, borrowed);
    };
    if (neverReleased(hook, a, release, (call, i, member) => borrowed(call, i, member) || owner(call, i, member), match.through)) {
      const subject = makeSubject(match.kind, hookBody(hook)!, a.call, { fixCall: match.fixCall });
      out.push({ subject, match, exits: [{ node: a.node, kind: 'suiteNeverCloses' }], sawRelease: false, sawEscape: false, releaseCall, resourceName: a.name });
    }
    return;
  }
  // Closed after each test, or handed to something we cannot see: nothing to say. Only the shape
  // that is certainly wrong is reported: closed once, after all of them.
  // `if (!server) server = app.listen(…)`: made by the first test only, like a `before` hook's.
  if (each || !EACH.has((hook.expression as ts.Identifier).text) || madeOnlyWhenAbsent(a)) return;
  const subject = makeSubject(match.kind, hookBody(hook)!, a.call, { creation: a.call, fixCall: match.fixCall });
  out.push({ subject, match, exits: [{ node: a.node, kind: 'everyTest' }], sawRelease: true, sawEscape: false, releaseCall, resourceName: a.name });
}

/**
 * A call lends it: a project function that only uses it (or the `member` of an object holding it), or a
 * library given it in an option it leaves to its owner (`new Queue(name, { connection })` of BullMQ).
 */
function borrowing(functionOf: ProjectFunctionOf, release: string[], creators: CreatorFinder): Borrowed {
  return (call, i, member) => {
    if (member && creators.lendsClient(call, member)) return true;
    const fn = functionOf(call);
    // `cache = new FareCache(redis, 60)` of a class that closes nothing at all: it uses what it keeps.
    if (!member && fn && ts.isConstructorDeclaration(fn) && !findNode(fn.parent, (n) => callsMethodOn(n, [...release, ...ENDING], () => true))) return true;
    return !!fn && (member ? onlyUsesMember(fn, i, member, release) : onlyUsesParam(fn, i, release));
  };
}

/** Kinds made at a test file's top level that keep its runner alive; an agent, and most pools, let idle sockets go. */
const KINDS_KEEPING_RUNNER = new Set<string>([...CONNECTION_KINDS, 'server', 'wrapper']);

/**
 * A test suite's file makes a connection or a listening server at its top level (`const server =
 * http.createServer(app).listen(0)`, run when the runner loads the file) and nothing in the file closes
 * it or hands it on: like a `before` hook's, it outlives the suite, and a runner without `--exit` never
 * ends. supertest's `request(server)` uses a server that already listens and closes nothing.
 */
function topLevelLeaks(sf: ts.SourceFile, creators: CreatorFinder, functionOf: ProjectFunctionOf, supertest: IsSupertestRequest, out: FieldLeak[]): void {
  // The subject's function is the suite's: what the file makes there is the tests'.
  // And in the blocks of a top-level `if` (`if (!process.env.REDIS_URL) t.skip(…); else { const probe = createClient(o); … }`).
  const statements = sf.statements.flatMap((st) => ts.isIfStatement(st) ? [st.thenStatement, st.elseStatement].flatMap(blockStatements) : [st]);
  const suite = isTestFile(sf) ? statements.map((st) => suiteBody(st)).find((fn) => fn) : undefined;
  if (!suite) return;
  // Also what a top-level `describe` makes in its own body (`const publisher = createClient(o)`, connected in `beforeAll`).
  const groups = sf.statements.map((st) => suiteBody(st, GROUPS)).filter((fn): fn is FnLike => !!fn && !!fn.body && ts.isBlock(fn.body));
  for (const [st, fn, inGroup] of [...statements.map((x) => [x, suite, false] as const), ...groups.flatMap((g) => (g.body as ts.Block).statements.map((x) => [x, g, true] as const))]) {
    if (!ts.isVariableStatement(st) || st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const d of st.declarationList.declarations) {
      const call = d.initializer && creationUnder(d.initializer);
      if (!ts.isIdentifier(d.name) || !call) continue;
      const outer = stripParens(d.initializer!);
      const inner = creators.match(call);
      const made = inner || !ts.isCallExpression(outer) ? call : outer;
      const match = inner ?? creators.match(made);
      // A pool that keeps idle connections (knex keeps its `min`) keeps the runner alive as a connection does.
      const keeps = match && (KINDS_KEEPING_RUNNER.has(match.kind) || (match.kind === 'pool' && keepsIdleConnections(match.viaModule, made)));
      if (!match || match.callbackParam !== undefined || !keeps || (match.kind === 'wrapper' && match.lazy)) continue;
      // A project object made in a `describe` is mostly a unit under test that its tests never open (triage: moleculer's transporters).
      if (inGroup && match.kind === 'wrapper') continue;
      const name = d.name.text;
      const called = (methods: string[]) => !!findNode(sf, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) &&
        methods.includes(n.expression.name.text) && ts.isIdentifier(stripParens(n.expression.expression)) && (stripParens(n.expression.expression) as ts.Identifier).text === name);
      // `http.createServer(app)` handed to supertest binds nothing of the file's: supertest listens and closes it.
      const chained = (m: string) => !!findNode(d.initializer!, (n) => ts.isPropertyAccessExpression(n) && n.name.text === m);
      if (match.unbound && !chained('listen') && !called(['listen'])) continue;
      if (match.opensWith && !match.opensWith.some(chained) && !called(match.opensWith)) continue;
      const release = releaseMethods(match.kind, match.fixCall);
      const lent = borrowing(functionOf, release, creators);
      if (!neverReleased(d, { name }, release, (c, i, member) => (!member && ts.isCallExpression(c) && supertest(c)) || lent(c, i, member))) continue;
      const subject = makeSubject(match.kind, fn, made, { fixCall: match.fixCall });
      out.push({ subject, match, exits: [{ node: d, kind: 'fileNeverCloses' }], sawRelease: false, sawEscape: false, releaseCall: `${name}.${match.fixCall ?? KINDS[match.kind].fixCall}`, resourceName: name });
    }
  }
}

function blockStatements(st: ts.Statement | undefined): readonly ts.Statement[] {
  return !st ? [] : ts.isBlock(st) ? st.statements : [st];
}

/**
 * The function of `describe(…)`, `it(…)`, `test(…)` at the file's top level, or of tap's `t.test(…)` (`import t from
 * 'tap'`): the file is a suite, not a helper.
 */
function suiteBody(st: ts.Statement, names = SUITES): FnLike | undefined {
  if (!ts.isExpressionStatement(st)) return undefined;
  const e = stripParens(st.expression);
  const callee = ts.isCallExpression(e) ? stripParens(e.expression) : undefined;
  const base = callee && ts.isPropertyAccessExpression(callee) ? stripParens(callee.expression) : callee;
  if (!base || !ts.isIdentifier(base)) return undefined;
  const tapTest = names === SUITES && callee !== base && (callee as ts.PropertyAccessExpression).name.text === 'test' && importedFrom(st.getSourceFile(), base.text) === 'tap';
  return names.has(base.text) || tapTest ? hookBody(e as ts.CallExpression) : undefined;
}

const SUITES = new Set(['describe', 'it', 'test', 'suite', 'context']);
/** The suites that group tests; a test's own body is the leak engine's, like any function's. */
const GROUPS = new Set(['describe', 'suite', 'context']);

/**
 * The variable is declared in a block or file around the hook (not exported), and every use of its
 * name there is a method call that does not release it, a property read, an assignment to it or an
 * argument of a project function that only uses it (`startHeartbeat(wss, 50)`) or of a call that
 * owns nothing (NON_OWNING_CALLS: `expect(wss)`, `assert.ok(wss)`, a log). Any other use (an
 * argument of anything else, a return, an object, `await`, a condition) might hand it on: not reported.
 */
function neverReleased(hook: ts.Node, a: { name: string }, release: string[], borrowed: Borrowed, through?: string): boolean {
  const scope = declaringScope(hook, a.name);
  if (!scope) return false;
  return everyUse(scope, a.name, (n) => {
    // `server = context.server`: when the resource is that property of the value, reading it hands it on.
    if (through && ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n && n.parent.name.text === through) return false;
    const use = useOf(n, release);
    if (use !== 'other') return use === 'reads';
    const p = n.parent;
    // `fixtures('artifacts').insert(row)` of knex, sql`…` of postgres.js: a client called itself to query is used, not handed on.
    if ((ts.isCallExpression(p) && p.expression === n) || (ts.isTaggedTemplateExpression(p) && p.tag === n)) return true;
    // `runExport(job, { mongo, s3 })`, or a fixture `const deps = () => ({ mongo, log })` given as `runExport(job, deps())`.
    const member = memberOfObject(n);
    // `readline.createInterface({ input: client })`: the options of a call that owns nothing.
    if (member) return isNonOwningArgument(member.object) || lentInObject(member.object, member.name, scope, borrowed);
    if (ts.isCallExpression(p) && p.arguments.includes(n)) return waitsForEvent(p, n) || isNonOwningCall(p, n) || borrowed(p, p.arguments.indexOf(n));
    // `new StreamTail(redis, key)` whose constructor only calls `redis.duplicate()`: it keeps nothing.
    if (ts.isNewExpression(p) && p.arguments?.includes(n)) return borrowed(p, p.arguments.indexOf(n));
    return ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken;
  });
}

/** The project function called only uses argument `index` (with `member`: only that property of it). */
type Borrowed = (call: ts.CallExpression | ts.NewExpression, index: number, member?: string) => boolean;

/** `{ mongo }` or `{ mongo: mongo }` around the use: the object literal and the property's name. */
function memberOfObject(n: ts.Identifier): { object: ts.ObjectLiteralExpression; name: string } | undefined {
  const p = n.parent;
  if (ts.isShorthandPropertyAssignment(p) && ts.isObjectLiteralExpression(p.parent)) return { object: p.parent, name: p.name.text };
  if (ts.isPropertyAssignment(p) && p.initializer === n && ts.isIdentifier(p.name) && ts.isObjectLiteralExpression(p.parent)) return { object: p.parent, name: p.name.text };
  return undefined;
}

/**
 * The object is an argument of a project function that only reads `name` from it, or what a local
 * arrow of the scope returns (`const deps = () => ({ mongo })`) whose every call is such an argument.
 */
function lentInObject(object: ts.ObjectLiteralExpression, name: string, scope: ts.Node, borrowed: Borrowed): boolean {
  const lentAt = (e: ts.Node): boolean => {
    const outer = skipParensUp(e as ts.Expression);
    const call = outer.parent;
    return (ts.isCallExpression(call) || ts.isNewExpression(call)) && !!call.arguments?.includes(outer as ts.Expression) &&
      borrowed(call, call.arguments.indexOf(outer as ts.Expression), name);
  };
  if (lentAt(object)) return true;
  const fn = skipParensUp(object).parent;
  if (!ts.isArrowFunction(fn) || fn.body !== skipParensUp(object) || !ts.isVariableDeclaration(fn.parent) || !ts.isIdentifier(fn.parent.name)) return false;
  const factory = fn.parent.name.text;
  return everyUse(scope, factory, (u) => ts.isCallExpression(u.parent) && u.parent.expression === u && lentAt(u.parent));
}

/**
 * The function only reads property `member` of its parameter `index`: `deps.mongo.db(name)`, never
 * `deps.mongo.close()` nor `deps.mongo` handed on; its other properties may be used in any way.
 */
function onlyUsesMember(fn: ts.FunctionLikeDeclaration, index: number, member: string, release: string[]): boolean {
  const param = fn.parameters[index];
  if (!param || !ts.isIdentifier(param.name) || param.dotDotDotToken || !fn.body || ts.getModifiers(param)?.length) return false;
  return everyUse(fn.body, param.name.text, (n) => {
    const p = n.parent;
    if (!ts.isPropertyAccessExpression(p) || p.expression !== n) return false;
    if (p.name.text !== member) return true;
    const q = p.parent;
    if (!ts.isPropertyAccessExpression(q) || q.expression !== p) return false;
    const called = ts.isCallExpression(q.parent) && q.parent.expression === q;
    return !(called && (release.includes(q.name.text) || ENDING.has(q.name.text)));
  });
}

/**
 * The function only uses its parameter `index`: every use is a property read or a method call that
 * does not end it (in the function or its closures), so it neither closes it nor hands it on.
 */
function onlyUsesParam(fn: ts.FunctionLikeDeclaration, index: number, release: string[]): boolean {
  // A constructor's parameter property (`constructor(private nc: NatsConnection)`) keeps it in a field: the
  // class only uses it when it neither closes that field nor hands it on anywhere (fields.ts).
  // So does `this.base = redis` (`new StandingsWorker(redis)`), the parameter otherwise only read.
  if (ts.isConstructorDeclaration(fn) && fieldKeeping(fn, index)) return keptOnlyForUse(fn, index);
  return onlyReadsParam(fn, index, release);
}

/** The block or file around the hook whose statements declare `name` with let/var, unless exported. */
function declaringScope(hook: ts.Node, name: string): ts.Node | undefined {
  for (let n: ts.Node | undefined = hook.parent; n; n = n.parent) {
    if (!ts.isBlock(n) && !ts.isSourceFile(n)) continue;
    for (const st of n.statements) {
      if (!ts.isVariableStatement(st) || !st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) continue;
      const exported = st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      return exported ? undefined : n;
    }
    if (ts.isSourceFile(n)) return undefined;
  }
  return undefined;
}

/** The hook calls `name.<release>(…)` or passes `name` to a call (`server.close(done)`, `close(server)`). */
function releases(fn: FnLike, name: string, release: string[], held?: string): boolean {
  let found = false;
  const isName = (e: ts.Expression) => ts.isIdentifier(stripParens(e)) && (stripParens(e) as ts.Identifier).text === name;
  // `ingest.server.close()` of a handle `{ server, listen(), close() }` that holds the server in that property.
  const isHeld = (e: ts.Expression) => !!held && ts.isPropertyAccessExpression(stripParens(e)) && (stripParens(e) as ts.PropertyAccessExpression).name.text === held &&
    isName((stripParens(e) as ts.PropertyAccessExpression).expression);
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const callee = stripParens(n.expression);
      if (ts.isPropertyAccessExpression(callee) && (isName(callee.expression) || isHeld(callee.expression)) && release.includes(callee.name.text)) found = true;
      else if (n.arguments.some(isName) && calleeName(n) !== 'log') found = true;
    }
    if (!found) ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}
