// A test file whose servers drop every connection they hold when the suite stops them: Node's own
// `server.closeAllConnections()` somewhere in the file, or an `after`/`afterEach` hook — or a helper of
// the project the tests run their server with (`runServer(opts, (server, finish) => …)`) — that stops a
// server made from a project class whose stopping method destroys or ends the sockets it keeps
// (`close() { this._server.close(cb); this.socks.forEach((e, sock) => sock.destroy()) }`). A test
// client that does not reconnect is then closed by its peer: the FIN ends it (allowHalfOpen is off).
import { ts } from 'ts-morph';
import { findNode, inlineFunction, stripParens } from './ast';
import { AFTER_HOOKS, hookBody } from './hooks';
import { OriginResolver } from './origins';

const STOPS = new Set(['close', 'stop', 'shutdown', 'destroy']);
const DROPS = new Set(['destroy', 'end', 'resetAndDestroy', 'terminate']);

const CACHE = new WeakMap<ts.SourceFile, boolean>();

export function suiteDropsConnections(sf: ts.SourceFile, resolver: OriginResolver): boolean {
  let found = CACHE.get(sf);
  if (found === undefined) {
    found = sf.text.includes('.closeAllConnections(') || hooksStopDroppingServer(sf, resolver) || helperStopsDroppingServer(sf, resolver);
    CACHE.set(sf, found);
  }
  return found;
}

/** A function of the project that the file calls, which makes a server of such a class and stops it (a test helper's `finish`). */
function helperStopsDroppingServer(sf: ts.SourceFile, resolver: OriginResolver): boolean {
  const seen = new Set<ts.Node>();
  return !!findNode(sf, (n) => {
    if (!ts.isCallExpression(n) || !ts.isIdentifier(n.expression) || !n.arguments.some((a) => inlineFunction(a))) return false;
    const decl = resolver.targetOf(n.expression)?.declarations?.[0];
    const fn = decl && (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) ? decl
      : (ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl)) ? inlineFunction(decl.initializer) : undefined);
    if (!fn?.body || fn.getSourceFile().isDeclarationFile || seen.has(fn)) return false;
    seen.add(fn);
    return !!findNode(fn.body, (c) => stopsDroppingServer(c, fn.getSourceFile(), resolver));
  });
}

function hooksStopDroppingServer(sf: ts.SourceFile, resolver: OriginResolver): boolean {
  if (!/\bafter(All|Each)?\s*\(/.test(sf.text)) return false;
  return !!findNode(sf, (n) => {
    if (!ts.isCallExpression(n) || !ts.isIdentifier(n.expression) || !AFTER_HOOKS.has(n.expression.text)) return false;
    const hook = hookBody(n);
    return !!hook?.body && !!findNode(hook.body, (c) => stopsDroppingServer(c, sf, resolver));
  });
}

/** `server.close(…)` where `server = new C(…)` in `sf` and C's `close` drops each socket it keeps. */
function stopsDroppingServer(c: ts.Node, sf: ts.SourceFile, resolver: OriginResolver): boolean {
  if (!ts.isCallExpression(c) || !ts.isPropertyAccessExpression(c.expression) || !STOPS.has(c.expression.name.text)) return false;
  const recv = stripParens(c.expression.expression);
  const cls = ts.isIdentifier(recv) ? classMadeInto(sf, recv, resolver) : undefined;
  const method = cls?.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && m.name.getText() === (c.expression as ts.PropertyAccessExpression).name.text);
  return !!method && dropsEachSocket(method.body!);
}

/** The project class of `x = new C(…)` (or `const x = new C(…)`) in the file. */
function classMadeInto(sf: ts.SourceFile, id: ts.Identifier, resolver: OriginResolver): ts.ClassLikeDeclaration | undefined {
  const sym = resolver.symbolOf(id);
  if (!sym) return undefined;
  let made: ts.NewExpression | undefined;
  findNode(sf, (n) => {
    const target = ts.isVariableDeclaration(n) ? n.name : ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken ? n.left : undefined;
    const value = ts.isVariableDeclaration(n) ? n.initializer : ts.isBinaryExpression(n) ? n.right : undefined;
    if (target && value && ts.isIdentifier(target) && resolver.symbolOf(target) === sym && ts.isNewExpression(stripParens(value))) made = stripParens(value) as ts.NewExpression;
    return !!made;
  });
  const name = made && (ts.isIdentifier(made.expression) ? made.expression : ts.isPropertyAccessExpression(made.expression) ? made.expression.name : undefined);
  const decl = name && resolver.targetOf(name)?.declarations?.[0];
  return decl && !decl.getSourceFile().isDeclarationFile && ts.isClassLike(decl) ? decl : undefined;
}

/** `socks.forEach((s) => s.destroy())`, `for (const s of this.sockets) s.end()`, `for (const i in this.clients) this.clients[i].end()`, `server.closeAllConnections()`. */
function dropsEachSocket(body: ts.Node): boolean {
  return !!findNode(body, (n) => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'closeAllConnections') return true;
    const loopBody = ts.isForOfStatement(n) || ts.isForInStatement(n) ? n.statement
      : ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'forEach' ? inlineFunction(n.arguments[0])?.body : undefined;
    const drops = (c: ts.Node) => ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && DROPS.has(c.expression.name.text);
    // The body may be the call itself: `forEach((s) => s.destroy())`.
    return !!loopBody && (drops(loopBody) || !!findNode(loopBody, drops, true));
  });
}
