// A small path enumerator for the generated functions, independent of the analyzer: it never runs
// the code; it walks the syntax tree, taking every branch of every condition, 0 to 2 iterations of
// every loop, every `switch` entry, and both outcomes of every `await` (it may reject), and records
// for each path the statements that ran (in order) and what happened to the resource: created,
// released, released twice, released while unset, used after its release, still open at the exit.
// A safe fix must leave the same statement sequences (the release aside) and release on every exit.
import { ts } from 'ts-morph';
import { Unit } from './generate';

const MAX_ITERATIONS = 2;
const MAX_PATHS = 4000;

interface State {
  seq: string[];
  open: number;
  created: boolean;
  absent: boolean;
  released: boolean;
  double: number;
  crash: number;
  useAfter: number;
  escaped: boolean;
  loopLeak: number;
}

type Completion = { t: 'normal' | 'return' | 'throw' } | { t: 'break' | 'continue'; label?: string };
type Outcome = [State, Completion];

export interface PathSummary {
  key: string;
  open: number;
  double: number;
  crash: number;
  useAfter: number;
  escaped: boolean;
  loopLeak: number;
}

export class TooManyPaths extends Error {}

const NORMAL: Completion = { t: 'normal' };
const copy = (s: State): State => ({ ...s, seq: [...s.seq] });
const norm = (text: string) => text.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim();

/** The function of `unit` that holds the resource, in a parse of `text`. */
export function subjectFunction(sf: ts.SourceFile, unit: Unit): ts.FunctionLikeDeclaration | undefined {
  const top = sf.statements.find((st) => declaredName(st) === unit.name);
  if (!top) return undefined;
  const at = sf.text.indexOf(unit.creation, top.getStart(sf));
  if (at < 0 || at >= top.end) return undefined;
  // The innermost function around the creation (for a callback: the callback handed to it).
  let fn: ts.FunctionLikeDeclaration | undefined = ts.isFunctionDeclaration(top) && top.body ? top : undefined;
  let n: ts.Node = top;
  for (;;) {
    const child: ts.Node | undefined = n.getChildren(sf).find((c) => c.getStart(sf) <= at && at < c.end);
    if (!child) break;
    n = child;
    if (unit.callback && ts.isCallExpression(n) && n.getStart(sf) === at) {
      return n.arguments.find((a): a is ts.ArrowFunction | ts.FunctionExpression => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
    }
    if (ts.isFunctionLike(n) && 'body' in n && n.body) fn = n as ts.FunctionLikeDeclaration;
    if (!unit.callback && n.getStart(sf) === at && n.end === at + unit.creation.length) break;
  }
  return unit.callback ? undefined : fn;
}

export function declaredName(st: ts.Statement): string | undefined {
  if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) return st.name.text;
  if (ts.isVariableStatement(st)) {
    const d = st.declarationList.declarations[0];
    if (d && ts.isIdentifier(d.name)) return d.name.text;
  }
  return undefined;
}

export function enumeratePaths(fn: ts.FunctionLikeDeclaration, unit: Unit): PathSummary[] {
  return new Walker(fn, unit).run();
}

class Walker {
  private count = 0;
  private sf: ts.SourceFile;
  private errParam: string | undefined;
  private useRe: RegExp;

  constructor(private fn: ts.FunctionLikeDeclaration, private unit: Unit) {
    this.sf = fn.getSourceFile();
    this.useRe = new RegExp(`(^|[^\\w$.])${unit.resource}([^\\w$]|$)`);
    const first = fn.parameters[0];
    if (unit.callback && first && ts.isIdentifier(first.name)) this.errParam = first.name.text;
  }

  run(): PathSummary[] {
    const start: State = { seq: [], open: 0, created: false, absent: false, released: false, double: 0, crash: 0, useAfter: 0, escaped: false, loopLeak: 0 };
    if (this.unit.callback) { start.open = 1; start.created = true; }
    const body = this.fn.body!;
    const outs = ts.isBlock(body) ? this.block(body.statements, start) : this.returnExpr(body as ts.Expression, start);
    return outs.map(([s, c]) => ({
      key: [...s.seq, `exit:${c.t}`].join('\n'), open: s.open, double: s.double, crash: s.crash, useAfter: s.useAfter, escaped: s.escaped, loopLeak: s.loopLeak,
    }));
  }

  private text(n: ts.Node): string {
    const t = norm(n.getText(this.sf));
    // `await using r = …` is the declaration it replaced, as far as the order of statements goes.
    return ts.isVariableStatement(n) ? t.replace(/^(await using|using) /, 'const ') : t;
  }

  private guard(outs: Outcome[]): Outcome[] {
    this.count += outs.length;
    if (this.count > MAX_PATHS * 50 || outs.length > MAX_PATHS) throw new TooManyPaths();
    return outs;
  }

  private block(stmts: readonly ts.Statement[], s: State): Outcome[] {
    let outs: Outcome[] = [[s, NORMAL]];
    for (let i = 0; i < stmts.length; i++) {
      const st = stmts[i];
      outs = this.guard(outs.flatMap(([x, c]) => (c.t === 'normal' ? this.stmt(st, x) : [[x, c] as Outcome])));
      if (this.isUsingOfResource(st)) {
        // `await using r = …`: disposed (released) when the block is left, whichever way.
        const rest = stmts.slice(i + 1);
        return this.guard(outs.flatMap(([x, c]) => (c.t === 'normal' ? this.block(rest, x) : [[x, c] as Outcome]))
          .map(([x, c]) => [x.open > 0 ? { ...copy(x), open: x.open - 1, released: true } : x, c]));
      }
    }
    return outs;
  }

  private isUsingOfResource(st: ts.Statement): boolean {
    return ts.isVariableStatement(st) && (st.declarationList.flags & ts.NodeFlags.Using) !== 0 &&
      st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === this.unit.resource);
  }

  private stmt(st: ts.Statement, s: State, label?: string): Outcome[] {
    if (ts.isBlock(st)) return this.block(st.statements, s);
    if (ts.isFunctionDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEmptyStatement(st)) return [[s, NORMAL]];
    if (ts.isIfStatement(st)) return this.ifStmt(st, s);
    if (ts.isReturnStatement(st)) return this.leaf(st, st.expression, s, { t: 'return' });
    if (ts.isThrowStatement(st)) return this.leaf(st, st.expression, s, { t: 'throw' });
    if (ts.isBreakStatement(st)) return [[this.event(s, st), { t: 'break', label: st.label?.text }]];
    if (ts.isContinueStatement(st)) return [[this.event(s, st), { t: 'continue', label: st.label?.text }]];
    if (ts.isTryStatement(st)) return this.tryStmt(st, s);
    if (ts.isLabeledStatement(st)) {
      return this.stmt(st.statement, s, st.label.text).map(([x, c]) => (c.t === 'break' && c.label === st.label.text ? [x, NORMAL] : [x, c]));
    }
    if (ts.isSwitchStatement(st)) return this.switchStmt(st, s);
    if (ts.isForOfStatement(st) || ts.isForInStatement(st) || ts.isWhileStatement(st) || ts.isDoStatement(st) || ts.isForStatement(st)) {
      return this.loop(st, s, label);
    }
    if (ts.isExpressionStatement(st)) return this.leaf(st, st.expression, s, NORMAL);
    if (ts.isVariableStatement(st)) {
      let outs: Array<[State, boolean]> = [[s, true]];
      for (const d of st.declarationList.declarations) {
        if (!d.initializer) continue;
        outs = outs.flatMap(([x, ok]) => (ok ? this.expr(d.initializer!, x) : [[x, ok] as [State, boolean]]));
      }
      return outs.map(([x, ok]) => (ok ? [this.event(x, st), NORMAL] : [x, { t: 'throw' }]));
    }
    // Class declarations (a static block runs here) and anything else: one opaque step.
    return [[this.event(s, st), NORMAL]];
  }

  /** A statement that evaluates one expression and completes with `done`. */
  private leaf(st: ts.Statement, e: ts.Expression | undefined, s: State, done: Completion): Outcome[] {
    const evaluated: Array<[State, boolean]> = e ? this.expr(e, s) : [[s, true]];
    const releaseOnly = ts.isExpressionStatement(st) && this.isRelease(st.expression);
    return evaluated.map(([x, ok]) => (ok ? [releaseOnly ? x : this.event(x, st), done] : [x, { t: 'throw' }]));
  }

  private returnExpr(e: ts.Expression, s: State): Outcome[] {
    return this.expr(e, s).map(([x, ok]) => {
      if (!ok) return [x, { t: 'throw' }] as Outcome;
      const y = copy(x);
      y.seq.push(`stmt:return ${this.text(e)}`);
      return [y, { t: 'return' }] as Outcome;
    });
  }

  /** Record that a statement ran; a statement naming the resource after its release is a use after release. */
  private event(s: State, st: ts.Node): State {
    const x = copy(s);
    const text = this.text(st);
    x.seq.push(`stmt:${text}`);
    if (x.released && x.open === 0 && this.useRe.test(text)) x.useAfter++;
    return x;
  }

  private ifStmt(st: ts.IfStatement, s: State): Outcome[] {
    // `if (r) pool.release(r)`: a guarded release is a release, not a branch of the program.
    if (ts.isIdentifier(st.expression) && st.expression.text === this.unit.resource && !st.elseStatement && this.isReleaseStmt(st.thenStatement)) {
      return this.stmt(st.thenStatement, s).map(([x, c]) => [x, c]);
    }
    const cond = this.text(st.expression);
    return this.expr(st.expression, s).flatMap(([x, ok]): Outcome[] => {
      if (!ok) return [[x, { t: 'throw' }]];
      const t = copy(x);
      t.seq.push(`cond:${cond}:T`);
      if (this.errParam && cond === this.errParam) { t.open = 0; t.absent = true; }
      const f = copy(x);
      f.seq.push(`cond:${cond}:F`);
      return [...this.stmt(st.thenStatement, t), ...(st.elseStatement ? this.stmt(st.elseStatement, f) : [[f, NORMAL] as Outcome])];
    });
  }

  private isReleaseStmt(st: ts.Statement): boolean {
    if (ts.isBlock(st)) return st.statements.length === 1 && this.isReleaseStmt(st.statements[0]);
    return ts.isExpressionStatement(st) && this.isRelease(st.expression);
  }

  private tryStmt(st: ts.TryStatement, s: State): Outcome[] {
    let outs = this.block(st.tryBlock.statements, s);
    if (st.catchClause) {
      const cb = st.catchClause.block;
      outs = outs.flatMap(([x, c]) => (c.t === 'throw' ? this.block(cb.statements, x) : [[x, c] as Outcome]));
    }
    if (st.finallyBlock) {
      const fb = st.finallyBlock;
      outs = outs.flatMap(([x, c]) => this.block(fb.statements, x).map(([y, d]) => (d.t === 'normal' ? [y, c] : [y, d]) as Outcome));
    }
    return this.guard(outs);
  }

  private switchStmt(st: ts.SwitchStatement, s: State): Outcome[] {
    const clauses = st.caseBlock.clauses;
    const entries = clauses.map((_, i) => i);
    if (!clauses.some(ts.isDefaultClause)) entries.push(clauses.length);
    return this.expr(st.expression, s).flatMap(([x, ok]): Outcome[] => {
      if (!ok) return [[x, { t: 'throw' }]];
      return entries.flatMap((entry) => {
        const y = copy(x);
        y.seq.push(`case:${entry >= clauses.length ? 'none' : ts.isCaseClause(clauses[entry]) ? this.text((clauses[entry] as ts.CaseClause).expression) : 'default'}`);
        const rest = clauses.slice(entry).flatMap((c) => [...c.statements]);
        return this.block(rest, y).map(([z, c]) => (c.t === 'break' && !c.label ? [z, NORMAL] : [z, c]) as Outcome);
      });
    });
  }

  private loop(st: ts.IterationStatement, s: State, label?: string): Outcome[] {
    const head = norm(st.getText(this.sf).slice(0, st.statement.getStart(this.sf) - st.getStart(this.sf)));
    const own = (c: Completion) => (c.t === 'break' || c.t === 'continue') && (!c.label || c.label === label);
    const hasCond = ts.isWhileStatement(st) || (ts.isForStatement(st) && st.condition);
    const isAwait = ts.isForOfStatement(st) && !!st.awaitModifier;
    const out: Outcome[] = [];
    let init: Array<[State, boolean]> = [[s, true]];
    if (ts.isForOfStatement(st) || ts.isForInStatement(st)) init = this.expr(st.expression, s);
    const iterate = (x: State, i: number): void => {
      // Stop here (no more items, or the condition is false), or run the body once more.
      const stop = copy(x);
      stop.seq.push(`loop:${head}:done`);
      if (isAwait && i === 0) {
        const rej = copy(x);
        rej.seq.push(`loop:${head}:rejects`);
        out.push([rej, { t: 'throw' }]);
      }
      out.push([stop, NORMAL]);
      if (i >= MAX_ITERATIONS) return;
      const go = copy(x);
      go.seq.push(`loop:${head}:${hasCond ? 'T' : 'next'}`);
      for (const [y, c] of this.stmt(st.statement, go)) {
        if (c.t === 'normal' || (c.t === 'continue' && own(c))) iterate(y, i + 1);
        else if (c.t === 'break' && own(c)) out.push([y, NORMAL]);
        else out.push([y, c]);
      }
      this.guard(out);
    };
    for (const [x, ok] of init) {
      if (!ok) out.push([x, { t: 'throw' }]);
      else if (ts.isDoStatement(st)) {
        for (const [y, c] of this.stmt(st.statement, x)) {
          if (c.t === 'normal' || (c.t === 'continue' && own(c))) iterate(y, 1);
          else if (c.t === 'break' && own(c)) out.push([y, NORMAL]);
          else out.push([y, c]);
        }
      } else iterate(x, 0);
    }
    return this.guard(out);
  }

  // ---- expressions: only their effects on the resource, in evaluation order ----------------------

  /** [state, completed normally] for each way the expression can go. */
  private expr(e: ts.Expression, s: State): Array<[State, boolean]> {
    let outs: Array<[State, boolean]> = [[s, true]];
    const step = (f: (x: State) => Array<[State, boolean]>) => {
      outs = outs.flatMap(([x, ok]) => (ok ? f(x) : [[x, ok] as [State, boolean]]));
    };
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n) || ts.isClassLike(n)) {
        // Runs later, or never: opaque. One that releases the resource takes over its release.
        if (this.containsRelease(n)) step((x) => [[{ ...copy(x), escaped: true }, true]]);
        return;
      }
      const isCreation = !this.unit.callback && ts.isExpression(n) && n.getText(this.sf) === this.unit.creation;
      if (isCreation && ts.isAwaitExpression(n)) {
        ts.forEachChild(n.expression, visit);
        step((x) => [this.rejected(x, n), [this.create(x), true]]);
        return;
      }
      ts.forEachChild(n, visit);
      if (isCreation) step((x) => [[this.create(x), true]]);
      else if (ts.isCallExpression(n) && this.isReleaseCall(n)) step((x) => [[this.release(x, n), true]]);
      else if (ts.isCallExpression(n) && n.expression.getText(this.sf) === 'p.keep') step((x) => [[{ ...copy(x), escaped: true }, true]]);
      else if (ts.isAwaitExpression(n) && !this.cannotReject(n)) {
        // The resource's own connect step: when it rejects, nothing was opened (the analyzer's rule too). A promise
        // rejected only by a socket's own 'error' rejects once the socket has failed, which destroys it.
        const connect = this.isConnectStep(n.expression) || this.rejectsOnOwnError(n.expression);
        step((x) => {
          const [y, ok] = this.rejected(x, n);
          if (connect) { y.open = 0; y.absent = true; }
          return [[y, ok], [x, true]];
        });
      }
    };
    visit(e);
    return outs;
  }

  private rejected(x: State, n: ts.AwaitExpression): [State, boolean] {
    const y = copy(x);
    y.seq.push(`rejects:${this.text(n)}`);
    return [y, false];
  }

  /** A release's own promise, and `p.catch(…)`, are not modelled as rejecting. */
  private cannotReject(n: ts.AwaitExpression): boolean {
    const op = n.expression;
    if (ts.isCallExpression(op) && this.isReleaseCall(op)) return true;
    return ts.isCallExpression(op) && ts.isPropertyAccessExpression(op.expression) && op.expression.name.text === 'catch';
  }

  /** `new Promise((resolve, reject) => { r.once('data', resolve); r.once('error', reject); })` of a socket or a WebSocket. */
  private rejectsOnOwnError(e: ts.Expression): boolean {
    if (!ts.isNewExpression(e) || !['net', 'tls', 'ws'].includes(this.unit.kind.id)) return false;
    const text = e.getText(this.sf);
    return text.includes(`${this.unit.resource}.once('error', reject)`) && (text.match(/\breject\b/g) ?? []).length === 2;
  }

  /** `await r.connect()`, or a promise that waits for its `'open'`/`'connect'`/`'ready'` event. */
  private isConnectStep(e: ts.Expression): boolean {
    const r = this.unit.resource;
    const text = e.getText(this.sf);
    if (new RegExp(`^${r}\\.(connect|listen|ready|open|start|login)\\(`).test(text)) return true;
    return ts.isNewExpression(e) && new RegExp(`${r}\\.(on|once|addListener|prependListener|prependOnceListener)\\('(open|connect|ready|secureConnect|listening|upgrade|online)'`).test(text);
  }

  private create(x: State): State {
    const y = copy(x);
    if (y.open > 0) y.loopLeak++;
    y.open = 1;
    y.created = true;
    y.released = false;
    y.absent = false;
    return y;
  }

  private release(x: State, call: ts.CallExpression): State {
    const y = copy(x);
    const optional = /\?\./.test(call.expression.getText(this.sf)) || ts.isIdentifier(call.expression);
    if (y.open > 0) { y.open--; y.released = true; } else if (!y.created) { if (!optional) y.crash++; } else if (!y.absent) y.double++;
    return y;
  }

  private containsRelease(n: ts.Node): boolean {
    if (ts.isCallExpression(n) && this.isReleaseCall(n)) return true;
    return ts.forEachChild(n, (c) => (this.containsRelease(c) ? true : undefined)) === true;
  }

  private isRelease(e: ts.Expression): boolean {
    let x = e;
    while (ts.isAwaitExpression(x) || ts.isVoidExpression(x) || ts.isParenthesizedExpression(x)) x = x.expression;
    return ts.isCallExpression(x) && this.isReleaseCall(x);
  }

  private isReleaseCall(call: ts.CallExpression): boolean {
    const callee = call.expression;
    if (ts.isIdentifier(callee)) return this.unit.callback && callee.text === 'done';
    if (!ts.isPropertyAccessExpression(callee) || !this.unit.kind.releases.includes(callee.name.text)) return false;
    let root: ts.Expression = callee.expression;
    while (ts.isPropertyAccessExpression(root) || ts.isNonNullExpression(root)) root = root.expression;
    return ts.isIdentifier(root) && root.text === this.unit.resource;
  }
}

export interface BehaviourProblem {
  reason: 'order' | 'not-released' | 'released-twice' | 'release-of-unset' | 'use-after-release' | 'loop-leak';
  path: string;
}

/**
 * Compare the paths of a function before and after a fix. `leakFix`: the fix is for a leak finding,
 * so every path must end with the resource released (or handed over).
 */
export function compareBehaviour(before: PathSummary[], after: PathSummary[], leakFix: boolean, idempotent: boolean): BehaviourProblem | undefined {
  const byKey = new Map<string, PathSummary[]>();
  for (const p of before) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p]);
  const afterKeys = new Set(after.map((p) => p.key));
  for (const k of byKey.keys()) if (!afterKeys.has(k)) return { reason: 'order', path: `a path of the original is gone:\n${k}` };
  for (const p of after) {
    const orig = byKey.get(p.key);
    if (!orig) return { reason: 'order', path: `a path the original does not have:\n${p.key}` };
    const max = (f: (q: PathSummary) => number) => Math.max(...orig.map(f));
    if (p.crash > max((q) => q.crash)) return { reason: 'release-of-unset', path: p.key };
    if (p.useAfter > max((q) => q.useAfter)) return { reason: 'use-after-release', path: p.key };
    if (!idempotent && p.double > max((q) => q.double)) return { reason: 'released-twice', path: p.key };
    if (leakFix && !p.escaped && p.open > 0) return { reason: 'not-released', path: p.key };
    if (leakFix && !p.escaped && p.loopLeak > 0) return { reason: 'loop-leak', path: p.key };
  }
  return undefined;
}
