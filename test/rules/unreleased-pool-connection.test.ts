import { RuleTester } from '../helpers/rule-tester';
import * as recall from './cases/unreleased-pool-connection.recall';
import * as modules from './cases/unreleased-pool-connection.modules';
import * as releases from './cases/unreleased-pool-connection.releases';
import * as leaks from './cases/unreleased-pool-connection.leaks';
import * as queryRunners from './cases/unreleased-pool-connection.query-runners';
import * as stepFunctions from './cases/unreleased-pool-connection.step-functions';
import * as libraries from './cases/unreleased-pool-connection.libraries';
import * as fields from './cases/unreleased-pool-connection.fields';
import * as heldConnections from './cases/unreleased-pool-connection.held-connections';

new RuleTester().run('unreleased-pool-connection', {
  valid: [
    ...libraries.valid,
    ...recall.valid,
    ...queryRunners.valid,
    ...stepFunctions.valid,
    ...releases.valid,
    ...modules.valid,
    ...fields.valid,
    ...heldConnections.valid,
  ],
  invalid: [
    ...libraries.invalid,
    ...modules.invalid,
    ...queryRunners.invalid,
    ...stepFunctions.invalid,
    ...recall.invalid,
    ...leaks.invalid,
    ...fields.invalid,
    ...heldConnections.invalid,
  ],
});
