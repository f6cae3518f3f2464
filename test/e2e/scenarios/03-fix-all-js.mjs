// 3. A JavaScript file with an unconsumed `fetch` response and a `pg` pool checkout that is not
// released when the query throws: both are reported; "Fix all" applies the safe fixes, both from
// the command palette's "Fix All" menu and as the `source.fixAll.linger` kind itself
// (`editor.action.sourceAction` with that kind, bound to a key as a user would).
import assert from 'node:assert/strict';
import { until } from '../lib/wait.mjs';

const FIXED = `const { Pool } = require('pg');

const pool = new Pool();

/** Returns the service's status code; the response body is never read. */
async function ping(url) {
  const res = await fetch(url);
  await res.body?.cancel();
  return res.status;
}

/** The client goes back to the pool only when the query succeeds. */
async function countOrders(customer) {
  const client = await pool.connect();
  try {
    const result = await client.query('SELECT count(*) AS n FROM orders WHERE customer = $1', [customer]);
    return Number(result.rows[0].n);
  } finally {
    client.release();
  }
}

module.exports = { ping, countOrders };
`;

export default {
  id: 'fix-all-js',
  title: 'JS: unconsumed fetch response + unreleased pg client, Fix all (source.fixAll.linger)',
  fixture: 'fetch-pg-js',
  keybindings: [
    { key: 'ctrl+alt+l', command: 'editor.action.sourceAction', args: { kind: 'source.fixAll.linger', apply: 'first' }, when: 'editorTextFocus' },
  ],
  async run({ wb, step, read, screenshot }) {
    await step('open src/stats.js', () => wb.openFile('src/stats.js'));

    await step('both findings are reported: unconsumed-response and unreleased-pool-connection', async () => {
      await until('warning squiggles under `fetch(url)` and `pool.connect()`', async () =>
        (await wb.squiggleUnder('fetch(url)')) && (await wb.squiggleUnder('pool.connect()')), { timeout: 60_000 });
      const problems = await until('two Linger problems in the Problems panel', async () => {
        const ps = (await wb.problems()).filter((p) => p.source === 'linger');
        return ps.length >= 2 && ps;
      }, { timeout: 30_000 });
      assert.deepEqual(problems.map((p) => [p.code, p.position]).sort(), [['unconsumed-response', '[Ln 7, Col 21]'], ['unreleased-pool-connection', '[Ln 13, Col 24]']]);
      await screenshot('findings');
    });

    const noneLeft = async () => {
      // The language status reports the analysis of the current text: 0 findings once re-analysed.
      await until('Linger\'s language status to report 0 findings', async () => /^0 findings/.test((await wb.lingerStatus()) ?? ''), { timeout: 30_000 });
      await until('no squiggle under `fetch(url)` or `pool.connect()`', async () =>
        !(await wb.squiggleUnder('fetch(url)')) && !(await wb.squiggleUnder('pool.connect()')), { timeout: 30_000 });
      await until('no Linger problem in the Problems panel', async () => !(await wb.problems()).some((p) => p.source === 'linger'), { timeout: 30_000 });
    };
    const fixedInEditor = async () => {
      const text = (await wb.visibleLines()).map((l) => l.text).join('\n');
      return text.includes('await res.body?.cancel();') && /finally \{\s*client\.release\(\);/.test(text);
    };

    await step('command palette "Fix All" offers "Fix all safe Linger problems", which applies both fixes', async () => {
      await wb.codeActionUi('the Fix All menu', () => wb.command('Fix All'), async () => (await wb.actionRows()).some((r) => r.label));
      await wb.chooseAction('Fix all safe Linger problems');
      await until('`await res.body?.cancel();` and `finally { client.release(); }` in the editor', fixedInEditor, { timeout: 20_000 });
      await noneLeft();
    });

    await step('undo brings both findings back', async () => {
      await wb.focusEditor();
      await wb.key('Control+Z');
      await until('the original text in the editor', async () => !(await fixedInEditor()) && (await wb.visibleLines()).some((l) => l.text === '  client.release();'), { timeout: 10_000 });
      await until('the two Linger problems back in the Problems panel', async () => (await wb.problems()).filter((p) => p.source === 'linger').length === 2, { timeout: 30_000 });
      await until('Linger\'s language status to report 2 findings', async () => /^2 findings/.test((await wb.lingerStatus()) ?? ''), { timeout: 30_000 });
    });

    await step('editor.action.sourceAction with kind source.fixAll.linger (a key binding) applies both fixes', async () => {
      await wb.codeActionUi('`await res.body?.cancel();` and `finally { client.release(); }` in the editor', () => wb.key('Control+Alt+L'), fixedInEditor);
      await wb.save();
      await until('the fixed file on disk', () => read('src/stats.js') === FIXED, { timeout: 10_000 });
    });

    await step('no Linger problem is left', noneLeft);
  },
};
