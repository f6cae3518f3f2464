// How an agent made in a function reaches its requests: the options literal or const it is put in,
// got's per-protocol `agent` option, the retry loop around its one request, a function that returns
// what uses it. Used by connection-churn's perCall().
import { ts } from 'ts-morph';
import { assignmentsTo, bindingNames, constInitializer, findNode, skipOuter, skipOuterUp, stripParens } from '../../core/ast';
import { RuleContext } from '../../core/rule';
import { constValue, enclosingFunction, findProp, isConst, objectOf, propName } from '../../core/syntax';
import { GOT_AGENT_KEYS } from '../../core/catalog';

/** The expression reads a variable the loop declares (`for (const node of nodes)`, `for (let i = 0; …)`). */
export function usesLoopVariable(e: ts.Expression, loop: ts.IterationStatement): boolean {
  const init = ts.isForOfStatement(loop) || ts.isForInStatement(loop) ? loop.initializer : ts.isForStatement(loop) ? loop.initializer : undefined;
  const names = new Set(init && ts.isVariableDeclarationList(init) ? init.declarations.flatMap((d) => bindingNames(d.name)) : []);
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && names.has(n.text)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(e);
  return found;
}

/** The call an options literal is an argument of (through `as`, `satisfies` and parentheses). */
export function argumentOf(obj: ts.Node): ts.CallExpression | undefined {
  let n = obj;
  const outer = () => ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent) || ts.isParenthesizedExpression(n.parent) ||
    // `fetch(url, { headers, ...(proxy ? { dispatcher: new ProxyAgent(proxy) } : {}) })`: spread into the options.
    (ts.isConditionalExpression(n.parent) && n.parent.condition !== n) || (ts.isSpreadAssignment(n.parent) && ts.isObjectLiteralExpression(n.parent.parent));
  while (outer()) n = ts.isSpreadAssignment(n.parent) ? n.parent.parent : n.parent;
  const call = n.parent;
  return ts.isCallExpression(call) && call.arguments.includes(n as ts.Expression) ? call : undefined;
}

/**
 * `const options = { method, agent }; http.request(url, options)`: the one call of `scope` that takes
 * the options object through its constant.
 */
export function optionsPassedTo(ctx: RuleContext, obj: ts.Node, scope: ts.Node): ts.CallExpression | undefined {
  const sym = optionsConst(ctx, obj);
  if (!sym) return undefined;
  const calls: ts.CallExpression[] = [];
  const visit = (x: ts.Node): void => {
    if (ts.isCallExpression(x) && x.arguments.some((a) => { const v = skipOuter(a); return ts.isIdentifier(v) && ctx.resolver.symbolOf(v) === sym; })) calls.push(x);
    ts.forEachChild(x, visit);
  };
  visit(scope);
  return calls.length === 1 ? calls[0] : undefined;
}

/** got's `agent: { https: agent }`: the `agent` option that gives the agent for that request's protocol. */
export function gotAgentOption(id: ts.Identifier): ts.PropertyAssignment | undefined {
  const p = skipOuterUp(id).parent;
  if (!(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) || !GOT_AGENT_KEYS.has(propName(p) ?? '') || !ts.isObjectLiteralExpression(p.parent)) return undefined;
  // `agent: secure ? { https: agent } : { http: agent }`: the agents of either protocol.
  let value = skipOuterUp(p.parent);
  while (ts.isConditionalExpression(value.parent) && value.parent.condition !== value) value = skipOuterUp(value.parent);
  const outer = value.parent;
  return ts.isPropertyAssignment(outer) && propName(outer) === 'agent' ? outer : undefined;
}

/** `for (let attempt = 0; ; attempt++) { …; return res.body; }`: a loop of attempts at one request. */
export function isRetryLoop(loop: ts.IterationStatement): boolean {
  const names: string[] = [];
  const collect = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) names.push(n.text);
    ts.forEachChild(n, collect);
  };
  if (ts.isForStatement(loop)) [loop.initializer, loop.condition, loop.incrementor].forEach((x) => x && collect(x));
  else if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) collect(loop.expression);
  if (!names.some((n) => /attempt|retr(y|ies)|tries/i.test(n))) return false;
  let returns = false;
  const visit = (n: ts.Node): void => {
    if (ts.isReturnStatement(n)) returns = true;
    else if (!returns && !ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  visit(loop.statement);
  return returns;
}

/**
 * axios's `httpAgent` for a constant `https://` URL, or its `httpsAgent` for an `http://` one: axios
 * picks the agent of the URL's protocol, so this one is never used and opens nothing.
 */
export function unusedForProtocol(ctx: RuleContext, call: ts.CallExpression, key: string | undefined): boolean {
  if (key !== 'httpAgent' && key !== 'httpsAgent') return false;
  const opts = call.arguments.map((a) => objectOf(ctx, a)).find((o) => !!o);
  const url = [call.arguments[0], opts && findProp(opts, 'url').value, opts && findProp(opts, 'baseURL').value]
    .map((e) => (e ? constValue(ctx, e) : undefined)).find((v): v is string => typeof v === 'string' && /^https?:/i.test(v));
  if (!url) return false;
  return /^https:/i.test(url) === (key === 'httpAgent');
}

/** `const options = { … }`: the symbol of the const an object literal initialises. */
export function optionsConst(ctx: RuleContext, obj: ts.Node): ts.Symbol | undefined {
  let n = obj;
  while (ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent) || ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const decl = n.parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return undefined;
  const sym = ctx.resolver.symbolOf(decl.name);
  // `var opts = {}` set once and only filled in (`opts.agent = …`) is as good as a const.
  const once = (s: ts.Symbol) => { const later = assignmentsTo(decl, s, (x) => ctx.resolver.symbolOf(x)); return !later.values.length && !later.other; };
  return sym && (isConst(decl) || once(sym)) ? sym : undefined;
}

/** `options.<key> = …` somewhere in scope, where `options` is the const the object literal initialises. */
export function reassignsOption(ctx: RuleContext, obj: ts.Node, key: string | undefined, scope: ts.Node): boolean {
  const sym = optionsConst(ctx, obj);
  if (!key || !sym) return false;
  const visit = (x: ts.Node): boolean =>
    (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(x.left) &&
      x.left.name.text === key && ts.isIdentifier(x.left.expression) && ctx.resolver.symbolOf(x.left.expression) === sym) ||
    !!ts.forEachChild(x, (c) => visit(c) || undefined);
  return visit(scope);
}

/** `n` is inside a function that `fn` returns (also as a method of a returned object). */
export function inReturnedFunction(n: ts.Node, fn: ts.Node | undefined): boolean {
  for (let f = enclosingFunction(n); f && f !== fn; f = enclosingFunction(f)) {
    let e: ts.Node = f;
    while (ts.isParenthesizedExpression(e.parent) || ts.isPropertyAssignment(e.parent) || ts.isObjectLiteralExpression(e.parent) ||
      ts.isShorthandPropertyAssignment(e.parent)) e = e.parent;
    if (ts.isReturnStatement(e.parent) || (ts.isArrowFunction(e.parent) && e.parent.body === e)) return true;
    if (ts.isObjectLiteralExpression(f.parent) && ts.isMethodDeclaration(f)) {
      let o: ts.Node = f.parent;
      while (ts.isParenthesizedExpression(o.parent)) o = o.parent;
      if (ts.isReturnStatement(o.parent)) return true;
    }
  }
  return false;
}

/** `options.agent = false` before `http.request(options)`, in the function that makes the request: the assignment. */
export function agentFalseAssigned(ctx: RuleContext, arg: ts.Expression, request: ts.CallExpression): ts.BinaryExpression | undefined {
  const x = skipOuter(arg);
  const sym = ts.isIdentifier(x) ? ctx.resolver.symbolOf(x) : undefined;
  const fn = enclosingFunction(request);
  if (!sym || !fn?.body) return undefined;
  let found: ts.BinaryExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found || n.pos >= request.pos) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) &&
        n.left.name.text === 'agent' && ts.isIdentifier(n.left.expression) && ctx.resolver.symbolOf(n.left.expression) === sym &&
        skipOuter(n.right).kind === ts.SyntaxKind.FalseKeyword) found = n;
    else ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

/**
 * `keepAlive` set from the caller's option with `false` when it is not given: `const keepAlive =
 * options.keepAlive === undefined ? false : options.keepAlive`, `opts.keepAlive ?? false`.
 */
export function falseByDefault(ctx: RuleContext, value: ts.Expression | undefined): boolean {
  let v = value && stripParens(value);
  if (v && ts.isIdentifier(v)) v = constInitializer(ctx.resolver.symbolOf(v));
  if (!v) return false;
  const isFalse = (e: ts.Expression) => stripParens(e).kind === ts.SyntaxKind.FalseKeyword;
  if (ts.isBinaryExpression(v) && v.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) return isFalse(v.right);
  if (!ts.isConditionalExpression(v) || !(isFalse(v.whenTrue) || isFalse(v.whenFalse))) return false;
  // The condition asks whether the option was given: `=== undefined`, `== null`, `!('keepAlive' in o)`.
  return !!findNode(v.condition, (n) => (ts.isIdentifier(n) && n.text === 'undefined') || n.kind === ts.SyntaxKind.NullKeyword || n.kind === ts.SyntaxKind.InKeyword);
}
