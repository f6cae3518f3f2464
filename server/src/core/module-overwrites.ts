// A module's `let` that a function of the module gives a new connection under a condition that also lets an open
// one through: `if (!connection || blocked) connection = await amqp.connect(url)`. The broker's 'blocked' event
// leaves the connection open, so the next call drops it out of reach (`closePublisher()` closes only the newest).
// Like a field a method overwrites (fields.ts, field-guards.ts onlyOfField), but the holder is the module's. So is a
// function named for running again while connected (`rotateSession()`, `reconnect()`: fields.ts RERUN_NAME) that gives
// the variable a new connection without closing the one it holds, while another function of the module closes it; and
// one that runs again from its client's own dropped-connection listener while that client reconnects by itself.
import { ts } from 'ts-morph';
import { calleeName, callsMethodOn, enclosingFunction, findNode, FnLike, functionName, skipOuter, stripParens, within } from './ast';
import { creationUnder, LISTEN_METHODS } from './call-shapes';
import { reconnectsAfter } from './creator-options';
import { CONNECTION_KINDS, KINDS, releaseMethods, ResourceKind } from './kinds';
import { CreatorFinder } from './creators';
import { FieldLeak } from './fields';
import { variableOverwrite } from './listener-overwrites';
import { RERUN_NAME } from './fields';

export function moduleOverwriteLeaks(sf: ts.SourceFile, creators: CreatorFinder, symbolOf: (n: ts.Node) => ts.Symbol | undefined): FieldLeak[] {
  const out: FieldLeak[] = [];
  if (!sf.text.includes('||') && !RERUN_WORD.test(sf.text) && !DROPPED_WORD.test(sf.text)) return out; // most files: no walk
  // Only a `let` assigned again somewhere (`name =` past its declaration's own): found in the text before any walk.
  const assignedAgain = (d: ts.VariableDeclaration) => ts.isIdentifier(d.name) &&
    (sf.text.match(new RegExp(`(?<![\\w$])${d.name.text.replace(/\$/g, '\\$')}\\s*=(?![=>])`, 'g'))?.length ?? 0) > (d.initializer ? 1 : 0);
  const names = new Set(sf.statements.flatMap((st) => ts.isVariableStatement(st) && (st.declarationList.flags & ts.NodeFlags.Const) === 0
    ? st.declarationList.declarations.filter(assignedAgain).map((d) => (d.name as ts.Identifier).text) : []));
  if (!names.size) return out;
  findNode(sf, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && names.has(n.left.text)) check(n, n.left, creators, symbolOf, out);
    return false;
  });
  return out;
}

function check(n: ts.BinaryExpression, target: ts.Identifier, creators: CreatorFinder, symbolOf: (n: ts.Node) => ts.Symbol | undefined, out: FieldLeak[]): void {
  const sym = symbolOf(target);
  const decl = sym?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !ts.isSourceFile(decl.parent.parent.parent)) return;
  const fn = enclosingFunction(n);
  const call = fn?.body && creationUnder(skipOuter(n.right));
  const match = call && creators.match(call);
  if (!fn?.body || !call || !match || match.callbackParam !== undefined || !CONNECTION_KINDS.has(match.kind)) return;
  const isVar = (x: ts.Node) => ts.isIdentifier(x) && x.text === target.text && symbolOf(x) === sym;
  const guard = guardOf(n, fn);
  const release = releaseMethods(match.kind, match.fixCall);
  // `c.quit()` too, with `const c = client; client = undefined` before it (a copy taken to close).
  const isCopy = (x: ts.Node) => ts.isIdentifier(x) && copies(symbolOf(x), isVar);
  const closes = (x: ts.Node) => callsMethodOn(x, release, isVar) || callsMethodOn(x, release, isCopy);
  // `bridge.on('disconnect', () => setTimeout(() => connectBridge(io), 2000))` in the function that makes it: the client
  // reconnects by itself after a dropped connection, and the function makes another one over it.
  if (!guard && rerunOnDrop(fn as FnLike, match.kind, call, isVar) && findNode(n.getSourceFile(), (x) => closes(x) && !within(x, fn))) {
    out.push(variableOverwrite(match, fn as FnLike, call, n, 'overwrite', target.text));
    return;
  }
  if (!guard && RERUN_NAME.test(functionName(fn) ?? '') && ts.isSourceFile(fn.parent.kind === ts.SyntaxKind.VariableDeclaration ? fn.parent.parent.parent.parent : fn.parent)) {
    // Nothing before it in the function reads the variable (a close, a copy kept to close), and the module closes it elsewhere.
    if (!findNode(fn.body, (x) => x.end <= n.pos && isVar(x)) && findNode(n.getSourceFile(), (x) => closes(x) && !within(x, fn))) {
      out.push(variableOverwrite(match, fn as FnLike, call, n, 'overwrite', target.text));
    }
    return;
  }
  if (!guard || !hasAnotherWayIn(guard.expression, isVar)) return;
  // Closed first (`await connection?.close()`), or a copy saved to close (`const old = connection`): the old one is seen to.
  const seen = findNode(fn.body, (x) => x.pos < n.pos && within(x, guard.thenStatement) && isVar(x));
  if (seen || findNode(fn.body, (x) => x.end <= guard.pos && closes(x))) return;
  out.push(variableOverwrite(match, fn as FnLike, call, n, 'rerun', target.text));
}

/** The symbol is a `const` set to the module's variable (`const c = client`). */
function copies(sym: ts.Symbol | undefined, isVar: (x: ts.Node) => boolean): boolean {
  const d = sym?.valueDeclaration;
  return !!d && ts.isVariableDeclaration(d) && !!d.initializer && isVar(stripParens(d.initializer)) &&
    ts.isVariableDeclarationList(d.parent) && (d.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** A listener for an event a self-reconnecting client emits on a dropped connection (KindSpec.droppedBy), as a text filter. */
const DROPPED_WORD = new RegExp(`\\.on\\(\\s*['"](${[...new Set(Object.values(KINDS).flatMap((k) => k.droppedBy ?? []))].join('|')})['"]`);

/**
 * `fn` registers on the variable's client a listener for an event it emits on every dropped connection, after which
 * it reconnects by itself (MQTT.js's `'close'`, a Socket.IO client's `'disconnect'`), and that listener runs `fn`
 * again (also from a timer): each drop adds a client while the old one reconnects. Not for a client made not to
 * reconnect (`reconnection: false`), nor a listener that closes the old one first.
 */
function rerunOnDrop(fn: FnLike, kind: ResourceKind, call: ts.CallExpression | ts.NewExpression, isVar: (x: ts.Node) => boolean): boolean {
  const name = functionName(fn);
  if (!KINDS[kind].droppedBy || !name || !fn.body) return false;
  const release = releaseMethods(kind, undefined);
  return !!findNode(fn.body, (x) => {
    if (!ts.isCallExpression(x) || !LISTEN_METHODS.has(calleeName(x) ?? '') || !ts.isPropertyAccessExpression(x.expression) || !isVar(stripParens(x.expression.expression))) return false;
    const event = x.arguments[0] && stripParens(x.arguments[0]);
    const listener = x.arguments[1];
    if (!event || !ts.isStringLiteralLike(event) || !reconnectsAfter(kind, event.text, call) || !listener) return false;
    const reruns = !!findNode(listener, (c) => ts.isCallExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === name);
    return reruns && !findNode(listener, (c) => callsMethodOn(c, release, isVar));
  });
}

/** A name of a function that may run again while connected (fields.ts RERUN_NAME), as a cheap text filter. */
const RERUN_WORD = /\b(re(connect|try|start|fresh|new|open|init|configure|cover|load|target|point)|retry|migrate|switch|failover|rotate)\w*\s*(=|\()/i;

/** The `if` of the function's own code whose then-branch holds the assignment. */
function guardOf(n: ts.Node, fn: ts.Node): ts.IfStatement | undefined {
  for (let p: ts.Node = n; p.parent && p !== fn; p = p.parent) {
    if (ts.isIfStatement(p.parent) && p.parent.thenStatement === p) return p.parent;
    if (ts.isFunctionLike(p.parent)) return undefined;
  }
  return undefined;
}

/**
 * `!connection || blocked`: one way into the branch reads the variable only as absent or closed (`!connection`,
 * `connection.destroyed`) and another does not read it at all, so a call while `blocked` holds makes a new one over
 * the open one. Not `!connection` alone (made once), nor `!connection || !connection.isOpen` (every way tests it).
 */
function hasAnotherWayIn(e: ts.Expression, isVar: (x: ts.Node) => boolean): boolean {
  const disjuncts = (x: ts.Expression): ts.Expression[] => {
    const s = stripParens(x);
    return ts.isBinaryExpression(s) && s.operatorToken.kind === ts.SyntaxKind.BarBarToken ? [...disjuncts(s.left), ...disjuncts(s.right)] : [s];
  };
  const all = disjuncts(e);
  const readsIt = (x: ts.Node) => isVar(x) || !!findNode(x, isVar);
  const absent = (x: ts.Expression) => ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken && isVar(stripParens(x.operand));
  return all.length > 1 && all.some(absent) && all.some((x) => !readsIt(x) && !ts.isCallExpression(x));
}
