// 6. An untrusted workspace (workspace trust on, the user answers "No, I don't trust the authors")
// still gets diagnostics; a file that does not parse and large minified files produce no error
// notification and no server crash: the language status stays healthy and the server still
// answers for a file opened after them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { until } from '../lib/wait.mjs';

/** One line of minified-looking JavaScript of about `bytes` bytes, full of sockets. */
function minified(bytes, seed) {
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const p = `function ${seed}${i.toString(36)}(a,b){var s=require("net").connect({host:a,port:b+${i % 997}});if(!a)return!1;s.on("data",function(d){s.write(d)});s.end("${i}");return!0}`;
    parts.push(p);
    size += p.length + 1;
  }
  return `!function(){"use strict";${parts.join(';')}}();\n`;
}

/** Half-typed TypeScript, written at run time so that the repository's type check never sees it. */
const BROKEN = `import * as net from 'net';

// Half-typed: this file does not parse.
export function half(host: string, port: number {
  const s = net.connect({ host, port ;
  if (s.
`;

export default {
  id: 'untrusted-robustness',
  title: 'untrusted workspace: diagnostics; broken and minified files: no error, server healthy',
  fixture: 'robustness',
  trusted: false,
  prepare({ workspace }) {
    fs.writeFileSync(path.join(workspace, 'src/broken.ts'), BROKEN);
    // Generated here rather than kept in git: 3 MB (over linger.maxFileSize) and 400 kB (one line).
    fs.writeFileSync(path.join(workspace, 'vendor/bundle.min.js'), minified(3_000_000, 'b'));
    fs.writeFileSync(path.join(workspace, 'vendor/widget.min.js'), minified(400_000, 'w'));
  },
  async run({ wb, step, lingerLog, serverPids, screenshot, log }) {
    await step('answer "No, I don\'t trust the authors": the window is in Restricted Mode', async () => {
      await wb.recordNotifications();
      const no = wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: "No, I don't trust the authors" });
      await no.waitFor({ state: 'visible', timeout: 30_000 });
      await no.click();
      await until('the "Restricted Mode" status bar item', async () => (await wb.statusItems()).some((i) => i.id === 'status.workspaceTrust' && /Restricted Mode/.test(i.text)), { timeout: 15_000 });
    });

    await step('src/leak.ts gets its diagnostic in the untrusted workspace', async () => {
      await wb.openFile('src/leak.ts');
      await until('a warning squiggle under `net.connect({ host, port })`', () => wb.squiggleUnder('net.connect({ host, port })'), { timeout: 60_000 });
      await until('the finding in the Problems panel', async () =>
        (await wb.problems()).some((p) => p.source === 'linger' && p.code === 'unclosed-connection' && p.file === 'leak.ts'), { timeout: 30_000 });
    });

    const pids = await step('one Linger language server process is running', () => {
      const p = serverPids();
      assert.equal(p.length, 1, `Linger server processes: ${JSON.stringify(p)}`);
      return p;
    });

    await step('src/broken.ts (does not parse) opens without a Linger diagnostic or error', async () => {
      await wb.openFile('src/broken.ts');
      // The server has seen this file once the status item reports on it: not analysed, because it
      // does not parse — a note, not a failure.
      const status = await until('Linger\'s language status on broken.ts to say it does not parse', async () => {
        const st = await wb.lingerStatus();
        return /does not parse/.test(st ?? '') && st;
      }, { timeout: 30_000 });
      log(`  language status on broken.ts: ${status}`);
      const hover = await wb.lingerStatusHover();
      assert.notEqual(hover.severity, 'error', `language status severity (${hover.text})`);
      await wb.key('Escape');
      assert.ok(!(await wb.problems()).some((p) => p.file === 'broken.ts' && p.source === 'linger'), 'no Linger problem for a file that does not parse');
    });

    await step('vendor/bundle.min.js (over linger.maxFileSize) is kept but not analysed: the status says why, no diagnostic', async () => {
      await wb.openFile('vendor/bundle.min.js');
      // A document over the size cap is not analysed at all (README, "Reading and memory"): the
      // language status and the log say why (the log line is checked in test/lsp/robustness.test.ts);
      // nothing goes to the Problems panel.
      const status = await until('Linger\'s language status on bundle.min.js to say it is larger than the limit', async () => {
        const st = await wb.lingerStatus();
        return /not analysed: larger than the 1000000-byte limit/.test(st ?? '') && st;
      }, { timeout: 60_000 });
      log(`  language status on bundle.min.js: ${status}`);
      const hover = await wb.lingerStatusHover();
      assert.notEqual(hover.severity, 'error', `language status severity (${hover.text})`);
      await wb.key('Escape');
      assert.ok(!(await wb.problems()).some((p) => p.file === 'bundle.min.js' && p.source === 'linger'), 'no Linger problem for a document over the size cap');
    });

    await step('vendor/widget.min.js (minified) is skipped with a note, not analysed', async () => {
      await wb.openFile('vendor/widget.min.js');
      const note = await until('Linger\'s "did not analyse" note on widget.min.js', async () =>
        (await wb.problems()).find((p) => p.file === 'widget.min.js' && p.source === 'linger'), { timeout: 60_000 });
      log(`  ${note.message}`);
      assert.match(note.message, /did not analyse/, 'the note says the file was not analysed');
      assert.match(note.message, /minified/);
      assert.notEqual(note.severity, 'error');
      assert.notEqual(note.severity, 'warning');
    });

    await step('no error notification was shown, and none from Linger at all', async () => {
      const seen = await wb.notificationsSeen();
      const bad = seen.filter((n) => n.severity === 'error' || /linger|language server|crash/i.test(n.text));
      assert.deepEqual(bad, [], 'notifications');
    });

    await step('src/late.ts, opened after them, gets its diagnostic: the server still answers', async () => {
      await wb.openFile('src/late.ts');
      await until('a warning squiggle under `net.createConnection(80, host)`', () => wb.squiggleUnder('net.createConnection(80, host)'), { timeout: 30_000 });
    });

    await step('the language status is healthy', async () => {
      await until('Linger\'s language status to report late.ts', async () => /^1 finding\b/.test((await wb.lingerStatus()) ?? ''), { timeout: 30_000 });
      const hover = await wb.lingerStatusHover();
      assert.match(hover.text, /^Linger\s*1 finding/);
      assert.equal(hover.severity, 'information');
      await screenshot('status');
      assert.deepEqual(serverPids(), pids, 'the same language server process as before the bad files (no crash, no restart)');
      const output = lingerLog();
      assert.doesNotMatch(output, /crashed|Connection to server got closed|Server initialization failed|\[error\]/i, 'the Linger output log');
    });
  },
};
