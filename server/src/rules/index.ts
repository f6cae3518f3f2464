// Every rule Linger has. A new rule is one file in this folder, one line here, one doc page in
// docs/rules/ and one test table in test/rules/.
import { Rule } from '../core/rule';
import unclosedConnection from './unclosed-connection';
import unconsumedResponse from './unconsumed-response';
import unreleasedPoolConnection from './unreleased-pool-connection';

export const RULES: Rule[] = [unclosedConnection, unconsumedResponse, unreleasedPoolConnection];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
