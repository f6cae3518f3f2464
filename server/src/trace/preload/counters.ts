// Requests, responses and unconsumed responses per site, sent as deltas with each flush.
import type { Journal } from './journal';

interface Counts {
  requests: number;
  responses: number;
  unconsumed: number;
}

export class Counters {
  private bySite = new Map<number, Counts>();

  private of(site: number): Counts {
    let c = this.bySite.get(site);
    if (!c) this.bySite.set(site, (c = { requests: 0, responses: 0, unconsumed: 0 }));
    return c;
  }

  request(site: number): void {
    this.of(site).requests++;
  }

  response(site: number): void {
    this.of(site).responses++;
  }

  unconsumed(site: number): void {
    this.of(site).unconsumed++;
  }

  flush(journal: Journal): void {
    for (const [site, c] of this.bySite) journal.push(['count', site, c.requests, c.responses, c.unconsumed]);
    this.bySite.clear();
  }
}
