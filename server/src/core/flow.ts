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
import { ts } from 'ts-morph';
import { calleeName, functionOfDeclaration, stripParens, within } from './ast';
import { inTestCode, isProcessExit } from './execution';
import {
  cannotReject, CLOSURE_RUNNERS, isConditionalListener, isContinuation, isRequestOptions, makesNewValue, NON_OWNING_CALLS, nullishTest,
  releasesOnlyOnFulfilment, SubjectRefs, TRANSFER_CALLS,
} from './references';
import { RELEASING_CALLS } from './catalog';
import { FlowOracle, Subject } from './subject';

export const PRE = 1;
export const OPEN = 2;
export const DONE = 4;

/** How a path leaves the resource open; the last two come from fields.ts, not from a path. */
export type ExitKind = 'return' | 'throw' | 'await' | 'end' | 'loop' | 'reassign' | 'discard' | 'overwrite' | 'classNeverCloses';
export interface LeakExit {
  node: ts.Node;
  kind: ExitKind;
  /** Some paths reach this exit with the resource already released: releasing again there is wrong. */
  mixed?: boolean;
}

interface Jump {
  label?: string;
  set: number;
  node: ts.Node;
}

interface Abrupt {
  returns: Map<ts.Node, number>;
  throws: Map<ts.Node, number>;
  breaks: Jump[];
  continues: Jump[];
}

const newAbrupt = (): Abrupt => ({ returns: new Map(), throws: new Map(), breaks: [], continues: [] });
const addTo = (m: Map<ts.Node, number>, n: ts.Node, s: number) => m.set(n, (m.get(n) ?? 0) | s);

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

export class PathWalker {
  private exits = new Map<ts.Node, ExitKind>();
  private mixed = new Set<ts.Node>();
  private sawRelease = false;
  private sawEscape = false;
  private throwsReleased = false;
  private refs: SubjectRefs;
  /** Calls to project helpers that release their argument on every path on which they throw. */
  private releasedOnThrow = new Set<ts.Node>();
  /** Failing a test (`t.fail()`, `assert.fail()`) ends the path: only passing tests matter here. */
  private inTest: boolean;

  /** The function releases the resource itself somewhere: handing it to other code is then a use, not a transfer. */
  private owner: boolean;

  constructor(private subject: Subject, private oracle: FlowOracle) {
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
  private walkFunction(body: ts.Node, start: number): void {
    const ab = newAbrupt();
    if (ts.isBlock(body)) {
      const end = this.block(body.statements, start, ab);
      if (end & OPEN) this.exit(body, 'end', end);
    } else {
      let end = this.expr(body as ts.Expression, start, ab);
      if (this.isBareAlias(body as ts.Expression)) end = this.escape(end);
      if (end & OPEN) this.exit(body, 'return', end);
    }
    for (const [node, s] of ab.returns) if (s & OPEN) this.exit(node, 'return', s);
    for (const [node, s] of ab.throws) if (s & OPEN) this.exit(node, ts.isAwaitExpression(node) || ts.isForOfStatement(node) ? 'await' : 'throw', s);
    if (body === this.subject.fn.body) {
      const thrown = [...ab.throws.values()];
      this.throwsReleased = thrown.length > 0 && thrown.every((s) => !(s & OPEN));
    }
  }

  private exit(node: ts.Node, kind: ExitKind, s: number): void {
    this.exits.set(node, kind);
    if (s & DONE) this.mixed.add(node);
  }

  private isAlias(node: ts.Node): boolean {
    return this.refs.isAlias(node);
  }

  private isBareAlias(node: ts.Expression): boolean {
    return this.refs.isBareAlias(node);
  }

  private release(s: number): number {
    if (!(s & OPEN)) return s;
    this.sawRelease = true;
    return (s & ~OPEN) | DONE;
  }

  private escape(s: number): number {
    if (!(s & OPEN)) return s;
    this.sawEscape = true;
    return (s & ~OPEN) | DONE;
  }

  private absent(s: number): number {
    return s & OPEN ? (s & ~OPEN) | DONE : s;
  }

  private containsCreation(node: ts.Node): boolean {
    const c = this.subject.creation;
    return !!c && within(c, node);
  }

  /** Nothing in `node` can change the state: no creation inside, and nothing open. */
  private inert(node: ts.Node, s: number): boolean {
    return !(s & OPEN) && !((s & PRE) && this.containsCreation(node));
  }

  // ---- statements -------------------------------------------------------------------------

  private block(stmts: ts.NodeArray<ts.Statement> | ts.Statement[], s: number, ab: Abrupt): number {
    for (const st of stmts) {
      if (!s) return 0;
      s = this.stmt(st, s, ab);
    }
    return s;
  }

  private stmt(node: ts.Statement, s: number, ab: Abrupt, label?: string): number {
    this.oracle.tick();
    if (this.inert(node, s)) return s;
    switch (node.kind) {
      case ts.SyntaxKind.Block:
        return this.block((node as ts.Block).statements, s, ab);
      case ts.SyntaxKind.ExpressionStatement:
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
          if (this.isBareAlias(n.expression)) s = this.escape(s);
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

  private varList(list: ts.VariableDeclarationList, s: number, ab: Abrupt): number {
    const using = (list.flags & ts.NodeFlags.Using) !== 0; // covers `await using` too
    for (const d of list.declarations) {
      if (!d.initializer) continue;
      s = this.expr(d.initializer, s, ab);
      if (using && (this.isBareAlias(d.initializer) || this.containsCreation(d.initializer))) s = this.release(s);
    }
    return s;
  }

  private tryStmt(n: ts.TryStatement, s: number, ab: Abrupt): number {
    const inner = newAbrupt();
    let normal = this.block(n.tryBlock.statements, s, inner);
    if (n.catchClause) {
      let thrown = 0;
      for (const v of inner.throws.values()) thrown |= v;
      inner.throws.clear();
      if (thrown) normal |= this.block(n.catchClause.block.statements, thrown, inner);
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

  /** Move abrupt completions from an inner scope outwards, except the jumps the scope itself consumes. */
  private propagate(from: Abrupt, to: Abrupt, ownBreak: (j: Jump) => boolean, ownContinue: (j: Jump) => boolean) {
    for (const [n, x] of from.returns) addTo(to.returns, n, x);
    for (const [n, x] of from.throws) addTo(to.throws, n, x);
    for (const j of from.breaks) if (!ownBreak(j)) to.breaks.push(j);
    for (const j of from.continues) if (!ownContinue(j)) to.continues.push(j);
  }

  private switchStmt(n: ts.SwitchStatement, s: number, ab: Abrupt): number {
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

  private loop(n: ts.IterationStatement, s: number, ab: Abrupt, label?: string): number {
    const own = (j: Jump) => !j.label || j.label === label;
    const createdInside = this.containsCreation(n);
    let init = s;
    if (ts.isForStatement(n) && n.initializer) {
      init = ts.isVariableDeclarationList(n.initializer) ? this.varList(n.initializer, s, ab) : this.expr(n.initializer, s, ab);
    }
    if ((ts.isForOfStatement(n) || ts.isForInStatement(n))) {
      init = this.expr(n.expression, init, ab);
      if (ts.isForOfStatement(n) && this.refs.isHandle(n.expression)) init = this.release(init);
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
        condFalse = head;
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

  // ---- expressions ------------------------------------------------------------------------

  /** Branch on a condition: states where it is truthy, states where it is falsy. */
  private cond(e: ts.Expression, s: number, ab: Abrupt): { t: number; f: number } {
    e = stripParens(e);
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
      const c = this.cond(e.operand, s, ab);
      return { t: c.f, f: c.t };
    }
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
        const a = this.cond(e.left, s, ab);
        const b = this.cond(e.right, a.t, ab);
        return { t: b.t, f: a.f | b.f };
      }
      if (op === ts.SyntaxKind.BarBarToken) {
        const a = this.cond(e.left, s, ab);
        const b = this.cond(e.right, a.f, ab);
        return { t: a.t | b.t, f: b.f };
      }
      const nullish = nullishTest(e);
      if (nullish && this.isAlias(stripParens(nullish.operand))) {
        return nullish.isNull ? { t: this.absent(s), f: s } : { t: s, f: this.absent(s) };
      }
    }
    if (this.isAlias(e)) return { t: s, f: this.absent(s) };
    if (e.kind === ts.SyntaxKind.TrueKeyword) return { t: this.expr(e, s, ab), f: 0 };
    const closed = this.refs.closedStateTest(e) ?? this.refs.noBodyStatusTest(e);
    if (closed !== undefined) return closed ? { t: this.absent(s), f: s } : { t: s, f: this.absent(s) };
    if (ts.isIdentifier(e) && this.subject.errorParams.size) {
      const sym = this.oracle.symbolOf(e);
      if (sym && this.subject.errorParams.has(sym)) return { t: this.absent(s), f: s };
    }
    const v = this.expr(e, s, ab);
    return { t: v, f: v };
  }

  expr(e: ts.Expression, s: number, ab: Abrupt): number {
    if (this.inert(e, s)) return s;
    switch (e.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.SpreadElement:
      case ts.SyntaxKind.TypeOfExpression:
      case ts.SyntaxKind.VoidExpression:
      case ts.SyntaxKind.DeleteExpression:
        return this.expr((e as ts.ParenthesizedExpression).expression, s, ab);
      case ts.SyntaxKind.AwaitExpression: {
        const operand = (e as ts.AwaitExpression).expression;
        s = this.expr(operand, s, ab);
        if ((s & OPEN) && !this.containsCreation(operand) && !this.refs.isConnectStep(operand) && !cannotReject(operand) &&
            !this.releasedOnThrow.has(stripParens(operand))) {
          addTo(ab.throws, e, OPEN);
        }
        return s;
      }
      case ts.SyntaxKind.CallExpression:
        return this.call(e as ts.CallExpression, s, ab);
      case ts.SyntaxKind.NewExpression: {
        const n = e as ts.NewExpression;
        s = this.expr(n.expression, s, ab);
        s = this.args(n, n.arguments ?? [], s, ab);
        return e === this.subject.creation ? this.created(n, s) : s;
      }
      case ts.SyntaxKind.BinaryExpression:
        return this.binary(e as ts.BinaryExpression, s, ab);
      case ts.SyntaxKind.ConditionalExpression: {
        const n = e as ts.ConditionalExpression;
        const c = this.cond(n.condition, s, ab);
        return this.expr(n.whenTrue, c.t, ab) | this.expr(n.whenFalse, c.f, ab);
      }
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ArrowFunction:
        return this.closure(e as ts.FunctionLikeDeclaration, undefined, s);
      case ts.SyntaxKind.ClassExpression:
        return s;
      case ts.SyntaxKind.PrefixUnaryExpression:
      case ts.SyntaxKind.PostfixUnaryExpression:
        return this.expr((e as ts.PrefixUnaryExpression).operand, s, ab);
      case ts.SyntaxKind.PropertyAccessExpression:
        return this.expr((e as ts.PropertyAccessExpression).expression, s, ab);
      case ts.SyntaxKind.ElementAccessExpression: {
        const n = e as ts.ElementAccessExpression;
        return this.expr(n.argumentExpression, this.expr(n.expression, s, ab), ab);
      }
      case ts.SyntaxKind.ObjectLiteralExpression: {
        const usesAgent = this.subject.kind === 'agent' && isRequestOptions(e as ts.ObjectLiteralExpression);
        for (const p of (e as ts.ObjectLiteralExpression).properties) {
          if (ts.isPropertyAssignment(p)) {
            s = this.expr(p.initializer, s, ab);
            if (!usesAgent && this.isBareAlias(p.initializer)) s = this.escape(s);
          } else if (ts.isShorthandPropertyAssignment(p)) {
            if (!usesAgent && this.isAlias(p.name)) s = this.escape(s);
          } else if (ts.isSpreadAssignment(p)) {
            s = this.expr(p.expression, s, ab);
          } else if (ts.isMethodDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) {
            s = this.closure(p, undefined, s);
          }
        }
        return s;
      }
      case ts.SyntaxKind.ArrayLiteralExpression: {
        for (const el of (e as ts.ArrayLiteralExpression).elements) {
          s = this.expr(el, s, ab);
          if (this.isBareAlias(ts.isSpreadElement(el) ? el.expression : el)) s = this.escape(s);
        }
        return s;
      }
      case ts.SyntaxKind.YieldExpression: {
        const n = e as ts.YieldExpression;
        if (!n.expression) return s;
        s = this.expr(n.expression, s, ab);
        return this.isBareAlias(n.expression) ? this.escape(s) : s;
      }
      default:
        return this.children(e, s, ab);
    }
  }

  /** The expressions inside any other node, in order, looking through template spans and the like. */
  private children(node: ts.Node, s: number, ab: Abrupt): number {
    ts.forEachChild(node, (child) => {
      if (ts.isExpression(child)) s = this.expr(child, s, ab);
      else if (!ts.isFunctionLike(child) && !ts.isClassLike(child) && !ts.isTypeNode(child)) s = this.children(child, s, ab);
    });
    return s;
  }

  private binary(n: ts.BinaryExpression, s: number, ab: Abrupt): number {
    const op = n.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
      const c = this.cond(n, s, ab);
      return c.t | c.f;
    }
    if (op === ts.SyntaxKind.QuestionQuestionToken) {
      const l = this.expr(n.left, s, ab);
      return l | this.expr(n.right, l, ab);
    }
    if (op === ts.SyntaxKind.EqualsToken) {
      s = this.expr(n.right, s, ab);
      const left = stripParens(n.left);
      if (this.isBareAlias(n.right)) {
        if (!ts.isIdentifier(left) || !this.declaredInside(left)) s = this.escape(s);
      } else if (this.isAlias(left) && (s & OPEN) && !this.containsCreation(n.right) && this.subject.aliases.size === 1 &&
          makesNewValue(n.right)) {
        this.exits.set(n, 'reassign');
        s = this.absent(s);
      }
      if (!ts.isIdentifier(left)) s = this.expr(left, s, ab);
      return s;
    }
    return this.expr(n.right, this.expr(n.left, s, ab), ab);
  }

  private declaredInside(id: ts.Identifier): boolean {
    const decl = this.oracle.symbolOf(id)?.declarations?.[0];
    const fn = this.subject.fn;
    return !!decl && decl.pos >= fn.pos && decl.end <= fn.end;
  }

  private call(n: ts.CallExpression, s: number, ab: Abrupt): number {
    const callee = stripParens(n.expression);
    let onHandle = false;
    if (ts.isPropertyAccessExpression(callee)) {
      s = this.expr(callee.expression, s, ab);
      onHandle = this.refs.isHandle(callee.expression);
    } else {
      s = this.expr(callee, s, ab);
    }
    s = this.args(n, n.arguments, s, ab, onHandle);
    if (n === this.subject.creation) return this.created(n, s);
    // Nothing runs after these; a failed assertion in a test is a failing test, not a leak.
    if (isProcessExit(n) || (this.inTest && calleeName(n) === 'fail')) return 0;
    if (!(s & OPEN)) return s;
    if (this.refs.releasesHere(n)) return this.release(s);
    if (this.refs.assertsNoBody(n)) return this.absent(s);
    if (onHandle) return s;
    if (ts.isIdentifier(callee) && !n.arguments.some((a) => this.isBareAlias(a))) {
      if (this.oracle.releasesCaptured(n, this.subject)) return this.release(s);
    }
    return s;
  }

  /** The resource opens; callbacks given to its creator (`net.connect(opts, onConnect)`) run while it is open. */
  private created(n: ts.CallExpression | ts.NewExpression, s: number): number {
    // Every path through here holds a new one, whatever became of the previous iteration's.
    s = s ? OPEN : 0;
    if (this.registeredBefore(n)) return this.release(s);
    for (const a of n.arguments ?? []) {
      const fnNode = this.localFunction(a);
      if (fnNode) s = this.closure(fnNode, n, s, true);
    }
    return s;
  }

  /**
   * A closure that releases the resource was handed to other code before the resource existed
   * (`server.ext('onRequest', () => client.destroy())` then `const client = net.connect(…)`): that
   * code runs it later, while the resource is open.
   */
  private registeredBefore(creation: ts.Node): boolean {
    const body = this.subject.fn.body;
    if (!body) return false;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found || n.pos >= creation.pos) return;
      if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && n.end <= creation.pos) {
        for (const a of n.arguments ?? []) {
          const named = this.localFunction(a);
          if (named && !ts.isFunctionDeclaration(named) && this.releasingFunction(named)) found = true;
          // `server.state('x', { autoValue() { client.destroy(); } })`: a method of an options object.
          else if (ts.isObjectLiteralExpression(stripParens(a)) && this.hasReleasingFunction(a)) found = true;
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    return found;
  }

  private releasingFunction(fn: ts.FunctionLikeDeclaration): boolean {
    return !!fn.body && this.refs.refersToAlias(fn.body) && this.refs.closureReleases(fn.body);
  }

  private hasReleasingFunction(node: ts.Node): boolean {
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
  private localFunction(a: ts.Expression): ts.FunctionLikeDeclaration | undefined {
    const arg = stripParens(a);
    if (ts.isFunctionExpression(arg) || ts.isArrowFunction(arg)) return arg;
    if (!ts.isIdentifier(arg) || this.isAlias(arg)) return undefined;
    const decl = this.oracle.symbolOf(arg)?.declarations?.[0];
    const fnNode = decl && functionOfDeclaration(decl);
    return fnNode && within(fnNode, this.subject.fn) ? fnNode : undefined;
  }

  /** Arguments: a resource handed to another function, and closures that release or capture it. */
  private args(call: ts.CallExpression | ts.NewExpression, args: readonly ts.Expression[], s: number, ab: Abrupt, onHandle = false): number {
    const name = calleeName(call);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const fnNode = this.localFunction(a);
      if (fnNode) {
        s = this.closure(fnNode, call, s, onHandle);
        continue;
      }
      s = this.expr(a, s, ab);
      if (!(s & OPEN) || onHandle || !this.isBareAlias(a)) continue;
      const summary = this.oracle.releasesParam(call, i, this.subject);
      if (summary === undefined) {
        if (name && (RELEASING_CALLS.has(name) || this.refs.consumesArgument(call))) s = this.release(s);
        else if (name && NON_OWNING_CALLS.has(name)) continue;
        else if (!this.owner || ts.isNewExpression(call) || (name && TRANSFER_CALLS.has(name))) s = this.escape(s);
        continue;
      }
      if (summary.throwsReleased) this.releasedOnThrow.add(call);
      if (summary.kind === 'releases') s = this.release(s);
      // Kept on some paths: the caller cannot tell who owns it now.
      else if (summary.kind === 'keepsSometimes') s = this.escape(s);
    }
    return s;
  }

  /** A closure created while the resource is open: releasing or handing it on inside counts. */
  private closure(fn: ts.FunctionLikeDeclaration | ts.MethodDeclaration | ts.AccessorDeclaration, call: ts.CallExpression | ts.NewExpression | undefined, s: number, onHandle = false): number {
    if (!(s & OPEN) || !fn.body || !this.refs.refersToAlias(fn.body)) return s;
    // A close in an 'error' or 'timeout' listener runs only if that happens: on the normal path the
    // resource is still open, and nothing was handed over.
    if (call && isConditionalListener(call)) return s;
    if (this.refs.closureReleases(fn.body)) {
      // `client.query(sql, (err, r) => { …; done(); })`: the callback continues this function's work
      // once, so its paths are this resource's paths (the classic `if (err) return cb(err)` before `done()`).
      // Not for a server or pool: a close in one of their callbacks is a plan to close them some day.
      if (onHandle && call && isContinuation(call) && !this.subject.longLived) {
        this.walkFunction(fn.body, OPEN);
        return this.release(s);
      }
      if (call && releasesOnlyOnFulfilment(call)) {
        this.sawRelease = true;
        return s | DONE;
      }
      return this.release(s);
    }
    if (!call || onHandle) return s;
    const name = calleeName(call);
    if (name && CLOSURE_RUNNERS.has(name)) return s;
    if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && this.refs.isHandle(call.expression.expression)) return s;
    // Captured by something outside the function (a route handler, a returned API): it now lives there,
    // unless this function closes it itself.
    return this.owner ? s : this.escape(s);
  }
}
