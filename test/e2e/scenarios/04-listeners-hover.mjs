// 4. A multicast `dgram` socket bound without `reuseAddr` and a Node `http` server's `listen()`: the first is
// reported (listen-without-reuseaddr), the second is not, and hovering its `listen` shows that
// SO_REUSEADDR is already set by the runtime.
import assert from 'node:assert/strict';
import { until } from '../lib/wait.mjs';

const BIND = "socket.bind(8125, () => socket.addMembership('239.255.0.1'))";

export default {
  id: 'listeners-hover',
  title: 'multicast dgram bind without reuseAddr reported, http listen() not; hover explains SO_REUSEADDR',
  fixture: 'listeners',
  async run({ wb, step, screenshot }) {
    await step('open src/servers.ts', () => wb.openFile('src/servers.ts'));

    await step('the multicast `socket.bind(8125, …)` is reported as listen-without-reuseaddr', async () => {
      await until('a Linger problem at line 8 (socket.bind) — the TIME_WAIT rules must report a multicast dgram bind without reuseAddr', async () =>
        (await wb.problems()).find((p) => p.source === 'linger' && p.code === 'listen-without-reuseaddr' && p.position.startsWith('[Ln 8,')), { timeout: 60_000 });
      await until('a squiggle under `socket.bind(8125, …)`', async () =>
        (await wb.squiggleUnder(BIND)) ?? (await wb.squiggleUnder(BIND, 'info')) ?? (await wb.squiggleUnder(BIND, 'error')), { timeout: 15_000 });
    });

    await step('`server.listen(8080)` is not reported', async () => {
      // The file is analysed as a whole: once the bind finding is there, the listen() one would be too.
      await until('Linger\'s language status to report the analysis of this file', async () => /\b1 finding\b/.test((await wb.lingerStatus()) ?? ''), { timeout: 30_000 });
      const problems = (await wb.problems()).filter((p) => p.source === 'linger');
      assert.deepEqual(problems.map((p) => [p.code, p.position]), [['listen-without-reuseaddr', '[Ln 8, Col 3]']], 'only the dgram bind is reported');
      assert.equal(await wb.squiggleUnder('server.listen(8080)'), undefined, 'no warning squiggle under server.listen(8080)');
    });

    await step('hovering `listen` shows that SO_REUSEADDR is already set by the runtime', async () => {
      const text = await wb.hoverUntil('listen(8080)', 'a hover from Linger about SO_REUSEADDR', (h) => /SO_REUSEADDR/.test(h));
      assert.match(text, /http\.Server\.listen/, 'the hover names the API');
      assert.match(text, /port 8080/, 'the hover names the port');
      assert.match(text, /SO_REUSEADDR:?\s*set by Node itself/, 'the hover says the runtime already sets SO_REUSEADDR');
      await screenshot('hover');
    });
  },
};
