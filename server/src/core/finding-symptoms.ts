// What a leak costs where the finding says it, when that differs from its kind's symptom (symptoms.ts): a Deno body, a
// server on an ephemeral port, a HEAD response, a response over a Unix socket, a half-open accepted socket, a checkout
// of a pool the function made itself.
import { ts } from 'ts-morph';
import { CREATORS, DENO_BODY, EPHEMERAL_SERVER, HEAD_RESPONSE, INCOMING_MESSAGE_MODULES } from './catalog';
import { skipOuter, stripParens } from './ast';
import { isHeadRequest } from './requests';
import { LeakReport } from './leaks';
import { RuleContext } from './rule';
import { Subject } from './subject';
import { findProp, objectOf } from './syntax';
import { HALF_OPEN_ACCEPTED, OWN_POOL_CHECKOUT, UNIX_SOCKET_BODY } from './symptoms';

/** The symptom the finding's message ends with. */
export function symptomOf(r: LeakReport, ctx: RuleContext): string {
  return r.match.viaModule === 'global' && r.subject.kind === 'response' && isDenoFile(ctx.sourceFile) ? DENO_BODY
    : listensOnEphemeralPort(r, ctx) ? EPHEMERAL_SERVER : isHeadOfNodeHttp(r, ctx) ? HEAD_RESPONSE : overUnixSocket(r, ctx) ? UNIX_SOCKET_BODY
    : r.subject.halfOpen ? HALF_OPEN_ACCEPTED : checksOutOfOwnPool(r, ctx) ? OWN_POOL_CHECKOUT : r.match.symptom ?? r.subject.spec.symptom;
}

/** The call that made the resource: its creation, or the call a response callback was given to. */
export function requestCall(subject: Subject): ts.CallExpression | ts.NewExpression | undefined {
  const c = subject.creation && stripParens(subject.creation);
  if (c && (ts.isCallExpression(c) || ts.isNewExpression(c))) return c;
  let n: ts.Node = subject.fn;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const call = n.parent;
  if (!ts.isCallExpression(call) && !ts.isNewExpression(call)) return undefined;
  // `req.on('response', (res) => …)`: the request is what `req` was made by.
  for (const req of subject.requests) {
    const decl = req.valueDeclaration;
    const init = decl && ts.isVariableDeclaration(decl) && decl.initializer && stripParens(decl.initializer);
    if (init && (ts.isCallExpression(init) || ts.isNewExpression(init))) return init;
  }
  return call;
}

/** A Deno program: it calls Deno's own APIs or imports from `jsr:` / deno.land. */
function isDenoFile(sf: ts.SourceFile): boolean {
  return /\bDeno\.[a-z]|from\s+['"](jsr:|https:\/\/deno\.land\/)/.test(sf.text);
}

/** `http.request({ socketPath, path })`: a Unix-domain socket, with no TCP state (no CLOSE_WAIT) to speak of. */
function overUnixSocket(r: LeakReport, ctx: RuleContext): boolean {
  const request = r.subject.kind === 'response' && INCOMING_MESSAGE_MODULES.has(r.match.viaModule ?? '') ? requestCall(r.subject) : undefined;
  return !!request && (request.arguments ?? []).some((a) => {
    const o = objectOf(ctx, a);
    return !!o && !!findProp(o, 'socketPath').prop;
  });
}

/** A response of `http(s).request`/`get` that asks for `method: 'HEAD'` (options inline or in a constant). */
function isHeadOfNodeHttp(r: LeakReport, ctx: RuleContext): boolean {
  const request = r.subject.kind === 'response' && INCOMING_MESSAGE_MODULES.has(r.match.viaModule ?? '') ? requestCall(r.subject) : undefined;
  return !!request && isHeadRequest(request, (a) => objectOf(ctx, a));
}

/** A server of this file whose `listen()` asks for no port or port 0. */
function listensOnEphemeralPort(r: LeakReport, ctx: RuleContext): boolean {
  if (r.subject.kind !== 'server') return false;
  const site = ctx.listenSites().find(({ call }) => {
    const recv = ts.isPropertyAccessExpression(call.expression) ? stripParens(call.expression.expression) : undefined;
    if (!recv) return false;
    const sym = ts.isIdentifier(recv) ? ctx.resolver.symbolOf(recv) : undefined;
    // `const srv = app.listen(cb)` of express: the listen call is the creation itself.
    return call === r.subject.creation || recv === r.subject.creation || (!!sym && r.subject.aliases.has(sym));
  });
  return site?.listener.port === 0;
}

/** `const pool = new pg.Pool(o); const client = await pool.connect()`: a checkout of a pool the same function made. */
function checksOutOfOwnPool(r: LeakReport, ctx: RuleContext): boolean {
  const recv = r.subject.kind === 'pool-checkout' && r.match.receiver ? stripParens(r.match.receiver) : undefined;
  const decl = recv && ts.isIdentifier(recv) ? ctx.resolver.symbolOf(recv)?.valueDeclaration : undefined;
  const init = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuter(decl.initializer) : undefined;
  if (!init || (!ts.isNewExpression(init) && !ts.isCallExpression(init)) || decl!.pos < r.subject.fn.pos || decl!.end > r.subject.fn.end) return false;
  const o = ctx.resolver.ofBinding(init.expression);
  const name = o?.path.join('.');
  return !!o && !o.instance && CREATORS.some((c) => c.kind === 'pool' && c.modules.includes(o.module) && c.names.includes(name!));
}
