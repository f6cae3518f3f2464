// 9. The walkthrough's own example, as a new user meets it: "Linger: Open a Leaky Example" opens the
// untitled buffer, the socket used inside an awaited `new Promise` is flagged, the hover on
// `connect` says what happens to the outbound socket, Ctrl+. offers the try/finally fix (beside the close before
// the early return, "Ignore for this file" and "Fix all Linger problems in this file"), and applying it gives the
// text the walkthrough shows and removes the warning. Then a multi-line `net.connect({…})` in a
// file is underlined on `net.connect` only.
import assert from 'node:assert/strict';
import { until } from '../lib/wait.mjs';

const WRAP = 'Wrap the uses of `socket` in try/finally and close it in `finally`';
const CLOSE = 'Close `socket` before the leaking exit';

/** The example after the fix (client/src/walkthrough.ts, docs/walkthrough/apply-fix.md). */
const FIXED = `import * as net from 'net';

// Linger warns on net.connect below: when the banner is not SSH, the early return skips
// socket.end(), and the socket stays open (CLOSE_WAIT once the server hangs up).
// Put the cursor on it and press Ctrl+. (Cmd+. on macOS) to see the fixes.
export async function isSsh(host: string, port: number): Promise<boolean> {
  const socket = net.connect({ host, port });
  try {
    const banner = await new Promise<string>((resolve, reject) => {
      socket.once('data', (d) => resolve(d.toString()));
      socket.once('error', reject);
    });
    if (!banner.startsWith('SSH-')) {
      return false;
    }
    return true;
  } finally {
    socket.end();
  }
}`;

export default {
  id: 'walkthrough-fix',
  title: 'walkthrough example: the try/finally fix applies; hover on connect(); a multi-line call underlines its callee',
  fixture: 'editor',
  async run({ wb, step, screenshot }) {
    await step('"Linger: Open a Leaky Example" opens the example in an untitled editor', async () => {
      await wb.command('Linger: Open a Leaky Example');
      // VS Code names an untitled buffer after its first line; the window title says Untitled-1.
      await until('an untitled editor with the example', async () => /Untitled-\d/.test(await wb.page.title()) && (await wb.activeTab()) === "import * as net from 'net';", { timeout: 20_000 });
    });

    await step('the socket is flagged: a warning squiggle under `net.connect({ host, port })`', () =>
      until('a warning squiggle under `net.connect({ host, port })`', () => wb.squiggleUnder('net.connect({ host, port })'), { timeout: 60_000 }));

    await step('hovering `connect` explains the outbound socket: ephemeral port, TIME_WAIT on the side that closes first, localPort', async () => {
      const text = await wb.hoverUntil('connect({ host', 'Linger\'s hover on connect()', (h) => /Linger: net\.connect/.test(h));
      assert.match(text, /ephemeral port/);
      assert.match(text, /the side that closes first keeps the connection in TIME_WAIT/);
      assert.match(text, /localPort/);
      await screenshot('connect-hover');
      await wb.page.mouse.move(700, 850);
    });

    await step('Ctrl+. offers the close before the early return and the try/finally fix first, and "Ignore for this file" and "Fix all Linger problems in this file"', async () => {
      await wb.goto(7, 18);
      const rows = await wb.openQuickFix();
      const labels = rows.map((r) => r.label).filter(Boolean);
      assert.deepEqual(labels.slice(0, 2), [CLOSE, WRAP], `the fixes come first: ${JSON.stringify(labels)}`);
      for (const title of ['Ignore on this line', 'Ignore for this file', 'Fix all Linger problems in this file']) assert.ok(labels.includes(title), `${title}: ${JSON.stringify(labels)}`);
      await screenshot('quick-fix');
      await wb.chooseAction(WRAP);
    });

    await step('the example now reads as the walkthrough shows, and the warning is gone', async () => {
      const text = await until('the try/finally in the editor', async () => {
        const lines = await wb.visibleLines();
        const t = lines.map((l) => l.text.replace(/\s+$/, '')).join('\n');
        return /\} finally \{\n {4}socket\.end\(\);/.test(t) && t;
      }, { timeout: 15_000 });
      assert.equal(text.trimEnd(), FIXED);
      await until('no warning squiggle left', async () => (await wb.squiggles('warning')).length === 0, { timeout: 30_000 });
      await screenshot('fixed');
    });

    await step('a multi-line `net.connect({…})` is underlined on `net.connect`, not on its five lines', async () => {
      await wb.openFile('src/multiline.ts');
      const under = await until('a warning squiggle under `net.connect`', () => wb.squiggleUnder('net.connect'), { timeout: 60_000 });
      const all = await wb.squiggles('warning');
      assert.equal(all.length, 1, `one squiggle: ${JSON.stringify(all)}`);
      const callee = await wb.textRect('net.connect');
      assert.ok(all[0].top >= callee.top - 2 && all[0].bottom <= callee.bottom + 6, `on the line of \`net.connect\` only: ${JSON.stringify({ squiggle: all[0], callee })}`);
      assert.ok(Math.abs(under.right - callee.right) <= 4, 'it ends where `net.connect` ends');
      const problems = (await wb.problems()).filter((p) => p.source === 'linger' && p.file === 'multiline.ts');
      assert.deepEqual(problems.map((p) => p.position), ['[Ln 5, Col 18]']);
    });
  },
};
