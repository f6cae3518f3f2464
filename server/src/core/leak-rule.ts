// The shared shape of the CLOSE_WAIT-family rules: each one reports the leak reports of its
// resource kinds, with a message naming the leaking path, the exits as related locations, and fixes.
import { ts } from 'ts-morph';
import { ERROR_EVENT, LISTEN_METHODS, SERVER_CREATORS, skipParensUp } from './call-shapes';
import { calleeName, findNode, FnLike, isAsyncFunction, isStringArg, promiseExecutor, skipOuter, stripParens } from './ast';
import { AGENT_KEYS, HTTP_POOL_CLIENT_MODULES } from './catalog';
import { requestCall, symptomOf } from './finding-symptoms';
import { leavesAtBodyEnd } from './body-readers';
import { CONNECTION_KINDS, KINDS, LeakRuleId } from './kinds';
import { BROWSER_CLIENTS, isBrowserFile, isFrontEndPackage } from './browser-code';
import { argumentHolder, calledOnceAtTopLevel, failsIntoScriptMain, followedByTestFailure, fulfilmentEndsProcess, inBrowserPage, inTestCase, inTestCode, isScriptMain, runsOnceInScript } from './execution';
import { droppedPool } from './dropped-pools';
import { calledOnlyFromRareCode, projectCallsOf, runsRarely } from './run-rate';
import { doneUses } from './test-finishers';
import { awaitsReleaseFromClosure } from './test-runs';
import { settlesAwaitedPromise } from './awaited-events';
import { ExitKind, FAILURE_EXITS, LeakExit } from './flow';
import { EXIT_PHRASE, RELATED } from './exit-phrases';
import { interceptedByMitm, interceptedByNock, mockedByWebSocketInterceptor } from './mocks';
import { requestsLoopback } from './requests';
import { answeredWithLargeBody } from './test-routes';
import { suiteClosesWebSockets, suiteDisconnectsMongoose, suiteDropsConnections, testStopsDroppingServer } from './suite-servers';
import { Subject } from './subject';
import { leavesUpgradeToOthers } from './handed';
import { exitsOnEvent } from './process-exit';
import { isScriptPass } from './module-passes';
import { scriptMainCalling, startsServiceMade } from './script-calls';
import { poolForgottenBesideSiblings } from './sibling-closes';
import { leakFixes } from './fixes';
import { LeakReport } from './leaks';
import { format, Rule, RuleContext, RuleMeta } from './rule';
import { reportRange } from './report-range';
import { lineColumn, nodeRange } from './text';
import { findProp, objectOf } from './syntax';

export interface LeakRuleWords {
  /** "close", "consume or cancel", "release". */
  verb: string;
  /** "closed", "consumed or cancelled", "released". */
  past: string;
}

const RERUN_BY = 'runs the method again on the same object, while the connection it gave the field may still be open';

/** Exits of a connection kept in a field or an outer variable: the message names it, and no local fix applies. */
const FIELD_EXITS = new Set<ExitKind>(['overwrite', 'relistened', 'rerun', 'reopened', 'reconnectsTwice', 'cleared', 'classNeverCloses', 'endForgets', 'endSkips', 'evicted', 'evictedNeverClosed', 'replaced', 'storedAgain', 'cacheEvicts', 'everyTest', 'suiteNeverCloses', 'fileNeverCloses', 'handleForgets', 'stopperForgets']);

/** The rule's judgements the engine leaves to it. */
export interface LeakRuleOptions {
  /** The call (from outside a class, outside-reruns.ts) runs again and again: a route's, a listener's, a loop's. */
  runsAgain?: (ctx: RuleContext, call: ts.Identifier) => boolean;
}

export function leakRule(meta: RuleMeta & { id: LeakRuleId }, words: LeakRuleWords, options: LeakRuleOptions = {}): Rule {
  return {
    meta,
    check(ctx: RuleContext) {
      for (const r of ctx.leakReports()) {
        if (r.subject.spec.rule !== meta.id) continue;
        // An overwrite by a method that only code outside its class runs again: only if that code does.
        const rerunBy = r.rerunBy?.filter((c) => options.runsAgain?.(ctx, c));
        if (rerunBy && !rerunBy.length) continue;
        const exits = consequentialExits(r, ctx);
        if (!exits.length) continue;
        // A throw out of an emitter's callback ends the process and is no finding, but a fix for the
        // other exits alone would leave that path without the release (fixes.ts).
        const uncaughtThrowsLeft = r.exits.some((x) => x.kind === 'throw' || x.kind === 'callThrows') && thrownUncaught(r.subject);
        ctx.report(toFinding({ ...r, exits, uncaughtThrowsLeft, rerunBy }, ctx, meta, words));
      }
    },
  };
}

/** Kinds that listen rather than connect: mitm leaves them alone. */
const LISTENING_KINDS = new Set<string>(['server', 'udp-socket']);

/**
 * The leaking exits that cost something where the code runs (see execution.ts and each rule's
 * "What it does not report"): none for a server or shared pool that the function never closes
 * (meant to outlive it) unless it is made in a test; none for a pooled agent in a test (its idle
 * sockets are unref'd and closed with the server), nor for a gRPC client in a test or a script, nor for a client over one
 * (HTTP_POOL_CLIENT_MODULES); none for a response in browser code, nor for what a mock answers in
 * memory (nock, mitm), nor for a response a test leaves unread (limitedAgent); and in tests and
 * one-shot scripts, not the exits taken only when an `await` rejects, a `throw` runs or a piped
 * source fails: the failing test or the exiting process ends the connection.
 */
function consequentialExits(r: LeakReport, ctx: RuleContext): LeakExit[] {
  const { subject } = r;
  const fn = subject.fn;
  // A test file's helper that starts a server and hands back only its address (`return \`http://127.0.0.1:${port}\``): nothing can close it.
  const testServerLeft = subject.kind === 'server' && inTestCode(fn) && !r.sawEscape;
  if (subject.longLived && !r.sawRelease && !inTestCase(fn) && !testServerLeft && !droppedPool(r) && !leftOpenByScript(r) && !poolForgottenBesideSiblings(subject)) return [];
  // A gRPC channel keeps no process alive either (grpc-js unrefs its connection between calls): a test's or a script's ends
  // with it. Nor does a project object whose connections are all agents (an SDK client's keep-alive agents).
  if ((subject.kind === 'agent' || (subject.kind === 'wrapper' && r.match.agents) || HTTP_POOL_CLIENT_MODULES.has(r.match.viaModule ?? '') || subject.kind === 'grpc-client') && inTestCode(fn)) return [];
  if (subject.kind === 'grpc-client' && (runsOnceInScript(fn) || isScriptPass(fn))) return [];
  // An agent dropped by code a slow timer runs (a 15 s health check): its idle sockets close at their keep-alive timeout first.
  if (subject.kind === 'agent' && !r.sawRelease && (runsRarely(ctx, fn) || calledOnlyFromRareCode(ctx, fn))) return [];
  // Code that runs in a browser page holds no socket of this process, whatever it leaves open.
  if (inBrowserPage(fn) || isBrowserFile(fn.getSourceFile(), BROWSER_CLIENTS.has(r.match.viaModule ?? '') && isFrontEndPackage(ctx.packageDependencies))) return [];
  const request = requestCall(subject);
  if (subject.kind === 'response' && request && interceptedByNock(request)) return [];
  if (!LISTENING_KINDS.has(subject.kind) && inTestCode(fn) && interceptedByMitm(subject.creation ?? fn)) return [];
  if (subject.kind === 'websocket' && inTestCode(fn) && mockedByWebSocketInterceptor(subject.creation ?? fn)) return [];
  if (r.discarded && inTestCode(fn) && followedByTestFailure(r.discarded)) return [];
  if (subject.kind === 'response' && inTestCode(fn) && !request?.arguments?.some((a) => limitedAgent(ctx, a)) && !(request && answeredWithLargeBody(request))) return [];
  // A one-shot script's request to a server on this machine (a readiness poll of the server it started,
  // `fetch('http://localhost:9876/ping')`): a local server's few bytes, as in a test, and the process ends with it.
  const callsOf = (f: FnLike) => projectCallsOf(ctx, f);
  if (subject.kind === 'response' && request && requestsLoopback(request) && failsIntoScriptMain(fn, callsOf)) return [];
  // A test file whose servers drop every connection they hold (`server.closeAllConnections()`, a project
  // server's close that destroys its sockets: suite-servers.ts): a client that does not reconnect is closed by its peer then (the FIN ends it: allowHalfOpen is off). Not a
  // WebSocket: an upgraded socket has left the server's list of connections, and it stays open.
  if (closedByItsPeer(r) && subject.kind !== 'websocket' && inTestCode(fn) &&
      (suiteDropsConnections(fn.getSourceFile(), ctx.resolver) || testStopsDroppingServer(fn, ctx.resolver))) return [];
  // Its close frame, though, if the suite closes every WebSocket the server holds (suite-servers.ts).
  if (subject.kind === 'websocket' && inTestCode(fn) && suiteClosesWebSockets(fn.getSourceFile(), ctx.resolver, subject.creation)) return [];
  if (r.match.viaModule === 'mongoose' && inTestCode(fn) && suiteDisconnectsMongoose(fn.getSourceFile(), ctx.resolver)) return [];
  // The test awaits the request's failure: when it passes, no response came.
  if (subject.kind === 'response' && request && inTestCode(fn) && awaitsRequestError(request)) return [];
  // A service the `main()` of a script starts (`await worker.start()`) runs until the process ends: its job.
  if (subject.kind === 'wrapper' && isScriptMain(fn) && startsServiceMade(fn, subject.creation, r.resourceName)) return [];
  // `link.once('data', (reply) => { log(reply); process.exit(0) })` in a script's main(): open until its answer ends the process.
  if (isScriptMain(fn) && !!r.resourceName && exitsOnEvent(fn, r.resourceName)) return [];
  // `primus.destroy(done)` the only way the test ends: a passing run has closed it.
  if (inTestCase(fn) && (endsOnlyByReleasing(subject, ctx) || awaitsReleaseFromClosure(fn, (c) => releasesSubject(c, subject, ctx)))) return [];
  // A test's server or socket that is `unref()`'d keeps no test run alive, and the run's end closes it.
  if (inTestCode(fn) && (r.match.unrefd || unrefdHere(subject, ctx))) return [];
  // A throw out of a callback an emitter runs (`http.get(url, (res) => { if (bad) throw … })`) is an
  // uncaught exception: the process ends, and nothing is left open behind it. An upgrade a handler of a
  // server it did not make leaves alone before using the socket (`if (!mine) return`) is another listener's.
  const isSocket = (n: ts.Identifier) => subject.aliases.has(ctx.resolver.symbolOf(n) as ts.Symbol);
  // A socket whose idle timeout destroys it (`s.setTimeout(ms, () => s.destroy(err))`), left idle by a throw, is destroyed when it fires.
  const idleDestroyed = subject.kind === 'socket' && destroyedWhenIdle(subject, isSocket);
  // An async one's rejected `await` too, where that ends the process (rejectionEndsScript).
  const uncaught = thrownUncaught(subject) ? (isAsyncFunction(subject.fn) ? THROWN_OR_REJECTED : THROWN) : idleDestroyed ? THROWN : undefined;
  const exits = (uncaught ? r.exits.filter((x) => !uncaught.has(x.kind)) : r.exits)
    .filter((x) => !(subject.sharedUpgrade && leavesUpgradeToOthers(x, subject.fn, isSocket)) && !(lazyPool(r) && PATH_EXITS.has(x.kind) && !usedBefore(subject, x, ctx)) &&
      !failsOutOfScriptListener(x, subject.fn) &&
      !(subject.kind === 'response' && leavesAtBodyEnd(x.node)));
  // `main(argv).then(() => process.exit(0), …)`: what main leaves open at its end dies with the process,
  // also once a promise main awaits has settled (`await new Promise((resolve) => client.bind(dn, pw, resolve))`).
  if (fulfilmentEndsProcess(fn)) return exits.filter((x) => !FAILURE_EXITS.has(x.kind) && x.kind !== 'end' && x.kind !== 'return' && x.kind !== 'settle');
  // A script's or a service's main(), run once from the top level: a step that fails fails main() as a whole, whatever
  // its `.catch()` does (held-out labellers call none of these a leak, even where it only sets `process.exitCode` and
  // the open client keeps the process alive). A `return` is still a path that works; a main() run again (on SIGHUP)
  // or exported to unknown callers may leave one per failed run.
  if (calledOnceAtTopLevel(fn)) return exits.filter((x) => !FAILURE_EXITS.has(x.kind));
  if (!inTestCode(fn) && !failsIntoScriptMain(fn, callsOf)) return exits;
  return exits.filter((x) => !FAILURE_EXITS.has(x.kind));
}

/**
 * Every use of the test's `done` hands it to a release of the resource or of an object made around it
 * (`server.close(done)`, `primus.destroy(done)`), or calls it from the callback of one
 * (`server.close(() => done())`), or of its `'close'` listener.
 */
function endsOnlyByReleasing(subject: Subject, ctx: RuleContext): boolean {
  const uses = doneUses(subject.fn) ?? settlerUses(subject.fn);
  return !!uses?.length && uses.every((id) => {
    const callback = callbackCalling(id);
    const call = callback ? callback.parent : id.parent;
    const arg = callback ?? id;
    if (!ts.isCallExpression(call) || !call.arguments.includes(arg) || !ts.isPropertyAccessExpression(call.expression)) return false;
    const recv = stripParens(call.expression.expression);
    const sym = ts.isIdentifier(recv) ? ctx.resolver.symbolOf(recv) : undefined;
    const name = call.expression.name.text;
    // `server.on('close', () => { …; done(); })`: the test ends when the resource has closed.
    const event = call.arguments[0];
    const onClose = LISTEN_METHODS.has(name) && call.arguments[1] === arg && !!event && ts.isStringLiteralLike(event) && event.text === 'close';
    return (onClose || subject.spec.release.includes(name) || KINDS.wrapper.release.includes(name)) && !!sym && (subject.aliases.has(sym) || madeAround(sym, subject, ctx));
  });
}

/**
 * `return new Promise((resolve, reject) => { …; client.end((err) => (err ? reject(err) : resolve())) })` as
 * the test body's last statement (or awaited there): the test passes once `resolve` is called.
 */
function settlerUses(test: FnLike): ts.Identifier[] | undefined {
  const last = test.body && ts.isBlock(test.body) ? test.body.statements[test.body.statements.length - 1] : undefined;
  const value = last && (ts.isReturnStatement(last) ? last.expression : ts.isExpressionStatement(last) ? last.expression : undefined);
  const executor = value && promiseExecutor(skipOuter(value));
  const resolve = executor?.parameters[0]?.name;
  if (!executor || !resolve || !ts.isIdentifier(resolve)) return undefined;
  const uses: ts.Identifier[] = [];
  findNode(executor.body, (n) => (ts.isIdentifier(n) && n !== resolve && n.text === resolve.text && uses.push(n), false));
  return uses;
}

/** `x.close(() => { done() })`: the function around a call of `done`, when it is given to a call. */
function callbackCalling(id: ts.Identifier): ts.ArrowFunction | ts.FunctionExpression | undefined {
  const invoke = id.parent;
  if (!ts.isCallExpression(invoke) || invoke.expression !== id) return undefined;
  let f: ts.Node = invoke.parent;
  while (f && !ts.isFunctionLike(f)) f = f.parent;
  return f && (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) && ts.isCallExpression(f.parent) ? f : undefined;
}

/** `const primus = new Primus(server)`: an object made around the resource, whose release may end it too. */
function madeAround(sym: ts.Symbol, subject: Subject, ctx: RuleContext): boolean {
  const decl = sym.declarations?.[0];
  const init = decl && ts.isVariableDeclaration(decl) && decl.initializer ? stripParens(decl.initializer) : undefined;
  return !!init && ts.isNewExpression(init) && (init.arguments ?? []).some((a) => {
    const x = stripParens(a);
    const s = ts.isIdentifier(x) ? ctx.resolver.symbolOf(x) : undefined;
    return !!s && subject.aliases.has(s);
  });
}

/**
 * An event listener (`req.on('response', cb)`) or the callback of the call that makes the resource
 * (`http.get(url, cb)`, run from its `'response'` event): what it throws is uncaught. Not a route
 * handler (Express, Fastify and Koa catch what a handler throws) nor a callback of the code's own
 * functions, which may call it inside a `try`.
 */
function thrownUncaught(subject: Subject): boolean {
  const fn = subject.fn;
  // Not an async one: its throw is an unhandled rejection, which servers often log and survive
  // (`process.on('unhandledRejection', log)`); but a command-line script that installs no such handler ends there.
  if ((!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) || (isAsyncFunction(fn) && !rejectionEndsScript(fn.getSourceFile()))) return false;
  const call = argumentHolder(fn);
  return !!call && (isListenerRegistration(call) || call === subject.report || SERVER_CREATORS.has(calleeName(call) ?? ''));
}

/** `emitter.on(event, fn)`: the emitter drops what its listener returns or throws. */
function isListenerRegistration(call: ts.CallExpression): boolean {
  return LISTEN_METHODS.has(calleeName(call) ?? '') && ts.isPropertyAccessExpression(stripParens(call.expression));
}
const THROWN = new Set<ExitKind>(['throw', 'callThrows']), THROWN_OR_REJECTED = new Set<ExitKind>([...THROWN, 'await']);

/**
 * `ws.on('open', async () => { for await (const line of lines) ws.send(line) })` in a command-line script: what a
 * listener of the script throws, or its rejection, is uncaught (an emitter drops what its listener returns), and ends
 * the process (rejectionEndsScript); nothing is left open behind it.
 */
function failsOutOfScriptListener(x: { kind: ExitKind; node: ts.Node }, fn: ts.Node): boolean {
  if (!THROWN_OR_REJECTED.has(x.kind) || !rejectionEndsScript(x.node.getSourceFile())) return false;
  const inner = ts.findAncestor(x.node.parent, ts.isFunctionLike);
  if (!inner || inner === fn || (!ts.isArrowFunction(inner) && !ts.isFunctionExpression(inner)) || (x.kind === 'await' && !isAsyncFunction(inner))) return false;
  const call = argumentHolder(inner);
  return !!call && isListenerRegistration(call);
}

/** A command-line script with no 'unhandledRejection' handler: Node ends it on one. */
function rejectionEndsScript(sf: ts.SourceFile): boolean {
  return commandLineScript(sf) && !sf.text.includes('unhandledRejection');
}

function commandLineScript(sf: ts.SourceFile): boolean { // `#!/usr/bin/env node`, or a file in `scripts/` or `bin/`
  return sf.text.startsWith('#!') || /(^|[\\/])(scripts|bin)[\\/][^\\/]+$/.test(sf.fileName);
}

/**
 * A pool or a shared client that a command-line script opens in its `main()` (or at its top level) and never closes,
 * where nothing ends the process after the work (`main().catch((err) => { process.exitCode = 1 })`): the script has
 * done its job and hangs on the connections. Not in a script that serves or waits for a signal to stop.
 */
function leftOpenByScript(r: LeakReport): boolean {
  const fn = r.subject.fn;
  const sf = fn.getSourceFile();
  if (r.sawRelease || r.sawEscape || LISTENING_KINDS.has(r.subject.kind) || !commandLineScript(sf) || /\.listen\(|process\.(on|once)\(\s*['"]SIG/.test(sf.text)) return false;
  if (isScriptPass(fn) || calledOnceAtTopLevel(fn as FnLike)) return !fulfilmentEndsProcess(fn as FnLike);
  // A helper main() calls once (`await reconcilePickups()`): what it leaves open stays so while main() goes on.
  const main = scriptMainCalling(fn as FnLike);
  return !!main && !fulfilmentEndsProcess(main);
}

/**
 * A response in a test holds nothing once its bytes have arrived, read or not: a test server answers
 * a few bytes, which undici (`fetch`, `request`) takes in whole before it frees the connection, and
 * which Node's http client buffers while it keeps reading the socket to the server's FIN (node-fetch,
 * got and axios streams sit on that socket); an agent without a socket limit has nothing for an unread
 * response to starve. Only an agent with one (SOCKET_LIMITS) can run out: a request given such an agent
 * (AGENT_KEYS) is still checked, and so is a request to a route of the test's server that answers more
 * than undici buffers (test-routes.ts).
 */
function limitedAgent(ctx: RuleContext, arg: ts.Expression): boolean {
  const o = objectOf(ctx, arg);
  return !!o && [...AGENT_KEYS].some((name) => {
    const v = findProp(o, name).value;
    return !!v && setsSocketLimit(ctx, v);
  });
}

/** `new http.Agent({ keepAlive: true, maxSockets: 1 })`, here or in the variable the option names. */
function setsSocketLimit(ctx: RuleContext, e: ts.Expression): boolean {
  const x = stripParens(e);
  const decl = ts.isIdentifier(x) ? ctx.resolver.symbolOf(x)?.declarations?.[0] : undefined;
  const made = ts.isIdentifier(x) ? (decl && ts.isVariableDeclaration(decl) ? decl.initializer : undefined) : x;
  return !!made && !!findNode(made, (n) => ts.isPropertyAssignment(n) && !!n.name && ts.isIdentifier(n.name) && SOCKET_LIMITS.has(n.name.text));
}

/** An agent's (`maxSockets`, `maxTotalSockets`) or an undici pool's (`connections`) limit on its sockets. */
const SOCKET_LIMITS = new Set(['maxSockets', 'maxTotalSockets', 'connections']);

/**
 * A client that ends when its server drops the connection and makes no new one (KindSpec.reconnects; a
 * UDP socket has none to drop), and whose server may be one of the test file's (KindSpec.servedElsewhere).
 */
function closedByItsPeer(r: LeakReport): boolean {
  const kind = r.subject.kind;
  if (kind === 'wrapper') return !r.match.reconnects;
  return CONNECTION_KINDS.has(kind) && kind !== 'udp-socket' && !KINDS[kind].reconnects && !KINDS[kind].servedElsewhere;
}

/** `const req = http.get(o, cb); req.once('error', resolve)` in `await new Promise(…)`: only the request's 'error' lets the code go on. */
function awaitsRequestError(request: ts.CallExpression | ts.NewExpression): boolean {
  let e: ts.Node = request;
  while (ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const decl = e.parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return false;
  const name = decl.name.text;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ['on', 'once'].includes(n.expression.name.text) &&
        ts.isIdentifier(n.expression.expression) && n.expression.expression.text === name && isStringArg(n.arguments[0], ERROR_EVENT) &&
        settlesAwaitedPromise(n, n.arguments[1])) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(decl.parent.parent.parent);
  return found;
}

function toFinding(r: LeakReport, ctx: RuleContext, meta: RuleMeta, words: LeakRuleWords) {
  // The message names the most telling path: one the code takes on purpose, then a `throw` it writes,
  // before one where a promise rejects.
  const first = r.exits.find((x) => x.kind !== 'await' && x.kind !== 'throw' && x.kind !== 'callThrows') ?? r.exits.find((x) => x.kind === 'throw') ?? r.exits[0];
  const line = exitLine(first);
  const others = r.exits.length - 1;
  const path = format(EXIT_PHRASE[first.kind], { line }) + (others ? `, and on ${others} other path${others > 1 ? 's' : ''}` : '');
  const fromField = FIELD_EXITS.has(first.kind);
  const moduleLevel = fromField && !!r.resourceName && !r.resourceName.startsWith('this.');
  const messageId = fromField && meta.messages[first.kind] ? first.kind
    : first.kind === 'raced' && meta.messages.raced ? 'raced' : r.discarded ? 'dropped' : !r.sawRelease && !r.sawEscape ? 'never' : 'somePaths';
  const message = format(meta.messages[messageId], {
    noun: r.subject.spec.noun,
    Noun: sentenceStart(r.subject.spec.noun),
    label: r.match.label,
    path,
    line,
    field: r.resourceName ?? 'the field',
    // A module's own collection (`rooms`, evictions.ts) is used by its functions; a field (`this.subs`) by the class's methods.
    owner: moduleLevel ? 'the module' : 'the class',
    by: moduleLevel ? 'a function' : 'a method',
    symptom: symptomOf(r, ctx),
  });
  const related = r.exits.map((x) => ({
    file: ctx.file,
    ...exitRange(x),
    message: format(RELATED[x.kind], { past: words.past, verb: words.verb, owner: moduleLevel ? 'the module' : 'the class' }),
  }));
  // The code outside the class that runs the method again (outside-reruns.ts).
  for (const c of r.rerunBy ?? []) related.push({ file: c.getSourceFile().fileName, ...nodeRange(c.parent), message: RERUN_BY });
  return {
    messageId,
    message,
    ...reportRange(r.subject.report),
    related,
    // A field's connection is closed by another method: no edit here can be right on its own.
    fixes: fromField ? [] : leakFixes(r, ctx.file, words.verb, ctx.compilerOptions),
  };
}

/** `server.unref()` in the function that holds it. */
function unrefdHere(subject: Subject, ctx: RuleContext): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'unref' && n.arguments.length === 0) {
      const recv = stripParens(n.expression.expression);
      const sym = ts.isIdentifier(recv) ? ctx.resolver.symbolOf(recv) : undefined;
      if (recv === subject.creation || (!!sym && subject.aliases.has(sym))) found = true;
    }
    ts.forEachChild(n, visit);
  };
  if (subject.fn.body) visit(subject.fn.body);
  return found;
}

/** Where to point for an exit: the statement, or the closing brace for "the function ends". */
function exitRange(x: LeakExit) {
  // A script ends after its last statement: its last character (a `}` of a block, or a `;`).
  if (((x.kind === 'end' || x.kind === 'loop') && ts.isBlock(x.node)) || x.kind === 'scriptEnd') {
    const sf = x.node.getSourceFile();
    const end = x.node.getEnd();
    const lc = lineColumn(sf, end - 1);
    return { line: lc.line, column: lc.column, endLine: lc.line, endColumn: lc.column + 1 };
  }
  const r = nodeRange(x.node);
  if (ts.isReturnStatement(x.node) || ts.isThrowStatement(x.node) || ts.isContinueStatement(x.node)) {
    // The keyword is enough to point at; a whole multi-line throw is noise.
    const kw = x.node.getFirstToken();
    if (kw) return nodeRange(kw);
  }
  return r;
}

function exitLine(x: LeakExit): number {
  return exitRange(x).line;
}

/**
 * Pools that open no connection until their first use (pg's `Pool`: `connect()`/`query()`; mysql's
 * `createPool`: `getConnection()`/`query()`; postgres.js's `postgres(url)` and a `Sequelize`: their first query).
 */
const LAZY_POOL_MODULES = new Set(['pg', '@neondatabase/serverless', 'mysql', 'mysql2', 'mysql2/promise', 'postgres', 'sequelize']);

/** Exits of the path walker, taken where the code stops (not a class's or a suite's verdict on the object as a whole). */
const PATH_EXITS = new Set<ExitKind>(['return', 'throw', 'callThrows', 'await', 'end', 'loop', 'breaks', 'discard', 'consumerStops']);

/**
 * Such a pool, an agent (it opens sockets only for requests), or a project object whose connections are all pools or
 * agents (`new LokiClient(o)` around an undici Agent).
 */
function lazyPool(r: LeakReport): boolean {
  return (r.subject.kind === 'pool' && LAZY_POOL_MODULES.has(r.match.viaModule ?? '')) || r.subject.kind === 'agent' || (r.subject.kind === 'wrapper' && !!r.match.lazy);
}

/** `server.stop(…)`: a release method of the subject's called on it. */
function releasesSubject(call: ts.CallExpression, subject: Subject, ctx: RuleContext): boolean {
  const callee = stripParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !subject.spec.release.includes(callee.name.text)) return false;
  const recv = stripParens(callee.expression);
  return ts.isIdentifier(recv) && subject.aliases.has(ctx.resolver.symbolOf(recv) as ts.Symbol);
}

/**
 * The code names the resource between its creation and the end of `exit` (a use that may have opened a
 * connection); for a call that throws on a path of its own, before that call: a pool it is given
 * (`construct(pool, config)` validating its configuration) is more likely kept than queried there.
 */
function usedBefore(subject: Subject, exit: LeakExit, ctx: RuleContext): boolean {
  const from = (subject.creation ?? subject.report).end;
  const to = exit.kind === 'callThrows' ? exit.node.getStart() : exit.node.end;
  // Not in the request handler of a server (`http.createServer((req, res) => upstream.request({ agent }))`): it runs once that listens.
  const names = (n: ts.Node, start: number, end: number) => !!findNode(n, (x) => ts.isIdentifier(x) && x.pos >= start && x.end <= end &&
    subject.aliases.has(ctx.resolver.symbolOf(x) as ts.Symbol) && !inServerHandler(x, subject.fn));
  // `new Client(origin).request(o)`: used where it is made.
  const made = subject.creation && skipParensUp(subject.creation).parent;
  if (names(subject.fn, from, to) || (made && ts.isPropertyAccessExpression(made) && ts.isCallExpression(made.parent) && made.parent.expression === made)) return true;
  // Also a `finally` the exit goes through: `try { throw … } finally { void client.db().command(ping) }` uses it on the way out.
  for (let p = exit.node.parent; p && p !== subject.fn; p = p.parent) if (ts.isTryStatement(p) && p.finallyBlock && p.finallyBlock.pos > to && names(p.finallyBlock, 0, Infinity)) return true;
  return false;
}

/** `x` is in a function given to a server's creation (`http.createServer(handler)`) inside `fn`. */
function inServerHandler(x: ts.Node, fn: ts.Node): boolean {
  for (let f = ts.findAncestor(x.parent, ts.isFunctionLike); f && f !== fn; f = ts.findAncestor(f.parent, ts.isFunctionLike)) {
    const call = f.parent;
    if (ts.isCallExpression(call) && call.arguments.includes(f as ts.Expression) && SERVER_CREATORS.has(calleeName(call) ?? '')) return true;
  }
  return false;
}

/**
 * `s.setTimeout(ms, () => s.destroy(err))` or `s.on('timeout', () => s.destroy())` in the function: an idle timeout that
 * ends the socket. Not when the function turns it off again (`s.setTimeout(0)` once connected): nothing fires then.
 */
function destroyedWhenIdle(subject: Subject, isSocket: (n: ts.Identifier) => boolean): boolean {
  const on = (e: ts.Expression) => ts.isIdentifier(stripParens(e)) && isSocket(stripParens(e) as ts.Identifier);
  const socketCall = (n: ts.Node): n is ts.CallExpression & { expression: ts.PropertyAccessExpression } =>
    ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && on(n.expression.expression);
  const body = subject.fn.body;
  if (!body || findNode(body, (n) => socketCall(n) && n.expression.name.text === 'setTimeout' && n.arguments.length === 1 && isZero(n.arguments[0]))) return false;
  return !!findNode(body, (n) => {
    if (!socketCall(n)) return false;
    const m = n.expression.name.text;
    const cb = m === 'setTimeout' ? n.arguments[1] : LISTEN_METHODS.has(m) && isStringArg(n.arguments[0], IDLE) ? n.arguments[1] : undefined;
    return !!cb && !!findNode(cb, (c) => ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && ['destroy', 'end'].includes(c.expression.name.text) && on(c.expression.expression));
  });
}

function isZero(e: ts.Expression): boolean {
  const x = stripParens(e);
  return ts.isNumericLiteral(x) && Number(x.text) === 0;
}

const IDLE = new Set(['timeout']);

/** A noun at the start of a sentence: capitalised, unless it is a name written in lower case first (`gRPC client`). */
function sentenceStart(noun: string): string {
  return /^[a-z][A-Z]/.test(noun) ? noun : noun[0].toUpperCase() + noun.slice(1);
}
