// A method that gives a field a new connection without closing the one it holds, run again by code outside its class:
// `hub.follow(raceId)` in a route handler, where `follow()` calls `this.connect()` and `connect()` does
// `this.ws = new WebSocket(url)`. The class's own code never runs it twice, so fields.ts sees no overwrite; the
// calls from outside say whether it runs again on the same object. This file finds those calls; how often each
// runs is the rule's judgement (LeakRuleOptions.runsAgain), as for the rest of the code's frequency.
import { ts } from 'ts-morph';
import { callsMethodOn, findNode, stripParens, within } from './ast';
import { nameOf, thisCalls } from './class-calls';
import { closesField, closesFirst, closesOldCopy, stopsFirst } from './field-guards';
import { inTestCode } from './execution';
import { ANY_RELEASE } from './kinds';
import { outsideMethodCalls } from './method-calls';
import { SyntaxContext } from './context';
import { enclosingFunction, loopAround } from './syntax';

/**
 * The calls from outside the class, on an object that outlives the code making them, of the method that assigns the
 * field at `creation`, or of a method of the class that calls it before closing the field (`follow(id) { this.raceId =
 * id; this.connect() }`). None when the method returns first while it holds one, or on some state of its own (`if
 * (this.connecting) return`): only a return on what it is asked for (`if (region === this.region) return`) lets a new
 * target through.
 */
export function outsideRerunCalls(ctx: SyntaxContext, method: ts.MethodDeclaration, field: string, creation: ts.Node, reconnects: boolean): ts.Identifier[] {
  const cls = method.parent;
  if (!ts.isClassDeclaration(cls) || !method.body || !ownCode(creation, method) || guarded(method, field, creation, reconnects)) return [];
  const name = nameOf(method);
  const entries = [method, ...cls.members.filter((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m !== method && !!m.body && !!name &&
    thisCalls(m.body, name, true).some((c) => !guarded(m, field, c, reconnects)))];
  return entries.flatMap((m) => outsideCallsOnSameObject(ctx, m).filter((id) => !releasedBefore(id, cls, field)));
}

/**
 * The calls from outside the class of `method`, on an object that outlives the code making them: each run of that code
 * reaches the same object again (a collection's store run again for a key it holds, evictions.ts).
 */
export function outsideCallsOnSameObject(ctx: SyntaxContext, method: ts.MethodDeclaration): ts.Identifier[] {
  return outsideMethodCalls(ctx, method).filter((id) => !inTestCode(id) && outlivesCaller(ctx, id));
}

const ownCode = (n: ts.Node, method: ts.MethodDeclaration) => ts.findAncestor(n.parent, ts.isFunctionLike) === method;

function guarded(method: ts.MethodDeclaration, field: string, at: ts.Node, reconnects: boolean): boolean {
  const body = method.body!;
  // `if (this.socket) this.stop()` too: a method of the class that closes the field.
  if (closesFirst(body, field, at, reconnects) || closesOldCopy(body, field, at) || stopsFirst(body, method.parent as ts.ClassDeclaration, field, at)) return true;
  const params = new Set(method.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  // `if (this.connecting || this.closed) return`, `if (current && !current.closed) return current` of `const current =
  // this.session`: a state of the object, not which server it is asked to follow.
  return !!findNode(body, (n) => n.end <= at.pos && ts.isIfStatement(n) && exits(n.thenStatement) &&
    !findNode(n.expression, (x) => ts.isIdentifier(x) && params.has(x.text)));
}

function exits(st: ts.Statement): boolean {
  const last = ts.isBlock(st) ? st.statements[st.statements.length - 1] : st;
  return !!last && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
}

/**
 * The receiver is declared outside the loop around the call, or outside the function making it when no loop does:
 * each run of that code reaches the same object (`const hub = new TimingHubClient(…)` in `main()`, a route of
 * `createApp({ hub })`). Not `const feed = new Feed(); feed.follow(id)` in a route handler: a new one each time.
 */
function outlivesCaller(ctx: SyntaxContext, id: ts.Identifier): boolean {
  const recv = receiverRoot(id);
  if (!recv) return false;
  if (recv.kind === ts.SyntaxKind.ThisKeyword) return true;
  const decl = ctx.resolver.symbolOf(recv)?.valueDeclaration;
  const fn = enclosingFunction(id);
  const scope = loopAround(id, fn)?.statement ?? fn;
  return !!decl && !!scope && !within(decl, scope) && !madeAgainAround(id, recv.text, decl);
}

/**
 * `scales = new ScaleListener(); previous.stop().then(() => scales.start())` in a SIGHUP listener: a function around the
 * call, inside the variable's scope, gives it a new object, so the calls may each reach another one.
 */
function madeAgainAround(id: ts.Identifier, name: string, decl: ts.Node): boolean {
  for (let f = enclosingFunction(id); f && !within(decl, f); f = enclosingFunction(f)) {
    if (f.body && findNode(f.body, (n) => ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(stripParens(n.left)) && (stripParens(n.left) as ts.Identifier).text === name)) return true;
  }
  return false;
}

/** `hub` of `hub.follow(…)`, `deps` of `deps.feed.follow(…)`, `this` of `this.feed.follow(…)`. */
function receiverRoot(id: ts.Identifier): ts.Identifier | ts.ThisExpression | undefined {
  let x: ts.Expression = stripParens((id.parent as ts.PropertyAccessExpression).expression);
  while (ts.isPropertyAccessExpression(x)) x = stripParens(x.expression);
  return ts.isIdentifier(x) || x.kind === ts.SyntaxKind.ThisKeyword ? (x as ts.Identifier | ts.ThisExpression) : undefined;
}

/** `hub.close(); hub.follow(id)`, or a method of the class that closes the field (`feed.stop()`), before the call. */
function releasedBefore(id: ts.Identifier, cls: ts.ClassDeclaration, field: string): boolean {
  const recv = (id.parent as ts.PropertyAccessExpression).expression.getText();
  const fn = enclosingFunction(id);
  const closers = [...ANY_RELEASE, ...cls.members.filter((m) => closesField(m, field)).flatMap((m) => nameOf(m as ts.MethodDeclaration) ?? [])];
  return !!fn?.body && !!findNode(fn.body, (n) => n.end <= id.pos && callsMethodOn(n, closers, (e) => e.getText() === recv));
}
