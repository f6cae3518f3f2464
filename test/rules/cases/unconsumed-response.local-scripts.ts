// unconsumed-response: a one-shot script's request to a server on this machine (a readiness poll of the
// server it started) is a local server's few bytes, as a test's is, and the process ends with the script.
// Not a request to another host, and not a function that may run for every request. One pass of a script's
// top-level loop plays a function, its body taken apart at once (`const { statusCode, body } = await request(…)`).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A backfill script's top-level loop posting each CSV row to a collector; `refused` is what a refused row does. */
const BACKFILL_ROWS = (refused: string) => `
      import { createReadStream } from 'node:fs';
      import { parse } from 'csv-parse';
      import { request } from 'undici';
      let failed = 0;
      for await (const rec of createReadStream(process.argv[2]).pipe(parse({ columns: true }))) {
        const { statusCode, body } = await request(\`\${process.env.COLLECTOR_URL}/readings\`, { method: 'POST', body: JSON.stringify(rec) });
        if (statusCode >= 400) {
          failed++;${refused}
          continue;
        }
        await body.dump();
      }
      console.log(\`\${failed} rows refused\`);`;

export const valid: ValidCase[] = [
  {
    name: "a script's top-level loop that dumps the body of a refused row too",
    code: BACKFILL_ROWS(`
          await body.dump();`),
    file: 'scripts/backfill.mjs',
    ext: '.mjs',
  },
  {
    name: "a benchmark script's readiness poll of the server it spawned: the ok response left unread",
    code: `
      import { spawn } from 'node:child_process';
      import { setTimeout as sleep } from 'node:timers/promises';
      const PORT = 3210;
      async function waitForServer(): Promise<void> {
        for (let i = 0; i < 30; i++) {
          try {
            const response = await fetch(\`http://localhost:\${PORT}/health\`);
            if (response.ok) return;
          } catch {
            await sleep(100);
          }
        }
        throw new Error('server did not start');
      }
      async function main(): Promise<void> {
        const child = spawn('node', ['server.js'], { stdio: 'inherit' });
        try {
          await waitForServer();
          console.log('ready');
        } finally {
          child.kill();
        }
      }
      main();`,
    file: 'scripts/bench.ts',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a script's top-level loop that skips a refused row with continue, its undici body (taken apart at once) unread",
    code: BACKFILL_ROWS(''),
    file: 'scripts/backfill.mjs',
    ext: '.mjs',
    errors: [{ line: 6, message: /not consumed or cancelled before the next loop iteration \(line 9\)/ }],
  },
  {
    name: "the same poll of another host's status page: its answer's size is the other host's to decide",
    code: `
      import { setTimeout as sleep } from 'node:timers/promises';
      async function waitForUpstream(): Promise<void> {
        for (let i = 0; i < 30; i++) {
          const response = await fetch('https://status.example.com/api/v2/status.json');
          if (response.ok) return;
          await response.body?.cancel();
          await sleep(1000);
        }
        throw new Error('upstream still down');
      }
      async function main(): Promise<void> {
        await waitForUpstream();
        console.log('upstream is up');
      }
      main();`,
    file: 'scripts/wait-upstream.ts',
    errors: [{ line: 4, message: /when the `return` on line 5 is taken/ }],
  },
];
