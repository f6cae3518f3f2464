// Plain syntax-tree helpers with no knowledge of resources: shared by the creators, the subject
// finder, the path walker and the fixes.
import { ts } from 'ts-morph';
import { requiredBinding } from './required-modules';

export type FnLike = ts.SignatureDeclaration & { body?: ts.Node };

export function stripParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** `x.close(…)`: a call of one of `methods` on a receiver `isTarget` accepts (through parentheses). */
export function callsMethodOn(n: ts.Node, methods: readonly string[] | ReadonlySet<string>, isTarget: (e: ts.Expression) => boolean): n is ts.CallExpression {
  if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return false;
  const name = n.expression.name.text;
  return ('has' in methods ? methods.has(name) : methods.includes(name)) && isTarget(stripParens(n.expression.expression));
}

/**
 * The first node under `root` (in document order, `root` itself excluded) for which `test` holds; with
 * `ownCode`, not inside the functions nested in `root`, which may run at another time or never.
 */
export function findNode(root: ts.Node, test: (n: ts.Node) => boolean, ownCode = false): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (found || (ownCode && ts.isFunctionLike(n))) return;
    if (test(n)) found = n;
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(root, visit);
  return found;
}

/** `f` of `f(x)` and `m` of `o.m(x)`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const c = stripParens(call.expression);
  if (ts.isIdentifier(c)) return c.text;
  if (ts.isPropertyAccessExpression(c)) return c.name.text;
  return undefined;
}

/** `o` of `o.m(x)`. */
export function calleeReceiver(call: ts.CallExpression | ts.NewExpression): ts.Expression | undefined {
  const c = stripParens(call.expression);
  return ts.isPropertyAccessExpression(c) ? c.expression : undefined;
}

/** `'connect'`, or one of two by a condition: `secure ? 'secureConnect' : 'connect'`. */
export function isEventName(e: ts.Expression): boolean {
  const x = stripParens(e);
  return ts.isStringLiteralLike(x) || (ts.isConditionalExpression(x) && isEventName(x.whenTrue) && isEventName(x.whenFalse));
}

export function isStringArg(e: ts.Expression | undefined, set: ReadonlySet<string>): boolean {
  const x = e && stripParens(e);
  // `once(socket, secure ? 'secureConnect' : 'connect')`: one of them either way.
  if (x && ts.isConditionalExpression(x)) return isStringArg(x.whenTrue, set) && isStringArg(x.whenFalse, set);
  return !!x && ts.isStringLiteralLike(x) && set.has(x.text);
}

/** The function a declaration stands for: `function f`, `const f = () => …`, a method, a property holding a function. */
export function functionOfDeclaration(decl: ts.Node): ts.FunctionLikeDeclaration | undefined {
  if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) return decl.body ? decl : undefined;
  // `exports.start = function (…) {…}`, `LiveServer.start = …` in JavaScript (the binder's assignment
  // declarations), and `{ start: function (…) {…} }`.
  const assigned = ts.isPropertyAccessExpression(decl) ? decl.parent : decl;
  const init = (ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl)) ? decl.initializer
    : ts.isBinaryExpression(assigned) && assigned.operatorToken.kind === ts.SyntaxKind.EqualsToken ? assigned.right : undefined;
  const fn = init && stripParens(init);
  return fn && (ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) ? fn : undefined;
}

/** The nearest function with a body around a node; undefined at module level or in a field initializer. */
export function enclosingFunction(node: ts.Node): FnLike | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p) && (p as FnLike).body) return p as FnLike;
    if (ts.isPropertyDeclaration(p) || ts.isSourceFile(p) || ts.isClassStaticBlockDeclaration(p)) return undefined;
  }
  return undefined;
}

/** Every `return` of a function body, not those of nested functions. */
export function forEachReturn(body: ts.Node, cb: (r: ts.ReturnStatement) => void): void {
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) cb(n);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
}

/** `node` lies inside `outer` (or is it). */
export function within(node: ts.Node, outer: ts.Node): boolean {
  return node.pos >= outer.pos && node.end <= outer.end;
}

export function isAsyncFunction(fn: ts.Node): boolean {
  return (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
}

/**
 * The value of `e` is what its function returns: `return f(x)`, `return await f(x)`, `return c ? f(x) : y`,
 * or the expression body of an arrow function.
 */
export function isReturnedValue(e: ts.Expression): boolean {
  let n: ts.Node = e;
  for (;;) {
    const p = n.parent;
    if (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p) ||
        ts.isAwaitExpression(p) || (ts.isConditionalExpression(p) && p.condition !== n)) {
      n = p;
      continue;
    }
    return ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === n);
  }
}

/** The name a function is called by: `function f`, `const f = () => …`, a method `f() {}`. */
export function functionName(fn: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.text;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  if (ts.isMethodDeclaration(fn) && ts.isIdentifier(fn.name)) return fn.name.text;
  return undefined;
}

/** `e` when it is a function written in place (an arrow or a function expression), through parentheses. */
export function inlineFunction(e: ts.Expression | undefined): ts.ArrowFunction | ts.FunctionExpression | undefined {
  const f = e && stripParens(e);
  return f && (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) ? f : undefined;
}

/** The executor of `new Promise((resolve, reject) => …)` written inline; undefined for anything else. */
export function promiseExecutor(n: ts.Node): ts.ArrowFunction | ts.FunctionExpression | undefined {
  if (!ts.isNewExpression(n) || !ts.isIdentifier(n.expression) || n.expression.text !== 'Promise') return undefined;
  const ex = n.arguments?.[0] && stripParens(n.arguments[0]);
  return ex && (ts.isArrowFunction(ex) || ts.isFunctionExpression(ex)) ? ex : undefined;
}

/** `await new Promise((resolve, reject) => …)`: for its executor, the promise, which is awaited in place. */
export function awaitedPromiseOf(fn: ts.Node): ts.NewExpression | undefined {
  const made = fn.parent;
  let p: ts.Node | undefined = made && ts.isNewExpression(made) && promiseExecutor(made) === fn ? made : undefined;
  while (p && ts.isParenthesizedExpression(p.parent)) p = p.parent;
  return p && ts.isAwaitExpression(p.parent) ? (made as ts.NewExpression) : undefined;
}

/** The names an executor gives `resolve` and `reject`. */
export function settlerNames(executor: ts.SignatureDeclaration): Set<string> {
  return new Set(executor.parameters.slice(0, 2).flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
}

/** `null` or `undefined`, written as such. */
export function isNullLiteral(e: ts.Expression): boolean {
  const x = stripParens(e);
  return x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined');
}

/** What an imported name stands for (`import { getPool } from './pools'` → the function); undefined when the import cannot be resolved. */
export function followAlias(checker: ts.TypeChecker, sym: ts.Symbol | undefined): ts.Symbol | undefined {
  if (!sym) return sym;
  if (!(sym.flags & ts.SymbolFlags.Alias)) {
    const required = requiredBinding(checker, sym);
    return required ? followAlias(checker, required) : shorthandValue(checker, sym);
  }
  try {
    return shorthandValue(checker, checker.getAliasedSymbol(sym));
  } catch {
    return undefined;
  }
}

/** `module.exports = { open }`: the export is the object's property; what it names is the `open` beside it. */
function shorthandValue(checker: ts.TypeChecker, sym: ts.Symbol): ts.Symbol {
  const decl = sym.valueDeclaration;
  return (decl && ts.isShorthandPropertyAssignment(decl) && checker.getShorthandAssignmentValueSymbol(decl)) || sym;
}

/**
 * What a function returns on every path: the value of each `return` (or the arrow's expression body);
 * undefined when some path returns nothing (a bare `return`, or a body that can end without one).
 */
export function returnedValues(fn: ts.FunctionLikeDeclaration): ts.Expression[] | undefined {
  if (!fn.body) return undefined;
  if (!ts.isBlock(fn.body)) return [fn.body as ts.Expression];
  const last = fn.body.statements[fn.body.statements.length - 1];
  if (!last || (!ts.isReturnStatement(last) && !ts.isThrowStatement(last))) return undefined;
  const values: ts.Expression[] = [];
  let bare = false;
  forEachReturn(fn.body, (r) => (r.expression ? values.push(r.expression) : (bare = true)));
  return bare || !values.length ? undefined : values;
}

/** The function of the project a symbol names (through an import), not one of a package's typings. */
export function projectFunctionOfSymbol(checker: ts.TypeChecker, sym: ts.Symbol | undefined): ts.FunctionLikeDeclaration | undefined {
  const decl = (followAlias(checker, sym) ?? sym)?.declarations?.find((d) => !d.getSourceFile().isDeclarationFile);
  return decl && functionOfDeclaration(decl);
}

const VALUE_ASSIGNMENTS = new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken]);

/**
 * The values of every `x = v` (or `x ??= v`, `x ||= v`) in the variable's scope that assigns the variable `decl`
 * declares, and whether another kind of assignment (`x += 1`, `x++`) does too. One walk per variable: asked per call.
 */
export function assignmentsTo(decl: ts.VariableDeclaration, sym: ts.Symbol, symbolOf: (n: ts.Node) => ts.Symbol | undefined): { values: ts.Expression[]; other: boolean } {
  let known = ASSIGNMENTS.get(sym);
  if (known) return known;
  known = { values: [], other: false };
  const found = known;
  const visit = (n: ts.Node): void => {
    if (assigns(n, sym, symbolOf)) {
      // `pool ??= createPool(o)` (or `||=`) of a lazy singleton: the value it may be given, as `=` would.
      if (ts.isBinaryExpression(n) && VALUE_ASSIGNMENTS.has(n.operatorToken.kind)) found.values.push(n.right);
      else found.other = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(declarationScope(decl));
  ASSIGNMENTS.set(sym, known);
  return known;
}

/** Where a variable can be assigned: the block of a `let`/`const`, the function (or file) of a `var`. */
function declarationScope(decl: ts.VariableDeclaration): ts.Node {
  const list = decl.parent;
  if (ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.BlockScoped) return list.parent.parent ?? decl.getSourceFile();
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) if (ts.isFunctionLike(n) || ts.isSourceFile(n)) return n;
  return decl.getSourceFile();
}

const INCREMENTS = new Set<ts.SyntaxKind>([ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken]);

/** `x = v`, `x += 1`, `x++`: `n` gives the variable `sym` a new value. */
export function assigns(n: ts.Node, sym: ts.Symbol, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  const isIt = (e: ts.Expression) => ts.isIdentifier(stripParens(e)) && symbolOf(stripParens(e)) === sym;
  return (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && isIt(n.left)) ||
    ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && INCREMENTS.has(n.operator) && isIt(n.operand));
}
const ASSIGNMENTS = new WeakMap<ts.Symbol, { values: ts.Expression[]; other: boolean }>();

/** An identifier that names a binding (not a property name, a label or a member name). */
export function isBindingReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return true;
  if ((ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isQualifiedName(p) && p.right === id)) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessor(p) ||
      ts.isSetAccessor(p) || ts.isPropertySignature(p) || ts.isMethodSignature(p) || ts.isEnumMember(p)) && p.name === id) return false;
  if ((ts.isLabeledStatement(p) || ts.isBreakStatement(p) || ts.isContinueStatement(p)) && p.label === id) return false;
  if (ts.isJsxAttribute(p) && p.name === id) return false;
  if ((ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) && p.propertyName === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  return true;
}

/** The value a `const` was given (`const src = Readable.fromWeb(res.body)`), for a symbol of one. */
export function constInitializer(sym: ts.Symbol | undefined): ts.Expression | undefined {
  const d = sym?.valueDeclaration;
  return d && ts.isVariableDeclaration(d) && d.initializer && ts.getCombinedNodeFlags(d) & ts.NodeFlags.Const ? stripParens(d.initializer) : undefined;
}

/** `n` is inside a `catch` clause below `until` (a function body): code that runs when something failed. */
export function insideCatch(n: ts.Node, until: ts.Node): boolean {
  for (let p = n.parent; p && p !== until; p = p.parent) if (ts.isCatchClause(p)) return true;
  return false;
}

/** Through parentheses, type assertions, `!` and `await`: the value an expression stands for. */
export function skipOuter(expr: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr) ||
      ts.isSatisfiesExpression(expr) || ts.isTypeAssertionExpression(expr) || ts.isAwaitExpression(expr)) expr = expr.expression;
  return expr;
}

/** The outermost of the parentheses and type assertions around `n` (`agent as http.Agent`): what its parent sees. */
export function skipOuterUp(n: ts.Node): ts.Node {
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) ||
      ts.isSatisfiesExpression(n.parent) || ts.isTypeAssertionExpression(n.parent)) n = n.parent;
  return n;
}

/** The value a class gives its field `name`: the initializer of its declaration, else what the constructor assigns. */
export function fieldValue(cls: ts.ClassLikeDeclaration, name: string): ts.Expression | undefined {
  const field = cls.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && m.name.getText() === name && !!m.initializer);
  return field?.initializer ?? constructorValue(cls, name);
}

/** Every value the class's code assigns to each `this.<name>` (`this.client = createClient(o)` in `start()`), found once per class. */
export function thisAssignments(cls: ts.ClassLikeDeclaration): Map<string, ts.Expression[]> {
  let byName = THIS_ASSIGNMENTS.get(cls);
  if (byName) return byName;
  byName = new Map();
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) &&
        n.left.expression.kind === ts.SyntaxKind.ThisKeyword) byName!.set(n.left.name.text, [...(byName!.get(n.left.name.text) ?? []), n.right]);
    ts.forEachChild(n, visit);
  };
  cls.members.forEach(visit);
  THIS_ASSIGNMENTS.set(cls, byName);
  return byName;
}

const THIS_ASSIGNMENTS = new WeakMap<ts.ClassLikeDeclaration, Map<string, ts.Expression[]>>();

/** What the constructor of `cls` assigns to `this.<name>` as one of its statements (`this.pool = new Pool()`). */
export function constructorValue(cls: ts.ClassLikeDeclaration, name: string): ts.Expression | undefined {
  for (const m of cls.members) {
    if (!ts.isConstructorDeclaration(m) || !m.body) continue;
    for (const st of m.body.statements) {
      const e = ts.isExpressionStatement(st) ? st.expression : undefined;
      if (e && ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(e.left) &&
          e.left.expression.kind === ts.SyntaxKind.ThisKeyword && e.left.name.text === name) return e.right;
    }
  }
  return undefined;
}

/**
 * `fn` is a generator with a `yield` of its own after `node`: the code iterating it may stop there, so
 * waiting for an event (a peer's 'close') is no continuation of its work.
 */
export function yieldsAfter(fn: ts.Node, node: ts.Node): boolean {
  if (!(ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) || !fn.asteriskToken || !fn.body) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || (n !== fn.body && ts.isFunctionLike(n))) return;
    if (ts.isYieldExpression(n) && n.pos >= node.end) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

/** `f` of `this.f` (through parentheses), also a `#private` field. */
export function thisField(e: ts.Expression): string | undefined {
  const x = stripParens(e);
  if (!ts.isPropertyAccessExpression(x) || x.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  return ts.isIdentifier(x.name) || ts.isPrivateIdentifier(x.name) ? x.name.text : undefined;
}

/** Parameter names that hold a callback (`(index, cb) => conn.createChannel(cb)`). */
const CALLBACK_PARAM = /^(cb|callback|done|next|fn|handler)$|(Callback|Cb|Handler)$/;

/**
 * A callback handed to a call: a function written there, a function declared in scope
 * (`conn.createChannel(callback)` with `function callback(err, ch) {…}` below), or a parameter named
 * like one. amqplib's callback API returns the channel and hands it to that callback as well.
 */
export function isCallbackArgument(a: ts.Expression, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  const x = stripParens(a);
  if (ts.isFunctionLike(x)) return true;
  if (!ts.isIdentifier(x)) return false;
  const decl = symbolOf(x)?.declarations?.[0];
  if (!decl) return false;
  if (ts.isFunctionDeclaration(decl)) return true;
  if (ts.isVariableDeclaration(decl) && decl.initializer && ts.isFunctionLike(stripParens(decl.initializer))) return true;
  return ts.isParameter(decl) && CALLBACK_PARAM.test(x.text);
}

/**
 * `once(null, conn)`: an error-first success call of the caller's continuation — a parameter, or a local
 * made from one (`const once = _.once(cb)`, `cb.bind(this)`). What it is given goes back to the caller.
 */
export function callsContinuation(call: ts.CallExpression | ts.NewExpression, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  const first = call.arguments?.[0];
  if (!ts.isCallExpression(call) || !first || !(isNullLiteral(first) || (ts.isIdentifier(first) && first.text === 'undefined'))) return false;
  const isParam = (e: ts.Expression) => {
    const x = stripParens(e);
    const d = ts.isIdentifier(x) ? symbolOf(x)?.declarations?.[0] : undefined;
    return !!d && ts.isParameter(d);
  };
  const callee = stripParens(call.expression);
  if (!ts.isIdentifier(callee)) return false;
  if (isParam(callee)) return true;
  const decl = symbolOf(callee)?.declarations?.[0];
  const init = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuter(decl.initializer) : undefined;
  if (!init || !ts.isCallExpression(init)) return false;
  const bound = ts.isPropertyAccessExpression(init.expression) && init.expression.name.text === 'bind';
  return bound ? isParam((init.expression as ts.PropertyAccessExpression).expression) : init.arguments.some(isParam);
}

/** The name a receiver goes by: `pool` of `this.pool`, `db` of `db()`. */
export function receiverName(e: ts.Expression): string {
  const x = stripParens(e);
  if (ts.isIdentifier(x)) return x.text;
  if (ts.isPropertyAccessExpression(x)) return x.name.text;
  if (ts.isCallExpression(x)) return receiverName(x.expression);
  return '';
}

/**
 * Its name, and for a member of a collection the collection's (`fastify.pg.users`, `fastify.pg[name]`:
 * @fastify/postgres's named pools; `this.pools.primary`).
 */
export function receiverNames(e: ts.Expression): string[] {
  const x = stripParens(e);
  const own = receiverName(x);
  if (ts.isElementAccessExpression(x)) return [receiverName(x.expression)];
  return ts.isPropertyAccessExpression(x) ? [own, receiverName(x.expression)] : [own];
}

const CLASSES = new WeakMap<ts.SourceFile, ts.ClassLikeDeclaration[]>();

/** The classes of a file, nested ones too, in source order (found once per syntax tree: fields, pools and caches each ask). */
export function classesIn(sf: ts.SourceFile): ts.ClassLikeDeclaration[] {
  let out = CLASSES.get(sf);
  if (!out) {
    const found: ts.ClassLikeDeclaration[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isClassLike(n)) found.push(n);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    CLASSES.set(sf, (out = found));
  }
  return out;
}

/**
 * The module a file binds a local name to, read from its top-level `import { name } from 'm'`,
 * `import name from 'm'` or `const { name } = require('m')` (syntax only; aliases as written).
 */
export function importedFrom(sf: ts.SourceFile, name: string): string | undefined {
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.importClause) {
      const c = s.importClause;
      const named = c.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements.map((e) => e.name.text) : [];
      if (c.name?.text === name || named.includes(name)) return s.moduleSpecifier.text;
    } else if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const init = d.initializer && stripParens(d.initializer);
        if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'require') continue;
        const spec = init.arguments[0];
        const binds = ts.isIdentifier(d.name) ? d.name.text === name : ts.isObjectBindingPattern(d.name) && d.name.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === name);
        if (binds && spec && ts.isStringLiteralLike(spec)) return spec.text;
      }
    }
  }
  return undefined;
}

/** `class X`, `function X`, `const X = …`, or `exports.X = …` / `module.exports.X = …` at the top of a file. */
export function topLevelNamed(sf: ts.SourceFile, name: string): ts.Declaration | undefined {
  for (const st of sf.statements) {
    if ((ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st)) && st.name?.text === name) return st;
    if (ts.isVariableStatement(st)) {
      const d = st.declarationList.declarations.find((x) => ts.isIdentifier(x.name) && x.name.text === name);
      if (d?.initializer && (ts.isClassExpression(d.initializer) || ts.isFunctionExpression(d.initializer) || ts.isArrowFunction(d.initializer))) return d.initializer as ts.Declaration;
    }
    const e = ts.isExpressionStatement(st) ? st.expression : undefined;
    if (e && ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(e.left) &&
        e.left.name.text === name && isExportsObject(e.left.expression)) {
      const v = e.right;
      if (ts.isClassExpression(v) || ts.isFunctionExpression(v) || ts.isArrowFunction(v)) return v;
    }
  }
  return undefined;
}

/** `exports` or `module.exports` of a CommonJS module. */
export function isExportsObject(e: ts.Expression): boolean {
  return (ts.isIdentifier(e) && e.text === 'exports') ||
    (ts.isPropertyAccessExpression(e) && e.name.text === 'exports' && ts.isIdentifier(e.expression) && e.expression.text === 'module');
}

/** The names a binding declares: `x`, and each of `{ a, b: [c] }`. */
export function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((el) => (ts.isOmittedExpression(el) ? [] : bindingNames(el.name)));
}

/** `===`, `!==`, `==`, `!=`. */
export const EQUALITY: ReadonlySet<ts.SyntaxKind> = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);
