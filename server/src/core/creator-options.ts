// What the options given to a catalog creator ask for (`lazyConnect: true`, `{ server }`, `pool: true`,
// `responseType: 'stream'`): read from the options literal at the call, never from options built elsewhere.
import { ts } from 'ts-morph';
import { assignmentsTo, constInitializer, skipOuter, stripParens } from './ast';
import { lendsClientOption, POOLS_KEEPING_IDLE } from './catalog';
import { findProp } from './syntax';
import { KINDS, ResourceKind } from './kinds';
import type { Origin } from './origins';

/** ioredis `lazyConnect: true`, anywhere in the options: no connection exists until `connect()` or a command. */
export function asksLazyConnect(node: ts.CallExpression | ts.NewExpression): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'lazyConnect' && n.initializer.kind === ts.SyntaxKind.TrueKeyword) found = true;
    else ts.forEachChild(n, visit);
  };
  for (const a of node.arguments ?? []) visit(a);
  return found;
}

/**
 * An options literal that sets `name: true` (`value` false: `name: false`), and no spread after it that
 * sets it too; with `symbolOf`, also a variable set to one once (`let opts = { keepAlive: true }`). A spread
 * of settings from elsewhere (`{ pool: true, ...account.smtp }`) is taken for what such settings hold: the
 * server, the credentials; the option written out stands.
 */
export function setsTrue(arg: ts.Expression | undefined, name: string, value = true, symbolOf?: (n: ts.Node) => ts.Symbol | undefined): boolean {
  let a = arg && stripParens(arg);
  const sym = a && symbolOf && ts.isIdentifier(a) ? symbolOf(a) : undefined;
  const decl = sym?.valueDeclaration;
  if (symbolOf && sym && decl && ts.isVariableDeclaration(decl) && decl.initializer) {
    const later = assignmentsTo(decl, sym, symbolOf);
    if (!later.values.length && !later.other) a = stripParens(decl.initializer);
  }
  if (!a || !ts.isObjectLiteralExpression(a)) return false;
  const literal = value ? ts.SyntaxKind.TrueKeyword : ts.SyntaxKind.FalseKeyword;
  let sets = false;
  for (const p of a.properties) {
    if (ts.isSpreadAssignment(p)) sets &&= !spreadNames(p.expression, name, symbolOf);
    else if (ts.isPropertyAssignment(p) && p.name && ts.isIdentifier(p.name) && p.name.text === name) sets = p.initializer.kind === literal;
  }
  return sets;
}

/** The spread is of an object literal (written there, or a `const` set to one) that has property `name`. */
function spreadNames(e: ts.Expression, name: string, symbolOf?: (n: ts.Node) => ts.Symbol | undefined): boolean {
  let x = stripParens(e);
  const decl = symbolOf && ts.isIdentifier(x) ? symbolOf(x)?.valueDeclaration : undefined;
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer) x = stripParens(decl.initializer);
  return ts.isObjectLiteralExpression(x) && x.properties.some((p) => !p.name || (ts.isIdentifier(p.name) && p.name.text === name) || ts.isSpreadAssignment(p));
}

export function isEvent(e: ts.Expression | undefined, event: string): boolean {
  return !!e && ts.isStringLiteralLike(e) && e.text === event;
}

/** An options literal that names one of `names` (`{ server }`, `{ noServer: true }`). */
export function namesOption(arg: ts.Expression | undefined, names: string[]): boolean {
  const a = arg && stripParens(arg);
  return !!a && ts.isObjectLiteralExpression(a) && a.properties.some((p) =>
    (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && ts.isIdentifier(p.name) && names.includes(p.name.text));
}

/** A string argument, or an options literal's `dialect`, that names a database of the process (`'sqlite::memory:'`). */
export function namesLocalDatabase(args: readonly ts.Expression[], pattern: RegExp): boolean {
  return args.some((arg) => {
    const a = stripParens(arg);
    if (ts.isStringLiteralLike(a)) return pattern.test(a.text);
    if (!ts.isObjectLiteralExpression(a)) return false;
    // Sequelize's `dialect`, TypeORM's `type`.
    return a.properties.some((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && (p.name.text === 'dialect' || p.name.text === 'type') &&
      ts.isStringLiteralLike(stripParens(p.initializer)) && pattern.test((stripParens(p.initializer) as ts.StringLiteralLike).text));
  });
}

/** An options literal written out whole (no spread) that names none of `names`: `Knex({ client: 'pg' })`. */
export function lacksOption(arg: ts.Expression | undefined, names: string[]): boolean {
  const a = arg && stripParens(arg);
  return !!a && ts.isObjectLiteralExpression(a) && !a.properties.some(ts.isSpreadAssignment) && !namesOption(a, names);
}

/**
 * An options literal whose `name` is something other than an options literal: a client made elsewhere
 * (`{ connection: redis }`). Not a name set to an options literal (`{ connection: redisOptions }` with
 * `export const redisOptions = { host, port }`, through its import), nor a property of settings that is one
 * (`{ connection: config.redis }` with `export const config = { redis: { host, port } }`): the library connects itself.
 */
export function givesClient(arg: ts.Expression, name: string, declarationOf: (id: ts.Identifier) => ts.Declaration | undefined): boolean {
  const a = stripParens(arg);
  const literalOf = (e: ts.Expression, depth = 0): ts.ObjectLiteralExpression | undefined => {
    const x = stripParens(e);
    if (ts.isObjectLiteralExpression(x)) return x;
    if (depth > 3) return undefined;
    if (ts.isPropertyAccessExpression(x)) {
      const prop = literalOf(x.expression, depth + 1)?.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === x.name.text);
      return prop && ts.isPropertyAssignment(prop) ? literalOf(prop.initializer, depth + 1) : undefined;
    }
    const decl = ts.isIdentifier(x) ? declarationOf(x) : undefined;
    return decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isObjectLiteralExpression(stripParens(decl.initializer)) ? stripParens(decl.initializer) as ts.ObjectLiteralExpression : undefined;
  };
  const isOptions = (e: ts.Expression) => !!literalOf(e);
  return ts.isObjectLiteralExpression(a) && a.properties.some((p) =>
    (ts.isShorthandPropertyAssignment(p) && p.name.text === name && !isOptions(p.name)) ||
    (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name && !isOptions(p.initializer)));
}

/** An options literal with `name: 'value'` (`responseType: 'stream'`). */
export function setsString(arg: ts.Expression, [name, value]: [string, string]): boolean {
  const a = stripParens(arg);
  return ts.isObjectLiteralExpression(a) && a.properties.some((p) =>
    ts.isPropertyAssignment(p) && p.name && ts.isIdentifier(p.name) && p.name.text === name &&
    ts.isStringLiteralLike(p.initializer) && p.initializer.text === value);
}

/**
 * `new Queue('jobs', { connection: redis })` of BullMQ: an option through which the creator is given a
 * client it uses and leaves to its owner (catalog.ts lendsClientOption).
 */
export function lentToCreator(p: ts.ObjectLiteralElementLike, originOf: (e: ts.Expression) => Origin | undefined): boolean {
  let e: ts.Node = p.parent;
  while (ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const call = e.parent;
  if (!ts.isNewExpression(call) && !ts.isCallExpression(call)) return false;
  const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
  return lendsClientTo(call, key, originOf);
}

/** The call makes a creator that is lent the client given in its option `option` (catalog.ts lendsClientOption). */
export function lendsClientTo(call: ts.CallExpression | ts.NewExpression, option: string | undefined, originOf: (e: ts.Expression) => Origin | undefined): boolean {
  const origin = originOf(call.expression);
  return !!origin && !origin.instance && lendsClientOption(origin.module, origin.path[origin.path.length - 1], option);
}


/**
 * `io(url, { reconnection: false })`: a Socket.IO client that stays disconnected once it is, whoever disconnected
 * it; `mqtt.connect(url, { reconnectPeriod: 0 })`: an MQTT client that does not reconnect; `new Redis({ retryStrategy:
 * () => null })`: an ioredis client that does not either.
 */
export function asksNoReconnection(call: ts.CallExpression | ts.NewExpression): boolean {
  return (call.arguments ?? []).some((a) => setsTrue(a, 'reconnection', false) || (ts.isObjectLiteralExpression(stripParens(a)) &&
    (stripParens(a) as ts.ObjectLiteralExpression).properties.some((p) => ts.isPropertyAssignment(p) && (
      (p.name.getText() === 'reconnectPeriod' && ts.isNumericLiteral(stripParens(p.initializer)) && Number((stripParens(p.initializer) as ts.NumericLiteral).text) === 0) ||
      (p.name.getText() === 'retryStrategy' && givesUp(p.initializer))))));
}

/**
 * `event` is one a client of `kind` emits on every dropped connection, after which it reconnects by itself
 * (KindSpec.droppedBy: MQTT.js's `'close'`), and `creation` did not ask it not to: a listener for it runs while it is open.
 */
export function reconnectsAfter(kind: ResourceKind, event: string, creation: ts.CallExpression | ts.NewExpression | undefined): boolean {
  return !!KINDS[kind].droppedBy?.includes(event) && !(creation && asksNoReconnection(creation));
}

/** ioredis's `retryStrategy: () => null`: no retry after the first drop. */
function givesUp(e: ts.Expression): boolean {
  const fn = stripParens(e);
  if (!ts.isArrowFunction(fn) || ts.isBlock(fn.body)) return false;
  const body = stripParens(fn.body);
  return body.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(body) && body.text === 'undefined');
}

/** `{ allowHalfOpen: true }` among the creator's arguments: the app must end the socket after `'end'` itself. */
export function asksHalfOpen(creation: ts.Expression): boolean {
  const args = ts.isCallExpression(creation) || ts.isNewExpression(creation) ? creation.arguments ?? [] : [];
  return args.some((a) => ts.isObjectLiteralExpression(a) && a.properties.some((p) =>
    ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'allowHalfOpen' && p.initializer.kind !== ts.SyntaxKind.FalseKeyword));
}

/**
 * The first argument is a command of one of `names` of `module`: `new GetObjectCommand(params)`, or a
 * `const` set to one (`s3.send(command)`).
 */
export function sendsCommand(arg: ts.Expression | undefined, module: string, names: string[], ofBinding: (e: ts.Expression) => Origin | undefined,
  symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  let a = arg && stripParens(arg);
  if (a && ts.isIdentifier(a)) a = constInitializer(symbolOf(a));
  if (!a || !ts.isNewExpression(a)) return false;
  const origin = ofBinding(stripParens(a.expression));
  return !!origin && !origin.instance && origin.module === module && names.includes(origin.path.join('.'));
}

/**
 * The receiver of a method call is a `const` made by a call given the option (`const remote = axios.create({
 * responseType: 'stream' })`, then `remote.get(url)`): the instance's default applies to each call.
 */
export function receiverMadeWith(call: ts.CallExpression, recv: ts.Expression, option: [string, string], symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  if (call.arguments.some((a) => namesOption(a, [option[0]]))) return false; // the call sets its own
  const r = stripParens(recv);
  const init = ts.isIdentifier(r) ? constInitializer(symbolOf(r)) : undefined;
  return !!init && ts.isCallExpression(init) && init.arguments.some((a) => setsString(a, option));
}

/**
 * A pool of `module` made by `creation` keeps idle connections open (POOLS_KEEPING_IDLE). knex keeps its pool's `min`
 * open, and `min` is 2 unless the options say otherwise (knex's docs advise `min: 0` for that reason): only
 * `pool: { min: 0 }` written at the call lets them all time out.
 */
export function keepsIdleConnections(module: string | undefined, creation: ts.Expression | undefined): boolean {
  if (module && POOLS_KEEPING_IDLE.has(module)) return true;
  if (module !== 'knex') return false;
  const options = creation && (ts.isCallExpression(creation) || ts.isNewExpression(creation)) ? creation.arguments?.[0] : undefined;
  const literal = (e: ts.Expression | undefined) => { const x = e && skipOuter(e); return x && ts.isObjectLiteralExpression(x) ? x : undefined; };
  const opts = literal(options);
  const pool = literal(opts && findProp(opts, 'pool').value);
  const min = pool && findProp(pool, 'min').value;
  const x = min && skipOuter(min);
  return !(x && ts.isNumericLiteral(x) && Number(x.text) === 0);
}
