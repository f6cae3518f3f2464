// dist/trace.js: `linger trace` without the analyzer, so that it starts at once. The VS Code
// command "Linger: Trace a Command…" runs this (`node dist/trace.js [options] -- <command...>`).
import { runTraceCommand } from './cli';

runTraceCommand(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`linger trace: internal error: ${error.stack ?? error.message}\n`);
    process.exitCode = 2;
  },
);
