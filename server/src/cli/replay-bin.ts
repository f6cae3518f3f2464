// dist/replay.js: what bin/linger.js tries first for `linger audit … --cache` (replay.ts).
import { processIo } from './io';
import { replayAudit } from './replay';

/** The exit code of the replayed audit (`argv` after `audit`), or undefined: run the audit. */
export function replay(argv: string[]): number | undefined {
  try {
    return replayAudit(argv, processIo());
  } catch {
    return undefined; // whatever went wrong, the audit itself still can run (and report it)
  }
}
