// A multicast receiver bound to a fixed port on a socket whose runtime does not set address reuse by
// itself and where the code does not ask for it: dgram sockets and Deno.listenDatagram. Node, Deno and
// Bun TCP listeners already get SO_REUSEADDR on Unix, and a unicast UDP bind has no TIME_WAIT to wait
// out: neither is reported (node-socket-semantics.md §1, docs/rules/listen-without-reuseaddr.md).
import { ts } from 'ts-morph';
import { skipOuter } from '../core/ast';
import { ListenSite } from '../core/listeners';
import { format, Rule, RuleContext } from '../core/rule';
import { edit, nodeRange } from '../core/text';
import { reportRange } from '../core/report-range';
import { Fix } from '../core/types';
import { addPropEdit, constValue, findProp, objectOf } from '../core/syntax';

const rule: Rule = {
  meta: {
    id: 'listen-without-reuseaddr',
    description: 'A multicast UDP receiver bound to a fixed port without address reuse, where the runtime does not set it (dgram, Deno.listenDatagram).',
    defaultSeverity: 'warning',
    messages: {
      multicast: '`{{api}}` binds UDP port {{port}} for multicast without `reuseAddr: true`. Only one process on this host can join the group on that port, and every other listener fails with EADDRINUSE.',
      deno: '`Deno.listenDatagram` binds UDP port {{port}} for multicast without `reuseAddress: true`, and Deno sets no SO_REUSEADDR on datagram sockets. Only one process on this host can join the group on that port, and every other listener fails with EADDRINUSE.',
    },
    docs: 'docs/rules/listen-without-reuseaddr.md',
    explanation: 'time-wait',
  },
  check(ctx: RuleContext) {
    for (const site of ctx.listenSites()) {
      const l = site.listener;
      // Unicast: the exclusive bind is the safe default (reuseAddr would let a second instance take the datagrams).
      if (l.reuseAddr !== 'off' || site.reuseUnknown || !l.port || !site.multicast) continue;
      if (l.api === 'dgram.Socket.bind') reportDgram(ctx, site);
      else if (l.api === 'Deno.listenDatagram') reportDeno(ctx, site);
    }
  },
};

function reportDgram(ctx: RuleContext, site: ListenSite): void {
  const creation = site.creation!;
  ctx.report({
    messageId: 'multicast',
    message: format(rule.meta.messages.multicast, { api: 'socket.bind', port: site.listener.port! }),
    ...reportRange(site.call),
    related: [{ file: ctx.file, ...nodeRange(creation), message: 'socket created here without `reuseAddr: true`' }],
    fixes: dgramFix(ctx, creation),
  });
}

function reportDeno(ctx: RuleContext, site: ListenSite): void {
  const opts = objectOf(ctx, site.call.arguments?.[0]);
  const port = opts && findProp(opts, 'port').prop;
  ctx.report({
    messageId: 'deno',
    message: format(rule.meta.messages.deno, { port: site.listener.port! }),
    ...reportRange(site.call),
    related: [{ file: ctx.file, ...nodeRange(port ?? site.call), message: `fixed port ${site.listener.port}, no \`reuseAddress\`` }],
    // `reuseAddress` is still unstable in Deno (needs --unstable-net): no automatic fix.
    fixes: [],
  });
}

/** `reuseAddr: true` in the createSocket options; `'udp4'` becomes `{ type: 'udp4', reuseAddr: true }`. */
function dgramFix(ctx: RuleContext, creation: ts.CallExpression | ts.NewExpression): Fix[] {
  const arg = creation.arguments?.[0];
  if (!arg) return [];
  const a = skipOuter(arg);
  const title = 'Add `reuseAddr: true` to the socket options';
  if (ts.isStringLiteralLike(a)) {
    const q = ctx.sourceFile.text[a.getStart(ctx.sourceFile)];
    const quote = q === '"' ? '"' : "'";
    return [{ title, safe: false, edits: [edit(ctx.sourceFile, ctx.file, a.getStart(ctx.sourceFile), a.getEnd(), `{ type: ${quote}${a.text}${quote}, reuseAddr: true }`)] }];
  }
  const obj = objectOf(ctx, a);
  if (!obj) return [];
  const r = findProp(obj, 'reuseAddr');
  if (r.prop && r.value && constValue(ctx, r.value) === false && ts.isPropertyAssignment(r.prop)) {
    return [{ title, safe: false, edits: [edit(ctx.sourceFile, ctx.file, r.value.getStart(ctx.sourceFile), r.value.getEnd(), 'true')] }];
  }
  if (r.prop || obj.getSourceFile() !== ctx.sourceFile) return [];
  return [{ title, safe: false, edits: [addPropEdit(ctx, obj, 'reuseAddr: true')] }];
}

export default rule;
