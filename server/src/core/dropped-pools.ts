// A pool made per call and dropped: unclosed-connection's finding when the pool keeps idle connections
// (they stay open after every run), connection-churn's otherwise (idle ones time out; what piles up is handshakes).
import { keepsIdleConnections } from './creator-options';
import { runsOnce, runsOnceInScript } from './execution';
import type { LeakReport } from './leaks';

/**
 * A pool that keeps idle connections (POOLS_KEEPING_IDLE), made in a function that runs more than once and
 * dropped there, closed and handed nowhere: each run leaves its connections open (connection-churn defers).
 */
export function droppedPool(r: LeakReport): boolean {
  return r.subject.kind === 'pool' && keepsIdleConnections(r.match.viaModule, r.subject.creation) && !r.sawRelease && !r.sawEscape &&
    r.exits.some((x) => x.kind === 'end' || x.kind === 'return' || x.kind === 'loop') && !runsOnce(r.subject.fn) && !runsOnceInScript(r.subject.fn);
}

