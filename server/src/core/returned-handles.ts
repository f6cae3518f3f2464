// What a project function's returned object literal hands its caller: a handle whose release method
// (`close`, `end`…) closes a resource the function made, or an object with one property holding such a
// resource (`return { client, db }`), which the caller then owns through that property.
import { ts } from 'ts-morph';
import { releaseMethods, ResourceKind } from './kinds';
import { OriginResolver } from './origins';
import { findNode, forEachReturn, isNullLiteral, promiseExecutor, skipOuter, stripParens, within } from './ast';
import { WRAPPER_RELEASE } from './creator-names';

/** The creator check and the symbols, as creators.ts has them. */
/** What a creator check tells: enough of creators.ts's CreatorMatch for this file. */
interface Match { kind: ResourceKind; callbackParam?: number; receiver?: ts.Expression; fixCall?: string; opensWith?: string[] }

export interface HandleLookup<M extends Match> {
  match: (n: ts.CallExpression | ts.NewExpression) => M | undefined;
  resolver: OriginResolver;
}

export interface HeldProperty<M extends Match> {
  name: string;
  match: M;
  symbol: ts.Symbol;
}

/**
 * `return { client, collection: (n) => client.db().collection(n) }`: an object with one property
 * holding a resource the function made (a local set from a creator); the caller owns that property.
 */
export function heldProperty<M extends Match>(obj: ts.ObjectLiteralExpression, fn: ts.FunctionLikeDeclaration, { match, resolver }: HandleLookup<M>, withTeardown = false): HeldProperty<M> | undefined {
  const held: HeldProperty<M>[] = [];
  for (const p of obj.properties) {
    const value = ts.isShorthandPropertyAssignment(p) ? p.name : ts.isPropertyAssignment(p) ? skipOuter(p.initializer) : undefined;
    if (!value || !p.name || !ts.isIdentifier(p.name)) continue;
    if (ts.isCallExpression(value) || ts.isNewExpression(value)) {
      if (match(value)) return undefined; // made right there: two resources, or one no variable names
      continue;
    }
    if (!ts.isIdentifier(value)) continue;
    const symbol = resolver.symbolOf(value);
    const decl = symbol?.declarations?.[0];
    const init = decl && ts.isVariableDeclaration(decl) && decl.initializer && within(decl, fn) ? skipOuter(decl.initializer) : undefined;
    const m = init && (ts.isCallExpression(init) || ts.isNewExpression(init)) ? match(init) : undefined;
    if (!m || m.callbackParam !== undefined || m.kind === 'response' || !symbol) continue;
    held.push({ name: p.name.text, match: m, symbol });
  }
  // `return { connection, channel }` with `channel = await connection.createConfirmChannel()`: the channel
  // is the connection's, closed with it; the caller owns the connection.
  let owners = held.filter((h) => !held.some((o) => o !== h && madeBy(h.match, o.symbol, resolver)));
  // `return { app, hub }` with a Fastify app the caller listens on: until then the app holds no port, the hub its connection.
  if (owners.length > 1) {
    const open = owners.filter((h) => h.match.kind !== 'server' || opensIn(fn, h.symbol, h.match.opensWith ?? ['listen'], resolver));
    if (open.length === 1) owners = open;
  }
  const found = owners.length === 1 ? owners[0] : undefined;
  // `teardown: () => { client.destroy(); server.close() }`: released through a function of the object, not by its holder.
  // (`withTeardown`: the property all the same, for a caller that takes only it: `const { server } = start()`.)
  if (!withTeardown && found && obj.properties.some((p) => releasesIn(p, found!.symbol, releaseMethods(found!.match.kind, found!.match.fixCall), resolver))) return undefined;
  // `app.addHook('onClose', async () => { await hub.close() }); return { app, hub }`: closed with another thing it hands out.
  if (found && closedWithSibling(obj, found, fn, resolver)) return undefined;
  return found;
}

/** `server.listen(…)` (or the kind's own opener) on the local `symbol` in `fn`. */
function opensIn(fn: ts.FunctionLikeDeclaration, symbol: ts.Symbol, openers: string[], resolver: OriginResolver): boolean {
  return !!fn.body && !!findNode(fn.body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && openers.includes(n.expression.name.text) &&
    ts.isIdentifier(n.expression.expression) && resolver.symbolOf(n.expression.expression) === symbol);
}

/** Close hooks and `'close'` listeners: what they are given runs when the object they are registered on closes. */
const CLOSE_HOOKS: Record<string, string> = { addHook: 'onClose', on: 'close', once: 'close' };

/**
 * Another property of the returned object is a local on which `fn` registers a close hook (Fastify's
 * `addHook('onClose', …)`, a `'close'` listener) that releases the held resource: whoever closes that one
 * closes both, and a caller taking only it (`({ app } = await buildApp())`) keeps nothing open.
 */
function closedWithSibling<M extends Match>(obj: ts.ObjectLiteralExpression, held: HeldProperty<M>, fn: ts.FunctionLikeDeclaration, resolver: OriginResolver): boolean {
  const siblings = new Set<ts.Symbol>();
  for (const p of obj.properties) {
    const value = ts.isShorthandPropertyAssignment(p) ? p.name : ts.isPropertyAssignment(p) ? skipOuter(p.initializer) : undefined;
    const sym = value && ts.isIdentifier(value) ? resolver.symbolOf(value) : undefined;
    if (sym && sym !== held.symbol) siblings.add(sym);
  }
  const release = releaseMethods(held.match.kind, held.match.fixCall);
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression) &&
        siblings.has(resolver.symbolOf(n.expression.expression)!)) {
      const event = n.arguments[0];
      const hook = CLOSE_HOOKS[n.expression.name.text];
      const cb = n.arguments[1] && skipOuter(n.arguments[1]);
      if (hook && event && ts.isStringLiteralLike(event) && event.text === hook && cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) &&
          releasesInBody(cb, held.symbol, release, resolver)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** A handle made by a method of the resource `owner` holds (`connection.createChannel()`). */
function madeBy(m: Match, owner: ts.Symbol, resolver: OriginResolver): boolean {
  const recv = m.receiver && stripParens(m.receiver);
  return !!recv && ts.isIdentifier(recv) && resolver.symbolOf(recv) === owner;
}

/**
 * `return { url, close: () => new Promise((r) => server.close(r)) }`: a handle object whose release
 * method (`close`, `end`, `destroy`…) releases a resource the function made. The caller owns the
 * handle, and through it the resource: the handle is of the resource's kind when its method is one of
 * that kind's releases (a server's `close`, so a handle started by `main()` stays long-lived), else a wrapper.
 */
/** The name of the handle's teardown: its first property named for a release (`close`, `stop`…) that is a function. */
export function teardownOf(obj: ts.ObjectLiteralExpression): string | undefined {
  const p = obj.properties.find((x) => x.name && WRAPPER_RELEASE.includes(x.name.getText()) && !!propertyFunction(x)?.body);
  return p?.name?.getText();
}

export function releaseHandle<M extends Match>(obj: ts.ObjectLiteralExpression, fn: ts.FunctionLikeDeclaration, { match, resolver }: HandleLookup<M>): ResourceKind | undefined {
  for (const p of obj.properties) {
    if (!p.name || !WRAPPER_RELEASE.includes(p.name.getText())) continue;
    const body = propertyFunction(p)?.body;
    if (!body) continue;
    let found: ResourceKind | undefined;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression)) {
        const decl = resolver.symbolOf(n.expression.expression)?.declarations?.[0];
        const init = decl && ts.isVariableDeclaration(decl) && within(decl, fn) ? (decl.initializer && !isNullLiteral(skipOuter(decl.initializer)) ? skipOuter(decl.initializer) : laterValue(decl, fn, resolver)) : undefined;
        const m = init && ts.isCallOrNewExpression(init) ? match(init as ts.CallExpression | ts.NewExpression) : undefined;
        // A creator's own release counts (a gRPC server's `tryShutdown()`: kinds.ts releaseMethods).
        if (m && m.callbackParam === undefined && releaseMethods(m.kind, m.fixCall).includes(n.expression.name.text)) {
          found = releaseMethods(m.kind, m.fixCall).includes(p.name!.getText()) ? m.kind : 'wrapper';
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    if (found) return found;
  }
  return undefined;
}

/**
 * `let ws = null; function connect() { ws = new WebSocket(url); … } connect(); return { close() { ws.close() } }`:
 * what a variable declared empty is first given, by the function's own code or by a local function it calls
 * in its own code (so before it returns). A reconnecting one gives it the same kind again.
 */
function laterValue(decl: ts.VariableDeclaration, fn: ts.FunctionLikeDeclaration, resolver: OriginResolver): ts.Expression | undefined {
  const symbol = ts.isIdentifier(decl.name) ? resolver.symbolOf(decl.name) : undefined;
  if (!symbol || !fn.body) return undefined;
  const ownCall = (f: ts.Node) => {
    const name = ts.isFunctionDeclaration(f) ? f.name : ts.isVariableDeclaration(f.parent) ? f.parent.name : undefined;
    const callee = name && ts.isIdentifier(name) ? resolver.symbolOf(name) : undefined;
    return !!callee && !!findNode(fn.body!, (c) => ts.isCallExpression(c) && ts.isIdentifier(c.expression) && resolver.symbolOf(c.expression) === callee, true);
  };
  const set = findNode(fn.body, (n) => ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) &&
    resolver.symbolOf(n.left) === symbol && !isNullLiteral(skipOuter(n.right))) as ts.BinaryExpression | undefined;
  if (!set) return undefined;
  const home = ts.findAncestor(set.parent, ts.isFunctionLike);
  return home === fn || (home && home.parent && ts.findAncestor(home.parent, ts.isFunctionLike) === fn && ownCall(home)) ? skipOuter(set.right) : undefined;
}

/** A property of a returned object whose function calls a release method on `symbol`. */
function releasesIn(p: ts.ObjectLiteralElementLike, symbol: ts.Symbol, release: string[], resolver: OriginResolver): boolean {
  const fn = propertyFunction(p);
  return !!fn && releasesInBody(fn, symbol, release, resolver);
}

/** A release of `symbol` (`hub.close()`) somewhere in `fn`. */
function releasesInBody(fn: ts.Node, symbol: ts.Symbol, release: string[], resolver: OriginResolver): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && release.includes(n.expression.name.text) &&
        ts.isIdentifier(n.expression.expression) && resolver.symbolOf(n.expression.expression) === symbol) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}

/** The function a property of an object literal holds: a method, or a function or arrow it is set to. */
function propertyFunction(p: ts.ObjectLiteralElementLike): ts.FunctionLikeDeclaration | undefined {
  if (ts.isMethodDeclaration(p)) return p;
  const v = ts.isPropertyAssignment(p) ? stripParens(p.initializer) : undefined;
  return v && (ts.isArrowFunction(v) || ts.isFunctionExpression(v)) ? v : undefined;
}

/**
 * The object literals the function hands out: returned (by any `return`, an arrow's body, or through a `const` of
 * the function holding one) or resolved by a promise it returns (`return new Promise((resolve) => … resolve({ port, close() {…} }))`).
 */
export function handedOutObjects(fn: ts.FunctionLikeDeclaration): ts.ObjectLiteralExpression[] {
  const body = fn.body;
  if (!body) return [];
  const out: ts.ObjectLiteralExpression[] = [];
  const asObject = (e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined => {
    const x = e && stripParens(e);
    const decl = x && ts.isIdentifier(x) ? findNode(body, (d) => ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) && d.name.text === x.text) as ts.VariableDeclaration | undefined : undefined;
    const value = decl?.initializer ? skipOuter(decl.initializer) : x && skipOuter(x);
    return value && ts.isObjectLiteralExpression(value) ? value : undefined;
  };
  const handOut = (value: ts.Expression) => {
    const obj = asObject(value);
    if (obj) return void out.push(obj);
    const executor = promiseExecutor(stripParens(value));
    const resolve = executor?.parameters[0]?.name;
    if (!executor || !resolve || !ts.isIdentifier(resolve)) return;
    findNode(executor.body, (c) => {
      const o = ts.isCallExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === resolve.text ? asObject(c.arguments[0]) : undefined;
      if (o) out.push(o);
      return false;
    });
  };
  if (ts.isBlock(body)) forEachReturn(body, (r) => r.expression && handOut(r.expression));
  else handOut(body as ts.Expression);
  return out;
}
