// Channels and objects a resource hands to the callbacks of its own methods (`conn.exec(cmd, (err, stream) => …)`,
// `conn.sftp((err, sftp) => …)`): what their callbacks do once is the resource's work going on.
import { ts } from 'ts-morph';
import { enclosingFunction, isStringArg, stripParens } from './ast';
import { chainRoot, LISTEN_METHODS } from './call-shapes';

/** The events that end a channel (an ssh2 exec stream, a query stream): each is emitted once. */
const CHANNEL_END_EVENTS: ReadonlySet<string> = new Set(['close', 'end', 'exit', 'finish']);

/**
 * `conn.exec(cmd, (err, stream) => { stream.on('close', (code) => …) })`: a listener for the end of a
 * channel that a method of the resource handed its callback. It runs once, when the work is done.
 */
export function isChannelEndListener(call: ts.CallExpression | ts.NewExpression, isHandle: (e: ts.Expression) => boolean): boolean {
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || !LISTEN_METHODS.has(call.expression.name.text) ||
      !isStringArg(call.arguments[0], CHANNEL_END_EVENTS)) return false;
  const channel = chainRoot(call.expression.expression);
  return ts.isIdentifier(channel) && handedByResource(call, channel.text, isHandle);
}

/**
 * `conn.sftp((err, sftp) => sftp.readdir(dir, (err, list) => …))`: the completion callback of an operation (not a
 * listener: it runs once, when the operation is done) of an object the resource handed a callback of one of its methods.
 */
export function isHandedObjectCallback(call: ts.CallExpression | ts.NewExpression, isHandle: (e: ts.Expression) => boolean): boolean {
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || LISTEN_METHODS.has(call.expression.name.text)) return false;
  const handed = stripParens(call.expression.expression);
  return ts.isIdentifier(handed) && handedByResource(call, handed.text, isHandle);
}

/** `name` is a parameter of a callback given to a method of the resource, the nearest function around `call` that declares it. */
function handedByResource(call: ts.Node, name: string, isHandle: (e: ts.Expression) => boolean): boolean {
  for (let fn = enclosingFunction(call); fn; fn = enclosingFunction(fn)) {
    if (!fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name)) continue;
    const made = fn.parent;
    return ts.isCallExpression(made) && made.arguments.includes(fn as ts.Expression) && ts.isPropertyAccessExpression(made.expression) &&
      isHandle(stripParens(made.expression.expression));
  }
  return false;
}
