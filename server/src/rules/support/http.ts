// Recognising HTTP client requests, agent-taking options and server request handlers, for the
// connection-churn rule. Everything goes through the origin resolver (import/require bindings).
import { ts } from 'ts-morph';
import { skipOuter } from '../../core/ast';
import { LISTEN_METHODS } from '../../core/call-shapes';
import { CREATORS, PER_REQUEST_PROXIES } from '../../core/catalog';
import type { CreatorSpec } from '../../core/creator-spec';
import { serverApi } from '../../core/listeners';
import { RuleContext } from '../../core/rule';
import { methodCall, originOf, propName } from '../../core/syntax';


const CLIENT_MODULES = new Set(['node-fetch', 'axios', 'got', 'superagent', 'cross-fetch', 'isomorphic-fetch', '@hapi/wreck']);
const FACTORIES = new Set(['create', 'extend', 'defaults']);
export const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream']);

/** 'request' for one HTTP request, 'factory' for a client instance (`axios.create`, `got.extend`). */
export function requestKind(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression): 'request' | 'factory' | undefined {
  if (ts.isNewExpression(call)) return undefined;
  const o = ctx.resolver.ofBinding(call.expression);
  if (o && !o.instance) {
    const path = o.path.join('.');
    if ((o.module === 'http' || o.module === 'https') && (path === 'request' || path === 'get')) return 'request';
    if (o.module === 'global' && path === 'fetch') return 'request';
    if (o.module === 'undici' && ['fetch', 'request', 'stream', 'pipeline'].includes(path)) return 'request';
    if (CLIENT_MODULES.has(o.module)) return FACTORIES.has(o.path[o.path.length - 1] ?? '') ? 'factory' : 'request';
    // `httpProxy.createProxyServer({ target, agent })`: every `proxy.web(req, res)` goes through its agent.
    if (perRequestProxy(ctx, call)) return 'factory';
    return undefined;
  }
  const m = methodCall(call);
  // `proxy.web(req, res, { target, agent })`: one proxied request, through the agent of its options.
  if (m && PROXY_METHODS.has(m.name) && proxyInstance(ctx, m.recv)) return 'request';
  // `api.get(url, opts)` on an instance made by `axios.create()` / `got.extend()`.
  if (!m || !HTTP_METHODS.has(m.name)) return undefined;
  // Bindings only: `map.get(k)` is everywhere, and typing every receiver would cost as much as tsc.
  const r = ctx.resolver.ofBinding(m.recv);
  if (r && r.instance && CLIENT_MODULES.has(r.module) && FACTORIES.has(r.path[r.path.length - 1] ?? '')) return 'request';
  // `this.http.get(url, { httpsAgent, timeout })` on an instance given to the class: options only axios takes.
  if (call.arguments.some((a) => { const o = skipOuter(a); return ts.isObjectLiteralExpression(o) && o.properties.some((p) => AXIOS_AGENT_KEYS.has(propName(p) ?? '')); })) return 'request';
  return undefined;
}

const AXIOS_AGENT_KEYS = new Set(['httpAgent', 'httpsAgent']);

/**
 * `new http.Agent()`, `new undici.Pool(origin)`...: the label and the catalog's entry, or undefined
 * when it is no connection pool of its own (a wrapper of another dispatcher holds none).
 */
export function agentOf(ctx: RuleContext, node: ts.NewExpression): CatalogCreator | undefined {
  const found = catalogCreatorOf(ctx, node, (c) => c.kind === 'agent');
  return found && !found.spec.wrapsDispatcher ? found : undefined;
}

export interface CatalogCreator {
  /** `http.Agent`, `pg.Pool`: module and export path, for messages. */
  label: string;
  spec: CreatorSpec;
  /**
   * Made by a module-local factory (`function createMailer() { return nodemailer.createTransport(…) }`): its creation,
   * where a client per call is reported, and every call of the factory, which that finding speaks for.
   */
  factory?: { creation: ts.CallExpression | ts.NewExpression; calls: ts.CallExpression[] };
}

/** The catalog entry `accept` picks for what this call or `new` makes (`new pg.Pool()`, `redis.createClient()`). */
export function catalogCreatorOf(ctx: RuleContext, node: ts.CallExpression | ts.NewExpression, accept: (c: CreatorSpec) => boolean): CatalogCreator | undefined {
  const o = ctx.resolver.ofBinding(node.expression);
  if (!o || o.instance) return undefined;
  const path = o.path.join('.');
  const isNew = ts.isNewExpression(node);
  // `accept` last: it may ask how often the code runs, which is dear (frequency.ts).
  const spec = CREATORS.find((c) => c.modules.includes(o.module) && c.names.includes(path) && (c.via === 'any' || (c.via === 'new') === isNew) && accept(c));
  return spec && { label: path ? `${o.module}.${path}` : o.module, spec };
}

/** The methods of an http-proxy server that proxy one request; their options override the server's. */
export const PROXY_METHODS = new Set(['web', 'ws']);

/** A value made by `httpProxy.createProxyServer(…)`. */
export function proxyInstance(ctx: RuleContext, recv: ts.Expression): boolean {
  const r = ctx.resolver.ofBinding(recv);
  return !!r && r.instance && PER_REQUEST_PROXIES.some((p) => p.modules.includes(r.module) && p.names.includes(r.path.join('.')));
}

/** `httpProxy.createProxyServer(opts)`: a proxy that opens an upstream connection per request unless given an agent. */
export function perRequestProxy(ctx: RuleContext, call: ts.CallExpression): string | undefined {
  const o = ctx.resolver.ofBinding(call.expression);
  if (!o || o.instance) return undefined;
  const path = o.path.join('.');
  return PER_REQUEST_PROXIES.some((p) => p.modules.includes(o.module) && p.names.includes(path)) ? `${o.module}.${path}` : undefined;
}

/** A function that handles requests of an http(s) server or an express app: its `res` parameter. */
export function responseParam(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): ts.Symbol | undefined {
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return undefined;
  const p = fn.parameters[1];
  if (!p || !ts.isIdentifier(p.name)) return undefined;
  const o = ctx.resolver.ofBinding(call.expression);
  let handler = !!o && !o.instance && (o.module === 'http' || o.module === 'https') && o.path.join('.') === 'createServer';
  const m = methodCall(call);
  if (!handler && m) {
    const r = originOf(ctx, m.recv);
    const api = serverApi(r);
    if ((m.name === 'on' || m.name === 'once') && ts.isStringLiteralLike(call.arguments[0]) && call.arguments[0].text === 'request') {
      handler = api === 'http.Server' || api === 'https.Server';
    } else if (['get', 'post', 'put', 'patch', 'delete', 'all', 'use', 'options', 'head'].includes(m.name)) {
      handler = !!r && r.instance && r.module === 'express' && (r.path.length === 0 || ['default', 'Router'].includes(r.path.join('.')));
    }
  }
  return handler ? ctx.resolver.symbolOf(p.name) : undefined;
}

/** The statement runs on every call of the function: directly in its body (or a `try` block of it). */
export function runsEveryTime(stmt: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return false;
  const parent = stmt.parent;
  if (parent === body) return true;
  return ts.isBlock(parent) && ts.isTryStatement(parent.parent) && parent.parent.tryBlock === parent && parent.parent.parent === body;
}


/**
 * A request that asks to switch protocols (a WebSocket handshake): it has an `'upgrade'` listener,
 * chained or on the variable that holds it. Node hands the upgraded socket to that listener and takes
 * it out of every agent (`lib/_http_client.js`), so no agent could have pooled it.
 */
export function isUpgradeRequest(ctx: RuleContext, call: ts.CallExpression): boolean {
  let e: ts.Node = call;
  while (ts.isParenthesizedExpression(e.parent) || (ts.isBinaryExpression(e.parent) && e.parent.right === e && e.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken)) e = e.parent;
  const holder = ts.isVariableDeclaration(e.parent) && ts.isIdentifier(e.parent.name) ? ctx.resolver.symbolOf(e.parent.name) : undefined;
  const scope = ts.findAncestor(call.parent, (n) => ts.isFunctionLike(n) || ts.isSourceFile(n));
  const isRequest = (recv: ts.Expression): boolean => {
    let r = skipOuter(recv);
    // `http.request(o).on('error', h).on('upgrade', u)`: each listener registration returns the request.
    for (let m = methodCall(r); r !== call && m && LISTEN_METHODS.has(m.name); m = methodCall(r)) r = skipOuter(m.recv);
    return r === call || (!!holder && ts.isIdentifier(r) && ctx.resolver.symbolOf(r) === holder);
  };
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    const m = methodCall(n);
    const event = m?.call.arguments[0];
    if (m && LISTEN_METHODS.has(m.name) && event && ts.isStringLiteralLike(event) && event.text === 'upgrade' && isRequest(m.recv)) found = true;
    else ts.forEachChild(n, visit);
  };
  if (scope) visit(scope);
  return found;
}
