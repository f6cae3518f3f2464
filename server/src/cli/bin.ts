import { main } from './main';

main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(`${s}\n`),
  stderr: (s) => process.stderr.write(`${s}\n`),
  cwd: process.cwd(),
  isTTY: process.stdout.isTTY,
  env: process.env,
}).then(
  (code) => { process.exitCode = code; },
  (e: Error) => {
    process.stderr.write(`linger: internal error: ${e.stack ?? e.message}\n`);
    process.exitCode = 2;
  },
);
