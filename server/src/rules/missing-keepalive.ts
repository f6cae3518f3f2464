// A long-lived client socket (kept in a field or a module variable) with neither `keepAlive: true`
// nor `setKeepAlive(true, …)`: a peer that vanishes without a FIN/RST (power loss, NAT timeout) is
// never noticed, so the socket stays ESTABLISHED forever (node-socket-semantics.md §4 setKeepAlive).
// A hint, off by default: many protocols have their own heartbeat.
import { ts } from 'ts-morph';
import { Rule, RuleContext } from '../core/rule';
import { nodeRange } from '../core/text';
import { reportRange } from '../core/report-range';
import { Fix } from '../core/types';
import { addPropEdit, constValue, findProp, forEachCall, methodCall, objectOf, UNKNOWN } from '../core/syntax';
import { typeAt } from '../core/types-of';

/** Creators of client TCP sockets, and the options argument index that may carry `keepAlive`. */
const CREATORS: Record<string, { args: number[]; fixable: boolean }> = {
  'net:connect': { args: [0], fixable: true }, 'net:createConnection': { args: [0], fixable: true },
  'net:Socket': { args: [0], fixable: true }, 'net:Stream': { args: [0], fixable: true },
  'tls:connect': { args: [0, 2], fixable: false },
};

const rule: Rule = {
  meta: {
    id: 'missing-keepalive',
    description: 'A long-lived client socket without TCP keep-alive never notices a peer that vanished without closing.',
    defaultSeverity: 'off',
    messages: {
      missing: 'This socket is kept for the life of {{owner}} but has no TCP keep-alive (`keepAlive: true` or `setKeepAlive(true, ms)`). If the peer disappears without a FIN or RST (a crash, a NAT or firewall timeout), the socket stays open and writes hang until the OS gives up.',
    },
    docs: 'docs/rules/missing-keepalive.md',
    explanation: 'close-wait',
  },
  check(ctx: RuleContext) {
    if (setsKeepAliveSomewhere(ctx)) return;
    forEachCall(ctx, (node) => {
      const o = ctx.resolver.ofBinding(node.expression);
      if (!o || o.instance) return;
      const key = `${o.module}:${o.path.join('.')}`;
      const spec = CREATORS[key];
      if (!spec || (ts.isNewExpression(node) !== (key === 'net:Socket' || key === 'net:Stream'))) return;
      const owner = longLivedOwner(node);
      if (!owner) return;
      let optsObj: ts.ObjectLiteralExpression | undefined;
      for (const i of spec.args) {
        const arg = node.arguments?.[i];
        if (!arg) continue;
        const obj = objectOf(ctx, arg);
        if (!obj) {
          // A port or host is fine; options built elsewhere may well carry keepAlive.
          if (isPrimitive(ctx, arg)) continue;
          return;
        }
        const ka = findProp(obj, 'keepAlive');
        if (ka.opaque || (ka.value && constValue(ctx, ka.value) !== false)) return;
        if (ka.value && constValue(ctx, ka.value) === UNKNOWN) return;
        optsObj ??= obj;
      }
      const fixes: Fix[] = spec.fixable && optsObj && optsObj.getSourceFile() === ctx.sourceFile && !findProp(optsObj, 'keepAlive').prop
        ? [{ title: 'Enable TCP keep-alive (`keepAlive: true`)', safe: true, edits: [addPropEdit(ctx, optsObj, 'keepAlive: true')] }]
        : [];
      ctx.report({
        messageId: 'missing',
        message: rule.meta.messages.missing.replace('{{owner}}', owner.label),
        ...reportRange(node),
        related: [{ file: ctx.file, ...nodeRange(owner.node), message: `kept in ${owner.label}` }],
        fixes,
      });
    });
  },
};

/** Any `x.setKeepAlive(…)` not turning it off: the file manages keep-alive itself. */
function setsKeepAliveSomewhere(ctx: RuleContext): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    const m = methodCall(n);
    if (m && m.name === 'setKeepAlive' && constValue(ctx, m.call.arguments[0]) !== false) found = true;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  return found;
}

/** The field (`this.socket = …`, a property initialiser) or module variable that keeps the socket. */
function longLivedOwner(node: ts.Node): { node: ts.Node; label: string } | undefined {
  let outer: ts.Node = node;
  while (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent) || ts.isNonNullExpression(outer.parent)) outer = outer.parent;
  const p = outer.parent;
  if (ts.isPropertyDeclaration(p) && p.initializer === outer && !hasStatic(p)) return { node: p, label: `its object (field \`${p.name.getText()}\`)` };
  if (ts.isBinaryExpression(p) && p.right === outer && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = p.left;
    if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword) {
      return { node: left, label: `its object (field \`${left.name.text}\`)` };
    }
  }
  if (ts.isVariableDeclaration(p) && p.initializer === outer && ts.isVariableStatement(p.parent.parent) && ts.isSourceFile(p.parent.parent.parent)) {
    return { node: p, label: `the module (\`${p.name.getText()}\`)` };
  }
  return undefined;
}

function isPrimitive(ctx: RuleContext, e: ts.Expression): boolean {
  if (ts.isFunctionLike(e)) return true;
  const v = constValue(ctx, e);
  if (typeof v === 'number' || typeof v === 'string') return true;
  const t = typeAt(ctx.checker, e);
  return !!t && (t.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.StringLike)) !== 0;
}

function hasStatic(p: ts.PropertyDeclaration): boolean {
  return !!ts.getModifiers(p)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
}

export default rule;
