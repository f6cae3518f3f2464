// A client per server is no churn: each server needs one of its own. The iteration picks the server where the
// client's options read the loop's variable, or, through a call, where every caller in the project passes an
// element of a list for the parameter those options read.
import { ts } from 'ts-morph';
import { RuleContext } from '../../core/rule';
import { enclosingFunction } from '../../core/syntax';
import { elementCallback, skipParensUp } from '../../core/call-shapes';
import { projectCallsOf } from '../../core/run-rate';
import { inTestCode } from '../../core/execution';
import { usesLoopVariable } from './agent-options';
import { runsForEveryEvent } from './frequency';
import { bindingNames, findNode, skipOuter, stripParens } from '../../core/ast';

/** Options that pick a database (a keyspace, a schema) on the servers the other options name. */
const DATABASE_OPTIONS = new Set(['keyspace', 'database', 'db', 'dbName', 'defaultDatabase', 'schema']);


/**
 * The iteration picks the server: the client's arguments read the loop's variable (`for (const t of tenants)
 * new Pool({ connectionString: t.url })`) or the element an array method's callback is given (`seeds.map(async
 * (seed) => new Redis({ host: seed.host }))`, a probe of each cluster seed): each server needs a client of its own.
 */
export function picksServer(node: ts.CallExpression | ts.NewExpression, fn: ts.FunctionLikeDeclaration, loop: ts.IterationStatement | undefined): boolean {
  const args = node.arguments ?? [];
  // `new cassandra.Client({ contactPoints, keyspace })` for each tenant keyspace: the same servers, another database.
  const picks = (a: ts.Expression): boolean => {
    const o = stripParens(a);
    if (!ts.isObjectLiteralExpression(o)) return usesLoopVariable(a, loop!);
    return o.properties.some((p) => !DATABASE_OPTIONS.has(p.name && ts.isIdentifier(p.name) ? p.name.text : '') && usesLoopVariable(p as unknown as ts.Expression, loop!));
  };
  if (loop) return args.some(picks);
  const element = fn.parameters[0];
  if (!element || !elementCallback(fn)) return false;
  const names = new Set(bindingNames(element.name));
  return args.some((a) => !!findNode(a, (n) => ts.isIdentifier(n) && names.has(n.text)) || (ts.isIdentifier(a) && names.has(a.text)));
}

/** Options that name the server (not the database, the credentials or a timeout). */
const SERVER_OPTIONS = new Set(['host', 'hostname', 'server', 'servers', 'url', 'uri', 'connectionString', 'contactPoints', 'node', 'nodes',
  'address', 'endpoint', 'target', 'socketPath', 'brokers']);

/**
 * `rotateMssqlLogin(target)` makes `new sql.ConnectionPool({ server: target.server, … })`, and every call of it in
 * the project passes an element of a list for `target` (`for (const t of plan.mssql) await step(…, () =>
 * rotateMssqlLogin(t))`, or the element an array method's callback is given): a client per server, one per call
 * because each call goes to another one. Not when the list is the module's own and the loop runs for every event
 * (sameServersEveryEvent).
 */
export function callersPickServer(ctx: RuleContext, node: ts.CallExpression | ts.NewExpression, fn: ts.FunctionLikeDeclaration): boolean {
  const picked = fn.parameters.flatMap((p, i) => (namesServer(node, new Set(bindingNames(p.name))) ? [i] : []));
  return picked.length > 0 && callsPick(ctx, fn, picked, 0) === true;
}

/**
 * Every call of `fn` in the application (not its tests': `printLabel('127.0.0.1', zpl, { port })` against a test server)
 * passes, for one of the `picked` parameters, an element of a list, something the request names, or, up to two calls
 * up, a parameter its own callers fill with what their request names: `sendCommand(machine.ip, cmd)` in `startCycle(machine)`, which a route
 * calls with the machine its request names.
 */
function callsPick(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, picked: number[], depth: number): boolean | undefined {
  const calls = projectCallsOf(ctx, fn as Parameters<typeof projectCallsOf>[1])?.filter((id) => !inTestCode(id));
  if (!calls?.length) return depth > 0 ? undefined : false;
  // A call from a function nothing in the application calls (an exported `unlockDoor(machine)`) says nothing either way.
  const verdicts = calls.map((id) => {
    const callee = ts.isPropertyAccessExpression(id.parent) && id.parent.name === id ? id.parent : id;
    const call = callee.parent;
    if (!ts.isCallExpression(call) || call.expression !== callee) return false;
    // Up the calls, only what a request names: an element read further up may be a message of a queue, whose servers repeat.
    const direct = picked.some((i) => !!call.arguments[i] && ((depth === 0 && readsElement(ctx, call.arguments[i], call)) || readsRequestData(ctx, call.arguments[i])));
    if (direct || depth >= 2) return direct;
    const up = picked.map((i) => call.arguments[i] && readsPickedParameter(ctx, call.arguments[i], call, depth));
    return up.some((v) => v === true) ? true : up.every((v) => v === undefined) ? undefined : false;
  });
  return verdicts.every((v) => v !== false) && verdicts.some((v) => v === true);
}

function readsPickedParameter(ctx: RuleContext, arg: ts.Expression, call: ts.CallExpression, depth: number): boolean | undefined {
  const caller = enclosingFunction(call) as ts.FunctionLikeDeclaration | undefined;
  if (!caller || !caller.parameters) return false;
  const reads = (names: Set<string>) => (ts.isIdentifier(arg) && names.has(arg.text)) || !!findNode(arg, (n) => ts.isIdentifier(n) && names.has(n.text));
  const picked = caller.parameters.flatMap((p, i) => (reads(new Set(bindingNames(p.name))) ? [i] : []));
  return picked.length > 0 ? callsPick(ctx, caller, picked, depth + 1) : false;
}

/**
 * `req.body.printerHost`, or a `const` the handler derived from the request: `` `${host}:${port}` `` with `const host =
 * await lockerHost(req.params.id)` — the request picks the device, each its own server.
 */
function readsRequestData(ctx: RuleContext, arg: ts.Expression): boolean {
  const reads = (e: ts.Node) => readsRequest(e as ts.Expression) || !!findNode(e, (n) => ts.isPropertyAccessExpression(n) && readsRequest(n));
  if (reads(arg)) return true;
  const derived = (n: ts.Node): boolean => {
    if (!ts.isIdentifier(n)) return false;
    const decl = ctx.resolver.symbolOf(n)?.valueDeclaration;
    return !!decl && ts.isVariableDeclaration(decl) && !!decl.initializer && !!(decl.parent.flags & ts.NodeFlags.Const) && reads(decl.initializer);
  };
  // The const itself (`startCycle(machine, …)`), or one the argument reads (findNode looks below its root).
  return derived(skipOuter(arg)) || !!findNode(arg, derived);
}

/** `req.body.printerHost`, `request.query.host`: the request names the server (a printer, a device of the user's). */
function readsRequest(arg: ts.Expression): boolean {
  let e = skipOuter(arg);
  const path: string[] = [];
  while (ts.isPropertyAccessExpression(e)) { path.unshift(e.name.text); e = skipOuter(e.expression); }
  return ts.isIdentifier(e) && /^req(uest)?$/.test(e.text) && REQUEST_PARTS.has(path[0] ?? '');
}
const REQUEST_PARTS = new Set(['body', 'query', 'params']);

/** The client's arguments name the server with one of `names`: the whole argument, or a server option of its literal. */
function namesServer(node: ts.CallExpression | ts.NewExpression, names: ReadonlySet<string>): boolean {
  const reads = (e: ts.Node) => !!findNode(e, (n) => ts.isIdentifier(n) && names.has(n.text)) || (ts.isIdentifier(e) && names.has(e.text));
  return (node.arguments ?? []).some((a) => {
    const o = stripParens(a);
    if (!ts.isObjectLiteralExpression(o)) return reads(o);
    return o.properties.some((p) => (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && SERVER_OPTIONS.has(p.name.text) && reads(p.initializer)) ||
      (ts.isShorthandPropertyAssignment(p) && SERVER_OPTIONS.has(p.name.text) && names.has(p.name.text)));
  });
}

/** `t`, `t.server`: an identifier of the argument is a loop's variable or the element an array method's callback is given. */
function readsElement(ctx: RuleContext, arg: ts.Expression, at?: ts.Node): boolean {
  const element = (n: ts.Node): boolean => {
    if (!ts.isIdentifier(n)) return false;
    const decl = ctx.resolver.symbolOf(n)?.valueDeclaration;
    if (!decl) return false;
    if (ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && (ts.isForOfStatement(decl.parent.parent) || ts.isForInStatement(decl.parent.parent))) {
      const loop = decl.parent.parent;
      const around = enclosingFunction(loop);
      // `for (const ex of extractors) void (async () => { while (!stopped) await exchange(ex, req) })()`: a loop inside
      // the one over the servers polls the same server again and again.
      if (at && ts.findAncestor(at.parent, (a) => a === loop || (ts.isIterationStatement(a, false) && a !== loop)) !== loop) return false;
      return !(around && sameServersEveryEvent(ctx, loop, around));
    }
    if (!ts.isParameter(decl) || decl.parent.parameters[0] !== decl || !elementCallback(decl.parent)) return false;
    // `this.pits.map(async (pit) => readJacks(pit))` in a poll tick: the same servers again on every tick.
    const call = skipParensUp(decl.parent).parent as ts.CallExpression;
    const around = enclosingFunction(call);
    return !(around && ts.isPropertyAccessExpression(call.expression) && sameListEveryEvent(ctx, call.expression.expression, around));
  };
  return element(arg) || !!findNode(arg, element);
}

/**
 * `for (const origin of config.origins)` in a function that runs for every event: the loop reads a value of the module
 * (a constant, an import), so every call makes a client for each of the same servers again.
 */
export function sameServersEveryEvent(ctx: RuleContext, loop: ts.IterationStatement, fn: ts.SignatureDeclaration): boolean {
  return ts.isForOfStatement(loop) && sameListEveryEvent(ctx, loop.expression, fn);
}

/** The list (`config.origins`, `this.hosts`) is the same on every run of `fn`, which runs for every event. */
function sameListEveryEvent(ctx: RuleContext, list: ts.Expression, fn: ts.SignatureDeclaration): boolean {
  const decl = listDeclaration(ctx, list);
  return (decl ? ofModule(decl) || capturedBy(decl, fn) : fieldSetAtConstruction(list, fn)) && runsForEveryEvent(ctx, fn);
}

/**
 * `for (const host of this.hosts)` in a method of a poller whose constructor was given the hosts: a field only the
 * constructor sets is the same list on every run.
 */
function fieldSetAtConstruction(list: ts.Expression, fn: ts.SignatureDeclaration): boolean {
  let e = skipOuter(list);
  while (ts.isPropertyAccessExpression(e) && ts.isPropertyAccessExpression(skipOuter(e.expression))) e = skipOuter(e.expression);
  // In a method, or in a function of one (`const tick = async () => { … }` of `start()`).
  const cls = ts.findAncestor(fn, ts.isClassLike);
  if (!ts.isPropertyAccessExpression(e) || e.expression.kind !== ts.SyntaxKind.ThisKeyword || !cls) return false;
  const field = e.name.text;
  return !findNode(cls, (n) => ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) &&
    n.left.expression.kind === ts.SyntaxKind.ThisKeyword && n.left.name.text === field && !ts.findAncestor(n, ts.isConstructorDeclaration));
}

/** The declaration of the list a `for…of` (or an array method) iterates (`config.origins` → `config`). */
function listDeclaration(ctx: RuleContext, list: ts.Expression): ts.Declaration | undefined {
  let root = skipOuter(list);
  while (ts.isPropertyAccessExpression(root)) root = skipOuter(root.expression);
  return ts.isIdentifier(root) ? ctx.resolver.symbolOf(root)?.declarations?.[0] : undefined;
}

/** A value of the module: an import, or a variable of its top level. */
function ofModule(decl: ts.Declaration): boolean {
  if (ts.isImportSpecifier(decl) || ts.isImportClause(decl) || ts.isNamespaceImport(decl)) return true;
  return ts.isVariableDeclaration(decl) && ts.isVariableStatement(decl.parent.parent) && ts.isSourceFile(decl.parent.parent.parent);
}

/**
 * `pollPower(hosts)` whose `tick` (run by an interval) loops `for (const host of hosts)`: a list the per-event function
 * captures from the one that started it, the same on every run.
 */
function capturedBy(decl: ts.Declaration, fn: ts.SignatureDeclaration): boolean {
  return (ts.isParameter(decl) || ts.isVariableDeclaration(decl)) && !(decl.pos >= fn.pos && decl.end <= fn.end) && !!ts.findAncestor(decl, ts.isFunctionLike);
}

