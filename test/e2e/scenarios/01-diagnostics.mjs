// 1. A TypeScript file with an early-return socket leak: a warning squiggle at the creating
// expression; the Problems panel shows the message with source `linger`, the rule id as a link to
// the rule's page, and the leaking exit as a related location. The link opens the page rendered
// in Markdown preview, never the .md of the extension's folder as an editable file.
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
      assert.match(p.codeHref, /^command:linger\.openDoc\?.*unclosed-connection\.md/, 'the link opens the rule page through linger.openDoc');
      return p;
    });

    await step('the leaking `return` on line 7 is a related location of the finding', () => {
      assert.deepEqual(problem.related.map((r) => [r.resource, r.position, r.message]), [['probe.ts', '[Ln 7, Col 5]', 'not closed when this `return` is taken']]);
    });

    await step('screenshot of the warning and the Problems panel', () => screenshot('problems'));

    await step('clicking the rule id opens the rule\'s page rendered in Markdown preview, not as an editable file', async () => {
      await wb.page.locator('.markers-panel .monaco-list-row a.monaco-link', { hasText: 'unclosed-connection' }).first().click();
      await until('a Markdown preview tab "Preview unclosed-connection.md"', async () => (await wb.tabs()).some((t) => t.active && t.label === 'Preview unclosed-connection.md'), { timeout: 20_000 });
      await until('the rule page rendered in the preview', () => wb.previewText(/unclosed-connection\s[\s\S]*Default severity:/), { timeout: 30_000 });
      assert.ok(!(await wb.tabs()).some((t) => t.label === 'unclosed-connection.md'), 'no editor tab with the raw .md');
      await screenshot('rule-page');
    });

    await step('the rule link of the diagnostic\'s hover opens the same preview', async () => {
      await wb.command('View: Close All Editors');
      await wb.openFile('src/probe.ts');
      await wb.hoverUntil('net.connect({ host, port })', 'the hover with the rule link', (h) => /unclosed-connection/.test(h));
      const link = wb.page.locator('.monaco-hover:not(.hidden) a.code-link', { hasText: 'unclosed-connection' });
      await until('the rule link in the hover', () => link.count(), { timeout: 20_000 });
      await link.first().click();
      await until('a Markdown preview tab "Preview unclosed-connection.md"', async () => (await wb.tabs()).some((t) => t.active && t.label === 'Preview unclosed-connection.md'), { timeout: 20_000 });
      await until('the rule page rendered in the preview', () => wb.previewText(/unclosed-connection\s[\s\S]*Default severity:/), { timeout: 30_000 });
      assert.ok(!(await wb.tabs()).some((t) => t.label === 'unclosed-connection.md'), 'no editor tab with the raw .md');
    });
  },
};
