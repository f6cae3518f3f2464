// 5. "Linger: Audit Connections in Workspace" from the command palette, on a workspace whose files
// are not open: the progress notification appears, then the Connections view lists the findings
// by rule and file, each row `line:col` and a short title (the full message in its description),
// sorted by file then line, and the listener inventory, at VS Code's default side-bar width;
// clicking a finding opens its location; a rule's book button opens its page in Markdown preview;
// the view's export button writes a SARIF file that parses.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { until } from '../lib/wait.mjs';

const CONTAINER = 'workbench.view.extension.linger';
const VIEW = 'Connections';

/** What the fixture holds: rule → file → its rows, in order (`line:col` and the short title). */
const EXPECTED = {
  'unclosed-connection': ['probe.ts', ['5:13  socket · not closed on return', '15:13  socket · not closed if await rejects']],
  'unconsumed-response': ['ping.js', ['3:21  response · never consumed or cancelled']],
  'unreleased-pool-connection': ['orders.js', ['7:24  pooled connection · not released if await rejects']],
  'listen-without-reuseaddr': ['listeners.ts', ['8:3  multicast bind · no reuseAddr']],
};
const FINDINGS = Object.values(EXPECTED).reduce((n, [, rows]) => n + rows.length, 0);

export default {
  id: 'audit-view',
  title: 'Audit Connections in Workspace: progress, Connections view, open a finding, SARIF export',
  fixture: 'audit',
  async run({ wb, step, workspace, screenshot }) {
    await step('no editor is open (the audit reads files from disk)', async () => {
      assert.deepEqual(await wb.tabs(), []);
      await wb.recordNotifications();
    });

    await step('run "Linger: Audit Connections in Workspace" from the command palette', () => wb.command('Linger: Audit Connections in Workspace'));

    await step('a progress notification for the audit appears', () =>
      until('a notification "Linger: auditing connections" with progress', async () =>
        (await wb.notificationsSeen()).find((n) => /Linger: auditing connections/.test(n.text)), { timeout: 30_000 }));

    const rows = await step('the Connections view lists the findings by rule, then file, each row `line:col` and a short title, sorted by line', async () => {
      const rs = await until(`the Connections view with "Findings (${FINDINGS})" and every rule and file of the fixture`, async () => {
        const r = await wb.viewRows(CONTAINER, VIEW);
        if (!r?.some((x) => x.label === `Findings (${FINDINGS})`)) return false;
        return Object.entries(EXPECTED).every(([rule, [file]]) => r.some((x) => x.label === rule) && r.some((x) => x.label === file)) && r;
      }, { timeout: 60_000 });
      await until('the progress notification to close', async () =>
        !(await wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'auditing connections' }).count()), { timeout: 30_000 });
      // Rule rows sit under "Findings", file rows under their rule, findings under their file, by line.
      for (const [rule, [file, expected]] of Object.entries(EXPECTED)) {
        const ri = rs.findIndex((x) => x.label === rule);
        assert.equal(rs[ri].level, 2, `${rule} is a rule group under Findings`);
        assert.equal(rs[ri + 1].label, file, `${file} is listed under ${rule}`);
        assert.equal(rs[ri + 1].level, 3);
        const found = rs.slice(ri + 2, ri + 2 + expected.length);
        assert.deepEqual(found.map((x) => [x.level, x.label.replace(/\s+/g, ' ')]), expected.map((e) => [4, e.replace(/\s+/g, ' ')]), `the findings of ${file}, in line order`);
        for (const f of found) assert.match(f.description, /^[A-Z`].{40,}\.$/, 'the full message is the description');
      }
      return rs;
    });

    await step('at the default side-bar width, every finding row shows its position and what leaks', async () => {
      const width = await wb.sidebarWidth();
      assert.ok(Math.abs(width - 300) <= 1, `the side bar has VS Code's default width for a 1400-pixel window (300), not ${width}`);
      for (const [, [, expected]] of Object.entries(EXPECTED)) {
        for (const label of expected) {
          const shown = await wb.rowTextVisible(CONTAINER, VIEW, label, label.split(' · ')[0]);
          assert.ok(shown.found && shown.visible, `"${label.split(' · ')[0]}" is shown whole in its row: ${JSON.stringify(shown)}`);
        }
      }
      await screenshot('findings');
    });

    await step('the book button of a rule opens its page in Markdown preview', async () => {
      const rule = (await wb.viewRows(CONTAINER, VIEW)).find((x) => x.label === 'unreleased-pool-connection');
      const root = await wb.viewLocator(CONTAINER, VIEW);
      const row = root.locator(`.monaco-list-row[data-index="${rule.index}"]:not(.monaco-tree-sticky-row)`);
      await row.hover();
      await row.locator('.actions .action-label[aria-label="Open Rule Documentation"]').click();
      await until('a Markdown preview tab "Preview unreleased-pool-connection.md"', async () => (await wb.tabs()).some((t) => t.active && t.label === 'Preview unreleased-pool-connection.md'), { timeout: 20_000 });
      await until('the rule page rendered', () => wb.previewText(/unreleased-pool-connection\s[\s\S]*Default severity:/), { timeout: 30_000 });
      assert.ok(!(await wb.tabs()).some((t) => t.label === 'unreleased-pool-connection.md'), 'no editor tab with the raw .md');
      await wb.command('View: Close All Editors');
    });

    await step('the listener inventory lists the dgram bind and the http listen()', async () => {
      const listeners = rows.find((x) => /^Listeners \(\d+\)$/.test(x.label));
      assert.ok(listeners, 'a "Listeners" group in the view');
      assert.equal(listeners.label, 'Listeners (2)');
      if (listeners.expanded === 'false') await wb.clickViewRow(CONTAINER, VIEW, (r) => r.label === 'Listeners (2)', '"Listeners (2)"');
      const items = await until('the two listener rows', async () => {
        const r = await wb.viewRows(CONTAINER, VIEW);
        const i = r.findIndex((x) => x.label === 'Listeners (2)');
        const items = r.slice(i + 1).filter((x) => x.level === 2 && x.expanded === null);
        return items.length >= 2 && items;
      }, { timeout: 10_000 });
      const text = items.map((x) => `${x.label} | ${x.description}`);
      assert.ok(text.some((t) => /:8125\s+dgram\.Socket\.bind \| SO_REUSEADDR off · src\/servers\/listeners\.ts:8/.test(t)), `dgram bind listed: ${JSON.stringify(text)}`);
      assert.ok(text.some((t) => /:8080\s+http\.Server\.listen \| SO_REUSEADDR implicit · src\/servers\/listeners\.ts:17/.test(t)), `http listen listed: ${JSON.stringify(text)}`);
      await screenshot('view');
    });

    await step('clicking the unreleased-pool-connection finding opens orders.js at line 7', async () => {
      const ri = (await wb.viewRows(CONTAINER, VIEW)).findIndex((x) => x.label === 'unreleased-pool-connection');
      await wb.clickViewRow(CONTAINER, VIEW, (r) => r.index > ri && r.level === 4, 'under unreleased-pool-connection');
      await until('orders.js active with the cursor on line 7', async () => (await wb.activeTab()) === 'orders.js' && /^Ln 7, Col (24|38)\b/.test((await wb.cursor()) ?? ''), { timeout: 20_000 });
      const selected = await until('the finding\'s range selected', async () => /\((\d+) selected\)/.exec((await wb.cursor()) ?? '')?.[1], { timeout: 5_000 });
      assert.equal(Number(selected), 'pool.connect()'.length, 'the creating expression `pool.connect()` is selected');
    });

    const target = path.join(workspace, 'linger.sarif');
    await step('the view\'s "Export Audit as SARIF" button saves linger.sarif', async () => {
      await wb.clickViewAction(CONTAINER, VIEW, 'Export Audit as SARIF');
      // VS Code's own save dialog (a quick input with the path) proposes <workspace>/linger.sarif.
      const value = await until('the save dialog proposing linger.sarif', async () => {
        const v = await wb.quickInput.locator('input.input').inputValue().catch(() => '');
        return v.endsWith('linger.sarif') && v;
      }, { timeout: 20_000 });
      assert.equal(value, target, 'the proposed path');
      await wb.key('Enter');
      await until(`${target} on disk`, () => fs.existsSync(target) && fs.statSync(target).size > 0, { timeout: 20_000 });
      await until('the "report saved" notification', async () => (await wb.notificationsSeen()).some((n) => /report saved to linger\.sarif/.test(n.text)), { timeout: 10_000 });
    });

    await step('the SARIF file parses and holds the five findings', () => {
      const sarif = JSON.parse(fs.readFileSync(target, 'utf8'));
      assert.equal(sarif.version, '2.1.0');
      assert.equal(sarif.runs?.length, 1);
      assert.equal(sarif.runs[0].tool?.driver?.name, 'linger');
      const results = sarif.runs[0].results.map((r) => [r.ruleId, path.basename(r.locations[0].physicalLocation.artifactLocation.uri), `${r.locations[0].physicalLocation.region.startLine}:${r.locations[0].physicalLocation.region.startColumn}`]);
      const expected = Object.entries(EXPECTED).flatMap(([rule, [file, labels]]) => labels.map((l) => [rule, file, l.split(/\s/)[0]]));
      assert.deepEqual(results.sort(), expected.sort());
    });
  },
};
