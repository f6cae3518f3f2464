// A `let` of a function that the listener of a repeating event gives a new connection while the one it
// holds is still open: `io.on('connection', (socket) => { let sub; socket.on('watch', async (q) => { sub =
// new Redis(url); … }); socket.on('disconnect', () => sub?.quit()) })`. Every 'watch' after the first
// drops an open subscriber out of reach; only the last one is ever quit. Like a field a method
// overwrites (fields.ts), but the holder is a closure's variable and what runs again is a listener.
import { ts } from 'ts-morph';
import { calleeName, callsMethodOn, enclosingFunction, findNode, FnLike, isStringArg, stripParens, within } from './ast';
import { callsIn } from './syntax';
import { LISTEN_METHODS, creationUnder } from './call-shapes';
import { CONNECTION_KINDS, KINDS, releaseMethods } from './kinds';
import { CreatorFinder, CreatorMatch } from './creators';
import { FieldLeak } from './fields';
import { makeSubject } from './subject';

/**
 * Events after which the old connection is gone or going (a reconnect on `'close'`), or that fire once
 * for the emitter (`'connect'`, `'ready'`): a new connection there replaces nothing open.
 */
const NOT_REPEATING = new Set(['close', 'end', 'error', 'exit', 'disconnect', 'disconnected', 'timeout', 'finish', 'connect', 'ready', 'open', 'listening', 'upgrade']);

const ONCE = new Set(['once', 'prependOnceListener']);

export function listenerOverwriteLeaks(sf: ts.SourceFile, creators: CreatorFinder, symbolOf: (n: ts.Node) => ts.Symbol | undefined): FieldLeak[] {
  const out: FieldLeak[] = [];
  if (!sf.text.includes('let ') || !sf.text.includes('.on(')) return out; // most files: no walk
  // Only the bodies of inline listeners (from the file's one call list), not the whole file: `v = creator(…)` there.
  for (const call of callsIn(sf, () => {})) {
    const listener = ts.isCallExpression(call) && LISTEN_METHODS.has(calleeName(call) ?? '') ? call.arguments[1] && stripParens(call.arguments[1]) : undefined;
    if (!listener || (!ts.isArrowFunction(listener) && !ts.isFunctionExpression(listener))) continue;
    findNode(listener, (n) => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && creationUnder(n.right)) check(n, n.left, creators, symbolOf, out);
      return false;
    }, true);
  }
  return out;
}

function check(n: ts.BinaryExpression, target: ts.Identifier, creators: CreatorFinder, symbolOf: (n: ts.Node) => ts.Symbol | undefined, out: FieldLeak[]): void {
  const sym = symbolOf(target);
  const decl = sym?.valueDeclaration;
  // A `let` of a function around the listener (not the listener's own).
  if (!decl || !ts.isVariableDeclaration(decl) || !ts.isVariableDeclarationList(decl.parent) || (decl.parent.flags & ts.NodeFlags.Let) === 0) return;
  const fn = enclosingFunction(decl);
  const listener = fn?.body ? repeatingListener(n, fn) : undefined;
  const call = listener && creationUnder(n.right);
  const match = call && creators.match(call);
  if (!fn?.body || !listener || !call || !match || match.callbackParam !== undefined || !CONNECTION_KINDS.has(match.kind)) return;
  const isVar = (x: ts.Node) => ts.isIdentifier(x) && x.text === target.text && symbolOf(x) === sym;
  // Anything the listener does with the variable before the assignment may close the old one (`await sub?.quit()`,
  // `if (sub) return`); so may a function of the listener's own.
  if (findNode(listener, (x) => x.pos < n.pos && x !== target && isVar(x))) return;
  // The convention the listener breaks: the function's other code closes what the variable holds.
  const release = releaseMethods(match.kind, match.fixCall);
  const closes = (x: ts.Node) => callsMethodOn(x, release, isVar);
  if (!findNode(fn.body, (x) => !within(x, listener) && closes(x))) return;
  out.push(variableOverwrite(match, listener as FnLike, call, n, 'relistened', target.text));
}

/** The report of `name`, a variable that `fn` gives a new connection (`call`) at `at` while it may hold an open one. */
export function variableOverwrite(match: CreatorMatch, fn: FnLike, call: ts.CallExpression | ts.NewExpression, at: ts.Node,
    kind: 'relistened' | 'rerun' | 'overwrite' | 'reconnectsTwice', name: string): FieldLeak {
  return {
    subject: makeSubject(match.kind, fn, call, { creation: call }), match, exits: [{ node: at, kind }],
    sawRelease: true, sawEscape: false, releaseCall: `${name}.${match.fixCall ?? KINDS[match.kind].fixCall}`, resourceName: name,
  };
}

/** The inline listener, registered in `fn` itself with `on`/`addListener` for a repeating event, whose own code holds `n`. */
function repeatingListener(n: ts.Node, fn: FnLike): ts.FunctionLikeDeclaration | undefined {
  const listener = enclosingFunction(n);
  if (!listener || listener === fn || (!ts.isArrowFunction(listener) && !ts.isFunctionExpression(listener))) return undefined;
  let e: ts.Node = listener;
  while (ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const reg = e.parent;
  if (!ts.isCallExpression(reg) || reg.arguments[1] !== e || !ts.isPropertyAccessExpression(reg.expression)) return undefined;
  const method = reg.expression.name.text;
  if (!LISTEN_METHODS.has(method) || ONCE.has(method) || !ts.isStringLiteralLike(reg.arguments[0]) || isStringArg(reg.arguments[0], NOT_REPEATING)) return undefined;
  return enclosingFunction(reg) === fn ? listener : undefined;
}
