// unconsumed-response: a one-shot script's request to a server on this machine (a readiness poll of the
// server it started) is a local server's few bytes, as a test's is, and the process ends with the script.
// Not a request to another host, and not a function that may run for every request.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
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
