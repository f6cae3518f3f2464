// Recognising creators: catalog entries reached through imports, methods on pools and clients,
// functions of the project that return a new resource, and classes of the project that own one.
import { ts } from 'ts-morph';
import { CLONED_MEMBERS, CREATORS, CREATOR_METHODS, normalizeModule } from './catalog';
import { METHOD_CREATORS, MethodCreatorSpec } from './method-creators';
import { KINDS, ResourceKind } from './kinds';
import { Origin, OriginResolver } from './origins';
import { GRPC_MODULES, grpcClientOf } from './grpc-clients';
import { importedNameOf, requireSpecifier } from './module-specifiers';
import { assignmentsTo, calleeName, constInitializer, findNode, followAlias, forEachReturn, functionOfDeclaration, isCallbackArgument, isNullLiteral, promiseExecutor, receiverName, receiverNames, skipOuter, stripParens, within } from './ast';
import { CATALOG_NAMES, collectModuleBindings } from './creator-names';
import { WrapperInfo, wrapperOf, wrapsArgument } from './wrapper-classes';
import { asksLazyConnect, givesClient, lendsClientTo, isEvent, lacksOption, namesLocalDatabase, namesOption, receiverMadeWith, sendsCommand, setsString, setsTrue } from './creator-options';
import { HandleLookup, heldProperty, releaseHandle, teardownOf } from './returned-handles';
import { inTestCode } from './execution';
import { CHAINABLE, isAgentsRequest } from './call-shapes';
import { resultUsedAsServer } from './supertest';
import { appOfChain, attachedCloser, factoryProduct } from './factories';
import { promisifiedExport, promisifiedMethod, promisifiedNames } from './promisified';
import { promisedHandle, promisedResource, resolvedObjects, storedElsewhere } from './promised';
import { typeAt } from './types-of';
import { localReturningSelf, opensLocal, unrefsWhatItReturns } from './helper-effects';
import { programNamesModule } from './required-modules';
import { isRequestShaped } from './injected-fetch';
import { CreatorMatch, isErrorType, labelOf, packageOf, promiseForm, receiverMatches } from './creator-match';
import { annotatedWithProjectClass } from './annotated-receivers';
import { bodyEnd, returnedBody } from './returned-bodies';
export type { CreatorMatch };

/** Kinds whose method creators the catalog knows in their promise form only (a callback form hands the resource elsewhere). */
const CALLBACK_FORMS_NOT_FOLLOWED = new Set<ResourceKind>(['response', 'amqp-channel', 'pool-checkout']);

/** Node's servers: made unbound, opened by `listen()`. */
const UNBOUND_SERVER_MODULES = new Set(['net', 'tls', 'http', 'https', 'http2', 'ldapjs']);
/** Project helpers followed this deep (`removeTagging` → `makeRequest` → `makeRequestStream` → `requestWithRetry` → `request`); each is read once. */
const HELPER_DEPTH = 6;

/** A project function that hands out a new resource: its kind, and the catalog creator it comes from when one does. */
interface HelperResult {
  kind: ResourceKind;
  inner?: CreatorMatch;
  /** The resource is this property of what the function returns (`return { client, db }`). */
  through?: string;
  /** A handle with a teardown that also holds the resource in this property (CreatorMatch.heldWhenDestructured). */
  held?: { name: string; match: CreatorMatch };
  /** The handle's teardown (`stop` of `return { port, stop() {…} }`), how a fix closes it. */
  release?: string;
}

export class CreatorFinder {
  /** What each project function hands out (see returnsResource), with the catalog creator behind it. */
  private helpers = new Map<ts.Node, HelperResult | null>();
  /** Project functions that return a server they never listen on (`createAppServer(app)`). */
  private unboundServers = new Set<ts.Node>();
  private wrappers = new Map<ts.Node, WrapperInfo | null>();
  private fileNames = new WeakMap<ts.SourceFile, Set<string>>();
  private fileModules = new WeakMap<ts.SourceFile, Set<string>>();
  private filePromisified = new WeakMap<ts.SourceFile, Set<string>>();

  constructor(private resolver: OriginResolver, private checker: ts.TypeChecker, private projectNames: () => Set<string>,
    private dependsOn: (file: string, module: string) => boolean,
    /** The JavaScript that runs for a declaration of the project's hand-written typings (typings-implementation.ts). */
    private implementation: (d: ts.Declaration | undefined) => ts.Declaration | undefined = () => undefined) {}

  private matcher = (n: ts.CallExpression | ts.NewExpression, depth: number) => this.match(n, depth);

  /** Local names in this file that may call a creator: imports of known modules, catalog and project creator names. */
  candidateNames(sf: ts.SourceFile): Set<string> {
    let names = this.fileNames.get(sf);
    if (!names) {
      names = new Set(CATALOG_NAMES);
      collectModuleBindings(sf, names);
      this.promisifiedIn(sf).forEach((n) => names!.add(n));
      this.fileNames.set(sf, names);
    }
    return names;
  }

  private promisifiedIn(sf: ts.SourceFile): Set<string> {
    let names = this.filePromisified.get(sf);
    if (!names) this.filePromisified.set(sf, (names = promisifiedNames(sf)));
    return names;
  }

  isCandidate(node: ts.CallExpression | ts.NewExpression, names: Set<string>): boolean {
    const callee = stripParens(node.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    // `await new Promise((resolve, reject) => https.get(url, resolve).on('error', reject))`: when some
    // call in the executor is a candidate itself.
    const executor = promiseExecutor(node);
    if (executor) return this.holdsCandidate(executor, names);
    return !!name && (names.has(name) || this.projectNames().has(name)) || this.mayMakeGrpcClient(node);
  }

  /** `new CatalogClient(addr, creds)` in a file that loads gRPC, or whose program does (the constructor and credentials from a module of its own). */
  private mayMakeGrpcClient(node: ts.CallExpression | ts.NewExpression): boolean {
    return ts.isNewExpression(node) && (node.arguments?.length ?? 0) >= 2 && (this.loadsModule(node.getSourceFile(), GRPC_MODULES) || GRPC_MODULES.some((m) => programNamesModule(this.checker, m)));
  }

  /** Some call inside `node` (other than a nested promise) is a candidate itself. */
  private holdsCandidate(node: ts.Node, names: Set<string>): boolean {
    const visit = (n: ts.Node): boolean =>
      ((ts.isCallExpression(n) || ts.isNewExpression(n)) && calleeName(n) !== 'Promise' && this.isCandidate(n, names)) || !!ts.forEachChild(n, visit);
    return visit(node);
  }

  match(node: ts.CallExpression | ts.NewExpression, depth = 0): CreatorMatch | undefined {
    const callee = stripParens(node.expression);
    const isNew = ts.isNewExpression(node);
    if (!isNew && ts.isPropertyAccessExpression(callee) && CREATOR_METHODS.has(callee.name.text)) {
      const m = this.methodCreator(node as ts.CallExpression, callee);
      if (m) return m;
      // `opsDb.getConnection()`, exported by a module of the project as `promisify(pool.getConnection).bind(pool)` (asked
      // only where the receiver is a plain name, as a module object is).
      const wrapped = ts.isIdentifier(callee.name) && ts.isIdentifier(stripParens(callee.expression))
        ? promisifiedExport(callee.name, (n) => this.resolver.targetOf(n), (n) => this.resolver.symbolOf(n)) : undefined;
      const viaExport = wrapped && CREATOR_METHODS.has(wrapped.name.text) ? this.methodCreator(node as ts.CallExpression, wrapped) : undefined;
      if (viaExport) return { ...viaExport, callbackParam: undefined };
    }
    // `await getConnection()` of `const getConnection = promisify(pool.getConnection).bind(pool)` (looked up only for such names).
    const promisified = !isNew && ts.isIdentifier(callee) && this.promisifiedIn(node.getSourceFile()).has(callee.text)
      ? promisifiedMethod(callee, (n) => this.resolver.symbolOf(n)) : undefined;
    if (promisified && CREATOR_METHODS.has(promisified.name.text)) {
      const m = this.methodCreator(node as ts.CallExpression, promisified);
      if (m) return { ...m, callbackParam: undefined };
    }
    // A promise whose executor hands it a resource it has just made: the promise resolves to that resource.
    const executor = promiseExecutor(node);
    if (executor) {
      const inner = depth < HELPER_DEPTH ? promisedResource(executor, this.matcher, this.resolver, depth) : undefined;
      return inner && { ...inner, callbackParam: undefined, receiver: undefined };
    }
    const grpc = isNew && this.mayMakeGrpcClient(node) ? grpcClientOf(node as ts.NewExpression, this.resolver) : undefined;
    if (grpc) return grpc;
    const origin = this.resolver.ofBinding(callee) ?? this.typedModuleMember(callee);
    // A module of the project (`require('./db')`) is no catalog entry: its classes and functions are the project's.
    if (origin && !origin.instance && !origin.projectModule) {
      if (origin.injected && !isRequestShaped(node)) return undefined;
      const key = origin.path.join('.');
      for (const c of CREATORS) {
        if (!c.modules.includes(origin.module) || !c.names.includes(key)) continue;
        if (c.via === 'new' && !isNew) continue;
        if (c.via === 'call' && isNew) continue;
        // `lazyConnect: true`: nothing is open until `connect()` (or a first command, not followed here).
        const lazy = c.kind === 'redis-client' && asksLazyConnect(node);
        const atOnce = !!c.openAtOnceWith && namesOption(node.arguments?.[0], c.openAtOnceWith);
        if (c.holdsOnlyWith && !setsTrue(node.arguments?.[0], c.holdsOnlyWith, true, (n) => this.resolver.symbolOf(n))) return undefined;
        if (c.holdsOnlyWithout && !setsTrue(node.arguments?.[0], c.holdsOnlyWithout, false, (n) => this.resolver.symbolOf(n))) return undefined;
        if (c.onlyWithOption && !(node.arguments ?? []).some((a) => setsString(a, c.onlyWithOption!))) return undefined;
        if ((c.notWithOptions && namesOption(node.arguments?.[0], c.notWithOptions)) || (c.holdsOnlyNaming && lacksOption(node.arguments?.[0], c.holdsOnlyNaming))) return undefined;
        if (c.needsArgument && !node.arguments?.length) return undefined;
        if (c.localWith && namesLocalDatabase(node.arguments ?? [], c.localWith)) return undefined;
        if (c.reusesClientIn && (node.arguments ?? []).some((a) => givesClient(a, c.reusesClientIn!, (id) => this.resolver.targetOf(id)?.valueDeclaration))) return undefined;
        return {
          kind: c.kind, callbackParam: c.callbackParam, label: labelOf(origin), viaModule: origin.module, fixCall: c.fixCall,
          symptom: c.symptom, bodyProperty: c.bodyProperty, through: c.through, opensWith: lazy ? ['connect'] : atOnce ? undefined : c.opensWith, returnsSelf: c.returnsSelf,
          unbound: c.kind === 'server' && UNBOUND_SERVER_MODULES.has(origin.module) || undefined, injected: origin.injected ?? origin.replaceable,
          handlerMethods: c.handlerMethods, openerFailsOpen: c.openerFailsOpen, moduleState: c.moduleState,
        };
      }
      return undefined;
    }
    if (depth < HELPER_DEPTH) return this.projectCreator(node, callee, depth);
    return undefined;
  }

  private methodCreator(node: ts.CallExpression, callee: ts.PropertyAccessExpression): CreatorMatch | undefined {
    const method = callee.name.text;
    // `responseType: 'stream'` decides before the receiver is looked at: `.get(…)` is everywhere.
    const specs = METHOD_CREATORS.filter((s) => s.methods.includes(method) && (!s.onlyWithOption || node.arguments.some((a) => setsString(a, s.onlyWithOption!)) ||
      receiverMadeWith(node, callee.expression, s.onlyWithOption, (n) => this.resolver.symbolOf(n))) && (!s.event || isEvent(node.arguments[0], s.event)));
    if (!specs.length && method !== 'listen') return undefined;
    if ((method === 'on' || method === 'once') && !specs.some((s) => s.event)) return undefined;
    const recv = (method === 'listen' && appOfChain(callee.expression, this.resolver)) || callee.expression;
    let origin = this.resolver.of(recv) ?? factoryProduct(recv, this.resolver, this.checker);
    let typeUnknown = false;
    if (!origin && this.typeCanAnswer(method, specs)) {
      const t = typeAt(this.checker, recv);
      typeUnknown = !t || (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0 || isErrorType(t);
      if (!typeUnknown) origin = this.resolver.ofType(recv);
    }
    for (const spec of specs) {
      if (spec.event === 'response' && isAgentsRequest(recv, (n) => this.resolver.symbolOf(n))) continue;
      // `const session = http2.connect(o)`: made by the receiver's own creator, not by a project function that may share one.
      const made = spec.sharedReceiverOnly && ts.isIdentifier(recv) ? constInitializer(this.resolver.symbolOf(recv)) : undefined;
      const madeBy = made && ts.isCallExpression(made) && spec.receivers.includes(`${this.resolver.ofBinding(made.expression)?.module}:${calleeName(made)}`);
      if ((spec.needsArgument && node.arguments.length === 0) || madeBy) continue;
      if (spec.onlyWithCommand && !sendsCommand(node.arguments[0], spec.receivers[0].split(':')[0], spec.onlyWithCommand, (e) => this.resolver.ofBinding(e), (n) => this.resolver.symbolOf(n))) continue;
      // A callback form where the catalog knows only the promise form (undici's `client.request(opts, cb)`,
      // generic-pool v2's `pool.acquire((err, res) => …)`; amqplib's `conn.createChannel((err, ch) => …)`): not followed.
      if (spec.callbackParam === undefined && CALLBACK_FORMS_NOT_FOLLOWED.has(spec.kind) && node.arguments.some((a) => isCallbackArgument(a, (n) => this.resolver.symbolOf(n)))) continue;
      if (origin?.instance && spec.receivers.some((r) => receiverMatches(origin!, r))) {
        // `req.on('response', cb)`: the response is named after its request (`http.request`), not the listener.
        const label = method === 'on' || method === 'once' ? labelOf(origin) : `${labelOf(origin)}.${method}${spec.onlyWithCommand ? `(${spec.onlyWithCommand.join('|')})` : ''}`;
        return {
          kind: spec.kind, callbackParam: spec.callbackParam, label, receiver: recv, viaModule: origin.module, fixCall: spec.fixCall,
          symptom: spec.symptom, through: spec.through, opensWith: spec.opensWith, reportAtCreation: spec.reportAtCreation, bodyProperty: spec.bodyProperty, resultFirst: spec.resultFirst, returnsSelf: spec.returnsSelf,
          openerFailsOpen: spec.openerFailsOpen, failsWhenBroken: spec.failsWhenBroken,
        };
      }
      // `pool.getConnection()` on a pool of unknown type: one of the library's when this file loads that
      // library, or its package depends on it (a helper made the pool and the caller passed it in).
      const modules = spec.receiverNamePattern && spec.receivers.map((r) => r.split(':')[0]);
      const stringFirst = spec.notWithStringFirst && node.arguments?.[0] && (ts.isStringLiteralLike(node.arguments[0]) || ts.isTemplateExpression(node.arguments[0]) || /key$/i.test(node.arguments[0].getText()));
      if (!origin && typeUnknown && modules && !stringFirst && receiverNames(recv).some((n) => spec.receiverNamePattern!.test(n)) && !this.madeByOther(recv, modules) &&
          (this.loadsModule(node.getSourceFile(), modules) || modules.some((m) => this.dependsOn(node.getSourceFile().fileName, packageOf(m))))) {
        return {
          kind: spec.kind, callbackParam: spec.callbackParam, label: `${receiverName(recv)}.${method}`, receiver: recv, through: spec.through, opensWith: spec.opensWith, reportAtCreation: spec.reportAtCreation,
          symptom: spec.symptom, fixCall: spec.fixCall, returnsSelf: spec.returnsSelf, openerFailsOpen: spec.openerFailsOpen, failsWhenBroken: spec.failsWhenBroken,
        };
      }
    }
    // A test that starts an app it built elsewhere (`createApp().listen(0)`) and reads the server's
    // `address()`: whatever the app is, what `listen` returned is a listening server.
    // The same with the app's typings installed (an Express type is no creator of the catalog), but not
    // for a server of Node's own modules, which is followed from its createServer().
    if (method === 'listen' && !(origin && NODE_SERVER_MODULES.has(origin.module)) && inTestCode(node) &&
        !(ts.isCallOrNewExpression(stripParens(recv)) && this.match(stripParens(recv) as ts.CallExpression, 1)) &&
        resultUsedAsServer(node, this.resolver)) {
      return { kind: 'server', label: `${receiverName(recv)}.listen`, receiver: recv };
    }
    return undefined;
  }

  /**
   * `client.gateway.stream(path)` where `gateway: Got`: a member of a value typed as the module itself (catalog.ts
   * moduleClone), looked up only for a member the catalog knows of a module the program names.
   */
  private typedModuleMember(callee: ts.Expression): Origin | undefined {
    if (!ts.isPropertyAccessExpression(callee) || !CLONED_MEMBERS.has(callee.name.text)) return undefined;
    const recv = this.resolver.of(callee.expression) ?? this.resolver.ofType(callee.expression);
    return recv && !recv.instance && !recv.path.length && programNamesModule(this.checker, recv.module) ? { ...recv, path: [callee.name.text] } : undefined;
  }

  /**
   * The receiver's type can decide: a spec guesses from the receiver's name when its type is unknown,
   * or some file of the program names a module of the specs' receivers (a type of a module that no
   * import, `declare module` or type reference names is in no program). `map.get(k)` of every file
   * would otherwise be type-checked for `@actions/http-client`'s `client.get(url)`.
   */
  private typeCanAnswer(method: string, specs: readonly MethodCreatorSpec[]): boolean {
    return method === 'listen' || specs.some((s) => s.receiverNamePattern ||
      s.receivers.some((r) => { const m = r.split(':')[0]; return programNamesModule(this.checker, m) || programNamesModule(this.checker, `node:${m}`); }));
  }

  /** `new Queue(name, { connection })` of BullMQ: the library is lent the client in that option and leaves it to its owner. */
  lendsClient(call: ts.CallExpression | ts.NewExpression, option: string): boolean {
    return lendsClientTo(call, option, (e) => this.resolver.ofBinding(e));
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

  /**
   * `let pool; pool = new mssql.ConnectionPool(cs); await pool.connect()`: a variable set from another
   * library's constructor or call is that library's object, whatever its name (mssql's `connect()`
   * connects the pool and resolves to the pool itself, it checks nothing out).
   */
  private madeByOther(recv: ts.Expression, modules: string[]): boolean {
    const x = stripParens(recv);
    if (!ts.isIdentifier(x)) return false;
    const decl = this.resolver.symbolOf(x)?.declarations?.[0];
    if (!decl || !ts.isVariableDeclaration(decl)) return false;
    const values: ts.Expression[] = decl.initializer ? [decl.initializer] : [];
    const scope = decl.parent?.parent?.parent ?? decl;
    const visit = (n: ts.Node): void => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === x.text) values.push(n.right);
      ts.forEachChild(n, visit);
    };
    visit(scope);
    return values.some((v) => {
      const made = skipOuter(v);
      if (!ts.isNewExpression(made) && !ts.isCallExpression(made)) return false;
      const o = this.resolver.of(made.expression);
      return !!o && o.module !== 'global' && !modules.some((m) => packageOf(m) === packageOf(o.module));
    });
  }

  /** A function or class of this project that hands out a new resource. */
  private projectCreator(node: ts.CallExpression | ts.NewExpression, callee: ts.Expression, depth: number): CreatorMatch | undefined {
    const nameNode = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
    if (!nameNode || !(this.projectNames().has(nameNode.text) || (ts.isNewExpression(node) && this.projectNames().has(importedNameOf(this.resolver.symbolOf(nameNode)?.declarations?.[0]) ?? '')))) return undefined;
    // Methods are followed on `this` and on imported namespaces only: resolving `x.m` for any other
    // receiver means inferring the type of `x`, which costs as much as type-checking the file.
    if (ts.isPropertyAccessExpression(callee) && !this.cheapReceiver(callee.expression)) return undefined;
    const named = this.resolver.symbolOf(nameNode);
    const sym = followAlias(this.checker, named) ?? named; // an unresolved import: its own symbol
    const decl = sym?.declarations?.find((d) => !d.getSourceFile().isDeclarationFile) ?? this.implementation(sym?.declarations?.[0]);
    if (!decl) return undefined;
    if (ts.isNewExpression(node)) {
      if (!ts.isClassDeclaration(decl) && !ts.isClassExpression(decl)) return undefined;
      const w = this.wrapperClass(decl, depth);
      return w ? { kind: 'wrapper', label: `new ${nameNode.text}()`, fixCall: `${w.release}()`, opensWith: w.opensWith, reconnects: w.reconnects, returnsSelf: w.returnsSelf, fields: w.fields, lazy: w.lazy, agents: w.agents, shared: w.shared, asyncRelease: w.asyncRelease, endedBy: w.endedBy, liveGetters: w.liveGetters } : undefined;
    }
    const fn = functionOfDeclaration(decl);
    if (!fn) return undefined;
    const helper = this.returnsResource(fn, depth);
    if (!helper) return undefined;
    const { kind, inner, through, held, release } = helper;
    // How the caller releases it depends on the library behind the helper (`res.resume()` for an
    // IncomingMessage, `res.body?.cancel()` for a fetch Response); its arguments say nothing of that call's.
    const via = inner?.viaModule && inner.viaModule !== 'global' ? inner.viaModule : undefined;
    return {
      kind, label: `${nameNode.text}()`, unbound: this.unboundServers.has(fn) || undefined, viaModule: via, bodyProperty: inner?.bodyProperty,
      unrefd: unrefsWhatItReturns(fn) || undefined, handlerMethods: inner?.handlerMethods, openerFailsOpen: inner?.openerFailsOpen, failsWhenBroken: inner?.failsWhenBroken,
      fixCall: attachedCloser(fn, KINDS[kind].release) ?? (kind === 'wrapper' && release ? `${release}()` : inner?.fixCall),
      through,
      // What a leak costs is the library's behind the helper (a fetch body, not an IncomingMessage).
      symptom: inner?.symptom,
      // `return new Feed(port)`: the instance holds nothing until it is started, wherever it was made.
      // …unless the helper opened it before handing it out (`await client.connect(); return client`).
      opensWith: !opensLocal(fn, inner?.opensWith) ? inner?.opensWith : undefined,
      reconnects: kind === 'wrapper' ? inner?.reconnects : undefined, returnsSelf: through ? undefined : inner?.returnsSelf,
      shared: kind === 'wrapper' && !through ? inner?.shared : undefined,
      // Opened by the helper: a server it made is listening already (`unbound` is for the caller's own listen()).
      heldWhenDestructured: held && { name: held.name, match: { ...held.match, label: `${nameNode.text}()`, unbound: startsServer(fn, held.match.opensWith) ? undefined : held.match.unbound } },
    };
  }

  /**
   * `this`, an import, a class, or a name a CommonJS `require` binds (`const { CdpSession } =
   * require('./cdp')`): a receiver whose methods are found without inferring its type.
   */
  private cheapReceiver(e: ts.Expression): boolean {
    const x = stripParens(e);
    if (x.kind === ts.SyntaxKind.ThisKeyword || annotatedWithProjectClass(x, (n) => this.resolver.symbolOf(n), (n) => this.resolver.targetOf(n))) return true;
    if (!ts.isIdentifier(x)) return false;
    const sym = this.resolver.symbolOf(x);
    if (sym && (sym.flags & (ts.SymbolFlags.Alias | ts.SymbolFlags.ValueModule | ts.SymbolFlags.Class)) !== 0) return true;
    const sf = x.getSourceFile();
    let bound = this.moduleNames.get(sf);
    if (!bound) {
      collectModuleBindings(sf, (bound = new Set()));
      this.moduleNames.set(sf, bound);
    }
    return bound.has(x.text) && !!sym?.declarations?.some((d) => ts.isBindingElement(d) || ts.isVariableDeclaration(d));
  }

  private moduleNames = new WeakMap<ts.SourceFile, Set<string>>();

  private handleLookup(depth: number): HandleLookup<CreatorMatch> {
    return { match: (n) => this.match(n, depth + 1), resolver: this.resolver };
  }

  /**
   * A function of the project is a creator when every value it returns is a resource it has just
   * made and kept nowhere else. A cache (`return this.sessions[k] ?? (this.sessions[k] = …)`) or a
   * getter that sometimes hands out an existing connection is not: the caller does not own that.
   */
  private returnsResource(fn: ts.FunctionLikeDeclaration, depth: number): HelperResult | undefined {
    const cached = this.helpers.get(fn);
    if (cached !== undefined) return cached ?? undefined;
    this.helpers.set(fn, null);
    let kind: ResourceKind | undefined;
    let other = false;
    let bound = false;
    let inner: CreatorMatch | undefined;
    let through: string | undefined;
    let held: HelperResult['held'] | null | undefined;
    let release: string | undefined;
    const kept = new Set<ts.Symbol>();
    let body: ReturnType<typeof returnedBody>;
    const check = (e: ts.Expression | undefined) => {
      if (!e) return;
      const x = skipOuter(e);
      if (isNullLiteral(x)) return;
      if (ts.isObjectLiteralExpression(x)) {
        const k = releaseHandle(x, fn, this.handleLookup(depth));
        const property = heldProperty(x, fn, this.handleLookup(depth), !!k);
        if (k && !through) {
          kind ??= k;
          release ??= teardownOf(x);
          // Every returned handle holds it in the same property, or the caller cannot tell which it takes.
          const same = property && (held === undefined || (held && held.name === property.name && held.match.kind === property.match.kind));
          held = same ? { name: property!.name, match: property!.match } : null;
        } else if (!k && property && (through ?? property.name) === property.name && (!kind || kind === property.match.kind)) {
          kind = property.match.kind;
          inner ??= property.match;
          through = property.name;
          kept.add(property.symbol);
        } else other = true;
      } else if (promiseExecutor(x)) {
        const ex = promiseExecutor(x)!;
        const m = promisedResource(ex, this.matcher, this.resolver, depth);
        const handle = m ? undefined : promisedHandle(ex, this.handleLookup(depth));
        if (m) { kind ??= m.kind; inner ??= m; }
        else if (handle) kind ??= handle;
        else { const objects = resolvedObjects(ex); if (objects) objects.forEach(check); else other = true; } // `resolve({ conn, sftp })`
      } else if (ts.isCallExpression(x) || ts.isNewExpression(x)) {
        // `const pool = new sql.ConnectionPool(cfg); return pool.connect()`: connect() resolves to the pool itself.
        const self = ts.isCallExpression(x) ? localReturningSelf(x, fn, (n) => this.resolver.symbolOf(n), (n) => this.match(n, depth + 1)) : undefined;
        if (self) return check(self);
        // `return new sql.ConnectionPool(cfg).connect()`: the same, chained on the creation itself.
        const chained = ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) ? skipOuter(x.expression.expression) : undefined;
        if (chained && ts.isCallOrNewExpression(chained) && this.match(chained, depth + 1)?.returnsSelf?.includes((x.expression as ts.PropertyAccessExpression).name.text)) return check(chained);
        const m = this.match(x, depth + 1) ?? (ts.isNewExpression(x) ? this.wrapping(x, fn, depth) : undefined);
        // `return http.createServer(app).listen(port)`: listen() and on() return the server itself.
        if (!m && ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && CHAINABLE.has(x.expression.name.text) &&
            ts.isCallOrNewExpression(skipOuter(x.expression.expression))) return check(x.expression.expression);
        // `return mongoose.connect(url)` hands out the module itself, whose default connection its own
        // `mongoose.disconnect()` closes: the caller owns nothing it could drop.
        if (m?.moduleState) other = true;
        // `const client = await connectClient(port); …; return client`: still in the property the inner helper keeps it in.
        else if (m && (m.callbackParam === undefined || promiseForm(x, m))) { kind ??= m.kind; inner ??= { ...m, callbackParam: undefined }; through ??= m.through; }
        else other = true;
        if (!m?.unbound) bound = true;
      } else if ((body = returnedBody(x, fn, (n) => this.resolver.symbolOf(n), (n) => this.match(n, depth + 1)))) {
        // The caller holds the body itself: read by the response's readers, on no property of it, ended by its own call.
        kind ??= 'response'; inner ??= { ...body.match, bodyProperty: undefined, fixCall: bodyEnd(body.match) }; bound = true;
      } else if (ts.isIdentifier(x)) {
        const sym = this.resolver.symbolOf(x);
        const decl = sym?.declarations?.[0];
        if (sym && decl && ts.isVariableDeclaration(decl) && decl.initializer && !isNullLiteral(skipOuter(decl.initializer)) && decl.pos >= fn.pos && decl.end <= fn.end) {
          kept.add(sym);
          check(decl.initializer);
        } else if (sym && decl && ts.isVariableDeclaration(decl) && decl.pos >= fn.pos && decl.end <= fn.end) {
          // `let server; if (tls) server = https.createServer(o, app); else server = http.createServer(app)`.
          const assigned = assignmentsTo(decl, sym, (n) => this.resolver.symbolOf(n));
          if (assigned.other || !assigned.values.length) other = true;
          else {
            kept.add(sym);
            assigned.values.forEach(check);
          }
        } else other = true;
      } else other = true;
    };
    if (fn.body && !ts.isBlock(fn.body)) check(fn.body);
    else if (fn.body) forEachReturn(fn.body, (r) => check(r.expression));
    if (kind && !other && fn.body && ts.isBlock(fn.body) && kept.size && storedElsewhere(fn.body, kept, this.resolver)) other = true;
    const result = !other && kind ? { kind, inner, through, held: held ?? undefined, release } : undefined;
    // `listen()`, or what opens its kind of server (`bindAsync()` of a gRPC one): the helper starts it.
    if (result?.kind === 'server' && !bound && !startsServer(fn, inner?.opensWith)) this.unboundServers.add(fn);
    this.helpers.set(fn, result ?? null);
    return result;
  }

  /**
   * `return new CdpSession(ws)` with `const ws = new WebSocket(url)` made in `fn`: a project object
   * that keeps it in a field and closes it in its own `close()` (wrapper-classes.ts `wrapsArgument`).
   */
  private wrapping(x: ts.NewExpression, fn: ts.FunctionLikeDeclaration, depth: number): CreatorMatch | undefined {
    for (const [i, arg] of (x.arguments ?? []).entries()) {
      const a = skipOuter(arg);
      const decl = ts.isIdentifier(a) ? this.resolver.symbolOf(a)?.declarations?.[0] : undefined;
      const init = decl && ts.isVariableDeclaration(decl) && decl.initializer && within(decl, fn) ? skipOuter(decl.initializer) : undefined;
      const inner = init && (ts.isCallExpression(init) || ts.isNewExpression(init)) ? this.match(init, depth + 1) : undefined;
      // A library's connection only: a project object around another (a driver's own classes) opens as that one says.
      if (!inner || inner.callbackParam !== undefined || ['response', 'pool-checkout', 'wrapper'].includes(inner.kind)) continue;
      const release = KINDS[inner.kind].release;
      if (wrapsArgument(x, i, release, (n) => this.resolver.targetOf(n), [...release, ...KINDS.wrapper.release])) return { kind: 'wrapper', label: `new ${x.expression.getText()}()` };
    }
    return undefined;
  }

  /** A class with a field holding a resource and a method that releases it (wrapper-classes.ts). */
  private wrapperClass(cls: ts.ClassLikeDeclaration, depth: number): WrapperInfo | undefined {
    const cached = this.wrappers.get(cls);
    if (cached !== undefined) return cached ?? undefined;
    this.wrappers.set(cls, null);
    const result = wrapperOf(cls, (n) => this.match(n, depth + 1));
    this.wrappers.set(cls, result ?? null);
    return result;
  }
}

/** The function calls `listen` or one of `openers` (`server.bindAsync(addr, creds, cb)`). */
function startsServer(fn: ts.FunctionLikeDeclaration, openers: string[] = []): boolean {
  return /\blisten\b/.test(fn.getText()) || !!findNode(fn, (n) => ts.isCallExpression(n) && openers.includes(calleeName(n) ?? ''));
}

/** Modules whose servers the catalog follows from their `createServer()`. */
const NODE_SERVER_MODULES = new Set(CREATORS.filter((c) => c.kind === 'server').flatMap((c) => c.modules));

