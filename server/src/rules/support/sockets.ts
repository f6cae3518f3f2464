// Tracking one socket (or client request) through a file for the CLOSE_WAIT hygiene rules: which
// expressions denote it, which handlers are registered on it, and whether it leaves our sight.
import { ts } from 'ts-morph';
import { skipOuter } from '../../core/ast';
import { chainRoot } from '../../core/call-shapes';
import { RuleContext } from '../../core/rule';
import { Assignments, enclosingFunction, functionOf, isStringLit, methodCall, originOf, refSymbol, typeOrigins } from '../../core/syntax';

export const LISTEN = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
/** Methods that return the socket itself, so a chain still denotes it. */
const CHAINABLE = new Set([...LISTEN, 'setTimeout', 'setEncoding', 'setNoDelay', 'setKeepAlive', 'ref', 'unref', 'pause', 'resume', 'setMaxListeners']);
export const ENDING = new Set(['end', 'destroy', 'destroySoon', 'resetAndDestroy', 'abort']);

/** Origins (module:path of the creating export) whose instances are TCP sockets or client requests. */
const SOCKETS = new Set(['net:connect', 'net:createConnection', 'net:Socket', 'net:Stream', 'tls:connect', 'tls:TLSSocket']);
const REQUESTS = new Set(['http:request', 'http:get', 'https:request', 'https:get', 'http:ClientRequest']);
/** An HTTP/2 client session: its idle timeout (`session.setTimeout(ms, cb)`) only emits 'timeout' too. */
const SESSIONS = new Set(['http2:connect']);

export type SocketKind = 'socket' | 'request' | 'session';

export function kindOfOrigin(ctx: RuleContext, expr: ts.Expression, assigned?: Assignments): SocketKind | undefined {
  const candidates = [originOf(ctx, chainRoot(expr))];
  // `let sock; sock = net.connect(…)` (JavaScript), `let socket: Stream` with `type Stream = Socket | TLSSocket`;
  // `var request = http.get(url, cb).on('error', onError)`: the chain returns the request.
  if (!candidates[0] && assigned) candidates.push(...assigned.of(refSymbol(ctx, expr)).map((v) => ctx.resolver.of(chainRoot(v))));
  if (!candidates.some(Boolean)) candidates.push(...typeOrigins(ctx, expr));
  for (const o of candidates) {
    if (!o || !o.instance) continue;
    const key = `${o.module}:${o.path.join('.')}`;
    if (SOCKETS.has(key)) return 'socket';
    if (REQUESTS.has(key)) return 'request';
    if (SESSIONS.has(key)) return 'session';
  }
  return undefined;
}

/** A net/tls server's connection listener: `net.createServer((socket) => …)`, `server.on('connection', …)`. */
export function isConnectionListener(ctx: RuleContext, fn: ts.Node): boolean {
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return false;
  const o = ctx.resolver.ofBinding(call.expression);
  if (o && !o.instance && (o.module === 'net' || o.module === 'tls') && o.path.join('.') === 'createServer') return true;
  const m = methodCall(call);
  if (!m || !LISTEN.has(m.name) || !isStringLit(call.arguments[0], 'connection', 'secureConnection')) return false;
  const r = originOf(ctx, m.recv);
  return !!r && r.instance && (r.module === 'net' || r.module === 'tls') && ['createServer', 'Server'].includes(r.path.join('.'));
}

/** One socket: the variable/field/parameter that holds it, or the creating call itself when chained. */
export class Target {
  constructor(private ctx: RuleContext, readonly sym: ts.Symbol | undefined, readonly creation?: ts.Node) {}

  /** Does this expression denote the socket? */
  is(expr: ts.Expression): boolean {
    const e = skipOuter(expr);
    if (this.creation && e === this.creation) return true;
    if (this.sym && (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) && refSymbol(this.ctx, e) === this.sym) return true;
    const m = methodCall(e);
    return !!m && CHAINABLE.has(m.name) && this.is(m.recv);
  }

  /** Handlers registered for an event (`s.on('end', h)`), and `s.setTimeout(ms, h)` callbacks for 'timeout'. */
  handlers(scope: ts.Node, event: string): Array<{ call: ts.CallExpression; handler: ts.Expression }> {
    const out: Array<{ call: ts.CallExpression; handler: ts.Expression }> = [];
    const visit = (n: ts.Node): void => {
      const m = methodCall(n);
      if (m && this.is(m.recv)) {
        const a = m.call.arguments;
        if (LISTEN.has(m.name) && isStringLit(a[0], event) && a[1]) out.push({ call: m.call, handler: a[1] });
        if (event === 'timeout' && m.name === 'setTimeout' && a[1]) out.push({ call: m.call, handler: a[1] });
      }
      ts.forEachChild(n, visit);
    };
    visit(scope);
    return out;
  }

  /**
   * Every use of the socket other than a method call on it: 'escape' when it is returned, stored or
   * handed to code we cannot see. Calls to local functions are followed to the matching parameter.
   */
  uses(scope: ts.Node, onCall: (m: NonNullable<ReturnType<typeof methodCall>>) => void, depth = 0): 'escape' | 'local' {
    let escaped = false;
    const visit = (n: ts.Node): void => {
      if (escaped) return;
      if ((ts.isIdentifier(n) || (ts.isPropertyAccessExpression(n) && n.expression.kind === ts.SyntaxKind.ThisKeyword)) && this.is(n as ts.Expression)) {
        if (isDeclarationName(n)) return;
        let outer: ts.Node = n;
        while (ts.isParenthesizedExpression(outer.parent) || ts.isNonNullExpression(outer.parent) || ts.isAsExpression(outer.parent)) outer = outer.parent;
        const p = outer.parent;
        if (ts.isPropertyAccessExpression(p) && p.expression === outer) {
          const m = methodCall(p.parent);
          // A method call on it, or a property read (`s.remoteAddress`): neither hands the socket on.
          if (m && m.call.expression === p) onCall(m);
          return;
        }
        if (ts.isCallExpression(p) && p.arguments.includes(outer as ts.Expression)) {
          if (!this.followCall(p, p.arguments.indexOf(outer as ts.Expression), onCall, depth)) escaped = true;
          return;
        }
        if (ts.isBinaryExpression(p) && p.left === outer) return; // the assignment that creates it
        if (ts.isExpressionStatement(p) || ts.isIfStatement(p) || ts.isPrefixUnaryExpression(p) ||
            (ts.isBinaryExpression(p) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(p.operatorToken.kind))) return;
        escaped = true;
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(scope);
    return escaped ? 'escape' : 'local';
  }

  /** `helper(socket)`: a function of this file is analysed on its parameter; `x.pipe(socket)` / `pipeline(…, socket)` end it. */
  private followCall(call: ts.CallExpression, index: number, onCall: (m: NonNullable<ReturnType<typeof methodCall>>) => void, depth: number): boolean {
    const callee = skipOuter(call.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (name === 'pipe' || name === 'pipeline') {
      onCall({ recv: call.arguments[index], name: 'pipedInto', call });
      return true;
    }
    const fn = depth < 3 ? functionOf(this.ctx, call.expression) : undefined;
    const param = fn?.parameters[index];
    if (!fn || !fn.body || !param || !ts.isIdentifier(param.name)) return false;
    const inner = new Target(this.ctx, this.ctx.resolver.symbolOf(param.name));
    return inner.uses(fn.body, onCall, depth + 1) === 'local';
  }
}

function isDeclarationName(n: ts.Node): boolean {
  const p = n.parent;
  return (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isPropertyDeclaration(p)) && p.name === n;
}

/** The socket that a creating call's result is bound to: `const s = net.connect()`, `this.s = …`. */
export function targetOfCreation(ctx: RuleContext, creation: ts.Expression): { target: Target; scope: ts.Node; holder?: ts.Node } {
  let outer: ts.Node = creation;
  for (;;) {
    const up = outer.parent;
    if (ts.isParenthesizedExpression(up) || ts.isAwaitExpression(up) || ts.isAsExpression(up)) outer = up;
    // `http.get(o, cb).on('error', …)`: an emitter's `on()` (and the like) returns the emitter itself.
    else if (ts.isPropertyAccessExpression(up) && up.expression === outer && CHAINABLE.has(up.name.text) && ts.isCallExpression(up.parent) && up.parent.expression === up) outer = up.parent;
    else break;
  }
  const p = outer.parent;
  if (ts.isVariableDeclaration(p) && p.initializer === outer && ts.isIdentifier(p.name)) {
    return { target: new Target(ctx, ctx.resolver.symbolOf(p.name), creation), scope: enclosingFunction(p) ?? ctx.sourceFile, holder: p };
  }
  if (ts.isBinaryExpression(p) && p.right === outer && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const sym = refSymbol(ctx, p.left);
    const field = ts.isPropertyAccessExpression(skipOuter(p.left));
    return { target: new Target(ctx, sym, creation), scope: field ? ctx.sourceFile : enclosingFunction(p) ?? ctx.sourceFile, holder: p };
  }
  return { target: new Target(ctx, undefined, creation), scope: enclosingFunction(creation) ?? ctx.sourceFile };
}
