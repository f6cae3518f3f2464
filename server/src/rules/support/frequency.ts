// How often code runs, as the churn rules need it: a new connection where code runs once or at most
// once a second piles nothing up in TIME_WAIT; the same line on a request path does.
import { ts } from 'ts-morph';
import { inTestCode, runsOnce, runsRarely } from '../../core/execution';
import { RuleContext } from '../../core/rule';
import { enclosingFunction, loopAround } from '../../core/syntax';

/**
 * Outside a loop of its own, the code around `node` runs once (a test, a script's `main()`, a
 * `listen` callback) or at most once a second (a slow timer and what only it calls).
 */
export function runsSeldom(ctx: RuleContext, node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  return !loopAround(node, fn) && (runsOnce(fn) || inTestCode(node) || runsRarely(ctx, fn));
}
