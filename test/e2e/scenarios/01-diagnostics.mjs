// 1. A TypeScript file with an early-return socket leak: a warning squiggle at the creating
// expression; the Problems panel shows the message with source `linger`, the rule id as a link to
// the rule's page, and the leaking exit as a related location.
import assert from 'node:assert/strict';
import { until } from '../lib/wait.mjs';

export default {
  id: 'diagnostics',
  title: 'early-return socket leak: squiggle, Problems panel, related location',
  fixture: 'leak-ts',
  async run({ wb, step, screenshot }) {
    await step('open src/probe.ts', () => wb.openFile('src/probe.ts'));

    await step('a warning squiggle underlines `net.connect({ host, port })` on line 5', () =>
      until('a warning squiggle under `net.connect({ host, port })`', () => wb.squiggleUnder('net.connect({ host, port })'), { timeout: 60_000 }));

    const problem = await step('the Problems panel lists the finding with source `linger` and the rule id as a link', async () => {
      const problems = await until('the send() leak in the Problems panel', async () => {
        const ps = await wb.problems();
        return ps.some((p) => p.position === '[Ln 5, Col 13]') && ps;
      }, { timeout: 30_000 });
      const p = problems.find((x) => x.position === '[Ln 5, Col 13]');
      assert.equal(p.file, 'probe.ts');
      assert.equal(p.severity, 'warning', 'severity');
      assert.match(p.message, /Socket from `net\.connect` is not closed when the `return` on line 7 is taken/);
      assert.match(p.message, /CLOSE_WAIT/);
      assert.equal(p.source, 'linger', 'source');
      assert.equal(p.code, 'unclosed-connection', 'code (rule id)');
      assert.ok(p.codeHref, 'the rule id is a link (codeDescription.href)');
      assert.match(p.codeHref, /unclosed-connection/, 'the link goes to the rule page');
      return p;
    });

    await step('the leaking `return` on line 7 is a related location of the finding', () => {
      assert.deepEqual(problem.related.map((r) => [r.resource, r.position, r.message]), [['probe.ts', '[Ln 7, Col 5]', 'not closed when this `return` is taken']]);
    });

    await step('screenshot of the warning and the Problems panel', () => screenshot('problems'));

    await step('clicking the rule id opens the rule\'s page', async () => {
      await wb.page.locator('.markers-panel .monaco-list-row a.monaco-link', { hasText: 'unclosed-connection' }).first().click();
      await until('an editor tab for unclosed-connection.md', async () => (await wb.tabs()).some((t) => t.active && /unclosed-connection\.md/.test(t.label ?? '')), { timeout: 20_000 });
      await until('the rule page\'s text in the editor', async () => (await wb.visibleLines()).some((l) => /unclosed-connection/.test(l.text)), { timeout: 20_000 });
    });
  },
};
