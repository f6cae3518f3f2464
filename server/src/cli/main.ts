// `linger` — the command line. Thin: parses arguments, calls the core, prints, sets the exit code.
import * as fs from 'fs';
import * as path from 'path';
import { analyzeFiles, Analyzer, listSourceFiles } from '../core/analyze';
import { isSeverity, KNOWN_RULE_IDS } from '../core/config';
import { RuleSettings, Severity, SkippedFile } from '../core/types';
import { VERSION } from '../core/version';
import { toJson, toSarif, toText } from './formats';
import { runSocketsCommand } from '../sockets/cli';
import { runTraceCommand } from '../trace/cli';
import type { CodeSites } from '../sockets/types';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  isTTY?: boolean;
}

const USAGE = `Usage:
  linger audit [paths...] [--project <tsconfig>] [--format text|json|sarif] [--rule <id>=off|hint|info|warning|error]... [--max-warnings <n>] [--output <file>]
  linger sockets [--port N] [--state S] [--watch SECONDS] [--format text|json]
  linger trace [--interval SECONDS] [--watch] [--format text|json] [--output FILE] [--all-sockets] -- <command...>
  linger --version | --help

Exit codes: 0 no problems above --max-warnings, 1 problems, 2 bad usage, an unreadable path or a broken config.`;

class UsageError extends Error {}

interface AuditArgs {
  paths: string[];
  project?: string;
  format: 'text' | 'json' | 'sarif';
  rules: RuleSettings;
  maxWarnings: number;
  output?: string;
}

function parseAudit(args: string[]): AuditArgs {
  const a: AuditArgs = { paths: [], format: 'text', rules: {}, maxWarnings: -1 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') && !arg.startsWith('--rule=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--project' || flag === '-p') a.project = value();
    else if (flag === '--format' || flag === '-f') {
      const f = value();
      if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format "${f}" (text, json or sarif)`);
      a.format = f;
    } else if (flag === '--rule' || arg.startsWith('--rule=')) {
      const spec = arg.startsWith('--rule=') ? arg.slice(7) : value();
      const [id, sev] = spec.split('=');
      if (!KNOWN_RULE_IDS.includes(id)) throw new UsageError(`unknown rule "${id}" (known: ${KNOWN_RULE_IDS.join(', ')})`);
      if (!sev || !isSeverity(sev)) throw new UsageError(`--rule ${spec}: severity must be off, hint, info, warning or error`);
      a.rules[id] = sev;
    } else if (flag === '--max-warnings') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < -1) throw new UsageError('--max-warnings needs a whole number');
      a.maxWarnings = n;
    } else if (flag === '--output' || flag === '-o') a.output = value();
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else a.paths.push(arg);
  }
  return a;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE);
      return command ? 0 : 2;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(VERSION);
      return 0;
    }
    if (command === 'audit') return audit(parseAudit(rest), io);
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

function audit(a: AuditArgs, io: Io): number {
  const resolve = (p: string) => path.resolve(io.cwd, p);
  if (a.project && !fs.existsSync(resolve(a.project))) {
    io.stderr(`linger: --project ${a.project}: no such file`);
    return 2;
  }
  const project = a.project ? resolve(a.project) : undefined;
  const analyzer = new Analyzer({ rules: a.rules, project, boundary: { roots: workspaceRoots(io.cwd, a.paths.map(resolve), project), configsAbove: true } });
  let files: string[];
  let skipped: SkippedFile[] = [];
  if (a.paths.length) {
    const listed = listSourceFiles(a.paths.map(resolve), analyzer);
    if (listed.missing.length) {
      io.stderr(`linger: ${path.relative(io.cwd, listed.missing[0]) || listed.missing[0]}: no such file or directory, or not readable`);
      return 2;
    }
    files = listed.files;
    skipped = listed.skipped;
  } else if (a.project) {
    files = analyzer.projects.filesOfConfig(resolve(a.project));
    const err = analyzer.projects.errors.get(resolve(a.project));
    if (err) {
      io.stderr(`linger: ${err}`);
      return 2;
    }
  } else {
    ({ files, skipped } = listSourceFiles([io.cwd], analyzer));
  }
  const result = analyzeFiles(files, { skipped }, analyzer);
  const relative = a.paths.every((p) => !path.isAbsolute(p)) && !(a.project && path.isAbsolute(a.project));
  const display = (abs: string) => (relative ? path.relative(io.cwd, abs) || abs : abs);
  const text = a.format === 'json' ? toJson(result, display)
    : a.format === 'sarif' ? toSarif(result, io.cwd)
    : toText(result, display, !!io.isTTY && !a.output);
  if (a.output) fs.writeFileSync(resolve(a.output), `${text}\n`);
  else io.stdout(text);
  if (result.configErrors.length) {
    for (const e of result.configErrors) io.stderr(`linger: ${e}`);
    return 2;
  }
  const atLeastWarning = (s: Severity) => s === 'warning' || s === 'error';
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => atLeastWarning(f.severity)).length;
  if (errors > 0) return 1;
  return a.maxWarnings >= 0 ? (warnings > a.maxWarnings ? 1 : 0) : warnings > 0 ? 1 : 0;
}

/** `linger sockets`, with the workspace's listen() sites beside each port when run from a project. */
function sockets(args: string[], io: Io): Promise<number> {
  const inProject = ['package.json', 'tsconfig.json', 'jsconfig.json'].some((f) => fs.existsSync(path.join(io.cwd, f)));
  return runSocketsCommand(args, {
    ...io,
    listeners: inProject ? async () => codeSites(io.cwd) : undefined,
  });
}

/**
 * What the audit may read: the current folder, and each path named outside it (a file's folder),
 * plus the folder of a --project config. Config files are also looked for above them, as tsc and
 * ESLint do; links out of these folders are not followed.
 */
function workspaceRoots(cwd: string, paths: string[], project?: string): string[] {
  const roots = [cwd];
  const add = (p: string) => {
    if (!roots.some((r) => p === r || p.startsWith(r + path.sep))) roots.push(p);
  };
  for (const p of paths) add(isFolder(p) ? p : path.dirname(p));
  if (project) add(path.dirname(project));
  return roots;
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

async function codeSites(cwd: string): Promise<CodeSites> {
  const analyzer = new Analyzer({ connections: true, boundary: { roots: [cwd], configsAbove: true } });
  const result = analyzeFiles(listSourceFiles([cwd], analyzer).files, { connections: true }, analyzer);
  return {
    listeners: result.listeners.map((l) => ({ file: path.relative(cwd, l.file), line: l.line, port: l.port })),
    outbound: result.connections.map((c) => ({ file: path.relative(cwd, c.file), line: c.line, port: c.port, host: c.host })),
  };
}
