// A `fetch` the caller hands in. SDKs that run on several runtimes take their fetch from their options
// (`new Client({ fetch })`, then `this.options.fetch(url, init)`), so no import or global says what it
// is. A property named `fetch` of an options object is taken for one, and only where the call is
// shaped like a request (a URL first, or request settings second): `options.fetch(key)` of a cache
// that loads values is no HTTP request.
import { ts } from 'ts-morph';
import { stripParens } from './ast';

/** Names that options objects go by: `options`, `this._config`, `opts`. */
const OPTIONS_NAME = /^_?(options|opts|config|settings|cfg)$/;
/** What a request's URL argument is called: `url`, `this.options.emulationEndpoint`, `href`. */
const URL_NAME = /(url|uri|endpoint|href)$/i;
/** Settings only a request's init object has. */
const INIT_KEYS = new Set(['method', 'headers', 'body', 'signal', 'redirect', 'keepalive', 'dispatcher']);

/** `options.fetch`, `this.options.fetch`, `self._config.fetch`: the fetch of an options object. */
export function isInjectedFetch(e: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(e) || e.name.text !== 'fetch') return false;
  const recv = stripParens(e.expression);
  const name = ts.isIdentifier(recv) ? recv.text : ts.isPropertyAccessExpression(recv) ? recv.name.text : undefined;
  return !!name && OPTIONS_NAME.test(name);
}

/** `f(url)`, `f('https://…/v1', init)`, `f(endpoint, { method: 'POST', body })`: the arguments of a request. */
export function isRequestShaped(call: ts.CallExpression | ts.NewExpression): boolean {
  const [target, init] = (call.arguments ?? []).map(stripParens);
  if (!target) return false;
  if (ts.isStringLiteral(target) || ts.isNoSubstitutionTemplateLiteral(target)) return /^(https?:)?\//.test(target.text);
  if (ts.isTemplateExpression(target)) return true;
  if (ts.isNewExpression(target)) return ts.isIdentifier(target.expression) && (target.expression.text === 'URL' || target.expression.text === 'Request');
  const name = ts.isIdentifier(target) ? target.text : ts.isPropertyAccessExpression(target) ? target.name.text : undefined;
  if (name && URL_NAME.test(name)) return true;
  const settings = init && initObject(init);
  return !!settings && settings.properties.some((p) => !!p.name && ts.isIdentifier(p.name) && INIT_KEYS.has(p.name.text));
}

/** The object literal of a request's settings, written inline or held by a `const` of the same function. */
function initObject(e: ts.Expression): ts.ObjectLiteralExpression | undefined {
  if (ts.isObjectLiteralExpression(e)) return e;
  if (!ts.isIdentifier(e)) return undefined;
  let scope: ts.Node | undefined = e.parent;
  while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === e.text && n.initializer && ts.isObjectLiteralExpression(stripParens(n.initializer))) {
      found = stripParens(n.initializer) as ts.ObjectLiteralExpression;
    } else if (!ts.isFunctionLike(n) || n === scope) ts.forEachChild(n, visit);
  };
  if (scope) visit(scope);
  return found;
}
