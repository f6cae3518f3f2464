// The diagnostics channels the trace listens to. Every handler is wrapped: whatever goes wrong in
// here is swallowed, never thrown into the app.
import * as dc from 'node:diagnostics_channel';
import type { Server, Socket } from 'node:net';
import type { Counters } from './counters';
import type { ResponseTracker } from './responses';
import type { SocketTracker } from './sockets';
import type { Sites } from './stacks';

export interface Tracers {
  sites: Sites;
  sockets: SocketTracker;
  responses: ResponseTracker;
  counters: Counters;
  /** Site of a socket created where no channel reported it (the --all-sockets hook may know). */
  siteOfUnreported(socket: Socket, hint: 'http' | 'https' | 'undici' | 'unseen'): number;
}

type Message = Record<string, any>;

function on(name: string, handler: (message: Message) => void): void {
  dc.subscribe(name, (message) => {
    try {
      handler(message as Message);
    } catch {
      // A tracing bug must never become the app's exception.
    }
  });
}

export function subscribe(t: Tracers): void {
  const listenSites = new WeakMap<Server, number>();
  const connectSites = new WeakMap<object, number>();

  // undici connects right after beforeConnect, in the same call: that connection's site (below)
  // stands in when net.client.socket's own stack has no frame of the app.
  let undiciConnecting: number | undefined;
  on('net.client.socket', ({ socket }) => {
    t.sockets.observe(socket, t.sites.here('connect', undiciConnecting), 'connect');
    undiciConnecting = undefined;
  });

  // The listen() call is the site of the sockets a server accepts.
  // Node 20 publishes the listen() call as asyncStart, newer versions as start: whichever comes first.
  const listening = (message: any) => {
    try {
      if (message?.server && !listenSites.has(message.server)) listenSites.set(message.server, t.sites.here('accept'));
    } catch {
      // ignored, as above
    }
  };
  dc.tracingChannel('net.server.listen').subscribe({ start: listening, end() {}, asyncStart: listening, asyncEnd() {}, error() {} });
  on('net.server.socket', ({ socket }) => {
    const site = listenSites.get(socket.server) ?? t.sites.unknown('accept');
    t.sockets.observe(socket, site, 'accept');
  });

  // http/https client requests: the socket is usually known from net.client.socket already; a TLS
  // socket (https) is not, and takes its site from --all-sockets or stays without one.
  on('http.client.request.start', ({ request }) => {
    const socket = request.socket as Socket | null;
    if (!socket) return;
    const info = t.sockets.get(socket) ?? t.sockets.observe(socket, t.siteOfUnreported(socket, isTls(request) ? 'https' : 'http'), isTls(request) ? 'https' : 'http');
    t.counters.request(info.site);
  });
  on('http.client.response.finish', ({ request, response }) => {
    const info = t.sockets.get(request.socket);
    if (info) t.responses.httpResponse(response, info.site);
  });

  // fetch and undici: beforeConnect runs inside the app's fetch() call (its stack is the site),
  // connected hands over the socket (TLS ones never pass net.client.socket). undici also opens
  // connections on its own, when one closes while requests wait: those are credited to the last
  // call site that opened a connection to the same origin.
  const originSites = new Map<string, number>();
  on('undici:client:beforeConnect', ({ connectParams }) => {
    if (!connectParams || typeof connectParams !== 'object') return;
    const origin = `${connectParams.protocol}//${connectParams.hostname}:${connectParams.port}`;
    let site = t.sites.inApp('undici');
    if (site !== undefined) originSites.set(origin, site);
    else site = originSites.get(origin) ?? t.sites.unknown('undici');
    connectSites.set(connectParams, site);
    // Only for the net.connect of this same call (a TLS connection has none).
    undiciConnecting = site;
    queueMicrotask(() => {
      undiciConnecting = undefined;
    });
  });
  on('undici:client:connected', ({ socket, connectParams }) => {
    if (t.sockets.get(socket)) return;
    t.sockets.observe(socket, connectSites.get(connectParams) ?? t.siteOfUnreported(socket, 'undici'), 'undici');
  });
  on('undici:client:sendHeaders', ({ request, socket }) => {
    const info = t.sockets.get(socket) ?? t.sockets.observe(socket, t.siteOfUnreported(socket, 'undici'), 'undici');
    t.responses.undiciRequest(request, info.site);
  });
  on('undici:request:headers', ({ request }) => t.responses.undiciHeaders(request));
  on('undici:request:trailers', ({ request }) => t.responses.undiciEnd(request));
  on('undici:request:error', ({ request, error }) => t.responses.undiciEnd(request, error ?? 'error'));
}

function isTls(request: Message): boolean {
  return request.protocol === 'https:' || request.agent?.protocol === 'https:' || request.socket?.encrypted === true;
}
