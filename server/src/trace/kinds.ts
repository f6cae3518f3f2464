// What made a site's sockets: a library of the catalog found in the stack, else what Node's own
// frames and the channel say (fetch, http, https, accepted, client, tls).
import { CREATORS } from '../core/catalog';
import { isNodeFrame, packageOf, type Frame } from './frames';
import type { KindHint } from './records';
import type { TraceKind } from './types';

const BUILTINS = new Set(['global', 'net', 'tls', 'http', 'https', 'http2', 'dgram']);

/** Packages that make connections on behalf of a catalog library (pg-pool for pg, ...). */
const DELEGATES: Record<string, string> = {
  'pg-pool': 'pg',
  '@redis/client': 'redis',
  'engine.io-client': 'socket.io-client',
};

/** The catalog's connection libraries, by package name (`mysql2/promise` is mysql2). */
export const CATALOG_PACKAGES: ReadonlySet<string> = new Set(
  CREATORS.flatMap((c) => c.modules)
    .filter((m) => !BUILTINS.has(m))
    .map((m) => (m.startsWith('@') ? m.split('/').slice(0, 2).join('/') : m.split('/')[0])),
);

function libraryOf(frames: readonly Frame[]): string | null {
  // The outermost library frame below the app is the library the app called.
  let found: string | null = null;
  for (const frame of frames) {
    const pkg = packageOf(frame.file);
    if (!pkg) {
      if (!isNodeFrame(frame)) break;
      continue;
    }
    const name = DELEGATES[pkg] ?? pkg;
    if (CATALOG_PACKAGES.has(name)) found = name;
  }
  return found;
}

export function kindOf(hint: KindHint, frames: readonly Frame[]): TraceKind {
  if (hint === 'accept') return 'accepted';
  const library = libraryOf(frames);
  if (library) return library;
  const files = frames.map((f) => f.file);
  if (files.some((f) => f.startsWith('node:internal/deps/undici'))) return 'fetch';
  if (hint === 'undici') return 'fetch';
  if (files.includes('node:https') || hint === 'https') return 'https';
  if (files.some((f) => f === 'node:_http_agent' || f === 'node:_http_client') || hint === 'http') return 'http';
  if (files.includes('node:_tls_wrap')) return 'tls';
  return 'client';
}
