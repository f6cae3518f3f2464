// Where a connection a class keeps in a field is reported when the class's own factory method makes it
// (`this.client = this.createClient()`): at the call inside that method that opens it, which is what the
// method's reader sees as the connection, also inside a promise it returns (`new Promise((resolve) => { const
// socket = net.connect(o); …; resolve(socket) })`).
import { ts } from 'ts-morph';
import { findNode, promiseExecutor, returnedValues, stripParens } from './ast';
import { creationUnder } from './call-shapes';
import { nameOf } from './class-calls';

/**
 * `this.client = this.createClient()`, where the class's own `createClient()` returns what
 * `mqtt.connect(…)` made: reported there, at the call that opens the connection.
 */
export function ownFactoryCreation(call: ts.CallExpression | ts.NewExpression, member: ts.ClassElement): ts.CallExpression | ts.NewExpression | undefined {
  const callee = ts.isCallExpression(call) ? call.expression : undefined;
  if (!callee || !ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const cls = member.parent as ts.ClassLikeDeclaration;
  const method = cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && nameOf(m) === callee.name.text);
  const values = method && returnedValues(method);
  if (!values || values.length !== 1) return undefined;
  const value = stripParens(values[0]);
  if (!ts.isIdentifier(value)) return resolvedIn(creationUnder(value));
  return madeAs(method!.body!, value.text);
}

/** The creation `const <name> = …` in `body`. */
function madeAs(body: ts.Node, name: string): ts.CallExpression | ts.NewExpression | undefined {
  const decl = findNode(body, (n) => ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name, true) as ts.VariableDeclaration | undefined;
  return decl?.initializer && creationUnder(decl.initializer);
}

/** `new Promise((resolve) => { const socket = net.connect(o); …; resolve(socket) })`: the creation it resolves to, else the promise. */
function resolvedIn(made: ts.CallExpression | ts.NewExpression | undefined): ts.CallExpression | ts.NewExpression | undefined {
  const executor = made && promiseExecutor(made);
  const resolve = executor?.parameters[0]?.name;
  if (!executor || !resolve || !ts.isIdentifier(resolve)) return made;
  const resolved = findNode(executor, (n) => ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === resolve.text &&
    n.arguments.length === 1 && ts.isIdentifier(n.arguments[0])) as ts.CallExpression | undefined;
  return (resolved && madeAs(executor, (resolved.arguments[0] as ts.Identifier).text)) ?? made;
}
