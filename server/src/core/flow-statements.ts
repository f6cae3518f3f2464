// Path exploration for one subject through one function.
//
// The walker interprets the function's syntax tree over a three-point state (not yet created, open,
// released) kept as a set of possible states, one bit each. Each statement yields the states that
// complete normally, and adds its abrupt completions (return, throw, break, continue) to an
// accumulator, so try/finally, labelled jumps, switch fall-through and loops fall out of the
// structure of the code instead of an explicit graph. An `await` adds a throw completion (its
// promise can reject); a `throw` and a `return` add theirs. A completion that leaves the function
// with the resource possibly open is a leaking exit. What counts as a reference, a release or a
// hand-over is read by `SubjectRefs` (references.ts).
//
// This file holds the state and the statements; flow.ts adds expressions, calls and closures.
import { ts } from 'ts-morph';
import { calleeName, constInitializer, findNode, skipOuter, stripParens, within } from './ast';
import { findProp } from './syntax';
import { inTestCode } from './execution';
import { isModulePass, isScriptPass } from './module-passes';
import { assertsNoCaughtError } from './test-runs';
import { OwnErrorKind, ownErrorTests, ownThrowsOf, testedKind } from './own-error-catches';
import { SubjectRefs } from './references';
import { HANDLES_KEEPING_CONNECTION } from './catalog';
import { FlowOracle, Subject } from './subject';

export const PRE = 1;
export const OPEN = 2;
export const DONE = 4;

/** How a path leaves the resource open (`overwrite`, `cleared`, `reopened`… come from fields.ts and its kin, not from a path). */
export type ExitKind = 'return' | 'throw' | 'callThrows' | 'await' | 'end' | 'loop' | 'breaks' | 'reassign' | 'discard' | 'raced' | 'overwrite' | 'relistened' | 'rerun' | 'cleared' | 'classNeverCloses' | 'endForgets' | 'endSkips' | 'evicted' | 'evictedNeverClosed' | 'replaced' | 'storedAgain' | 'cacheEvicts' | 'everyTest' | 'suiteNeverCloses' | 'fileNeverCloses' | 'settle' | 'sourceFails' | 'pipeStops' | 'failsInstead' | 'peerGone' | 'consumerStops' | 'reopened' | 'rejected' | 'reconnectsTwice' | 'scriptEnd' | 'handleForgets' | 'stopperForgets';

/** Exits taken only when something fails: a rejecting `await`, a `throw`, a piped source's error. */
export const FAILURE_EXITS = new Set<ExitKind>(['await', 'throw', 'callThrows', 'sourceFails', 'failsInstead']);
export interface LeakExit {
  node: ts.Node;
  kind: ExitKind;
  /** Some paths reach this exit with the resource already released: releasing again there is wrong. */
  mixed?: boolean;
}

export interface Jump {
  label?: string;
  set: number;
  node: ts.Node;
}

export interface Abrupt {
  returns: Map<ts.Node, number>;
  throws: Map<ts.Node, number>;
  breaks: Jump[];
  continues: Jump[];
}

export const newAbrupt = (): Abrupt => ({ returns: new Map(), throws: new Map(), breaks: [], continues: [] });
export const addTo = (m: Map<ts.Node, number>, n: ts.Node, s: number) => m.set(n, (m.get(n) ?? 0) | s);

export interface FlowResult {
  exits: LeakExit[];
  /** An explicit release (not an ownership transfer) was seen on some path. */
  sawRelease: boolean;
  sawEscape: boolean;
  /**
   * The function throws (or rejects) somewhere and every such path has released the resource. A
   * function with no throw of its own may still reject through a callback: that is not this.
   */
  throwsReleased: boolean;
}

export abstract class StatementWalker {
  protected exits = new Map<ts.Node, ExitKind>();
  protected mixed = new Set<ts.Node>();
  protected sawRelease = false;
  protected sawEscape = false;
  protected throwsReleased = false;
  protected refs: SubjectRefs;
  /** Calls to project helpers that release their argument on every path on which they throw. */
  protected releasedOnThrow = new Set<ts.Node>();
  /** Failing a test (`t.fail()`, `assert.fail()`) ends the path: only passing tests matter here. */
  protected inTest: boolean;

  /** The function releases the resource itself somewhere: handing it to other code is then a use, not a transfer. */
  protected owner: boolean;
  /** Caught errors, and the kinds of them whose throws in the try block all happened with the resource released (own-error-catches.ts). */
  protected releasedOwnErrors = new Map<ts.Symbol, OwnErrorKind[]>();

  constructor(protected subject: Subject, protected oracle: FlowOracle) {
    this.refs = new SubjectRefs(subject, oracle);
    // A handler given a server's socket hands it on whenever it passes it anywhere (an upgrade, a proxy).
    this.owner = !subject.accepted && !!subject.fn.body && this.refs.explicitRelease(subject.fn.body);
    this.inTest = inTestCode(subject.fn);
  }

  run(): FlowResult {
    const { fn, creation } = this.subject;
    if (!fn.body) return { exits: [], sawRelease: false, sawEscape: false, throwsReleased: false };
    this.walkFunction(fn.body, creation ? PRE : OPEN);
    const exits = [...this.exits].map(([node, kind]) => ({ node, kind, mixed: this.mixed.has(node) }));
    // "The function ends" points at the closing brace, after everything else in it.
    const at = (x: LeakExit) => (x.kind === 'end' || x.kind === 'loop') && ts.isBlock(x.node) ? x.node.getEnd() : x.node.getStart();
    exits.sort((a, b) => at(a) - at(b));
    return { exits, sawRelease: this.sawRelease, sawEscape: this.sawEscape, throwsReleased: this.throwsReleased };
  }

  /** Explore one function body from `start`, recording the exits it leaves through with the resource open. */
  protected walkFunction(body: ts.Node, start: number): void {
    const ab = newAbrupt();
    if (body === this.subject.fn.body && isModulePass(this.subject.fn)) return this.walkPass(body as ts.Block, start, ab);
    if (ts.isBlock(body)) {
      const end = this.block(body.statements, start, ab);
      if (end & OPEN) this.exit(body, 'end', end);
    } else {
      let end = this.expr(body as ts.Expression, start, ab);
      if (this.isBareAlias(body as ts.Expression)) end = this.escape(end);
      if (end & OPEN) this.exit(body, 'return', end);
    }
    for (const [node, s] of ab.returns) if (s & OPEN) this.exit(node, ts.isYieldExpression(node) ? 'consumerStops' : 'return', s);
    for (const [node, s] of ab.throws) if (s & OPEN) this.exit(node, ts.isAwaitExpression(node) || ts.isForOfStatement(node) ? 'await' : ts.isCallExpression(node) || ts.isNewExpression(node) ? 'callThrows' : 'throw', s);
    if (body === this.subject.fn.body) {
      const thrown = [...ab.throws.values()];
      this.throwsReleased = thrown.length > 0 && thrown.every((s) => !(s & OPEN));
    }
  }

  /**
   * One pass of a script's top-level loop (module-passes.ts): it ends at its block's end, a `continue`
   * or a `break`; what it throws ends the script.
   */
  private walkPass(body: ts.Block, start: number, ab: Abrupt): void {
    const end = this.block(body.statements, start, ab);
    // A script's top level ends after its last statement (imports run first, wherever they are); the process waits for what is still open.
    const last = isScriptPass(this.subject.fn) ? [...body.statements].reverse().find((st) => !ts.isImportDeclaration(st)) : undefined;
    if ((end & OPEN) && last) this.exit(last, 'scriptEnd', end);
    else if (end & OPEN) this.exit(body, 'loop', end);
    for (const j of ab.continues) if (j.set & OPEN) this.exit(j.node, 'loop', j.set);
    for (const j of ab.breaks) if (j.set & OPEN) this.exit(j.node, 'breaks', j.set);
  }

  protected exit(node: ts.Node, kind: ExitKind, s: number): void {
    this.exits.set(node, kind);
    if (s & DONE) this.mixed.add(node);
  }

  protected isAlias(node: ts.Node): boolean {
    return this.refs.isAlias(node);
  }

  protected isBareAlias(node: ts.Expression): boolean {
    return this.refs.isBareAlias(node);
  }

  /** `return ch` with `const ch = await conn.createChannel()`, `return client.db(name)`: a handle that keeps the resource (`ch.connection`, `db.client`). */
  protected isChildHandle(e: ts.Expression): boolean {
    let x = skipOuter(e);
    if (ts.isIdentifier(x)) x = skipOuter(constInitializer(this.oracle.symbolOf(x)) ?? x);
    return ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && HANDLES_KEEPING_CONNECTION.has(x.expression.name.text) && this.isAlias(stripParens(x.expression.expression));
  }

  protected release(s: number): number {
    if (!(s & OPEN)) return s;
    this.sawRelease = true;
    return (s & ~OPEN) | DONE;
  }

  protected escape(s: number): number {
    if (!(s & OPEN)) return s;
    this.sawEscape = true;
    return (s & ~OPEN) | DONE;
  }

  protected absent(s: number): number {
    return s & OPEN ? (s & ~OPEN) | DONE : s;
  }

  protected containsCreation(node: ts.Node): boolean {
    const c = this.subject.creation;
    return !!c && within(c, node);
  }

  /** Nothing in `node` can change the state: no creation inside, and nothing open. */
  protected inert(node: ts.Node, s: number): boolean {
    return !(s & OPEN) && !((s & PRE) && this.containsCreation(node));
  }

  // ---- statements -------------------------------------------------------------------------

  protected block(stmts: ts.NodeArray<ts.Statement> | ts.Statement[], s: number, ab: Abrupt): number {
    for (const st of stmts) {
      if (!s) return 0;
      s = this.stmt(st, s, ab);
    }
    return s;
  }

  protected stmt(node: ts.Statement, s: number, ab: Abrupt, label?: string): number {
    this.oracle.tick();
    if (this.inert(node, s)) {
      // A `throw` after the release still ends the path: a helper whose throws all come after it
      // releases what it was given on throw (`const text = await res.text(); throw new HttpError(text)`).
      if (!ts.isThrowStatement(node)) return s;
      addTo(ab.throws, node, s);
      return 0;
    }
    switch (node.kind) {
      case ts.SyntaxKind.Block:
        return this.block((node as ts.Block).statements, s, ab);
      case ts.SyntaxKind.ExpressionStatement:
        // `catch (err) { expect(err).to.be.undefined }` in a test: that path fails the test.
        if (this.inTest && assertsNoCaughtError(node as ts.ExpressionStatement)) return 0;
        return this.expr((node as ts.ExpressionStatement).expression, s, ab);
      case ts.SyntaxKind.VariableStatement:
        return this.varList((node as ts.VariableStatement).declarationList, s, ab);
      case ts.SyntaxKind.IfStatement: {
        const n = node as ts.IfStatement;
        const c = this.cond(n.expression, s, ab);
        const t = this.stmt(n.thenStatement, c.t, ab);
        const f = n.elseStatement ? this.stmt(n.elseStatement, c.f, ab) : c.f;
        return t | f;
      }
      case ts.SyntaxKind.ReturnStatement: {
        const n = node as ts.ReturnStatement;
        if (n.expression) {
          s = this.expr(n.expression, s, ab);
          // `return client.db(name)` hands on the client it was made from; a helper given the client
          // (`pushDb(client)`, open on entry) still leaves it to its caller.
          if (this.isBareAlias(n.expression) || (this.subject.creation && this.isChildHandle(n.expression))) s = this.escape(s);
        }
        addTo(ab.returns, n, s);
        return 0;
      }
      case ts.SyntaxKind.ThrowStatement: {
        const n = node as ts.ThrowStatement;
        s = this.expr(n.expression, s, ab);
        if (this.isBareAlias(n.expression)) s = this.escape(s);
        addTo(ab.throws, n, s);
        return 0;
      }
      case ts.SyntaxKind.BreakStatement: {
        const n = node as ts.BreakStatement;
        ab.breaks.push({ label: n.label?.text, set: s, node: n });
        return 0;
      }
      case ts.SyntaxKind.ContinueStatement: {
        const n = node as ts.ContinueStatement;
        ab.continues.push({ label: n.label?.text, set: s, node: n });
        return 0;
      }
      case ts.SyntaxKind.TryStatement:
        return this.tryStmt(node as ts.TryStatement, s, ab);
      case ts.SyntaxKind.LabeledStatement: {
        const n = node as ts.LabeledStatement;
        const inner = newAbrupt();
        let out = this.stmt(n.statement, s, inner, n.label.text);
        for (const j of inner.breaks) if (j.label === n.label.text) out |= j.set;
        this.propagate(inner, ab, (j) => j.label === n.label.text, () => false);
        return out;
      }
      case ts.SyntaxKind.SwitchStatement:
        return this.switchStmt(node as ts.SwitchStatement, s, ab);
      case ts.SyntaxKind.WhileStatement:
      case ts.SyntaxKind.DoStatement:
      case ts.SyntaxKind.ForStatement:
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.ForInStatement:
        return this.loop(node as ts.IterationStatement, s, ab, label);
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
      case ts.SyntaxKind.EmptyStatement:
      case ts.SyntaxKind.ImportDeclaration:
        return s;
      default: {
        let out = s;
        ts.forEachChild(node, (child) => {
          if (ts.isExpression(child)) out = this.expr(child, out, ab);
          else if (ts.isStatement(child)) out = this.stmt(child, out, ab);
        });
        return out;
      }
    }
  }

  /** The try block throws errors of that kind (`ctx.throw(409)`, `throw new SetpointRejected(m)`), and never while the resource is open. */
  private ownThrowsReleased(block: ts.Block, kind: OwnErrorKind, inner: Abrupt): boolean {
    const throws = ownThrowsOf(block, kind, (x) => this.oracle.symbolOf(x));
    return throws.length > 0 && ![...inner.throws].some(([node, x]) => x & OPEN && throws.some((t) => within(node, t)));
  }

  /** `err.status`, `err instanceof SetpointRejected` of a caught error whose errors of that kind hold nothing open. */
  protected isReleasedOwnErrorTest(e: ts.Expression): boolean {
    const symbolOf = (x: ts.Node) => this.oracle.symbolOf(x);
    return [...this.releasedOwnErrors].some(([caught, kinds]) => { const k = testedKind(e, caught, symbolOf); return !!k && kinds.includes(k); });
  }

  protected varList(list: ts.VariableDeclarationList, s: number, ab: Abrupt): number {
    const using = (list.flags & ts.NodeFlags.Using) !== 0; // covers `await using` too
    for (const d of list.declarations) {
      if (!d.initializer) continue;
      s = this.expr(d.initializer, s, ab);
      if (using && (this.isBareAlias(d.initializer) || this.containsCreation(d.initializer))) s = this.release(s);
    }
    return s;
  }

  protected tryStmt(n: ts.TryStatement, s: number, ab: Abrupt): number {
    const inner = newAbrupt();
    let normal = this.block(n.tryBlock.statements, s, inner);
    if (n.catchClause) {
      const tests = ownErrorTests(n.catchClause, (x) => this.oracle.symbolOf(x));
      const released = tests?.kinds.filter((k) => this.ownThrowsReleased(n.tryBlock, k, inner));
      if (released?.length) this.releasedOwnErrors.set(tests!.caught, released);
      let thrown = 0;
      for (const v of inner.throws.values()) thrown |= v;
      const dropped = thrown & OPEN && this.outOfReachAfter(n.tryBlock) ? [...inner.throws].filter(([, v]) => v & OPEN) : undefined;
      inner.throws.clear();
      if (thrown && !dropped) normal |= this.block(n.catchClause.block.statements, thrown, inner);
      else if (dropped) {
        // Every name of the resource is the try block's: the catch cannot reach it, so a rethrow from
        // there leaves it where it was last in reach, at the throws of the try (`if (res.status === 429)
        // throw …` inside `try { const res = await fetch(u) … } catch (e) { …; throw e }`).
        const caught = newAbrupt();
        normal |= this.block(n.catchClause.block.statements, thrown, caught);
        let rethrows = false;
        for (const [node, x] of caught.throws) {
          if (x & OPEN) rethrows = true;
          if (x & ~OPEN) addTo(inner.throws, node, x & ~OPEN);
        }
        if (rethrows) for (const [node, x] of dropped) addTo(inner.throws, node, x);
        caught.throws.clear();
        this.propagate(caught, inner, () => false, () => false);
      }
    }
    if (!n.finallyBlock) {
      this.propagate(inner, ab, () => false, () => false);
      return normal;
    }
    const fin = n.finallyBlock;
    const memo = new Map<number, { out: number; ab: Abrupt }>();
    const runFinally = (x: number) => {
      let r = memo.get(x);
      if (!r) {
        const fab = newAbrupt();
        r = { out: this.block(fin.statements, x, fab), ab: fab };
        memo.set(x, r);
        this.propagate(fab, ab, () => false, () => false);
      }
      return r.out;
    };
    const through = (x: number) => (x ? runFinally(x) : 0);
    for (const [node, x] of inner.returns) { const o = through(x); if (o) addTo(ab.returns, node, o); }
    for (const [node, x] of inner.throws) { const o = through(x); if (o) addTo(ab.throws, node, o); }
    for (const j of inner.breaks) { const o = through(j.set); if (o) ab.breaks.push({ ...j, set: o }); }
    for (const j of inner.continues) { const o = through(j.set); if (o) ab.continues.push({ ...j, set: o }); }
    return through(normal);
  }

  /** Every name of the subject is declared in `block`, and so is what makes it: nothing after the block refers to it. */
  protected outOfReachAfter(block: ts.Block): boolean {
    const { creation, aliases, fields, capturedBy } = this.subject;
    if (!creation || !within(creation, block) || fields?.length || capturedBy) return false;
    for (const sym of aliases) {
      const decls = sym.getDeclarations() ?? [];
      if (!decls.length || decls.some((d) => !within(d, block))) return false;
    }
    return true;
  }

  /** Move abrupt completions from an inner scope outwards, except the jumps the scope itself consumes. */
  protected propagate(from: Abrupt, to: Abrupt, ownBreak: (j: Jump) => boolean, ownContinue: (j: Jump) => boolean) {
    for (const [n, x] of from.returns) addTo(to.returns, n, x);
    for (const [n, x] of from.throws) addTo(to.throws, n, x);
    for (const j of from.breaks) if (!ownBreak(j)) to.breaks.push(j);
    for (const j of from.continues) if (!ownContinue(j)) to.continues.push(j);
  }

  protected switchStmt(n: ts.SwitchStatement, s: number, ab: Abrupt): number {
    s = this.expr(n.expression, s, ab);
    const inner = newAbrupt();
    let fall = 0;
    let hasDefault = false;
    for (const clause of n.caseBlock.clauses) {
      let entry = s;
      if (ts.isCaseClause(clause)) entry = this.expr(clause.expression, s, inner);
      else hasDefault = true;
      fall = this.block(clause.statements, entry | fall, inner);
    }
    // A switch that covers every member of a union type has no path on which no case runs.
    let out = fall | (hasDefault || this.oracle.isExhaustive(n) ? 0 : s);
    for (const j of inner.breaks) if (!j.label) out |= j.set;
    this.propagate(inner, ab, (j) => !j.label, () => false);
    return out;
  }

  protected loop(n: ts.IterationStatement, s: number, ab: Abrupt, label?: string): number {
    const own = (j: Jump) => !j.label || j.label === label;
    const made = this.subject.made;
    const createdInside = this.containsCreation(n) && (!made || within(made, n));
    let init = s;
    if (ts.isForStatement(n) && n.initializer) {
      init = ts.isVariableDeclarationList(n.initializer) ? this.varList(n.initializer, s, ab) : this.expr(n.initializer, s, ab);
    }
    if ((ts.isForOfStatement(n) || ts.isForInStatement(n))) {
      init = this.expr(n.expression, init, ab);
      if (ts.isForOfStatement(n) && (this.refs.isHandle(n.expression) || this.readsLinesToEnd(n))) init = this.release(init);
    }
    let head = init;
    let exit = 0;
    for (let round = 0; round < 8; round++) {
      const inner = newAbrupt();
      let bodyIn = head;
      let condFalse = 0;
      if (ts.isWhileStatement(n) || (ts.isForStatement(n) && n.condition)) {
        const c = this.cond((n as ts.WhileStatement).expression ?? (n as ts.ForStatement).condition!, head, inner);
        bodyIn = c.t;
        condFalse = c.f;
      } else if (ts.isForOfStatement(n) || ts.isForInStatement(n)) {
        // `for (const signal of ['SIGTERM', 'SIGINT'])`: a literal list that is not empty runs the body at least once.
        condFalse = ts.isForOfStatement(n) && isFilledArrayLiteral(n.expression) ? 0 : head;
        if (ts.isForOfStatement(n) && n.awaitModifier && (head & OPEN)) addTo(inner.throws, n, OPEN);
      }
      const bodyEnd = this.stmt(n.statement, bodyIn, inner);
      let back = bodyEnd;
      for (const j of inner.continues) if (own(j)) back |= j.set;
      if (ts.isDoStatement(n)) {
        const c = this.cond(n.expression, back, inner);
        condFalse = c.f;
        back = c.t;
      }
      if (ts.isForStatement(n) && n.incrementor) back = this.expr(n.incrementor, back, inner);
      if (ts.isForOfStatement(n) && isFilledArrayLiteral(n.expression)) condFalse = back;
      if (createdInside && (back & OPEN)) {
        // Each iteration makes a new one; the previous one is unreachable once the loop comes round.
        for (const j of inner.continues) if (own(j) && (j.set & OPEN)) this.exit(j.node, 'loop', j.set);
        if (bodyEnd & OPEN) this.exit(n.statement, 'loop', bodyEnd);
        back = this.absent(back);
      }
      exit = condFalse;
      for (const j of inner.breaks) if (own(j)) exit |= j.set;
      this.propagate(inner, ab, own, own);
      const next = head | back;
      if (next === head && round > 0) break;
      head = next;
    }
    return exit;
  }

  /**
   * `for await (const line of readline.createInterface({ input: socket }))` with no way out of the loop but its end:
   * the socket is read to its end, and one that Node ends after its 'end' (allowHalfOpen off) is closed then.
   */
  private readsLinesToEnd(n: ts.ForOfStatement): boolean {
    if (!n.awaitModifier || !this.refs.closedBy.has('end')) return false;
    let lines = skipOuter(n.expression);
    if (ts.isIdentifier(lines)) lines = constInitializer(this.oracle.symbolOf(lines)) ?? lines;
    const options = ts.isCallExpression(lines) && calleeName(lines) === 'createInterface' && lines.arguments[0] ? stripParens(lines.arguments[0]) : undefined;
    const input = options && ts.isObjectLiteralExpression(options) ? findProp(options, 'input').value : undefined;
    return !!input && this.refs.isHandle(input) && !findNode(n.statement, (x) => ts.isBreakStatement(x) || ts.isReturnStatement(x) || ts.isThrowStatement(x), true);
  }

  /**
   * `({ statusCode, body } = await request(u))`: the variables of a destructuring assignment are
   * written, not handed anywhere; only default values and the receivers of property targets run.
   */
  protected patternTargets(pattern: ts.ObjectLiteralExpression | ts.ArrayLiteralExpression, s: number, ab: Abrupt): number {
    const target = (t: ts.Expression): number => {
      const x = stripParens(t);
      if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        s = this.expr(x.right, s, ab);
        return target(x.left);
      }
      if (ts.isObjectLiteralExpression(x) || ts.isArrayLiteralExpression(x)) return (s = this.patternTargets(x, s, ab));
      if (ts.isSpreadElement(x)) return target(x.expression);
      return ts.isIdentifier(x) || ts.isOmittedExpression(x) ? s : (s = this.expr(x, s, ab));
    };
    if (ts.isArrayLiteralExpression(pattern)) pattern.elements.forEach(target);
    for (const p of ts.isObjectLiteralExpression(pattern) ? pattern.properties : []) {
      if (ts.isPropertyAssignment(p)) target(p.initializer);
      else if (ts.isShorthandPropertyAssignment(p) && p.objectAssignmentInitializer) s = this.expr(p.objectAssignmentInitializer, s, ab);
      else if (ts.isSpreadAssignment(p)) target(p.expression);
    }
    return s;
  }

  // ---- what the expression half (flow.ts) provides -------------------------------------------

  /** The states after evaluating an expression, its abrupt completions added to `ab`. */
  abstract expr(e: ts.Expression, s: number, ab: Abrupt): number;
  /** Branch on a condition: states where it is truthy, states where it is falsy. */
  protected abstract cond(e: ts.Expression, s: number, ab: Abrupt): { t: number; f: number };
}

/** `['SIGTERM', 'SIGINT']`: an array literal with an element and no spread (which may be empty). */
function isFilledArrayLiteral(e: ts.Expression): boolean {
  const x = stripParens(e);
  return ts.isArrayLiteralExpression(x) && x.elements.length > 0 && !x.elements.some(ts.isSpreadElement);
}
