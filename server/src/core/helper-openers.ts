/**
 * A project helper that opens what it is given: `function ready(conn, opts) { return new Promise((resolve, reject) => {
 * conn.once('ready', resolve); conn.once('error', reject); conn.connect(opts); }) }`. A caller's `await ready(conn, o)`
 * opens `conn` as `conn.connect(o)` in its own code would (subjects.ts firstCallOn): an ssh2 Client, an SFTP client or
 * a project wrapper that holds nothing until its opener runs holds a connection from that call on.
 */
import { ts } from 'ts-morph';
import { findNode, FnLike, functionOfDeclaration, promiseExecutor, stripParens } from './ast';
import { OriginResolver } from './origins';

/** The project function `call` runs calls one of `methods` on its parameter at `index`, in its own code or a promise's executor. */
export function helperOpensArgument(call: ts.CallExpression, index: number, methods: readonly string[], resolver: OriginResolver): boolean {
  const callee = stripParens(call.expression);
  if (!ts.isIdentifier(callee)) return false;
  const decl = resolver.targetOf(callee)?.declarations?.[0];
  if (!decl || decl.getSourceFile().isDeclarationFile) return false;
  const fn = functionOfDeclaration(decl);
  const param = fn?.parameters[index];
  if (!fn?.body || !param || !ts.isIdentifier(param.name) || param.dotDotDotToken) return false;
  const name = param.name.text;
  // Its own code, or the executor of a promise it makes (run in place): not a callback run later.
  const runsInPlace = (n: ts.Node): boolean => {
    for (let p = n.parent; p; p = p.parent) {
      if (p === fn) return true;
      if (ts.isFunctionLike(p) && !(p.parent && promiseExecutor(p.parent) === p)) return false;
    }
    return false;
  };
  return !!findNode(fn.body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) &&
    methods.includes(n.expression.name.text) && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === name &&
    !shadowed(n, name, fn) && runsInPlace(n));
}

/** A function between `n` and `fn` declares its own `name` (a parameter), which is then not the helper's. */
function shadowed(n: ts.Node, name: string, fn: FnLike): boolean {
  for (let p = n.parent; p && p !== fn; p = p.parent) {
    if (ts.isFunctionLike(p) && p.parameters.some((q) => ts.isIdentifier(q.name) && q.name.text === name)) return true;
  }
  return false;
}
