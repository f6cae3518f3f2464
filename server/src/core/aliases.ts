// The names a resource goes by in the function that holds it: variables set from it (`const t = s`),
// from a method that returns it (`const bound = srv.listen(0)`), from a branch that is it or pipes it,
// from its body (`const { body } = res`), from a promise of it
// (`p = room.open().then(() => room)`), the parameter of its `.then(cb)`, and a project wrapper that
// keeps and closes it (`const session = new Session(ws)`), and a Socket.IO server made with an HTTP server.
import { ts } from 'ts-morph';
import { stripParens } from './ast';
import { CHAINABLE } from './call-shapes';
import { HTTP_SERVER_OWNERS } from './catalog';
import { OriginResolver } from './origins';
import { Subject } from './subject';
import { KINDS } from './kinds';
import { classOf, releaseOfKept } from './wrapper-classes';

/** `Readable.fromWeb(body)`, `Readable.toWeb(res)`: a stream that reads the one it is given. */
const STREAM_CONVERSIONS: ReadonlySet<string> = new Set(['fromWeb', 'toWeb', 'from']);
/** Array methods that call their callback with each element. */
const ELEMENT_CALLS: ReadonlySet<string> = new Set(['map', 'forEach']);

/** Add every variable that is assigned from one already known (`const t = s`, `const { body } = res`). */
export function collectAliases(subject: Subject, resolver: OriginResolver): void {
  const body = subject.fn.body;
  if (!body) return;
  const candidates: Array<[ts.Identifier, ts.Expression, boolean]> = [];
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && n.initializer) {
      if (ts.isIdentifier(n.name)) candidates.push([n.name, n.initializer, false]);
      // `const { body } = res`; `const { socket } = session` of a container that holds the resource in that property.
      else if (ts.isObjectBindingPattern(n.name) && (subject.kind === 'response' || subject.bodyProperty)) {
        for (const el of n.name.elements) {
          const key = el.propertyName ?? el.name;
          if (ts.isIdentifier(key) && key.text === (subject.bodyProperty ?? 'body') && ts.isIdentifier(el.name)) candidates.push([el.name, n.initializer, true]);
        }
      }
    } else if (ts.isForOfStatement(n) && ts.isArrayLiteralExpression(stripParens(n.expression)) && ts.isVariableDeclarationList(n.initializer) &&
        n.initializer.declarations.length === 1) {
      // `for (const { server } of [api, metrics]) server.close()`: each pass's variable is one of the list's.
      const name = n.initializer.declarations[0].name;
      const items = (stripParens(n.expression) as ts.ArrayLiteralExpression).elements.filter((el) => !ts.isSpreadElement(el));
      if (ts.isIdentifier(name)) for (const item of items) candidates.push([name, item, false]);
      else if (ts.isObjectBindingPattern(name) && subject.bodyProperty) {
        for (const el of name.elements) {
          const key = el.propertyName ?? el.name;
          if (ts.isIdentifier(key) && key.text === subject.bodyProperty && ts.isIdentifier(el.name)) for (const item of items) candidates.push([el.name, item, true]);
        }
      }
    } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ELEMENT_CALLS.has(n.expression.name.text) &&
        ts.isArrayLiteralExpression(stripParens(n.expression.expression))) {
      // `[api, metrics].map((s) => new Promise((r) => s.close(r)))`: each call's parameter is one of the list's.
      const cb = n.arguments[0] && stripParens(n.arguments[0]);
      const param = cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) ? cb.parameters[0]?.name : undefined;
      const items = (stripParens(n.expression.expression) as ts.ArrayLiteralExpression).elements.filter((el) => !ts.isSpreadElement(el));
      if (param && ts.isIdentifier(param)) for (const item of items) candidates.push([param, item, false]);
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left)) {
      candidates.push([n.left, n.right, false]);
    } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'then') {
      const cb = n.arguments[0];
      if (cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) && cb.parameters[0] && ts.isIdentifier(cb.parameters[0].name)) {
        candidates.push([cb.parameters[0].name, n.expression.expression, false]);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  if (!candidates.length) return;
  const isKnown = (e: ts.Expression, viaBody: boolean): boolean => {
    let x = stripParens(e);
    if (ts.isAwaitExpression(x)) x = stripParens(x.expression);
    // `const source = gzipped ? res.pipe(gunzip) : res`: the resource itself on one branch, piped (so
    // read) on the other; reading `source` reads it either way. So is a conversion that reads it
    // (`source instanceof ReadableStream ? Readable.fromWeb(source) : source`).
    if (ts.isConditionalExpression(x)) {
      const piped = (b: ts.Expression) => {
        const c = stripParens(b);
        if (!ts.isCallExpression(c) || !ts.isPropertyAccessExpression(c.expression)) return false;
        const m = c.expression.name.text;
        if (m === 'pipe') return isKnown(c.expression.expression, viaBody);
        return STREAM_CONVERSIONS.has(m) && ts.isIdentifier(c.expression.expression) && c.expression.expression.text === 'Readable' &&
          c.arguments.length >= 1 && isKnown(c.arguments[0], viaBody);
      };
      const [a, b] = [x.whenTrue, x.whenFalse];
      return (isKnown(a, viaBody) && (isKnown(b, viaBody) || piped(b))) || (isKnown(b, viaBody) && piped(a));
    }
    // `const body = res && res.body`: the guard is the same object; falsy, it holds nothing to read.
    if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && isKnown(x.left, viaBody)) x = stripParens(x.right);
    if (!viaBody && subject.bodyProperty && ts.isPropertyAccessExpression(x) && x.name.text === subject.bodyProperty) x = stripParens(x.expression);
    // `const bound = await srv.listen(0)`: a method that returns the object it is called on.
    if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) &&
        (CHAINABLE.has(x.expression.name.text) || subject.returnsSelf?.includes(x.expression.name.text))) return isKnown(x.expression.expression, viaBody);
    // `pending = room.open().then(() => room)`: a promise of it.
    if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'then') {
      const cb = x.arguments[0] && stripParens(x.arguments[0]);
      if (cb && ts.isArrowFunction(cb) && !ts.isBlock(cb.body) && isKnown(cb.body, viaBody)) return true;
    }
    // `io = new Server(httpServer)` of Socket.IO: closing the Socket.IO server closes the HTTP server.
    if ((ts.isNewExpression(x) || ts.isCallExpression(x)) && !viaBody && subject.kind === 'server' && x.arguments?.[0] && isKnown(x.arguments[0], false) &&
        ownsHttpServer(x, resolver)) return true;
    // `const session = new BrowserSession(ws)`: a project class that keeps it and closes it in its own
    // `close()` (or `stop()`, `shutdown()`…: that method then releases the resource too).
    if (ts.isNewExpression(x) && !viaBody && subject.kind !== 'response') {
      const i = (x.arguments ?? []).findIndex((a) => isKnown(a, false));
      const cls = i >= 0 ? classOf(x, (n) => resolver.targetOf(n)) : undefined;
      const method = cls && releaseOfKept(cls, i, subject.spec.release, [...subject.spec.release, ...KINDS.wrapper.release]);
      if (method && !subject.spec.release.includes(method)) subject.spec = { ...subject.spec, release: [...subject.spec.release, method] };
      return !!method;
    }
    if (!ts.isIdentifier(x)) return false;
    const sym = resolver.symbolOf(x);
    return !!sym && subject.aliases.has(sym);
  };
  for (let changed = true, round = 0; changed && round < 5; round++) {
    changed = false;
    for (const [id, init, viaBody] of candidates) {
      const sym = resolver.symbolOf(id);
      if (!sym || subject.aliases.has(sym)) continue;
      if (isKnown(init, viaBody)) {
        subject.aliases.add(sym);
        changed = true;
      }
    }
  }
}

/** `new Server(httpServer)` of Socket.IO (catalog HTTP_SERVER_OWNERS): an object whose `close()` closes the HTTP server it is given first. */
export function ownsHttpServer(call: ts.CallExpression | ts.NewExpression, resolver: OriginResolver): boolean {
  const o = resolver.ofBinding(call.expression);
  return !!o && !o.instance && HTTP_SERVER_OWNERS.some((w) => w.modules.includes(o.module) && w.names.includes(o.path.join('.')));
}
