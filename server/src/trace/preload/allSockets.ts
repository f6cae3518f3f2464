// `linger trace --all-sockets`: an async_hooks init hook that captures the creation stack of every
// TCP and TLS handle, for the sockets no diagnostics channel reports. Opt-in because an init hook
// makes Node run a hook for every promise too, which slows promise-heavy code (docs/trace.md).
import { createHook } from 'node:async_hooks';
import type { Socket } from 'node:net';
import type { SocketTracker } from './sockets';
import type { Sites } from './stacks';

export interface HandleSites {
  /** The site recorded for the handle under `socket` (a TLS socket's TCP handle is its `_parent`). */
  siteOf(socket: Socket): number | undefined;
}

export function installAllSockets(sites: Sites, sockets: SocketTracker): HandleSites {
  const byHandle = new WeakMap<object, number>();
  let ownerSymbol: symbol | undefined;
  createHook({
    init(_id, type, _trigger, resource) {
      if (type !== 'TCPWRAP' && type !== 'TLSWRAP') return;
      try {
        const site = sites.here('handle');
        byHandle.set(resource, site);
        // Node sets the handle's owner right after creating it; follow the owner from the next
        // microtask, unless a channel reported it in the meantime.
        queueMicrotask(() => {
          try {
            ownerSymbol ??= Object.getOwnPropertySymbols(resource).find((s) => s.description === 'owner_symbol');
            const owner = ownerSymbol ? (resource as Record<symbol, unknown>)[ownerSymbol] : undefined;
            if (owner && typeof (owner as Socket).once === 'function' && !sockets.get(owner)) sockets.observe(owner as Socket, site, 'handle');
          } catch {
            // the socket is then found by the active-handle scan
          }
        });
      } catch {
        // never the app's problem
      }
    },
  }).enable();
  return {
    siteOf(socket) {
      const handle = (socket as unknown as { _handle?: { _parent?: object } | null })._handle;
      if (!handle) return undefined;
      return byHandle.get(handle) ?? (handle._parent ? byHandle.get(handle._parent) : undefined);
    },
  };
}
