// Recognising creators: catalog entries reached through imports, methods on pools and clients,
// functions of the project that return a new resource, and classes of the project that own one.
import { ts } from 'ts-morph';
import { CREATORS, CREATOR_METHODS, KNOWN_MODULES, METHOD_CREATORS, normalizeModule, ResourceKind } from './catalog';
import { OriginResolver, Origin, skipOuter, requireSpecifier } from './origins';
import { forEachReturn, functionOfDeclaration, stripParens } from './ast';

export interface CreatorMatch {
  kind: ResourceKind;
  /** Index of the callback parameter that receives the resource, when delivered that way. */
  callbackParam?: number;
  /** Where it came from, for messages ("net.connect"). */
  label: string;
  /** The receiver of a method creator (`pool` in `pool.connect()`), for release calls like `pool.release(x)`. */
  receiver?: ts.Expression;
  viaModule?: string;
  /** Overrides the kind's release call in fixes. */
  fixCall?: string;
  /** What a leak costs, when it differs from the kind's. */
  symptom?: string;
  /** The property holding the body (`data` of an axios stream response), when not `body`. */
  bodyProperty?: string;
  /** The resource is this property of the call's result (`acquire().promise`). */
  through?: string;
  /** Nothing is open until one of these methods is called on it (a project class that connects in `connect()`). */
  opensWith?: string[];
}

interface WrapperInfo {
  release: string;
  opensWith?: string[];
}

const WRAPPER_RELEASE = ['close', 'end', 'destroy', 'dispose', 'disconnect', 'quit', 'terminate'];

/** Names of creators that hand the resource back as a value (not through a callback). */
const VALUE_CREATOR_NAMES = new Set<string>([
  ...CREATORS.filter((c) => c.callbackParam === undefined).flatMap((c) => c.names.map((n) => n.split('.').pop() as string)),
  ...METHOD_CREATORS.filter((m) => m.callbackParam === undefined || m.kind === 'pool-checkout').flatMap((m) => m.methods),
].filter(Boolean));

/** Names under which catalog creators are usually called; a cheap filter before any resolution. */
const CATALOG_NAMES = new Set<string>(
  [...CREATORS.flatMap((c) => c.names.map((n) => n.split('.').pop() as string)), ...CREATOR_METHODS].filter(Boolean),
);

export class CreatorFinder {
  private localKinds = new Map<ts.Node, ResourceKind | null>();
  private wrappers = new Map<ts.Node, WrapperInfo | null>();
  private fileNames = new WeakMap<ts.SourceFile, Set<string>>();
  private fileModules = new WeakMap<ts.SourceFile, Set<string>>();

  constructor(private resolver: OriginResolver, private checker: ts.TypeChecker, private projectNames: () => Set<string>) {}

  /** Local names in this file that may call a creator: imports of known modules, catalog and project creator names. */
  candidateNames(sf: ts.SourceFile): Set<string> {
    let names = this.fileNames.get(sf);
    if (!names) {
      names = new Set(CATALOG_NAMES);
      collectModuleBindings(sf, names);
      this.fileNames.set(sf, names);
    }
    return names;
  }

  isCandidate(node: ts.CallExpression | ts.NewExpression, names: Set<string>): boolean {
    const callee = stripParens(node.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    return !!name && (names.has(name) || this.projectNames().has(name));
  }

  match(node: ts.CallExpression | ts.NewExpression, depth = 0): CreatorMatch | undefined {
    const callee = stripParens(node.expression);
    const isNew = ts.isNewExpression(node);
    if (!isNew && ts.isPropertyAccessExpression(callee) && CREATOR_METHODS.has(callee.name.text)) {
      const m = this.methodCreator(node as ts.CallExpression, callee);
      if (m) return m;
    }
    const origin = this.resolver.ofBinding(callee);
    // A module of the project (`require('./db')`) is no catalog entry: its classes and functions are the project's.
    if (origin && !origin.instance && !origin.projectModule) {
      const key = origin.path.join('.');
      for (const c of CREATORS) {
        if (!c.modules.includes(origin.module) || !c.names.includes(key)) continue;
        if (c.via === 'new' && !isNew) continue;
        if (c.via === 'call' && isNew) continue;
        if (c.kind === 'redis-client' && asksLazyConnect(node)) return undefined; // nothing opens until connect()
        if (c.holdsOnlyWith && !setsTrue(node.arguments?.[0], c.holdsOnlyWith)) return undefined;
        if (c.onlyWithOption && !(node.arguments ?? []).some((a) => setsString(a, c.onlyWithOption!))) return undefined;
        return {
          kind: c.kind, callbackParam: c.callbackParam, label: labelOf(origin), viaModule: origin.module, fixCall: c.fixCall,
          symptom: c.symptom, bodyProperty: c.bodyProperty, through: c.through,
        };
      }
      return undefined;
    }
    if (depth < 3) return this.projectCreator(node, callee, depth);
    return undefined;
  }

  private methodCreator(node: ts.CallExpression, callee: ts.PropertyAccessExpression): CreatorMatch | undefined {
    const method = callee.name.text;
    const specs = METHOD_CREATORS.filter((s) => s.methods.includes(method));
    if ((method === 'on' || method === 'once') && !(node.arguments[0] && ts.isStringLiteralLike(node.arguments[0]) && node.arguments[0].text === 'response')) {
      return undefined;
    }
    const recv = callee.expression;
    let origin = this.resolver.of(recv);
    let typeUnknown = false;
    if (!origin) {
      const t = safeType(this.checker, recv);
      typeUnknown = !t || (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0 || isErrorType(t);
      if (!typeUnknown) origin = this.resolver.ofType(recv);
    }
    for (const spec of specs) {
      // A callback form where the catalog knows only the promise form (undici's `client.request(opts, cb)`).
      if (spec.callbackParam === undefined && spec.kind === 'response' && node.arguments.some((a) => ts.isFunctionLike(stripParens(a)))) continue;
      if (origin?.instance && spec.receivers.some((r) => receiverMatches(origin!, r))) {
        return {
          kind: spec.kind, callbackParam: spec.callbackParam, label: `${labelOf(origin)}.${method}`, receiver: recv, viaModule: origin.module,
          symptom: spec.symptom, through: spec.through,
        };
      }
      if (!origin && typeUnknown && spec.receiverNamePattern && spec.receiverNamePattern.test(receiverName(recv)) &&
          this.loadsModule(node.getSourceFile(), spec.receivers.map((r) => r.split(':')[0]))) {
        return { kind: spec.kind, callbackParam: spec.callbackParam, label: `${receiverName(recv)}.${method}`, receiver: recv, through: spec.through };
      }
    }
    return undefined;
  }

  /** The file imports or requires one of these modules. */
  private loadsModule(sf: ts.SourceFile, modules: string[]): boolean {
    let loaded = this.fileModules.get(sf);
    if (!loaded) {
      loaded = new Set();
      const add = (spec: string) => loaded!.add(normalizeModule(spec));
      const visit = (n: ts.Node): void => {
        if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) add(n.moduleSpecifier.text);
        else if (ts.isCallExpression(n)) {
          const spec = requireSpecifier(n);
          if (spec) add(spec);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
      this.fileModules.set(sf, loaded);
    }
    return modules.some((m) => loaded!.has(m));
  }

  /** A function or class of this project that hands out a new resource. */
  private projectCreator(node: ts.CallExpression | ts.NewExpression, callee: ts.Expression, depth: number): CreatorMatch | undefined {
    const nameNode = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
    if (!nameNode || !this.projectNames().has(nameNode.text)) return undefined;
    // Methods are followed on `this` and on imported namespaces only: resolving `x.m` for any other
    // receiver means inferring the type of `x`, which costs as much as type-checking the file.
    if (ts.isPropertyAccessExpression(callee) && !this.cheapReceiver(callee.expression)) return undefined;
    let sym = this.resolver.symbolOf(nameNode);
    if (sym && sym.flags & ts.SymbolFlags.Alias) {
      try { sym = this.checker.getAliasedSymbol(sym); } catch { /* unresolved import */ }
    }
    const decl = sym?.declarations?.find((d) => !d.getSourceFile().isDeclarationFile);
    if (!decl) return undefined;
    if (ts.isNewExpression(node)) {
      if (!ts.isClassDeclaration(decl) && !ts.isClassExpression(decl)) return undefined;
      const w = this.wrapperClass(decl, depth);
      return w ? { kind: 'wrapper', label: `new ${nameNode.text}()`, fixCall: `${w.release}()`, opensWith: w.opensWith } : undefined;
    }
    const fn = functionOfDeclaration(decl);
    if (!fn) return undefined;
    const kind = this.returnsResource(fn, depth);
    return kind ? { kind, label: `${nameNode.text}()` } : undefined;
  }

  /**
   * A function of the project is a creator when every value it returns is a resource it has just
   * made and kept nowhere else. A cache (`return this.sessions[k] ?? (this.sessions[k] = …)`) or a
   * getter that sometimes hands out an existing connection is not: the caller does not own that.
   */
  private cheapReceiver(e: ts.Expression): boolean {
    const x = stripParens(e);
    if (x.kind === ts.SyntaxKind.ThisKeyword) return true;
    if (!ts.isIdentifier(x)) return false;
    const sym = this.resolver.symbolOf(x);
    return !!sym && (sym.flags & (ts.SymbolFlags.Alias | ts.SymbolFlags.ValueModule | ts.SymbolFlags.Class)) !== 0;
  }

  private returnsResource(fn: ts.FunctionLikeDeclaration, depth: number): ResourceKind | undefined {
    const cached = this.localKinds.get(fn);
    if (cached !== undefined) return cached ?? undefined;
    this.localKinds.set(fn, null);
    let kind: ResourceKind | undefined;
    let other = false;
    const kept = new Set<ts.Symbol>();
    const check = (e: ts.Expression | undefined) => {
      if (!e) return;
      const x = skipOuter(e);
      if (x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined')) return;
      if (ts.isCallExpression(x) || ts.isNewExpression(x)) {
        const m = this.match(x, depth + 1);
        if (m && m.callbackParam === undefined) kind ??= m.kind;
        else other = true;
      } else if (ts.isIdentifier(x)) {
        const sym = this.resolver.symbolOf(x);
        const decl = sym?.declarations?.[0];
        if (sym && decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.pos >= fn.pos && decl.end <= fn.end) {
          kept.add(sym);
          check(decl.initializer);
        } else other = true;
      } else other = true;
    };
    if (fn.body && !ts.isBlock(fn.body)) check(fn.body);
    else if (fn.body) forEachReturn(fn.body, (r) => check(r.expression));
    if (kind && !other && fn.body && ts.isBlock(fn.body) && kept.size && this.storedElsewhere(fn.body, kept)) other = true;
    const result = !other ? kind : undefined;
    this.localKinds.set(fn, result ?? null);
    return result;
  }

  /** The returned variable is also put in a field, a collection or handed to another call. */
  private storedElsewhere(body: ts.Node, vars: Set<ts.Symbol>): boolean {
    let found = false;
    const isVar = (e: ts.Expression) => {
      const x = stripParens(e);
      return ts.isIdentifier(x) && vars.has(this.resolver.symbolOf(x) as ts.Symbol);
    };
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && isVar(n.right) && !ts.isIdentifier(stripParens(n.left))) found = true;
      else if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && (n.arguments ?? []).some(isVar)) found = true;
      else if (ts.isArrayLiteralExpression(n) && n.elements.some(isVar)) found = true;
      else if (ts.isPropertyAssignment(n) && isVar(n.initializer)) found = true;
      else ts.forEachChild(n, visit);
    };
    visit(body);
    return found;
  }

  /** A class with a field holding a resource and a method that releases it: the name of that method. */
  /**
   * A class with a field holding a resource and a method that releases it. It holds a connection from
   * `new` when its constructor (or a field initializer) opens one; when only some methods do
   * (`connect()`, `open()`), a new instance holds nothing until one of them is called.
   */
  private wrapperClass(cls: ts.ClassLikeDeclaration, depth: number): WrapperInfo | undefined {
    const cached = this.wrappers.get(cls);
    if (cached !== undefined) return cached ?? undefined;
    this.wrappers.set(cls, null);
    const methods = cls.members.flatMap((m) => (m.name && ts.isIdentifier(m.name) && ts.isMethodDeclaration(m) ? [m.name.text] : []));
    const release = WRAPPER_RELEASE.find((r) => methods.includes(r));
    let atConstruction = false;
    const opensWith = new Set<string>();
    if (release) {
      const visit = (n: ts.Node): void => {
        if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && isFieldValue(n)) {
          const m = this.match(n, depth + 1);
          if (m && m.kind !== 'response' && m.kind !== 'pool-checkout') {
            const member = memberOf(n, cls);
            if (member && ts.isMethodDeclaration(member) && member.name && ts.isIdentifier(member.name)) opensWith.add(member.name.text);
            else atConstruction = true;
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(cls);
    }
    const result = release && (atConstruction || opensWith.size)
      ? { release, opensWith: atConstruction ? undefined : [...opensWith] }
      : undefined;
    this.wrappers.set(cls, result ?? null);
    return result;
  }

}

/** The member of `cls` that contains `n` (a constructor, method or property declaration). */
function memberOf(n: ts.Node, cls: ts.ClassLikeDeclaration): ts.ClassElement | undefined {
  for (let p: ts.Node | undefined = n; p && p !== cls; p = p.parent) {
    if (p.parent === cls) return p as ts.ClassElement;
  }
  return undefined;
}

/** `this.x = <n>` or a property initializer. */
function isFieldValue(n: ts.Node): boolean {
  let p = n.parent;
  while (p && (ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p) || ts.isAsExpression(p))) p = p.parent;
  if (!p) return false;
  if (ts.isPropertyDeclaration(p)) return true;
  return ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(p.left) && p.left.expression.kind === ts.SyntaxKind.ThisKeyword;
}


function receiverMatches(o: Origin, receiver: string): boolean {
  const [module, name] = receiver.split(':');
  if (o.module !== module) return false;
  const last = o.path.length ? o.path[o.path.length - 1] : '';
  return last === name;
}

function labelOf(o: Origin): string {
  const mod = o.module === 'global' ? '' : o.module;
  const path = o.path.join('.');
  return mod && path ? `${mod}.${path}` : mod || path;
}

function receiverName(e: ts.Expression): string {
  const x = stripParens(e);
  if (ts.isIdentifier(x)) return x.text;
  if (ts.isPropertyAccessExpression(x)) return x.name.text;
  if (ts.isCallExpression(x)) return receiverName(x.expression);
  return '';
}

function safeType(checker: ts.TypeChecker, e: ts.Expression): ts.Type | undefined {
  try {
    return checker.getTypeAtLocation(e);
  } catch {
    return undefined;
  }
}

function isErrorType(t: ts.Type): boolean {
  return (t as unknown as { intrinsicName?: string }).intrinsicName === 'error';
}

/** Local names bound to a known module: `import WS from 'ws'`, `const { Pool } = require('pg')`. */
function collectModuleBindings(sf: ts.SourceFile, names: Set<string>, withProjectModules = true): void {
  const known = (spec: string) => KNOWN_MODULES.has(spec.startsWith('node:') ? spec.slice(5) : spec);
  const addBinding = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && n.importClause) {
      const c = n.importClause;
      // Imports from the project's own modules may re-export creators under any name.
      if (!known(n.moduleSpecifier.text) && !(withProjectModules && n.moduleSpecifier.text.startsWith('.'))) return;
      if (c.name) names.add(c.name.text);
      const b = c.namedBindings;
      if (b && ts.isNamespaceImport(b)) names.add(b.name.text);
      if (b && ts.isNamedImports(b)) for (const el of b.elements) names.add(el.name.text);
      return;
    }
    if (ts.isVariableDeclaration(n) && n.initializer) {
      let init = skipOuter(n.initializer);
      while (ts.isPropertyAccessExpression(init)) init = init.expression;
      if (ts.isCallExpression(init)) {
        const spec = requireSpecifier(init);
        if (spec && (known(spec) || (withProjectModules && spec.startsWith('.')))) addBinding(n.name);
      }
      aliases.push(n);
    }
    ts.forEachChild(n, visit);
  };
  const aliases: ts.VariableDeclaration[] = [];
  visit(sf);
  // `const transport = secure ? tls : net`, `const open = net.createConnection`: aliases of those names.
  for (let round = 0, changed = true; changed && round < 3; round++) {
    changed = false;
    for (const d of aliases) {
      if (!ts.isIdentifier(d.name) || names.has(d.name.text)) continue;
      if (rootNames(d.initializer!).some((r) => names.has(r) || r === 'fetch' || r === 'WebSocket')) {
        names.add(d.name.text);
        changed = true;
      }
    }
  }
}

/** The identifiers an expression is built on: `a` of `a.b.c`, both sides of `c ? a : b` and `a || b`. */
function rootNames(e: ts.Expression): string[] {
  const x = skipOuter(e);
  if (ts.isIdentifier(x)) return [x.text];
  if (ts.isPropertyAccessExpression(x)) return rootNames(x.expression);
  if (ts.isConditionalExpression(x)) return [...rootNames(x.whenTrue), ...rootNames(x.whenFalse)];
  if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.BarBarToken || x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    return [...rootNames(x.left), ...rootNames(x.right)];
  }
  return [];
}

/**
 * Names of functions and classes of one file that may hand out a resource: a syntactic
 * over-approximation used only as a filter before the real check.
 */
export function projectCreatorNames(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const creatorish = new Set(VALUE_CREATOR_NAMES);
  collectModuleBindings(sf, creatorish, false);
  // Most files call none of these names at all: a text search saves walking them.
  const text = sf.text;
  if (![...creatorish].some((n) => text.includes(`${n}(`))) return out;
  const isCreatorCall = (e: ts.Expression | undefined): boolean => {
    if (!e) return false;
    const x = skipOuter(e);
    if (!ts.isCallExpression(x) && !ts.isNewExpression(x)) return false;
    const c = stripParens(x.expression);
    const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
    return creatorish.has(name);
  };
  /** Some `return` hands out a creator call, directly or through a local variable. */
  const returnsCreatorCall = (fn: ts.FunctionLikeDeclaration): boolean => {
    if (!fn.body) return false;
    if (!ts.isBlock(fn.body)) return isCreatorCall(fn.body as ts.Expression);
    const locals = new Map<string, ts.Expression | undefined>();
    const visitLocals = (n: ts.Node): void => {
      if (ts.isFunctionLike(n)) return;
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) locals.set(n.name.text, n.initializer);
      ts.forEachChild(n, visitLocals);
    };
    ts.forEachChild(fn.body, visitLocals);
    let found = false;
    forEachReturn(fn.body, (r) => {
      const e = r.expression && skipOuter(r.expression);
      if (e && (isCreatorCall(e) || (ts.isIdentifier(e) && isCreatorCall(locals.get(e.text))))) found = true;
    });
    return found;
  };
  /** A class with a release method and a field set from a creator call. */
  const ownsCreatorCall = (cls: ts.ClassLikeDeclaration): boolean => {
    const methods = cls.members.flatMap((m) => (ts.isMethodDeclaration(m) && m.name && ts.isIdentifier(m.name) ? [m.name.text] : []));
    if (!WRAPPER_RELEASE.some((r) => methods.includes(r))) return false;
    let found = false;
    const visit = (x: ts.Node): void => {
      if (found) return;
      if ((ts.isCallExpression(x) || ts.isNewExpression(x)) && isFieldValue(x) && isCreatorCall(x)) found = true;
      else ts.forEachChild(x, visit);
    };
    visit(cls);
    return found;
  };
  const visit = (n: ts.Node): void => {
    let name: string | undefined;
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name && ts.isIdentifier(n.name) && returnsCreatorCall(n)) {
      name = n.name.text;
    } else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer &&
        (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer)) && returnsCreatorCall(n.initializer)) {
      name = n.name.text;
    } else if ((ts.isClassDeclaration(n) || ts.isClassExpression(n)) && n.name && ownsCreatorCall(n)) {
      name = n.name.text;
    }
    if (name) out.add(name);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** ioredis `lazyConnect: true`, anywhere in the options: no connection exists until `connect()` or a command. */
function asksLazyConnect(node: ts.CallExpression | ts.NewExpression): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'lazyConnect' && n.initializer.kind === ts.SyntaxKind.TrueKeyword) found = true;
    else ts.forEachChild(n, visit);
  };
  for (const a of node.arguments ?? []) visit(a);
  return found;
}

/** An options literal that sets `name: true` (and no spread that could change it). */
function setsTrue(arg: ts.Expression | undefined, name: string): boolean {
  const a = arg && stripParens(arg);
  if (!a || !ts.isObjectLiteralExpression(a)) return false;
  let value = false;
  for (const p of a.properties) {
    if (ts.isSpreadAssignment(p)) value = false;
    else if (ts.isPropertyAssignment(p) && p.name && ts.isIdentifier(p.name) && p.name.text === name) value = p.initializer.kind === ts.SyntaxKind.TrueKeyword;
  }
  return value;
}

/** An options literal with `name: 'value'` (`responseType: 'stream'`). */
function setsString(arg: ts.Expression, [name, value]: [string, string]): boolean {
  const a = stripParens(arg);
  return ts.isObjectLiteralExpression(a) && a.properties.some((p) =>
    ts.isPropertyAssignment(p) && p.name && ts.isIdentifier(p.name) && p.name.text === name &&
    ts.isStringLiteralLike(p.initializer) && p.initializer.text === value);
}
