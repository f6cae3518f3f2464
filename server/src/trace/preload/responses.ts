// Responses whose body is never read. An http.IncomingMessage is done once it emits 'end' (read to
// the end) or 'close' (destroyed); one that is garbage-collected or still alive at exit without
// either is counted at its site (a FinalizationRegistry keyed on the response; nothing holds it).
// fetch/undici responses are followed through undici's channels: done at 'trailers' (body received)
// or 'error' (cancelled, aborted); undici's own GC cancel ("Response object has been garbage
// collected") means nobody read it.
import type { Counters } from './counters';

interface Pending {
  site: number;
  done: boolean;
}

const UNDICI_GC_REASON = 'garbage collected';

export class ResponseTracker {
  private pending = new Set<Pending>();
  private undici = new WeakMap<object, Pending>();
  private registry = new FinalizationRegistry<Pending>((state) => this.settle(state, true));

  constructor(private readonly counters: Counters) {}

  /** An http.IncomingMessage of a client request. */
  httpResponse(response: NodeJS.EventEmitter, site: number): void {
    this.counters.response(site);
    const state: Pending = { site, done: false };
    this.pending.add(state);
    this.registry.register(response, state, state);
    const done = () => this.settle(state, false);
    response.once('end', done);
    response.once('close', done);
  }

  /** undici sent a request's headers on a connection of `site`. */
  undiciRequest(request: object, site: number): void {
    this.counters.request(site);
    this.undici.set(request, { site, done: false });
  }

  undiciHeaders(request: object): void {
    const state = this.undici.get(request);
    if (!state || this.pending.has(state)) return;
    this.counters.response(state.site);
    this.pending.add(state);
  }

  undiciEnd(request: object, error?: unknown): void {
    const state = this.undici.get(request);
    if (!state || state.done) return;
    const collected = error !== undefined && String((error as { message?: unknown })?.message ?? error).includes(UNDICI_GC_REASON);
    this.settle(state, collected);
  }

  /** At exit: every response still unread counts. */
  settleAll(): void {
    for (const state of this.pending) this.settle(state, true);
  }

  private settle(state: Pending, unconsumed: boolean): void {
    if (state.done) return;
    state.done = true;
    this.pending.delete(state);
    this.registry.unregister(state);
    if (unconsumed && state.site) this.counters.unconsumed(state.site);
  }
}
