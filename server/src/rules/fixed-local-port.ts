// A client connection pinned to a non-zero local port. The bind itself succeeds (libuv sets
// SO_REUSEADDR), but the 4-tuple collides with the previous connection's TIME_WAIT entry on a
// reconnect within 60 s (EADDRNOTAVAIL on Linux, EADDRINUSE on BSD stacks), and two concurrent
// connections to the same peer always collide (node-socket-semantics.md §2).
import { ts } from 'ts-morph';
import { skipOuter } from '../core/ast';
import { format, Rule, RuleContext } from '../core/rule';
import { nodeRange } from '../core/text';
import { reportRange } from '../core/report-range';
import { programSourceWrites } from '../core/required-modules';
import {
  enclosingFunction, findProp, forEachCall, isStringLit, loopAround, methodCall, objectOf, originOf, portValue, removePropEdits,
} from '../core/syntax';

/** Calls whose options reach `socket.connect()`: origin → indexes of the arguments that may be options. */
const CONNECTING: Array<{ modules: string[]; paths: string[]; via: 'call' | 'new'; args: number[]; label: string }> = [
  { modules: ['net'], paths: ['connect', 'createConnection'], via: 'call', args: [0], label: 'net.connect' },
  { modules: ['tls'], paths: ['connect'], via: 'call', args: [0, 2], label: 'tls.connect' },
  { modules: ['http', 'https'], paths: ['request', 'get'], via: 'call', args: [0, 1], label: 'http.request' },
  { modules: ['http', 'https'], paths: ['Agent'], via: 'new', args: [0], label: 'Agent' },
];

const rule: Rule = {
  meta: {
    id: 'fixed-local-port',
    description: 'A client connection pinned to a fixed local port collides with its own TIME_WAIT on reconnect and with itself when concurrent.',
    defaultSeverity: 'warning',
    messages: {
      fixed: '`localPort: {{port}}` pins every connection from `{{api}}` to one local port. A reconnect to the same peer within 60 s collides with the previous connection\'s TIME_WAIT (EADDRNOTAVAIL on Linux, EADDRINUSE elsewhere), and two concurrent connections always collide.',
      reconnect: '`{{api}}` uses `localPort: {{port}}` {{where}}. Each reconnect within 60 s of the last close has the same 4-tuple as the previous connection and fails on its TIME_WAIT (EADDRNOTAVAIL on Linux, EADDRINUSE elsewhere).',
      agent: '`localPort: {{port}}` in an Agent\'s options makes every pooled socket bind the same local port. The second concurrent request to a host fails, and a new socket within 60 s of a close collides with TIME_WAIT (EADDRNOTAVAIL or EADDRINUSE).',
    },
    docs: 'docs/rules/fixed-local-port.md',
    explanation: 'time-wait',
  },
  check(ctx: RuleContext) {
    // The options are object literals of the program's own files (objectOf): where none writes
    // `localPort`, no call can pin one, and resolving the callee of every call would be wasted.
    if (!programSourceWrites(ctx.checker, 'localPort')) return;
    const seen = new Set<ts.Node>();
    forEachCall(ctx, (node) => {
      // The options first: few calls of a file pass any `localPort`, and the callee's origin costs a symbol lookup.
      if (![0, 1, 2].some((i) => setsLocalPort(ctx, node.arguments?.[i]))) return;
      const target = connecting(ctx, node);
      if (!target) return;
      for (const i of target.args) {
        const obj = objectOf(ctx, node.arguments?.[i]);
        if (!obj) continue;
        const lp = findProp(obj, 'localPort');
        if (!lp.prop || !lp.value || lp.opaque || seen.has(lp.prop)) continue;
        const port = portValue(ctx, lp.value);
        if (!port) continue;
        seen.add(lp.prop);
        const where = target.label === 'Agent' ? undefined : reconnectContext(node);
        const messageId = target.label === 'Agent' ? 'agent' : where ? 'reconnect' : 'fixed';
        ctx.report({
          messageId,
          message: format(rule.meta.messages[messageId], { port, api: target.label, where: where ?? '' }),
          ...reportRange(lp.prop),
          related: [{ file: ctx.file, ...nodeRange(node), message: `connection opened here from local port ${port}` }],
          fixes: obj.getSourceFile() === ctx.sourceFile
            ? [{ title: 'Remove `localPort` (let the kernel pick an ephemeral port)', safe: false, edits: removePropEdits(ctx, obj, lp.prop) }]
            : [],
        });
      }
    });
  },
};

/**
 * The argument is an object literal that names `localPort`, or a variable initialised with one: what
 * objectOf() can find, without its check that the variable is never assigned again (done after).
 */
function setsLocalPort(ctx: RuleContext, arg: ts.Expression | undefined, depth = 0): boolean {
  if (!arg || depth > 4) return false;
  const e = skipOuter(arg);
  if (ts.isObjectLiteralExpression(e)) return !!findProp(e, 'localPort').prop;
  if (!ts.isIdentifier(e)) return false;
  const decl = ctx.resolver.symbolOf(e)?.declarations?.[0];
  return !!decl && ts.isVariableDeclaration(decl) && setsLocalPort(ctx, decl.initializer, depth + 1);
}

function connecting(ctx: RuleContext, node: ts.CallExpression | ts.NewExpression) {
  const isNew = ts.isNewExpression(node);
  const m = !isNew ? methodCall(node) : undefined;
  if (m && m.name === 'connect') {
    // `new net.Socket().connect({ port, localPort })`
    const o = originOf(ctx, m.recv);
    if (o && o.instance && o.module === 'net' && ['Socket', 'Stream', 'connect', 'createConnection'].includes(o.path.join('.'))) {
      return { args: [0], label: 'socket.connect' };
    }
  }
  const o = ctx.resolver.ofBinding(node.expression);
  if (!o || o.instance) return undefined;
  const path = o.path.join('.');
  for (const c of CONNECTING) {
    if (c.modules.includes(o.module) && c.paths.includes(path) && (c.via === 'new') === isNew) {
      return { args: c.args, label: c.label === 'http.request' ? `${o.module}.${path}` : c.label === 'Agent' ? 'Agent' : c.label };
    }
  }
  return undefined;
}

/** Inside a retry loop, a reconnect handler or a timer: the same port is reused within seconds. */
function reconnectContext(node: ts.Node): string | undefined {
  if (loopAround(node)) return 'inside a loop';
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const name = fn.name && ts.isIdentifier(fn.name) ? fn.name.text : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : '';
    if (/re(connect|try|open)|retry/i.test(name)) return `in \`${name}\``;
    const call = fn.parent;
    if (ts.isCallExpression(call) && call.arguments.includes(fn as ts.Expression)) {
      const callee = skipOuter(call.expression);
      const cname = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if ((cname === 'on' || cname === 'once') && isStringLit(call.arguments[0], 'close', 'end', 'error')) {
        return `in a \`'${(call.arguments[0] as ts.StringLiteral).text}'\` handler (a reconnect)`;
      }
      if (cname === 'setTimeout' || cname === 'setInterval') return `in a \`${cname}\` callback (a retry)`;
    }
    if (loopAround(fn)) return 'inside a loop';
  }
  return undefined;
}

export default rule;
