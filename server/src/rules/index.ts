// Every rule Linger has. A new rule is one file in this folder, one line here, one doc page in
// docs/rules/ and one test table in test/rules/.
import { Rule } from '../core/rule';
import unclosedConnection from './unclosed-connection';
import unconsumedResponse from './unconsumed-response';
import unreleasedPoolConnection from './unreleased-pool-connection';
import listenWithoutReuseaddr from './listen-without-reuseaddr';
import fixedLocalPort from './fixed-local-port';
import connectionChurn from './connection-churn';
import halfOpenSocket from './half-open-socket';
import timeoutWithoutDestroy from './timeout-without-destroy';
import missingKeepalive from './missing-keepalive';

export const RULES: Rule[] = [
  unclosedConnection, unconsumedResponse, unreleasedPoolConnection,
  listenWithoutReuseaddr, fixedLocalPort, connectionChurn, halfOpenSocket, timeoutWithoutDestroy, missingKeepalive,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
