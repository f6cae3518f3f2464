// `linger trace [options] -- <command...>`: runs a Node command with the trace preload and reports,
// per creating line, the sockets it left in CLOSE_WAIT or TIME_WAIT and the responses it never read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeSystem, type SystemAccess } from '../sockets/system';
import { parseTraceArgs, TRACE_USAGE } from './args';
import { TraceSession } from './session';
import { findPreload } from './spawn';

export interface TraceIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Stands in for the machine's /proc (tests). */
  system?: SystemAccess;
  /** The built preload (tests build their own). */
  preload?: string;
}

const HELP = `${TRACE_USAGE}

Runs the command with a preload in every Node process it starts (NODE_OPTIONS=--require) and
reports, for each line of code that created TCP sockets, their states joined with the kernel's
(/proc/net/tcp on Linux): CLOSE_WAIT (with the oldest age), TIME_WAIT left per second by the
closes of this side, HTTP responses never read, and the rule that describes the problem.
The command's output and exit code are unchanged; the report goes to stderr or to --output.

  --interval SECONDS  how often the kernel's sockets are joined (default 2)
  --watch             print the table every interval (to stderr)
  --format text|json  the report's format (json: see docs/trace.md)
  --output FILE       write the report to FILE instead of stderr (rewritten every interval with --watch)
  --all-sockets       also find the lines of sockets no diagnostics channel reports
                      (new net.Socket().connect() as pg does, tls.connect, https requests):
                      an async_hooks hook that slows promise-heavy code

  kill -USR2 <pid of linger> prints (or writes) the report at any time.
`;

export async function runTraceCommand(args: string[], io: TraceIo): Promise<number> {
  const parsed = parseTraceArgs(args);
  if ('error' in parsed) {
    io.stderr(`linger trace: ${parsed.error} (${TRACE_USAGE})\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  if (parsed.output !== undefined) {
    const dir = path.dirname(path.resolve(io.cwd, parsed.output));
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      io.stderr(`linger trace: --output ${parsed.output}: no such directory ${dir}\n`);
      return 2;
    }
  }
  const preload = io.preload ?? findPreload();
  if (!preload) {
    io.stderr('linger trace: the preload dist/trace-preload.js is missing (run npm run build)\n');
    return 2;
  }
  const session = new TraceSession(parsed, { stderr: io.stderr, cwd: io.cwd, env: io.env ?? process.env, system: io.system ?? nodeSystem, preload });
  return session.start();
}
