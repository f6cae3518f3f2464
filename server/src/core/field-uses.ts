// What a class does with the connection in one of its fields (`this.f`): closes it somewhere, or hands
// it to other code. Asked by the field checks (fields.ts) and the forgotten-connection check.
import { ts } from 'ts-morph';
import { findNode, isBindingReference, skipOuter, stripParens, thisField } from './ast';
import { ANY_RELEASE } from './kinds';
import { AGENT_KEYS, GOT_AGENT_KEYS } from './catalog';
import { isNonOwningArgument, isNonOwningCall, lentToAdapter, lentToWebSocketServer } from './call-shapes';
import { returnedToOwnCode } from './private-getters';
import { fieldKeeping } from './wrapper-classes';
import { onlyReadsParam, ProjectFunctionOf, sameFileFunction, useOf } from './borrowing';

/** The class a class extends, when the project declares it. */
export type BaseClassOf = (cls: ts.ClassLikeDeclaration) => ts.ClassLikeDeclaration | undefined;

/**
 * What the class does with `this.f`: closes it somewhere, or hands it to other code. Given `baseOf`, a close
 * in a base class counts too, in a method the class inherits or calls through `super` (inheritedRelease). Given
 * `maker`, the member that assigns the field, its `return this.f` hands nothing over: the class keeps it in the field.
 * Given `through`, the field holds an object with the connection in that property.
 */
export function fieldUses(cls: ts.ClassLikeDeclaration, field: string, functionOf: ProjectFunctionOf = sameFileFunction, baseOf?: BaseClassOf, maker?: ts.Node, through?: string): { releases: boolean; handsOver: boolean } {
  const own = usesIn(cls, cls, field, functionOf, maker, through);
  if (!own.releases && baseOf && inheritedRelease(cls, field, functionOf, baseOf)) own.releases = true;
  return own;
}

/**
 * `class CassandraClient extends BasicDatabaseClient { connect() { this.knex = knex(o) } async disconnect() {
 * await super.disconnect(); … } }` with the base's `disconnect() { await this.knex?.destroy() }`: the class
 * closes it through its base. Not when it overrides that method without calling `super.disconnect()`.
 */
function inheritedRelease(cls: ts.ClassLikeDeclaration, field: string, functionOf: ProjectFunctionOf, baseOf: BaseClassOf): boolean {
  const below = [cls];
  for (let base = baseOf(cls); base && !below.includes(base) && below.length < 8; base = baseOf(base)) {
    for (const m of base.members) {
      const name = m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? m.name.text : undefined;
      if (name && usesIn(base, m, field, functionOf).releases && below.every((c) => inherits(c, name))) return true;
    }
    below.push(base);
  }
  return false;
}

/** The class has no member `name` of its own, or its own calls `super.name(…)`. */
function inherits(cls: ts.ClassLikeDeclaration, name: string): boolean {
  const own = cls.members.find((m) => m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) && m.name.text === name);
  return !own || !!findNode(own, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) &&
    n.expression.expression.kind === ts.SyntaxKind.SuperKeyword && n.expression.name.text === name);
}

/** What the code under `root`, in class `cls`, does with `this.f` (see fieldUses). */
export function usesIn(cls: ts.ClassLikeDeclaration, root: ts.Node, field: string, functionOf: ProjectFunctionOf, maker?: ts.Node, through?: string): { releases: boolean; handsOver: boolean } {
  let releases = false;
  let handsOver = false;
  const visit = (n: ts.Node): void => {
    // `const { channel, connection } = this; …; await connection.close()`: the local is the field.
    const local = destructuredFromThis(n, field);
    const localUse = local && aliasUse(local);
    if (localUse === 'ends') releases = true;
    else if (localUse === 'other') handsOver = true;
    if (ts.isPropertyAccessExpression(n) && ownField(n, cls) === field) {
      // `this.handle.connection.close()` of a field given what a helper returns, the connection in its `connection`
      // (CreatorMatch.through): that property is the connection; the others (`this.handle.channel`) are not.
      const inner = through && ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n ? n.parent : undefined;
      const at: ts.Expression = inner && inner.name.text === through ? inner : n;
      if (inner && at === n) {
        ts.forEachChild(n, visit);
        return;
      }
      const p = at.parent;
      // `const server = this.metrics; …; server.close(cb)`: the local is the field, as a destructured one is.
      // Only its methods called and the local tested (`if (!client) return; await client.query('UNLISTEN *')`): neither.
      // `const session = sandbox ? this.sandbox : this.prod`: a copy of either field, as much as a plain one.
      const copy = settledInto(pickedBranchOf(at));
      const use = copy ? aliasUse(copy) : undefined;
      if (use !== undefined) {
        if (use === 'ends') releases = true;
        else if (use === 'other') handsOver = true;
      } else if (ts.isPropertyAccessExpression(p) && p.expression === at) {
        const call = p.parent;
        if (ts.isCallExpression(call) && call.expression === p && ANY_RELEASE.has(p.name.text)) releases = true;
      } else if (ts.isNonNullExpression(p) || (ts.isBinaryExpression(p) && p.left === at && p.operatorToken.kind === ts.SyntaxKind.EqualsToken)) {
        // `this.f!.close()` is handled through its parent; `this.f = …` is an assignment, not a use.
        if (ts.isNonNullExpression(p) && ts.isPropertyAccessExpression(p.parent) && ts.isCallExpression(p.parent.parent) && ANY_RELEASE.has(p.parent.name.text)) releases = true;
      } else if (ts.isArrayLiteralExpression(p) && iteratedInPlace(p)) {
        // `for (const s of [this.primary, this.fallback]) s.on('error', log)`: each pass's variable is the field.
        const use = loopUse(p.parent as ts.ForOfStatement);
        if (use === 'ends') releases = true;
        else if (use === 'other') handsOver = true;
      } else if ((ts.isCallExpression(p) && p.arguments.includes(at) && (isNonOwningCall(p, at) || lentToAdapter(p) || lentToHelper(p, at, functionOf))) ||
          (ts.isNewExpression(p) && !!p.arguments?.includes(at) && lentToHelper(p, at, functionOf)) ||
          (ts.isPropertyAssignment(p) && (isNonOwningArgument(p.parent) || lentToWebSocketServer(p) || lentAsAgent(p)))) {
        // logged, asserted, lent to a socket.io adapter or to a helper of the file that only calls its methods, read line by
        // line (`readline.createInterface({ input: this.events })`: readline never closes its input)
      } else if (!isTest(at, p) && !returnedToOwnCode(p, cls) && !(maker && ts.isReturnStatement(p) && ts.findAncestor(p, (m) => m === maker))) {
        handsOver = true; // returned (not by a private getter to the class's own calls), passed, stored, destructured, disposed by `using`…
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(root);
  return { releases, handsOver };
}

/** The conditional (`c ? this.a : this.b`, nested, in parentheses) whose value may be the field `n`; else `n` itself. */
function pickedBranchOf(n: ts.Expression): ts.Expression {
  let e: ts.Expression = n;
  for (;;) {
    const p = e.parent;
    if (ts.isParenthesizedExpression(p) || (ts.isConditionalExpression(p) && p.condition !== e)) e = p;
    else return e;
  }
}

/**
 * `this.f`, or `feed.f` where `feed` is the instance a static method of the class makes
 * (`static async open() { const feed = new Feed(); feed.chat = net.connect(o); return feed }`): a field too.
 */
export function ownField(e: ts.Expression, cls: ts.ClassLikeDeclaration): string | undefined {
  const own = thisField(e);
  if (own !== undefined) return own;
  const x = stripParens(e);
  if (!ts.isPropertyAccessExpression(x) || !ts.isIdentifier(x.expression) || !ts.isIdentifier(x.name) || !cls.name) return undefined;
  return selfInstances(x, cls).has(x.expression.text) ? x.name.text : undefined;
}

/** The locals of the static method around `n` set to `new Cls(…)`. */
function selfInstances(n: ts.Node, cls: ts.ClassLikeDeclaration): Set<string> {
  let method: ts.Node | undefined = n;
  while (method && method.parent !== cls) method = method.parent;
  if (!method || !ts.isMethodDeclaration(method) || !method.body || !method.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return NONE;
  let known = SELF_INSTANCES.get(method);
  if (!known) {
    const found = new Set<string>();
    findNode(method.body, (d) => {
      if (ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) && d.initializer) {
        const init = skipOuter(d.initializer);
        if (ts.isNewExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === cls.name!.text) found.add(d.name.text);
      }
      return false;
    }, true);
    SELF_INSTANCES.set(method, (known = found));
  }
  return known;
}

const NONE = new Set<string>();
const SELF_INSTANCES = new WeakMap<ts.Node, Set<string>>();

/** `if (this.sub)`, `!this.sub`, `this.sub ? … : …`, `this.sub === x`, `this.sub && …`: a look at the field, no use of it. */
function isTest(field: ts.Node, p: ts.Node): boolean {
  if (ts.isBinaryExpression(p)) return isComparison(p);
  if (ts.isPrefixUnaryExpression(p)) return p.operator === ts.SyntaxKind.ExclamationToken;
  if (ts.isIfStatement(p) || ts.isWhileStatement(p) || ts.isDoStatement(p)) return p.expression === field;
  return ts.isConditionalExpression(p) && p.condition === field;
}

function isComparison(b: ts.BinaryExpression): boolean {
  const k = b.operatorToken.kind;
  return k === ts.SyntaxKind.EqualsEqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    k === ts.SyntaxKind.EqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsToken ||
    k === ts.SyntaxKind.AmpersandAmpersandToken || k === ts.SyntaxKind.BarBarToken || k === ts.SyntaxKind.QuestionQuestionToken;
}

/** `{ connection }` (or `{ connection: conn }`) in `const { … } = this`: the local that gets field `field`. */
function destructuredFromThis(n: ts.Node, field: string): ts.Identifier | undefined {
  if (!ts.isBindingElement(n) || !ts.isIdentifier(n.name) || n.dotDotDotToken) return undefined;
  const pattern = n.parent;
  const decl = pattern.parent;
  const name = n.propertyName ? (ts.isIdentifier(n.propertyName) ? n.propertyName.text : undefined) : n.name.text;
  return name === field && ts.isObjectBindingPattern(pattern) && ts.isVariableDeclaration(decl) && decl.initializer?.kind === ts.SyntaxKind.ThisKeyword
    ? n.name : undefined;
}

/**
 * What the function that declares `local` (a copy of the field) does with it: ends it somewhere, only calls
 * its methods and tests it, or anything else (hands it on).
 */
function aliasUse(local: ts.Identifier): 'ends' | 'reads' | 'other' {
  let fn: ts.Node = local;
  while (fn.parent && !ts.isFunctionLike(fn)) fn = fn.parent;
  return variableUse(fn, local.text, local);
}

/** What the code under `scope` does with the variable `name` (its declaration `except`): the strongest of its uses. */
function variableUse(scope: ts.Node, name: string, except?: ts.Identifier): 'ends' | 'reads' | 'other' {
  let result: 'ends' | 'reads' | 'other' = 'reads';
  findNode(scope, (x) => {
    if (!ts.isIdentifier(x) || x === except || x.text !== name || !isBindingReference(x)) return false;
    const settled = settledInto(x);
    const use = settled ? variableUse(scope, settled.text, settled) : isTest(x, x.parent) ? 'reads' : useOf(x, ANY_RELEASE);
    if (use === 'ends') result = 'ends';
    else if (use === 'other' && result !== 'ends') result = 'other';
    return false;
  });
  return result;
}

/**
 * The variable `e` is copied into: `const c = e`, or for a field holding a connection's promise, `const c = await e`
 * (`await e.catch(() => undefined)`, whose value is the connection's when it was made).
 */
function settledInto(e: ts.Expression): ts.Identifier | undefined {
  let v: ts.Expression = e;
  const p = v.parent;
  if (ts.isPropertyAccessExpression(p) && p.expression === v && p.name.text === 'catch' && ts.isCallExpression(p.parent) && p.parent.expression === p) v = p.parent;
  if (ts.isAwaitExpression(v.parent)) v = v.parent;
  else if (v !== e) return undefined;
  const decl = v.parent;
  return ts.isVariableDeclaration(decl) && decl.initializer === v && ts.isIdentifier(decl.name) ? decl.name : undefined;
}

/** `[this.a, this.b]` as what a `for…of` iterates, its variable a plain `const`/`let`. */
function iteratedInPlace(list: ts.ArrayLiteralExpression): boolean {
  const loop = list.parent;
  if (!ts.isForOfStatement(loop) || loop.expression !== list || !ts.isVariableDeclarationList(loop.initializer)) return false;
  const decls = loop.initializer.declarations;
  return decls.length === 1 && ts.isIdentifier(decls[0].name);
}

/** What the loop's body does with its variable: ends it somewhere, only reads it, or anything else (hands it on). */
function loopUse(loop: ts.ForOfStatement): 'ends' | 'reads' | 'other' {
  return variableUse(loop.statement, ((loop.initializer as ts.VariableDeclarationList).declarations[0].name as ts.Identifier).text);
}

/** `unary(this.catalog, 'getProduct', req)`, `pagedSearch(this.reader, base, o)`: a project function that only calls methods of what it is given. */
function lentToHelper(call: ts.CallExpression | ts.NewExpression, arg: ts.Expression, functionOf: ProjectFunctionOf): boolean {
  const fn = functionOf(call);
  const i = call.arguments?.indexOf(arg) ?? -1;
  if (fn && ts.isConstructorDeclaration(fn)) return keptOnlyForUse(fn, i);
  return !!fn && onlyReadsParam(fn, i, ANY_RELEASE);
}

/** Classes whose constructor parameter is being judged (keptOnlyForUse): two classes handing a field to each other end there. */
const judging = new Set<ts.ConstructorDeclaration>();

/**
 * `new Uploads(this.uploadPool)`, `new StandingsWorker(redis)` of a class whose constructor keeps what it is given in a field
 * (`this.pool = pool`, or a parameter property) that the class only uses: it neither closes it nor hands it on.
 */
export function keptOnlyForUse(ctor: ts.ConstructorDeclaration, index: number): boolean {
  const param = ctor.parameters[index];
  const field = param && ts.isIdentifier(param.name) ? fieldKeeping(ctor, index) : undefined;
  if (!field || judging.has(ctor) || !(ts.isParameterPropertyDeclaration(param, ctor) || onlyKept(ctor, (param.name as ts.Identifier).text))) return false;
  judging.add(ctor);
  try {
    const uses = fieldUses(ctor.parent as ts.ClassLikeDeclaration, field);
    return !uses.releases && !uses.handsOver;
  } finally {
    judging.delete(ctor);
  }
}

/** Every use of the constructor's parameter `name` is its `this.f = name` or a member of it. */
function onlyKept(ctor: ts.ConstructorDeclaration, name: string): boolean {
  return !!ctor.body && !findNode(ctor.body, (n) => ts.isIdentifier(n) && n.text === name && !ts.isPropertyAccessExpression(n.parent) &&
    !(ts.isBinaryExpression(n.parent) && n.parent.right === n && n.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.parent.left) &&
      n.parent.left.expression.kind === ts.SyntaxKind.ThisKeyword));
}

/**
 * `https.get(url, { agent: this.agent }, cb)`, `fetch(url, { dispatcher: this.pool })`, axios's `httpsAgent`: a request
 * given the agent to send through, which it uses and never closes. So is got's per-protocol `agent: { https: this.agent }`.
 */
function lentAsAgent(p: ts.PropertyAssignment): boolean {
  const perProtocol = ts.isIdentifier(p.name) && GOT_AGENT_KEYS.has(p.name.text) && ts.isPropertyAssignment(p.parent.parent) &&
    p.parent.parent.initializer === p.parent ? p.parent.parent : undefined;
  const option = perProtocol ?? p;
  return ts.isIdentifier(option.name) && AGENT_KEYS.has(option.name.text) && givenAsOptions(option.parent);
}

/**
 * The options object is a call's argument, or the const it initializes is only given to calls, as an argument or
 * spread into one (`const shared = { agent: { http: this.httpAgent } }; got.extend({ ...shared, prefixUrl })`).
 */
function givenAsOptions(obj: ts.ObjectLiteralExpression): boolean {
  const argOf = (e: ts.Node) => (ts.isCallExpression(e.parent) || ts.isNewExpression(e.parent)) && !!e.parent.arguments?.includes(e as ts.Expression);
  if (argOf(obj)) return true;
  const decl = obj.parent;
  if (!ts.isVariableDeclaration(decl) || decl.initializer !== obj || !ts.isIdentifier(decl.name) || !(decl.parent.flags & ts.NodeFlags.Const)) return false;
  const scope = ts.findAncestor(decl, (n) => ts.isBlock(n) || ts.isSourceFile(n));
  const name = decl.name.text;
  let uses = 0;
  let other = false;
  findNode(scope!, (n) => {
    if (!ts.isIdentifier(n) || n.text !== name || n === decl.name || !isBindingReference(n)) return false;
    uses++;
    if (!argOf(n) && !(ts.isSpreadAssignment(n.parent) && argOf(n.parent.parent))) other = true;
    return false;
  });
  return uses > 0 && !other;
}
