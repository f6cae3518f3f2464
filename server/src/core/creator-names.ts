// The cheap, syntax-only side of finding creators: names under which catalog creators are called in a
// file, and the functions and classes of the project that may hand out a resource. These filters run
// before any origin resolution; creators.ts decides for real.
import { ts } from 'ts-morph';
import { CREATORS, CREATOR_EVENTS, CREATOR_METHODS, KNOWN_MODULES } from './catalog';
import { METHOD_CREATORS } from './method-creators';
import { KINDS, OWN_RELEASE_NAME } from './kinds';
import { requireSpecifier } from './module-specifiers';
import { findNode, forEachReturn, skipOuter, stripParens } from './ast';

/** The release methods of a project class that owns a connection, in the order one is picked. */
export const WRAPPER_RELEASE = KINDS.wrapper.release;

/** The method of a class that releases what it owns: one of WRAPPER_RELEASE first, else one named like it. */
export function releaseMethodOf(methods: string[]): string | undefined {
  return WRAPPER_RELEASE.find((r) => methods.includes(r)) ?? methods.find((m) => OWN_RELEASE_NAME.test(m));
}

/** Names of creators that hand the resource back as a value (not through a callback). */
const VALUE_CREATOR_NAMES = new Set<string>([
  ...CREATORS.filter((c) => c.callbackParam === undefined).flatMap((c) => c.names.map((n) => n.split('.').pop() as string)),
  ...METHOD_CREATORS.filter((m) => m.callbackParam === undefined || m.kind === 'pool-checkout').flatMap((m) => m.methods),
].filter(Boolean));

/** Names of creators that hand the resource to a callback (`https.get(url, (res) => …)`, `req.on('response', …)`). */
const CALLBACK_CREATOR_NAMES = new Set<string>([
  ...CREATORS.filter((c) => c.callbackParam !== undefined).flatMap((c) => c.names.map((n) => n.split('.').pop() as string)),
  ...METHOD_CREATORS.filter((m) => m.callbackParam !== undefined).flatMap((m) => m.methods),
].filter(Boolean));

/** Names under which catalog creators are usually called; a cheap filter before any resolution. */
export const CATALOG_NAMES = new Set<string>(
  [...CREATORS.flatMap((c) => c.names.map((n) => n.split('.').pop() as string)), ...CREATOR_METHODS].filter(Boolean),
);

/**
 * `this.x = <n>`, a property initializer, or a local the same function stores in a field
 * (`const socket = net.connect(…); …; this.socket = socket`).
 */
export function isFieldValue(n: ts.Node): boolean {
  const p = holderOf(n);
  if (!p) return false;
  if (ts.isPropertyDeclaration(p) || isThisFieldAssignment(p)) return true;
  let fn: ts.Node | undefined = p.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  return !!fn && storageOf(n, fn).fields.length > 0;
}

const FIELD_ASSIGNMENTS = new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken]);

/** What receives the value of `made`, past `await`, parentheses, `as` and a branch (`secure ? tls.connect(o) : net.connect(o)`). */
function holderOf(made: ts.Node): ts.Node | undefined {
  let c = made;
  let p = made.parent;
  while (p && (ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || (ts.isConditionalExpression(p) && p.condition !== c))) {
    c = p;
    p = p.parent;
  }
  // `this.#agents = { http: new http.Agent(o), https: new https.Agent(o) }`: kept in the field, under a key.
  if (p && ts.isPropertyAssignment(p) && p.initializer === c && ts.isObjectLiteralExpression(p.parent)) {
    const outer = holderOf(p.parent);
    if (outer && (isThisFieldAssignment(outer) || ts.isPropertyDeclaration(outer))) return outer;
  }
  return p;
}

/** `this.x = …`, also `this.x ??= …` / `||=` (made when the field has none yet). */
export function isThisFieldAssignment(p: ts.Node): p is ts.BinaryExpression & { left: ts.PropertyAccessExpression } {
  return ts.isBinaryExpression(p) && FIELD_ASSIGNMENTS.has(p.operatorToken.kind) &&
    ts.isPropertyAccessExpression(p.left) && p.left.expression.kind === ts.SyntaxKind.ThisKeyword;
}

/**
 * Where the value `made` creates is kept: the local it initialises, and the fields of `this` it is
 * stored in, directly (`this.socket = net.connect()`, a property initializer) or through that local
 * anywhere in `scope` (`const socket = net.connect(); …; this.socket = socket`).
 */
export function storageOf(made: ts.Node, scope: ts.Node): { local?: string; fields: string[] } {
  const p = holderOf(made);
  if (p && isThisFieldAssignment(p)) return { fields: [p.left.name.text] };
  if (p && ts.isPropertyDeclaration(p)) return { fields: memberName(p) ? [memberName(p)!] : [] };
  if (!p || !ts.isVariableDeclaration(p) || !ts.isIdentifier(p.name)) return { fields: [] };
  const local = p.name.text;
  const fields: string[] = [];
  const visit = (x: ts.Node): void => {
    if (isThisFieldAssignment(x) && ts.isIdentifier(skipOuter(x.right)) && (skipOuter(x.right) as ts.Identifier).text === local) fields.push(x.left.name.text);
    ts.forEachChild(x, visit);
  };
  visit(scope);
  return { local, fields };
}

/** A class member's name, private ones (`#connect`) included. */
export function memberName(m: ts.ClassElement): string | undefined {
  return m.name && (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name)) ? m.name.text : undefined;
}

/** A file's bindings to modules, and the names that may alias them; found once per syntax tree. */
interface ModuleBindings {
  /** Bound to a known module: `import WS from 'ws'`, `const { Pool } = require('pg')`. */
  known: string[];
  /** Bound to one of the project's own modules (`./db`), which may re-export creators under any name. */
  project: string[];
  /** `const transport = secure ? tls : net`, `this.fetchImpl = …`: a name and what it is set to. */
  aliases: [string, ts.Expression][];
}

/** A function or class of a file that may hand out a resource, and the names it is known by. */
interface Candidate {
  node: ts.FunctionLikeDeclaration | ts.ClassLikeDeclaration;
  names: string[];
}

/** What one walk of a file finds: its module bindings and its named functions and classes. */
interface FileFacts {
  bindings: ModuleBindings;
  candidates: Candidate[];
}

const FACTS = new WeakMap<ts.SourceFile, FileFacts>();

const moduleBindingsOf = (sf: ts.SourceFile): ModuleBindings => factsOf(sf).bindings;

/** The file's named functions and classes, in the order of a walk of the file. */
const candidatesOf = (sf: ts.SourceFile): Candidate[] => factsOf(sf).candidates;

/** Found once per syntax tree, in one walk: every file is asked for both. */
function factsOf(sf: ts.SourceFile): FileFacts {
  const hit = FACTS.get(sf);
  if (hit) return hit;
  const out: ModuleBindings = { known: [], project: [], aliases: [] };
  const candidates: Candidate[] = [];
  const known = (spec: string) => KNOWN_MODULES.has(spec.startsWith('node:') ? spec.slice(5) : spec);
  const listFor = (spec: string) => (known(spec) ? out.known : spec.startsWith('.') ? out.project : undefined);
  const addBinding = (list: string[], name: ts.BindingName) => {
    if (ts.isIdentifier(name)) list.push(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) addBinding(list, el.name);
  };
  const isFunction = (e: ts.Node): e is ts.ArrowFunction | ts.FunctionExpression => ts.isArrowFunction(e) || ts.isFunctionExpression(e);
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n)) {
      if (!ts.isStringLiteral(n.moduleSpecifier) || !n.importClause) return;
      const list = listFor(n.moduleSpecifier.text);
      if (!list) return;
      const c = n.importClause;
      if (c.name) list.push(c.name.text);
      const b = c.namedBindings;
      if (b && ts.isNamespaceImport(b)) list.push(b.name.text);
      if (b && ts.isNamedImports(b)) for (const el of b.elements) list.push(el.name.text);
      return;
    }
    if (ts.isVariableDeclaration(n) && n.initializer) {
      let init = skipOuter(n.initializer);
      while (ts.isPropertyAccessExpression(init)) init = init.expression;
      if (ts.isCallExpression(init)) {
        const spec = requireSpecifier(init);
        const list = spec ? listFor(spec) : undefined;
        if (list) addBinding(list, n.name);
      }
      if (ts.isIdentifier(n.name)) out.aliases.push([n.name.text, n.initializer]);
    }
    // `fetchImpl = fetch` of a parameter (`{ fetch: f = fetch }` too): its default.
    if ((ts.isParameter(n) || ts.isBindingElement(n)) && n.initializer && ts.isIdentifier(n.name)) out.aliases.push([n.name.text, n.initializer]);
    // `private readonly g = fetch`, `this.fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis)`.
    if (ts.isPropertyDeclaration(n) && n.initializer && ts.isIdentifier(n.name)) out.aliases.push([n.name.text, n.initializer]);
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) &&
        n.left.expression.kind === ts.SyntaxKind.ThisKeyword) out.aliases.push([n.left.name.text, n.right]);
    // The functions and classes that may hand out a resource (creatorNamesWith), under the names they are called by.
    // A private method too (`#open()`, called `this.#open()`).
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name && (ts.isIdentifier(n.name) || ts.isPrivateIdentifier(n.name))) {
      candidates.push({ node: n, names: [n.name.text] });
    } else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && isFunction(n.initializer)) {
      candidates.push({ node: n.initializer, names: [n.name.text] });
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && isFunction(n.right)) {
      candidates.push({ node: n.right, names: [n.left.name.text] }); // `exports.startServer = function (…) {…}`, `LiveServer.start = …`
    } else if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && isFunction(n.initializer)) {
      candidates.push({ node: n.initializer, names: [n.name.text] }); // `module.exports = { start: function (…) {…} }`
    } else if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) {
      // `exports.Engine = class CatboxRedis {…}`, `const Store = class {…}`: also the name it is known by.
      const names = n.name ? [n.name.text] : [];
      const holder = ts.isClassExpression(n) ? n.parent : undefined;
      if (holder && ts.isBinaryExpression(holder) && holder.right === n && ts.isPropertyAccessExpression(holder.left)) names.push(holder.left.name.text);
      if (holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) names.push(holder.name.text);
      if (names.length) candidates.push({ node: n, names });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const facts = { bindings: out, candidates };
  FACTS.set(sf, facts);
  return facts;
}

/**
 * Adds to `names` the local names bound to a known module (`import WS from 'ws'`,
 * `const { Pool } = require('pg')`), with `withProjectModules` those bound to the project's own
 * modules, and the names that alias any of them.
 */
export function collectModuleBindings(sf: ts.SourceFile, names: Set<string>, withProjectModules = true): void {
  const bindings = moduleBindingsOf(sf);
  for (const n of bindings.known) names.add(n);
  if (withProjectModules) for (const n of bindings.project) names.add(n);
  // `const transport = secure ? tls : net`, `const open = net.createConnection`: aliases of those names.
  for (let round = 0, changed = true; changed && round < 3; round++) {
    changed = false;
    for (const [name, init] of bindings.aliases) {
      if (names.has(name)) continue;
      if (rootNames(init).some((r) => names.has(r) || r === 'fetch' || r === 'WebSocket')) {
        names.add(name);
        changed = true;
      }
    }
  }
}

/** The identifiers an expression is built on: `a` of `a.b.c`, both sides of `c ? a : b` and `a || b`. */
function rootNames(e: ts.Expression): string[] {
  const x = skipOuter(e);
  if (ts.isIdentifier(x)) return [x.text];
  // `globalThis.fetch`: the global's own name counts too.
  if (ts.isPropertyAccessExpression(x)) return [...rootNames(x.expression), ...(x.name.text === 'fetch' || x.name.text === 'WebSocket' ? [x.name.text] : [])];
  // `fetch.bind(globalThis)` is `fetch`.
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'bind') return rootNames(x.expression.expression);
  if (ts.isConditionalExpression(x)) return [...rootNames(x.whenTrue), ...rootNames(x.whenFalse)];
  if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.BarBarToken || x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    return [...rootNames(x.left), ...rootNames(x.right)];
  }
  return [];
}

/**
 * Names of functions and classes that may hand out a resource: a syntactic over-approximation used
 * only as a filter before the real check (creators.ts).
 */
export interface FileCreatorNames {
  /** Functions and classes that may hand out a resource on this file's own evidence. */
  names: Set<string>;
  /** Those that may, should one of `imports` be a project creator itself (`return new FlagClient()`). */
  ifImported: () => Set<string>;
  /** The names this file binds to the project's own modules. */
  imports: string[];
}

/**
 * Names of functions and classes of one file that may hand out a resource, as far as the file tells:
 * what depends on other files is kept apart (`ifImported`), so the result is a function of the file
 * alone (cached per syntax tree) and the project's set is a fixpoint over the files (leaks.ts).
 */
export function projectCreatorNames(sf: ts.SourceFile): FileCreatorNames {
  const creatorish = new Set(VALUE_CREATOR_NAMES);
  collectModuleBindings(sf, creatorish, false);
  const names = creatorNamesWith(sf, creatorish, new Set());
  const imports = moduleBindingsOf(sf).project;
  let ifImported: Set<string> | undefined;
  return {
    names,
    imports,
    // Asked only of a file that imports a creator: most never are.
    ifImported: () => {
      if (ifImported) return ifImported;
      ifImported = new Set();
      if (!imports.length) return ifImported;
      // Only a declaration that names an import, or a name the first search found, can answer otherwise now.
      const more = creatorNamesWith(sf, new Set([...creatorish, ...imports]), new Set(names), [...imports, ...names]);
      for (const n of more) if (!names.has(n)) ifImported.add(n);
      return ifImported;
    },
  };
}

/** Where in `text` any of `names` occurs, in order (one pass of a regular expression, not a search per name). */
function occurrences(text: string, names: string[]): number[] {
  if (!names.length) return [];
  const any = new RegExp(names.map(escapeRegExp).join('|'), 'g');
  const at: number[] = [];
  for (let m = any.exec(text); m; m = any.exec(text)) {
    at.push(m.index);
    any.lastIndex = m.index + 1; // overlapping names (`Pool`, `PoolClient`) each count
  }
  return at;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Some position of `sorted` lies in [from, to). */
function anyWithin(sorted: number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] < to;
}

/**
 * `name(` for the catalog's names in one pass of a regular expression: a search per name costs 4 times more. Also
 * `name<T>(`, TypeScript's call with type arguments (`this.http.get<Readable>(url, o)`).
 */
const CALLS_A_VALUE_CREATOR = new RegExp(`(?:${[...VALUE_CREATOR_NAMES].map(escapeRegExp).join('|')})(?:<[^;()]{0,200}>)?\\(`);

/** `text` holds `name(` (or `name<`) for some name of `names`, as text (`target(` holds `get(`: a filter, not a parse). */
function callsAnyOf(text: string, names: Set<string>): boolean {
  if (CALLS_A_VALUE_CREATOR.test(text)) return true;
  for (const n of names) if (!VALUE_CREATOR_NAMES.has(n) && (text.includes(`${n}(`) || text.includes(`${n}<`))) return true;
  return false;
}

/**
 * Adds to `out` the names of the file's functions and classes that hand out a resource, calling one of
 * `creatorish` (which grows with what is found). A declaration is judged only on the calls inside it, so
 * one that does not name any of `mentioning` (when given) or of the names found since is not judged again.
 */
function creatorNamesWith(sf: ts.SourceFile, creatorish: Set<string>, out: Set<string>, mentioning?: string[]): Set<string> {
  // Most files call none of these names at all: a text search saves walking them.
  const text = sf.text;
  if (!callsAnyOf(text, creatorish) && !/,\s*[\w$.]*cred/i.test(text)) return out;
  const { returnsCreatorCall, ownsCreatorCall } = creatorTests(creatorish);
  const candidates = candidatesOf(sf);
  // Until nothing new is found: `createFeed()` returns `new Feed()`, a class found on the same pass.
  // Another pass can find more only where a name found by the last one is called in this file.
  for (let size = out.size, named = mentioning && occurrences(text, mentioning); ;) {
    for (const c of candidates) {
      if (c.names.every((n) => out.has(n)) || (named && !anyWithin(named, c.node.pos, c.node.end))) continue;
      const found = ts.isClassLike(c.node) ? ownsCreatorCall(c.node) : returnsCreatorCall(c.node);
      if (found) for (const n of c.names) out.add(n);
    }
    if (out.size === size) break;
    size = out.size;
    const fresh = [...out].filter((name) => !creatorish.has(name));
    for (const name of fresh) creatorish.add(name);
    if (!fresh.some((name) => (text.includes(`${name}(`) || text.includes(`${name}<`)))) break;
    named = occurrences(text, fresh);
  }
  return out;
}

/** `ws = new WebSocket(url)` in a function nested in `body`. */
function setInNestedFunction(body: ts.Node, isCreatorCall: (e: ts.Expression) => boolean): boolean {
  return !!findNode(body, (n) => ts.isFunctionLike(n) && !!findNode(n, (x) => ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(x.left) && isCreatorCall(x.right)));
}

/** The syntactic tests of a function or class, against the names of creators known so far. */
function creatorTests(creatorish: Set<string>) {
  const isCreatorCall = (e: ts.Expression | undefined): boolean => {
    if (!e) return false;
    const x = skipOuter(e);
    if (!ts.isCallExpression(x) && !ts.isNewExpression(x)) return false;
    const c = stripParens(x.expression);
    const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
    // `new RankingService(addr, credentials.createInsecure())`: a gRPC client, whatever its constructor (creators.ts grpcClient).
    return creatorish.has(name) || (ts.isNewExpression(x) && (x.arguments?.length ?? 0) >= 2 && /cred/i.test(x.arguments![1].getText()));
  };
  /** A call that hands a resource to a callback, `on`/`once` only for a 'response' (or a CONNECT's 'connect'). */
  const isCallbackCreatorCall = (n: ts.Node): boolean => {
    if (!ts.isCallExpression(n)) return false;
    const c = stripParens(n.expression);
    const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
    if (!CALLBACK_CREATOR_NAMES.has(name)) return false;
    const event = n.arguments[0];
    return (name !== 'on' && name !== 'once') || (!!event && ts.isStringLiteralLike(event) && CREATOR_EVENTS.has(event.text));
  };
  /**
   * `return new Promise((resolve) => { const s = net.connect(o); … })`: a creator call inside the
   * executor, or one that hands its resource to a callback (`https.get(url, resolve)`).
   */
  const promisesCreatorCall = (e: ts.Expression): boolean => {
    if (!ts.isNewExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== 'Promise' || !e.arguments?.[0]) return false;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if ((ts.isVariableDeclaration(n) && isCreatorCall(n.initializer)) || isCallbackCreatorCall(n)) found = true;
      else ts.forEachChild(n, visit);
    };
    visit(e.arguments[0]);
    return found;
  };
  /** Some `return` hands out a creator call, directly or through a local variable. */
  const returnsCreatorCall = (fn: ts.FunctionLikeDeclaration): boolean => {
    if (!fn.body) return false;
    // `const connect = (host) => new Promise((resolve) => { const conn = new Client(); … })` too.
    if (!ts.isBlock(fn.body)) return isCreatorCall(fn.body as ts.Expression) || promisesCreatorCall(skipOuter(fn.body as ts.Expression));
    const locals = new Map<string, ts.Expression | undefined>();
    const visitLocals = (n: ts.Node): void => {
      if (ts.isFunctionLike(n)) return;
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && !isCreatorCall(locals.get(n.name.text))) locals.set(n.name.text, n.initializer);
      // `const { body } = await request(u)`: each name taken apart from it (returned-bodies.ts).
      if (ts.isVariableDeclaration(n) && ts.isObjectBindingPattern(n.name) && isCreatorCall(n.initializer)) {
        for (const el of n.name.elements) if (ts.isIdentifier(el.name)) locals.set(el.name.text, n.initializer);
      }
      // `var server; if (https) server = https.createServer(o, app); else server = http.createServer(app)`.
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && isCreatorCall(n.right)) locals.set(n.left.text, n.right);
      ts.forEachChild(n, visitLocals);
    };
    ts.forEachChild(fn.body, visitLocals);
    let found = false;
    forEachReturn(fn.body, (r) => {
      const e = r.expression && skipOuter(r.expression);
      if (e && (isCreatorCall(e) || (ts.isIdentifier(e) && isCreatorCall(locals.get(e.text))) || promisesCreatorCall(e))) found = true;
      // `return res.body`, `return res.data`: the body of a response made here.
      if (e && ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && isCreatorCall(locals.get(e.expression.text))) found = true;
      // `const srv = http.createServer(h); return new Promise((resolve) => srv.listen(0, () => resolve(srv)))`.
      if (e && ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Promise' && [...locals.values()].some((init) => isCreatorCall(init))) found = true;
      // `const socket = net.connect(o); …; return new ModbusClient(socket)`: a project object around it (creators.ts wrapping).
      if (e && ts.isNewExpression(e) && (e.arguments ?? []).some((a) => ts.isIdentifier(a) && isCreatorCall(locals.get(a.text)))) found = true;
      // `return { url, close: () => server.close() }`: a handle whose release method closes a local resource;
      // `return { client, db }`: an object holding one.
      // Also `let ws = null; function connect() { ws = new WebSocket(url) }` (returned-handles.ts laterValue).
      if (e && ts.isObjectLiteralExpression(e) && e.properties.some((p) => p.name && WRAPPER_RELEASE.includes(p.name.getText())) &&
          ([...locals.values()].some((init) => isCreatorCall(init)) || setInNestedFunction(fn.body!, isCreatorCall))) found = true;
      if (e && ts.isObjectLiteralExpression(e) && e.properties.some((p) => {
        const v = ts.isShorthandPropertyAssignment(p) ? p.name : ts.isPropertyAssignment(p) ? skipOuter(p.initializer) : undefined;
        return !!v && ts.isIdentifier(v) && isCreatorCall(locals.get(v.text));
      })) found = true;
    });
    return found;
  };
  /** A class with a release method and a field set from a creator call. */
  const ownsCreatorCall = (cls: ts.ClassLikeDeclaration): boolean => {
    const methods = cls.members.flatMap((m) => (ts.isMethodDeclaration(m) && m.name && ts.isIdentifier(m.name) ? [m.name.text] : []));
    if (!releaseMethodOf(methods)) return false;
    let found = false;
    const visit = (x: ts.Node): void => {
      if (found) return;
      // The name first: isFieldValue walks the whole method around the call.
      if ((ts.isCallExpression(x) || ts.isNewExpression(x)) && isCreatorCall(x) && isFieldValue(x)) found = true;
      else ts.forEachChild(x, visit);
    };
    visit(cls);
    return found || constructsItselfAround(cls);
  };
  /** `static async connect() { const socket = tls.connect(o); …; return new Store(socket) }` (wrapper-classes.ts). */
  const constructsItselfAround = (cls: ts.ClassLikeDeclaration): boolean => {
    const name = cls.name?.text;
    if (!name) return false;
    let found = false;
    const locals = new Map<string, ts.Expression | undefined>();
    const visit = (x: ts.Node): void => {
      if (found) return;
      if (ts.isVariableDeclaration(x) && ts.isIdentifier(x.name)) locals.set(x.name.text, x.initializer);
      if (ts.isNewExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === name &&
          (x.arguments ?? []).some((a) => ts.isIdentifier(a) && isCreatorCall(locals.get(a.text)))) found = true;
      else ts.forEachChild(x, visit);
    };
    for (const m of cls.members) if (ts.isMethodDeclaration(m) && m.modifiers?.some((k) => k.kind === ts.SyntaxKind.StaticKeyword)) visit(m);
    return found;
  };
  return { returnsCreatorCall, ownsCreatorCall };
}
