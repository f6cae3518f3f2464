// Syntax of a promise executor that settled-promises.ts reads: the resource's creation, the names set
// from it, calls through a listener chain, hand-overs, and the functions the executor declares.
import { ts } from 'ts-morph';
import { callsMethodOn, findNode, skipOuter, stripParens, within } from './ast';
import { isNonOwningArgument, isNonOwningCall, LISTEN_METHODS } from './call-shapes';
import type { CreatorFinder } from './creators';

/** The creating call a variable is set to: `net.connect(o)`, or `secure ? tls.connect(o) : net.connect(o)` when both make one. */
export function creation(e: ts.Expression, creators: CreatorFinder): ts.CallExpression | ts.NewExpression | undefined {
  const x = skipOuter(e);
  if (ts.isCallExpression(x) || ts.isNewExpression(x)) return x;
  if (!ts.isConditionalExpression(x)) return undefined;
  const [a, b] = [stripParens(x.whenTrue), stripParens(x.whenFalse)];
  if (!(ts.isCallExpression(a) || ts.isNewExpression(a)) || !(ts.isCallExpression(b) || ts.isNewExpression(b))) return undefined;
  return creators.match(a)?.kind === creators.match(b)?.kind ? a : undefined;
}

/** Variables the executor sets from a call on the resource (`const req = session.request(headers)`). */
export function derivedNames(body: ts.Block, isResource: (e: ts.Node) => boolean): Set<string> {
  const out = new Set<string>();
  for (const st of body.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer && stripParens(d.initializer);
      if (ts.isIdentifier(d.name) && init && ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) &&
          !LISTEN_METHODS.has(init.expression.name.text) && isResource(stripParens(init.expression.expression))) out.add(d.name.text);
    }
  }
  return out;
}

/** `socket` or `socket.on(…).once(…)`: a call on the resource through a listener chain. */
export function isReceiverChain(e: ts.Expression, isResource: (e: ts.Node) => boolean): boolean {
  let x = stripParens(e);
  while (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression)) x = stripParens(x.expression.expression);
  return isResource(x);
}

/** A use of the resource that is not a method call or property read on it: it may be handed on. */
export function isHandOver(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.expression === id) return false;
  // `const { authorized } = socket`: reads properties, as `socket.authorized` does (not one that holds a stream of it).
  if (ts.isVariableDeclaration(p) && p.initializer === id && ts.isObjectBindingPattern(p.name)) {
    return p.name.elements.some((el) => el.dotDotDotToken || HANDLE_PROPERTIES.has((el.propertyName ?? el.name).getText()));
  }
  // `console.log(socket)`, `readline.createInterface({ input: socket })`: looked at or read, never closed.
  if (ts.isCallExpression(p) && p.arguments.includes(id) && isNonOwningCall(p, id)) return false;
  const literal = ts.isShorthandPropertyAssignment(p) || (ts.isPropertyAssignment(p) && p.initializer === id) ? p.parent : undefined;
  if (literal && isNonOwningArgument(literal)) return false;
  return !(ts.isVariableDeclaration(p) && p.name === id);
}

/** Properties that hold the connection itself or a stream over it. */
const HANDLE_PROPERTIES = new Set(['socket', 'connection', 'stream', 'body', 'client', '_socket', '_handle']);

/** `const onData = (chunk) => { … }` or `function cleanup() { … }` declared directly in the executor. */
export function localFunction(name: string, body: ts.Block | ts.SourceFile): ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration | undefined {
  for (const st of body.statements) {
    if (ts.isFunctionDeclaration(st) && st.name?.text === name && st.body) return st;
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer && stripParens(d.initializer);
      if (ts.isIdentifier(d.name) && d.name.text === name && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return init;
    }
  }
  return undefined;
}

/**
 * `const connect = async () => { …; this.ws = ws }; void connect()`: a function the method names in its own
 * statements and calls there itself (not only from a listener or timer), so its code runs as the method's.
 */
export function calledInPlace(f: ts.Node, method: ts.FunctionLikeDeclaration): boolean {
  const holder = f.parent;
  const name = ts.isFunctionDeclaration(f) ? f.name?.text : ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) && holder.initializer === f ? holder.name.text : undefined;
  const body = method.body;
  if (!name || !body || !ts.isBlock(body) || localFunction(name, body) !== f) return false;
  return body.statements.some((st) => {
    if (!ts.isExpressionStatement(st)) return false;
    let e = stripParens(st.expression);
    if (ts.isVoidExpression(e) || ts.isAwaitExpression(e)) e = stripParens(e.expression);
    // `void connect().catch(onError)`
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ['catch', 'then', 'finally'].includes(e.expression.name.text)) e = stripParens(e.expression.expression);
    return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === name;
  });
}

/**
 * `retry().then(resolve, reject)`, `next().then(resolve).catch(reject)`: another promise's chain handed the settlers,
 * which settles this one when it settles; as much a settling call as `resolve(retry())`.
 */
export function settlesThrough(e: ts.Node, settlers: ReadonlySet<string>): boolean {
  for (let c = e; ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression); c = stripParens(c.expression.expression)) {
    if (c.expression.name.text === 'then' && c.arguments.some((a) => ts.isIdentifier(a) && settlers.has(a.text))) return true;
  }
  return false;
}

/** `connection.connect((err) => { if (err) { reject(err); return } … })`: a connect that failed left nothing open. */
export function failedConnect(fn: ts.Node, settle: ts.Node, isResource: (e: ts.Node) => boolean): boolean {
  const call = fn.parent;
  const err = ts.isFunctionLike(fn) ? fn.parameters[0]?.name : undefined;
  if (!err || !ts.isIdentifier(err) || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'connect' || !isResource(stripParens(call.expression.expression))) return false;
  return !!ts.findAncestor(settle, (n) => n.parent !== undefined && ts.isIfStatement(n.parent) && n.parent.thenStatement === n && ts.isIdentifier(n.parent.expression) && n.parent.expression.text === err.text);
}

/**
 * The callback hands the resource on (`resolve(socket)`) on the way to `settle`: in it, or in a statement that ends before
 * it in a block around it (not `if (!m) { reject(err); return } resolve(socket)`, whose rejection leaves it open).
 */
export function handsOn(fn: ts.Node, isResource: (e: ts.Node) => boolean, settle: ts.Node): boolean {
  const before = (n: ts.Node): boolean => within(n, settle) ||
    !!ts.findAncestor(n, (s) => !!s.parent && ts.isBlock(s.parent) && s.end <= settle.pos && within(settle, s.parent));
  return !!findNode(fn, (n) => ts.isIdentifier(n) && isResource(n) && isHandOver(n) && before(n));
}

/**
 * `req.on('close', () => session.close())` of a stream of the connection (`const req = session.request(h)`): the stream
 * closes after its end or its error, whichever settles the promise, and takes the connection with it.
 */
export function closesWithItsStream(body: ts.Block, isResource: (e: ts.Node) => boolean, release: string[]): boolean {
  const derived = derivedNames(body, isResource);
  const closes = (f: ts.Node) => !!findNode(f, (c) => callsMethodOn(c, release, isResource));
  return derived.size > 0 && !!findNode(body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LISTEN_METHODS.has(n.expression.name.text) &&
    ts.isIdentifier(stripParens(n.expression.expression)) && derived.has((stripParens(n.expression.expression) as ts.Identifier).text) &&
    !!n.arguments[0] && ts.isStringLiteralLike(n.arguments[0]) && n.arguments[0].text === 'close' && !!n.arguments[1] && closes(n.arguments[1]));
}

/** Events a connection emits once it is open, and those of what it receives, which come only after that. */
const OPENING_EVENTS = new Set(['connect', 'secureConnect', 'ready', 'open']);
const RECEIVING_EVENTS = new Set(['data', 'message', 'readable']);

/**
 * `socket.on('connect', () => { clearTimeout(connectTimer); … })` beside `socket.on('data', (chunk) => { … reject(…) })`:
 * a give-up timer the connection's opening listener clears is gone before anything arrives, so it closes nothing
 * after a listener of what arrives settles.
 */
export function clearedBeforeReceiving(listener: ts.Node, holder: string, body: ts.Node, isResource: (e: ts.Node) => boolean): boolean {
  const on = (n: ts.Node, events: ReadonlySet<string>): n is ts.CallExpression => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) &&
    LISTEN_METHODS.has(n.expression.name.text) && isResource(stripParens(n.expression.expression)) && !!n.arguments[0] &&
    ts.isStringLiteralLike(n.arguments[0]) && events.has(n.arguments[0].text);
  const registration = listener.parent;
  if (!on(registration, RECEIVING_EVENTS) || registration.arguments[1] !== listener) return false;
  return !!findNode(body, (n) => on(n, OPENING_EVENTS) && !!n.arguments[1] && ts.isFunctionLike(stripParens(n.arguments[1])) &&
    !!findNode(n.arguments[1], (c) => ts.isCallExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === 'clearTimeout' &&
      !!c.arguments[0] && ts.isIdentifier(stripParens(c.arguments[0])) && (stripParens(c.arguments[0]) as ts.Identifier).text === holder));
}
