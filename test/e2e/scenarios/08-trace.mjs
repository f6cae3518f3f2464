// 8. "Linger: Trace a Command…" (issue 16). The command runs `node src/server.js` under
// `linger trace` in a terminal; the app's server never ends the connections its own clients
// half-close. The Live Sockets view shows the traced run and the site `src/server.js:4` (the
// listen() of the server) with its 3 sockets in CLOSE_WAIT; a click opens server.js; the static
// half-open-socket finding there gains the related location "seen at run time: 3 sockets in CLOSE_WAIT".
import assert from 'node:assert/strict';
import { until } from '../lib/wait.mjs';

const CONTAINER = 'workbench.view.extension.linger';
const VIEW = 'Live Sockets';
const TITLE = 'Linger: Trace a Command…';

export default {
  id: 'trace',
  title: 'Trace a Command: traced site in Live Sockets with its code link; "seen at run time" on the finding',
  fixture: 'trace',
  async run({ wb, step, screenshot }) {
    try {
      await step(`"${TITLE}" from the command palette, then the command \`node src/server.js\``, async () => {
        // Offered once the workbench has set `isWorkspaceTrusted` (the command needs a trusted workspace).
        await wb.chooseCommand(TITLE);
        // The same quick input now asks for the command to trace.
        await until('the input box asking for the command to trace', async () =>
          /Linger: Trace a Command/.test(await wb.quickInput.locator('.quick-input-title').textContent({ timeout: 1000 }).catch(() => '')), { timeout: 15_000 });
        await wb.page.keyboard.type('node src/server.js', { delay: 5 });
        await wb.key('Enter');
      });

      const siteRow = async () => (await wb.viewRows(CONTAINER, VIEW))?.find((r) => r.label === 'src/server.js:4');
      await step('the Live Sockets view shows the traced run and src/server.js:4 with 3 sockets in CLOSE_WAIT', async () => {
        const row = await until('a row src/server.js:4 "accepted · CLOSE_WAIT 3" in the Live Sockets view', async () => {
          const r = await siteRow();
          return r && /^accepted · CLOSE_WAIT 3 · TIME_WAIT 0/.test(r.description) ? r : undefined;
        }, { timeout: 90_000 });
        assert.equal(row.level, 2, 'the site is a child of the traced run');
        const rows = await wb.viewRows(CONTAINER, VIEW);
        const group = rows.find((r) => r.level === 1 && r.label === 'Traced: node src/server.js');
        assert.ok(group, `a "Traced: node src/server.js" group; rows: ${JSON.stringify(rows.map((r) => r.label))}`);
        assert.match(group.description, /^running · \d+ sites? · 1 with CLOSE_WAIT$/);
        await screenshot('view');
      });

      await step('clicking the site opens src/server.js', async () => {
        await wb.clickViewRow(CONTAINER, VIEW, (r) => r.label === 'src/server.js:4', '"src/server.js:4"');
        await until('server.js to be the active editor tab', async () => (await wb.activeTab()) === 'server.js', { timeout: 15_000 });
      });

      await step('the half-open-socket problem at line 4 has "seen at run time: 3 sockets in CLOSE_WAIT"', async () => {
        const problem = await until('the half-open-socket problem with a "seen at run time" related location', async () =>
          (await wb.problems()).find((p) => p.code === 'half-open-socket' && p.related.some((r) => /seen at run time: 3 sockets in CLOSE_WAIT/.test(r.message))), { timeout: 60_000 });
        assert.match(problem.position, /^\[Ln 4,/);
        await screenshot('problems');
      });
    } finally {
      await wb.command('Terminal: Kill All Terminals').catch(() => {});
    }
  },
};
