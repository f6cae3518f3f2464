// Channels and objects a resource hands to the callbacks of its own methods (`conn.exec(cmd, (err, stream) => …)`,
// `conn.sftp((err, sftp) => …)`): what their callbacks do once is the resource's work going on.
import { ts } from 'ts-morph';
import { enclosingFunction, findNode, isStringArg, stripParens } from './ast';
import { chainRoot, isConditionalListener, LISTEN_METHODS } from './call-shapes';

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

/**
 * `const stream = session.request(headers); stream.on('response', (headers) => { if (status !== 200) return; … })`: the
 * one response of a stream the resource (an HTTP/2 session) made runs once, so the session's work goes on there, and a
 * path of it that leaves without closing it is its leak. Not when code outside the listener closes it too, other than
 * in a listener for a failure (`stream.on('error', () => session.destroy())`, which runs only if one happens).
 */
export function isOwnStreamResponse(call: ts.CallExpression | ts.NewExpression, listener: ts.Node, body: ts.Node, isHandle: (e: ts.Expression) => boolean,
  releasesHere: (n: ts.CallExpression) => boolean): boolean {
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || !LISTEN_METHODS.has(call.expression.name.text) ||
      !isStringArg(call.arguments[0], RESPONSE_EVENT)) return false;
  const stream = stripParens(call.expression.expression);
  const made = ts.isIdentifier(stream) && findNode(body, (n) => ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === stream.text &&
    !!n.initializer && ts.isCallExpression(stripParens(n.initializer)) && isRequestOf(stripParens(n.initializer) as ts.CallExpression, isHandle));
  return !!made && !findNode(body, (n) => ts.isCallExpression(n) && !(listener.pos <= n.pos && n.end <= listener.end) && releasesHere(n) &&
    !ts.findAncestor(n, (a) => ts.isCallExpression(a) && isConditionalListener(a)));
}

const RESPONSE_EVENT: ReadonlySet<string> = new Set(['response']);

const isRequestOf = (c: ts.CallExpression, isHandle: (e: ts.Expression) => boolean) =>
  ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'request' && isHandle(stripParens(c.expression.expression));
