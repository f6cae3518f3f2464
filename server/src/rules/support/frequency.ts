// How often code runs, as the churn rules need it: a new connection where code runs once or at most
// once a second piles nothing up in TIME_WAIT; the same line on a request path does.
import { ts } from 'ts-morph';
import { inTestCode, runsOnce, usesOfName } from '../../core/execution';
import { calledOnceFromCodeRunOnce, calledOnlyFromRareCode, knownProjectCallsOf, projectDefaultsOf, projectHandingsOf, runsRarely } from '../../core/run-rate';
import { routeObjectProbes } from './route-tables';
import { handlesEachRequest } from './request-handlers';
import { constUses } from '../../core/picked-functions';
import { RuleContext } from '../../core/rule';
import { callsIn, enclosingFunction, loopAround } from '../../core/syntax';
import { calleeName, findNode, FnLike, functionOfDeclaration, isStringArg, promiseExecutor, stripParens } from '../../core/ast';
import { CONNECT_EVENTS, ONE_SHOT_TIMERS, PROMISE_CALLBACKS, SERVER_CREATORS, skipParensUp } from '../../core/call-shapes';
import { isRetryLoop } from './agent-options';
import { nameOf, thisCalls } from '../../core/class-calls';
import { outsideMethodCalls } from '../../core/method-calls';
import { fieldKeeping } from '../../core/wrapper-classes';
import { answersHealthChecks, inHealthBranch, ROUTES } from './health-checks';

/**
 * Outside a loop of its own, the code around `node` runs once (a test, a script's `main()`, a
 * `listen` callback) or at most once a second (a slow timer and what only it calls).
 */
export function runsSeldom(ctx: RuleContext, node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  return !loopAround(node, fn) && (runsOnce(fn) || inTestCode(node) || runsRarely(ctx, fn) || calledOnceFromCodeRunOnce(ctx, fn) || calledOnlyFromRareCode(ctx, fn) ||
    calledOnlyForHealthChecks(ctx, fn));
}

/**
 * Every call of the function in the project is in a handler's /health branch (inHealthBranch) or a /health route's
 * handler, also through a helper only such code calls (`displaysHealthy()` of a /healthz route calls `probeDisplays(url)`).
 */
function calledOnlyForHealthChecks(ctx: RuleContext, fn: FnLike | undefined, depth = 0): boolean {
  const calls = fn && (ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? knownProjectCallsOf(ctx, fn) : undefined;
  return !!calls?.length && calls.every((c) => {
    const caller = runnerOf(enclosingFunction(c));
    const route = caller && callGiven(caller);
    return !inTestCode(c) && (inHealthBranch(c, caller) || (!!route && answersHealthChecks(caller!, route)) || (!!caller && routeObjectProbes(caller) === true) ||
      (!!caller && isModuleFunction(caller) && handedOnlyToHealthRoutes(ctx, caller)) ||
      (depth < 2 && !!caller && caller !== fn && calledOnlyForHealthChecks(ctx, caller, depth + 1)));
  });
}

/** `{ method: 'GET', path: '/health', handler: deepHealth }` in another module: the only routes given the function by name probe health. */
function handedOnlyToHealthRoutes(ctx: RuleContext, fn: FnLike): boolean {
  const handings = projectHandingsOf(ctx, fn);
  return handings.length > 0 && handings.every((id) => routeObjectProbes(id) === true);
}

/**
 * Calls that take a callback they run for every event, request or item; also a queue's consumer of each message
 * (amqplib's `ch.consume(queue, cb)`, a Redis or NATS `subscribe(channel, cb)`, Bull's `queue.process(cb)`).
 */
const EVERY_TIME = new Set(['on', 'addListener', 'prependListener', 'addEventListener', 'setInterval', 'map', 'forEach', 'flatMap',
  'consume', 'subscribe', 'pSubscribe', 'psubscribe', 'process']);
const REQUEST_HOOKS = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization', 'onSend', 'onResponse', 'onPreAuth', 'onPostAuth', 'onPreHandler', 'onPostHandler', 'onPreResponse']);

/**
 * A named function or a method may be called for every request: presumed to (as for agents). A
 * callback runs as often as what it is given to: a listener for every event but the opening ones, a
 * route handler, an interval, an iteration; a command's `.action(…)` or a one-off `.then(…)` runs once.
 */
export function mayRunOften(fn: ts.SignatureDeclaration): boolean {
  // Also a handler given to the project's error wrapper: `router.get(path, asyncRoute(async (req, res) => …))`.
  return callGiven(fn) ? runsPerEvent(fn) : !startsItsObject(fn);
}

/** Method names that start an object once in its life: `start()`, `init()`, `_bootstrap()`. */
const START_NAME = /^[_#]?(start|init|initiali[sz]e|setup|bootstrap|boot|launch)$/i;

/**
 * A method that starts its object (`start()`, `init()`), or a non-public one the class calls only from
 * such methods (`start() { return this.spawn().then(() => this._initReplSet()) }`): it runs once per
 * object, configuring what the object has just started.
 */
function startsItsObject(fn: ts.SignatureDeclaration): boolean {
  if (!ts.isMethodDeclaration(fn) || !fn.name) return false;
  const name = fn.name.getText();
  if (START_NAME.test(name)) return true;
  const hidden = ts.isPrivateIdentifier(fn.name) || name.startsWith('_') ||
    !!ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
  const calls = hidden ? ownClassCalls(fn) : undefined;
  return !!calls?.length && calls.every((c) => {
    const method = ts.findAncestor(c, ts.isMethodDeclaration);
    return !!method && method !== fn && !!method.name && START_NAME.test(method.name.getText()) && !loopAround(c, method) && !inRepeatedCallback(c, method);
  });
}

/** `start() { this.client.on('message', (t, p) => this.#onTelemetry(t, p)) }`: a callback of `method` that runs for each event, not once. */
function inRepeatedCallback(c: ts.Node, method: ts.MethodDeclaration): boolean {
  for (let f = enclosingFunction(c); f && f !== method; f = enclosingFunction(f)) {
    const call = callGiven(f);
    if (call && runsForEach(call)) return true;
  }
  return false;
}

/**
 * `app.post('/orders', async (req, res) => …)`, `consumer.on('message', …)`: a callback known to run
 * for every request, event or item, which a database connection of its own is not made for (unlike a
 * named function: a serverless handler, a migration step).
 */
export function runsPerEvent(fn: ts.SignatureDeclaration | undefined): boolean {
  const call = fn && callGiven(fn);
  const route = call && (runsForEach(call) ? call : wrappedFor(call));
  return !!route && !answersHealthChecks(fn!, route);
}

/**
 * `app.post('/transfer', wrap(async (req, res) => …))`: a handler given to the project's error wrapper (or
 * express-async-handler's) runs as often as what the wrapper returns, which the route calls for each request.
 * Not `once(fn)`: that one runs a single time.
 */
function wrappedFor(wrapper: ts.CallExpression): ts.CallExpression | undefined {
  return ONCE_WRAPPERS.has(calleeName(wrapper) ?? '') ? undefined : perEventCallGiven(wrapper);
}

/** The call that runs for each event and is given what `call` returns (`app.post(path, wrap(h))`, `bus.on('command', make(deps))`). */
function perEventCallGiven(call: ts.CallExpression): ts.CallExpression | undefined {
  const outer = skipParensUp(call).parent;
  return ts.isCallExpression(outer) && outer.arguments.some((a) => stripParens(a) === call) && runsForEach(outer) ? outer : undefined;
}
const ONCE_WRAPPERS = new Set(['once', 'onetime', 'memoize', 'memoizeOne']);

/** The call `fn` is an argument of. */
function callGiven(fn: ts.SignatureDeclaration): ts.CallExpression | undefined {
  let n: ts.Node = fn;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const call = n.parent;
  if (ts.isCallExpression(call) && call.arguments.includes(n as ts.Expression)) return call;
  // `consumer.run({ eachMessage: async ({ message }) => … })` of kafkajs: an option run for each message (or batch).
  const option = ts.isPropertyAssignment(n.parent) && n.parent.initializer === n ? n.parent : ts.isMethodDeclaration(fn) ? fn : undefined;
  const options = option?.parent;
  const run = options && ts.isObjectLiteralExpression(options) ? options.parent : undefined;
  return option && ts.isIdentifier(option.name) && PER_MESSAGE_OPTIONS.has(option.name.text) && run && ts.isCallExpression(run) &&
    run.arguments.includes(options as ts.Expression) ? run : undefined;
}

/** Options of kafkajs's `consumer.run(…)` whose callback runs for each message or batch. */
const PER_MESSAGE_OPTIONS = new Set(['eachMessage', 'eachBatch']);

function runsForEach(call: ts.CallExpression): boolean {
  const callee = stripParens(call.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (!name) return false;
  if (name === 'run') return call.arguments.some((a) => ts.isObjectLiteralExpression(a) && a.properties.some((p) => !!p.name && ts.isIdentifier(p.name) && PER_MESSAGE_OPTIONS.has(p.name.text)));
  // Fastify's `app.addHook('onRequest', …)`, hapi's `server.ext('onPreHandler', …)`: run for every request.
  if (name === 'addHook' || name === 'ext') return isStringArg(call.arguments[0], REQUEST_HOOKS);
  if (EVERY_TIME.has(name)) {
    const event = call.arguments[0] && stripParens(call.arguments[0]);
    return !(event && ts.isStringLiteralLike(event) && CONNECT_EVENTS.has(event.text));
  }
  // `http.createServer((req, res) => …)`: the handler answers each request (each connection for `net`).
  return (ROUTES.has(name) && ts.isPropertyAccessExpression(callee)) || SERVER_CREATORS.has(name);
}

/** The name a function is declared under: `function f`, `const f = () => …`. */
function declaredName(fn: ts.SignatureDeclaration): ts.Identifier | undefined {
  return ts.isFunctionDeclaration(fn) ? fn.name : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name : undefined;
}

/**
 * `lookupCustomer(id)` called in a loop of this file (`for (const order of orders) await
 * lookupCustomer(order.customerId)`), where the function makes its own database client: one per iteration.
 */
function calledInLoop(ctx: RuleContext, fn: ts.SignatureDeclaration): boolean {
  const name = declaredName(fn);
  const calls = name && callsInLoops(ctx).get(name.text);
  const sym = name && ctx.resolver.symbolOf(name);
  return !!sym && (!!calls?.some((c) => ctx.resolver.symbolOf(c.expression) === sym && !inCatchOfItsFunction(c)) || handedToArrayMethod(ctx, name!, sym));
}

/** `rows.map(notifyStudent)`, `jobs.forEach(runJob)`: handed by name to an array method of its file, which calls it for each item. */
function handedToArrayMethod(ctx: RuleContext, name: ts.Identifier, sym: ts.Symbol): boolean {
  return callsIn(name.getSourceFile(), () => ctx.tick()).some((c) => {
    const first = ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && ITEM_CALLBACKS.has(c.expression.name.text) ? c.arguments[0] : undefined;
    return !!first && ts.isIdentifier(first) && first.text === name.text && !inTestCode(c) && ctx.resolver.symbolOf(first) === sym;
  });
}

/** Known to run for every request, event or item: a callback given to such a call, or a function the project calls from one. */
export function runsForEveryEvent(ctx: RuleContext, fn: ts.SignatureDeclaration): boolean {
  return runsPerEvent(fn) || handlesEachRequest(fn) || reschedulesItself(fn) || calledOften(ctx, fn) || madeForEveryEvent(ctx, fn) || calledFromPerEventListener(fn as FnLike) || handedToPerEventCall(fn as FnLike) ||
    (isModuleFunction(fn) && (givenToPerEventParameter(ctx, fn) || handedElsewhereToPerEventCall(ctx, fn as FnLike)));
}

/** `const tick = async () => { …; if (this.running) setTimeout(tick, ms) }`: a poll that schedules itself again, in its own body. */
function reschedulesItself(fn: ts.SignatureDeclaration): boolean {
  const name = declaredName(fn);
  const body = (fn as FnLike).body;
  return !!name && !!body && !!findNode(body, (n) => ts.isCallExpression(n) && calleeName(n) === 'setTimeout' && !!n.arguments[0] &&
    ts.isIdentifier(n.arguments[0]) && n.arguments[0].text === name.text, true);
}

/**
 * `return async function onCommand(msg) { … }` of `createCommandHandler(deps)`, which the project registers as a
 * listener (`bus.on('command', createCommandHandler({ modbus }))`): the handler a factory returns runs for each event.
 */
function madeForEveryEvent(ctx: RuleContext, fn: ts.SignatureDeclaration, depth = 0): boolean {
  const ret = skipParensUp(fn as ts.Expression).parent;
  const factory = (ts.isReturnStatement(ret) && ret.expression && stripParens(ret.expression) === fn) || (ts.isArrowFunction(ret) && ret.body === skipParensUp(fn as ts.Expression))
    ? enclosingFunction(fn) : undefined;
  const calls = factory && (ts.isFunctionDeclaration(factory) || ts.isArrowFunction(factory) || ts.isFunctionExpression(factory)) ? knownProjectCallsOf(ctx, factory) : undefined;
  return !!calls?.some((id) => {
    const call = ts.isCallExpression(id.parent) && id.parent.expression === id ? id.parent : undefined;
    const outer = call && perEventCallGiven(call);
    if (outer) return !inTestCode(outer);
    // `const forward = createHistorianForwarder(cfg); bus.on('reading', (r) => forward(r))`: as often as the product's own calls.
    return !!call && depth < 2 && productCalls(ctx, call).some((c) => callRunsOften(ctx, c, undefined, depth + 1));
  });
}

/** The calls of a `const` a factory's call initializes (`const forward = createForwarder(o)` … `forward(r)`). */
function productCalls(ctx: RuleContext, call: ts.CallExpression): ts.Node[] {
  const decl = skipParensUp(call).parent;
  return (ts.isVariableDeclaration(decl) && constUses(decl, (n) => ctx.resolver.symbolOf(n))?.calls) || [];
}

/**
 * A module-level function the project calls in a loop or from code that answers each request or event
 * (`await auditBatch(opsUri, entry)` per batch of an import, `await writePriceAudit(url, change)` in a
 * route handler), in any of its files, directly or through other such functions of the project
 * (`articlesPerDay(from, to)` in a route handler returns `queryReplica(sql, params)`), up to three calls
 * deep: it runs as often as that code. Not from tests, nor from a loop of retry attempts (one call succeeds), nor
 * from the /health branch of a handler. With `loopsOnly`, only loops, array methods' callbacks and intervals count.
 */
export function calledOften(ctx: RuleContext, fn: ts.SignatureDeclaration, depth = 0, loopsOnly = false): boolean {
  if (calledInLoop(ctx, fn)) return true;
  if (!loopsOnly && calledThroughDefault(ctx, fn)) return true;
  const calls = ts.isMethodDeclaration(fn) ? [...ownClassCalls(fn) ?? [], ...outsideMethodCalls(ctx, fn)] : ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) ? knownProjectCallsOf(ctx, fn) : undefined;
  return !!calls?.some((c) => callRunsOften(ctx, c, fn, depth, loopsOnly));
}

/**
 * The call runs again and again: in a loop around it (not of retry attempts), or in code that answers each request or
 * event (or, with `loopsOnly`, each item or tick), also up the project's calls of that code. Not in a test, nor in the
 * `catch` of a failure (`catch (err) { await sendFailureMail(repo, err) }`: failures are not every item), nor in a /health
 * branch. `fn` is the function called, when the judgement is about it (its own calls are no callers).
 */
export function callRunsOften(ctx: RuleContext, c: ts.Node, fn?: ts.SignatureDeclaration, depth = 0, loopsOnly = false): boolean {
  if (inTestCode(c) || inCatchOfItsFunction(c)) return false;
  const caller = runnerOf(enclosingFunction(c));
  if (inHealthBranch(c, caller)) return false;
  const loop = loopAround(c, caller);
  if ((!!loop && !isRetryLoop(loop)) || (loopsOnly && iteratesOrTicks(caller))) return true;
  if (!loopsOnly && (runsPerEvent(caller) || handlesEachRequest(caller) || givenToPerEventParameter(ctx, caller) || handedToPerEventCall(caller) ||
      calledFromPerEventListener(caller) || (!!caller && (madeForEveryEvent(ctx, caller, depth) || (isModuleFunction(caller) && handedElsewhereToPerEventCall(ctx, caller)))))) return true;
  return depth < 2 && !!caller && caller !== fn && calledOften(ctx, caller, depth + 1, loopsOnly);
}

/**
 * `function createTapServer({ alert = alertGuardian } = {})` whose `'line'` listener calls `alert(…)`: given as a
 * parameter's default, the function runs as often as the calls of that parameter.
 */
function calledThroughDefault(ctx: RuleContext, fn: ts.SignatureDeclaration): boolean {
  if (!ts.isFunctionDeclaration(fn) && !ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  return projectDefaultsOf(ctx, fn).some((binding) => {
    const owner = ts.findAncestor(binding, ts.isParameter)?.parent;
    const local = (binding.name as ts.Identifier).text;
    return !!owner && ts.isFunctionLike(owner) && !!(owner as FnLike).body && !inTestCode(owner) &&
      !!findNode((owner as FnLike).body!, (n) => ts.isIdentifier(n) && n.text === local && ts.isCallExpression(n.parent) && n.parent.expression === n &&
        runsRepeatedly(n.parent, owner));
  });
}

/** The call is in a `catch` block of the function around it (not in a function defined there). */
function inCatchOfItsFunction(c: ts.Node): boolean {
  const holder = ts.findAncestor(c.parent, (a) => ts.isCatchClause(a) || ts.isFunctionLike(a));
  return !!holder && ts.isCatchClause(holder);
}

/**
 * Called for each item of a batch (in a loop) or on every tick of an interval, directly or through other functions of
 * the project: at a rate the code shows, unlike per request or event.
 */
export function calledInBatches(ctx: RuleContext, fn: ts.SignatureDeclaration): boolean {
  return calledOften(ctx, fn, 0, true);
}

/** The callback of an array method (`items.map(…)`, `forEach`) or of `setInterval`. */
function iteratesOrTicks(fn: FnLike | undefined): boolean {
  const call = fn && callGiven(fn);
  return !!call && BATCH_CALLBACKS.has(calleeName(call) ?? '');
}
const BATCH_CALLBACKS = new Set(['map', 'forEach', 'flatMap', 'setInterval']);
/** The array methods among them, which call what they are given for each item. */
const ITEM_CALLBACKS = new Set([...BATCH_CALLBACKS].filter((m) => m !== 'setInterval'));

/** Out of a promise's callbacks (`.then(() => ack(zone))`) and executor: they run as often as the function that makes the promise. */
function runnerOf(fn: FnLike | undefined): FnLike | undefined {
  for (let f = fn; f; f = enclosingFunction(f)) {
    const call = callGiven(f);
    if (!(call && PROMISE_CALLBACKS.has(calleeName(call) ?? '')) && promiseExecutor(f.parent) !== f) return f;
  }
  return fn;
}

/** `const handle = async (raw) => { … }; feed.on('packet', (line) => handle(line))`: a local function a per-event listener calls. */
function calledFromPerEventListener(fn: FnLike | undefined): boolean {
  const name = fn && declaredName(fn);
  const scope = name && enclosingFunction(fn!)?.body;
  // The caller is a listener written in place, or one named first and handed over (`const onStatus = (s) => publish(s); bus.on('status', onStatus)`).
  const perEvent = (caller: FnLike | undefined) => runsPerEvent(caller) || handedToPerEventCall(caller);
  return !!scope && !!findNode(scope, (n) => ts.isIdentifier(n) && n.text === name!.text && ts.isCallExpression(n.parent) && n.parent.expression === n &&
    perEvent(outOfTimers(enclosingFunction(n.parent))));
}

/** `listener.on('reading', (r) => { …; session.timer = setTimeout(() => finish(s), gap) })`: a timer's callback runs as often as the code that sets it. */
function outOfTimers(fn: FnLike | undefined): FnLike | undefined {
  let f = fn;
  for (let call = f && callGiven(f); f && call && ONE_SHOT_TIMERS.has(calleeName(call) ?? ''); call = f && callGiven(f)) f = enclosingFunction(call);
  return f;
}

/** `bus.on('message', onMessage)`, `{ method: 'GET', path: '/track/{token}', handler: track }`: a named function handed to a call or route of its scope that runs it per event. */
function handedToPerEventCall(fn: FnLike | undefined): boolean {
  const name = fn && declaredName(fn);
  const scope = name && (enclosingFunction(fn!)?.body ?? fn!.getSourceFile());
  if (!scope) return false;
  // The names so handed, found in one walk of the scope: asked for each function, of a file of thousands too.
  let names = PER_EVENT_NAMES.get(scope);
  if (!names) {
    const found = new Set<string>();
    findNode(scope, (n) => {
      if (ts.isIdentifier(n) && ((ts.isCallExpression(n.parent) && n.parent.arguments.includes(n) && runsForEach(n.parent)) || routeObjectProbes(n) === false)) found.add(n.text);
      return false;
    });
    PER_EVENT_NAMES.set(scope, (names = found));
  }
  return names.has(name!.text);
}
const PER_EVENT_NAMES = new WeakMap<ts.Node, Set<string>>();

/**
 * `app.get('/reports/utilisation', laneUtilisation)` in another module of the project, or a hapi/fastify route object
 * there (`{ method: 'POST', path: '/orders', handler: createOrder }`): a route handler by its name.
 */
function handedElsewhereToPerEventCall(ctx: RuleContext, fn: FnLike): boolean {
  return projectHandingsOf(ctx, fn).some((id) => !inTestCode(id) &&
    ((ts.isCallExpression(id.parent) && id.parent.arguments.includes(id) && runsForEach(id.parent)) || routeObjectProbes(id) === false));
}

/**
 * A method's `this.name(…)` calls in its own class (`ws.on('message', (raw) => this.onMessage(raw))`): how
 * often it runs, as far as the class shows.
 */
function ownClassCalls(method: ts.MethodDeclaration): ts.Node[] | undefined {
  const name = nameOf(method);
  return name && ts.isClassLike(method.parent) ? thisCalls(method.parent, name) : undefined;
}

/**
 * `startNatsConsumer(nc, 'users.>', queue, async (subject, data) => handleUserEvent(data))`, where the
 * project function calls that parameter in a loop (`for await (const msg of sub) await handler(…)`, also in
 * the async function it starts for that) or hands it to a call that runs it for every event
 * (`consumer.on('message', handler)`): the callback runs once per message.
 */
function givenToPerEventParameter(ctx: RuleContext, fn: ts.SignatureDeclaration | undefined): boolean {
  if (!fn) return false;
  // `startConsumer(handleJob)`: a function of the file handed over by its name, also in an options literal
  // (`startUdpListener({ port, onPosition })`).
  const name = declaredName(fn);
  const sym = name && ctx.resolver.symbolOf(name);
  const handed = (id: ts.Identifier) => (ts.isCallExpression(id.parent) && id.parent.arguments.includes(id)) || ts.isShorthandPropertyAssignment(id.parent) ||
    (ts.isPropertyAssignment(id.parent) && id.parent.initializer === id);
  const byName = sym ? usesOfName(fn.getSourceFile(), name.text).filter((id) => id !== name && handed(id) && ctx.resolver.symbolOf(id) === sym) : [];
  // `attachSessionRelay(io, { publishFlag })` in another module: an exported function handed on in an options literal.
  const elsewhere = isModuleFunction(fn) ? projectHandingsOf(ctx, fn as FnLike) : [];
  return [fn as ts.Node, ...byName, ...elsewhere].some((passed) => givenToPerEventArgument(ctx, passed));
}

const isModuleFunction = (fn: ts.SignatureDeclaration) => ts.isFunctionDeclaration(fn) || (ts.isVariableDeclaration(fn.parent) && ts.isArrowFunction(fn));

function givenToPerEventArgument(ctx: RuleContext, passed: ts.Node, depth = 0): boolean {
  const arg = skipParensUp(passed as ts.Expression) as ts.Expression;
  // `createPlcPool(host, { onAlarm: (alarm) => notify(alarm) })`: a property of an options literal, taken apart by the parameter.
  const option = arg && ((ts.isPropertyAssignment(arg.parent) && arg.parent.initializer === arg) || ts.isShorthandPropertyAssignment(arg.parent)) &&
    ts.isObjectLiteralExpression(arg.parent.parent) ? arg.parent as ts.PropertyAssignment | ts.ShorthandPropertyAssignment : undefined;
  const given = option ? option.parent as ts.Expression : arg;
  if (given && ts.isNewExpression(given.parent) && given.parent.arguments?.includes(given)) return givenToPerEventConstructor(ctx, given.parent, given, option?.name.getText());
  const call = given && ts.isCallExpression(given.parent) && given.parent.arguments.includes(given) ? given.parent : undefined;
  const callee = call && stripParens(call.expression);
  const name = callee && (ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined);
  const decl = name && ctx.resolver.targetOf(name)?.declarations?.find((d) => !d.getSourceFile().isDeclarationFile);
  const target = decl && functionOfDeclaration(decl);
  const param = target?.parameters[call!.arguments.indexOf(given!)];
  const own = !param ? undefined : !option ? (ts.isIdentifier(param.name) ? param.name.text : undefined) : optionBinding(param.name, option.name.getText());
  // `deps.publishFlag?.(flag)` of a parameter that is not taken apart.
  const whole = option && param && ts.isIdentifier(param.name) ? param.name.text : undefined;
  if (!target?.body || (!own && !whole)) return false;
  return !!findNode(target.body, (n) => {
    if (whole && ts.isPropertyAccessExpression(n) && n.name.text === option!.name.getText() && ts.isIdentifier(n.expression) && n.expression.text === whole) {
      return ts.isCallExpression(n.parent) && n.parent.expression === n && runsRepeatedly(n.parent, target);
    }
    // Handed on again (`samplesRouter({ io, notify })` inside `createApp({ notify })`): where that one goes.
    if (ts.isIdentifier(n) && n.text === own && depth < 2 && (ts.isShorthandPropertyAssignment(n.parent) || (ts.isPropertyAssignment(n.parent) && n.parent.initializer === n))) {
      return givenToPerEventArgument(ctx, n, depth + 1);
    }
    if (!ts.isIdentifier(n) || n.text !== own || !ts.isCallExpression(n.parent)) return false;
    const c = n.parent;
    if (c.expression === n) return runsRepeatedly(c, target);
    return c.arguments.includes(n) && runsForEach(c);
  });
}

/**
 * `new UploadConsumer(url, queue, (job) => uploadStudy(job))`, a project class that keeps the callback in a field
 * (`private readonly handler`, or `this.handler = handler`; also an option, `new ConveyorEvents({ onGarmentEvent })` kept as
 * `this.onGarmentEvent = onGarmentEvent`) and calls `this.handler(job)` for every message: in a
 * method a per-event listener of the class calls (`ch.consume(q, (msg) => void this.onMessage(msg))`), or in one.
 */
function givenToPerEventConstructor(ctx: RuleContext, made: ts.NewExpression, given: ts.Expression, option?: string): boolean {
  const callee = stripParens(made.expression);
  const name = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  const cls = name && ctx.resolver.targetOf(name)?.declarations?.find((d): d is ts.ClassDeclaration => ts.isClassDeclaration(d) && !d.getSourceFile().isDeclarationFile);
  const ctor = cls?.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
  const field = ctor && fieldKeeping(ctor, made.arguments!.indexOf(given), option);
  if (!field) return false;
  return thisCalls(cls!, field).some((c) => {
    if (runsRepeatedly(c, cls!)) return true;
    const method = enclosingFunction(c);
    // …or from a method the project calls per event on an instance (`rows.add(strike)` in a 'strike' listener).
    return !!method && ts.isMethodDeclaration(method) && (!!ownClassCalls(method)?.some((m) => runsRepeatedly(m, cls!)) ||
      outsideMethodCalls(ctx, method).some((id) => callRunsOften(ctx, id, undefined, 2)));
  });
}

/**
 * In a loop, or in a function that runs for every event, at any depth up to `until`: `for (const s of sensors)
 * readSensor(s, (err, r) => onReading(r))` calls `onReading` once per sensor.
 */
function runsRepeatedly(node: ts.Node, until: ts.Node): boolean {
  let x = node;
  for (let f = enclosingFunction(x); f; x = f, f = enclosingFunction(f)) {
    if (loopAround(x, f) || runsPerEvent(f)) return true;
    if (f === until) break;
  }
  return false;
}

/** `{ max = 4, onAlarm } = {}`: the local a destructuring parameter gives the option `property`. */
function optionBinding(name: ts.BindingName, property: string): string | undefined {
  if (!ts.isObjectBindingPattern(name)) return undefined;
  const el = name.elements.find((e) => (e.propertyName ?? e.name).getText() === property);
  return el && ts.isIdentifier(el.name) ? el.name.text : undefined;
}

/** Per syntax tree: the calls by plain name (`lookup(id)`) made in a loop, by that name; found once (asked per creator). */
const LOOP_CALLS = new WeakMap<ts.SourceFile, Map<string, ts.CallExpression[]>>();

function callsInLoops(ctx: RuleContext): Map<string, ts.CallExpression[]> {
  let byName = LOOP_CALLS.get(ctx.sourceFile);
  if (!byName) {
    byName = new Map();
    for (const c of callsIn(ctx.sourceFile, () => ctx.tick())) {
      if (ts.isCallExpression(c) && ts.isIdentifier(c.expression) && loopAround(c, enclosingFunction(c))) {
        byName.set(c.expression.text, [...(byName.get(c.expression.text) ?? []), c]);
      }
    }
    LOOP_CALLS.set(ctx.sourceFile, byName);
  }
  return byName;
}
