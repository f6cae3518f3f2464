// The leak engine: discovers the subjects of a file, explores each one's paths, and asks the
// project about functions that receive or capture a resource (summaries, computed on demand).
import { ts } from 'ts-morph';
import { CreatorFinder } from './creators';
import { FileCreatorNames, projectCreatorNames } from './creator-names';
import { rememberProgram } from './required-modules';
import type { PackageOf } from './self-imports';
import { callsMethodOn, findNode, followAlias, functionOfDeclaration, stripParens } from './ast';
import { callsThrowing, throwsForCall, throwsOnBadInput, throwsOnItsOwn, throwsTypeError, type ThrowCondition } from './throwing-functions';
import { localUserOf } from './wrapper-classes';
import { fieldLeaks, OutsideCallsOf } from './fields';
import { outsideCallsOnSameObject, outsideRerunCalls } from './outside-reruns';
import { forgottenConnectionLeaks } from './forgotten-connections';
import { handleForgetsLeaks } from './forgotten-by-handles';
import { hookLeaks } from './hooks';
import { mongooseSuiteLeaks } from './mongoose-suites';
import { staticFactoryLeaks } from './static-factories';
import { listenerOverwriteLeaks } from './listener-overwrites';
import { lazyPeerClientLeaks } from './lazy-peer-clients';
import { testHeldEntryLeaks } from './test-held-entries';
import { moduleOverwriteLeaks } from './module-overwrites';
import { closureReconnectLeaks } from './closure-reconnects';
import { ownsHttpServer } from './aliases';
import { CacheLookup, evictionLeaks } from './evictions';
import { rejectedStreamLeaks } from './rejected-streams';
import { settledPromiseLeaks } from './settled-promises';
import { FAILURE_EXITS, LeakExit, PathWalker } from './flow';
import { inTestCode, isTestFile } from './execution';
import { Origin, OriginResolver } from './origins';
import { coversUnion } from './types-of';
import { FlowOracle, makeSubject, ParamSummary, Subject } from './subject';
import { Discovered, SubjectFinder } from './subjects';
import { implementationOf } from './typings-implementation';
import { isShutdownListener } from './supervised';
import { ARRAY_CALLBACKS, skipParensUp } from './call-shapes';
import { ANY_RELEASE, OWN_RELEASE_NAME } from './kinds';
import { THROWING_METHODS } from './catalog';
import { isContextThrow } from './own-error-catches';
import { isGlobalDeclaration } from './module-specifiers';
import { FAILED_OR_CLOSED, GONE_EVENTS, rejectsOnlyWhenParamGone, SELF_DESTROYING } from './awaited-events';
import { isSupertestRequest } from './supertest';
import { givesParamBack, onlyReadsParam } from './borrowing';

export interface LeakReport extends Discovered {
  exits: LeakExit[];
  sawRelease: boolean;
  sawEscape: boolean;
  /** Paths that throw out of an emitter's callback also leave it open (not reported: the process ends there). */
  uncaughtThrowsLeft?: boolean;
  /** A field overwrite that is one only if one of these calls runs again (FieldLeak.rerunBy). */
  rerunBy?: ts.Identifier[];
}

export class BudgetExceeded extends Error {
  constructor(public readonly budgetMs: number) {
    super(`analysis stopped after its ${budgetMs} ms time budget`);
  }
}

const MAX_SUMMARY_DEPTH = 4;
/** Array methods that call their callback before they return, with each element. */
/** Method names of THROWING_METHODS: only such a call is resolved to its module. */
const THROWING_NAMES = new Set(Object.values(THROWING_METHODS).flat());
const RELEASES: ParamSummary = { kind: 'releases', throwsReleased: true };
const BORROWS: ParamSummary = { kind: 'borrows', throwsReleased: false };
const GIVES_BACK: ParamSummary = { kind: 'borrows', throwsReleased: false, givesBack: true };

/**
 * Creator names per source file. A new program after an edit reuses the SourceFile objects of the
 * files that did not change, so keyed by SourceFile this survives edits and only the edited file is
 * scanned again.
 */
const NAMES_BY_FILE = new WeakMap<ts.SourceFile, FileCreatorNames>();

/** Facts about one ts Program, shared by every file analysed in it. */
export class LeakEngine implements FlowOracle {
  readonly resolver: OriginResolver;
  private creators: CreatorFinder;
  private subjects: SubjectFinder;
  private paramSummaries = new Map<string, ParamSummary>();
  private capturedSummaries = new Map<ts.Node, Map<Subject, boolean>>();
  /** The same, for calls from a shutdown listener of the process (their failures end the process). */
  private capturedAtShutdown = new Map<ts.Node, Map<Subject, boolean>>();
  private allNames: Set<string> | undefined;
  private depth = 0;
  private deadline = Infinity;
  private budgetMs = 0;
  private ticks = 0;

  /** `dependsOn(file, module)`: the file's package declares that module in its package.json. */
  constructor(private program: ts.Program, private checker: ts.TypeChecker, dependsOn: (file: string, module: string) => boolean = () => false, packageOf?: PackageOf) {
    rememberProgram(checker, program);
    this.resolver = new OriginResolver(checker);
    this.resolver.packageOf = packageOf;
    this.creators = new CreatorFinder(this.resolver, checker, () => this.projectNames(), dependsOn, (d) => implementationOf(program, d));
    this.subjects = new SubjectFinder(this.resolver, this.creators);
  }

  /** Analysis of one file may run until `deadline` (ms since the epoch); `tick()` throws past it. */
  startBudget(budgetMs: number, deadline: number): void {
    this.budgetMs = budgetMs;
    this.deadline = deadline;
  }

  endBudget(): void {
    this.deadline = Infinity;
  }

  analyze(sf: ts.SourceFile): LeakReport[] {
    const found = this.subjects.find(sf, () => this.tick());
    const reports: LeakReport[] = [];
    for (const d of found) {
      if (d.discarded) {
        reports.push({ ...d, exits: [{ node: d.discarded, kind: d.raced ? 'raced' : 'discard' }], sawRelease: false, sawEscape: false });
        continue;
      }
      const r = new PathWalker(d.subject, this).run();
      reports.push({ ...d, ...r });
    }
    const functionOf = (call: ts.CallExpression | ts.NewExpression) => this.projectFunction(call);
    const baseOf = (cls: ts.ClassLikeDeclaration) => this.baseClass(cls);
    const ctx = { sourceFile: sf, file: sf.fileName, checker: this.checker, resolver: this.resolver, tick: () => this.tick() };
    const outsideCalls: OutsideCallsOf = (method, field, creation, reconnects) => outsideRerunCalls(ctx, method, field, creation, reconnects);
    reports.push(...fieldLeaks(sf, this.creators, functionOf, baseOf, outsideCalls), ...forgottenConnectionLeaks(sf, this.creators, functionOf, baseOf), ...staticFactoryLeaks(sf, this.creators, (n) => this.resolver.symbolOf(n), functionOf, baseOf), ...handleForgetsLeaks(sf, this.creators), ...evictionLeaks(sf, this.creators, this.caches, (m) => outsideCallsOnSameObject(ctx, m)), ...rejectedStreamLeaks(sf, this.creators), ...hookLeaks(sf, this.creators, functionOf, (call) => ownsHttpServer(call, this.resolver),
      (call) => isSupertestRequest(call, (e) => this.resolver.ofBinding(e))), ...listenerOverwriteLeaks(sf, this.creators, (n) => this.resolver.symbolOf(n)), ...lazyPeerClientLeaks(sf, this.creators, this.resolver), ...testHeldEntryLeaks(sf, this.creators, this.resolver),
      ...moduleOverwriteLeaks(sf, this.creators, (n) => this.resolver.symbolOf(n)), ...closureReconnectLeaks(sf, this.creators, (n) => this.resolver.symbolOf(n)), ...mongooseSuiteLeaks(sf, this.creators, this.resolver, () => this.testFileClosesMongoose(sf)));
    // A connection the path walker already reports is reported once, with the settling exits it did not find.
    const walked = new Map(reports.filter((r) => r.exits.length).map((r) => [r.subject.report, r]));
    for (const r of settledPromiseLeaks(sf, this.creators, this.resolver)) {
      const same = walked.get(r.subject.report);
      if (!same) reports.push(r);
      else same.exits.push(...r.exits.filter((x) => !same.exits.some((y) => y.node === x.node)));
    }
    return reports;
  }

  tick(now = false): void {
    if ((now || (++this.ticks & 255) === 0) && Date.now() > this.deadline) throw new BudgetExceeded(this.budgetMs);
  }

  symbolOf(node: ts.Node): ts.Symbol | undefined {
    return this.resolver.symbolOf(node);
  }

  originOf(expr: ts.Expression): Origin | undefined {
    return this.resolver.ofBinding(expr);
  }

  isExhaustive(n: ts.SwitchStatement): boolean {
    return coversUnion(this.checker, n);
  }

  /** Names of functions and classes of the project that may create resources (a cheap filter). */
  private projectNames(): Set<string> {
    if (this.allNames) return this.allNames;
    const all = new Set<string>();
    const dependent: FileCreatorNames[] = [];
    for (const sf of this.program.getSourceFiles()) {
      if (!this.isProjectFile(sf)) continue;
      let names = NAMES_BY_FILE.get(sf);
      if (!names) {
        names = projectCreatorNames(sf);
        NAMES_BY_FILE.set(sf, names);
      }
      for (const n of names.names) all.add(n);
      if (names.imports.length) dependent.push(names);
    }
    // A factory of one file returning a class of another: until no file adds a name.
    for (let grew = true; grew;) {
      grew = false;
      for (const f of dependent) {
        if (!f.imports.some((n) => all.has(n))) continue;
        const more = [...f.ifImported()].filter((n) => !all.has(n));
        if (!more.length) continue;
        for (const n of more) all.add(n);
        grew = true;
      }
    }
    this.allNames = all;
    return all;
  }

  /**
   * Another test file in the suite's folder or one above it names mongoose and a close: a root hook file
   * (`test/setup.js`, `test/hooks.js`) or a global teardown may end its default connection.
   */
  private testFileClosesMongoose(suite: ts.SourceFile): boolean {
    const above = (f: ts.SourceFile) => suite.fileName.startsWith(f.fileName.slice(0, f.fileName.lastIndexOf('/') + 1));
    return this.program.getSourceFiles().some((f) => f !== suite && this.isProjectFile(f) && above(f) && isTestFile(f) &&
      f.text.includes('mongoose') && /\.(disconnect|close)\s*\(/.test(f.text));
  }

  /** Source of the project itself, as opposed to declarations and libraries it imports. */
  private isProjectFile(sf: ts.SourceFile): boolean {
    return !sf.isDeclarationFile && !this.program.isSourceFileFromExternalLibrary(sf);
  }

  /** A field's `new X(…)`: the package it comes from, or the project class it makes (evictions.ts). */
  private caches: CacheLookup = {
    moduleOf: (e) => {
      const o = this.resolver.ofBinding(e.expression);
      return o && !o.instance ? o.module : undefined;
    },
    classOf: (e) => {
      const name = ts.isIdentifier(e.expression) ? e.expression : ts.isPropertyAccessExpression(e.expression) ? e.expression.name : undefined;
      const decl = name && followAlias(this.checker, this.symbolOf(name))?.declarations?.[0];
      return decl && this.isProjectFile(decl.getSourceFile()) && (ts.isClassDeclaration(decl) || ts.isClassExpression(decl)) ? decl : undefined;
    },
  };

  /** The project function a call runs; for `new X(…)` of a project class, its constructor. */
  private projectFunction(call: ts.CallExpression | ts.NewExpression): ts.FunctionLikeDeclaration | undefined {
    const decl = this.projectDeclaration(call.expression);
    if (!decl) return undefined;
    if (ts.isNewExpression(call) && (ts.isClassDeclaration(decl) || ts.isClassExpression(decl))) {
      return decl.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
    }
    return functionOfDeclaration(decl);
  }

  /** The project's declaration of a name or `a.name` (its implementation, for one declared by a .d.ts of the project's build). */
  private projectDeclaration(e: ts.Expression): ts.Declaration | undefined {
    const nameNode = ts.isIdentifier(e) ? e : ts.isPropertyAccessExpression(e) ? e.name : undefined;
    if (!nameNode) return undefined;
    const typed = followAlias(this.checker, this.symbolOf(nameNode))?.declarations?.[0];
    const decl = typed && !this.isProjectFile(typed.getSourceFile()) ? implementationOf(this.program, typed) : typed;
    return decl && this.isProjectFile(decl.getSourceFile()) ? decl : undefined;
  }

  /** The project class `cls` extends (`extends BasicDatabaseClient<R>`). */
  private baseClass(cls: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration | undefined {
    const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    const decl = base && this.projectDeclaration(base);
    return decl && ts.isClassLike(decl) ? decl : undefined;
  }

  /** `const imap = new ImapConversation(socket)`, used only here, in a function that closes `socket` itself (wrapper-classes.ts). */
  private usedLocally(call: ts.NewExpression, caller: Subject): boolean {
    const cls = this.projectFunction(call)?.parent;
    if (!cls || !ts.isClassLike(cls) || !caller.fn.body) return false;
    const closesItself = (n: ts.Node) => callsMethodOn(n, caller.spec.release, (x) => ts.isIdentifier(x) && caller.aliases.has(this.symbolOf(x)!));
    return !!findNode(caller.fn.body, closesItself) && localUserOf(call, cls, caller.spec.release, (n) => this.symbolOf(n));
  }

  releasesParam(call: ts.CallExpression | ts.NewExpression, index: number, caller: Subject): ParamSummary | undefined {
    if (ts.isNewExpression(call)) return this.usedLocally(call, caller) ? BORROWS : undefined;
    const fn = this.projectFunction(call);
    if (!fn) return undefined;
    const param = fn.parameters[Math.min(index, fn.parameters.length - 1)];
    if (!param) return BORROWS;
    if (param.dotDotDotToken || !ts.isIdentifier(param.name)) return RELEASES; // cannot follow: prefer silence
    const key = `${fn.getSourceFile().fileName}:${fn.pos}:${index}:${caller.kind}:${!!caller.poolLoan}:${caller.bodyProperty}:${!!caller.accepted}:${!!caller.halfOpen}`;
    const cached = this.paramSummaries.get(key);
    if (cached !== undefined) return cached;
    if (this.depth >= MAX_SUMMARY_DEPTH) return RELEASES;
    const sym = this.symbolOf(param.name);
    if (!sym) return RELEASES;
    if (givesParamBack(fn, index, caller.spec.release)) return GIVES_BACK;
    this.paramSummaries.set(key, RELEASES); // recursion: assume it releases
    const subject = makeSubject(caller.kind, fn as Subject['fn'], param.name, { aliases: new Set([sym]) });
    subject.poolLoan = caller.poolLoan;
    subject.bodyProperty = caller.bodyProperty;
    // A server's connection handed to a helper (`(socket) => this.session(socket)`) is still one the
    // peer's close ends once it is read: the helper's 'data' listener releases it there too.
    subject.accepted = caller.accepted;
    subject.halfOpen = caller.halfOpen;
    try {
      const r = this.walk(subject);
      // `if (!isStream(res)) throw new TypeError(…)`: a check of the argument's type, which a caller
      // that hands it a real resource never trips.
      const open = r.exits.filter((x) => !(x.kind === 'throw' && throwsTypeError(x.node)));
      // `await disconnect(url); socket.close()`: released on every path that returns; the paths that
      // throw or reject are the caller's too (the call throws), like the same lines written inline.
      const returning = open.filter((x) => !FAILURE_EXITS.has(x.kind));
      // `resetOrDestroy(socket)`: a helper named for closing what it is given, whose body closes something the
      // walk never saw as its argument (the socket under a TLS layer, `a ? a.stream : a`), is taken at its word.
      // `roundTrip(conn, line)` returning a promise whose listeners only read `conn.socket` and `conn.buffer`: a
      // checked-out connection goes back only by a call on it or on its pool, so a helper that only reads it (what
      // it does to `conn.socket` is no release of the loan) leaves it the caller's to release.
      const onlyRead = caller.kind === 'pool-checkout' && onlyReadsParam(fn, index, caller.spec.release);
      const released = !onlyRead && ((!returning.length && (r.sawRelease || r.sawEscape)) || (!r.sawRelease && !r.sawEscape && closerByName(fn)));
      const result: ParamSummary = {
        kind: released ? 'releases' : onlyRead ? 'borrows' : r.sawEscape ? 'keepsSometimes' : r.sawRelease ? 'partial' : 'borrows',
        // `await readReply(sock)` of a helper whose promise rejects only from the socket's own 'error' or 'close': it failed closed.
        // `await assertTopology(ch)`, whose only failures are the channel's own operations, which close it (KindSpec.closedByOwnFailure).
        throwsReleased: r.throwsReleased || (!!caller.spec.closedByOwnFailure && !open.some((x) => FAILURE_EXITS.has(x.kind))) || (SELF_DESTROYING.has(caller.kind) &&
          rejectsOnlyWhenParamGone(fn, index, (c) => this.projectFunction(c), caller.halfOpen ? FAILED_OR_CLOSED : GONE_EVENTS)),
        throwsOpen: open.some((x) => FAILURE_EXITS.has(x.kind)),
        releasedWhenFalsy: r.sawRelease && openReturnsAValue(r.exits),
      };
      this.paramSummaries.set(key, result);
      return result;
    } catch (e) {
      this.paramSummaries.delete(key); // the budget ran out: the provisional answer must not stay
      throw e;
    }
  }

  /** Per project function: it may throw on a path of its own (throwing-functions.ts). */
  private throwing = new Map<ts.Node, ThrowCondition>();

  throwsWhenCalled(call: ts.CallExpression | ts.NewExpression, creation?: ts.Node): boolean {
    if (throwsOnBadInput(call, (id) => this.isGlobal(id), (id) => this.resolver.symbolOf(id)?.declarations?.[0], creation)) return true;
    if (!ts.isCallExpression(call)) return false;
    // A library method that throws on input it rejects (catalog THROWING_METHODS: zod's `schema.parse(body)`).
    const callee = call.expression;
    if (isContextThrow(call)) return true;
    if (ts.isPropertyAccessExpression(callee) && THROWING_NAMES.has(callee.name.text) &&
        THROWING_METHODS[this.resolver.of(callee.expression)?.module ?? '']?.includes(callee.name.text)) return true;
    // `points.map(toLineProtocol)`: an array method runs the project function it is given there and then.
    const each = ts.isPropertyAccessExpression(callee) && ARRAY_CALLBACKS.has(callee.name.text) && call.arguments[0];
    if (each && ts.isIdentifier(each)) {
      const decl = followAlias(this.checker, this.symbolOf(each))?.declarations?.[0];
      const callback = decl && this.isProjectFile(decl.getSourceFile()) ? functionOfDeclaration(decl) : undefined;
      if (callback && this.throwsOnItsOwn(callback) === true) return true;
    }
    const fn = this.projectFunction(call);
    return !!fn && throwsForCall(this.throwsOnItsOwn(fn), call);
  }

  private throwsOnItsOwn(fn: ts.FunctionLikeDeclaration): ThrowCondition {
    let known = this.throwing.get(fn);
    if (known === undefined) {
      // `stringify(buildNotify(sub, state))` where `buildNotify` calls `pidf()`, which throws on a state it does not know.
      known = throwsOnItsOwn(fn) || callsThrowing(fn, (call) => {
        const callee = this.projectFunction(call);
        return !!callee && callee !== fn && throwsOnItsOwn(callee) === true;
      });
      this.throwing.set(fn, known);
    }
    return known;
  }

  /** `JSON`, `URL`: the built-in, not a binding of the code's own. */
  private isGlobal(id: ts.Identifier): boolean {
    const decls = this.resolver.symbolOf(id)?.declarations;
    return !decls?.length || decls.every(isGlobalDeclaration);
  }

  releasesCaptured(call: ts.CallExpression, subject: Subject): boolean | undefined {
    const fn = this.projectFunction(call);
    if (!fn || fn.getSourceFile() !== subject.fn.getSourceFile()) return undefined;
    // A function that declares the subject's variable (a recursive call of the function that opens
    // it: `resolve(download(location))` on a redirect) makes an instance of its own; it cannot release this one.
    if (declaresSubject(fn, subject)) return false;
    // `process.once('SIGTERM', () => shutdown().catch(() => process.exit(1)))`: a failing shutdown ends
    // the process (an unhandled rejection does too), so its failure paths leave nothing behind.
    const atShutdown = inShutdownListener(call);
    const summaries = atShutdown ? this.capturedAtShutdown : this.capturedSummaries;
    // Per subject: whether `finish()` releases `a` says nothing of `b`.
    let bySubject = summaries.get(fn);
    if (!bySubject) summaries.set(fn, bySubject = new Map());
    const cached = bySubject.get(subject);
    if (cached !== undefined) return cached;
    if (this.depth >= MAX_SUMMARY_DEPTH) return false;
    bySubject.set(subject, false);
    const inner = makeSubject(subject.kind, fn as Subject['fn'], fn, {
      aliases: subject.aliases, releaseFns: subject.releaseFns, errorParams: subject.errorParams, requests: subject.requests,
    });
    inner.bodyProperty = subject.bodyProperty;
    inner.accepted = subject.accepted;
    inner.capturedBy = true;
    try {
      const r = this.walk(inner);
      // In a test, a path that only a failure takes (a rejecting `await` in `finish()`) is a failing test.
      const exits = inTestCode(fn) || atShutdown ? r.exits.filter((x) => !FAILURE_EXITS.has(x.kind)) : r.exits;
      const result = exits.length === 0 && (r.sawRelease || r.sawEscape);
      bySubject.set(subject, result);
      return result;
    } catch (e) {
      bySubject.delete(subject);
      throw e;
    }
  }

  private walk(subject: Subject) {
    this.depth++;
    try {
      this.subjects.collectAliases(subject);
      return new PathWalker(subject, this).run();
    } finally {
      this.depth--;
    }
  }
}

function declaresSubject(fn: ts.Node, subject: Subject): boolean {
  for (const sym of subject.aliases) {
    for (const d of sym.declarations ?? []) if (d.getSourceFile() === fn.getSourceFile() && d.pos >= fn.pos && d.end <= fn.end) return true;
  }
  return false;
}

/** The paths that leave with it open (failures aside) all `return` something other than a falsy literal. */
function openReturnsAValue(exits: LeakExit[]): boolean {
  const normal = exits.filter((x) => !FAILURE_EXITS.has(x.kind));
  return normal.length > 0 && normal.every((x) => {
    if (x.kind !== 'return' || !ts.isReturnStatement(x.node) || !x.node.expression) return false;
    const e = stripParens(x.node.expression);
    return !(e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(e) && e.text === 'undefined') ||
      (ts.isNumericLiteral(e) && e.text === '0') || (ts.isStringLiteral(e) && e.text === '') || ts.isVoidExpression(e));
  });
}

/** `call` is made by the listener itself of a shutdown signal (`process.once('SIGTERM', () => shutdown())`). */
function inShutdownListener(call: ts.Node): boolean {
  let fn: ts.Node | undefined = call.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  const listen = fn && skipParensUp(fn).parent;
  return !!listen && ts.isCallExpression(listen) && isShutdownListener(listen);
}

/** `function resetOrDestroy(s) { … socket.destroy() }`: named for closing (kinds.ts OWN_RELEASE_NAME), and closing something. */
function closerByName(fn: ts.FunctionLikeDeclaration): boolean {
  const name = fn.name ?? (ts.isVariableDeclaration(fn.parent) ? fn.parent.name : undefined);
  return !!name && ts.isIdentifier(name) && OWN_RELEASE_NAME.test(name.text) && !!fn.body &&
    !!findNode(fn.body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ANY_RELEASE.has(n.expression.name.text));
}
