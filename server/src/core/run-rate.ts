// How often a function runs, read from its syntax: a callback of a slow timer (a health probe every
// 30 s), or a function only such code calls, makes too few connections to pile up in TIME_WAIT.
import { ts } from 'ts-morph';
import { calleeName, enclosingFunction, findNode, FnLike, functionName, isStringArg, skipOuter } from './ast';
import { isExportedFunction } from './module-specifiers';
import { SyntaxContext } from './context';
import { argumentHolder, inTestCode, runsOnce, usesOfName } from './execution';
import { CONNECT_EVENTS, elementCallback, LISTEN_METHODS } from './call-shapes';
import { programOf, reexportedWhole } from './required-modules';
import { loopAround } from './syntax';
import { callsThroughPick } from './picked-functions';
import { intervalValue, isCronJob, RARE_MS, timerDelay, TIMERS } from './timer-delays';

/**
 * Code run by a timer less often than once a second, such as a health probe every 30 s: the function is the
 * timer's callback, or a function of the file that is only called from such code (or from module
 * level) and handed to nothing else. Too slow for new connections to pile up in TIME_WAIT.
 */
export function runsRarely(ctx: SyntaxContext, fn: FnLike | undefined, depth = 0): boolean {
  if (!fn || depth > 3) return false;
  const sf = fn.getSourceFile();
  let known = RARELY.get(sf);
  if (!known) RARELY.set(sf, (known = new WeakMap()));
  let rarely = known.get(fn);
  if (rarely === undefined) known.set(fn, (rarely = computeRunsRarely(ctx, fn, depth)));
  return rarely;
}

/**
 * Every call of the function in the project (`await sendReport(summary)` in another file) is in code a slow timer or a
 * cron job runs, or in module-level code, which runs once (a job's `if (require.main === module) importLines(since)`).
 */
export function calledOnlyFromRareCode(ctx: SyntaxContext, fn: FnLike | undefined, depth = 0): boolean {
  // Its tests' calls say nothing of how often the application runs it.
  const calls = (fn && depth <= 2 ? projectCallsOf(ctx, fn) : undefined)?.filter((c) => !inTestCode(c));
  // Two calls at the top of a script (`main('/a'); main('/b')`) already run it again and again (calledOnceFromCodeRunOnce).
  const atTop = calls?.filter((c) => !enclosingFunction(c)).length ?? 0;
  return !!calls?.length && atTop <= 1 && atTop < calls.length && calls.every((c) => {
    const caller = enclosingFunction(c);
    // A `for … of` over a collection in a rare timer runs once per item and run (`for (const court of rows) await
    // floodlightsOn(court.id)` every five minutes), as `peers.map(…)` there does (computeRunsRarely); not a `while` loop,
    // nor the loop of a script's main() run once, which makes them all back to back.
    const loop = loopAround(c, caller);
    // Only where the timer's period is at least TIME_WAIT's 60 s: each item then holds at most one entry at a time.
    const itemLoop = !!loop && !!caller && (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) && !runsOnce(caller) &&
      !calledOnceFromCodeRunOnce(ctx, caller) && (timerPeriod(ctx, caller) ?? 0) >= TIME_WAIT_MS;
    // A loop that sleeps more than a second each turn paces its calls.
    if (loop && pacedLoop(ctx, loop)) return true;
    // Also through a wrapper only such code calls (`const floodlightsOn = (court) => sendLightingCommand(…)`).
    return (!loop || itemLoop) &&
      (!caller || runsRarely(ctx, caller) || (caller !== fn && !loop && calledOnlyFromRareCode(ctx, caller, depth + 1)));
  });
}

/** How long TIME_WAIT lasts on Linux. */
const TIME_WAIT_MS = 60_000;

/**
 * The shortest period of the timers and cron jobs that run `fn`: it is their callback (or an array callback there), or
 * every call of it in the project is in such code. A cron job runs at most once a minute (unless its pattern has a
 * seconds field). Undefined when anything else runs it.
 */
function timerPeriod(ctx: SyntaxContext, fn: FnLike, depth = 0): number | undefined {
  if (depth > 3) return undefined;
  const holder = argumentHolder(fn);
  if (holder && elementCallback(fn)) {
    const outer = enclosingFunction(holder);
    return outer ? timerPeriod(ctx, outer, depth + 1) : undefined;
  }
  if (holder) {
    if (isCronJob(holder, fn)) return holder.arguments?.[0] && ts.isStringLiteralLike(holder.arguments[0]) && holder.arguments[0].text.trim().split(/\s+/).length === 6 ? undefined : TIME_WAIT_MS;
    const delay = ts.isCallExpression(holder) && TIMERS.has(calleeName(holder) ?? '') && holder.arguments[0] === fn ? intervalValue(ctx, holder.arguments[1]) : undefined;
    return typeof delay === 'number' ? delay : undefined;
  }
  const calls = projectCallsOf(ctx, fn)?.filter((c) => !inTestCode(c));
  if (!calls?.length) return undefined;
  let period = Infinity;
  for (const c of calls) {
    const caller = enclosingFunction(c);
    const p = caller && caller !== fn ? timerPeriod(ctx, caller, depth + 1) : undefined;
    if (p === undefined) return undefined;
    period = Math.min(period, p);
  }
  return period;
}

/**
 * Per syntax tree: an edited file parsed incrementally (projects.ts) keeps the nodes of the functions
 * the edit did not touch, but how often they run depends on the rest of the file.
 */
const RARELY = new WeakMap<ts.SourceFile, WeakMap<FnLike, boolean>>();

function computeRunsRarely(ctx: SyntaxContext, fn: FnLike, depth: number): boolean {
  if (throttled(ctx, fn)) return true;
  const holder = argumentHolder(fn);
  // `config.peers.map((peer) => exchangeWithPeer(peer, digests))` in a minute's timer: once per element of each run.
  if (holder && elementCallback(fn)) {
    const outer = enclosingFunction(holder);
    return !!outer && runsRarely(ctx, outer, depth + 1);
  }
  if (holder) return isRareTimer(ctx, holder, fn);
  const name = functionName(fn);
  if (!name || isExportedFunction(fn)) return false;
  const uses = usesOfName(fn.getSourceFile(), name);
  return uses.length > 0 && uses.every((n) => {
    const p = n.parent;
    if (ts.isNewExpression(p)) return isCronJob(p, n);
    // `CronJob.from({ cronTime, onTick: runJob })`, `new CronJob({ …, onTick })` of cron.
    const job = ts.isPropertyAssignment(p) && p.initializer === n && p.name.getText() === 'onTick' ? p.parent.parent : undefined;
    if (job) return (ts.isCallExpression(job) || ts.isNewExpression(job)) && /\bCronJob\b/.test(job.expression.getText());
    if (!ts.isCallExpression(p)) return false;
    if (p.expression !== n) return isRareTimer(ctx, p, n);
    // Not from a loop (`while (running) await check(job)` of a worker started once): it runs for each of its turns.
    const caller = enclosingFunction(p);
    return caller ? caller !== fn && !loopAround(p, caller) && runsRarely(ctx, caller, depth + 1) : true;
  });
}

/**
 * `setInterval(fn, 30 * 1000)`: `fn` is this timer's callback, with a constant delay of more than a second. Not a
 * `setTimeout` set by a listener for each event (`listener.on('reading', (r) => { …; setTimeout(() => finish(s), gap) })`):
 * it fires once per event, however late.
 */
function isRareTimer(ctx: SyntaxContext, call: ts.CallExpression, callback: ts.Node): boolean {
  return timerDelay(ctx, call, callback) === 'rare' && !(calleeName(call) === 'setTimeout' && setPerEvent(call));
}

/** The timer is set in a listener for a repeating event (not an opening one: `'connect'`, `'ready'`…). */
function setPerEvent(call: ts.CallExpression): boolean {
  const fn = enclosingFunction(call);
  const holder = fn && argumentHolder(fn);
  return !!holder && LISTEN_METHODS.has(calleeName(holder) ?? '') && !isStringArg(holder.arguments[0], CONNECT_EVENTS);
}

/** `fn` in a loop, or the callback of a timer that may fire more than once a second (`setInterval(probe, 10)`, a delay not known). */
export function runsFast(ctx: SyntaxContext, node: ts.Node, fn: FnLike | undefined): boolean {
  if (loopAround(node, fn)) return true;
  let holder: ts.Node | undefined = fn;
  while (holder && ts.isParenthesizedExpression(holder.parent)) holder = holder.parent;
  return !!holder && ts.isCallExpression(holder.parent) && timerDelay(ctx, holder.parent, holder) === 'fast';
}

/**
 * `const now = Date.now(); if (now - (lastSent.get(key) || 0) < minIntervalMs) return null;` at the top of the
 * function, with an interval of more than a second (a constant, or a parameter's default): a throttled
 * function (an alert mailer) does its work at most once an interval.
 */
function throttled(ctx: SyntaxContext, fn: FnLike): boolean {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return false;
  const nows = new Set<string>();
  const isNow = (e: ts.Expression) => {
    const x = skipOuter(e);
    return (ts.isCallExpression(x) && /^(Date|performance)\.now$/.test(x.expression.getText())) || (ts.isIdentifier(x) && nows.has(x.text));
  };
  for (const st of body.statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer && isNow(d.initializer)) nows.add(d.name.text);
      continue;
    }
    if (!ts.isIfStatement(st)) return false;
    const test = skipOuter(st.expression);
    const exits = ts.isReturnStatement(st.thenStatement) || (ts.isBlock(st.thenStatement) && st.thenStatement.statements.length === 1 && ts.isReturnStatement(st.thenStatement.statements[0]));
    if (!exits || !ts.isBinaryExpression(test) || ![ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken].includes(test.operatorToken.kind)) continue;
    const since = skipOuter(test.left);
    if (!ts.isBinaryExpression(since) || since.operatorToken.kind !== ts.SyntaxKind.MinusToken || !isNow(since.left)) continue;
    const interval = intervalValue(ctx, test.right);
    if (typeof interval === 'number' && interval > RARE_MS) return true;
  }
  return false;
}

/**
 * `while (!signal.aborted) { await pollOnce(); await sleep(POLL_MS) }`: a loop that waits more than a second on each
 * turn (`sleep`/`delay`/`setTimeout` of `timers/promises`, or `new Promise((r) => setTimeout(r, ms))`).
 */
function pacedLoop(ctx: SyntaxContext, loop: ts.IterationStatement): boolean {
  const waits = (n: ts.Node): boolean => {
    if (!ts.isAwaitExpression(n)) return false;
    let c = skipOuter(n.expression);
    // `await sleep(ms, undefined, { signal }).catch(() => undefined)`.
    while (ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && /^(catch|then|finally)$/.test(c.expression.name.text)) c = skipOuter(c.expression.expression);
    if (ts.isCallExpression(c) && /^(sleep|delay|wait|setTimeout)$/.test(calleeName(c) ?? '') && c.arguments[0]) {
      const ms = intervalValue(ctx, c.arguments[0]);
      return typeof ms === 'number' && ms > RARE_MS;
    }
    const timer = ts.isNewExpression(c) && calleeName(c) === 'Promise' ? findNode(c, (t) => ts.isCallExpression(t) && calleeName(t) === 'setTimeout') : undefined;
    const ms = timer && ts.isCallExpression(timer) && timer.arguments[1] ? intervalValue(ctx, timer.arguments[1]) : undefined;
    return typeof ms === 'number' && ms > RARE_MS;
  };
  return !!findNode(loop.statement, waits, true);
}


/**
 * A module-level function of the project called from one place (in its own file or in the files that
 * import it), in code that runs once: a script's `main()`, a command run once, module top
 * level (`await publishForScreenshots(url, seen)` at the end of a crawl's `main()`). Not when any use is
 * something else (handed on as a callback, re-exported: unknown callers), when a call is in a loop or in a
 * test (a library's function exercised by its tests), nor for a package's entry file (`index.js`: its
 * callers are other packages). The cache re-analyses a file when a file that imports it changes.
 */
export function calledOnceFromCodeRunOnce(ctx: SyntaxContext, fn: FnLike | undefined): boolean {
  // `function publish()` or `const publish = async () => …` at the top of its module.
  if (!fn || ENTRY_FILE.test(fn.getSourceFile().fileName)) return false;
  const calls = projectCallsOf(ctx, fn);
  // One call: two at the top of a script (`main('/a'); main('/b')`) already run it again and again.
  if (calls?.length !== 1) return false;
  const caller = enclosingFunction(calls[0]);
  return runsOnce(caller) && !inTestCode(calls[0]) && !loopAround(calls[0], caller);
}

/**
 * The calls of a module-level function (`function f()`, `const f = async () => …`) in the project's
 * files, through imports and CommonJS exports: the names of `f` that are called. Undefined when the
 * function is anything but called, bound or exported somewhere (handed on as a callback, stored): its
 * callers are then unknown.
 */
export function projectCallsOf(ctx: SyntaxContext, fn: FnLike): ts.Identifier[] | undefined {
  const found = projectUsesOf(ctx, fn);
  return found?.complete ? found.calls : undefined;
}

/**
 * The calls of the function the project makes by name, also when it hands the function on elsewhere
 * (`pollStations(stations, handleReading)` beside `await handleReading(packet)`): enough to tell that
 * it runs often, not that it runs seldom.
 */
export function knownProjectCallsOf(ctx: SyntaxContext, fn: FnLike): ts.Identifier[] | undefined {
  return projectUsesOf(ctx, fn)?.calls;
}

/** Where the project gives the function as a parameter's default (`{ alert = alertGuardian } = {}`): the parameter's bindings. */
export function projectDefaultsOf(ctx: SyntaxContext, fn: FnLike): Array<ts.BindingElement | ts.ParameterDeclaration> {
  return projectUsesOf(ctx, fn)?.defaults ?? [];
}

/** The project's names of the function in other files that are neither calls nor bindings (`attach(io, { publishFlag })`): handed on. */
export function projectHandingsOf(ctx: SyntaxContext, fn: FnLike): ts.Identifier[] {
  return projectUsesOf(ctx, fn)?.handed ?? [];
}

interface ProjectUses {
  calls: ts.Identifier[];
  defaults: Array<ts.BindingElement | ts.ParameterDeclaration>;
  handed: ts.Identifier[];
  /** No use other than calls, bindings and exports: the calls are all its callers. */
  complete: boolean;
}

function projectUsesOf(ctx: SyntaxContext, fn: FnLike): ProjectUses | undefined {
  const cls = staticMethodClass(fn);
  const name = cls ? cls.name!.text : functionName(fn);
  const holder = cls ?? (ts.isFunctionDeclaration(fn) ? fn : ts.isVariableDeclaration(fn.parent) ? fn.parent.parent.parent : undefined);
  if (!name || !holder?.parent || !ts.isSourceFile(holder.parent)) return undefined;
  const program = programOf(ctx.checker);
  if (!program) return undefined;
  let known = PROJECT_CALLS.get(program);
  if (!known) PROJECT_CALLS.set(program, (known = new WeakMap()));
  if (!known.has(fn)) known.set(fn, cls ? findStaticCalls(ctx, program, fn as ts.MethodDeclaration, cls) : findProjectCalls(ctx, program, fn, name));
  return known.get(fn);
}

/** The named class of the module's top level whose static method `fn` is (`static async connect(uri)` of `AuditLog`). */
function staticMethodClass(fn: FnLike): ts.ClassDeclaration | undefined {
  if (!ts.isMethodDeclaration(fn) || !ts.isIdentifier(fn.name) || !fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return undefined;
  const cls = fn.parent;
  return ts.isClassDeclaration(cls) && !!cls.name && ts.isSourceFile(cls.parent) ? cls : undefined;
}

/**
 * The calls `AuditLog.connect(url)` of a static method in the project's files: the method's name in each, through the
 * class's name (imported or its own). Any other use of `AuditLog.connect` (handed on) leaves its callers unknown.
 */
function findStaticCalls(ctx: SyntaxContext, program: ts.Program, fn: ts.MethodDeclaration, cls: ts.ClassDeclaration): ProjectUses {
  const method = (fn.name as ts.Identifier).text;
  const calls: ts.Identifier[] = [];
  let complete = !reexportedWhole(program, cls.getSourceFile());
  for (const n of namesIn(program).get(cls.name!.text) ?? []) {
    const access = n.parent;
    if (n === cls.name || !ts.isPropertyAccessExpression(access) || access.expression !== n || access.name.text !== method) continue;
    if (!namesFunction(ctx, n, cls as unknown as FnLike)) continue;
    if (ts.isCallExpression(access.parent) && access.parent.expression === access) calls.push(access.name as ts.Identifier);
    else complete = false;
  }
  return { calls, defaults: [], handed: [], complete };
}

/** The `new C(…)` of a module-level class in the project's files, by its name through imports. */
export function projectConstructionsOf(ctx: SyntaxContext, cls: ts.ClassDeclaration): ts.NewExpression[] {
  const program = programOf(ctx.checker);
  if (!program || !cls.name || !cls.parent || !ts.isSourceFile(cls.parent)) return [];
  return (namesIn(program).get(cls.name.text) ?? []).flatMap((n) => n !== cls.name && ts.isNewExpression(n.parent) && n.parent.expression === n &&
    namesFunction(ctx, n, cls as unknown as FnLike) ? [n.parent] : []);
}

/** Per program (the files that may call a function change with it), per function. */
const PROJECT_CALLS = new WeakMap<ts.Program, WeakMap<FnLike, ProjectUses>>();

function findProjectCalls(ctx: SyntaxContext, program: ts.Program, fn: FnLike, name: string): ProjectUses {
  const own = fn.getSourceFile();
  // The declaration's own name (`function f`, `const f = () => …`) is no use of it.
  const declared = ts.isFunctionDeclaration(fn) ? fn.name : ts.isVariableDeclaration(fn.parent) ? fn.parent.name : undefined;
  const calls: ts.Identifier[] = [];
  const defaults: ProjectUses['defaults'] = [];
  const handed: ts.Identifier[] = [];
  // Re-exported whole (a library's `export * from './x'`): its importers call it by names not found here.
  let complete = !reexportedWhole(program, own);
  for (const n of namesIn(program).get(name) ?? []) {
    if (n === declared || !namesFunction(ctx, n, fn)) continue;
    const picked = callsThroughPick(n, (x) => ctx.resolver.symbolOf(x));
    if (picked) { calls.push(...picked.calls); complete &&= !picked.other; continue; }
    const use = useOf(n, own);
    if (use === 'call') calls.push(n);
    else if (use === 'other') {
      complete = false;
      const p = n.parent;
      if ((ts.isBindingElement(p) || ts.isParameter(p)) && p.initializer === n && ts.isIdentifier(p.name)) defaults.push(p);
      else if (n.getSourceFile() !== own) handed.push(n);
    }
  }
  return { calls, defaults, handed, complete };
}

/**
 * Per program: the identifiers of the project's own files named like a module-level function of one of
 * them, by name, found in one walk (asked for each function that may run often; a walk of the files per
 * function is quadratic in a file of 10,000 of them). Other names are left out: the index stays small.
 */
const NAMES = new WeakMap<ts.Program, Map<string, ts.Identifier[]>>();

function namesIn(program: ts.Program): Map<string, ts.Identifier[]> {
  let byName = NAMES.get(program);
  if (byName) return byName;
  const files = program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && !/[\\/]node_modules[\\/]/.test(sf.fileName));
  const index = new Map<string, ts.Identifier[]>();
  for (const sf of files) {
    for (const st of sf.statements) {
      // Classes too, for the calls of their static methods (`AuditLog.connect(url)`).
      const names = (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name ? [st.name] : ts.isVariableStatement(st) ? st.declarationList.declarations.map((d) => d.name) : [];
      for (const n of names) if (ts.isIdentifier(n)) index.set(n.text, []);
    }
  }
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) index.get(n.text)?.push(n);
    ts.forEachChild(n, visit);
  };
  files.forEach(visit);
  NAMES.set(program, (byName = index));
  return byName;
}

/** A package's entry module, whose functions other packages call. */
const ENTRY_FILE = /(^|[\\/])(index|main)\.[cm]?[jt]sx?$/;

/** The identifier names `fn`: directly, through an import, or through a CommonJS export of it (`module.exports = { fn }`, `exports.f = fn`). */
function namesFunction(ctx: SyntaxContext, id: ts.Identifier, fn: FnLike): boolean {
  let decl = ctx.resolver.targetOf(id)?.declarations?.[0];
  for (let step = 0; decl && step < 4; step++) {
    if (decl === fn || decl === fn.parent) return true;
    let next: ts.Symbol | undefined;
    if (ts.isShorthandPropertyAssignment(decl)) next = ctx.checker.getShorthandAssignmentValueSymbol(decl);
    else if (ts.isPropertyAssignment(decl) && ts.isIdentifier(decl.initializer)) next = ctx.resolver.targetOf(decl.initializer);
    else if (ts.isPropertyAccessExpression(decl) && ts.isBinaryExpression(decl.parent) && decl.parent.left === decl && ts.isIdentifier(decl.parent.right)) {
      next = ctx.resolver.targetOf(decl.parent.right);
    }
    decl = next?.declarations?.[0];
  }
  return false;
}

/** How a name of the function is used: called, bound or exported (no use), or anything else (handed on: callers unknown). */
function useOf(id: ts.Identifier, own: ts.SourceFile): 'call' | 'binding' | 'other' {
  const p = id.parent;
  if (ts.isCallExpression(p) && p.expression === id) return 'call';
  if (ts.isPropertyAccessExpression(p) && p.name === id) {
    if (ts.isCallExpression(p.parent) && p.parent.expression === p) return 'call';
    // `exports.publish = publish`: the target named like it.
    if (ts.isBinaryExpression(p.parent) && p.parent.left === p) return 'binding';
  }
  if (ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || (ts.isBindingElement(p) && p.name === id && !p.initializer)) return 'binding';
  if (id.getSourceFile() !== own) return 'other';
  // Its own module's export of it: `module.exports = { fn }`, `exports.fn = fn`, `export { fn }`, `export default fn`.
  if (ts.isExportSpecifier(p) || ts.isExportAssignment(p)) return 'binding';
  if ((ts.isShorthandPropertyAssignment(p) || (ts.isPropertyAssignment(p) && p.initializer === id)) && isCommonJsExports(p.parent)) return 'binding';
  if (ts.isBinaryExpression(p) && p.right === id && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && isCommonJsTarget(p.left)) return 'binding';
  return 'other';
}

/** The object literal given to `module.exports`. */
function isCommonJsExports(obj: ts.Node): boolean {
  const p = obj.parent;
  return ts.isObjectLiteralExpression(obj) && !!p && ts.isBinaryExpression(p) && p.right === obj && isCommonJsTarget(p.left);
}

/** `module.exports`, `exports.x`, `module.exports.x`. */
function isCommonJsTarget(e: ts.Expression): boolean {
  const text = e.getText();
  return text === 'module.exports' || /^(module\.)?exports\.\w+$/.test(text);
}
