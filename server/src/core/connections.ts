// Outbound connection sites whose target is written in the code (`net.connect(6379, 'cache')`,
// `fetch('http://api:8080/x')`, `new WebSocket('ws://hub:9000')`), so that `linger sockets` and the
// live view can put a code location beside an outbound service. Only literal targets are listed,
// except for `net`/`tls` `connect()`/`createConnection()`, listed whatever their target (host and
// port null when unknown) for the editor's hover on `connect()`; a site with no port is never
// placed beside a service (sockets/correlate.ts).
import { ts } from 'ts-morph';
import { constValue, findProp, forEachCall, objectOf, portValue } from './syntax';
import { SyntaxContext } from './context';
import { lineColumn } from './text';
import { ConnectionSite } from './types';

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };

export function collectConnections(ctx: SyntaxContext): Array<Omit<ConnectionSite, 'file'>> {
  const out: Array<Omit<ConnectionSite, 'file'>> = [];
  forEachCall(ctx, (node) => {
    const o = ctx.resolver.ofBinding(node.expression);
    if (!o || o.instance) return;
    const api = `${o.module === 'global' ? '' : `${o.module}.`}${o.path.join('.') || 'default'}`;
    const target = targetOf(ctx, node, o.module, o.path.join('.'), ts.isNewExpression(node));
    const known = target && (target.host !== null || target.port !== null);
    if (!known && !isSocketConnect(o.module, o.path.join('.'), ts.isNewExpression(node))) return;
    out.push({ ...lineColumn(ctx.sourceFile, node.getStart(ctx.sourceFile)), api, host: target?.host ?? null, port: target?.port ?? null });
  });
  return out;
}

function isSocketConnect(module: string, path: string, isNew: boolean): boolean {
  return (module === 'net' || module === 'tls') && (path === 'connect' || path === 'createConnection') && !isNew;
}

function targetOf(ctx: SyntaxContext, node: ts.CallExpression | ts.NewExpression, module: string, path: string, isNew: boolean) {
  const args = node.arguments ?? [];
  if ((module === 'net' || module === 'tls') && (path === 'connect' || path === 'createConnection') && !isNew) {
    const port = portValue(ctx, args[0]);
    if (port !== null) return { port, host: args[1] ? stringOf(ctx, args[1]) : 'localhost' };
    return fromOptions(ctx, args[0], 'host');
  }
  if ((module === 'http' || module === 'https') && (path === 'request' || path === 'get') && !isNew) {
    return fromUrl(ctx, args[0]) ?? fromOptions(ctx, args[0], 'hostname', module === 'https' ? 443 : 80);
  }
  if ((module === 'global' || module === 'undici' || module === 'node-fetch') && (path === 'fetch' || path === 'request' || path === '')) {
    return fromUrl(ctx, args[0]);
  }
  if ((module === 'ws' || module === 'global') && (path === '' || path === 'WebSocket') && isNew) return fromUrl(ctx, args[0]);
  return undefined;
}

function stringOf(ctx: SyntaxContext, e: ts.Expression | undefined): string | null {
  const v = constValue(ctx, e);
  return typeof v === 'string' ? v : null;
}

function fromUrl(ctx: SyntaxContext, e: ts.Expression | undefined) {
  const s = stringOf(ctx, e);
  if (!s) return undefined;
  try {
    const u = new URL(s);
    return { host: u.hostname || null, port: u.port ? Number(u.port) : DEFAULT_PORTS[u.protocol] ?? null };
  } catch {
    return undefined;
  }
}

function fromOptions(ctx: SyntaxContext, e: ts.Expression | undefined, hostKey: string, defaultPort: number | null = null) {
  const obj = objectOf(ctx, e);
  if (!obj) return undefined;
  const port = findProp(obj, 'port');
  const host = findProp(obj, hostKey).prop ? findProp(obj, hostKey) : findProp(obj, 'host');
  return {
    port: port.prop ? portValue(ctx, port.value) : defaultPort,
    host: host.prop ? stringOf(ctx, host.value) : 'localhost',
  };
}
