// A pool made per call and dropped: unclosed-connection's finding when the pool keeps idle connections
// (they stay open after every run), connection-churn's otherwise (idle ones time out; what piles up is handshakes).
import { ts } from 'ts-morph';
import { POOLS_KEEPING_IDLE } from './catalog';
import { skipOuter } from './ast';
import { findProp } from './syntax';
import { runsOnce, runsOnceInScript } from './execution';
import type { LeakReport } from './leaks';

/**
 * A pool that keeps idle connections (POOLS_KEEPING_IDLE), made in a function that runs more than once and
 * dropped there, closed and handed nowhere: each run leaves its connections open (connection-churn defers).
 */
export function droppedPool(r: LeakReport): boolean {
  return r.subject.kind === 'pool' && keepsIdle(r) && !r.sawRelease && !r.sawEscape &&
    r.exits.some((x) => x.kind === 'end' || x.kind === 'return' || x.kind === 'loop') && !runsOnce(r.subject.fn) && !runsOnceInScript(r.subject.fn);
}

/**
 * knex keeps its pool's `min` connections open when idle, and `min` is 2 unless the options say otherwise (knex's
 * docs advise `min: 0` for that reason): only `pool: { min: 0 }` written at the call lets them all time out.
 */
function keepsIdle(r: LeakReport): boolean {
  const module = r.match.viaModule ?? '';
  if (POOLS_KEEPING_IDLE.has(module)) return true;
  if (module !== 'knex') return false;
  const creation = r.subject.creation;
  const options = creation && (ts.isCallExpression(creation) || ts.isNewExpression(creation)) ? creation.arguments?.[0] : undefined;
  const pool = options && ts.isObjectLiteralExpression(skipOuter(options)) ? findProp(skipOuter(options) as ts.ObjectLiteralExpression, 'pool').value : undefined;
  const min = pool && ts.isObjectLiteralExpression(skipOuter(pool)) ? findProp(skipOuter(pool) as ts.ObjectLiteralExpression, 'min').value : undefined;
  return !(min && ts.isNumericLiteral(skipOuter(min)) && Number((skipOuter(min) as ts.NumericLiteral).text) === 0);
}
