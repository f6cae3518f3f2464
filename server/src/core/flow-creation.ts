// Path exploration, what was arranged before the resource exists: a closure that closes it handed to
// other code (`server.ext('onRequest', () => client.destroy())` then `const client = net.connect(…)`),
// or the resource stored where other code keeps it (`suiteServer = srv` before `srv.listen(0)`: a
// server opens at its `listen()`, after its variable was handed on). flow.ts walks from there.
import { ts } from 'ts-morph';
import { calleeName, functionOfDeclaration, stripParens, within } from './ast';
import { isClearedTimer, isConditionalListener, isOneTimeConnectListener, skipParensUp } from './call-shapes';
import { StatementWalker } from './flow-statements';
import { TRANSFER_CALLS } from './references';
import { asksHalfOpen } from './creator-options';

export abstract class CreationWalker extends StatementWalker {
  /** Results of helpers that are falsy only once they have released it (ParamSummary.releasedWhenFalsy). */
  protected falsyReleases = new Set<ts.Symbol>();

  /** `const claims = await authorize(req, socket)` (or `claims = …`): the variable that gets the result. */
  protected noteFalsyRelease(call: ts.CallExpression | ts.NewExpression): void {
    const value = skipParensUp(call);
    const p = skipParensUp(ts.isAwaitExpression(value.parent) ? value.parent : value).parent;
    const id = ts.isVariableDeclaration(p) ? p.name : ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken ? stripParens(p.left) : undefined;
    const sym = id && ts.isIdentifier(id) ? this.oracle.symbolOf(id) : undefined;
    if (sym) this.falsyReleases.add(sym);
  }

  /**
   * `const timer = setTimeout(() => sock.destroy(err), ms)` for a socket made with `allowHalfOpen: true`, cleared on the
   * normal path (in its 'end' listener): it closes only an exchange that stalls; after the peer's FIN nothing ends the socket.
   */
  protected clearedGiveUpTimer(call: ts.CallExpression | ts.NewExpression): boolean {
    const body = this.subject.fn.body;
    // Also a connect timeout the function itself clears once connected (`finally { clearTimeout(connectTimer) }`): nothing fires after.
    return !!this.subject.creation && !!body && ((asksHalfOpen(this.subject.creation) && isClearedTimer(call, body)) || isClearedTimer(call, body, true));
  }

  protected declaredInside(id: ts.Identifier): boolean {
    const decl = this.oracle.symbolOf(id)?.declarations?.[0];
    const fn = this.subject.fn;
    return !!decl && decl.pos >= fn.pos && decl.end <= fn.end;
  }

  /**
   * Before `creation`: a closure that releases the resource handed to other code, which runs it later
   * while the resource is open ('released'); or the resource stored outside the function ('stored').
   */
  protected plannedBefore(creation: ts.Node): 'released' | 'stored' | undefined {
    const body = this.subject.fn.body;
    if (!body) return undefined;
    let found = false;
    let stored = false;
    const visit = (n: ts.Node): void => {
      // Nor a client's one connect listener (`conn.on('ready', …)`): created() follows it as the work's continuation.
      if (found || n.pos >= creation.pos || isOneTimeConnectListener(n, this.subject.kind)) return;
      // A timer cleared by the function (`clearTimeout(timer)` once the response is in) releases only
      // when it fires first, which the normal path makes sure it does not.
      if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && n.end <= creation.pos && !isClearedTimer(n, body)) {
        for (const a of n.arguments ?? []) {
          const named = this.localFunction(a);
          // Not an 'error' listener's: it runs only if that happens (`srv.once('error', () => finish(false))`).
          if (named && !isConditionalListener(n) && this.releasingFunction(named)) found = true;
          // `after(server.close.bind(server))`, `t.after(closeServer(server))` before `server.listen(0)`.
          else if (!isConditionalListener(n) && (this.refs.isBoundRelease(a) || this.makesReleasingFunction(a))) found = true;
          // `server.state('x', { autoValue() { client.destroy(); } })`: a method of an options object.
          else if (ts.isObjectLiteralExpression(stripParens(a)) && this.hasReleasingFunction(a)) found = true;
          // `relays.push(relay)` before `relay.listen(0)`: kept in a collection, like `this.server = srv`.
          else if (TRANSFER_CALLS.has(calleeName(n) ?? '') && this.isBareAlias(a)) stored = true;
        }
      }
      // `class Extension { onHandshake() { client.destroy(); } }` before the client, instantiated by a library later.
      if (ts.isClassLike(n) && n.end <= creation.pos && this.hasReleasingFunction(n)) found = true;
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && n.end <= creation.pos) {
        const fn = stripParens(n.right);
        // `teardown = function () { pool.end(); }` before `var pool = mysql.createPool(…)`: kept for whoever tears down.
        if ((ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) && this.releasingFunction(fn)) found = true;
        // `this.server = srv` or `suiteServer = srv` before `srv.listen()`.
        else if (this.storesOutside(n)) stored = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    return found ? 'released' : stored ? 'stored' : undefined;
  }

  /** `this.server = srv`, `suiteServer = srv`, or `suiteIo = new Server(srv)` into an alias declared outside: kept outside the function. */
  protected storesOutside(n: ts.BinaryExpression): boolean {
    const left = stripParens(n.left);
    const outside = !ts.isIdentifier(left) || !this.declaredInside(left);
    return outside && (this.isBareAlias(n.right) || (ts.isIdentifier(left) && this.isAlias(left)));
  }

  /** A project helper given the resource that releases it, or returns a function that does (its summary says which: both release). */
  private makesReleasingFunction(a: ts.Expression): boolean {
    const c = stripParens(a);
    const i = ts.isCallExpression(c) ? c.arguments.findIndex((x) => this.isBareAlias(x)) : -1;
    return i >= 0 && this.oracle.releasesParam(c as ts.CallExpression, i, this.subject)?.kind === 'releases';
  }

  protected releasingFunction(fn: ts.FunctionLikeDeclaration): boolean {
    // `() => { resolve(true); finish(); }` with `function finish() { sock.destroy(); }`: through a helper of the function.
    return !!fn.body && (this.refs.refersToAlias(fn.body) || this.refs.callsCapturing(fn.body)) && this.refs.closureReleases(fn.body);
  }

  protected hasReleasingFunction(node: ts.Node): boolean {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body) found = this.releasingFunction(n as ts.FunctionLikeDeclaration);
      else ts.forEachChild(n, visit);
    };
    visit(node);
    return found;
  }

  /** An inline function expression, or a function of this function named by an identifier (`s.on('end', cleanup)`). */
  protected localFunction(a: ts.Expression): ts.FunctionLikeDeclaration | undefined {
    const arg = stripParens(a);
    if (ts.isFunctionExpression(arg) || ts.isArrowFunction(arg)) return arg;
    if (!ts.isIdentifier(arg) || this.isAlias(arg)) return undefined;
    const decl = this.oracle.symbolOf(arg)?.declarations?.[0];
    const fnNode = decl && functionOfDeclaration(decl);
    return fnNode && within(fnNode, this.subject.fn) ? fnNode : undefined;
  }
}
