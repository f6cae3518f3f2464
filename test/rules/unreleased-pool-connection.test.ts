import { RuleTester } from '../helpers/rule-tester';
import * as recall from './cases/unreleased-pool-connection.recall';
import * as modules from './cases/unreleased-pool-connection.modules';
import * as releases from './cases/unreleased-pool-connection.releases';
import * as leaks from './cases/unreleased-pool-connection.leaks';

new RuleTester().run('unreleased-pool-connection', {
  valid: [
    ...recall.valid,
    ...releases.valid,
    ...modules.valid,
  ],
  invalid: [
    ...modules.invalid,
    ...recall.invalid,
    ...leaks.invalid,
  ],
});
