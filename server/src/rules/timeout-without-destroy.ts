// A socket or client-request timeout whose 'timeout' handling never ends or destroys it. Node only
// emits the event: "the connection will not be severed. The user must manually call socket.end() or
// socket.destroy()" (net.md); for requests "The request must be destroyed manually" (http.md).
import { ts } from 'ts-morph';
import { skipOuter } from '../core/ast';
import { CHAINABLE } from '../core/call-shapes';
import { format, Rule, RuleContext } from '../core/rule';
import { nodeRange } from '../core/text';
import { reportRange } from '../core/report-range';
import { Assignments, constValue, findProp, forEachCall, functionOf, methodCall, objectOf } from '../core/syntax';
import { addHandler, appendDestroy } from './support/timeout-fixes';
import { ENDING, isConnectionListener, kindOfOrigin, SocketKind, Target, targetOfCreation } from './support/sockets';
import { inTestCode } from '../core/execution';

/** Calls that end, destroy or abort something, or hand the event on: the handler is trusted. */
const DESTROYING = new Set(['destroy', 'end', 'abort', 'resetAndDestroy', 'destroySoon', 'close', 'terminate', 'disconnect', 'emit', 'kill']);
const CALLBACKS = new Set(['resolve', 'reject', 'callback', 'cb', 'done', 'next']);
/** Methods that leave the connection as it is. */
const SOCKET_HARMLESS = new Set(['write', 'setTimeout', 'removeListener', 'off', 'removeAllListeners', 'unref', 'ref', 'push', 'toString', 'getTime',
  // A cache's own methods (`sessions.delete(authority)`): forgetting a connection closes nothing.
  'delete', 'set', 'get', 'has', 'add']);
/** Built-in namespaces whose functions only compute (unless the file declares a name of its own so). */
const PURE_GLOBALS = new Set(['JSON', 'Math', 'Date', 'Number', 'String', 'Object', 'Array', 'Buffer']);
const LOGGING = new Set(['log', 'debug', 'info', 'warn', 'error', 'trace', 'fatal', 'verbose']);

const CONNECT_OPTIONS: Record<string, number[]> = {
  'net:connect': [0], 'net:createConnection': [0], 'tls:connect': [0, 2],
  'http:request': [0, 1], 'http:get': [0, 1], 'https:request': [0, 1], 'https:get': [0, 1],
};

const rule: Rule = {
  meta: {
    id: 'timeout-without-destroy',
    description: 'A socket or request timeout whose handler never ends or destroys it: Node only emits `timeout`, the connection stays open.',
    defaultSeverity: 'warning',
    messages: {
      handler: 'This `\'timeout\'` handler never destroys or ends the {{noun}}, and Node itself only emits the event. The timed-out connection stays open, in CLOSE_WAIT once the peer gives up, until `{{name}}.destroy()` is called.',
      noHandler: '{{what}} arms a timeout on this {{noun}}, but nothing handles `\'timeout\'` and Node itself only emits the event. The idle connection is never closed, and sits in CLOSE_WAIT once the peer gives up.',
    },
    docs: 'docs/rules/timeout-without-destroy.md',
    explanation: 'close-wait',
  },
  check(ctx: RuleContext) {
    const done = new Set<ts.Node>();
    let assigned: Assignments | undefined;
    forEachCall(ctx, (node) => {
      const m = methodCall(node);
      if (m && m.name === 'setTimeout' && m.call.arguments.length >= 1) {
        if (constValue(ctx, m.call.arguments[0]) === 0) return;
        const kind = kindOfOrigin(ctx, m.recv, (assigned ??= new Assignments(ctx))) ?? (isConnectionParam(ctx, m.recv) ? 'socket' : undefined);
        if (!kind) return;
        const recv = skipOuter(m.recv);
        const sym = ts.isIdentifier(recv) || ts.isPropertyAccessExpression(recv) ? symbolOfRef(ctx, recv) : undefined;
        const creation = ts.isCallExpression(recv) || ts.isNewExpression(recv) ? recv : undefined;
        if (!sym && !creation) return;
        const scope = ts.isPropertyAccessExpression(recv) ? ctx.sourceFile : declScope(ctx, sym) ?? ctx.sourceFile;
        evaluate(ctx, new Target(ctx, sym, creation), scope, node, kind, `\`${recv.getText()}.setTimeout()\``, done, recv);
        return;
      }
      const o = ctx.resolver.ofBinding(node.expression);
      const idx = o && !o.instance ? CONNECT_OPTIONS[`${o.module}:${o.path.join('.')}`] : undefined;
      if (!idx) return;
      for (const i of idx) {
        const opts = objectOf(ctx, node.arguments?.[i]);
        const t = opts && findProp(opts, 'timeout');
        if (!t?.prop || !t.value || t.opaque || constValue(ctx, t.value) === 0 || constValue(ctx, t.value) === undefined) continue;
        const { target, scope, holder } = targetOfCreation(ctx, node);
        const kind = o!.module === 'http' || o!.module === 'https' ? 'request' : 'socket';
        const name = holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? holder.name : undefined;
        evaluate(ctx, target, scope, node, kind, 'The `timeout` option', done, name, holder);
        break;
      }
    });
  },
};

function symbolOfRef(ctx: RuleContext, e: ts.Expression): ts.Symbol | undefined {
  if (ts.isIdentifier(e)) return ctx.resolver.symbolOf(e);
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return ctx.resolver.symbolOf(e.name);
  return undefined;
}

function declScope(ctx: RuleContext, sym: ts.Symbol | undefined): ts.Node | undefined {
  const d = sym?.declarations?.[0];
  if (!d || d.getSourceFile() !== ctx.sourceFile) return undefined;
  for (let n: ts.Node | undefined = d.parent; n; n = n.parent) if (ts.isFunctionLike(n) || ts.isSourceFile(n)) return n;
  return undefined;
}

function isConnectionParam(ctx: RuleContext, e: ts.Expression): boolean {
  const x = skipOuter(e);
  const d = ts.isIdentifier(x) ? ctx.resolver.symbolOf(x)?.declarations?.[0] : undefined;
  return !!d && ts.isParameter(d) && d.parent.parameters[0] === d && isConnectionListener(ctx, d.parent);
}

function evaluate(ctx: RuleContext, target: Target, scope: ts.Node, arming: ts.Node, kind: SocketKind, what: string,
  done: Set<ts.Node>, name?: ts.Expression, holder?: ts.Node): void {
  const handlers = target.handlers(scope, 'timeout');
  const noun = kind === 'session' ? 'HTTP/2 session' : kind;
  if (handlers.some((h) => destroys(ctx, h.handler, 0))) return;
  // A handler that rejects or calls back hands the failure to code that may destroy the socket
  // (`try { await connected } catch { socket.destroy() }`): trust it when the socket is ended somewhere.
  if (handlers.some((h) => delegates(ctx, h.handler)) && endedSomewhere(target, scope, kind)) return;
  // In a test, a handler that rejects fails the test: the runner ends it, and nothing is left behind.
  if (inTestCode(scope) && handlers.some((h) => delegates(ctx, h.handler))) return;
  if (handlers.length) {
    const h = handlers[0];
    if (done.has(h.handler)) return;
    done.add(h.handler);
    const fn = functionOf(ctx, h.handler);
    const n = name && simpleRef(name) ? name.getText() : kind === 'request' ? 'req' : kind;
    ctx.report({
      messageId: 'handler',
      message: format(rule.meta.messages.handler, { noun, name: n }),
      ...reportRange(h.handler),
      related: [{ file: ctx.file, ...nodeRange(arming), message: 'the timeout is armed here' }],
      fixes: fn && name && simpleRef(name) && h.handler === fn ? appendDestroy(ctx, fn, name.getText()) : [],
    });
    return;
  }
  // No handler: only when the socket does not leave our sight (its owner may handle 'timeout').
  if (done.has(arming) || (!target.sym && !target.creation) || target.uses(scope, () => undefined) === 'escape') return;
  if (!target.sym && target.creation && handedOn(target.creation)) return;
  if (ts.isPropertyAccessExpression(skipOuter(name ?? arming as ts.Expression))) return;
  done.add(arming);
  ctx.report({
    messageId: 'noHandler',
    message: format(rule.meta.messages.noHandler, { what, noun }),
    ...reportRange(arming),
    related: [{ file: ctx.file, ...nodeRange(holder ?? arming), message: `the ${noun} that is never destroyed on timeout` }],
    fixes: name && ts.isIdentifier(name) ? addHandler(ctx, holder ?? arming, name.text) : [],
  });
}

/**
 * `return http.request(url, { timeout })`, `resolve(net.connect(o))`: an unnamed connection handed to
 * other code as it is made (through its own chained calls), whose new owner may handle 'timeout'.
 */
function handedOn(creation: ts.Node): boolean {
  let outer: ts.Node = creation;
  for (;;) {
    const p = outer.parent;
    if (ts.isParenthesizedExpression(p) || ts.isAwaitExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p)) outer = p;
    else if (ts.isPropertyAccessExpression(p) && p.expression === outer && ts.isCallExpression(p.parent) && p.parent.expression === p && CHAINABLE.has(p.name.text)) outer = p.parent;
    else break;
  }
  const p = outer.parent;
  return ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === outer) || (ts.isCallExpression(p) && p.arguments.includes(outer as ts.Expression)) ||
    ts.isPropertyAssignment(p) || ts.isArrayLiteralExpression(p) || ts.isConditionalExpression(p);
}

function simpleRef(e: ts.Expression): boolean {
  return ts.isIdentifier(e) || (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword);
}

/** Could this handler end, destroy or abort the connection (directly, via a local helper, or by re-emitting)? */
function destroys(ctx: RuleContext, handler: ts.Expression | ts.Node, depth: number): boolean {
  const fn = ts.isFunctionLike(handler) ? handler as ts.FunctionLikeDeclaration : functionOf(ctx, handler as ts.Expression);
  if (!fn || !fn.body) return true; // cannot see it: trust it
  const params = new Set(fn.parameters.map((p) => p.name.getText()));
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      const callee = skipOuter(n.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (DESTROYING.has(name)) { found = true; return; }
      if (!ts.isNewExpression(n) && !harmless(ctx, callee, name, params) && !settledWith(ctx, n, params)) {
        const local = functionOf(ctx, callee);
        if (!local || depth >= 3 || destroys(ctx, local, depth + 1)) { found = true; return; }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

function endedSomewhere(target: Target, scope: ts.Node, kind: SocketKind): boolean {
  let ended = false;
  const visit = (n: ts.Node): void => {
    const m = methodCall(n);
    // A client request's `end()` finishes sending the request: it closes nothing.
    if (m && (ENDING.has(m.name) || (kind === 'session' && m.name === 'close')) && !(kind === 'request' && m.name === 'end') && target.is(m.recv)) ended = true;
    if (!ended) ts.forEachChild(n, visit);
  };
  visit(scope);
  return ended;
}

/** The handler settles a Promise or calls the caller's callback. */
function delegates(ctx: RuleContext, handler: ts.Expression): boolean {
  const fn = functionOf(ctx, handler);
  if (!fn?.body) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(skipOuter(n.expression))) {
      const id = skipOuter(n.expression) as ts.Identifier;
      const d = ctx.resolver.symbolOf(id)?.declarations?.[0];
      if (CALLBACKS.has(id.text) || (d && ts.isParameter(d))) found = true;
    }
    if (!found) ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

/** Logging, settling a Promise, calling the caller's callback: none of these closes anything. */
/** `reject(makeError('request timeout', 'TIMEOUT'))`: a call that only builds what is handed to a callback. */
function settledWith(ctx: RuleContext, call: ts.CallExpression, params: Set<string>): boolean {
  const p = call.parent;
  if (!ts.isCallExpression(p) || !p.arguments.includes(call)) return false;
  const callee = skipOuter(p.expression);
  return ts.isIdentifier(callee) && harmless(ctx, callee, callee.text, params);
}

function harmless(ctx: RuleContext, callee: ts.Expression, name: string, params: Set<string>): boolean {
  if (ts.isPropertyAccessExpression(callee)) {
    const base = skipOuter(callee.expression);
    if (ts.isIdentifier(base) && base.text === 'console') return true;
    // `JSON.stringify(reply)`, `Date.now()`: the standard library's own functions reach no connection.
    if (ts.isIdentifier(base) && PURE_GLOBALS.has(base.text) && !ctx.resolver.symbolOf(base)?.declarations?.some((d) => d.getSourceFile() === ctx.sourceFile)) return true;
    if (LOGGING.has(name)) return true;
    return SOCKET_HARMLESS.has(name);
  }
  if (!ts.isIdentifier(callee)) return false;
  if (['resolve', 'reject', 'callback', 'cb', 'done', 'next', 'clearTimeout', 'clearInterval', 'setTimeout', 'Error', 'String', 'Date'].includes(name) || params.has(name)) return true;
  const d = ctx.resolver.symbolOf(callee)?.declarations?.[0];
  // A parameter of an enclosing function (the caller's callback, a Promise's resolve/reject).
  return !!d && ts.isParameter(d);
}

export default rule;
