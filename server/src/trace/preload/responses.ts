// Responses whose body is never read. An http.IncomingMessage is done once it emits 'end' (read to
// the end) or 'close' (destroyed); one that is garbage-collected or still alive at exit without
// either is counted at its site. A response is held only until the next flush (it is in use until
// then anyway); one still unread then goes to a FinalizationRegistry and is no longer held, so a
// healthy response never costs a weak reference (about 1 µs each).
// fetch/undici responses are followed through undici's channels: done at 'trailers' (body received)
// or 'error' (cancelled, aborted); undici's own GC cancel ("Response object has been garbage
// collected") means nobody read it.
import type { Counters } from './counters';

interface Pending {
  site: number;
  done: boolean;
  registered: boolean;
}

const UNDICI_GC_REASON = 'garbage collected';

export class ResponseTracker {
  /** Every response not done yet (http and undici). */
  private open = new Set<Pending>();
  /** http responses since the last flush, held until then. */
  private young = new Map<Pending, object>();
  private undici = new WeakMap<object, Pending>();
  private registry = new FinalizationRegistry<Pending>((state) => this.settle(state, true));

  constructor(private readonly counters: Counters) {}

  /** An http.IncomingMessage of a client request. */
  httpResponse(response: NodeJS.EventEmitter, site: number): void {
    this.counters.response(site);
    const state: Pending = { site, done: false, registered: false };
    this.open.add(state);
    this.young.set(state, response);
    const done = () => this.settle(state, false);
    // First, in case an app listener exits the process.
    response.prependListener('end', done);
    response.prependListener('close', done);
  }

  /** At each flush: the responses still unread are watched weakly from now on. */
  age(): void {
    for (const [state, response] of this.young) {
      this.registry.register(response, state, state);
      state.registered = true;
    }
    this.young.clear();
  }

  /** undici sent a request's headers on a connection of `site`. */
  undiciRequest(request: object, site: number): void {
    this.counters.request(site);
    this.undici.set(request, { site, done: false, registered: false });
  }

  undiciHeaders(request: object): void {
    const state = this.undici.get(request);
    if (!state || state.done || this.open.has(state)) return;
    this.counters.response(state.site);
    this.open.add(state);
  }

  undiciEnd(request: object, error?: unknown): void {
    const state = this.undici.get(request);
    if (!state || state.done) return;
    const collected = error !== undefined && String((error as { message?: unknown })?.message ?? error).includes(UNDICI_GC_REASON);
    this.settle(state, collected && this.open.has(state));
  }

  /** At exit: every response still unread counts. */
  settleAll(): void {
    for (const state of this.open) this.settle(state, true);
  }

  private settle(state: Pending, unconsumed: boolean): void {
    if (state.done) return;
    state.done = true;
    this.open.delete(state);
    this.young.delete(state);
    if (state.registered) this.registry.unregister(state);
    if (unconsumed) this.counters.unconsumed(state.site);
  }
}
