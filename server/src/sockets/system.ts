import { execFile } from 'node:child_process';
import { readFile, readdir, readlink } from 'node:fs/promises';

/**
 * Everything the socket readers need from the machine. Tests pass a fake one so the macOS and
 * Windows paths, and unreadable /proc entries, can be exercised on any host.
 */
export interface SystemAccess {
  platform: string;
  readFile(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  readlink(path: string): Promise<string>;
  /** Runs a program without a shell and resolves with its stdout. */
  execFile(command: string, args: string[]): Promise<string>;
}

export const nodeSystem: SystemAccess = {
  platform: process.platform,
  readFile: (path) => readFile(path, 'utf8'),
  readdir: (path) => readdir(path),
  readlink: (path) => readlink(path),
  execFile: (command, args) =>
    new Promise((resolve, reject) => {
      // A busy server lists tens of thousands of sockets; the default 1 MiB buffer is too small.
      execFile(command, args, { maxBuffer: 256 * 1024 * 1024, windowsHide: true }, (error, stdout) => {
        if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}`));
        else resolve(stdout);
      });
    }),
};
