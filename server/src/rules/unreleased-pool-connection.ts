import { leakRule } from '../core/leak-rule';

/** Connections checked out of a pool (`pool.connect()`, `getConnection()`, `acquire()`), and MongoDB sessions (a server session of the driver's pool), not released on every path. */
export default leakRule(
  {
    id: 'unreleased-pool-connection',
    description: 'A connection checked out of a pool must be released on every path.',
    defaultSeverity: 'warning',
    messages: {
      somePaths: 'The {{noun}} checked out by `{{label}}` is not released {{path}}. {{symptom}}',
      never: 'The {{noun}} checked out by `{{label}}` is never released; it stays checked out {{path}}. {{symptom}}',
      dropped: 'The {{noun}} checked out by `{{label}}` is dropped where it is checked out, so it is never released. {{symptom}}',
    },
    docs: 'docs/rules/unreleased-pool-connection.md',
    explanation: 'close-wait',
  },
  { verb: 'release', past: 'released' },
);
