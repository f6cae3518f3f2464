import { leakRule } from '../core/leak-rule';
import { callRunsOften } from './support/frequency';

/** Sockets, servers, clients and agents created in a function and not closed on every path. */
export default leakRule(
  {
    id: 'unclosed-connection',
    description: 'Sockets, servers, HTTP/2 sessions, WebSockets, agents and database/Redis/AMQP/MongoDB clients must be closed on every path.',
    defaultSeverity: 'warning',
    messages: {
      somePaths: '{{Noun}} from `{{label}}` is not closed {{path}}. {{symptom}}',
      never: '{{Noun}} from `{{label}}` is never closed; it stays open {{path}}. {{symptom}}',
      dropped: '{{Noun}} from `{{label}}` is dropped where it is created, so nothing can close it. {{symptom}}',
      overwrite: '`{{field}}` is given a new {{noun}} on line {{line}} while the one it holds may still be open, and that one is never closed; the method runs again while it is open (a reconnect, a retry, a move to another endpoint). {{symptom}}',
      rerun: '`{{field}}` is given a new {{noun}} on line {{line}} under a condition that also holds while the one it holds is open, and that one is never closed: each such call drops an open connection out of reach. {{symptom}}',
      relistened: '`{{field}}` is given a new {{noun}} on line {{line}} each time this listener runs, while the one it holds is still open and never closed: only the last one is closed where the function closes `{{field}}`. {{symptom}}',
      reconnectsTwice: '`{{field}}` is given a new {{noun}} by both the `\'error\'` and the `\'close\'` listener of the one it held: a failed connection emits both, so each failure opens two, `{{field}}` keeps the second, and the first stays open, out of reach. {{symptom}}',
      reopened: '`{{field}}` is given a new {{noun}} by the reconnect scheduled on line {{line}} even after the object is closed: its release method neither cancels that timer for good (the close it makes runs the `close` listener that sets it again, or it does not clear it) nor sets anything the reconnect checks, so that {{noun}} is left open. {{symptom}}',
      cleared: '`{{field}}` is set to nothing on line {{line}}, in a timer or listener, while the {{noun}} it holds may still be open, and nothing closes that one. {{symptom}}',
      everyTest: '`{{field}}` is given a new {{noun}} before each test (line {{line}}) but is closed only once, after all of them: every other one stays open. {{symptom}}',
      suiteNeverCloses: 'The {{noun}} from `{{label}}` that a test hook keeps in `{{field}}` (line {{line}}) is never closed or handed on anywhere in the file: it stays open after the tests, and a test runner without `--exit` cannot end. {{symptom}}',
      fileNeverCloses: 'The {{noun}} from `{{label}}` that the test file makes when it loads (`{{field}}`, line {{line}}) is never closed or handed on anywhere in the file: it stays open after the tests, and a test runner without `--exit` cannot end. {{symptom}}',
      evicted: '{{Noun}} from `{{label}}` is kept in `{{field}}`, and the entry that holds it is deleted on line {{line}} by {{by}} that does not close it, while {{owner}} closes its entries elsewhere: it stays open, out of reach. {{symptom}}',
      evictedNeverClosed: '{{Noun}} from `{{label}}` is kept in `{{field}}` and nowhere else, and the entry that holds it is deleted on line {{line}}; nothing in {{owner}} ever closes it: it stays open, out of reach. {{symptom}}',
      replaced: '{{Noun}} from `{{label}}` is kept in `{{field}}`; on line {{line}} a new one is stored over the entry read before, on a path where that entry is still there and is not closed, while {{owner}} closes its entries elsewhere: the replaced one stays open, out of reach. {{symptom}}',
      cacheEvicts: '{{Noun}} from `{{label}}` is kept in `{{field}}`, a cache that drops its least recently used entry when it is full (stored on line {{line}}) without closing it, while the class closes only the entries still there: an evicted one stays open, out of reach. {{symptom}}',
      classNeverCloses: '{{Noun}} from `{{label}}` is kept in `{{field}}`, and nothing in its class ever closes it or hands it on. {{symptom}}',
      endForgets: '{{Noun}} from `{{label}}` is kept in `{{field}}`, which its class closes only to make another or when setting it up fails; the method that ends the object closes its other connections and leaves this one open. {{symptom}}',
      endSkips: '{{Noun}} from `{{label}}` is kept in `{{field}}`; the method that ends the object (line {{line}}) closes its other connections and never reaches the code that closes this one, so closing the object leaves it open. {{symptom}}',
      stopperForgets: '{{Noun}} from `{{label}}` (`{{field}}`) is only detached by the function returned on line {{line}} to stop it, which never closes it; nothing else can reach it, so every call leaves one open. {{symptom}}',
      handleForgets: '{{Noun}} from `{{label}}` (`{{field}}`) is left open by the release on line {{line}} of the object this function hands out, which closes the rest; nothing else can reach it, so closing that object leaves it open. {{symptom}}',
    },
    docs: 'docs/rules/unclosed-connection.md',
    explanation: 'close-wait',
  },
  { verb: 'close', past: 'closed' },
  { runsAgain: callRunsOften },
);
