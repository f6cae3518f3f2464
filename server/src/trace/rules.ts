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
  const here = timeWait > 0 ? `${timeWait} left in TIME_WAIT here (${formatRate(site.timeWait.perSecond)}/s)` : 'the other side closed them, so their TIME_WAIT is there';
  // A handful of requests on new connections is no churn; from ten on, one connection per request is.
  if (HTTP_CLIENTS.has(site.kind) && site.requests >= 10 && site.sockets.opened >= site.requests / 2) {
    return { id: 'connection-churn', message: `${site.sockets.opened} connections for ${site.requests} requests at ${where}: a new connection per request; ${here}` };
  }
  if (site.kind !== 'accepted' && timeWait >= 2) {
    return { id: 'connection-churn', message: `${timeWait} connections opened at ${where} and closed by this side left in TIME_WAIT (${formatRate(site.timeWait.perSecond)}/s)` };
  }
  return null;
}

export function formatRate(perSecond: number): string {
  return perSecond >= 10 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}
