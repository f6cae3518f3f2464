// 2. Cursor on the finding, Ctrl+. , "Close `s` before the leaking exit": the file text changes as
// expected and the warning goes away. "Explain" on the other finding opens the CLOSE_WAIT page in
// the editor area.
import assert from 'node:assert/strict';
import { until } from '../lib/wait.mjs';
import { FIX_TITLE, FIXED_SEND } from '../lib/expected.mjs';


export default {
  id: 'quick-fix-explain',
  title: 'Ctrl+. close-on-path fix, then "Explain" opens the CLOSE_WAIT page',
  fixture: 'leak-ts',
  async run({ wb, step, read }) {
    const original = read('src/probe.ts');
    await step('open src/probe.ts and wait for both findings', async () => {
      await wb.openFile('src/probe.ts');
      await until('warning squiggles under both `net.connect(...)` calls', async () =>
        (await wb.squiggleUnder('net.connect({ host, port })')) && (await wb.squiggleUnder("net.connect({ host: 'whois.example', port: 43 })")), { timeout: 60_000 });
    });

    await step('Ctrl+. on line 5 offers "Close `s` before the leaking exit" and it applies', async () => {
      await wb.goto(5, 13);
      await wb.openQuickFix();
      await wb.chooseAction(FIX_TITLE);
      await until('`s.destroy();` inserted before `return false;`', async () => {
        const lines = await wb.visibleLines();
        const i = lines.findIndex((l) => l.text.trim() === 'return false;');
        return i > 0 && lines[i - 1].text === '    s.destroy();';
      }, { timeout: 15_000 });
    });

    await step('saved, the file is the original with exactly that line added', async () => {
      await wb.save();
      const expected = original.replace(/export function send[\s\S]*?\n}/, FIXED_SEND);
      assert.notEqual(expected, original, 'the fixture has the send() function');
      await until('the fixed file on disk', () => read('src/probe.ts') === expected, { timeout: 10_000 });
    });

    await step('the warning on `net.connect({ host, port })` disappears; the other stays', async () => {
      await until('Linger\'s language status to report 1 finding', async () => /^1 finding\b/.test((await wb.lingerStatus()) ?? ''), { timeout: 30_000 });
      await until('no squiggle under `net.connect({ host, port })` and one under the whois call', async () =>
        !(await wb.squiggleUnder('net.connect({ host, port })')) && (await wb.squiggleUnder("net.connect({ host: 'whois.example', port: 43 })")), { timeout: 30_000 });
      const problems = await until('one Linger problem left', async () => {
        const ps = (await wb.problems()).filter((p) => p.source === 'linger');
        return ps.length === 1 && ps;
      }, { timeout: 30_000 });
      assert.equal(problems[0].position, '[Ln 16, Col 16]', 'the whois finding, one line lower now');
    });

    await step('"Explain: why this leaves sockets in CLOSE_WAIT" on the whois finding opens the explanation', async () => {
      await wb.goto(16, 16);
      await wb.openQuickFix();
      await wb.chooseAction('Explain: why this leaves sockets in CLOSE_WAIT');
      await until('an editor tab with the CLOSE_WAIT page', async () => (await wb.tabs()).find((t) => t.active && /close-wait\.md/.test(t.label ?? '')), { timeout: 30_000 });
    });

    await step('the page shown is the CLOSE_WAIT explanation', async () => {
      // The Markdown preview renders in a webview (an iframe inside an iframe).
      await until('the CLOSE_WAIT heading in the preview', () => wb.previewText(/CLOSE_WAIT: the peer hung up/), { timeout: 30_000 });
    });
  },
};
