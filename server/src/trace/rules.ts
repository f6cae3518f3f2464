// The static rule that describes what a traced site does wrong, in the words of the report:
// "the response at src/upstream.ts:42 was never consumed in 318 of 320 requests — unconsumed-response".
import type { TracedSite } from './types';

type Figures = Omit<TracedSite, 'rule'>;

/** HTTP client kinds: a new connection per request there is connection churn. */
const HTTP_CLIENTS = new Set(['http', 'https', 'fetch', 'undici', 'node-fetch']);

export function ruleOf(site: Figures, where: string): TracedSite['rule'] {
  const closeWait = site.closeWait.count;
  if (site.unconsumedResponses > 0) {
    const of = Math.max(site.responses, site.unconsumedResponses);
    return {
      id: 'unconsumed-response',
      message: `the response at ${where} was never consumed in ${site.unconsumedResponses} of ${of} request${of === 1 ? '' : 's'}` +
        (closeWait > 0 ? `; ${closeWait} of its connections are in CLOSE_WAIT` : ''),
    };
  }
  if (closeWait > 0) {
    const s = closeWait === 1 ? '' : 's';
    if (site.kind === 'accepted') {
      return site.halfOpen
        ? { id: 'half-open-socket', message: `${closeWait} socket${s} accepted by the server listening at ${where} in CLOSE_WAIT: the peers closed and, with allowHalfOpen, nothing ended them` }
        : { id: 'unclosed-connection', message: `${closeWait} socket${s} accepted by the server listening at ${where} in CLOSE_WAIT: the peers closed and nothing closed this side` };
    }
    return { id: 'unclosed-connection', message: `${closeWait} socket${s} opened at ${where} in CLOSE_WAIT: the peer closed and this side never closed ${closeWait === 1 ? 'it' : 'them'}` };
  }
  const timeWait = site.timeWait.count;
  if (timeWait >= 2) {
    const rate = `${formatRate(site.timeWait.perSecond)}/s`;
    if (HTTP_CLIENTS.has(site.kind) && site.requests > 0 && site.sockets.opened >= site.requests / 2) {
      return { id: 'connection-churn', message: `${site.sockets.opened} connections for ${site.requests} requests at ${where}, closed by this side: ${timeWait} left in TIME_WAIT (${rate}) — a new connection per request` };
    }
    if (site.kind !== 'accepted') {
      return { id: 'connection-churn', message: `${timeWait} connections opened at ${where} and closed by this side left in TIME_WAIT (${rate})` };
    }
  }
  return null;
}

export function formatRate(perSecond: number): string {
  return perSecond >= 10 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}
