// Where a created resource lands when the expression that makes it is taken apart: destructured
// (`const { body } = await request(url)`), assigned to a pattern, or put in the array of a promise
// combinator (`Promise.all`, `Promise.race`). Used by SubjectFinder.sinkOf (subjects.ts).
import { ts } from 'ts-morph';
import { WRAPPER_RELEASE } from './creator-names';
import { CreatorMatch } from './creators';
import { calleeName, enclosingFunction, stripParens } from './ast';
import { OriginResolver } from './origins';

export type Sink =
  | { kind: 'var'; symbol: ts.Symbol; body?: boolean; declaration?: ts.VariableStatement; container?: boolean; held?: CreatorMatch }
  | { kind: 'then'; fn: ts.FunctionLikeDeclaration; param: ts.Symbol }
  | { kind: 'dropped'; at: ts.Node }
  /** A response raced against another promise (`at`): lost, never consumed, when the other settles first. */
  | { kind: 'raced'; at: ts.CallExpression }
  | { kind: 'owned' };

const OWNED: Sink = { kind: 'owned' };
/** Combinators that settle with one element's value and leave the others to run unobserved. */
const FIRST_SETTLED = new Set(['race', 'any']);

/**
 * An element of the array given to a promise combinator.
 * `const [a, b] = await Promise.all([fetch(x), fetch(y)])`: each element lands in its binding.
 * `await Promise.race([fetch(url), timeout(ms)])`: when the timer wins, the response arrives later and
 * nothing reads it (the race settled without it); not when the request has an abort signal, which
 * cancels a body left unread (its response, if it wins, lands in the race's binding).
 */
export function combinedElement(resolver: OriginResolver, array: ts.ArrayLiteralExpression, element: ts.Expression, created: ts.Expression, match: CreatorMatch): Sink {
  const call = array.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== array) return OWNED;
  const combinator = calleeName(call) ?? '';
  if (FIRST_SETTLED.has(combinator) && isPromiseStatic(call)) {
    if (match.kind !== 'response' || array.elements.length < 2 || !ts.isCallExpression(created)) return OWNED;
    if (!mayHaveSignal(created)) return { kind: 'raced', at: call };
    const decl = bindingOf(call);
    const symbol = decl && ts.isIdentifier(decl.name) ? resolver.symbolOf(decl.name) : undefined;
    return symbol ? { kind: 'var', symbol } : OWNED;
  }
  if (combinator !== 'all') return OWNED;
  const decl = bindingOf(call);
  if (!decl || !ts.isArrayBindingPattern(decl.name)) return OWNED;
  const target = decl.name.elements[array.elements.indexOf(element)];
  if (!target) return { kind: 'dropped', at: decl.name };
  if (ts.isOmittedExpression(target) || !ts.isIdentifier(target.name) || target.dotDotDotToken) {
    return ts.isOmittedExpression(target) ? { kind: 'dropped', at: decl.name } : OWNED;
  }
  const symbol = resolver.symbolOf(target.name);
  return symbol ? { kind: 'var', symbol } : OWNED;
}

/** `Promise.race(…)` (also Bluebird's, imported as `Promise`), not a project's own `race()`. */
function isPromiseStatic(call: ts.CallExpression): boolean {
  const callee = stripParens(call.expression);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise';
}

/**
 * `fetch(url, { signal })`, or options this call cannot see into (`fetch(url, init)`, a spread of a variable): assume a
 * signal. A spread of literals it can see into (`...(dispatcher ? { dispatcher } : {})`) is looked into.
 */
function mayHaveSignal(request: ts.CallExpression): boolean {
  const mayHave = (e: ts.Expression): boolean => {
    const obj = stripParens(e);
    if (ts.isConditionalExpression(obj)) return mayHave(obj.whenTrue) || mayHave(obj.whenFalse);
    if (!ts.isObjectLiteralExpression(obj)) return true;
    return obj.properties.some((p) => (ts.isSpreadAssignment(p) ? mayHave(p.expression) : p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'signal'));
  };
  return request.arguments.slice(1).some(mayHave);
}

/** The declaration `const x = await call` whose value is the call's. */
function bindingOf(call: ts.CallExpression): ts.VariableDeclaration | undefined {
  let e: ts.Node = call;
  while (ts.isAwaitExpression(e.parent) || ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const decl = e.parent;
  return ts.isVariableDeclaration(decl) && decl.initializer === e ? decl : undefined;
}

/** `const { body } = await request(url)`: the body is what must be consumed. */
export function destructured(resolver: OriginResolver, pattern: ts.ObjectBindingPattern, node: ts.Expression, bodyProperty = 'body', isBody = true, knownContainer = false): Sink {
  const kindOfNode = pattern.elements.find((el) => {
    const key = el.propertyName ?? el.name;
    return ts.isIdentifier(key) && key.text === bodyProperty;
  });
  if (pattern.elements.some((el) => el.dotDotDotToken)) return OWNED;
  if (!kindOfNode) return !isBody || knownContainer || isResponseCreator(node) ? { kind: 'dropped', at: pattern } : OWNED;
  if (!ts.isIdentifier(kindOfNode.name)) return OWNED;
  const symbol = resolver.symbolOf(kindOfNode.name);
  return symbol ? { kind: 'var', symbol, body: isBody } : OWNED;
}

/** `const { server } = startStatusServer(o)`: the property a handle holds, taken without its teardown. */
export function heldOf(resolver: OriginResolver, pattern: ts.ObjectBindingPattern, held: NonNullable<CreatorMatch['heldWhenDestructured']>, declaration?: ts.VariableStatement): Sink {
  const key = (el: ts.BindingElement) => {
    const k = el.propertyName ?? el.name;
    return ts.isIdentifier(k) ? k.text : undefined;
  };
  if (pattern.elements.some((el) => el.dotDotDotToken || WRAPPER_RELEASE.includes(key(el) ?? ''))) return OWNED;
  const el = pattern.elements.find((e) => key(e) === held.name);
  const symbol = el && ts.isIdentifier(el.name) ? resolver.symbolOf(el.name) : undefined;
  return symbol ? { kind: 'var', symbol, declaration, held: held.match } : OWNED;
}

/** The same as destructured(), for a destructuring assignment to variables of the function. */
export function assignedPattern(resolver: OriginResolver, pattern: ts.ObjectLiteralExpression, node: ts.Expression, bodyProperty = 'body', isBody = true, knownContainer = false): Sink {
  if (pattern.properties.some((p) => ts.isSpreadAssignment(p))) return OWNED;
  const el = pattern.properties.find((p) => (ts.isShorthandPropertyAssignment(p) || ts.isPropertyAssignment(p)) && ts.isIdentifier(p.name) && p.name.text === bodyProperty);
  if (!el) return !isBody || knownContainer || isResponseCreator(node) ? { kind: 'dropped', at: pattern } : OWNED;
  const target = ts.isShorthandPropertyAssignment(el) ? el.name : ts.isPropertyAssignment(el) ? stripParens(el.initializer) : undefined;
  if (!target || !ts.isIdentifier(target) || (ts.isShorthandPropertyAssignment(el) && el.objectAssignmentInitializer)) return OWNED;
  const symbol = resolver.symbolOf(target);
  const decl = symbol?.declarations?.[0];
  const fn = enclosingFunction(node);
  if (!symbol || !decl || !fn || decl.pos < fn.pos || decl.end > fn.end) return OWNED;
  return { kind: 'var', symbol, body: isBody };
}

/** A library's result whose body is a known property of it (`stream` of `{ stream, query_id }` of @clickhouse/client's exec()). */
export function knownContainer(m: CreatorMatch): boolean {
  return !!m.bodyProperty && !!m.viaModule;
}

/** `request(…)`/`fetch(…)` by name: a helper's result of another name may hold anything (a library's known container is the caller's to say). */
function isResponseCreator(node: ts.Expression): boolean {
  const name = ts.isCallExpression(node) ? calleeName(node) : undefined;
  return name === 'request' || name === 'fetch';
}

/**
 * `await Promise.all([hot.connect(), cold.connect()])` as a statement: the array only waits for its elements, and
 * the values it settles with are dropped; a client whose `connect()` resolves with itself goes nowhere through it.
 */
export function awaitedOnly(array: ts.ArrayLiteralExpression): boolean {
  let call: ts.Node = array.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(array) || !ts.isPropertyAccessExpression(call.expression) ||
      !(ts.isIdentifier(call.expression.expression) && call.expression.expression.text === 'Promise') || !WAITING.has(call.expression.name.text)) return false;
  while (ts.isParenthesizedExpression(call.parent) || ts.isAwaitExpression(call.parent)) call = call.parent;
  return ts.isExpressionStatement(call.parent) || ts.isVoidExpression(call.parent);
}
const WAITING = new Set(['all', 'allSettled']);
