import { leakRule } from '../core/leak-rule';
import { callRunsOften } from './support/frequency';

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
      // Kept in a field of a class (fields.ts), as a connection of its own is.
      overwrite: '`{{field}}` is given a new {{noun}} from the pool on line {{line}} while the one it holds may still be checked out, and that one is never released; the method runs again while it holds one (a restart, a retry). {{symptom}}',
      cleared: '`{{field}}` is set to nothing on line {{line}} while the {{noun}} it holds is still checked out, and nothing releases that one. {{symptom}}',
      classNeverCloses: 'The {{noun}} checked out by `{{label}}` is kept in `{{field}}`, and nothing in its class ever releases it or hands it on. {{symptom}}',
    },
    docs: 'docs/rules/unreleased-pool-connection.md',
    explanation: 'close-wait',
  },
  { verb: 'release', past: 'released' },
  { runsAgain: callRunsOften },
);
