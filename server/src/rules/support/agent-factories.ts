// Agents handed out by a function of the project: `return new Agent(…)` (a dispatcher per endpoint),
// or an options object built per call with a new agent in it (`return { agent: { http: new
// http.Agent() } }`). Each call makes a new pool; fed to one request each, none is ever reused.
import { ts } from 'ts-morph';
import { RuleContext } from '../../core/rule';
import { enclosingFunction, isConst, propName } from '../../core/syntax';
import { projectFunctionOfSymbol, skipOuter } from '../../core/ast';
import { PROMISE_CALLBACKS } from '../../core/call-shapes';
import { thisCalls } from '../../core/class-calls';
import { HTTP_METHODS, requestKind } from './http';
import { AGENT_KEYS, GOT_AGENT_KEYS } from '../../core/catalog';


/** What a factory hands out with the agent in it: the agent, an options object, or a client (`axios.create({ httpsAgent })`). */
export type Product = 'agent' | 'options' | 'client';

/**
 * What `fn` returns that holds the agent made at `value` (the `new` through conditionals): the agent
 * itself, or an options object with it under an agent key. Undefined when it stays in `fn`.
 */
export function returnedAgent(ctx: RuleContext, value: ts.Node, fn: ts.FunctionLikeDeclaration): Product | undefined {
  if (returns(value, fn)) return 'agent';
  let p = value.parent;
  // got's `agent: { https: new https.Agent() }`.
  if (ts.isPropertyAssignment(p) && GOT_AGENT_KEYS.has(propName(p) ?? '') && ts.isObjectLiteralExpression(p.parent) &&
      ts.isPropertyAssignment(p.parent.parent) && propName(p.parent.parent) === 'agent') p = p.parent.parent;
  if (!ts.isPropertyAssignment(p) || !AGENT_KEYS.has(propName(p) ?? '') || !ts.isObjectLiteralExpression(p.parent)) return undefined;
  if (returns(p.parent, fn)) return 'options';
  // `return axios.create({ httpsAgent: new https.Agent() })`: a client per call, with its own agent.
  const factory = p.parent.parent;
  return ts.isCallExpression(factory) && factory.arguments.includes(p.parent) && returns(factory, fn) && requestKind(ctx, factory) === 'factory' ? 'client' : undefined;
}

/** `return e` or an arrow's expression body `=> e` of `fn` itself (not of a nested function). */
function returns(e: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  let x = e;
  while (ts.isParenthesizedExpression(x.parent) || ts.isAsExpression(x.parent) || ts.isSatisfiesExpression(x.parent)) x = x.parent;
  const p = x.parent;
  if (ts.isArrowFunction(p) && p.body === x) return p === fn;
  return ts.isReturnStatement(p) && enclosingFunction(p) === fn;
}

/**
 * The requests of this file that each get a new product of `fn`: `fetch(u, { dispatcher: dispatcherFor(e) })`
 * for an agent; `got(u, options(id))` or `got(u, { ...options(id), searchParams })` for options.
 */
export function requestsFedBy(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, product: Product): Array<{ call: ts.CallExpression; request: ts.CallExpression }> {
  return callsOf(ctx, fn).flatMap((call) => {
    const request = requestFed(ctx, call, product);
    return request ? [{ call, request }] : [];
  });
}

/** The calls of `fn`: by its name in the file, or as `this.name()` in its class for an instance method (`#nextDispatcher()` too). */
function callsOf(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): ts.CallExpression[] {
  if (ts.isMethodDeclaration(fn) && ts.isClassLike(fn.parent) && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name)) &&
      !fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return thisCalls(fn.parent, fn.name.text);
  const sym = nameSymbol(ctx, fn);
  if (!sym) return [];
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === sym.getName() && ctx.resolver.symbolOf(n.expression) === sym) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return out;
}

/** The request `call` (a call of a factory) feeds its product to, if it is used as that request's agent or options. */
export function requestFed(ctx: RuleContext, call: ts.CallExpression, product: Product): ts.CallExpression | undefined {
  let x: ts.Node = call;
  while (ts.isParenthesizedExpression(x.parent) || ts.isAwaitExpression(x.parent)) x = x.parent;
  const p = x.parent;
  // `shippingApi().post(url, body)`: the client is used for this one request.
  if (product === 'client') {
    // `const api = paymentsApi(key); await api.post(url, body)`: through a constant used for that one request alone.
    if (ts.isVariableDeclaration(p) && p.initializer === x && ts.isIdentifier(p.name) && isConst(p)) return onlyRequestOf(ctx, p.name, 'client');
    return ts.isPropertyAccessExpression(p) && p.expression === x && ts.isCallExpression(p.parent) && p.parent.expression === p &&
      HTTP_METHODS.has(p.name.text) ? p.parent : undefined;
  }
  // `const dispatcher = createDispatcher(); await request(u, { dispatcher })`: through a constant used for one request; also
  // a parameter's default, made on every call that passes none (`async function latestPosition(id, { agent = vesselAgent(ca) } = {})`).
  const named = (ts.isVariableDeclaration(p) && isConst(p)) || ts.isBindingElement(p) || ts.isParameter(p);
  if (product === 'agent' && named && p.initializer === x && ts.isIdentifier(p.name)) return onlyRequestOf(ctx, p.name);
  let options: ts.Node | undefined;
  if (product === 'agent') {
    if (!ts.isPropertyAssignment(p) || p.initializer !== x) return undefined;
    // got's `agent: { https: makeAgent('https') }`: the agent of that request's protocol.
    const holder = GOT_AGENT_KEYS.has(propName(p) ?? '') && ts.isObjectLiteralExpression(p.parent) && ts.isPropertyAssignment(p.parent.parent) &&
      propName(p.parent.parent) === 'agent' ? p.parent.parent : p;
    if (!AGENT_KEYS.has(propName(holder) ?? '')) return undefined;
    options = holder.parent;
  } else if (ts.isSpreadAssignment(p)) {
    options = p.parent;
  } else {
    options = x;
  }
  const request = options.parent;
  if (!ts.isCallExpression(request) || !request.arguments.includes(options as ts.Expression) || request === call) return undefined;
  return requestKind(ctx, request) === 'request' ? request : undefined;
}

/** Methods of an undici `Client`/`Pool`/`Agent` that send one request through it. */
export const DISPATCH_METHODS = new Set(['request', 'stream', 'pipeline']);

/**
 * The one request the constant `name` serves, when it is used for nothing else (an agent: but closing it). An agent is given
 * to it (`{ dispatcher }`) or sends it itself (an undici dispatcher's `client.request(o)`); a client instance sends it
 * (`api.post(…)`).
 */
export function onlyRequestOf(ctx: RuleContext, name: ts.Identifier, product: 'agent' | 'client' = 'agent'): ts.CallExpression | undefined {
  const sym = ctx.resolver.symbolOf(name);
  const scope = enclosingFunction(name);
  if (!sym || !scope?.body) return undefined;
  const requests: ts.CallExpression[] = [];
  let other = false;
  const methodCall = (p: ts.Node, n: ts.Node, methods: ReadonlySet<string>) =>
    ts.isPropertyAccessExpression(p) && p.expression === n && methods.has(p.name.text) && ts.isCallExpression(p.parent) && p.parent.expression === p;
  const visit = (n: ts.Node): void => {
    if (other) return;
    if (ts.isIdentifier(n) && n !== name && n.text === name.text && ctx.resolver.symbolOf(n) === sym) {
      const p = n.parent;
      const request = product === 'agent' && ((ts.isPropertyAssignment(p) && p.initializer === n) || ts.isShorthandPropertyAssignment(p)) ? p.parent.parent : undefined;
      if (request && AGENT_KEYS.has(propName(p as ts.ObjectLiteralElementLike) ?? '') && ts.isCallExpression(request) && requestKind(ctx, request) === 'request') requests.push(request);
      else if (methodCall(p, n, product === 'agent' ? DISPATCH_METHODS : HTTP_METHODS)) requests.push(p.parent as ts.CallExpression);
      else if (!(product === 'agent' && methodCall(p, n, AGENT_CLOSES))) other = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope.body);
  // A request in a closure the function hands on (`retryUntil(async () => request(u, { dispatcher: agent }))`) may run again and again.
  return !other && requests.length === 1 && runsOnceIn(requests[0], scope) ? requests[0] : undefined;
}

/** `n` runs once per call of `scope`: in its own code, a promise's executor, or a `then`/`catch`/`finally` callback. */
function runsOnceIn(n: ts.Node, scope: ts.Node): boolean {
  for (let fn = enclosingFunction(n); fn && fn !== scope; fn = enclosingFunction(fn)) {
    let x: ts.Node = fn;
    while (ts.isParenthesizedExpression(x.parent)) x = x.parent;
    const call = x.parent;
    const once = ts.isNewExpression(call) ? ts.isIdentifier(call.expression) && call.expression.text === 'Promise'
      : ts.isCallExpression(call) && call.arguments.includes(x as ts.Expression) && ts.isPropertyAccessExpression(call.expression) && PROMISE_CALLBACKS.has(call.expression.name.text);
    if (!once) return false;
  }
  return true;
}
const AGENT_CLOSES: ReadonlySet<string> = new Set(['close', 'destroy']);

/** The function a call's callee names, when it is a function of the project (through imports). */
export function projectFunctionOf(ctx: RuleContext, call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
  const callee = skipOuter(call.expression);
  return ts.isIdentifier(callee) ? projectFunctionOfSymbol(ctx.checker, ctx.resolver.symbolOf(callee)) : undefined;
}

/** `getJson(path, agent)`: the parameter of the project function `getJson` that `arg` is given to (a plain name, not a rest parameter). */
/**
 * `postJson(url, body, { agent, timeoutMs: 3000 })` where the project's `postJson(url, body, { agent, headers } = {})` puts
 * the `agent` it destructures into the options of its one request: that call is a request made with it.
 */
export function destructuredOptionHelper(ctx: RuleContext, option: ts.ObjectLiteralElementLike, call: ts.CallExpression): ts.CallExpression | undefined {
  const index = call.arguments.findIndex((a) => a.pos <= option.pos && option.end <= a.end);
  const param = index >= 0 ? projectFunctionOf(ctx, call)?.parameters[index] : undefined;
  const key = propName(option);
  const el = param && ts.isObjectBindingPattern(param.name) ? param.name.elements.find((e) => !e.dotDotDotToken && ts.isIdentifier(e.name) &&
    (e.propertyName ? ts.isIdentifier(e.propertyName) && e.propertyName.text === key : e.name.text === key)) : undefined;
  return el && onlyRequestOf(ctx, el.name as ts.Identifier) ? call : undefined;
}

export function projectParameterFor(ctx: RuleContext, arg: ts.Identifier): (ts.ParameterDeclaration & { name: ts.Identifier }) | undefined {
  const call = arg.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(arg)) return undefined;
  const param = projectFunctionOf(ctx, call)?.parameters[call.arguments.indexOf(arg)];
  return param && ts.isIdentifier(param.name) && !param.dotDotDotToken ? param as ts.ParameterDeclaration & { name: ts.Identifier } : undefined;
}

function nameSymbol(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): ts.Symbol | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name) return ctx.resolver.symbolOf(fn.name);
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return ctx.resolver.symbolOf(fn.parent.name);
  return undefined;
}

/** The agent `fn` makes and hands out, if any: the first `new` of a catalog agent that it returns or returns options with. */
export function agentMadeBy(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, isAgent: (n: ts.NewExpression) => string | undefined): { node: ts.NewExpression; label: string; product: Product } | undefined {
  let found: { node: ts.NewExpression; label: string; product: Product } | undefined;
  const visit = (n: ts.Node): void => {
    if (found || (n !== fn && ts.isFunctionLike(n))) return;
    if (ts.isNewExpression(n)) {
      const label = isAgent(n);
      let value: ts.Node = n;
      while ((ts.isConditionalExpression(value.parent) && value.parent.condition !== value) || ts.isParenthesizedExpression(value.parent)) value = value.parent;
      const product = label ? returnedAgent(ctx, value, fn) : undefined;
      if (label && product) found = { node: n, label, product };
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}
