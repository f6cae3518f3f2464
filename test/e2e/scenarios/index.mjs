// The scenarios of issues 5, 7, 13 and 16, in order. Each runs on a fresh copy of its fixture workspace
// (test/e2e/fixtures/<fixture>) with a fresh user-data folder.
import diagnostics from './01-diagnostics.mjs';
import quickFix from './02-quick-fix-explain.mjs';
import fixAll from './03-fix-all-js.mjs';
import listeners from './04-listeners-hover.mjs';
import audit from './05-audit-view.mjs';
import untrusted from './06-untrusted-robustness.mjs';
import liveSockets from './07-live-sockets-sysctl.mjs';
import trace from './08-trace.mjs';
import walkthroughFix from './09-walkthrough-fix.mjs';
import configErrors from './10-config-errors.mjs';

export const scenarios = [diagnostics, quickFix, fixAll, listeners, audit, untrusted, liveSockets, trace, walkthroughFix, configErrors];
