// Requests and connections that never reach a socket because a mocking library answers them in
// memory. A test that sets up `nock('http://api.test').get('/').reply(200)` and then calls
// `fetch('http://api.test/')` gets a response built by nock, and a test under `Mitm()` gets sockets
// mitm made: nothing to leak, whatever the test does with them.
import { ts } from 'ts-morph';
import { calleeName, findNode, functionName, stripParens } from './ast';
import { usesOfName } from './execution';
import { LISTEN_METHODS } from './call-shapes';

/** The request made by `call` goes to a host that a `nock(…)` scope around it intercepts. */
export function interceptedByNock(call: ts.CallExpression | ts.NewExpression): boolean {
  const host = requestHost(call);
  if (!host) return false;
  if (nockScopes(call).some((scope) => scope.host === host && !scope.allowsUnmocked)) return true;
  // A helper of the test file given the URL (`getStatus(url)`): intercepted if every call of it passes
  // a URL that a nock scope around that call intercepts.
  const uses = host.startsWith('$') ? helperCalls(call, host.slice(1)) : undefined;
  return !!uses && uses.length > 0 && uses.every(({ call: c, arg }) => {
    const h = originKey(arg);
    return !!h && nockScopes(c).some((scope) => scope.host === h && !scope.allowsUnmocked);
  });
}

/**
 * The calls of the function around `call` when `param` is one of its parameters and the function is
 * a local of the file used only by calls: each with the argument given for `param`.
 */
function helperCalls(call: ts.Node, param: string): { call: ts.CallExpression; arg: ts.Expression }[] | undefined {
  let fn: ts.Node | undefined = call.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  while (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !ts.isVariableDeclaration(fn.parent)) {
    fn = fn.parent; // the Promise executor around the request
    while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  }
  if (!fn) return undefined;
  const f = fn as ts.FunctionLikeDeclaration;
  const index = f.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === param);
  const name = functionName(f);
  if (index < 0 || !name || ts.isMethodDeclaration(f)) return undefined;
  const out: { call: ts.CallExpression; arg: ts.Expression }[] = [];
  for (const n of usesOfName(call.getSourceFile(), name)) {
    const p = n.parent;
    if (!ts.isCallExpression(p) || p.expression !== n || !p.arguments[index]) return undefined;
    out.push({ call: p, arg: p.arguments[index] });
  }
  return out;
}

interface NockScope {
  host: string;
  allowsUnmocked: boolean;
}

/** `fetch('http://h/…')`, `http.get('http://h')`, `fetch(new URL('http://h'))`, `http.request({ host: 'h' })`. */
function requestHost(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const first = call.arguments?.[0];
  // `http.request()` / `http.get({ path })` go to localhost.
  if (!first || ts.isFunctionLike(stripParens(first))) return calleeName(call) === 'fetch' ? undefined : 'localhost';
  const a = stripParens(first);
  if (ts.isObjectLiteralExpression(a)) {
    if (a.properties.some(ts.isSpreadAssignment)) return undefined;
    for (const p of a.properties) {
      if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && (p.name.text === 'host' || p.name.text === 'hostname') &&
          ts.isStringLiteralLike(p.initializer)) return p.initializer.text.toLowerCase();
      if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'origin') return originKey(p.initializer);
      if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && ['host', 'hostname', 'socketPath'].includes(p.name.text)) return undefined;
    }
    return 'localhost';
  }
  return originKey(a);
}

/**
 * What identifies the origin of a URL expression: its host when written out (`'http://h/x'`), or the
 * variable it starts with (`origin`, `` `${origin}/x` ``), so that `nock(origin)` matches `fetch(origin)`.
 */
function originKey(e: ts.Expression): string | undefined {
  const x = stripParens(e);
  if (ts.isStringLiteralLike(x)) return hostOf(x.text);
  if (ts.isIdentifier(x)) return `$${x.text}`;
  if (ts.isTemplateExpression(x)) {
    if (x.head.text) return hostOf(x.head.text);
    const first = stripParens(x.templateSpans[0].expression);
    return ts.isIdentifier(first) ? `$${first.text}` : undefined;
  }
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) return originKey(x.left);
  if (ts.isNewExpression(x) && (calleeName(x) === 'URL' || calleeName(x) === 'Request') && x.arguments?.[0]) return originKey(x.arguments[0]);
  return undefined;
}

function hostOf(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(url);
  return m ? m[1].toLowerCase() : undefined;
}

/**
 * `nock(origin)` calls that are in effect where `call` runs: in the functions around it (the test
 * body, the `describe` bodies, module level) and in the hooks those bodies register.
 */
function nockScopes(call: ts.Node): NockScope[] {
  return callsInEffect(call, (n) => ts.isIdentifier(n.expression) && n.expression.text === 'nock' && !!n.arguments[0]).flatMap((n) => {
    const host = originKey(n.arguments[0]);
    return host ? [{ host, allowsUnmocked: hasTrueOption(n.arguments[1], 'allowUnmocked') || passesThrough(n) }] : [];
  });
}

/**
 * A connection made where a `Mitm()` of the `mitm` package is in effect (called in a function around
 * it or in a hook those register): mitm replaces `net.connect`/`tls.connect` (and so every client
 * built on them) with in-memory sockets it hands to the test, so nothing reaches the network.
 */
export function interceptedByMitm(node: ts.Node): boolean {
  const names = mitmNames(node.getSourceFile());
  return names.size > 0 && callsInEffect(node, (n) => ts.isIdentifier(n.expression) && names.has(n.expression.text)).length > 0;
}

/** Local names of the `mitm` module: `import Mitm from 'mitm'`, `const Mitm = require('mitm')`. */
function mitmNames(file: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  if (!file.text.includes('mitm')) return out;
  for (const st of file.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === 'mitm') {
      const clause = st.importClause;
      if (clause?.name) out.add(clause.name.text);
      if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings)) out.add(clause.namedBindings.name.text);
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) &&
        ts.isStringLiteral(st.moduleReference.expression) && st.moduleReference.expression.text === 'mitm') {
      out.add(st.name.text);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer && stripParens(d.initializer);
        if (ts.isIdentifier(d.name) && init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' &&
            init.arguments[0] && ts.isStringLiteral(init.arguments[0]) && init.arguments[0].text === 'mitm') out.add(d.name.text);
      }
    }
  }
  return out;
}

/**
 * A WebSocket made where an interceptor of `@mswjs/interceptors` (or msw's `ws.link()`) has a
 * `'connection'` listener: with one, every connection is mock-first — the client talks to the listener
 * in memory, and only `server.connect()` in it opens the real connection — so a listener that never
 * calls `connect()` leaves nothing to close.
 */
export function mockedByWebSocketInterceptor(node: ts.Node): boolean {
  const sf = node.getSourceFile();
  if (!sf.statements.some((st) => ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && /^(@mswjs\/interceptors|msw)(\/|$)/.test(st.moduleSpecifier.text))) return false;
  // The interceptors and links of the file: `const interceptor = new WebSocketInterceptor()`, `const chat = ws.link(url)`.
  const mocks = new Set<string>();
  findNode(sf, (n) => {
    const init = ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer ? stripParens(n.initializer) : undefined;
    if (init && ((ts.isNewExpression(init) && /Interceptor$/.test(init.expression.getText())) || (ts.isCallExpression(init) && calleeName(init) === 'link'))) {
      mocks.add((n as ts.VariableDeclaration).name.getText());
    }
    return false;
  });
  const listeners = callsInEffect(node, (n) => LISTEN_METHODS.has(calleeName(n) ?? '') && !!n.arguments[0] && ts.isStringLiteralLike(n.arguments[0]) &&
    n.arguments[0].text === 'connection' && ts.isPropertyAccessExpression(n.expression) && mocks.has(stripParens(n.expression.expression).getText()));
  const connects = (fn: ts.Node) => !!findNode(fn, (c) => ts.isCallExpression(c) && calleeName(c) === 'connect');
  return listeners.length > 0 && listeners.every((l) => !!l.arguments[1] && !connects(l.arguments[1]));
}

/**
 * The calls matching `match` that are in effect where `node` runs: in the functions around it (the
 * test body, the `describe` bodies, module level) and in the hooks those bodies register.
 */
function callsInEffect(node: ts.Node, match: (call: ts.CallExpression) => boolean): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const seen = new Set<ts.Node>();
  const collect = (n: ts.Node, intoHooks: boolean): void => {
    if (ts.isCallExpression(n) && match(n)) out.push(n);
    if (ts.isFunctionLike(n)) {
      if (!intoHooks || !isHook(n)) return;
    }
    ts.forEachChild(n, (c) => collect(c, intoHooks));
  };
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (!ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) continue;
    if (seen.has(scope)) continue;
    seen.add(scope);
    const body = ts.isSourceFile(scope) ? scope : (scope as ts.FunctionLikeDeclaration).body;
    if (body) ts.forEachChild(body, (c) => collect(c, true));
  }
  return out;
}

const HOOKS = new Set(['before', 'beforeEach', 'beforeAll', 'setup']);

function isHook(fn: ts.Node): boolean {
  let n = fn;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  return ts.isCallExpression(n.parent) && HOOKS.has(calleeName(n.parent) ?? '');
}

function hasTrueOption(arg: ts.Expression | undefined, name: string): boolean {
  const a = arg && stripParens(arg);
  return !!a && ts.isObjectLiteralExpression(a) && a.properties.some((p) =>
    ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name && p.initializer.kind === ts.SyntaxKind.TrueKeyword);
}

/** `nock(h).get('/').reply(…)` answers in memory; `.passthrough()`-like calls are not nock's API, but `enableNetConnect` is. */
function passesThrough(nockCall: ts.CallExpression): boolean {
  let n: ts.Node = nockCall;
  while (ts.isPropertyAccessExpression(n.parent) && ts.isCallExpression(n.parent.parent)) {
    if (n.parent.name.text === 'enableNetConnect') return true;
    n = n.parent.parent;
  }
  return false;
}
