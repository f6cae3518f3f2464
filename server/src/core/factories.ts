// The library instance a project factory hands out: `const sessions = createSessionPool(cfg)` where
// `createSessionPool` returns `genericPool.createPool(…)` on every path. The origin resolver leaves
// such calls alone (a project function that returns a new instance is a creator, found by
// creators.ts); a method called on what it returned (`sessions.acquire()`) still needs the
// instance's origin to be recognised. Likewise the app that an Express or Koa chain returns.
import { ts } from 'ts-morph';
import { callsMethodOn, constInitializer, findNode, projectFunctionOfSymbol, returnedValues, skipOuter, stripParens } from './ast';
import { APP_CHAIN_METHODS, APP_MODULES } from './catalog';
import { Origin, OriginResolver } from './origins';

/** The origin of `recv` when it is a variable set from a call of a project function that always returns one library's instance. */
export function factoryProduct(recv: ts.Expression, resolver: OriginResolver, checker: ts.TypeChecker): Origin | undefined {
  const x = skipOuter(recv);
  if (!ts.isIdentifier(x)) return undefined;
  const decl = resolver.symbolOf(x)?.valueDeclaration;
  const init = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuter(decl.initializer) : undefined;
  if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(skipOuter(init.expression))) return undefined;
  const fn = projectFunctionOfSymbol(checker, resolver.symbolOf(skipOuter(init.expression)));
  if (!fn?.body) return undefined;
  let cache = PRODUCTS.get(resolver);
  if (!cache) PRODUCTS.set(resolver, (cache = new Map()));
  let product = cache.get(fn);
  if (product === undefined) cache.set(fn, (product = productOf(fn, resolver) ?? null));
  return product ?? undefined;
}

/** Per resolver (one per program): the same function is asked about at every call of it. */
const PRODUCTS = new WeakMap<OriginResolver, Map<ts.Node, Origin | null>>();

function productOf(fn: ts.FunctionLikeDeclaration, resolver: OriginResolver): Origin | undefined {
  const values = returnedValues(fn);
  if (!values) return undefined;
  let product: Origin | undefined;
  for (const v of values) {
    let e = skipOuter(v);
    // `return redis` with `export const redis = createClient(o)`: a shared client the function hands out.
    if (ts.isIdentifier(e)) e = constInitializer(resolver.symbolOf(e)) ?? e;
    const o = (ts.isCallExpression(e) || ts.isNewExpression(e)) && resolver.of(e);
    if (!o || !o.instance || !o.module || o.projectModule || o.returns) return undefined;
    if (product && (product.module !== o.module || product.path.join('.') !== o.path.join('.'))) return undefined;
    product ??= o;
  }
  return product;
}

/** `app.get('/', h).use(mw)`: the Express or Koa app at the root of a chain of its own methods, which return it. */
export function appOfChain(e: ts.Expression, resolver: OriginResolver): ts.Expression | undefined {
  let x = stripParens(e);
  while (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && APP_CHAIN_METHODS.has(x.expression.name.text) &&
      x.arguments.length >= (['get', 'set'].includes(x.expression.name.text) ? 2 : 1)) x = stripParens(x.expression.expression);
  const o = x !== stripParens(e) ? resolver.of(x) : undefined;
  return o?.instance && APP_MODULES.has(o.module) ? x : undefined;
}

/**
 * `server.closeAll = async () => { …; server.close(cb) }; return server;`: a method the factory puts on
 * the instance it returns, which releases it (a call of one of `release` on it): the caller's close,
 * as a fix's call (`closeAll()`).
 */
export function attachedCloser(fn: ts.FunctionLikeDeclaration, release: readonly string[]): string | undefined {
  const returned = new Set((returnedValues(fn) ?? []).map((e) => stripParens(e)).filter(ts.isIdentifier).map((i) => i.text));
  if (!returned.size || !fn.body || !ts.isBlock(fn.body)) return undefined;
  const releases = (obj: string) => (n: ts.Node) => callsMethodOn(n, release, (x) => ts.isIdentifier(x) && x.text === obj);
  for (const st of fn.body.statements) {
    const e = ts.isExpressionStatement(st) ? st.expression : undefined;
    if (!e || !ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(e.left)) continue;
    const [obj, method] = [stripParens(e.left.expression), stripParens(e.right)];
    if (ts.isIdentifier(obj) && returned.has(obj.text) && (ts.isArrowFunction(method) || ts.isFunctionExpression(method)) && findNode(method, releases(obj.text))) return `${e.left.name.text}()`;
  }
  return undefined;
}
