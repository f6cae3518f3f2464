// A function that only forwards its arguments to a module's default export, loaded when it is called: node-fetch 3 is
// ESM-only, and its README tells CommonJS code to write `const fetch = (...args) => import('node-fetch').then(({ default:
// fetch }) => fetch(...args))`. Calling it is calling that export: its result is the module's (a node-fetch Response).
import { ts } from 'ts-morph';
import { skipOuter } from './ast';
import { requireSpecifier } from './module-specifiers';
import type { Origin } from './origin';

/** The module `fn` forwards every call to, whole: `(...args) => import('m').then(({ default: f }) => f(...args))`, or `m.default(...args)`. */
function forwardedModule(fn: ts.ArrowFunction | ts.FunctionExpression): string | undefined {
  const rest = fn.parameters.length === 1 && fn.parameters[0].dotDotDotToken && ts.isIdentifier(fn.parameters[0].name) ? fn.parameters[0].name.text : undefined;
  const body = rest && !ts.isBlock(fn.body) ? skipOuter(fn.body) : undefined;
  if (!body || !ts.isCallExpression(body) || !ts.isPropertyAccessExpression(body.expression) || body.expression.name.text !== 'then') return undefined;
  const load = skipOuter(body.expression.expression);
  const module = ts.isCallExpression(load) && load.expression.kind === ts.SyntaxKind.ImportKeyword ? requireSpecifier(load) : undefined;
  const then = body.arguments[0] && skipOuter(body.arguments[0]);
  if (!module || !then || !(ts.isArrowFunction(then) || ts.isFunctionExpression(then)) || ts.isBlock(then.body) || then.parameters.length !== 1) return undefined;
  const param = then.parameters[0].name;
  const call = skipOuter(then.body);
  if (!ts.isCallExpression(call) || call.arguments.length !== 1 || !ts.isSpreadElement(call.arguments[0]) || skipOuter(call.arguments[0].expression).getText() !== rest) return undefined;
  const callee = skipOuter(call.expression);
  // `({ default: f }) => f(...args)`, or `(m) => m.default(...args)`.
  const named = ts.isObjectBindingPattern(param) ? param.elements.find((e) => (e.propertyName ?? e.name).getText() === 'default') : undefined;
  const direct = named && ts.isIdentifier(named.name) && ts.isIdentifier(callee) && callee.text === named.name.text;
  const member = ts.isIdentifier(param) && ts.isPropertyAccessExpression(callee) && callee.name.text === 'default' && skipOuter(callee.expression).getText() === param.text;
  return direct || member ? module : undefined;
}

/** The origin of such a function: the module's default export itself. */
export function forwardedOrigin(fn: ts.ArrowFunction | ts.FunctionExpression): Origin | undefined {
  const module = forwardedModule(fn);
  return module ? { module, path: [], instance: false } : undefined;
}
