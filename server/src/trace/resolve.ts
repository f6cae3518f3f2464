// A journal's (hint, stack) → the site the report shows: its source-mapped frame and its kind.
// Equal stacks from any process resolve once.
import * as path from 'node:path';
import { parseStack, siteFrame } from './frames';
import { kindOf } from './kinds';
import type { KindHint } from './records';
import { SourceMaps } from './sourceMaps';
import type { TraceKind } from './types';

export interface SiteLocation {
  /** Identifies the site across processes: the location and kind, or the kind of an unseen creation. */
  key: string;
  path: string | null;
  line: number | null;
  column: number | null;
  function: string | null;
  inLibrary: boolean;
  kind: TraceKind;
  /** Why there is no line, for sites whose creation no frame of the app was seen for. */
  unseen: string | null;
}

const UNSEEN: Partial<Record<KindHint, string>> = {
  https: 'https request: its TLS socket is made by tls.connect, which no diagnostics channel reports on this Node version; run with --all-sockets for its line',
  http: 'http request on a socket whose creation was not seen; run with --all-sockets for its line',
  undici: 'fetch/undici connection opened outside the call that needed it (a queued request); its line is not known',
  accept: 'accepted by a server whose listen() was not seen',
  unseen: 'client socket created where no diagnostics channel reports it (new net.Socket().connect(), tls.connect(), as pg and others do); run with --all-sockets for its line',
  handle: 'socket whose creation stack had no frame of the app',
  connect: 'client socket whose creation stack had no frame of the app',
};

export class SiteResolver {
  private cache = new Map<string, SiteLocation>();
  private readonly sourceMaps = new SourceMaps();

  resolve(hint: KindHint, stack: string): SiteLocation {
    const cacheKey = `${hint}\n${stack}`;
    let site = this.cache.get(cacheKey);
    if (!site) {
      site = this.compute(hint, stack);
      this.cache.set(cacheKey, site);
    }
    return site;
  }

  private compute(hint: KindHint, stack: string): SiteLocation {
    const frames = parseStack(stack);
    const kind = kindOf(hint, frames);
    const found = siteFrame(frames);
    if (!found) {
      return { key: `?${kind}`, path: null, line: null, column: null, function: null, inLibrary: false, kind, unseen: UNSEEN[hint] ?? 'creation not seen' };
    }
    const frame = this.sourceMaps.map(found.frame);
    const file = path.normalize(frame.file);
    return {
      key: `${file}:${frame.line}:${frame.column}:${kind}`,
      path: file,
      line: frame.line,
      column: frame.column,
      function: frame.function,
      inLibrary: found.inLibrary,
      kind,
      unseen: null,
    };
  }
}
