import * as fs from 'fs';
import * as path from 'path';

// What a CLI command may touch of its process: output streams, the current folder, the environment.
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  isTTY?: boolean;
  /** The environment (NO_COLOR, FORCE_COLOR, TERM). */
  env?: Record<string, string | undefined>;
}

/** This process's streams, folder and environment. */
export function processIo(): Io {
  return {
    stdout: (s) => process.stdout.write(`${s}\n`),
    stderr: (s) => process.stderr.write(`${s}\n`),
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY,
    env: process.env,
  };
}

/** A command that cannot be done as asked: the message, and exit code 2. */
export function fail(io: Io, message: string): number {
  io.stderr(`linger: ${message}`);
  return 2;
}

/**
 * A report to `--output` (its folder made as needed), or to stdout without one. The problem, when the
 * file cannot be written.
 */
export function writeReport(io: Io, output: string | undefined, text: string): string | undefined {
  if (!output) {
    io.stdout(text);
    return undefined;
  }
  const out = path.resolve(io.cwd, output);
  try {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${text}\n`);
    return undefined;
  } catch (e) {
    return `--output ${output} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}
