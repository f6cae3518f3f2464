// `allowHalfOpen: true` where the peer's FIN never leads to our end()/destroy(): Node then does not
// end the writable side for us (readable.js endReadableNT only does when allowHalfOpen === false),
// so the socket sits in CLOSE_WAIT until the process exits (node-socket-semantics.md §4).
import { ts } from 'ts-morph';
import { skipOuter } from '../core/ast';
import { format, Rule, RuleContext } from '../core/rule';
import { edit, indentAt, nodeRange } from '../core/text';
import { reportRange } from '../core/report-range';
import { Fix } from '../core/types';
import { Assignments, constValue, findProp, forEachCall, isStringLit, methodCall, objectOf } from '../core/syntax';
import { ENDING, LISTEN, Target, targetOfCreation } from './support/sockets';

const SERVERS = ['createServer', 'Server'];
const CLIENTS = ['connect', 'createConnection', 'Socket', 'Stream'];

const rule: Rule = {
  meta: {
    id: 'half-open-socket',
    description: '`allowHalfOpen: true` on a socket whose `end` event never leads to `end()`/`destroy()`: the socket stays in CLOSE_WAIT forever.',
    defaultSeverity: 'warning',
    messages: {
      server: 'This server sets `allowHalfOpen: true`, but no accepted socket is ever ended or destroyed. After a client\'s FIN, Node leaves this side open, so each connection sits in CLOSE_WAIT until the process exits.',
      client: 'This socket sets `allowHalfOpen: true`, but it is never ended or destroyed. After the peer\'s FIN, Node leaves this side open, so the socket sits in CLOSE_WAIT forever.',
    },
    docs: 'docs/rules/half-open-socket.md',
    explanation: 'close-wait',
  },
  check(ctx: RuleContext) {
    let assigned: Assignments | undefined;
    forEachCall(ctx, (node) => {
      const o = ctx.resolver.ofBinding(node.expression);
      if (!o || o.instance || o.module !== 'net') return;
      const path = o.path.join('.');
      const isNew = ts.isNewExpression(node);
      const server = SERVERS.includes(path) && (path === 'Server') === isNew;
      const client = CLIENTS.includes(path) && (path === 'Socket' || path === 'Stream') === isNew;
      if (!server && !client) return;
      const args = node.arguments ?? [];
      const opts = objectOf(ctx, args[0]);
      const prop = opts && findProp(opts, 'allowHalfOpen');
      if (!prop?.prop || prop.opaque || constValue(ctx, prop.value) !== true) return;
      if (server) checkServer(ctx, node, args, prop.prop, (assigned ??= new Assignments(ctx)));
      else checkClient(ctx, node, prop.prop);
    });
  },
};

function checkServer(ctx: RuleContext, node: ts.Node, args: readonly ts.Expression[], prop: ts.Node, assigned: Assignments): void {
  const listeners: ts.FunctionLikeDeclaration[] = [];
  let unknown = false;
  const direct = args[1] && skipOuter(args[1]);
  if (direct && (ts.isArrowFunction(direct) || ts.isFunctionExpression(direct))) listeners.push(direct);
  else if (direct) return; // a named handler from elsewhere: cannot tell
  // `server.on('connection', (socket) => …)` on the same server.
  const visit = (n: ts.Node): void => {
    const m = methodCall(n);
    if (m && LISTEN.has(m.name) && isStringLit(m.call.arguments[0], 'connection') && assigned.creationOf(m.recv) === node) {
      const h = m.call.arguments[1] && skipOuter(m.call.arguments[1]);
      if (h && (ts.isArrowFunction(h) || ts.isFunctionExpression(h))) listeners.push(h);
      else unknown = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  if (!listeners.length || unknown || listeners.some((l) => !l.body)) return;
  for (const l of listeners) {
    const p = l.parameters[0];
    if (!p) continue; // a listener that ignores its socket never ends it
    if (!ts.isIdentifier(p.name)) return; // destructured: cannot tell
    if (endsOrEscapes(new Target(ctx, ctx.resolver.symbolOf(p.name)), l.body!)) return;
  }
  const first = listeners[0];
  const fixes = first.parameters[0] ? endOnEndFix(ctx, first) : [];
  ctx.report({
    messageId: 'server',
    message: rule.meta.messages.server,
    ...reportRange(prop),
    related: [{ file: ctx.file, ...nodeRange(first), message: 'the connection listener never ends the socket' }],
    fixes,
  });
}

function checkClient(ctx: RuleContext, node: ts.Expression, prop: ts.Node): void {
  const { target, scope, holder } = targetOfCreation(ctx, node);
  if (!holder || !target.sym) return;
  if (endsOrEscapes(target, scope)) return;
  const fixes: Fix[] = [];
  const stmt = holder.parent?.parent;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) && stmt && ts.isVariableStatement(stmt)) {
    const n = holder.name.text;
    const indent = indentAt(ctx.sourceFile, stmt.getStart(ctx.sourceFile));
    fixes.push({
      title: `End \`${n}\` when the peer ends (\`${n}.on('end', () => ${n}.end())\`)`,
      safe: true,
      edits: [edit(ctx.sourceFile, ctx.file, stmt.getEnd(), stmt.getEnd(), `\n${indent}${n}.on('end', () => ${n}.end());`)],
    });
  }
  ctx.report({
    messageId: 'client',
    message: format(rule.meta.messages.client, {}),
    ...reportRange(prop),
    related: [{ file: ctx.file, ...nodeRange(holder), message: 'the socket, never ended or destroyed' }],
    fixes,
  });
}

/** Something ends the socket (end/destroy, `socket.pipe(socket)`, piped into), or it leaves our sight. */
function endsOrEscapes(target: Target, scope: ts.Node): boolean {
  let ends = false;
  const use = target.uses(scope, (m) => {
    if (ENDING.has(m.name) || m.name === 'pipedInto') ends = true;
    if (m.name === 'pipe' && m.call.arguments[0] && target.is(m.call.arguments[0])) ends = true;
    // `socket.on('end', function () { this.end(); })`
    if (LISTEN.has(m.name)) {
      const h = m.call.arguments[1] && skipOuter(m.call.arguments[1]);
      if (h && ts.isFunctionExpression(h) && callsOnThis(h.body)) ends = true;
    }
  });
  return ends || use === 'escape';
}

function callsOnThis(body: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    const m = methodCall(n);
    if (m && m.recv.kind === ts.SyntaxKind.ThisKeyword && ENDING.has(m.name)) found = true;
    if (!found && !ts.isFunctionExpression(n) && !ts.isFunctionDeclaration(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** `socket.on('end', () => socket.end());` as the first statement of the connection listener. */
function endOnEndFix(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): Fix[] {
  const p = fn.parameters[0];
  const body = fn.body;
  if (!p || !ts.isIdentifier(p.name) || !body || !ts.isBlock(body)) return [];
  const n = p.name.text;
  const sf = ctx.sourceFile;
  const text = `${n}.on('end', () => ${n}.end());`;
  const first = body.statements[0];
  const at = body.getStart(sf) + 1;
  const insert = first
    ? `\n${indentAt(sf, first.getStart(sf))}${text}`
    : ` ${text} `;
  return [{ title: `End \`${n}\` when the peer ends (\`${text}\`)`, safe: true, edits: [edit(sf, ctx.file, at, at, insert)] }];
}

export default rule;
