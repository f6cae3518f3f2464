import { leakRule } from '../core/leak-rule';

/** HTTP responses (`http`, `fetch`, `undici.request`) whose body is not consumed, cancelled or destroyed on every path. */
export default leakRule(
  {
    id: 'unconsumed-response',
    description: 'HTTP response bodies must be consumed, cancelled or destroyed on every path.',
    defaultSeverity: 'warning',
    messages: {
      somePaths: 'The body of the response from `{{label}}` is not consumed or cancelled {{path}}. {{symptom}}',
      never: 'The body of the response from `{{label}}` is never consumed or cancelled; it is left unread {{path}}. {{symptom}}',
      dropped: 'The response from `{{label}}` is dropped without consuming or cancelling its body. {{symptom}}',
      raced: 'The request of `{{label}}` is raced against another promise on line {{line}}: when that one settles first, the request goes on and its response arrives with nothing left to consume or cancel its body. {{symptom}} Give the request an abort `signal` (`AbortSignal.timeout(ms)` for a deadline) instead, which cancels it.',
    },
    docs: 'docs/rules/unconsumed-response.md',
    explanation: 'close-wait',
  },
  { verb: 'consume or cancel', past: 'consumed or cancelled' },
);
