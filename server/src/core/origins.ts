// Where does a value come from? `net.connect`, `new (require('pg').Pool)()`, a parameter typed
// `mysql.Pool`... Resolution works from import bindings and declarations first, so that a file
// whose node_modules is missing (or a file on its own) is still understood, and falls back to the
// type checker only for receivers that nothing else explains.
import { ts } from 'ts-morph';
import { asNodeModule, CREATORS, moduleClone, normalizeModule } from './catalog';
import { assignmentsTo, constructorValue, fieldValue, followAlias, isNullLiteral, returnedValues, skipOuter, thisAssignments } from './ast';
import { requiredMember, requiredModuleSymbol } from './required-modules';
import { PackageOf, selfImportOf } from './self-imports';
import { declaringModule, isGlobalDeclaration, isRelative, moduleSpecifierOf, normPath, requireSpecifier } from './module-specifiers';
import { forwardedOrigin } from './forwarders';
import { isInjectedFetch } from './injected-fetch';
import { typeAt } from './types-of';
import { classMemberType, optionTypeOf, projectTypeAlias, TYPE_WRAPPERS } from './option-types';
import type { Origin } from './origin';
export type { Origin };

/** Modules with the same request API. */
const HTTP_MODULES = new Set(['http', 'https']);
const GLOBALS = new Set(['fetch', 'WebSocket']);
/** Names of the global object: `globalThis.fetch` is the global `fetch`. */
const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window', 'self']);
const MAX_DEPTH = 12;

export class OriginResolver {
  private cache = new Map<ts.Node, Origin | null>();
  private bindingCache = new Map<ts.Node, Origin | null>();

  packageOf?: PackageOf; // a file's package, for a library's tests that import it by path (self-imports.ts)

  constructor(private checker: ts.TypeChecker) {}

  /** Full resolution: property names are resolved through the checker when bindings do not say. */
  of(expr: ts.Expression): Origin | undefined {
    return this.expr(expr, 0);
  }

  /** Bindings only (`net.connect`, `pg.Pool`, `require('ws')`): property names never go to the checker, which would type-check their receivers (as slow as `tsc`). */
  ofBinding(expr: ts.Expression): Origin | undefined {
    this.bindingOnly = true;
    try {
      return this.expr(expr, 0);
    } finally {
      this.bindingOnly = false;
    }
  }

  private bindingOnly = false;
  /** The symbol an identifier refers to (a shorthand property's: its value's), kept per node: the rules ask again and again. */
  symbolOf(node: ts.Node): ts.Symbol | undefined {
    let sym = this.symbols.get(node);
    if (sym === undefined) this.symbols.set(node, (sym = this.resolveSymbol(node) ?? null));
    return sym ?? undefined;
  }
  private symbols = new Map<ts.Node, ts.Symbol | null>();

  /** The symbol a name refers to, through imports (`import { Session } from './session'`: the class). */
  targetOf(node: ts.Node): ts.Symbol | undefined {
    return followAlias(this.checker, this.symbolOf(node)) ?? this.symbolOf(node);
  }

  private resolveSymbol(node: ts.Node): ts.Symbol | undefined {
    try {
      if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) {
        return this.checker.getShorthandAssignmentValueSymbol(node.parent);
      }
      return this.checker.getSymbolAtLocation(node) ?? requiredMember(this.checker, node);
    } catch {
      return undefined;
    }
  }

  private expr(expr: ts.Expression, depth: number): Origin | undefined {
    if (this.tooDeep(depth)) return undefined;
    return this.memo(expr, this.bindingOnly ? this.bindingCache : this.cache, () => asNodeModule(this.compute(expr, depth)));
  }

  /**
   * Set while an answer is cut short (by the depth limit, or by a question already being answered: a cycle), which
   * depends on where the question came from: kept, it would change another file's answer with the order of analysis.
   */
  private cut = false;
  private pending = new Set<ts.Node>();

  private tooDeep(depth: number): boolean {
    return depth > MAX_DEPTH && (this.cut = true);
  }

  /** The answer for `key`, from `cache` when known; kept there unless it was cut short. */
  private memo(key: ts.Node, cache: Map<ts.Node, Origin | null> | undefined, compute: () => Origin | undefined): Origin | undefined {
    const cached = cache?.get(key);
    if (cached !== undefined) return cached ?? undefined;
    // A cycle: the same question is being answered further up, so this answer is cut short.
    if (this.pending.has(key)) return void (this.cut = true);
    const outer = this.cut;
    this.cut = false;
    this.pending.add(key);
    try {
      const result = compute();
      if (!this.cut) cache?.set(key, result ?? null);
      return result;
    } finally {
      this.pending.delete(key);
      this.cut ||= outer;
    }
  }

  private compute(expr: ts.Expression, depth: number): Origin | undefined {
    expr = skipOuter(expr);
    if (ts.isIdentifier(expr)) return this.identifier(expr, depth);
    if (ts.isPropertyAccessExpression(expr)) {
      if (GLOBALS.has(expr.name.text) && this.isGlobalObject(expr.expression)) {
        return { module: 'global', path: [expr.name.text], instance: false };
      }
      const base = this.expr(expr.expression, depth + 1);
      if (base?.projectModule) return this.projectExport(base.projectModule, expr.name.text, depth);
      if (base?.returns) return undefined;
      if (base && !base.instance) return { ...base, path: normPath([...base.path, expr.name.text]) };
      if (!base && isInjectedFetch(expr)) return { module: 'global', path: ['fetch'], instance: false, injected: true };
      if (this.bindingOnly) return expr.expression.kind === ts.SyntaxKind.ThisKeyword ? this.ownField(expr, depth) : undefined;
      return this.declared(expr.name, depth);
    }
    if (ts.isCallExpression(expr)) {
      const req = requireSpecifier(expr);
      // A project module required by path says nothing by itself; its exports are resolved through types.
      const own = req !== undefined && isRelative(req) ? selfImportOf(this.checker, this.packageOf, expr.arguments[0], '') : undefined;
      if (req !== undefined) return isRelative(req) && !own ? this.projectModuleValue(expr.arguments[0], depth) : { module: own ?? req, path: [], instance: false };
      const callee = skipOuter(expr.expression);
      // `globalThis.fetch.bind(globalThis)` is `fetch`.
      if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'promise' || callee.name.text === 'bind')) {
        return this.expr(callee.expression, depth + 1);
      }
      // `client.connect().then(() => client)`: the promise resolves to what the callback returns.
      const then = ts.isPropertyAccessExpression(callee) && callee.name.text === 'then' && expr.arguments[0] ? skipOuter(expr.arguments[0]) : undefined;
      if (then && (ts.isArrowFunction(then) || ts.isFunctionExpression(then))) return this.sameInstance(returnedValues(then) ?? [], depth + 1, false);
      const o = this.expr(callee, depth + 1);
      if (o?.returns) return o.returns;
      if (!o && ts.isIdentifier(callee)) return this.declaredReturn(callee, depth);
      // `clients.get(origin)` of a project class whose `get(origin: string): Client` says what it returns; `this.#poolFor(k)`: what it returns.
      if (!o && ts.isPropertyAccessExpression(callee) && !this.bindingOnly) return this.declaredReturn(callee.name, depth, skipOuter(callee.expression).kind !== ts.SyntaxKind.ThisKeyword);
      return o && !o.instance ? moduleClone(o) ?? { ...o, instance: true } : undefined;
    }
    // `(...args) => import('node-fetch').then(({ default: f }) => f(...args))` is that module's export (forwarders.ts).
    if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) return forwardedOrigin(expr) ?? this.returnedModule(expr, depth);
    if (ts.isNewExpression(expr)) {
      const o = this.expr(expr.expression, depth + 1);
      return o && !o.instance ? { ...o, instance: true } : undefined;
    }
    // `secure ? https : http`, `custom || fetch`: a creator when either side is one.
    if (ts.isConditionalExpression(expr)) return this.expr(expr.whenTrue, depth + 1) ?? this.expr(expr.whenFalse, depth + 1);
    if (ts.isBinaryExpression(expr) && (expr.operatorToken.kind === ts.SyntaxKind.BarBarToken || expr.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
      // `options.fetcher ?? fetch`: the caller's fetch may answer instead, with a response type of its own.
      const r = this.expr(expr.right, depth + 1);
      return r?.module === 'global' && ts.isPropertyAccessExpression(skipOuter(expr.left)) ? { ...r, replaceable: true } : r ?? this.expr(expr.left, depth + 1);
    }
    // `var req = this._req = http.request(o)`: an assignment's value is its right side.
    if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.EqualsToken) return this.expr(expr.right, depth + 1);
    return undefined;
  }

  /**
   * `this.fetchImpl` (or its bare declaration) read from the class's own text: a field's initializer or what the
   * constructor assigns it (`this.fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis)`), without the checker.
   */
  private ownField(expr: ts.PropertyAccessExpression | ts.PropertyDeclaration, depth: number): Origin | undefined {
    const cls = ts.findAncestor(expr.parent, ts.isClassLike);
    if (!cls) return undefined;
    const value = fieldValue(cls, expr.name.getText());
    if (value && !isNullLiteral(skipOuter(value))) return this.expr(value, depth + 1);
    // `this.client = null` in the constructor, `this.client = createClient(o)` in `start()`: what every other assignment gives.
    const assigned = thisAssignments(cls).get(expr.name.getText())?.filter((v) => !isNullLiteral(skipOuter(v)));
    if (assigned?.length) return this.sameInstance(assigned, depth, false);
    // `constructor(private readonly http: AxiosInstance)`, `readonly pool: Pool;`: what its annotation names.
    const type = classMemberType(cls, expr.name.getText());
    return type && this.typeNode(type, depth + 1);
  }

  private identifier(id: ts.Identifier, depth: number): Origin | undefined {
    const sym = this.symbolOf(id);
    if (!sym || !sym.declarations || sym.declarations.length === 0) {
      return GLOBALS.has(id.text) ? { module: 'global', path: [id.text], instance: false } : undefined;
    }
    const decl = sym.declarations[0];
    // The same `fetch` whether the program holds no typings, lib.dom.d.ts or @types/node's
    // `declare global { function fetch… }`: which typings are installed must not change the answer.
    if (GLOBALS.has(id.text) && sym.declarations.every(isGlobalDeclaration)) {
      return { module: 'global', path: [id.text], instance: false };
    }
    return this.declaration(decl, sym, depth);
  }

  private isGlobalObject(e: ts.Expression): boolean {
    const x = skipOuter(e);
    if (!ts.isIdentifier(x) || !GLOBAL_OBJECTS.has(x.text)) return false;
    const sym = this.symbolOf(x);
    return !sym || !sym.declarations?.length || sym.declarations.every(isGlobalDeclaration);
  }

  /** Resolve the declaration behind a property name (`this.pool`, `db.pool`). */
  private declared(name: ts.Identifier | ts.PrivateIdentifier, depth: number): Origin | undefined {
    const sym = this.symbolOf(name);
    const decl = sym?.declarations?.[0];
    // JavaScript: each `this.client = …` of the class declares it, or a bare `#client;`: what the class assigns says what it holds.
    if (decl && ts.isBinaryExpression(decl) && ts.isPropertyAccessExpression(decl.left) && decl.left.expression.kind === ts.SyntaxKind.ThisKeyword) return this.ownField(decl.left, depth);
    if (decl && ts.isPropertyDeclaration(decl) && !decl.initializer && !decl.type) return this.ownField(decl, depth);
    return decl && sym ? this.declaration(decl, sym, depth) : undefined;
  }

  private declaration(decl: ts.Declaration, sym: ts.Symbol, depth: number): Origin | undefined {
    if (this.tooDeep(depth)) return undefined;
    if (ts.isImportSpecifier(decl) || ts.isExportSpecifier(decl)) {
      const spec = moduleSpecifierOf(decl);
      const imported = (decl.propertyName ?? decl.name).text;
      const own = selfImportOf( // a library's test importing it by path (self-imports.ts)
        this.checker, this.packageOf, ts.isImportSpecifier(decl) ? decl.parent.parent.parent.moduleSpecifier : decl.parent.parent.moduleSpecifier, imported);
      if ((spec && !isRelative(spec)) || own) return { module: own ?? normalizeModule(spec!), path: normPath([imported]), instance: false };
      return this.followAlias(sym, depth);
    }
    if (ts.isImportClause(decl)) {
      if (!ts.isStringLiteral(decl.parent.moduleSpecifier)) return undefined; // a grammar error
      const spec = decl.parent.moduleSpecifier.text;
      const own = selfImportOf(this.checker, this.packageOf, decl.parent.moduleSpecifier, 'default');
      if (!isRelative(spec) || own) return { module: own ?? normalizeModule(spec), path: [], instance: false };
      return this.followAlias(sym, depth);
    }
    if (ts.isNamespaceImport(decl)) {
      if (!ts.isStringLiteral(decl.parent.parent.moduleSpecifier)) return undefined;
      const spec = decl.parent.parent.moduleSpecifier.text;
      return isRelative(spec) ? undefined : { module: normalizeModule(spec), path: [], instance: false };
    }
    if (ts.isImportEqualsDeclaration(decl)) {
      const ref = decl.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
        return { module: normalizeModule(ref.expression.text), path: [], instance: false };
      }
      return undefined;
    }
    if (ts.isVariableDeclaration(decl)) {
      const own = decl.initializer && ts.isIdentifier(decl.name) ? this.expr(decl.initializer, depth + 1) : decl.type ? this.typeNode(decl.type, depth) : undefined;
      return own ?? this.assignedInstance(decl, sym, depth);
    }
    if (ts.isBindingElement(decl)) return this.bindingElement(decl, depth);
    if (ts.isParameter(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl)) {
      // `client: Client` of `type Client = ReturnType<typeof createClient>`: what the constructor assigns says more.
      // A type that says nothing (`fetchImpl: FetchImplementation = fetch`, a function type of the project): a parameter's default does.
      const typed = decl.type ? this.typeNode(decl.type, depth) : undefined;
      if (decl.type && (typed || !ts.isParameter(decl) || !decl.initializer)) return typed ?? (ts.isPropertyDeclaration(decl) && !decl.initializer ? this.assignedInConstructor(decl, depth) : undefined);
      if ((ts.isPropertyDeclaration(decl) || ts.isParameter(decl)) && decl.initializer) {
        return this.expr(decl.initializer, depth + 1);
      }
      return this.assignedInConstructor(decl, depth);
    }
    if (ts.isFunctionDeclaration(decl)) return this.returnedModule(decl, depth);
    if (ts.isPropertyAssignment(decl)) return this.expr(decl.initializer, depth + 1);
    if (ts.isShorthandPropertyAssignment(decl)) {
      const value = this.checker.getShorthandAssignmentValueSymbol(decl);
      const d = value?.declarations?.[0];
      return d && value ? this.declaration(d, value, depth + 1) : undefined;
    }
    if (ts.isExportAssignment(decl)) return this.expr(decl.expression, depth + 1);
    // `exports.pool = mysql.createPool()` / `module.exports.pool = …` in a CommonJS file of the project.
    if (ts.isPropertyAccessExpression(decl) && ts.isBinaryExpression(decl.parent) && decl.parent.left === decl &&
        decl.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return this.expr(decl.parent.right, depth + 1);
    if (ts.isClassDeclaration(decl) || ts.isInterfaceDeclaration(decl) || ts.isTypeAliasDeclaration(decl)) return this.ambient(decl, sym) ?? this.baseClass(decl, depth);
    return undefined;
  }

  /** The module a relative `require('./db')` loads, resolved by the program (no node_modules involved). */
  private projectModule(specifier: ts.Expression): Origin | undefined {
    const sym = this.symbolOf(specifier) ?? requiredModuleSymbol(this.checker, specifier);
    return sym && sym.flags & ts.SymbolFlags.ValueModule ? { module: '', path: [], instance: false, projectModule: sym } : undefined;
  }

  /**
   * What `require('./db')` gives: the origin of the module's `module.exports = pool` when that is a
   * value with an origin of its own (`mysql.createPool(…)`), else the module, whose exports are looked up by name.
   */
  private projectModuleValue(specifier: ts.Expression, depth: number): Origin | undefined {
    const mod = this.projectModule(specifier);
    const whole = mod?.projectModule?.exports?.get(ts.InternalSymbolName.ExportEquals)?.declarations?.[0];
    const value = whole && ts.isBinaryExpression(whole) ? whole.right : undefined;
    if (!value) return mod;
    let v = skipOuter(value);
    if (ts.isIdentifier(v)) {
      const d = this.symbolOf(v)?.declarations?.[0];
      if (d && ts.isVariableDeclaration(d) && d.initializer) v = skipOuter(d.initializer);
    }
    if (ts.isObjectLiteralExpression(v) || ts.isFunctionLike(v) || ts.isClassLike(v)) return mod;
    return this.expr(value, depth + 1) ?? mod;
  }

  /** What a project module exports under `name`: `module.exports = { pool }`, `exports.pool = …`, `export const pool`. */
  private projectExport(moduleSym: ts.Symbol, name: string, depth: number): Origin | undefined {
    let exp: ts.Symbol | undefined;
    try {
      exp = this.checker.getExportsOfModule(moduleSym).find((e) => e.getName() === name);
    } catch {
      return undefined;
    }
    const decl = exp?.declarations?.[0];
    if (decl && exp) return this.declaration(decl, exp, depth + 1);
    // `module.exports = { pool: mysql.createPool() }`: TypeScript lists no member exports for it.
    const whole = moduleSym.exports?.get(ts.InternalSymbolName.ExportEquals)?.declarations?.[0];
    const value = whole && ts.isBinaryExpression(whole) ? whole.right : whole && ts.isExportAssignment(whole) ? whole.expression : undefined;
    const member = value && this.objectMember(value, name, depth);
    return member;
  }

  /** The value of property `name` of an object literal, written inline or held by a variable. */
  private objectMember(value: ts.Expression, name: string, depth: number): Origin | undefined {
    let obj = skipOuter(value);
    if (ts.isIdentifier(obj)) {
      const d = this.symbolOf(obj)?.declarations?.[0];
      if (d && ts.isVariableDeclaration(d) && d.initializer) obj = skipOuter(d.initializer);
    }
    if (!ts.isObjectLiteralExpression(obj)) return undefined;
    for (const p of obj.properties) {
      if (!p.name || !ts.isIdentifier(p.name) || p.name.text !== name) continue;
      if (ts.isPropertyAssignment(p)) return this.expr(p.initializer, depth + 1);
      if (ts.isShorthandPropertyAssignment(p)) return this.expr(p.name, depth + 1);
    }
    return undefined;
  }

  private followAlias(sym: ts.Symbol, depth: number): Origin | undefined {
    let target: ts.Symbol | undefined;
    try {
      target = this.checker.getImmediateAliasedSymbol(sym);
    } catch {
      return undefined;
    }
    const d = target?.declarations?.[0];
    return d && target ? this.declaration(d, target, depth + 1) : undefined;
  }

  private bindingElement(el: ts.BindingElement, depth: number): Origin | undefined {
    const pattern = el.parent;
    const key = el.propertyName ?? el.name;
    if (!ts.isObjectBindingPattern(pattern) || !ts.isIdentifier(key)) return undefined;
    const holder = pattern.parent;
    let base: Origin | undefined;
    const init = ts.isVariableDeclaration(holder) && holder.initializer ? skipOuter(holder.initializer) : undefined;
    const member = init && ts.isCallExpression(init) && ts.isIdentifier(skipOuter(init.expression)) ? this.returnedMember(skipOuter(init.expression) as ts.Identifier, key.text, depth) : undefined;
    if (member) return member;
    if (init) base = this.expr(init, depth + 1);
    else if (ts.isBindingElement(holder)) base = this.bindingElement(holder, depth + 1);
    else if (ts.isParameter(holder) && el.initializer) return this.expr(el.initializer, depth + 1); // `constructor({ db = pool } = {})`
    else if (ts.isParameter(holder)) {
      const type = optionTypeOf(holder, key.text, (n) => this.targetOf(n));
      return type ? this.typeNode(type, depth + 1) : undefined;
    }
    if (base?.projectModule) return this.projectExport(base.projectModule, key.text, depth);
    if (!base || base.instance || base.returns) return undefined;
    return { ...base, path: normPath([...base.path, key.text]) };
  }

  /**
   * A function every `return` of which gives a module or one of its exports, not an instance
   * (`return url.protocol === 'https:' ? https : http`): the origin of what calling it gives. Anything
   * else it may return (a value of its own, nothing) and it is not one.
   */
  private returnedModule(fn: ts.FunctionLikeDeclaration, depth: number): Origin | undefined {
    if (!fn.body || this.tooDeep(depth)) return undefined;
    // Function expressions are cached by expr() already; a declaration is cached here (and guarded against recursion).
    const cache = ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) ? undefined : this.bindingOnly ? this.bindingCache : this.cache;
    return this.memo(fn, cache, () => {
      let first: Origin | undefined;
      for (const v of returnedValues(fn) ?? []) {
        const o = this.expr(v, depth + 1);
        if (!o || o.instance || o.projectModule || o.returns) { first = undefined; break; }
        first ??= o;
      }
      return first && { module: '', path: [], instance: false, returns: first };
    });
  }

  /** `const { mod } = transportFor(url)`: `mod` of every object the project function returns (`secure ? { mod: https } : { mod: http }`), all modules. */
  private returnedMember(callee: ts.Identifier, name: string, depth: number): Origin | undefined {
    const decl = followAlias(this.checker, this.symbolOf(callee))?.declarations?.[0];
    const fn = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuter(decl.initializer) : decl;
    if (this.tooDeep(depth) || !fn || !(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.getSourceFile().isDeclarationFile) return undefined;
    const branches = (v: ts.Expression): ts.Expression[] => (ts.isConditionalExpression(skipOuter(v)) ? [(skipOuter(v) as ts.ConditionalExpression).whenTrue, (skipOuter(v) as ts.ConditionalExpression).whenFalse].flatMap(branches) : [skipOuter(v)]);
    const members = (returnedValues(fn) ?? []).flatMap(branches).map((o) => (ts.isObjectLiteralExpression(o) ? this.objectMember(o, name, depth + 1) : undefined));
    return members.length && members.every((m) => m && !m.instance && !m.projectModule && !m.returns) ? members[0] : undefined;
  }

  /** `this.pool = new Pool()` in a constructor, for a property declared without type or initializer. */
  private assignedInConstructor(decl: ts.Declaration, depth: number): Origin | undefined {
    const cls = decl.parent;
    if (!ts.isClassLike(cls) || !ts.isPropertyDeclaration(decl) || !ts.isIdentifier(decl.name)) return undefined;
    const value = constructorValue(cls, decl.name.text);
    return value && this.expr(value, depth + 1);
  }

  /**
   * What a project function says it returns (`function getPool(name): Pool` with `Pool` imported from
   * undici): a value of that type, as the checker says when the package's typings are installed.
   */
  private declaredReturn(callee: ts.Identifier | ts.PrivateIdentifier, depth: number, annotatedOnly = false): Origin | undefined {
    const decl = followAlias(this.checker, this.symbolOf(callee))?.declarations?.[0]; // also `import { getPool } from './pools'`
    const fn = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuter(decl.initializer) : decl;
    if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || (ts.isMethodDeclaration(fn) && !!fn.body))) return undefined;
    if (!fn.type) return annotatedOnly ? undefined : this.sameInstance(returnedValues(fn) ?? [], depth, false);
    const o = this.typeNode(fn.type, depth + 1);
    return o?.module && (o.instance || !o.path.length) ? o : undefined;
  }

  /**
   * A `let` whose own value says nothing, given an instance later: `let pool = pools.get(key); if
   * (!pool) { pool = new Pool(key); pools.set(key, pool) }` — what a cache holds is what it was given.
   */
  private assignedInstance(decl: ts.VariableDeclaration, sym: ts.Symbol, depth: number): Origin | undefined {
    if (!ts.isIdentifier(decl.name) || ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) return undefined;
    // `qb = qb.where(…)` 40 times: asked again while answering, the variable is a cycle (memo), not twice the work.
    const { values, other } = assignmentsTo(decl, sym, (n) => this.symbolOf(n));
    return other ? undefined : this.memo(decl, undefined, () => this.sameInstance(values, depth, true) ?? this.sameModule(values, depth));
  }

  /** `var http; if (tls) http = require('https'); else http = require('http')`: one request API. Only these (`R = require('ioredis')` in `init()` is often a test's mock). */
  private sameModule(values: ts.Expression[], depth: number): Origin | undefined {
    const found = values.map((v) => this.expr(v, depth + 1));
    const http = (o: Origin | undefined) => !!o && !o.instance && !o.returns && !o.projectModule && !o.path.length && HTTP_MODULES.has(o.module);
    return found.length && found.every(http) ? found[0] : undefined;
  }

  /** The one instance origin of all the values (with `someKnown`, of those that have an origin at all). */
  private sameInstance(values: ts.Expression[], depth: number, someKnown: boolean): Origin | undefined {
    let found: Origin | undefined;
    for (const v of values) {
      const o = this.expr(v, depth + 1);
      if (!o && someKnown) continue;
      if (!o?.instance || !o.module || o.returns || (found && (found.module !== o.module || found.path.join('.') !== o.path.join('.')))) return undefined;
      found = o;
    }
    return found;
  }

  typeNode(node: ts.TypeNode, depth = 0): Origin | undefined {
    if (ts.isUnionTypeNode(node)) {
      for (const t of node.types) {
        const o = this.typeNode(t, depth);
        if (o) return o;
      }
      return undefined;
    }
    if (this.tooDeep(depth)) return undefined;
    // `transport: typeof http`: the module itself (a parameter that is `http` or `https`).
    if (ts.isTypeQueryNode(node)) return this.entityName(node.exprName, depth);
    if (ts.isParenthesizedTypeNode(node)) return this.typeNode(node.type, depth + 1);
    if (!ts.isTypeReferenceNode(node)) return undefined;
    // `Pick<typeof http, 'request'>`, `Readonly<Pool>`: the members kept are the wrapped type's.
    const wrapped = node.typeArguments?.[0];
    const isGlobal = (name: ts.Identifier) => !this.symbolOf(name)?.declarations?.some((d) => !isGlobalDeclaration(d));
    if (wrapped && ts.isIdentifier(node.typeName) && TYPE_WRAPPERS.has(node.typeName.text) && isGlobal(node.typeName)) return this.typeNode(wrapped, depth + 1);
    // `type Redis = ReturnType<typeof createClient>`: what calling it makes.
    if (wrapped && ts.isIdentifier(node.typeName) && node.typeName.text === 'ReturnType' && ts.isTypeQueryNode(wrapped) && isGlobal(node.typeName)) {
      const made = this.typeNode(wrapped, depth + 1);
      return made && !made.instance ? { ...made, instance: true } : undefined;
    }
    // `type Transport = Pick<typeof http, 'request'>` in the project: what it names.
    const alias = projectTypeAlias(node.typeName, (n) => this.targetOf(n));
    if (alias) return this.typeNode(alias.type, depth + 1);
    const o = this.entityName(node.typeName, depth);
    return o && !o.instance ? moduleClone(o) ?? { ...o, instance: true } : o;
  }

  private entityName(name: ts.EntityName, depth: number): Origin | undefined {
    if (ts.isIdentifier(name)) return this.identifier(name, depth + 1);
    const left = this.entityName(name.left, depth + 1);
    return left && !left.instance ? { ...left, path: normPath([...left.path, name.right.text]) } : undefined;
  }

  /** A class or interface declared in a package's typings: module from the file, name from the symbol. */
  private ambient(decl: ts.Declaration, sym: ts.Symbol): Origin | undefined {
    if (!decl.getSourceFile().isDeclarationFile) return undefined; // a class of the project itself
    const module = declaringModule(decl);
    // `export default class DataHandler`: the symbol is called "default", the class is not the module.
    const name = (decl as ts.ClassDeclaration).name?.text ?? sym.getName();
    return module && name !== 'default' ? { module, path: [name], instance: false } : undefined;
  }

  /**
   * `class TunnelAgent extends https.Agent` of the project: its instances are the library's class's (a
   * keep-alive agent, a socket, a pool), whatever the subclass adds. Only for a class the catalog makes
   * resources of: a subclass of `EventEmitter` is the project's own class.
   */
  private baseClass(decl: ts.Declaration, depth: number): Origin | undefined {
    const base = ts.isClassDeclaration(decl) ? decl.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression : undefined;
    const o = base && this.expr(base, depth + 1);
    return o && !o.instance && o.module !== 'global' && CREATORS.some((c) => c.via !== 'call' && c.modules.includes(o.module) && c.names.includes(o.path.join('.'))) ? o : undefined;
  }

  /** Last resort for receivers: ask the checker for the type and read where it was declared. */
  ofType(expr: ts.Expression): Origin | undefined {
    const type = typeAt(this.checker, expr);
    const sym = type && (type.aliasSymbol ?? type.getSymbol());
    const module = sym?.declarations?.[0] && declaringModule(sym.declarations[0]);
    return module ? { module, path: [sym!.getName()], instance: true } : undefined;
  }
}
