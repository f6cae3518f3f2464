import { processIo } from './io';
import { main } from './main';

main(process.argv.slice(2), processIo()).then(
  (code) => { process.exitCode = code; },
  (e: Error) => {
    process.stderr.write(`linger: internal error: ${e.stack ?? e.message}\n`);
    process.exitCode = 2;
  },
);
