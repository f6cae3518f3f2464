// Fixes for leak findings, computed with the finding so that editors never re-analyse. Each kind
// states its preconditions and checks them on the syntax tree before it is offered; one that cannot
// meet them is offered for review (not in fix-all) when its edit is still correct, or not at all:
//   fix-before-exits.ts  release before each leaking exit
//   fix-try-finally.ts   wrap the uses in try/finally and release in `finally`
//   here                 `await using` (review only) and cancelling a dropped fetch response
import { ts } from 'ts-morph';
import { LeakReport } from './leaks';
import { Fix } from './types';
import { edit, eol } from './text';
import { discardText } from './release-call';
import { insertAtBlockEnd } from './fix-text';
import { calleeName, findNode, isAsyncFunction, isStringArg, stripParens, within } from './ast';
import { beforeExitsFix } from './fix-before-exits';
import { regionOf, tryFinallyFix } from './fix-try-finally';
import { containsRelease, handedToPendingCall, refersTo, usedAfter, writesTo } from './fix-syntax';
import { ERROR_EVENT, LISTEN_METHODS } from './call-shapes';
import { SHARED_CLIENT_METHODS, SHARED_IN_LOOPS_KINDS, SHARED_KINDS } from './kinds';
import { inTestCode, runsOnce } from './execution';
import { doneUses } from './test-finishers';
import { enclosingFunction, loopAround } from './syntax';

export function leakFixes(report: LeakReport, file: string, verb: string, options: ts.CompilerOptions = {}): Fix[] {
  const fixes: Fix[] = [];
  const reportCall = report.releaseCall;
  if (report.discarded) {
    const f = discardFix(report, file);
    if (f) fixes.push(f);
    return fixes;
  }
  // A half-open connection the handler ends somewhere is ended after the client's FIN, in its 'end' listener; a
  // close at an exit of the handler would end every connection at once (the half-open-socket rule's fix adds the listener).
  if (!reportCall || (report.subject.halfOpen && report.sawRelease)) return fixes;
  // `s.write('hello')` then `s.destroy()` would drop the write still queued: a socket the code wrote to
  // before the inserted close is ended instead (its data flushed, then a FIN; Node destroys it once the
  // peer has closed too). A connection a net server accepted, answered and left for the client to close
  // (a test server's canned response) is drained instead: ending it would close it before the client
  // does, which is not what the code did; read to its end, the client's close closes it.
  const drains = report.subject.accepted && report.subject.closesWithClient;
  const endedIf = (written: boolean) =>
    (written && report.subject.kind === 'socket' && /\.destroy\(\)$/.test(reportCall) ? reportCall.replace(/\.destroy\(\)$/, drains ? '.resume()' : '.end()') : reportCall);
  const name = report.resourceName ?? reportCall.replace(/^(await |void )/, '').split(/[.(]/)[0];
  if (report.exits.some((x) => x.kind === 'sourceFails' || x.kind === 'failsInstead')) {
    const f = sourceFailureFix(report, file, reportCall);
    const when = report.exits.some((x) => x.kind === 'sourceFails') ? 'the stream piped into it fails' : 'the stream whose end closes it fails';
    if (f) fixes.push({ ...f, title: `${capital(verb)} \`${name}\` when ${when}` });
    return fixes;
  }
  // A pool or a multiplexed client made per call: closing it on every path leaves one made and closed
  // per call (connection-churn); sharing one is the fix, so a local close is for review only.
  // So is a database client made in a loop, a kafkajs producer, and a project class whose connections are all such
  // clients (connection-churn's clientPerIteration/clientPerCall).
  const { subject } = report;
  const inLoop = !!subject.creation && !!loopAround(subject.creation, subject.fn as ts.FunctionLikeDeclaration);
  const churns = SHARED_KINDS.has(subject.kind) || (subject.kind === 'wrapper' && !!report.match.shared) ||
    // A WebSocket or Socket.IO client made in a loop and closed on every path is one per iteration (socketPerIteration).
    ((SHARED_IN_LOOPS_KINDS.has(subject.kind) || subject.kind === 'websocket' || subject.kind === 'sio-client') && inLoop) ||
    (ts.isCallExpression(subject.report) && !!SHARED_CLIENT_METHODS[subject.kind] && calleeName(subject.report) === SHARED_CLIENT_METHODS[subject.kind]);
  const perCall = churns && !inTestCode(subject.fn) && !runsOnce(subject.fn);
  // A callback-style test (`it('…', (done) => …)`) ends when a callback calls `done`, after its body has
  // returned: a release at the body's end (or in a `finally` around it) cuts off the work the test waits for.
  const endsLater = (doneUses(subject.fn) ?? []).some((d) => enclosingFunction(d) !== subject.fn);
  const handed = handedToPendingCall(report);
  const throwsWhileConnecting = closeMayThrow(report);
  const review = ({ review: why, ...f }: Omit<Fix, 'title'> & { review?: string }, title: string): Fix => {
    if (perCall) return { ...f, safe: false, title: `${title} (review: one per ${inLoop ? 'iteration' : 'call'} is still churn; share one instead)` };
    if (endsLater) return { ...f, safe: false, title: `${title} (review: the test goes on until a callback calls \`done\`)` };
    if (handed && f.safe) return { ...f, safe: false, title: `${title} (review: a function it was handed to may still use it)` };
    if (report.match.injected && f.safe) return { ...f, safe: false, title: `${title} (review: the fetch was handed in, and its response type is the caller's)` };
    if (throwsWhileConnecting && f.safe) return { ...f, safe: false, title: `${title} (review: closing it while it still connects emits 'error', which nothing here listens for)` };
    if (keepaliveFetch(report) && f.safe) return { ...f, safe: false, title: `${title} (review: a \`keepalive\` fetch is a browser's, where cancelling the body does not give back the keepalive quota; reading it does)` };
    return { ...f, title: f.safe ? title : `${title} (review: ${why ?? 'a callback may still use it'})` };
  };
  // Where the close goes: before a `return`/`throw`/`continue`, or at the end of a block.
  const at = (x: LeakReport['exits'][number]) => (ts.isBlock(x.node) ? x.node.getEnd() : x.node.getStart());
  // Draining is no close: the title says what the inserted call does.
  const verbFor = (call: string) => (report.subject.kind === 'socket' && /\.resume\(\)$/.test(call) ? 'drain' : verb);
  const beforeCall = endedIf(report.exits.some((x) => writesTo(report, at(x))));
  // A path that throws out of an emitter's callback is no finding (the process ends), but a release
  // before the other exits would leave that one without it: only a `finally` covers them all.
  const before = report.uncaughtThrowsLeft ? undefined : beforeExitsFix(report, file, beforeCall);
  const closedBy = (call: string) => (verbFor(call) === 'drain' ? ' (the client\'s close then closes it)' : '');
  if (before) fixes.push(review(before, `${capital(verbFor(beforeCall))} \`${name}\` before ${report.exits.length === 1 ? 'the leaking exit' : `each of the ${report.exits.length} leaking exits`}${closedBy(beforeCall)}`));
  const wrapCall = endedIf(writesTo(report));
  const wrap = tryFinallyFix(report, file, wrapCall);
  if (wrap) fixes.push(review(wrap, `Wrap the uses of \`${name}\` in try/finally and ${verbFor(wrapCall)} it in \`finally\`${closedBy(wrapCall)}`));
  const using = awaitUsingFix(report, file, options);
  if (using) fixes.push({ ...using, title: `Declare \`${name}\` with \`await using\` (closed when the block exits)` });
  // The safe ones first: an editor's preferred fix is the first one.
  return fixes.sort((a, b) => Number(b.safe) - Number(a.safe));
}

/**
 * `client.on('error', (e) => log(e))` → `client.on('error', (e) => { log(e); upstream.destroy(); })`:
 * the source's swallowing listener also releases the destination. Only when every leaking exit is such
 * a listener, written inline after the destination's declaration in the function that makes it.
 */
function sourceFailureFix(report: LeakReport, file: string, call: string): Omit<Fix, 'title'> | undefined {
  const decl = report.declaration;
  if (!decl || !report.exits.every((x) => (x.kind === 'sourceFails' || x.kind === 'failsInstead') && !x.mixed)) return undefined;
  const edits = [];
  for (const exit of report.exits) {
    const registration = exit.node as ts.CallExpression;
    const listener = registration.arguments[1] && stripParens(registration.arguments[1]);
    if (!listener || (!ts.isArrowFunction(listener) && !ts.isFunctionExpression(listener))) return undefined;
    if (registration.getStart() < decl.getEnd() || !within(registration, report.subject.fn)) return undefined;
    const sf = listener.getSourceFile();
    const body = listener.body;
    const inner = ts.isBlock(body) ? sf.text.slice(body.getStart(sf) + 1, body.getEnd() - 1).trim() : `${body.getText(sf)};`;
    // A block over several lines, or one holding a comment, gets a line of its own; a one-line body stays one line.
    if (ts.isBlock(body) && (/[\r\n]/.test(body.getText(sf)) || /\/\/|\/\*/.test(inner))) edits.push(insertAtBlockEnd(sf, file, body, call, eol(sf)));
    else edits.push(edit(sf, file, body.getStart(sf), body.getEnd(), `{ ${inner ? `${inner} ` : ''}${call}; }`));
  }
  return { safe: true, edits };
}

function capital(s: string) {
  return s[0].toUpperCase() + s.slice(1);
}

/**
 * `fetch(url, { keepalive: … })`: a page's fetch that may outlive it. In Chromium, cancelling such a body takes
 * the client-abort path, which never gives back the keepalive quota (open-telemetry/opentelemetry-js#7001);
 * reading it to its end does.
 */
function keepaliveFetch(report: LeakReport): boolean {
  const c = report.subject.creation;
  if (report.subject.kind !== 'response' || !c || !ts.isCallExpression(c)) return false;
  const options = c.arguments[1] && stripParens(c.arguments[1]);
  return !!options && ts.isObjectLiteralExpression(options) && options.properties.some((p) => p.name?.getText() === 'keepalive');
}

/** `await fetch(url);` → `await (await fetch(url)).body?.cancel();` */
function discardFix(report: LeakReport, file: string): Fix | undefined {
  const stmt = report.discarded;
  if (!stmt || !ts.isExpressionStatement(stmt) || report.subject.kind !== 'response') return undefined;
  const e = stripParens(stmt.expression);
  if (!ts.isAwaitExpression(e) || !ts.isCallExpression(stripParens(e.expression))) return undefined;
  const sf = stmt.getSourceFile();
  const created = stripParens(e.expression).getText(sf);
  const { text, title } = discardText(report.match, created);
  return {
    title,
    safe: true,
    edits: [edit(sf, file, e.getStart(sf), e.getEnd(), text)],
  };
}

/**
 * `const server = net.createServer()` → `await using server = …`, for kinds whose async dispose is a
 * plain close (KindSpec.disposable). Offered for review (not fix-all), in TypeScript files whose
 * configuration has the disposable lib. Preconditions: a lone `const` declarator directly in a block
 * (`using` is not allowed in a `case`) of an async function; the resource never leaves it and is not
 * reassigned; the only release is the code's own plain `x.close()` ending the block, which goes (the
 * disposal does the same).
 */
function awaitUsingFix(report: LeakReport, file: string, options: ts.CompilerOptions): Omit<Fix, 'title'> | undefined {
  const { subject } = report;
  const decl = report.declaration;
  if (!decl || !subject.creation || report.sawEscape || subject.spec.disposable !== 'async' || !subject.fn.body) return undefined;
  if (!/\.[cm]?tsx?$/.test(file) || !isAsyncFunction(subject.fn) || !hasDisposableLib(options) || !ts.isBlock(decl.parent)) return undefined;
  if (report.exits.some((x) => x.kind === 'reassign' || x.kind === 'discard' || x.kind === 'sourceFails' || x.kind === 'failsInstead' || x.kind === 'peerGone')) return undefined;
  const list = decl.declarationList;
  if (list.declarations.length !== 1 || !(list.flags & ts.NodeFlags.Const) || !ts.isIdentifier(list.declarations[0].name)) return undefined;
  const sf = decl.getSourceFile();
  const kw = list.getFirstToken(sf);
  if (!kw) return undefined;
  const edits = [edit(sf, file, kw.getStart(sf), kw.getEnd(), 'await using')];
  const region = regionOf(report);
  const own = region?.own;
  if (own) {
    // Only a plain close with no arguments is what the disposal does.
    const call = stripParens(ts.isAwaitExpression(stripParens(own.expression)) ? (stripParens(own.expression) as ts.AwaitExpression).expression : own.expression);
    if (!ts.isCallExpression(call) || call.arguments.length || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== subject.spec.fixCall.replace(/\(\)$/, '')) return undefined;
    if (region!.stmts.some((st) => st !== own && containsRelease(st, report)) || usedAfter(report, own.end)) return undefined;
    edits.push(removeStatement(sf, file, own));
  } else if (containsRelease(subject.fn.body, report)) {
    return undefined;
  }
  return { safe: false, edits };
}

/** Delete a statement with its line when it stands alone on it. */
function removeStatement(sf: ts.SourceFile, file: string, st: ts.Statement) {
  let a = st.getStart(sf);
  let b = st.getEnd();
  const lineStart = a - (/[ \t]*$/.exec(sf.text.slice(0, a))?.[0].length ?? 0);
  const rest = /^[ \t]*(\r\n|\r|\n)/.exec(sf.text.slice(b));
  if ((lineStart === 0 || /[\r\n]/.test(sf.text[lineStart - 1])) && rest) {
    a = lineStart;
    b += rest[0].length;
  }
  return edit(sf, file, a, b, '');
}

function hasDisposableLib(options: ts.CompilerOptions): boolean {
  if ((options.target ?? 0) >= ts.ScriptTarget.ESNext) return true;
  return (options.lib ?? []).some((l) => /esnext|disposable/i.test(l));
}

/**
 * ws's `close()` (and `terminate()`) on a WebSocket still connecting aborts the handshake and emits
 * 'error' on the next tick (`abortHandshake` in lib/websocket.js): with no 'error' listener, that error
 * is thrown — a test run fails where the code it fixed passed.
 */
function closeMayThrow(report: LeakReport): boolean {
  const { subject } = report;
  if (subject.kind !== 'websocket' || report.match.viaModule !== 'ws' || !subject.fn.body) return false;
  const onAlias = (e: ts.Expression) => refersTo(stripParens(e), subject.aliases);
  return !findNode(subject.fn.body, (n) =>
    (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LISTEN_METHODS.has(n.expression.name.text) &&
      isStringArg(n.arguments[0], ERROR_EVENT) && onAlias(n.expression.expression)) ||
    (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) &&
      n.left.name.text === 'onerror' && onAlias(n.left.expression)));
}
