// The listener inventory: every listen()/bind() site the analyzer understands, with the port, the
// host and what the runtime does about address reuse there (node-socket-semantics.md §1):
//  - Node (libuv) and Deno TCP listeners set SO_REUSEADDR themselves on Unix: 'implicit'.
//  - Bun's usockets sets SO_REUSEADDR on every TCP listen socket on Unix (bsd_bind_listen_fd), and on
//    UDP sockets bound to a non-zero port (bsd_create_udp_socket): 'implicit'.
//  - dgram and Deno.listenDatagram bind without it unless asked (`reuseAddr` / `reuseAddress`).
import { ts } from 'ts-morph';
import { skipOuter } from './ast';
import {
  Assignments, constValue, findProp, forEachCall, globalMember, methodCall, objectOf, originOf, portValue, refSymbol, typeOrigins, UNKNOWN,
} from './syntax';
import { Origin } from './origins';
import { SyntaxContext } from './context';
import { lineColumn } from './text';
import { Listener, ReuseState } from './types';
import { appOfChain } from './factories';
import { programNamesModule } from './required-modules';

export interface ListenSite {
  /** The listen()/bind()/serve() call. */
  call: ts.CallExpression | ts.NewExpression;
  listener: Omit<Listener, 'file'>;
  /** dgram: the `createSocket` call, when it could be found. */
  creation?: ts.CallExpression | ts.NewExpression;
  /** The reuse setting could not be read (options built elsewhere). */
  reuseUnknown?: boolean;
  /** dgram, Deno.listenDatagram: the socket joins a multicast group. */
  multicast?: boolean;
}

/** Receivers whose `listen()` starts a Node TCP server: origin `module:path` → api prefix. */
const NODE_SERVERS: Record<string, string> = {
  'net:createServer': 'net.Server', 'net:Server': 'net.Server',
  'tls:createServer': 'tls.Server', 'tls:Server': 'tls.Server',
  'http:createServer': 'http.Server', 'http:Server': 'http.Server',
  'https:createServer': 'https.Server', 'https:Server': 'https.Server',
  'http2:createServer': 'http2.Http2Server', 'http2:Http2Server': 'http2.Http2Server',
  'http2:createSecureServer': 'http2.Http2SecureServer', 'http2:Http2SecureServer': 'http2.Http2SecureServer',
  'express:': 'express.Application', 'express:default': 'express.Application', 'express:Express': 'express.Application',
  'express:Application': 'express.Application',
  'fastify:': 'fastify', 'fastify:fastify': 'fastify', 'fastify:default': 'fastify', 'fastify:FastifyInstance': 'fastify',
  'koa:': 'koa.Application', 'koa:default': 'koa.Application', 'koa:Koa': 'koa.Application', 'koa:Application': 'koa.Application',
  '@nestjs/core:NestFactory.create': 'NestApplication',
};

const DGRAM_SOCKETS = new Set(['dgram:createSocket', 'dgram:Socket']);

export function serverApi(o: Origin | undefined): string | undefined {
  if (!o || !o.instance) return undefined;
  return NODE_SERVERS[`${o.module}:${o.path.join('.')}`];
}

export function collectListeners(ctx: SyntaxContext): ListenSite[] {
  const sites: ListenSite[] = [];
  let assignments: Assignments | undefined;
  const assigned = () => (assignments ??= new Assignments(ctx));
  forEachCall(ctx, (node) => {
    const site = ts.isCallExpression(node) ? listenSite(ctx, node, assigned) : wsServerSite(ctx, node);
    if (site) sites.push(site);
  });
  return sites;
}

function listenSite(ctx: SyntaxContext, call: ts.CallExpression, assigned: () => Assignments): ListenSite | undefined {
  const deno = globalMember(ctx, call.expression, 'Deno');
  if (deno) return denoSite(ctx, call, deno, assigned);
  const bun = globalMember(ctx, call.expression, 'Bun');
  if (bun) return bunSite(ctx, call, bun);
  const m = methodCall(call);
  if (!m) {
    if (!programNamesModule(ctx.checker, 'bun')) return undefined;
    const o = ctx.resolver.ofBinding(call.expression);
    if (o && o.module === 'bun' && !o.instance && o.path.length === 1) return bunSite(ctx, call, o.path[0]);
    return undefined;
  }
  if (m.name !== 'listen' && m.name !== 'bind') return undefined;
  const recv = (m.name === 'listen' && appOfChain(m.recv, ctx.resolver)) || m.recv;
  // What `listen` starts or `bind` binds: a `let server` given a UDP socket on one branch and a TCP server on
  // another (a test helper's) is the one whose method this is.
  const fits = (o: Origin | undefined): o is Origin => !!o?.instance && (m.name === 'listen' ? !!NODE_SERVERS[originKey(o)] : DGRAM_SOCKETS.has(originKey(o)));
  const first = originOf(ctx, recv);
  const o = fits(first) ? first : assignedOrigin(ctx, recv, assigned(), fits) ?? typedOrigin(ctx, recv);
  if (!fits(o)) return undefined;
  if (m.name === 'listen') return nodeListen(ctx, call, `${NODE_SERVERS[originKey(o)]}.listen`);
  return dgramBind(ctx, call, m.recv, assigned());
}

function originKey(o: Origin): string {
  return `${o.module}:${o.path.join('.')}`;
}

/** `this._server = http.createServer(…)` in a constructor, `this._server.listen(…)` elsewhere (JavaScript). */
function assignedOrigin(ctx: SyntaxContext, recv: ts.Expression, assigned: Assignments, fits: (o: Origin | undefined) => o is Origin): Origin | undefined {
  for (const v of assigned.of(refSymbol(ctx, recv))) {
    const o = ctx.resolver.of(v);
    if (fits(o)) return o;
  }
  return undefined;
}

/** A receiver typed with a union of server types (`type AnyServer = http2.Http2Server | http2.Http2SecureServer`). */
function typedOrigin(ctx: SyntaxContext, recv: ts.Expression): Origin | undefined {
  return typeOrigins(ctx, recv).find((o) => NODE_SERVERS[`${o.module}:${o.path.join('.')}`] || DGRAM_SOCKETS.has(`${o.module}:${o.path.join('.')}`));
}

/** `listen(port?, host?, backlog?, cb?)`, `listen(options, cb?)`, `listen(path)`, `listen(handle)`. */
function nodeListen(ctx: SyntaxContext, call: ts.CallExpression, api: string): ListenSite {
  const args = call.arguments;
  const first = args[0];
  let port: number | null = null;
  let host: string | null = null;
  let reusePort = false;
  const opts = first && objectOf(ctx, first);
  if (!first || ts.isFunctionLike(skipOuter(first))) {
    port = 0;
  } else if (opts) {
    const p = findProp(opts, 'port');
    const h = findProp(opts, 'host');
    port = p.value ? portValue(ctx, p.value) : findProp(opts, 'path').prop || p.opaque ? null : 0;
    host = stringOrNull(ctx, h.value);
    reusePort = constValue(ctx, findProp(opts, 'reusePort').value) === true;
  } else {
    port = portValue(ctx, first);
    if (args[1] && !ts.isFunctionLike(skipOuter(args[1]))) host = stringOrNull(ctx, args[1]);
  }
  return { call, listener: { ...pos(ctx, call), api, port, host, reuseAddr: 'implicit', reusePort } };
}

/** `bind(port?, address?, cb?)` or `bind(options, cb?)`; reuse comes from `createSocket`. */
function dgramBind(ctx: SyntaxContext, call: ts.CallExpression, recv: ts.Expression, assigned: Assignments): ListenSite {
  const args = call.arguments;
  let port: number | null = null;
  let host: string | null = null;
  const opts = args[0] && objectOf(ctx, args[0]);
  if (!args[0] || ts.isFunctionLike(skipOuter(args[0]))) port = 0;
  else if (opts) {
    const p = findProp(opts, 'port');
    port = p.value ? portValue(ctx, p.value) : p.opaque || findProp(opts, 'fd').prop ? null : 0;
    host = stringOrNull(ctx, findProp(opts, 'address').value);
  } else {
    port = portValue(ctx, args[0]);
    if (args[1] && !ts.isFunctionLike(skipOuter(args[1]))) host = stringOrNull(ctx, args[1]);
  }
  const creation = assigned.creationOf(recv);
  let reuseAddr: ReuseState = 'off';
  let reusePort = false;
  let reuseUnknown = true;
  if (creation && creation.arguments?.length) {
    const a0 = skipOuter(creation.arguments[0]);
    if (typeof constValue(ctx, a0) === 'string') reuseUnknown = false;
    const o = objectOf(ctx, a0);
    if (o) {
      const r = findProp(o, 'reuseAddr');
      const v = constValue(ctx, r.value);
      reuseUnknown = r.opaque || (r.value !== undefined && v === UNKNOWN);
      reuseAddr = v === true || (r.value !== undefined && v === UNKNOWN) ? 'explicit' : 'off';
      reusePort = constValue(ctx, findProp(o, 'reusePort').value) === true;
    }
  }
  const multicast = !!creation && joinsGroup(ctx, creation, assigned);
  return { call, creation, reuseUnknown, multicast, listener: { ...pos(ctx, call), api: 'dgram.Socket.bind', port, host, reuseAddr, reusePort } };
}

/** dgram's, and Deno's `DatagramConn` methods. */
const JOIN_GROUP = new Set(['addMembership', 'addSourceSpecificMembership', 'joinMulticastV4', 'joinMulticastV6']);

function joinsGroup(ctx: SyntaxContext, creation: ts.Node, assigned: Assignments): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    const m = methodCall(n);
    if (m && JOIN_GROUP.has(m.name) && assigned.creationOf(m.recv) === creation) found = true;
    ts.forEachChild(n, visit);
  };
  visit(ctx.sourceFile);
  // `dgram.createSocket(...).bind(...)` chained with `.addMembership` in the callback cannot name the socket.
  return found;
}

function denoSite(ctx: SyntaxContext, call: ts.CallExpression, member: string, assigned: () => Assignments): ListenSite | undefined {
  const apis = ['listen', 'listenTls', 'serve', 'listenDatagram'];
  if (!apis.includes(member)) return undefined;
  const opts = call.arguments[0] && objectOf(ctx, call.arguments[0]);
  if (member === 'serve' && call.arguments[0] && !opts && !ts.isFunctionLike(skipOuter(call.arguments[0]))) return undefined;
  if (member !== 'serve' && !opts) return undefined;
  const p = opts ? findProp(opts, 'port') : { opaque: false };
  // Deno.serve listens on 8000 by default; listen/listenDatagram require a port.
  const port = p.value ? portValue(ctx, p.value) : p.opaque ? null : member === 'serve' ? 8000 : 0;
  if (opts && (findProp(opts, 'path').prop || isUnixTransport(ctx, opts))) return undefined;
  const host = opts ? stringOrNull(ctx, findProp(opts, 'hostname').value) : null;
  const reusePort = !!opts && constValue(ctx, findProp(opts, 'reusePort').value) === true;
  let reuseAddr: ReuseState = 'implicit';
  let reuseUnknown = false;
  let multicast: boolean | undefined;
  if (member === 'listenDatagram') {
    const r = findProp(opts!, 'reuseAddress');
    const v = constValue(ctx, r.value);
    reuseUnknown = r.opaque || (r.value !== undefined && v === UNKNOWN);
    reuseAddr = v === true || (r.value !== undefined && v === UNKNOWN) ? 'explicit' : 'off';
    multicast = joinsGroup(ctx, call, assigned());
  }
  return { call, reuseUnknown, multicast, listener: { ...pos(ctx, call), api: `Deno.${member}`, port, host, reuseAddr, reusePort } };
}

function isUnixTransport(ctx: SyntaxContext, opts: ts.ObjectLiteralExpression): boolean {
  const t = constValue(ctx, findProp(opts, 'transport').value);
  return t === 'unix' || t === 'unixpacket';
}

function bunSite(ctx: SyntaxContext, call: ts.CallExpression, member: string): ListenSite | undefined {
  if (!['serve', 'listen', 'udpSocket'].includes(member)) return undefined;
  const opts = call.arguments[0] && objectOf(ctx, call.arguments[0]);
  if (!opts || findProp(opts, 'unix').prop) return undefined;
  const p = findProp(opts, 'port');
  // Bun.serve without a port reads $BUN_PORT, $PORT, $NODE_PORT, else 3000: unknown here.
  const port = p.value ? portValue(ctx, p.value) : p.opaque || member === 'serve' ? null : 0;
  const host = stringOrNull(ctx, findProp(opts, 'hostname').value);
  const reusePort = constValue(ctx, findProp(opts, 'reusePort').value) === true;
  // usockets sets SO_REUSEADDR on TCP listeners, and on UDP sockets only for a non-zero port.
  const reuseAddr: ReuseState = member === 'udpSocket' && !port ? 'off' : 'implicit';
  return { call, listener: { ...pos(ctx, call), api: `Bun.${member}`, port, host, reuseAddr, reusePort } };
}

/** `new WebSocketServer({ port })` starts its own http server. */
function wsServerSite(ctx: SyntaxContext, node: ts.NewExpression): ListenSite | undefined {
  if (!programNamesModule(ctx.checker, 'ws')) return undefined;
  const o = ctx.resolver.ofBinding(node.expression);
  if (!o || o.instance || o.module !== 'ws' || !['WebSocketServer', 'Server', 'WebSocket.Server'].includes(o.path.join('.'))) return undefined;
  const opts = node.arguments?.[0] && objectOf(ctx, node.arguments[0]);
  if (!opts) return undefined;
  const p = findProp(opts, 'port');
  if (!p.value) return undefined;
  return {
    call: node,
    listener: {
      ...pos(ctx, node), api: 'ws.WebSocketServer', port: portValue(ctx, p.value),
      host: stringOrNull(ctx, findProp(opts, 'host').value), reuseAddr: 'implicit', reusePort: false,
    },
  };
}

function stringOrNull(ctx: SyntaxContext, e: ts.Expression | undefined): string | null {
  const v = constValue(ctx, e);
  return typeof v === 'string' ? v : null;
}

function pos(ctx: SyntaxContext, node: ts.Node): { line: number; column: number } {
  return lineColumn(ctx.sourceFile, node.getStart(ctx.sourceFile));
}
