// 5. "Linger: Audit Connections in Workspace" from the command palette, on a workspace whose files
// are not open: the progress notification appears, then the Connections view lists the findings
// by rule and file, and the listener inventory; clicking a finding opens its location; the
// view's export button writes a SARIF file that parses.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { until } from '../lib/wait.mjs';

const CONTAINER = 'workbench.view.extension.linger';
const VIEW = 'Connections';

/** What the fixture holds: rule → [file, line:column]. */
const EXPECTED = {
  'unclosed-connection': ['probe.ts', '5:13'],
  'unconsumed-response': ['ping.js', '3:21'],
  'unreleased-pool-connection': ['orders.js', '7:24'],
  'listen-without-reuseaddr': ['listeners.ts', '8:3'],
};

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

    const rows = await step('the Connections view lists the findings by rule, then file', async () => {
      const rs = await until('the Connections view with "Findings (4)" and every rule and file of the fixture', async () => {
        const r = await wb.viewRows(CONTAINER, VIEW);
        if (!r?.some((x) => x.label === 'Findings (4)')) return false;
        return Object.entries(EXPECTED).every(([rule, [file]]) => r.some((x) => x.label === rule) && r.some((x) => x.label === file)) && r;
      }, { timeout: 60_000 });
      await until('the progress notification to close', async () =>
        !(await wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'auditing connections' }).count()), { timeout: 30_000 });
      // Rule rows sit under "Findings", file rows under their rule, findings under their file.
      for (const [rule, [file, pos]] of Object.entries(EXPECTED)) {
        const ri = rs.findIndex((x) => x.label === rule);
        assert.equal(rs[ri].level, 2, `${rule} is a rule group under Findings`);
        assert.equal(rs[ri + 1].label, file, `${file} is listed under ${rule}`);
        assert.equal(rs[ri + 1].level, 3);
        assert.equal(rs[ri + 2].level, 4, `the finding of ${file} is listed under it`);
        assert.equal(rs[ri + 2].description, pos, `the finding of ${rule} is at ${pos}`);
      }
      return rs;
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

    await step('the SARIF file parses and holds the four findings', () => {
      const sarif = JSON.parse(fs.readFileSync(target, 'utf8'));
      assert.equal(sarif.version, '2.1.0');
      assert.equal(sarif.runs?.length, 1);
      assert.equal(sarif.runs[0].tool?.driver?.name, 'linger');
      const results = sarif.runs[0].results.map((r) => [r.ruleId, path.basename(r.locations[0].physicalLocation.artifactLocation.uri), `${r.locations[0].physicalLocation.region.startLine}:${r.locations[0].physicalLocation.region.startColumn}`]);
      assert.deepEqual(results.sort(), Object.entries(EXPECTED).map(([rule, [file, pos]]) => [rule, file, pos]).sort());
    });
  },
};
