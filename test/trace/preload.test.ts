// The preload's bookkeeping on its own: when a response counts as unconsumed (http 'end'/'close',
// undici trailers, undici's garbage-collection cancel, the FinalizationRegistry, exit), and how the
// preload is put into NODE_OPTIONS.
import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Counters } from '../../server/src/trace/preload/counters';
import { Journal } from '../../server/src/trace/preload/journal';
import { ResponseTracker } from '../../server/src/trace/preload/responses';
import type { JournalRecord } from '../../server/src/trace/records';
import { nodeOptions } from '../../server/src/trace/spawn';

/** The counters' records, as the journal would get them. */
function flushed(counters: Counters): JournalRecord[] {
  const journal = new Journal('/dev/null');
  const records: JournalRecord[] = [];
  journal.push = (r) => void records.push(r);
  counters.flush(journal);
  return records;
}

describe('trace preload: unconsumed responses', () => {
  it('an http response is done at end or close; one still unread at exit counts', () => {
    const counters = new Counters();
    const tracker = new ResponseTracker(counters);
    const read = new EventEmitter();
    const destroyed = new EventEmitter();
    const unread = new EventEmitter();
    tracker.httpResponse(read, 1);
    tracker.httpResponse(destroyed, 1);
    tracker.httpResponse(unread, 1);
    read.emit('end');
    read.emit('close');
    destroyed.emit('close');
    assert.deepEqual(flushed(counters), [['count', 1, 0, 3, 0]]);
    tracker.settleAll();
    assert.deepEqual(flushed(counters), [['count', 1, 0, 0, 1]]);
    tracker.settleAll();
    assert.deepEqual(flushed(counters), [], 'counted once');
  });

  it("undici: done at trailers or a cancel; undici's garbage-collection cancel and an unread body at exit count", () => {
    const counters = new Counters();
    const tracker = new ResponseTracker(counters);
    const [received, cancelled, collected, pending, noResponse] = [{}, {}, {}, {}, {}];
    for (const r of [received, cancelled, collected, pending, noResponse]) tracker.undiciRequest(r, 2);
    for (const r of [received, cancelled, collected, pending]) tracker.undiciHeaders(r);
    tracker.undiciEnd(received);
    tracker.undiciEnd(cancelled, Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' }));
    tracker.undiciEnd(collected, 'Response object has been garbage collected');
    tracker.undiciEnd(noResponse, new Error('connect ECONNREFUSED'));
    assert.deepEqual(flushed(counters), [['count', 2, 5, 4, 1]]);
    tracker.settleAll();
    assert.deepEqual(flushed(counters), [['count', 2, 0, 0, 1]]);
  });

  it('an http response garbage-collected unread is counted by the FinalizationRegistry', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const counters = new Counters();
    const tracker = new ResponseTracker(counters);
    (() => tracker.httpResponse(new EventEmitter(), 3))();
    // Held until the next flush; from then on only the registry watches it.
    tracker.age();
    // Finalizers run in a later task after a collection: collect until it has run (bounded).
    let records: JournalRecord[] = [];
    const seen: JournalRecord[] = [];
    for (let i = 0; i < 200 && !seen.some((r) => r[0] === 'count' && r[4] === 1); i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
      records = flushed(counters);
      seen.push(...records);
    }
    assert.ok(seen.some((r) => r[0] === 'count' && r[1] === 3 && r[4] === 1), JSON.stringify(seen));
    tracker.settleAll();
    assert.deepEqual(flushed(counters), [], 'not counted again at exit');
  });
});

describe('trace: NODE_OPTIONS', () => {
  it('appends a quoted --require to what the user had', () => {
    assert.equal(nodeOptions(undefined, '/opt/linger/dist/trace-preload.js'), '--require "/opt/linger/dist/trace-preload.js"');
    assert.equal(nodeOptions(' --max-old-space-size=512 ', '/a b/p.js'), '--max-old-space-size=512 --require "/a b/p.js"');
    assert.equal(nodeOptions('', 'C:\\x "y"\\p.js'), '--require "C:\\\\x \\"y\\"\\\\p.js"');
  });
});
