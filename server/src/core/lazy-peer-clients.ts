// A connection a handler of each accepted connection makes lazily, into a `let` of its own, and never closes:
//   wss.on('connection', (ws) => {
//     let sub;
//     ws.on('message', async (raw) => { if (!sub) sub = new Redis(url); await sub.subscribe(…) });
//     ws.on('close', () => sub?.unsubscribe());   // ← unsubscribes, never quits
//   });
// Nothing outside the handler can reach the variable, so when the connection it serves goes, the client stays open
// (a Redis client reconnects by itself for good). The path walker follows what a function keeps in its own variables;
// one given to a variable of an enclosing function is no longer its own, so this is checked here, over the handler.
import { ts } from 'ts-morph';
import { callsMethodOn, enclosingFunction, EQUALITY, findNode, FnLike, isNullLiteral, skipOuter, stripParens } from './ast';
import { creationUnder } from './call-shapes';
import { CONNECTION_KINDS, KINDS, releaseMethods } from './kinds';
import { CreatorFinder } from './creators';
import { FieldLeak } from './fields';
import { OriginResolver } from './origins';
import { servedConnection } from './relays';
import { makeSubject } from './subject';

export function lazyPeerClientLeaks(sf: ts.SourceFile, creators: CreatorFinder, resolver: OriginResolver): FieldLeak[] {
  const out: FieldLeak[] = [];
  if (!sf.text.includes('let ')) return out; // most files: no walk
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclarationList(n) && n.flags & ts.NodeFlags.Let) for (const d of n.declarations) check(d, creators, resolver, out);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function check(decl: ts.VariableDeclaration, creators: CreatorFinder, resolver: OriginResolver, out: FieldLeak[]): void {
  if (!ts.isIdentifier(decl.name) || (decl.initializer && !isNullLiteral(skipOuter(decl.initializer)))) return;
  const fn = enclosingFunction(decl);
  const peer = fn?.body && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? servedConnection(fn, resolver) : undefined;
  const sym = peer && resolver.symbolOf(decl.name);
  if (!fn?.body || !peer || !sym) return;
  const name = decl.name.text;
  const isVar = (x: ts.Node): x is ts.Identifier => ts.isIdentifier(x) && x.text === name && resolver.symbolOf(x) === sym;
  // Given a connection in a function of the handler's (a listener of the served connection): `sub = new Redis(url)`.
  const assignments: Array<{ at: ts.BinaryExpression; call: ts.CallExpression | ts.NewExpression }> = [];
  findNode(fn.body, (x) => {
    const call = ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken && isVar(x.left) ? creationUnder(x.right) : undefined;
    if (call && enclosingFunction(x) !== fn) assignments.push({ at: x as ts.BinaryExpression, call });
    return false;
  });
  if (assignments.length !== 1) return;
  const { at, call } = assignments[0];
  const match = creators.match(call);
  if (!match || match.callbackParam !== undefined || !CONNECTION_KINDS.has(match.kind)) return;
  const release = releaseMethods(match.kind, match.fixCall);
  // Closed somewhere, or handed to other code (an argument, a return, a property, a copy), which may close it.
  const kept = findNode(fn.body, (x) => callsMethodOn(x, release, isVar) || (isVar(x) && x !== at.left && x !== decl.name && handsOn(x)));
  if (kept) return;
  out.push({
    subject: makeSubject(match.kind, enclosingFunction(call) as FnLike, call, { creation: call }), match, exits: [{ node: peer, kind: 'peerGone' }],
    sawRelease: false, sawEscape: false, releaseCall: `${name}.${match.fixCall ?? KINDS[match.kind].fixCall}`, resourceName: name,
  });
}

/** The variable's value goes somewhere: anything but a method call's receiver, a property read, a test or an assignment's target. */
function handsOn(id: ts.Identifier): boolean {
  let e: ts.Node = id;
  while (ts.isParenthesizedExpression(e.parent) || ts.isNonNullExpression(e.parent)) e = e.parent;
  const p = e.parent;
  if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === e) return false;
  if (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) return false;
  if (ts.isIfStatement(p) || (ts.isConditionalExpression(p) && p.condition === e)) return false;
  if (ts.isBinaryExpression(p) && (p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || EQUALITY.has(p.operatorToken.kind)) && (p.left === e || p.right === e)) {
    return p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && p.right === e && !ts.isIfStatement(stripParens(p).parent);
  }
  return true;
}
