// Clients meant to be made once and shared — a pool, or one multiplexed connection to Redis, MongoDB,
// an AMQP broker or an HTTP/2 origin — made and closed again on every call of a function that runs
// often (a request handler, a job, a message listener, a loop). Each call pays the TCP (and TLS,
// auth) handshakes again and leaves the closed connections in TIME_WAIT on the side that closed first.
import { ts } from 'ts-morph';
import { CREATORS, HANDLES_KEEPING_CONNECTION } from '../../core/catalog';
import type { CreatorSpec } from '../../core/creator-spec';
import { grpcClientOf } from '../../core/grpc-clients';
import { KINDS, releaseMethods, SHARED_CLIENT_METHODS, SHARED_IN_LOOPS_KINDS, SHARED_KINDS } from '../../core/kinds';
import { mayRunOften, runsForEveryEvent, runsSeldom } from './frequency';
import { inHealthBranch } from './health-checks';
import { RuleContext } from '../../core/rule';
import { constValue, enclosingFunction, findProp, loopAround } from '../../core/syntax';
import { calleeName, callsMethodOn, constInitializer, findNode, functionName, isExportsObject, isNullLiteral, returnedValues, skipOuter, skipOuterUp, stripParens } from '../../core/ast';
import { usesOfName } from '../../core/execution';
import { isNonOwningArgument, LISTEN_METHODS, owningFunction, PROMISE_CALLBACKS } from '../../core/call-shapes';
import { projectFunctionOf } from './agent-factories';
import { optionLiterals } from './option-literals';
import { callersPickServer, picksServer, sameServersEveryEvent } from './per-server';
import { usesLoopVariable } from './agent-options';
import { helperOpensArgument } from '../../core/helper-openers';
import { importedNameOf } from '../../core/module-specifiers';
import { CatalogCreator, catalogCreatorOf } from './http';
import { closesIn, lentTo, lentToCallback, storedOnParameter, testedOnly } from './client-uses';


/** Names the shared clients of the catalog are called by (`new` is not filtered: `new Redis()` may be named anything). */
const SHARED_CALL_NAMES = new Set(CREATORS.filter((c) => (SHARED_KINDS.has(c.kind) || SHARED_IN_LOOPS_KINDS.has(c.kind)) && c.via !== 'new').flatMap((c) => c.names.map((n) => n.split('.').pop()!)));

/**
 * `new Pool(…)`, `createClient(…)`, `new Redis(…)`, `MongoClient.connect(u)`, `http2.connect(o)`, `amqp.connect(u)`, a
 * pooled nodemailer transport; in a loop, a database client too. Directly, or through a project
 * factory that returns one (`const client = createPgClient(cfg)`).
 */
export function sharedClientOf(ctx: RuleContext, node: ts.CallExpression | ts.NewExpression): CatalogCreator | undefined {
  const fn = enclosingFunction(node);
  const loop = loopAround(node, fn);
  const accept = (c: CreatorSpec) => SHARED_KINDS.has(c.kind) ||
    (SHARED_IN_LOOPS_KINDS.has(c.kind) && (!!loop || (!!fn && runsForEveryEvent(ctx, fn)))) ||
    (SHARED_FOR_ONE_SERVER.has(c.kind) && !!loop && !opensPerIteration(ctx, node, loop, c.opensWith ?? []));
  if (ts.isNewExpression(node) && !catalogCreatorOf(ctx, node, () => true)) return grpcClientOutsideCatalog(ctx, node) ?? wrapperClientOf(ctx, node);
  // By the creator's own name, also where it is imported under another one (`import { connect as natsConnect } from 'nats'`).
  if (ts.isCallExpression(node) && !SHARED_CALL_NAMES.has((ts.isIdentifier(node.expression) && importedNameOf(ctx.resolver.symbolOf(node.expression)?.declarations?.[0])) || (calleeName(node) ?? ''))) {
    // Only a call the leak engine already knows makes a resource (a project creator) can be a factory's.
    if (!resourceCreations(ctx).has(node)) return undefined;
    return factoryClientOf(ctx, node, accept) ?? methodClientOf(ctx, node) ?? wrapperClientOf(ctx, node);
  }
  const found = catalogCreatorOf(ctx, node, accept);
  if (found?.spec.perRequestAtTheEdge && runsAtTheEdge(node.getSourceFile())) return undefined;
  const holds = found?.spec.holdsOnlyWith;
  if (holds && !holdsWith(ctx, node, holds)) return undefined;
  return found;
}

/** Every options literal of the call sets `option` to `true` (`pool: true`). */
function holdsWith(ctx: RuleContext, node: ts.CallExpression | ts.NewExpression, option: string): boolean {
  const options = optionLiterals(ctx, node.arguments?.[0]);
  return !!options && options.every((opts) => constValue(ctx, findProp(opts, option).value) === true);
}

/**
 * SSH and FTP sessions: one made again on every iteration of a loop that talks to the same server (an
 * SFTP drop of each file of a batch) pays the TCP and SSH handshakes per file. Not a loop over servers
 * (a deploy to each host): each needs a session of its own.
 */
const SHARED_FOR_ONE_SERVER = new Set(['ssh-client', 'ftp-client']);

/**
 * The session's creation or its opening call (`sftp.connect({ host: target.host })`, or a project helper that makes
 * it, `await ready(conn, { host })`: helper-openers.ts) in the loop reads something the iteration sets: the loop's
 * variable, or a variable declared in its body.
 */
function opensPerIteration(ctx: RuleContext, node: ts.CallExpression | ts.NewExpression, loop: ts.IterationStatement, opensWith: string[]): boolean {
  const declared = new Set<string>();
  const collect = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) declared.add(n.name.text);
    ts.forEachChild(n, collect);
  };
  collect(loop.statement);
  const isDeclared = (x: ts.Node) => ts.isIdentifier(x) && declared.has(x.text);
  // findNode looks below its root: the root itself (`connect(settings)`) is tested first.
  const perIteration = (e: ts.Expression): boolean => usesLoopVariable(e, loop) || isDeclared(e) || !!findNode(e, isDeclared);
  const opening: ts.Expression[] = [...(node.arguments ?? [])];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && opensWith.includes(calleeName(n) ?? '')) opening.push(...n.arguments);
    else if (ts.isCallExpression(n) && n.arguments.some((a, i) => helperOpensArgument(n, i, opensWith, ctx.resolver))) opening.push(...n.arguments);
    ts.forEachChild(n, visit);
  };
  visit(loop.statement);
  return opening.some(perIteration);
}

/**
 * `new MotionService(addr, grpc.credentials.createInsecure())`: a gRPC client, whose channel's `close()` drops the
 * connection of the global subchannel pool at once when no other channel uses it (internal-channel.ts
 * `unrefUnusedSubchannels`): one made and closed per call connects again on the next. Also one of a loaded package
 * definition (`new proto.pointing.v1.Pointing(addr, creds)`); not a catalog creator.
 */
function grpcClientOutsideCatalog(ctx: RuleContext, node: ts.NewExpression): CatalogCreator | undefined {
  if (catalogCreatorOf(ctx, node, () => true)) return undefined;
  const m = grpcClientOf(node, ctx.resolver);
  if (!m) return undefined;
  const name = m.label.replace(/^new (.*)\(\)$/, '$1');
  return { label: name, spec: { modules: m.viaModule ? [m.viaModule] : [], names: [name], via: 'new', kind: 'grpc-client', fixCall: 'close()' } };
}

/**
 * `new LeaderboardClient(url)`: a project class every connection of which is one meant to be shared
 * (an HTTP/2 session, a Redis client, a pool), found by the leak engine: made per call, like that connection.
 */
function wrapperClientOf(ctx: RuleContext, node: ts.NewExpression | ts.CallExpression): CatalogCreator | undefined {
  const r = ctx.leakReports().find((x) => x.subject.report === node || x.subject.creation === node);
  if (!r || r.match.kind !== 'wrapper' || !r.match.shared) return undefined;
  // `new PermitClient(o)`, or a project factory that returns one (`createRotaClient(o)`); one its own file only calls
  // (`function clientFor(req) { return new RideClient({ apiKey }) }`) is reported at its `new`, once for all the calls.
  const factory = ts.isCallExpression(node) ? fileFactoryOf(ctx, node) : undefined;
  const made = factory && ts.isNewExpression(factory.creation) ? factory.creation.expression.getText() : undefined;
  const name = made ?? r.match.label.replace(/^new (.*)\(\)$/, '$1');
  return { label: name, spec: { modules: [], names: [name], via: ts.isNewExpression(node) ? 'new' : 'call', kind: 'wrapper', fixCall: r.match.fixCall }, ...(made ? { factory } : {}) };
}

/**
 * `kafka.producer()` (SHARED_CLIENT_METHODS): a client a method makes, which the leak engine found; also through a
 * factory its file only calls (`function offerProducer() { return kafka.producer(o) }`), reported at the factory.
 */
function methodClientOf(ctx: RuleContext, call: ts.CallExpression): CatalogCreator | undefined {
  const r = ctx.leakReports().find((x) => x.subject.report === call);
  const method = r && SHARED_CLIENT_METHODS[r.subject.kind];
  const factory = method && calleeName(call) !== method ? fileFactoryOf(ctx, call) : undefined;
  if (!r || !method || calleeName(factory?.creation ?? call) !== method) return undefined;
  // A Redis duplicate that subscribes is the subscriber a peer (a socket, an SSE stream) needs for as long as it stays,
  // as Redis puts a subscribing connection in a mode of its own: one per peer is by design, left to unclosed-connection.
  const isIt = (e: ts.Expression) => ts.isIdentifier(e) && r.subject.aliases.has(ctx.resolver.symbolOf(e)!);
  if (method === 'duplicate' && !!r.subject.fn.body && findNode(r.subject.fn.body, (n) => callsMethodOn(n, SUBSCRIBE, isIt))) return undefined;
  return { label: r.match.label, spec: { modules: [], names: [method], via: 'call', kind: r.subject.kind }, ...(factory ? { factory } : {}) };
}

const SUBSCRIBE = ['subscribe', 'pSubscribe', 'psubscribe', 'sSubscribe', 'ssubscribe'];

/** Per analysis of a file (a helper in another file may change between two analyses of this one). */
const CREATIONS = new WeakMap<RuleContext, Set<ts.Node>>();

/** The creating calls of the file's leak subjects. */
function resourceCreations(ctx: RuleContext): Set<ts.Node> {
  let set = CREATIONS.get(ctx);
  if (!set) {
    // The creating call, or for a client opened later (`producer.connect()`) the call that made it.
    set = new Set(ctx.leakReports().flatMap((r) => [r.subject.creation, r.subject.report].flatMap((n) => (n ? [stripParens(n as ts.Expression)] : []))));
    CREATIONS.set(ctx, set);
  }
  return set;
}

/** `createPgClient(cfg)`: a project function every `return` of which makes a client of the catalog (the same kind). */
function factoryClientOf(ctx: RuleContext, call: ts.CallExpression, accept: (c: CreatorSpec) => boolean): CatalogCreator | undefined {
  if (!ts.isIdentifier(stripParens(call.expression))) return undefined;
  const fn = projectFunctionOf(ctx, call);
  const values = fn && returnedValues(fn);
  if (!values) return undefined;
  let found: CatalogCreator | undefined;
  for (const v of values) {
    const e = madeFor(ctx, skipOuter(v), fn!);
    const c = (ts.isCallExpression(e) || ts.isNewExpression(e)) && !e.getSourceFile().isDeclarationFile
      ? catalogCreatorOf(ctx, e, accept) ?? (ts.isNewExpression(e) ? grpcClientOutsideCatalog(ctx, e) : undefined) : undefined;
    // `return nodemailer.createTransport({ pool: true, … })`: a transport that holds connections only with that option.
    if (!c || (found && found.spec !== c.spec) || (c.spec.holdsOnlyWith && !holdsWith(ctx, e as ts.CallExpression | ts.NewExpression, c.spec.holdsOnlyWith))) return undefined;
    found = c;
  }
  return found && { ...found, label: `${(stripParens(call.expression) as ts.Identifier).text}()`, factory: fileFactoryOf(ctx, call) };
}

/**
 * One creation, in a factory its own file only calls (`function createMailer() { return nodemailer.createTransport(…) }`,
 * also `const client = createClient(o); await client.connect(); return client`): the place to report a client per call,
 * once for all the file's calls of it, where making it once fixes them all.
 */
export function fileFactoryOf(ctx: RuleContext, call: ts.CallExpression): { fn: ts.FunctionLikeDeclaration; creation: ts.CallExpression | ts.NewExpression; calls: ts.CallExpression[] } | undefined {
  const fn = ts.isIdentifier(stripParens(call.expression)) ? projectFunctionOf(ctx, call) : undefined;
  // `if (!apiKey) return null`: a path that hands out nothing.
  const values = fn && returnedValues(fn)?.filter((v) => !isNullLiteral(v));
  const creation = values?.length === 1 ? madeFor(ctx, skipOuter(values[0]), fn!) : undefined;
  const calls = creation && (ts.isCallExpression(creation) || ts.isNewExpression(creation)) ? moduleLocalCalls(fn!, call) : undefined;
  return calls && { fn: fn!, creation: creation as ts.CallExpression | ts.NewExpression, calls };
}

/**
 * `const client = createClient(opts); …; await client.connect(); return client`: the value a factory returns is the
 * one its own `const` was made with.
 */
function madeFor(ctx: RuleContext, returned: ts.Expression, fn: ts.FunctionLikeDeclaration): ts.Expression {
  const made = ts.isIdentifier(returned) ? constInitializer(ctx.resolver.symbolOf(returned)) : undefined;
  const value = made && enclosingFunction(made) === fn ? skipOuter(made) : returned;
  // `return new sql.ConnectionPool(config).connect()`: connect() resolves to the pool it is called on.
  const callee = ts.isCallExpression(value) ? stripParens(value.expression) : undefined;
  const inner = callee && ts.isPropertyAccessExpression(callee) ? skipOuter(callee.expression) : undefined;
  const chained = inner && (ts.isCallExpression(inner) || ts.isNewExpression(inner)) && catalogCreatorOf(ctx, inner, () => true);
  return chained && chained.spec.returnsSelf?.includes((callee as ts.PropertyAccessExpression).name.text) ? inner! : value;
}

/** The calls of the factory in its own file, when the file does nothing else with it but export it (it is not handed on there). */
function moduleLocalCalls(fn: ts.FunctionLikeDeclaration, call: ts.CallExpression): ts.CallExpression[] | undefined {
  const sf = call.getSourceFile();
  const name = functionName(fn);
  const holder = ts.isFunctionDeclaration(fn) ? fn : fn.parent?.parent?.parent;
  if (!name || fn.getSourceFile() !== sf || !holder) return undefined;
  // Exported too (`module.exports = { searchClient, … }`): its own file's calls are still made there.
  const ids = usesOfName(sf, name).filter((id) => !exportsIt(id));
  return ids.every((id) => ts.isCallExpression(id.parent) && id.parent.expression === id) ? ids.map((id) => id.parent as ts.CallExpression) : undefined;
}

/** `module.exports = { f }`, `exports.f = f`, `export { f }`: a name that only exports the function. */
function exportsIt(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isExportSpecifier(p)) return true;
  if (ts.isShorthandPropertyAssignment(p) || (ts.isPropertyAssignment(p) && p.initializer === id)) {
    const assign = p.parent.parent;
    return ts.isBinaryExpression(assign) && assign.operatorToken.kind === ts.SyntaxKind.EqualsToken && isExportsObject(assign.left);
  }
  return ts.isBinaryExpression(p) && p.right === id && ts.isPropertyAccessExpression(p.left) && isExportsObject(p.left.expression);
}

export interface PerCallClient {
  /** Never closed, for a server every caller picks (`compartmentState(lockerAddress(req.params.id))`): one per server would do. */
  serverPerCall?: boolean;
  /** The loop that makes one per iteration, if any. */
  loop?: ts.IterationStatement;
  /** The close that ends its life within the call (or the iteration); none when nothing ever closes it. */
  close?: ts.CallExpression;
  /**
   * Never closed, but named in a callback that does not close it either (`return new Promise((resolve) => client.once('connect', …))`):
   * left open only if the leak engine finds it so.
   */
  capturedOpen?: boolean;
}

/**
 * Methods whose value keeps using the client: a channel of it, and a subscription read in a loop (`for await (const m
 * of nc.subscribe(subject))`, a change stream of `watch()`), one long session per call rather than one per exchange.
 */
const SUBSCRIPTIONS = ['subscribe', 'psubscribe', 'watch'];
/** Also a mongoose connection's model (`const Reading = conn.model(name, schema)`), whose queries all run on that connection. */
const USED_IN_OWN_LOOP = new Set([...HANDLES_KEEPING_CONNECTION, ...SUBSCRIPTIONS, 'model']);

/**
 * The client is held in a local variable that only ever receives method calls or is called (no argument, return,
 * field or closure keeps it), none of them in a loop of their own (a batch reuses it), and either a
 * close in the function's own body — not in a callback, which may be a shutdown handler — ends it
 * before the call (or the loop's iteration) is over, or nothing closes it at all.
 */
export function madePerCall(ctx: RuleContext, node: ts.CallExpression | ts.NewExpression, spec: CreatorSpec): PerCallClient | undefined {
  const fn = enclosingFunction(node);
  if (!fn?.body || ts.isConstructorDeclaration(fn)) return undefined;
  const loop = loopAround(node, fn);
  if (runsSeldom(ctx, node) || (!loop && (!mayRunOften(fn) || inHealthBranch(node, fn)))) return undefined;
  // `for (const origin of config.fallbackOrigins) new Pool(origin)`: a client per server, but made again for all of
  // them on every call of a function that runs for every event.
  const perServer = picksServer(node, fn, loop);
  if (perServer && !(loop && sameServersEveryEvent(ctx, loop, fn))) return undefined;
  // `await esClient().search(q)`: made for the one request chained on it and dropped at once, nothing can close it.
  if (usedOnceInChain(node, spec)) return { loop: perServer ? undefined : loop, capturedOpen: false, serverPerCall: !loop && callersPickServer(ctx, node, fn) };
  const held = declarationOf(node, spec, fn, (n) => ctx.resolver.symbolOf(n));
  if (!held) return undefined;
  const { decl, assigned } = held;
  const sym = ctx.resolver.symbolOf(decl.name);
  if (!sym) return undefined;
  const release = new Set(releaseMethods(spec.kind, spec.fixCall));
  let escapes = false;
  let batch = false;
  let close: ts.CallExpression | undefined;
  let captured = false; // named in a callback: a listener or a timer may keep using it, or close it
  let closedInCallback = false;
  let lendsToCallback = false;
  let lentToRequest = false;
  const inOwnLoop = (n: ts.Node) => loopAround(n, fn) !== loop && !(loop && loop.statement.pos <= n.pos && n.end <= loop.statement.end);
  // `const ch = await conn.createConfirmChannel()`: the channel's own uses in a loop of its own.
  const handleUsedInOwnLoop = (method: ts.PropertyAccessExpression): boolean => {
    let e: ts.Node = method.parent;
    while (ts.isAwaitExpression(e.parent) || ts.isParenthesizedExpression(e.parent)) e = e.parent;
    const decl = e.parent;
    const handle = ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) ? ctx.resolver.symbolOf(decl.name) : undefined;
    const iterated = (x: ts.Node) => ts.isForOfStatement(x.parent) && x.parent.expression === x; // `for await (const m of sub)`
    return !!handle && !!findNode(fn.body!, (x) => ts.isIdentifier(x) && x !== (decl as ts.VariableDeclaration).name && ctx.resolver.symbolOf(x) === handle && (inOwnLoop(x) || iterated(x)));
  };
  const visit = (n: ts.Node): void => {
    if (escapes) return;
    if (ts.isIdentifier(n) && n !== decl.name && n !== assigned && ctx.resolver.symbolOf(n) === sym) {
      if (owningFunction(n) !== owningFunction(fn.body!)) captured = true;
      // Through a type assertion too: `(client as any).getMember(req, cb)`.
      const outer = skipOuterUp(n);
      const p = outer.parent;
      // A client that is itself called to query (`db('orders')` of knex, sql`…` of postgres.js) is used, not handed on.
      const called = (ts.isCallExpression(p) && p.expression === outer) || (ts.isTaggedTemplateExpression(p) && p.tag === outer);
      const method = ts.isPropertyAccessExpression(p) && p.expression === outer ? p : undefined;
      // `poolPromise = pool.connect().catch(reset)`: a method that resolves to the client itself hands it on too.
      if (lentToCallback(n, fn)) lendsToCallback = true;
      // `ctx.state.shopDb = shopDb` in a middleware that closes it in its `finally`: lent to the request's later handlers.
      if (storedOnParameter(outer, fn)) lentToRequest = true;
      else if ((!called && !method && !lentTo(ctx, n, release) && !isNonOwningArgument(n) && !lentToCallback(n, fn) && !testedOnly(outer)) || (method && spec.returnsSelf?.includes(method.name.text) && valueKept(method.parent))) {
        escapes = true;
        return;
      }
      const closing = !!method && ts.isCallExpression(method.parent) && method.parent.expression === method && release.has(method.name.text);
      if (closing && owningFunction(n) !== owningFunction(fn.body!)) closedInCallback = true;
      if (closing && closesIn(method!, fn, (x) => ts.isIdentifier(x) && ctx.resolver.symbolOf(x) === sym) &&
          (!loop || (loop.statement.pos <= method!.pos && method!.end <= loop.statement.end))) close ??= method!.parent as ts.CallExpression;
      // Used again and again in a loop of its own (`for (const to of recipients) await t.sendMail(…)`):
      // made once for a batch, its connections are reused. Not a loop inside the one that makes it, once
      // per iteration (`for (const file of files) { const conn = …; for (const row of rows) await conn.execute(…) }`).
      // So is a channel of it used so (`const ch = await conn.createConfirmChannel(); for (const e of events) ch.publish(…)`).
      else if (inOwnLoop(n) || (method && USED_IN_OWN_LOOP.has(method.name.text) && handleUsedInOwnLoop(method))) batch = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  if (!batch && !escapes) batch = readsStreamOfIt(ctx, fn.body, sym);
  // A batch of its own is still one client per call when the calls come per request or event
  // (`purgeTag(tag)` from a webhook route, deleting the tag's keys in chunks); not one made for batches (CreatorSpec
  // madeForBatches: a pooled nodemailer transport for a mailing, `sendRsvpReminders(id)` from an admin route).
  if (batch && !loop && !spec.madeForBatches && runsForEveryEvent(ctx, fn)) batch = false;
  // `withRedis(fn)`: lent to the callback it was given, it is still this call's to close; a factory of scoped clients,
  // judged by how often the project is seen to call it.
  if (lendsToCallback && (!close || !(loop || runsForEveryEvent(ctx, fn)))) return undefined;
  // Never closed, handed on or captured by a callback that closes it (one captured by callbacks that never close it is
  // `capturedOpen`, which the rule checks with the leak engine): nothing can close it once the call returns. Asked
  // last, the project's calls: each caller's loop may pick another server.
  // A client per server the callers pick is one per call only where it is closed again: one never closed piles up all the same.
  if (escapes || batch || (captured && !close && closedInCallback) || (lentToRequest && !close)) return undefined;
  const serverPerCall = !loop && callersPickServer(ctx, node, fn);
  if (serverPerCall && close) return undefined;
  return { loop: perServer ? undefined : loop, close, capturedOpen: captured && !close, serverPerCall };
}

/**
 * Methods whose value is a stream the client keeps delivering while it is read: messages, or the rows of a database
 * cursor (`Review.aggregate(pipeline).cursor({ batchSize: 500 })`, `collection.find(q)`, a Redis `scanIterator()`).
 */
const MESSAGE_STREAMS = new Set([...SUBSCRIPTIONS, 'consume', 'cursor', 'find', 'aggregate', 'stream', 'queryStream', 'scanIterator', 'scanStream']);

/**
 * A stream of messages from the client read in a loop through a chain of its handles (`const c = await
 * nc.jetstream().consumers.get(stream, name); const msgs = await c.consume(); for await (const m of msgs)`):
 * one long session for the call, its messages all on the one connection.
 */
function readsStreamOfIt(ctx: RuleContext, body: ts.Node, client: ts.Symbol): boolean {
  const derived = new Map<ts.Symbol, boolean>([[client, false]]); // handle → a message stream is on its chain
  const chainOf = (e: ts.Expression): { root: ts.Symbol | undefined; streams: boolean } => {
    let x = skipOuter(e);
    let streams = false;
    while (ts.isCallExpression(x) || ts.isPropertyAccessExpression(x) || ts.isAwaitExpression(x)) {
      if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && MESSAGE_STREAMS.has(x.expression.name.text)) streams = true;
      x = skipOuter(x.expression);
    }
    return { root: ts.isIdentifier(x) ? ctx.resolver.symbolOf(x) : undefined, streams };
  };
  let reads = false;
  const visit = (n: ts.Node): void => {
    if (reads) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      const { root, streams } = chainOf(n.initializer);
      const sym = root && derived.has(root) ? ctx.resolver.symbolOf(n.name) : undefined;
      if (sym && root !== sym) derived.set(sym, derived.get(root!)! || streams);
    }
    if (ts.isForOfStatement(n) && n.awaitModifier) {
      const { root, streams } = chainOf(n.expression);
      if (root && derived.has(root) && (derived.get(root) || streams)) reads = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return reads;
}

/** The value of `call` (through `.then`/`.catch`/`.finally` and `await`) is not dropped by an expression statement. */
function valueKept(call: ts.Node): boolean {
  let e = call;
  while (ts.isAwaitExpression(e.parent) || ts.isParenthesizedExpression(e.parent) ||
      (ts.isPropertyAccessExpression(e.parent) && ['then', 'catch', 'finally'].includes(e.parent.name.text) && ts.isCallExpression(e.parent.parent))) {
    e = ts.isPropertyAccessExpression(e.parent) ? e.parent.parent : e.parent;
  }
  return !ts.isExpressionStatement(e.parent) && !ts.isVoidExpression(e.parent);
}

/** `export const runtime = 'edge'`, `export const config = { runtime: 'edge' }` (Next.js, Vercel): an edge function's file. */
function runsAtTheEdge(sf: ts.SourceFile): boolean {
  const edge = (e: ts.Expression | undefined): boolean => !!e && ts.isStringLiteralLike(skipOuter(e)) && /edge$/.test((skipOuter(e) as ts.StringLiteralLike).text);
  return sf.statements.some((st) => ts.isVariableStatement(st) && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) &&
    st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && (d.name.text === 'runtime' ? edge(d.initializer)
      : d.name.text === 'config' && !!d.initializer && ts.isObjectLiteralExpression(skipOuter(d.initializer)) &&
        (skipOuter(d.initializer) as ts.ObjectLiteralExpression).properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'runtime' && edge(p.initializer)))));
}

/**
 * `esClient().search(q)`, `new Client(o).index(doc)`: the client is the receiver of one method call and kept nowhere; not a
 * method that gives the client itself back (`createClient(o).connect()`, a listener's `on()`), nor a promise's `then`.
 */
function usedOnceInChain(node: ts.Expression, spec: CreatorSpec): boolean {
  const outer = skipOuterUp(node);
  const p = outer.parent;
  if (!ts.isPropertyAccessExpression(p) || p.expression !== outer || !ts.isCallExpression(p.parent) || p.parent.expression !== p) return false;
  const method = p.name.text;
  return !spec.returnsSelf?.includes(method) && !LISTEN_METHODS.has(method) && !CHAIN_KEEPERS.has(method) && !KINDS[spec.kind].release.includes(method);
}
/** Methods whose value keeps the client reachable (a promise of it, a copy, a handle bound to it). */
const CHAIN_KEEPERS = new Set([...PROMISE_CALLBACKS, ...HANDLES_KEEPING_CONNECTION, 'bind', 'child', 'extend', 'duplicate', 'producer', 'consumer']);


/**
 * The local the client is held in: `const client = new Pool(o)`, or a `let` of the function declared without a value
 * and given this one only (`let conn; try { conn = await amqp.connect(url); … } finally { await conn?.close() }`),
 * with the name the assignment writes.
 */
function declarationOf(node: ts.Expression, spec: CreatorSpec, fn: ts.FunctionLikeDeclaration, symbolOf: (n: ts.Node) => ts.Symbol | undefined):
    { decl: ts.VariableDeclaration & { name: ts.Identifier }; assigned?: ts.Identifier } | undefined {
  let value: ts.Node = node;
  for (;;) {
    const p = value.parent;
    // `const client = new Reprojector(addr, creds) as WarpClient`: a type assertion changes nothing of the value.
    if (ts.isParenthesizedExpression(p) || ts.isAwaitExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p) || ts.isNonNullExpression(p)) value = p;
    else if (ts.isPropertyAccessExpression(p) && p.expression === value && (spec.returnsSelf ?? []).includes(p.name.text) &&
        ts.isCallExpression(p.parent) && p.parent.expression === p) value = p.parent;
    else break;
  }
  const d = value.parent;
  if (ts.isVariableDeclaration(d) && d.initializer === value && ts.isIdentifier(d.name)) return { decl: d as ts.VariableDeclaration & { name: ts.Identifier } };
  if (!ts.isBinaryExpression(d) || d.operatorToken.kind !== ts.SyntaxKind.EqualsToken || d.right !== value || !ts.isIdentifier(d.left)) return undefined;
  const sym = symbolOf(d.left);
  const local = sym?.declarations?.[0];
  if (!local || !ts.isVariableDeclaration(local) || !ts.isIdentifier(local.name) || local.initializer || enclosingFunction(local) !== fn) return undefined;
  const writes = findNode(fn.body!, (x) => ts.isBinaryExpression(x) && x !== d && x.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(x.left) && symbolOf(x.left) === sym);
  return writes ? undefined : { decl: local as ts.VariableDeclaration & { name: ts.Identifier }, assigned: d.left };
}
