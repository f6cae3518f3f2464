// Path exploration for one subject through one function, second half: expressions, calls and closures
// (flow-statements.ts has the state, the exits and the statements, flow-creation.ts what was arranged before
// the resource opens). A call may release the resource, hand it over, or run a closure that does; a closure registered while it is open may release it later, and one given to its own method (or a step function) continues this function's paths.
import { ts } from 'ts-morph';
import { calleeName, callsContinuation, FnLike, isStringArg, promiseExecutor, stripParens } from './ast';
import { callsModuleFunction, callsPlainFunction } from './plain-calls';
import { inTestCase, skipsTest } from './execution';
import { finishesTest, handlerFinishesTest } from './test-finishers';
import { callsExitingFunction, isProcessExit } from './process-exit';
import { calledOnlyByName, callsStepFunction, isStepCall } from './step-functions';
import { isChannelEndListener, isHandedObjectCallback, isOwnStreamResponse } from './handed-objects';
import { CLOSURE_RUNNERS, TRANSFER_CALLS } from './references';
import {
  alwaysThrows, chainCalls, closesOtherInCleanup, isClearedTimer, connectListenersBefore, isConditionalListener, isContinuation, isOneTimeConnectListener, isRequestOptions, isResponseEvent, isRunsInOption,
  LISTEN_METHODS, UNLISTEN_METHODS, makesNewValue, isNonOwningArgument, isNonOwningCall, releasedOutside, resultDropped, runsInPlace, skipParensUp,
} from './call-shapes';
import { DONE_EVENTS, errorListenerClosingNothing, failsInsteadOfEnding } from './stream-failures';
import { cannotReject, releasesOnlyOnFulfilment, resultLeaves } from './settling';
import { borrowsConnection, RELEASING_CALLS } from './catalog';
import { isShutdownListener } from './supervised';
import { isSupertestRequest } from './supertest';
import { isReleasedFlag, isRunOnceFlag } from './flags';
import { exclusiveBranches, nullGuardCall, nullishTest } from './state-tests';
import { isEndListener, isListenerOn, releasesOnlyIfConnected, untiedFrom } from './relays';
import { Abrupt, addTo, DONE, OPEN } from './flow-statements';
import { CreationWalker } from './flow-creation';
import { awaitedOnly } from './sink-patterns';
import { pipedAwayBeforeEnd } from './pipes';

export { FAILURE_EXITS, type ExitKind, type FlowResult, type LeakExit } from './flow-statements';

export class PathWalker extends CreationWalker {
  // ---- expressions ------------------------------------------------------------------------

  /** Branch on a condition: states where it is truthy, states where it is falsy. */
  protected cond(e: ts.Expression, s: number, ab: Abrupt): { t: number; f: number } {
    e = stripParens(e);
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
      const c = this.cond(e.operand, s, ab);
      return { t: c.f, f: c.t };
    }
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
        const a = this.cond(e.left, s, ab);
        const b = this.cond(e.right, a.t, ab);
        return { t: b.t, f: a.f | b.f };
      }
      if (op === ts.SyntaxKind.BarBarToken) {
        const a = this.cond(e.left, s, ab);
        const b = this.cond(e.right, a.f, ab);
        return { t: a.t | b.t, f: b.f };
      }
      const nullish = nullishTest(e);
      if (nullish && this.isAlias(stripParens(nullish.operand))) return nullish.isNull ? { t: this.absent(s), f: s } : { t: s, f: this.absent(s) };
    }
    const guard = nullGuardCall(e);
    if (guard && this.isAlias(stripParens(guard.operand))) return guard.isNull ? { t: this.absent(s), f: s } : { t: s, f: this.absent(s) };
    if (this.isAlias(e)) return { t: s, f: this.absent(s) };
    if (ts.isIdentifier(e) && this.falsyReleases.size && this.falsyReleases.has(this.oracle.symbolOf(e) as ts.Symbol)) return { t: s, f: this.absent(s) };
    if (this.releasedOwnErrors.size && this.isReleasedOwnErrorTest(e)) return { t: this.absent(s), f: s };
    if (this.subject.capturedBy && isRunOnceFlag(e, this.subject, (n) => this.oracle.symbolOf(n))) return { t: this.absent(s), f: s };
    if (isReleasedFlag(e, this.subject, (n) => this.oracle.symbolOf(n), (n) => this.refs.namesResource(n))) return { t: this.absent(s), f: s };
    if (e.kind === ts.SyntaxKind.TrueKeyword) return { t: this.expr(e, s, ab), f: 0 };
    const closed = this.refs.states.closedStateTest(e) ?? this.refs.states.noBodyStatusTest(e);
    if (closed !== undefined) return closed ? { t: this.absent(s), f: s } : { t: s, f: this.absent(s) };
    if (ts.isIdentifier(e) && this.subject.errorParams.size) {
      const sym = this.oracle.symbolOf(e);
      if (sym && this.subject.errorParams.has(sym)) return { t: this.absent(s), f: s };
    }
    const v = this.expr(e, s, ab);
    return { t: v, f: v };
  }

  expr(e: ts.Expression, s: number, ab: Abrupt): number {
    if (this.inert(e, s)) return s;
    switch (e.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.SpreadElement:
      case ts.SyntaxKind.TypeOfExpression:
      case ts.SyntaxKind.VoidExpression:
      case ts.SyntaxKind.DeleteExpression:
        return this.expr((e as ts.ParenthesizedExpression).expression, s, ab);
      case ts.SyntaxKind.AwaitExpression: {
        const operand = (e as ts.AwaitExpression).expression;
        s = this.expr(operand, s, ab);
        if ((s & OPEN) && this.refs.awaitsHeldCloseWait(operand)) return this.release(s);
        if ((s & OPEN) && (!this.containsCreation(operand) || this.subject.openerFailsOpen) && !this.refs.isConnectStep(operand) && !cannotReject(operand) &&
            !closesOtherInCleanup(operand) && !this.releasedOnThrow.has(stripParens(operand)) && !this.failsHarmlessly(operand)) {
          addTo(ab.throws, e, OPEN);
        }
        return s;
      }
      case ts.SyntaxKind.YieldExpression: {
        const y = e as ts.YieldExpression;
        if (y.expression) {
          s = this.expr(y.expression, s, ab);
          if (this.isBareAlias(y.expression)) s = this.escape(s);
        }
        // The code iterating a generator may stop at any `yield` (a `break` out of its `for await`, `return()`):
        // the generator then runs only its `finally` blocks, as if it returned here.
        if (s & OPEN) addTo(ab.returns, y, s);
        return s;
      }
      case ts.SyntaxKind.CallExpression:
        return this.call(e as ts.CallExpression, s, ab);
      case ts.SyntaxKind.NewExpression: {
        const n = e as ts.NewExpression;
        s = this.expr(n.expression, s, ab);
        s = this.args(n, n.arguments ?? [], s, ab);
        if (e === this.subject.creation) return this.created(n, s);
        // `new RegExp(device.prompt)` before the `try`: a bad pattern throws with it open.
        if (s & OPEN && !this.containsCreation(n) && this.oracle.throwsWhenCalled(n, this.subject.creation)) addTo(ab.throws, n, OPEN);
        return s;
      }
      case ts.SyntaxKind.BinaryExpression:
        return this.binary(e as ts.BinaryExpression, s, ab);
      case ts.SyntaxKind.ConditionalExpression: {
        const n = e as ts.ConditionalExpression;
        const c = this.cond(n.condition, s, ab);
        return this.expr(n.whenTrue, c.t, ab) | this.expr(n.whenFalse, c.f, ab);
      }
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ArrowFunction:
        return this.closure(e as ts.FunctionLikeDeclaration, undefined, s);
      case ts.SyntaxKind.ClassExpression:
        return s;
      case ts.SyntaxKind.PrefixUnaryExpression:
      case ts.SyntaxKind.PostfixUnaryExpression:
        return this.expr((e as ts.PrefixUnaryExpression).operand, s, ab);
      case ts.SyntaxKind.PropertyAccessExpression:
        return this.expr((e as ts.PropertyAccessExpression).expression, s, ab);
      case ts.SyntaxKind.ElementAccessExpression: {
        const n = e as ts.ElementAccessExpression;
        return this.expr(n.argumentExpression, this.expr(n.expression, s, ab), ab);
      }
      case ts.SyntaxKind.ObjectLiteralExpression: {
        // `createInterface({ input: socket })`, `log({ socket })`: the options of a call that owns nothing.
        const notHanded = (this.subject.kind === 'agent' && isRequestOptions(e as ts.ObjectLiteralExpression)) || isNonOwningArgument(e);
        for (const p of (e as ts.ObjectLiteralExpression).properties) {
          if (isRunsInOption(p, this.subject.spec.runsInOption)) continue;
          if (ts.isPropertyAssignment(p)) {
            s = this.expr(p.initializer, s, ab);
            if (!notHanded && this.isBareAlias(p.initializer) && !this.refs.lentToCreator(p)) s = this.escape(s);
          } else if (ts.isShorthandPropertyAssignment(p)) {
            if (!notHanded && this.isAlias(p.name) && !this.refs.lentToCreator(p)) s = this.escape(s);
          } else if (ts.isSpreadAssignment(p)) {
            s = this.expr(p.expression, s, ab);
          } else if (ts.isMethodDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) {
            s = this.closure(p, undefined, s);
          }
        }
        return s;
      }
      case ts.SyntaxKind.ArrayLiteralExpression: {
        for (const el of (e as ts.ArrayLiteralExpression).elements) {
          s = this.expr(el, s, ab);
          if (this.isBareAlias(ts.isSpreadElement(el) ? el.expression : el) && !awaitedOnly(e as ts.ArrayLiteralExpression)) s = this.escape(s);
        }
        return s;
      }
      case ts.SyntaxKind.YieldExpression: {
        const n = e as ts.YieldExpression;
        if (!n.expression) return s;
        s = this.expr(n.expression, s, ab);
        return this.isBareAlias(n.expression) ? this.escape(s) : s;
      }
      default:
        return this.children(e, s, ab);
    }
  }

  /** The expressions inside any other node, in order, looking through template spans and the like. */
  protected children(node: ts.Node, s: number, ab: Abrupt): number {
    ts.forEachChild(node, (child) => {
      if (ts.isExpression(child)) s = this.expr(child, s, ab);
      else if (!ts.isFunctionLike(child) && !ts.isClassLike(child) && !ts.isTypeNode(child)) s = this.children(child, s, ab);
    });
    return s;
  }

  protected binary(n: ts.BinaryExpression, s: number, ab: Abrupt): number {
    const op = n.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
      const c = this.cond(n, s, ab);
      return c.t | c.f;
    }
    if (op === ts.SyntaxKind.QuestionQuestionToken) {
      const l = this.expr(n.left, s, ab);
      return l | this.expr(n.right, l, ab);
    }
    if (op === ts.SyntaxKind.EqualsToken) {
      const left = stripParens(n.left);
      const right = stripParens(n.right);
      // `out.data = raw ? res.body : await res.text()`: the branch that stores it hands it on.
      if (ts.isConditionalExpression(right) && !ts.isIdentifier(left)) {
        const c = this.cond(right.condition, s, ab);
        const branch = (b: ts.Expression, st: number) => (this.isBareAlias(b) ? this.escape(this.expr(b, st, ab)) : this.expr(b, st, ab));
        s = branch(right.whenTrue, c.t) | branch(right.whenFalse, c.f);
      } else s = this.expr(n.right, s, ab);
      // `ws.onerror = () => done()`: a WebSocket's error handler that ends the test, as `ws.on('error', …)` (references.ts).
      if (ts.isPropertyAccessExpression(left) && left.name.text === 'onerror' && this.subject.kind === 'websocket' && this.refs.isHandle(left.expression) && handlerFinishesTest(right)) s = this.release(s);
      if (this.isBareAlias(n.right)) {
        if (this.storesOutside(n)) s = this.escape(s);
      } else if (this.isAlias(left) && (s & OPEN) && !this.containsCreation(n.right) && (this.refs.namesResource(n.right) || this.storesOutside(n))) {
        s = this.escape(s); // `db = db.db(name)`, `suiteIo = new Server(srv)`: what keeps it goes where it goes
      } else if (this.isAlias(left) && (s & OPEN) && !this.containsCreation(n.right) && this.subject.aliases.size === 1 &&
          makesNewValue(n.right) && !exclusiveBranches(this.subject.creation, n, this.subject.fn, (x) => this.oracle.symbolOf(x))) {
        this.exits.set(n, 'reassign');
        s = this.absent(s);
      }
      if (ts.isObjectLiteralExpression(left) || ts.isArrayLiteralExpression(left)) s = this.patternTargets(left, s, ab);
      else if (!ts.isIdentifier(left)) s = this.expr(left, s, ab);
      return s;
    }
    return this.expr(n.right, this.expr(n.left, s, ab), ab);
  }

  protected call(n: ts.CallExpression, s: number, ab: Abrupt): number {
    const callee = stripParens(n.expression);
    let onHandle = false;
    if (ts.isPropertyAccessExpression(callee)) {
      s = this.expr(callee.expression, s, ab);
      onHandle = this.refs.isHandle(callee.expression);
    } else {
      s = this.expr(callee, s, ab);
    }
    s = this.args(n, n.arguments, s, ab, onHandle);
    if (n === this.subject.creation) return this.created(n, s);
    // Nothing runs after these; a failed assertion in a test is a failing test, not a leak.
    if (isProcessExit(n) || callsExitingFunction(n, (x) => this.oracle.symbolOf(x)) || (this.inTest && (calleeName(n) === 'fail' || skipsTest(n)))) return 0;
    if (!(s & OPEN)) return s;
    if (this.refs.releasesHere(n)) {
      // `upstream.on('close', …)` waits for the far end; per accepted connection, the near end's going must close it too.
      const peer = this.subject.servedPeer;
      if (peer && this.refs.waitsForOwnClose(n) && this.untiedFromPeer(peer)) this.exit(peer, 'peerGone', s);
      return this.release(s);
    }
    if (this.refs.states.assertsNoBody(n) || this.refs.states.assertsConnectionGone(n)) return this.absent(s);
    if (onHandle) return s;
    // Or a step function's `next()` (call-shapes.ts calledOnlyByName), whose paths are walked where it is declared.
    const symbolOf = (x: ts.Node) => this.oracle.symbolOf(x), releases = (b: ts.Node) => this.refs.closureReleases(b);
    if (ts.isIdentifier(callee) && !n.arguments.some((a) => this.isBareAlias(a)) && (this.oracle.releasesCaptured(n, this.subject) || isStepCall(n, symbolOf, releases))) return this.release(s);
    // `const wanted = mergeLines(lines)` before the `try`: a malformed line throws with it open.
    if (!this.containsCreation(n) && this.oracle.throwsWhenCalled(n, this.subject.creation)) addTo(ab.throws, n, OPEN);
    return s;
  }

  /** The resource opens; callbacks given to its creator (`net.connect(opts, onConnect)`) run while it is open. */
  protected created(n: ts.CallExpression | ts.NewExpression, s: number): number {
    // Every path through here holds a new one, whatever became of the previous iteration's.
    s = s ? OPEN : 0;
    const before = this.plannedBefore(n);
    if (before) return before === 'stored' ? this.escape(s) : this.release(s);
    for (const call of [...connectListenersBefore(this.subject.fn.body!, n, this.subject.kind, (e) => this.refs.isHandle(e)), ...chainCalls(n)]) {
      for (const a of call.arguments ?? []) {
        const fnNode = this.localFunction(a);
        if (fnNode) s = this.closure(fnNode, call, s, true);
        // `startServer({ next: (msg) => { …; server.close() } })`: a callback option of its own creator is
        // one of its listeners (the creator calls it while the resource lives), like `net.connect(port, cb)`.
        const options = call === n ? stripParens(a) : undefined;
        if (!options || !ts.isObjectLiteralExpression(options)) continue;
        for (const p of options.properties) {
          const value = ts.isMethodDeclaration(p) ? p : ts.isPropertyAssignment(p) ? this.localFunction(p.initializer)
            : ts.isShorthandPropertyAssignment(p) ? this.localFunction(p.name) : undefined;
          if (value) s = this.closure(value, call, s, true);
        }
      }
    }
    return s;
  }

  /** Arguments: a resource handed to another function, and closures that release or capture it. */
  protected args(call: ts.CallExpression | ts.NewExpression, args: readonly ts.Expression[], s: number, ab: Abrupt, onHandle = false): number {
    const name = calleeName(call);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const fnNode = this.localFunction(a);
      if (fnNode) {
        // `signal.removeEventListener('abort', onAbort)`: taken off, not run. And for a response, `onAbort` added for
        // this call's time only (removed again before it returns): it can abort the request only while the code waits for it.
        if (name && (UNLISTEN_METHODS.has(name) || (this.subject.kind === 'response' && i === 1 && LISTEN_METHODS.has(name) &&
            ts.isCallExpression(call) && this.refs.detachedLater(call)))) continue;
        s = this.closure(fnNode, call, s, onHandle);
        continue;
      }
      if (this.refs.isBoundRelease(a)) {
        s = this.boundRelease(call, s);
        continue;
      }
      s = this.expr(a, s, ab);
      if (!(s & OPEN) || onHandle) continue;
      // `abortHandshake(ws, req, msg)`, a function that aborts the request it is given: that destroys its response too.
      if (this.subject.kind === 'response' && this.refs.isRequest(stripParens(a)) && this.oracle.releasesParam(call, i, this.subject)?.kind === 'releases') {
        s = this.release(s);
        continue;
      }
      if (!this.isBareAlias(a)) {
        // `shutdown(server.socket)` to a helper that closes what it is given: the member (not a response's
        // body, a handle) may be the resource itself (`server.socket = server.listen(0)`): who closes it is unknown.
        const m = stripParens(a);
        if (ts.isPropertyAccessExpression(m) && m.name.text !== this.subject.bodyProperty && this.isAlias(stripParens(m.expression)) &&
            this.oracle.releasesParam(call, i, this.subject)?.kind === 'releases') s = this.escape(s);
        continue;
      }
      // Waiting for its next event (a project's own `waitFor(ws, 'close')` too) neither keeps nor hands it on.
      const wait = i === 0 ? this.refs.eventWait(call) : undefined;
      if (wait) {
        if (wait === 'closed') s = this.release(s);
        continue;
      }
      const summary = this.oracle.releasesParam(call, i, this.subject);
      if (summary === undefined) {
        if (name && (RELEASING_CALLS.has(name) || this.refs.consumesArgument(call))) {
          // `src.pipe(sock)` ends `sock` with `src`, but not when `src` fails and its listener swallows the error.
          const failure = this.refs.pipeSourceFailure(call);
          if (failure) this.exit(failure, 'sourceFails', s);
          s = this.release(s);
        }
        // `src.pipe(s, { end: false })` writes to it and leaves it open: no hand-over.
        else if (isNonOwningCall(call, a) || name === 'pipe') continue;
        // `request(server)` of supertest: it closes only a server it listened on itself.
        else if (isSupertestRequest(call, (x) => this.oracle.originOf(x))) continue;
        // `new sql.Request(tx)` of mssql: a query in the transaction, which stays this function's.
        else if (ts.isNewExpression(call) && borrowsConnection(this.oracle.originOf(call.expression))) continue;
        // `return wrap(res.body)`: what the call makes of the resource is handed to the caller.
        // `const session = new BrowserSession(ws)`, an alias of it (subjects.ts): followed there.
        else if (ts.isNewExpression(call) && this.initializesAlias(call)) continue;
        // `resolve(h.response(res).type('image/png'))`: what it makes of the resource leaves the function.
        else if (!this.owner || ts.isNewExpression(call) || (name && TRANSFER_CALLS.has(name)) || resultLeaves(call) ||
            callsContinuation(call, (n) => this.oracle.symbolOf(n))) s = this.escape(s);
        continue;
      }
      if (summary.throwsReleased) this.releasedOnThrow.add(call);
      if (summary.kind === 'partial' && summary.releasedWhenFalsy) this.noteFalsyRelease(call);
      if (summary.throwsOpen && ts.isCallExpression(call)) addTo(ab.throws, call, OPEN);
      if (summary.kind === 'releases') s = this.release(s);
      // Kept on some paths, or given back to a caller that keeps it (`const ready = await waitForConnect(socket)`): who owns it now is unknown.
      else if (summary.kind === 'keepsSometimes' || (summary.givesBack && !resultDropped(call))) s = this.escape(s);
    }
    return s;
  }

  private initializesAlias(call: ts.NewExpression): boolean {
    const p = skipParensUp(call).parent;
    return ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && this.isAlias(p.name);
  }

  /** Whether nothing ties the subject to the connection it serves (relays.ts); the same on every path, so asked once. */
  private untiedFromPeer(peer: ts.Identifier): boolean {
    this.peerUntied ??= untiedFrom(peer, this.subject.fn.body!, (x) => this.refs.mayCloseIn(x));
    return this.peerUntied;
  }

  private peerUntied: boolean | undefined;

  /**
   * `await ch.assertExchange(…)` of a channel whose own failing operation has closed it (KindSpec.closedByOwnFailure),
   * or `await runner.startTransaction()`, which rejects only once its connection has broken (Subject.failsWhenBroken).
   */
  private failsHarmlessly(operand: ts.Expression): boolean {
    const x = stripParens(operand);
    if (!ts.isCallExpression(x) || !ts.isPropertyAccessExpression(x.expression) || !this.isBareAlias(x.expression.expression)) return false;
    const method = x.expression.name.text;
    const own = this.subject.spec.closedByOwnFailure;
    return (!!own && !own.except.includes(method)) || !!this.subject.failsWhenBroken?.includes(method);
  }

  /** A closure created while the resource is open: releasing or handing it on inside counts. */
  protected closure(fn: ts.FunctionLikeDeclaration | ts.MethodDeclaration | ts.AccessorDeclaration, call: ts.CallExpression | ts.NewExpression | undefined, s: number, onHandle = false): number {
    if (!(s & OPEN) || !fn.body) return s;
    // `socket.connect(path, () => { throw new Error('already in use') })`: when the resource goes on
    // there, the throw is an uncaught exception and the process ends; it leaves nothing open behind it.
    if (onHandle && call && isContinuation(call) && alwaysThrows(fn.body)) return this.release(s);
    // `const handle = async (line) => { if (cmd === 'QUIT') socket.end() }` in a half-open connection's handler: it
    // ends the connection where it is called (the 'end' listener must call it), as a declared function does.
    if (!call && this.refs.halfOpenPaths && ts.isVariableDeclaration(fn.parent) && fn.parent.initializer === fn) return s;
    if (!this.refs.refersToAlias(fn.body)) {
      // `srv.listen(0, () => finish(true))`: it names only a function of this file that releases it.
      return this.refs.callsCapturing(fn.body) && !(call && isConditionalListener(call)) && this.refs.closureReleases(fn.body) ? this.release(s) : s;
    }
    // A connection of a server with `allowHalfOpen: true` that the handler ends somewhere (never ended anywhere
    // is the half-open-socket rule's finding): after the client's FIN only its 'end' listener, or an idle timeout
    // that destroys it, ends it; an end() in a 'data' listener covers only the clients that ask for it.
    const halfOpenCall = onHandle && call && ts.isCallExpression(call) && this.refs.halfOpenPaths ? call : undefined;
    const named = halfOpenCall?.arguments[0];
    const event = halfOpenCall && calleeName(halfOpenCall) === 'setTimeout' ? 'timeout' : named && ts.isStringLiteralLike(named) ? named.text : undefined;
    if (event === 'end' && LISTEN_METHODS.has(calleeName(halfOpenCall!) ?? '')) {
      this.walkFunction(fn.body, OPEN);
      return this.release(s);
    }
    if (event === 'data' || event === 'readable') return s;
    // `rl.on('line', …)` of a readline interface over it: its lines come from its 'data'.
    if (this.refs.halfOpenPaths && call && ts.isCallExpression(call) && LISTEN_METHODS.has(calleeName(call) ?? '') && isStringArg(call.arguments[0], LINE_EVENT)) return s;
    if (event === 'timeout' && this.refs.closureReleases(fn.body)) return this.release(s);
    // A close in an 'error' or 'timeout' listener runs only if that happens: on the normal path the
    // resource is still open, and nothing was handed over. One in a shutdown handler (`process.once('SIGINT')`)
    // is no path of this function either: the resource is kept until then (subjects.ts marks it long-lived).
    if (call && ((isConditionalListener(call) && !finishesTest(fn as FnLike)) || isShutdownListener(call) || this.clearedGiveUpTimer(call))) return s;
    // `await new Promise((resolve, reject) => { const t = setTimeout(() => { raw.destroy(); reject(…) }, ms); raw.once('connect', …) })`:
    // an executor that closes only in a give-up timer it clears or in an 'error' listener resolves with the resource open.
    const failureOnly = (n: ts.Node) => ts.isCallExpression(n) && (isConditionalListener(n) || isClearedTimer(n, fn.body!)) && !this.refs.releasesHere(n);
    const releases = this.refs.closureReleases(fn.body) || callsStepFunction(fn.body, (n) => this.oracle.symbolOf(n), (b) => this.refs.closureReleases(b));
    if (releases && call && promiseExecutor(call) === fn && !this.refs.closureReleases(fn.body, failureOnly)) {
      this.sawRelease = true;
      return s;
    }
    if (releases) {
      const failure = this.refs.pipeSourceFailure(fn.body);
      if (failure) this.exit(failure, 'sourceFails', s);
      const pipedAway = this.subject.kind === 'pool-checkout' && call && ts.isCallExpression(call) ? pipedAwayBeforeEnd(call, this.subject.fn.body!, (b) => this.refs.closureReleases(b)) : undefined;
      if (pipedAway) this.exit(pipedAway, 'pipeStops', s);
      // `res.on('end', () => client.unbind())` while `res.on('error', reject)` closes nothing: a failing stream never ends.
      // Also when this closure is that 'end' listener itself (`rows.on('end', () => client.release())`).
      const closes = (b: ts.Node) => this.refs.closureReleases(b);
      const failsInstead = failsInsteadOfEnding(fn.body, closes) ??
        (call && ts.isCallExpression(call) && LISTEN_METHODS.has(calleeName(call) ?? '') && isStringArg(call.arguments[0], DONE_EVENTS) && call.arguments[1] &&
          stripParens(call.arguments[1]) === fn ? errorListenerClosingNothing(call, closes) : undefined);
      // Not the resource's own 'error': a socket or a WebSocket that fails is closed by it (references.ts releasesHere).
      const failing = failsInstead && ts.isPropertyAccessExpression(failsInstead.expression) ? stripParens(failsInstead.expression.expression) : undefined;
      if (failsInstead && !(this.subject.spec.closedBy?.length && failing && this.refs.isHandle(failing))) {
        this.exit(failsInstead, 'failsInstead', s);
      }
      // `client.query(sql, (err, r) => { …; done(); })`: the callback continues this function's work
      // once, so its paths are this resource's paths (the classic `if (err) return cb(err)` before `done()`).
      // Not for a server or pool: a close in one of their callbacks is a plan to close them some day.
      // An awaited call (`await session.withTransaction(async () => …)`) runs its callback before it resolves: no continuation.
      // A got stream's 'response' listener runs once, when the response arrives: the stream's paths go on there.
      // A client's one connect event (`conn.on('ready', …)` of an ssh2 Client) likewise, unless the function closes it elsewhere too.
      // So do the end of a channel the resource handed a callback (`conn.exec(cmd, (err, stream) => stream.on('close', …))`) and an operation's callback of an object it handed one (`sftp.readdir(dir, cb)`).
      const releasesHere = (n: ts.CallExpression) => this.refs.releasesHere(n), isHandle = (e: ts.Expression) => this.refs.isHandle(e);
      if (!call && !this.subject.longLived && calledOnlyByName(fn, (n) => this.oracle.symbolOf(n))) return this.walkFunction(fn.body, OPEN), this.release(s);
      const continues = call && ((onHandle && (isContinuation(call) || (((this.subject.kind === 'response' && isResponseEvent(call)) ||
        isOneTimeConnectListener(call, this.subject.kind)) && !releasedOutside(this.subject.fn.body!, fn, releasesHere)))) ||
        (!onHandle && (isChannelEndListener(call, isHandle) || isHandedObjectCallback(call, isHandle)) && !releasedOutside(this.subject.fn.body!, fn, releasesHere, true)) ||
        (this.subject.kind === 'http2-session' && isOwnStreamResponse(call, fn, this.subject.fn.body!, isHandle, releasesHere)));
      if (call && continues && !ts.isAwaitExpression(skipParensUp(call).parent) && !this.subject.longLived) {
        this.walkFunction(fn.body, OPEN);
        return this.release(s);
      }
      // In a test a rejected chain is a failing test: only the fulfilled path counts there.
      if (call && ((releasesOnlyOnFulfilment(call) && !this.connectsThis(call) && !this.inTest) || releasesOnlyIfConnected(this.subject, call, fn, (b) => this.refs.closureReleases(b), (a) => this.localFunction(a)))) {
        this.sawRelease = true;
        return s | DONE;
      }
      return this.release(s);
    }
    if (!call || onHandle) return s;
    // `client.on('message', (m) => upstream.send(m))`: kept alive by the served connection's listeners,
    // it must be closed when that connection goes; with nothing tying it to the client's end, it is not.
    const peer = this.subject.servedPeer;
    if (peer && ts.isCallExpression(call) && isListenerOn(call, peer) && this.untiedFromPeer(peer)) {
      this.exit(peer, 'peerGone', s);
      return this.release(s);
    }
    // `ws.on('close', () => sub.unsubscribe(ch))`: where another connection ends, this one is only used, not
    // closed, nor kept: the listener takes nothing over.
    if (ts.isCallExpression(call) && isEndListener(call) && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !this.refs.mayCloseIn(fn.body) &&
        !callsPlainFunction(fn, (c) => !callsModuleFunction(c) || c.arguments.some((a) => this.isAlias(stripParens(a))))) return s;
    const name = calleeName(call);
    // A keep-alive `setInterval(() => ws.ping(), ms)` the function clears again (on its peer's close) keeps nothing for later either.
    if (name && (CLOSURE_RUNNERS.has(name) || (name === 'setInterval' && isClearedTimer(call, this.subject.fn.body!)))) return s;
    if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && this.refs.isHandle(call.expression.expression)) return s;
    if (runsInPlace(call, fn, (n) => this.isAlias(n))) return s;
    // Captured by something outside the function (a route handler, a returned API): it now lives there, unless this function closes it itself. Not in a test, which ends: a callback that only uses it (`(s, d) => nc.publish(s, d)`) takes nothing over.
    return this.owner || inTestCase(this.subject.fn) ? s : this.escape(s);
  }

  /** `after(server.close.bind(server))`: a closure that releases, as `() => server.close()` would be. */
  private boundRelease(call: ts.CallExpression | ts.NewExpression, s: number): number {
    if (!(s & OPEN) || isConditionalListener(call) || isShutdownListener(call)) return s;
    if (!releasesOnlyOnFulfilment(call) || this.inTest) return this.release(s);
    this.sawRelease = true;
    return s | DONE;
  }

  /**
   * `producer.connect().then(() => { this.producer = producer })`: the promise is this resource's own
   * connect step (or `once(sock, 'connect')`), and when it rejects, nothing was opened or left open;
   * the callback is the only way on.
   */
  private connectsThis(then: ts.CallExpression | ts.NewExpression): boolean {
    const recv = ts.isCallExpression(then) && ts.isPropertyAccessExpression(then.expression) ? stripParens(then.expression.expression) : undefined;
    return !!recv && ts.isCallExpression(recv) && (this.refs.isConnectStep(recv) || this.drainsThis(recv));
  }

  /** `pool.drain().then(() => pool.clear())`: generic-pool's `drain()` settles every wait through a reflector and never rejects (lib/Pool.js). */
  private drainsThis(call: ts.CallExpression): boolean {
    const callee = call.expression;
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'drain' && !this.subject.spec.release.includes('drain') && this.refs.isHandle(callee.expression);
  }
}

/** readline's event for each line it reads. */
const LINE_EVENT: ReadonlySet<string> = new Set(['line']);

