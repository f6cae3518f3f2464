// A script's top-level loop runs its body once per element, as a function would be called once per
// element: `for (const event of events) { const db = new pg.Client(url); await db.connect(); if (…) continue; … }`
// leaves each pass's client open when the pass ends early, and nothing can reach it afterwards.
// Outside a loop, what a module makes at its top level lives as long as the process, by design.
//
// The path walker follows a resource through a function body. For a connection a pass keeps in a
// `const` or `let` of its own, the pass plays that function: its body is the loop's block, and the
// pass ends at a `continue`, a `break` or the block's end. A failure thrown out of the pass is not
// an exit that leaks: uncaught at the top of a script (a top-level `await` that rejects), it ends
// the process, and every socket with it.
import { ts } from 'ts-morph';
import { calleeName, callsMethodOn, findNode, FnLike } from './ast';
import { ANY_RELEASE } from './kinds';
import { isTestFile } from './execution';

const PASSES = new WeakMap<ts.Block, FnLike>();
const IS_PASS = new WeakSet<object>();

/**
 * The pass of the innermost module-level loop that declares `creation`'s variable in its own block
 * (`const db = new pg.Client(…)`, `let s = await connect(…)`, `const { body } = await request(…)`), or undefined: not in a
 * loop, in a function or a class, or not kept in a variable of the pass.
 */
export function modulePassOf(creation: ts.Node): FnLike | undefined {
  // Also a response's body taken apart at once: `const { statusCode, body } = await request(url, o)`.
  const decl = declarationOf(creation);
  if (!decl || ts.isArrayBindingPattern(decl.name)) return undefined;
  const list = decl.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let)) || !ts.isVariableStatement(list.parent)) return undefined;
  const block = list.parent.parent;
  // Not in a loop's own block: a script's top level, also inside its blocks (`try { const pool = … }`), plays the function.
  if (!ts.isBlock(block) || !isLoop(block.parent) || block.parent.statement !== block) {
    for (let p: ts.Node = block; !ts.isSourceFile(p); p = p.parent) {
      if (isLoop(p) || ts.isFunctionLike(p) || ts.isClassLike(p) || ts.isModuleDeclaration(p)) return undefined;
    }
    const sf = block.getSourceFile();
    const shape = scriptShape(sf);
    // A script written with callbacks (`conn.on('ready', …); conn.connect(o)`) is one only where it closes this connection
    // somewhere: it means to end then, and a path that skips the close leaves it hanging. Not a watcher that never does.
    return shape === 'awaits' || (shape === 'callbacks' && closedSomewhere(sf, (decl.name as ts.Identifier).text)) ? scriptPass(sf) : undefined;
  }
  for (let p: ts.Node = block.parent.parent; !ts.isSourceFile(p); p = p.parent) {
    if (ts.isFunctionLike(p) || ts.isClassLike(p) || ts.isModuleDeclaration(p)) return undefined;
  }
  let pass = PASSES.get(block);
  if (!pass) {
    // The block itself, seen as a function whose body it is: positions, parent and children are the block's.
    pass = Object.create(block, { body: { value: block } }) as FnLike;
    IS_PASS.add(pass);
    PASSES.set(block, pass);
  }
  return pass;
}

/** Is this the pass of a module-level loop (modulePassOf) rather than a function? */
export function isModulePass(fn: object): boolean {
  return IS_PASS.has(fn);
}

const SCRIPT_PASSES = new WeakMap<ts.SourceFile, FnLike>();
const IS_SCRIPT_PASS = new WeakSet<object>();

/** Is this a script's whole top level (modulePassOf), which ends after its last statement? */
export function isScriptPass(fn: object): boolean {
  return IS_SCRIPT_PASS.has(fn);
}

/** The script's top level, seen as a function whose body is the file: its statements are the body's. */
function scriptPass(sf: ts.SourceFile): FnLike {
  let pass = SCRIPT_PASSES.get(sf);
  if (!pass) {
    // Its parent is the file, so that code looking at a function's parent (the call it is given to) finds nothing there.
    pass = Object.create(sf, { body: { value: sf }, parent: { value: sf } }) as FnLike;
    IS_PASS.add(pass);
    IS_SCRIPT_PASS.add(pass);
    SCRIPT_PASSES.set(sf, pass);
  }
  return pass;
}

/** Calls at a top level that keep the process serving: a timer, a server; methods that listen, subscribe, consume or schedule. */
const SERVING_CALLS = new Set(['setInterval', 'createServer']);
const SERVING_METHODS = new Set(['listen', 'subscribe', 'psubscribe', 'consume', 'run', 'process', 'schedule']);

/** Per syntax tree. */
const SCRIPTS = new WeakMap<ts.SourceFile, ScriptShape>();

type ScriptShape = 'awaits' | 'callbacks' | 'none';

/**
 * A command-line script whose top level does its work and ends (a `#!` line, or a file under `scripts/` or `bin/`),
 * with a top-level `await` ('awaits') or with callbacks only ('callbacks'): once its work is done, a connection it
 * left open is all that keeps the process from exiting. Not one that serves (a server, a timer, a consumer, a
 * signal handler at its top level), nor a test file ('none').
 */
function scriptShape(sf: ts.SourceFile): ScriptShape {
  let known = SCRIPTS.get(sf);
  if (known === undefined) SCRIPTS.set(sf, (known = computeScriptShape(sf)));
  return known;
}

function computeScriptShape(sf: ts.SourceFile): ScriptShape {
  if ((!sf.text.startsWith('#!') && !/(^|[\\/])(scripts|bin)[\\/][^\\/]+$/.test(sf.fileName)) || isTestFile(sf)) return 'none';
  let awaits = false;
  let serves = false;
  const visit = (n: ts.Node): void => {
    if (serves || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier)) awaits = true;
    if (ts.isCallExpression(n)) {
      const name = calleeName(n) ?? '';
      const method = ts.isPropertyAccessExpression(n.expression);
      const onProcess = method && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === 'process' && (name === 'on' || name === 'once');
      if (SERVING_CALLS.has(name) || (method && SERVING_METHODS.has(name)) || onProcess) serves = true;
    }
    ts.forEachChild(n, visit);
  };
  sf.statements.forEach(visit);
  return serves ? 'none' : awaits ? 'awaits' : 'callbacks';
}

/**
 * `conn.end()` (or another release) of the top-level variable `name` in the callbacks of the top level (the path walker
 * follows those), not in a function it declares: `main().catch(…)` with `await db.destroy()` in `main` is no such script.
 */
function closedSomewhere(sf: ts.SourceFile, name: string): boolean {
  const inCallbacks = (n: ts.Node) => !ts.findAncestor(n, (a) => ts.isFunctionDeclaration(a) || ts.isMethodDeclaration(a) || ts.isClassLike(a));
  return !!findNode(sf, (n) => callsMethodOn(n, [...ANY_RELEASE], (e) => ts.isIdentifier(e) && e.text === name) && inCallbacks(n));
}

/**
 * The variable declaration whose initializer is `creation`, through parentheses, `await`, `as`, `!` and
 * calls on it (`await new MongoClient(uri).connect()`; the subject finder decides what such a call returns).
 */
function declarationOf(creation: ts.Node): ts.VariableDeclaration | undefined {
  let e = creation;
  for (;;) {
    const p = e.parent;
    if (ts.isParenthesizedExpression(p) || ts.isAwaitExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p)) e = p;
    else if (ts.isPropertyAccessExpression(p) && p.expression === e && ts.isCallExpression(p.parent) && p.parent.expression === p) e = p.parent;
    else break;
  }
  const d = e.parent;
  if (d && ts.isVariableDeclaration(d) && d.initializer === e) return d;
  // `let conn; try { conn = await connect(host) } catch { continue }`: the `let` of the pass it is assigned to.
  const target = d && ts.isBinaryExpression(d) && d.operatorToken.kind === ts.SyntaxKind.EqualsToken && d.right === e && ts.isIdentifier(d.left) ? d.left.text : undefined;
  for (let b: ts.Node | undefined = d; target && b && !ts.isFunctionLike(b) && !ts.isSourceFile(b); b = b.parent) {
    if (!ts.isBlock(b)) continue;
    const declared = b.statements.filter(ts.isVariableStatement).flatMap((st) => [...st.declarationList.declarations])
      .find((x) => ts.isIdentifier(x.name) && x.name.text === target);
    if (declared) return declared.initializer ? undefined : declared;
  }
  return undefined;
}

function isLoop(n: ts.Node): n is ts.IterationStatement {
  return ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isForStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n);
}
