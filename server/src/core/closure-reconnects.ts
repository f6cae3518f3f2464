// A function's `let` that its inner `connect()` gives a new connection, with the connection's 'error' and 'close'
// listeners both running `connect` again (directly, in a timer, or through a `scheduleReconnect()` beside it): the
// closure version of double-reconnects.ts (a failure emits both events, so it opens two; the factory's handle closes
// only the one the variable kept). Guards as there: a holder tested and set, a timer cancelled before it is set again.
import { ts } from 'ts-morph';
import { calleeName, enclosingFunction, findNode, FnLike, functionName, isStringArg, skipOuter, stripParens, within } from './ast';
import { creationUnder, LISTEN_METHODS, ONE_SHOT_TIMERS } from './call-shapes';
import { localFunction } from './executor-syntax';
import { CreatorFinder } from './creators';
import { guardsItself, mayRemoveListeners, RECONNECTING_KINDS, reconnects } from './double-reconnects';
import { FieldLeak } from './fields';
import { variableOverwrite } from './listener-overwrites';

/**
 * A function's `let` (captured by an inner `connect()` that gives it a new connection) whose connection's 'error'
 * and 'close' listeners, registered in `connect()`, both run `connect` again, directly, in a timer, or through a
 * function beside it (`scheduleReconnect()`).
 */
export function closureReconnectLeaks(sf: ts.SourceFile, creators: CreatorFinder, symbolOf: (n: ts.Node) => ts.Symbol | undefined): FieldLeak[] {
  const out: FieldLeak[] = [];
  // Most files: no walk.
  if (!sf.text.includes("'close'") || !sf.text.includes("'error'")) return out;
  findNode(sf, (n) => {
    if (!ts.isBinaryExpression(n) || n.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isIdentifier(n.left)) return false;
    const found = checkAssignment(n, n.left, creators, symbolOf);
    if (found) out.push(found);
    return false;
  });
  return out;
}

function checkAssignment(n: ts.BinaryExpression, target: ts.Identifier, creators: CreatorFinder, symbolOf: (n: ts.Node) => ts.Symbol | undefined): FieldLeak | undefined {
  const fn = enclosingFunction(n);
  // `ws = new WebSocket(url)`, or `const sock = net.connect(port); … conn = sock` (listeners on either name).
  const local = localCreation(skipOuter(n.right), fn, symbolOf);
  const call = local?.call ?? creationUnder(skipOuter(n.right));
  const match = call && creators.match(call);
  const connect = fn && functionName(fn);
  if (!call || !match || !RECONNECTING_KINDS.has(match.kind) || match.callbackParam !== undefined || !fn?.body || !connect || ts.isMethodDeclaration(fn)) return undefined;
  // A `let` of an enclosing function, not the module's (module-overwrites.ts) nor the connecting function's own.
  const sym = symbolOf(target);
  const decl = sym?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || within(decl, fn) || (decl.parent.flags & ts.NodeFlags.Const) !== 0 || !enclosingFunction(decl)) return undefined;
  const scope = scopeOf(fn);
  if (!scope) return undefined;
  // The functions declared beside `connect` (`scheduleReconnect()`), by name.
  const functionNamed = (name: string) => localFunction(name, scope);
  if (functionNamed(connect) !== fn) return undefined;
  const isVar = (x: ts.Node) => ts.isIdentifier(x) && ((x.text === target.text && symbolOf(x) === sym) || (!!local && x.text === local.name && symbolOf(x) === local.sym));
  // Captured variables stand for themselves as holders; the function's own locals are new on every run.
  const holderOf = (x: ts.Node) => (ts.isIdentifier(x) && (x.text === target.text || capturedLet(x, fn, symbolOf)) ? x.text : undefined);
  const calls = (x: ts.Node) => {
    if (!ts.isCallExpression(x)) return undefined;
    if (ts.isIdentifier(x.expression) && functionNamed(x.expression.text)) return x.expression.text;
    const later = ONE_SHOT_TIMERS.has(calleeName(x) ?? '') ? x.arguments[0] && stripParens(x.arguments[0]) : undefined;
    return later && ts.isIdentifier(later) && functionNamed(later.text) ? later.text : undefined;
  };
  const listener = (event: string) => closureListenerOf(fn.body!, isVar, event, functionNamed);
  const onError = listener('error');
  const onClose = listener('close');
  if (!onError || !onClose || mayRemoveListeners(onError) || mayRemoveListeners(onClose) || guardsItself(fn.body, holderOf)) return undefined;
  if (!reconnects(onError, connect, functionNamed, calls, holderOf) || !reconnects(onClose, connect, functionNamed, calls, holderOf)) return undefined;
  return variableOverwrite(match, fn, call, call, 'reconnectsTwice', target.text);
}

/** `sock` of `const sock = net.connect(…)` in `fn`: the creation and the local's name. */
function localCreation(e: ts.Expression, fn: FnLike | undefined, symbolOf: (n: ts.Node) => ts.Symbol | undefined) {
  if (!fn || !ts.isIdentifier(e)) return undefined;
  const sym = symbolOf(e);
  const d = sym?.valueDeclaration;
  const call = d && ts.isVariableDeclaration(d) && d.initializer && within(d, fn) && (d.parent.flags & ts.NodeFlags.Const) !== 0 ? creationUnder(skipOuter(d.initializer)) : undefined;
  return call && sym ? { call, name: e.text, sym } : undefined;
}

/** The block or file whose statements declare `fn` and the functions beside it. */
function scopeOf(fn: FnLike): ts.Block | ts.SourceFile | undefined {
  // `const connect = () => …`: arrow → declaration → list → statement; a function declaration is its own statement.
  const statement = ts.isFunctionDeclaration(fn) ? fn : ts.isVariableDeclaration(fn.parent) ? fn.parent.parent.parent : undefined;
  const s = statement?.parent;
  return s && (ts.isBlock(s) || ts.isSourceFile(s)) ? s : undefined;
}

/** `x` is a `let` declared outside `fn` (so a second run of `fn` sees what the first set). */
function capturedLet(x: ts.Identifier, fn: ts.Node, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  const d = symbolOf(x)?.valueDeclaration;
  return !!d && ts.isVariableDeclaration(d) && !within(d, fn) && (d.parent.flags & ts.NodeFlags.Const) === 0;
}

/** The body of `ws.on(event, cb)` in `body`: an inline callback, or a function beside the connecting one (`ws.on('close', scheduleReconnect)`). */
function closureListenerOf(body: ts.Node, isVar: (x: ts.Node) => boolean, event: string, functionNamed: (name: string) => FnLike | undefined): ts.Node | undefined {
  let found: ts.Node | undefined;
  findNode(body, (n) => {
    if (found || !ts.isCallExpression(n) || !LISTEN_METHODS.has(calleeName(n) ?? '') || !isStringArg(n.arguments[0], new Set([event]))) return false;
    const on = ts.isPropertyAccessExpression(n.expression) ? stripParens(n.expression.expression) : undefined;
    const cb = n.arguments[1] && skipOuter(n.arguments[1]);
    if (!on || !cb || !isVar(on)) return false;
    if (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) found = cb;
    else if (ts.isIdentifier(cb)) found = functionNamed(cb.text)?.body;
    return false;
  });
  return found;
}
