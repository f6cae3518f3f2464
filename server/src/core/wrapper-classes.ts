// Project classes that own a connection: a field set from a creator (directly, or through a local the
// method stores) and a method that releases it (`close`, `disconnect`…). Such a class is a resource
// of kind `wrapper`: open from `new` when its constructor opens the connection, otherwise only once
// one of its opening methods is called (`connect()`, or a public `start()` that runs a private
// `#connect()`). A connection that itself opens later (a wrapper of a wrapper, a Kafka producer)
// opens the class where the class calls its opener, not where the class makes it.
import { ts } from 'ts-morph';
import { calleeName, callsMethodOn, findNode, returnedValues, skipOuter, stripParens } from './ast';
import { KINDS, ResourceKind, SHARED_KINDS } from './kinds';
import { isFieldValue, isThisFieldAssignment, memberName, releaseMethodOf, storageOf } from './creator-names';
import { LISTEN_METHODS, skipParensUp } from './call-shapes';

export interface WrapperInfo {
  release: string;
  /** Nothing is open until one of these methods is called; undefined: open from `new`. */
  opensWith?: string[];
  /** One of its connections reconnects when dropped (KindSpec.reconnects). */
  reconnects?: boolean;
  /** Its methods that return the instance (`connect() { …; return this; }`): `new X().connect()` is the instance. */
  returnsSelf?: string[];
  /** The fields that hold its connection (`this.socket = net.connect(…)`). */
  fields?: string[];
  /** Every connection it makes is a pool's or an agent's, which opens a socket only for its first query or request (`new pg.Pool()`, `new undici.Agent()`). */
  lazy?: boolean;
  /** Every connection it makes is an HTTP agent, whose idle keep-alive sockets are unref'd: they keep no process alive. */
  agents?: boolean;
  /** Every connection it makes at construction (one at least) is one meant to be made once and shared (SHARED_KINDS: an HTTP/2 session, a Redis client, a pool; an agent; a project object of such); what a method opens later does not count. */
  shared?: boolean;
  /** Its release method returns a promise: `async stop()`, or declared `: Promise<void>`. */
  asyncRelease?: boolean;
  /** Events it emits once its one connection has ended (endedEvents). */
  endedBy?: string[];
  /** Its getters that say its connection is live (`get healthy() { return !this.socket?.destroyed }`): false, it is gone. */
  liveGetters?: string[];
}

export function wrapperOf(cls: ts.ClassLikeDeclaration, match: (n: ts.CallExpression | ts.NewExpression) => { kind: ResourceKind; opensWith?: string[]; reconnects?: boolean; shared?: boolean } | undefined): WrapperInfo | undefined {
  const methods = cls.members.flatMap((m) => (m.name && ts.isIdentifier(m.name) && ts.isMethodDeclaration(m) ? [m.name.text] : []));
  const release = releaseMethodOf(methods);
  if (!release) return undefined;
  let made: Set<number> | undefined;
  if (closesWithGivenConnection(cls, release, (i) => (made ??= madeAround(cls, match)).has(i))) return undefined;
  let atConstruction = false;
  let reconnects = false;
  let lazy = true;
  let agents = true;
  let shared = true;
  let sharedAtConstruction = false;
  const opensWith = new Set<string>();
  const fields = new Set<string>();
  const creations: ts.Node[] = [];
  const openedIn = (member: ts.ClassElement | undefined) => {
    if (member && ts.isMethodDeclaration(member) && memberName(member)) opensWith.add(memberName(member)!);
    else atConstruction = true;
  };
  const visit = (n: ts.Node): void => {
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && isFieldValue(n)) {
      const m = match(n);
      if (m && m.kind !== 'response' && m.kind !== 'pool-checkout') {
        if (KINDS[m.kind].reconnects || m.reconnects) reconnects = true;
        if (m.kind !== 'pool' && m.kind !== 'agent') lazy = false;
        if (m.kind !== 'agent') agents = false;
        const member = memberOf(n, cls);
        // An HTTP agent or undici Pool too: its keep-alive connections are reused only by requests through it; also a
        // project object of such connections only. What a method opens later (a live feed's WebSocket) is not made with it.
        const sharedKind = SHARED_KINDS.has(m.kind) || m.kind === 'agent' || (m.kind === 'wrapper' && !!m.shared);
        if (!(member && ts.isMethodDeclaration(member))) {
          sharedAtConstruction ||= sharedKind;
          shared &&= sharedKind;
        }
        for (const f of storageOf(n, cls).fields) fields.add(f);
        creations.push(n);
        // A server made at construction holds nothing until a `listen()`: the class opens it where it listens.
        if (m.kind === 'server' && !ts.isMethodDeclaration(member ?? n) && !(member && callsListen(member))) {
          for (const name of listeningMethods(cls)) opensWith.add(name);
        } else if (m.opensWith) {
          for (const opener of membersCallingOn(cls, n, m.opensWith)) openedIn(opener);
        } else if (!(member && !ts.isMethodDeclaration(member) && injectedToo(n, member, match))) openedIn(member);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(cls);
  if (!atConstruction && !opensWith.size && !constructsItselfAround(cls, match)) return undefined;
  if (opensWith.size && reopensOnClose(cls, opensWith)) reconnects = true;
  const self = cls.members.flatMap((m) => (ts.isMethodDeclaration(m) && memberName(m) && returnsThis(m) ? [memberName(m)!] : []));
  const openers = opensWith.size ? withCallers(cls, opensWith) : undefined;
  // `constructor(o) { …; this.connect(); }`: open as soon as it is made. Unless the constructor also hands
  // the instance to a registry (`createdMockServers.push(this)`), whose owner closes what it holds.
  const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
  if (openers && ctor && callsOnThis(ctor.body!, openers, true)) {
    if (handsItselfOn(ctor.body!)) return undefined;
    atConstruction = true;
  }
  return { release, opensWith: atConstruction || !openers ? undefined : [...openers], reconnects: reconnects || undefined, returnsSelf: self.length ? self : undefined,
    fields: fields.size ? [...fields] : undefined, lazy: lazy || undefined, agents: (agents && creations.length > 0) || undefined, shared: (shared && sharedAtConstruction) || undefined,
    asyncRelease: releasesAsync(cls, release) || undefined,
    endedBy: creations.length === 1 && !reconnects ? endedEvents(cls, creations[0]) : undefined,
    liveGetters: reconnects ? undefined : liveGetters(cls, fields) };
}

/** What a getter tests to say its connection is live: `!this.socket.destroyed`, `this.ws.readyState === WebSocket.OPEN`. */
const LIVENESS = /\.(destroyed|writable|readyState|closed)\b/;

function liveGetters(cls: ts.ClassLikeDeclaration, fields: ReadonlySet<string>): string[] | undefined {
  const names = cls.members.flatMap((m) => {
    const ret = ts.isGetAccessor(m) && m.body?.statements.length === 1 ? m.body.statements[0] : undefined;
    const text = ret && ts.isReturnStatement(ret) && ret.expression ? ret.expression.getText() : '';
    return LIVENESS.test(text) && [...fields].some((f) => text.includes(`this.${f}`)) ? [m.name!.getText()] : [];
  });
  return names.length ? names : undefined;
}

/**
 * `sock.on('end', () => this.emit('complete', …))`: the events the class emits from its one connection's
 * end or close listener. Whoever waits for one (`await once(recorder, 'complete')`) has seen the
 * connection end (a socket whose peer ends it is ended by Node unless `allowHalfOpen`).
 */
function endedEvents(cls: ts.ClassLikeDeclaration, made: ts.Node): string[] | undefined {
  if (!ts.isCallExpression(made) && !ts.isNewExpression(made) || /allowHalfOpen/.test(made.getText())) return undefined;
  const { local, fields } = storageOf(made, memberOf(made, cls) ?? made);
  const isConnection = (r: ts.Expression) => {
    const x = skipOuter(r);
    return (ts.isIdentifier(x) && x.text === local) ||
      (ts.isPropertyAccessExpression(x) && x.expression.kind === ts.SyntaxKind.ThisKeyword && fields.includes(x.name.text));
  };
  const events = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LISTEN_METHODS.has(n.expression.name.text) &&
        isConnection(n.expression.expression) && n.arguments[0] && ts.isStringLiteralLike(n.arguments[0]) && DROPPED_EVENTS.has(n.arguments[0].text) && n.arguments[1]) {
      findNode(n.arguments[1], (c) => {
        if (ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && c.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
            c.expression.name.text === 'emit' && c.arguments[0] && ts.isStringLiteralLike(c.arguments[0])) events.add(c.arguments[0].text);
        return false;
      });
    }
    ts.forEachChild(n, visit);
  };
  visit(cls);
  return events.size ? [...events] : undefined;
}

/** The class's method `name` is `async` or declared to return a promise. */
function releasesAsync(cls: ts.ClassLikeDeclaration, name: string): boolean {
  const m = cls.members.find((x): x is ts.MethodDeclaration => ts.isMethodDeclaration(x) && memberName(x) === name);
  if (!m) return false;
  const type = m.type && ts.isTypeReferenceNode(m.type) ? m.type.typeName.getText() : undefined;
  return !!m.modifiers?.some((x) => x.kind === ts.SyntaxKind.AsyncKeyword) || type === 'Promise';
}

/** Events after which the connection the class holds is gone. */
const DROPPED_EVENTS = new Set(['close', 'end', 'disconnect']);

/**
 * The constructor ties the instance to a connection it is given: a listener for that connection's end or
 * error calls the release method (`constructor(ws) { ws.on('close', () => this.close()) }`, a session per
 * accepted WebSocket). The instance then ends when its peer goes, whoever made it.
 */
function closesWithGivenConnection(cls: ts.ClassLikeDeclaration, release: string, notGiven: (i: number) => boolean): boolean {
  const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
  if (!ctor) return false;
  // Not the connection the instance wraps: its own end is no reason for it to be closed.
  const params = new Set(ctor.parameters.flatMap((p, i) => (ts.isIdentifier(p.name) && !notGiven(i) ? [p.name.text] : [])));
  const isGiven = (e: ts.Expression): boolean => {
    const x = skipOuter(e);
    return (ts.isIdentifier(x) && params.has(x.text)) ||
      (ts.isPropertyAccessExpression(x) && x.expression.kind === ts.SyntaxKind.ThisKeyword && params.has(x.name.text));
  };
  return !!findNode(ctor.body!, (n) => {
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression) || !LISTEN_METHODS.has(n.expression.name.text) ||
        !isGiven(n.expression.expression)) return false;
    const [event, listener] = n.arguments;
    if (!event || !ts.isStringLiteralLike(event) || !(DROPPED_EVENTS.has(event.text) || event.text === 'error') || !listener) return false;
    return !!findNode(listener, (c) => ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) &&
      c.expression.expression.kind === ts.SyntaxKind.ThisKeyword && c.expression.name.text === release);
  });
}

/**
 * The class makes its connection again once it is dropped: a listener for its close calls an opener,
 * directly, through a timer, or through a method of the class (`ws.on('close', () => setTimeout(() =>
 * this.connect(), delay))`, `socket.on('close', () => this.scheduleReconnect())`). Its peer closing it
 * does not end it then.
 */
function reopensOnClose(cls: ts.ClassLikeDeclaration, openers: ReadonlySet<string>, depth = 0): boolean {
  const inCloseListener = (call: ts.Node): boolean => {
    for (let p = call.parent; p && p !== cls; p = p.parent) {
      if (!ts.isArrowFunction(p) && !ts.isFunctionExpression(p)) continue;
      const holder = p.parent;
      if (!ts.isCallExpression(holder)) return false;
      const name = calleeName(holder) ?? '';
      if (name === 'setTimeout' || name === 'setImmediate') continue;
      const event = holder.arguments[0];
      return LISTEN_METHODS.has(name) && !!event && ts.isStringLiteralLike(event) && DROPPED_EVENTS.has(event.text);
    }
    return false;
  };
  const callers = new Set<string>();
  const found = findNode(cls, (n) => {
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression) || n.expression.expression.kind !== ts.SyntaxKind.ThisKeyword ||
        !openers.has(n.expression.name.text)) return false;
    if (inCloseListener(n)) return true;
    // `scheduleReconnect() { setTimeout(() => this.connect(), d) }`: looked at once more, for its own callers.
    const method = ts.findAncestor(n, ts.isMethodDeclaration);
    const name = method && memberName(method);
    if (name && !openers.has(name)) callers.add(name);
    return false;
  });
  return !!found || (depth < 1 && callers.size > 0 && reopensOnClose(cls, callers, depth + 1));
}

/**
 * The members of `cls` that call one of `openers` on what `made` is stored in: the local it is
 * assigned to (in the same member) or the field (`this.connector.connect()`, anywhere in the class).
 */
function membersCallingOn(cls: ts.ClassLikeDeclaration, made: ts.Node, openers: string[]): ts.ClassElement[] {
  const home = memberOf(made, cls);
  const { local, fields } = storageOf(made, home ?? made);
  const isReceiver = (r: ts.Expression, member: ts.ClassElement) => {
    const x = skipOuter(r);
    if (ts.isIdentifier(x)) return x.text === local && member === home;
    return ts.isPropertyAccessExpression(x) && x.expression.kind === ts.SyntaxKind.ThisKeyword && fields.includes(x.name.text);
  };
  return cls.members.filter((member) => {
    let found = false;
    const visit = (x: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && openers.includes(x.expression.name.text) &&
          isReceiver(x.expression.expression, member)) found = true;
      else ts.forEachChild(x, visit);
    };
    visit(member);
    return found;
  });
}

/**
 * `static async connect(o) { const socket = tls.connect(o); …; return new StoreClient(socket) }` with a
 * private (or protected) constructor that keeps its argument in a field: the class makes its connection
 * in a static factory and hands it to its own constructor, so an instance is open from its making. A
 * public constructor may be given a connection its caller owns: not counted then.
 */
function constructsItselfAround(cls: ts.ClassLikeDeclaration, match: (n: ts.CallExpression | ts.NewExpression) => { kind: ResourceKind } | undefined): boolean {
  return madeAround(cls, match).size > 0;
}

/** The constructor parameters a static method of the class fills with a connection it made (constructsItselfAround). */
function madeAround(cls: ts.ClassLikeDeclaration, match: (n: ts.CallExpression | ts.NewExpression) => { kind: ResourceKind } | undefined): Set<number> {
  const found = new Set<number>();
  const ctor = cls.members.find(ts.isConstructorDeclaration);
  const hidden = ctor?.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
  if (!ctor || !hidden || !cls.name) return found;
  const name = cls.name.text;
  const kept = (i: number) => !!fieldKeeping(ctor, i);
  // A connection made right there, or in a local of the static method (`const socket = tls.connect(o)`).
  const madeIn = (arg: ts.Expression, member: ts.ClassElement): boolean => {
    const a = skipOuter(arg);
    const decl = ts.isIdentifier(a)
      ? findNode(member, (x) => ts.isVariableDeclaration(x) && isNamed(x.name, a.text)) as ts.VariableDeclaration | undefined : undefined;
    const made = decl?.initializer ? skipOuter(decl.initializer) : a;
    return (ts.isCallExpression(made) || ts.isNewExpression(made)) && isConnection(match(made));
  };
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member) || !member.body || !member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
    findNode(member.body, (x) => {
      if (ts.isNewExpression(x) && (isNamed(x.expression, name) || x.expression.kind === ts.SyntaxKind.ThisKeyword)) {
        (x.arguments ?? []).forEach((arg, i) => { if (kept(i) && madeIn(arg, member)) found.add(i); });
      }
      return false;
    });
  }
  return found;
}

/** The field the constructor keeps parameter `i` in: a parameter property (`private readonly socket: TLSSocket`), or `this.socket = socket`. */
export function fieldKeeping(ctor: ts.ConstructorDeclaration, i: number, option?: string): string | undefined {
  const param = ctor.parameters[i];
  if (!param || param.dotDotDotToken) return undefined;
  // `new ConveyorEvents({ onGarmentEvent })`: the option the parameter takes apart (`{ onGarmentEvent, logger }`), or reads.
  if (option !== undefined) {
    const el = ts.isObjectBindingPattern(param.name) ? param.name.elements.find((e) => (e.propertyName ?? e.name).getText() === option) : undefined;
    const local = el && ts.isIdentifier(el.name) ? el.name.text : undefined;
    const whole = ts.isIdentifier(param.name) ? param.name.text : undefined;
    const kept = ctor.body && findNode(ctor.body, (x) => isThisFieldAssignment(x) && (local ? isNamed(x.right, local) :
      !!whole && ts.isPropertyAccessExpression(skipOuter(x.right)) && (skipOuter(x.right) as ts.PropertyAccessExpression).name.text === option &&
      isNamed((skipOuter(x.right) as ts.PropertyAccessExpression).expression, whole))) as (ts.BinaryExpression & { left: ts.PropertyAccessExpression }) | undefined;
    return kept ? kept.left.name.text : undefined;
  }
  if (!ts.isIdentifier(param.name)) return undefined;
  const id = param.name.text;
  if (param.modifiers?.length) return id;
  const kept = ctor.body && findNode(ctor.body, (x) => isThisFieldAssignment(x) && isNamed(x.right, id)) as (ts.BinaryExpression & { left: ts.PropertyAccessExpression }) | undefined;
  return kept ? kept.left.name.text : undefined;
}

function isNamed(e: ts.Node, name: string): boolean {
  return ts.isIdentifier(e) ? e.text === name : ts.isExpression(e) && ts.isIdentifier(skipOuter(e)) && (skipOuter(e) as ts.Identifier).text === name;
}

function isConnection(m: { kind: ResourceKind } | undefined): boolean {
  return !!m && m.kind !== 'response' && m.kind !== 'pool-checkout';
}

/**
 * `if (!config.stream) this.stream = net.connect(…) else this.stream = config.stream`: a constructor
 * that may take its connection from the caller instead (a test's mock stream) does not always open one.
 */
function injectedToo(made: ts.Node, ctor: ts.ClassElement, match: (n: ts.CallExpression | ts.NewExpression) => unknown): boolean {
  const field = storageOf(made, ctor).fields[0];
  if (!field) return false;
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found) return;
    if (isThisFieldAssignment(x) && x.left.name.text === field) {
      const v = skipOuter(x.right);
      // Read from the options (`opts.config.stream`, `opts.createStream(opts)`), not `null` or a local.
      const fromCaller = ts.isPropertyAccessExpression(v) || ts.isElementAccessExpression(v) || ((ts.isCallExpression(v) || ts.isNewExpression(v)) && !match(v));
      if (v !== made && fromCaller) found = true;
    }
    ts.forEachChild(x, visit);
  };
  visit(ctor);
  return found;
}

/**
 * The opening methods and the methods that call one on `this`, transitively: a public `start()` that
 * runs the private `#connect()` which stores the socket opens the instance as much as `#connect()` does.
 */
function withCallers(cls: ts.ClassLikeDeclaration, openers: Set<string>): Set<string> {
  const out = new Set(openers);
  const methods = cls.members.filter(ts.isMethodDeclaration);
  for (let grew = true; grew;) {
    grew = false;
    for (const m of methods) {
      const name = memberName(m);
      if (!name || out.has(name) || !m.body) continue;
      if (callsOnThis(m.body, out)) { out.add(name); grew = true; }
    }
  }
  return out;
}

/**
 * Whether `body` calls `this.<one of names>()` (not inside a nested function or class, which may never run);
 * with `ownCode`, not inside a callback it only creates either (`this.onError = (e) => this.reconnect(e)`).
 */
export function callsOnThis(body: ts.Node, names: Set<string>, ownCode = false): boolean {
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found || ts.isFunctionDeclaration(x) || ts.isClassLike(x) || (ownCode && ts.isFunctionLike(x))) return;
    if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
        names.has(x.expression.name.text)) found = true;
    else ts.forEachChild(x, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

function callsListen(n: ts.Node): boolean {
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(x) && calleeName(x) === 'listen') found = true;
    else ts.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

/** The methods of `cls` that call some `listen()`. */
function listeningMethods(cls: ts.ClassLikeDeclaration): string[] {
  return cls.members.flatMap((m) => (ts.isMethodDeclaration(m) && m.name && ts.isIdentifier(m.name) && callsListen(m) ? [m.name.text] : []));
}

/** The member of `cls` that contains `n` (a constructor, method or property declaration). */
function memberOf(n: ts.Node, cls: ts.ClassLikeDeclaration): ts.ClassElement | undefined {
  for (let p: ts.Node | undefined = n; p && p !== cls; p = p.parent) {
    if (p.parent === cls) return p as ts.ClassElement;
  }
  return undefined;
}

/** Every `return` of the method gives `this`. */
function returnsThis(m: ts.MethodDeclaration): boolean {
  const values = returnedValues(m);
  return !!values && values.every((v) => stripParens(v).kind === ts.SyntaxKind.ThisKeyword);
}

/**
 * `const session = new BrowserSession(ws)`: a class of the project that keeps the argument in a field
 * (`this.ws = ws`, or a parameter property) and has a method named like one of the resource's releases
 * that releases that field (`close() { this.ws.close() }`; `methods`: the names such a method may have
 * instead). The object now holds the connection, and closing it closes the connection: it is followed
 * as the resource itself.
 */
export function wrapsArgument(call: ts.NewExpression, index: number, release: readonly string[], symbolOf: (n: ts.Node) => ts.Symbol | undefined,
  methods: readonly string[] = release): boolean {
  const cls = classOf(call, symbolOf);
  return !!cls && !!releaseOfKept(cls, index, release, methods);
}

/** The project class (not a declaration file's) that `new X(…)` makes. */
export function classOf(call: ts.NewExpression, symbolOf: (n: ts.Node) => ts.Symbol | undefined): ts.ClassDeclaration | undefined {
  return symbolOf(call.expression)?.declarations?.find((d): d is ts.ClassDeclaration => ts.isClassDeclaration(d) && !d.getSourceFile().isDeclarationFile);
}

/** The method of `cls` (named like one of `methods`) that releases the field its constructor keeps parameter `index` in (wrapsArgument). */
export function releaseOfKept(cls: ts.ClassLikeDeclaration, index: number, release: readonly string[], methods: readonly string[] = release): string | undefined {
  const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
  const field = ctor && fieldKeeping(ctor, index);
  if (!field) return undefined;
  if (methods.some((m) => closesWithGivenConnection(cls, m, (i) => i === index))) return undefined;
  // `this.ws.close()`, `this.ws?.terminate()`.
  const releasesField = (n: ts.Node) => {
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression) || !release.includes(n.expression.name.text)) return false;
    const recv = skipOuter(n.expression.expression);
    return ts.isPropertyAccessExpression(recv) && recv.expression.kind === ts.SyntaxKind.ThisKeyword && recv.name.text === field;
  };
  const method = cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && methods.includes(memberName(m) ?? '') && !!findNode(m.body, releasesField));
  return method && memberName(method);
}

/**
 * `const imap = new ImapConversation(socket)` in a function that itself closes `socket`: a project class
 * that closes nothing (it reads and writes what it is given), whose instance is only used where it is
 * made (`imap.command(…)`, never returned, stored or handed on), leaves the argument with the caller.
 */
export function localUserOf(call: ts.NewExpression, cls: ts.ClassLikeDeclaration, release: readonly string[], symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  if (findNode(cls, (n) => callsMethodOn(n, release, () => true))) return false;
  const decl = skipParensUp(call).parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name) || !(decl.parent.flags & ts.NodeFlags.Const)) return false;
  const sym = symbolOf(decl.name);
  const scope = ts.findAncestor(decl, ts.isFunctionLike) ?? decl.getSourceFile();
  // Every other use reads a member (`imap.command(…)`, `await imap.greeting`).
  return !!sym && !findNode(scope, (n) => ts.isIdentifier(n) && n !== decl.name && symbolOf(n) === sym && !(ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n));
}

/** `registry.push(this)`, `instances.set(id, this)`: the constructor gives the instance to other code. */
function handsItselfOn(body: ts.Node): boolean {
  return !!findNode(body, (n) => ts.isCallExpression(n) && n.expression.kind !== ts.SyntaxKind.SuperKeyword &&
    n.arguments.some((a) => stripParens(a).kind === ts.SyntaxKind.ThisKeyword), true);
}
