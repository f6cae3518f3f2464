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
import { FnLike } from './ast';

const PASSES = new WeakMap<ts.Block, FnLike>();
const IS_PASS = new WeakSet<object>();

/**
 * The pass of the innermost module-level loop that declares `creation`'s variable in its own block
 * (`const db = new pg.Client(…)`, `let s = await connect(…)`), or undefined: not in a loop, in a
 * function or a class, or not kept in a variable of the pass.
 */
export function modulePassOf(creation: ts.Node): FnLike | undefined {
  const decl = declarationOf(creation);
  if (!decl || !ts.isIdentifier(decl.name)) return undefined;
  const list = decl.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let)) || !ts.isVariableStatement(list.parent)) return undefined;
  const block = list.parent.parent;
  if (!ts.isBlock(block) || !isLoop(block.parent) || block.parent.statement !== block) return undefined;
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
  return d && ts.isVariableDeclaration(d) && d.initializer === e ? d : undefined;
}

function isLoop(n: ts.Node): n is ts.IterationStatement {
  return ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isForStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n);
}
