// `linger` — the command line. Thin: parses arguments, runs the command, sets the exit code.
import * as fs from 'fs';
import * as path from 'path';
import { analyzeFiles, listSourceFiles } from '../core/analyze';
import { VERSION } from '../core/version';
import { AUDIT_HELP, AUDIT_USAGE, parseAudit, UsageError } from './args';
import { audit } from './audit';
import { merge, MERGE_HELP, MERGE_USAGE, parseMerge } from './merge';
import type { Io } from './io';
export type { Io } from './io';
import { runSocketsCommand } from '../sockets/cli';
import { runTraceCommand } from '../trace/cli';
import type { CodeSites } from '../sockets/types';
import { createAnalyzer } from '../analyzer';

const USAGE = `Usage:
  ${AUDIT_USAGE}
  ${MERGE_USAGE}
  linger sockets [--port N] [--state S] [--watch SECONDS] [--format text|json]
  linger trace [--interval SECONDS] [--watch] [--format text|json] [--output FILE] [--all-sockets] -- <command...>
  linger --version | --help

Exit codes (as ESLint's): 0 no problems (no error, no file left unanalysed, warnings within --max-warnings),
1 problems, 2 bad usage, an unreadable path, a broken .lingerrc.json, or no file to analyse.`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(`${USAGE}\n\n${AUDIT_HELP}\n\n${MERGE_HELP}`);
      return command ? 0 : 2;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(VERSION);
      return 0;
    }
    if (command === 'audit') {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout(`Usage: ${AUDIT_USAGE}\n\n${AUDIT_HELP}`);
        return 0;
      }
      return audit(parseAudit(rest), io);
    }
    if (command === 'merge') {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout(`Usage: ${MERGE_USAGE}\n\n${MERGE_HELP}`);
        return 0;
      }
      return merge(parseMerge(rest), io);
    }
    if (command === 'sockets') return sockets(rest, io);
    // The traced command's exit code is linger's; its report lines end in newlines already.
    if (command === 'trace') return runTraceCommand(rest, { cwd: io.cwd, stdout: (s) => io.stdout(s.replace(/\n$/, '')), stderr: (s) => io.stderr(s.replace(/\n$/, '')) });
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`linger: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

/** `linger sockets`, with the workspace's listen() sites beside each port when run from a project. */
function sockets(args: string[], io: Io): Promise<number> {
  const inProject = ['package.json', 'tsconfig.json', 'jsconfig.json'].some((f) => fs.existsSync(path.join(io.cwd, f)));
  return runSocketsCommand(args, {
    ...io,
    listeners: inProject ? async () => codeSites(io.cwd) : undefined,
  });
}

async function codeSites(cwd: string): Promise<CodeSites> {
  const analyzer = createAnalyzer({ connections: true, shareSyntaxTrees: true, boundary: { roots: [cwd], configsAbove: true } });
  const result = analyzeFiles(listSourceFiles([cwd], analyzer).files, { connections: true }, analyzer);
  return {
    listeners: result.listeners.map((l) => ({ file: path.relative(cwd, l.file), line: l.line, port: l.port })),
    outbound: result.connections.map((c) => ({ file: path.relative(cwd, c.file), line: c.line, port: c.port, host: c.host })),
  };
}
