// "seen at run time": the sites of a `linger trace` report sent by the client (`linger/traceSites`)
// add a related location to the findings whose range covers their line, for pull and push
// clients; other lines, other files and malformed params change nothing; an empty list clears it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { TRACE_SITES_NOTIFICATION, type TracedSiteInfo } from '../../server/src/protocol';
import { seenAtRunTime, TracedSites } from '../../server/src/lsp/traced';
import { TestClient, WORKSPACE, fixtureUri } from './client';

const PROBE = path.join(WORKSPACE, 'src', 'probe.ts');
const text = fs.readFileSync(PROBE, 'utf8');
// `net.connect({ host, port })` is on line 5 (1-based), from column 18.
const site = (over: Partial<TracedSiteInfo> = {}): TracedSiteInfo => ({
  path: PROBE.split(path.sep).join('/'), line: 5, column: 18, kind: 'client',
  closeWait: 3, timeWait: 0, timeWaitPerSecond: 0, responses: 0, unconsumedResponses: 0, ...over,
});
const seen = (items: any[]) => items.flatMap((d) => d.relatedInformation.filter((r: any) => r.message.startsWith('seen at run time')));

describe('lsp: traced sites ("seen at run time")', () => {
  it('words the figures: CLOSE_WAIT always, unconsumed responses and TIME_WAIT when there are any', () => {
    assert.strictEqual(seenAtRunTime(site({ closeWait: 1 })), 'seen at run time: 1 socket in CLOSE_WAIT');
    assert.strictEqual(seenAtRunTime(site({ closeWait: 0, responses: 320, unconsumedResponses: 318, timeWait: 40, timeWaitPerSecond: 20.5 })),
      'seen at run time: 0 sockets in CLOSE_WAIT, 318 of 320 responses never consumed, 40 left in TIME_WAIT (20.5/s)');
  });

  it('ignores malformed params and sites, and repeated ones', () => {
    const traced = new TracedSites();
    for (const bad of [undefined, null, 42, { sites: 'x' }]) assert.strictEqual(traced.update(bad as never), false);
    assert.strictEqual(traced.update({ sites: [site(), { ...site(), line: -1 }, { ...site(), path: 7 } as never, { ...site(), closeWait: NaN }] }), true);
    assert.strictEqual(traced.update({ sites: [site()] }), false, 'same sites: nothing changed');
    assert.strictEqual(traced.generation, 1);
  });

  for (const pull of [true, false]) {
    describe(pull ? 'pull client' : 'push client', () => {
      let client: TestClient;
      const uri = fixtureUri('src/probe.ts');
      before(async () => {
        client = await TestClient.start({ pull });
        await client.open(uri, text);
      });
      after(() => client.stop());

      /** The diagnostics after `change`: pulled, or the next ones pushed. */
      const diagnosticsAfter = async (change: () => Promise<void>): Promise<any[]> => {
        const before = client.notifications.length;
        await change();
        if (pull) return client.pull(uri);
        const published = () => client.notifications.slice(before).filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri);
        await client.waitFor('textDocument/publishDiagnostics', () => published().length > 0);
        return published()[0].params.diagnostics;
      };

      it('adds the related location at the traced line, and removes it when the sites are cleared', async () => {
        if (!pull) await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
        let items = await diagnosticsAfter(() => client.notify(TRACE_SITES_NOTIFICATION, { sites: [site(), site({ line: 12, closeWait: 9 }), site({ path: '/elsewhere/x.ts' })] }));
        assert.strictEqual(items.length, 1);
        assert.deepStrictEqual(seen(items).map((r: any) => [r.location.uri, r.location.range.start, r.message]),
          [[uri, { line: 4, character: 17 }, 'seen at run time: 3 sockets in CLOSE_WAIT']]);
        assert.ok(items[0].relatedInformation.length > 1, 'the leaking paths are still there');

        items = await diagnosticsAfter(() => client.notify(TRACE_SITES_NOTIFICATION, { sites: [] }));
        assert.deepStrictEqual(seen(items), []);
      });
    });
  }
});
