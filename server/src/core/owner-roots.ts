// The variable a handle comes from, through the method calls and the constants that lead to it:
// `const slots = client.db(name).collection('slots'); slots.watch(pipeline)` is a change stream of `client`.
// It stops at a variable made by a call on something else (`const connection = await amqp.connect(u)`).
import { ts } from 'ts-morph';
import { constInitializer, skipOuter } from './ast';

export function ownerRoot(receiver: ts.Expression, symbolOf: (n: ts.Node) => ts.Symbol | undefined): ts.Symbol | undefined {
  let sym = rootSymbol(receiver, symbolOf);
  for (let depth = 0; sym && depth < 4; depth++) {
    const init = constInitializer(sym);
    const next = init && rootSymbol(init, symbolOf);
    if (!next || !next.valueDeclaration || !ts.isVariableDeclaration(next.valueDeclaration)) return sym;
    sym = next;
  }
  return sym;
}

/** The identifier at the root of `a.b().c`, when there is one. */
function rootSymbol(e: ts.Expression, symbolOf: (n: ts.Node) => ts.Symbol | undefined): ts.Symbol | undefined {
  const x = rootOf(e);
  return ts.isIdentifier(x) ? symbolOf(x) : undefined;
}

/** `a` of `a.b().c`, through calls and property reads. */
export function rootOf(e: ts.Expression): ts.Expression {
  let x = skipOuter(e);
  while (ts.isCallExpression(x) || ts.isPropertyAccessExpression(x)) x = skipOuter(x.expression);
  return x;
}
