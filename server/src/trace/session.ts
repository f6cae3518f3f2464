// One `linger trace` run: starts the command, reads the journals and the kernel's sockets every
// interval, prints or writes the report (every interval with --watch, on SIGUSR2, at the end) and
// exits with the command's exit code.
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SystemAccess } from '../sockets/system';
import type { TraceArgs } from './args';
import { formatTraceText } from './format';
import { JournalReader } from './journals';
import { readKernelSockets, readSavedRows } from './kernel';
import { TraceModel, type StateSource } from './model';
import { buildTraceReport, type RunInfo } from './report';
import { SiteResolver } from './resolve';
import { spawnTraced } from './spawn';
import type { TraceReport } from './types';

export interface SessionIo {
  stderr: (s: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  system: SystemAccess;
  preload: string;
}

/** Signals that reach only `linger` (not the terminal's process group) and are passed on. */
const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];

export class TraceSession {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-trace-'));
  private readonly reader = new JournalReader(this.dir);
  private model!: TraceModel;
  private readonly run: RunInfo;
  private ticking: Promise<void> | undefined;

  constructor(private readonly args: TraceArgs, private readonly io: SessionIo) {
    this.run = {
      command: args.command, cwd: io.cwd, startedAt: Date.now(), endedAt: null, exitCode: null, signal: null,
      platform: io.system.platform, intervalSeconds: args.intervalSeconds, warnings: [],
    };
  }

  async start(): Promise<number> {
    try {
      this.model = new TraceModel(new SiteResolver(), await this.stateSource(), readSavedRows);
      const child = spawnTraced({
        command: this.args.command, cwd: this.io.cwd, env: this.io.env, preload: this.io.preload,
        journalDir: this.dir, intervalMs: Math.round(this.args.intervalSeconds * 1000), allSockets: this.args.allSockets,
      });
      return await this.supervise(child);
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private supervise(child: ChildProcess): Promise<number> {
    const timer = setInterval(() => void this.tick(child, true), this.args.intervalSeconds * 1000);
    const onUsr2 = () => void this.tick(child, false).then(() => this.emit(this.report(), true));
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const forwarders = FORWARDED.map((s) => [s, forward(s)] as const);
    // The terminal sends Ctrl-C to the command as well; linger waits for it and reports.
    const onInt = () => undefined;
    process.on('SIGUSR2', onUsr2);
    process.on('SIGINT', onInt);
    for (const [s, f] of forwarders) process.on(s, f);
    const cleanup = () => {
      clearInterval(timer);
      process.off('SIGUSR2', onUsr2);
      process.off('SIGINT', onInt);
      for (const [s, f] of forwarders) process.off(s, f);
    };
    return new Promise<number>((resolve) => {
      // A command that cannot start may emit 'exit' after 'error': answer once.
      let settled = false;
      child.once('error', (error: NodeJS.ErrnoException) => {
        if (settled) return;
        settled = true;
        cleanup();
        this.io.stderr(`linger trace: cannot run ${this.args.command[0]}: ${error.message}\n`);
        resolve(error.code === 'ENOENT' ? 127 : 126);
      });
      child.once('exit', (code, signal) => {
        if (settled) return;
        settled = true;
        cleanup();
        void this.finish(child, code, signal).then(resolve, (error: Error) => {
          this.io.stderr(`linger trace: ${error.message}\n`);
          resolve(code ?? 1);
        });
      });
    });
  }

  private async finish(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): Promise<number> {
    await this.ticking;
    this.run.endedAt = Date.now();
    this.run.exitCode = code;
    this.run.signal = signal;
    await this.tick(child, false);
    const report = this.report();
    this.emit(report, !this.args.output || this.args.watch);
    return code ?? 128 + (os.constants.signals[signal as NodeJS.Signals] ?? 0);
  }

  /** Reads what happened since the last tick; with --watch, shows it. */
  private tick(child: ChildProcess, watching: boolean): Promise<void> {
    this.ticking ??= this.sample(child).finally(() => {
      this.ticking = undefined;
    });
    return this.ticking.then(() => {
      if (watching && this.args.watch) this.emit(this.report(), true);
    });
  }

  private async sample(child: ChildProcess): Promise<void> {
    // Who is gone is decided before reading: a process writes its exit record before it dies.
    const gone = [...this.model.processes.values()]
      .filter((p) => p.running && p.hello && (p.hello.pid === child.pid ? child.exitCode !== null || child.signalCode !== null : !isAlive(p.hello.pid)))
      .map((p) => p.key);
    for (const batch of this.reader.read()) {
      for (const record of batch.records) this.model.apply(batch.key, record);
      this.model.badRecords += batch.bad;
    }
    const now = Date.now();
    if (this.model.stateSource === 'kernel') {
      try {
        this.model.sample(await readKernelSockets(this.io.system), now);
      } catch (error) {
        this.warnOnce(`could not read /proc/net/tcp (${(error as Error).message}); states are from the last sample`);
      }
    }
    for (const key of gone) this.model.vanish(key, now);
    this.model.sweep(now);
  }

  private report(): TraceReport {
    const warnings = [...this.run.warnings];
    if (this.model.badRecords > 0) warnings.push(`${this.model.badRecords} journal records were not understood and were skipped`);
    const vanished = [...this.model.processes.values()].filter((p) => p.vanished && p.hello).map((p) => p.hello!.pid);
    if (vanished.length) warnings.push(`process${vanished.length > 1 ? 'es' : ''} ${vanished.join(', ')} ended without running its exit handlers (killed by a signal?): ${vanished.length > 1 ? 'their' : 'its'} last sample is shown`);
    return buildTraceReport(this.model, { ...this.run, warnings }, Date.now());
  }

  /** The report goes to --output (rewritten whole), and to stderr when `print` (the app owns stdout). */
  private emit(report: TraceReport, print: boolean): void {
    const json = this.args.format === 'json';
    if (this.args.output) {
      const file = path.resolve(this.io.cwd, this.args.output);
      const text = json ? `${JSON.stringify(report, null, 2)}\n` : formatTraceText(report);
      try {
        writeWhole(file, text);
      } catch (error) {
        // Say so, and print the report rather than lose it.
        this.io.stderr(`linger trace: cannot write ${this.args.output}: ${(error as Error).message}\n`);
        print = true;
      }
    }
    if (!print) return;
    if (json && !this.args.output) this.io.stderr(`${JSON.stringify(report, null, this.args.watch && report.endedAt === null ? 0 : 2)}\n`);
    else this.io.stderr(formatTraceText(report));
  }

  private async stateSource(): Promise<StateSource> {
    if (this.io.system.platform === 'linux') {
      try {
        await readKernelSockets(this.io.system);
        return 'kernel';
      } catch (error) {
        this.run.warnings.push(`cannot read /proc/net/tcp (${(error as Error).message}): per-site states come from the sockets' own events`);
        return 'socket events';
      }
    }
    this.run.warnings.push(`no kernel join on ${this.io.system.platform}: per-site states come from the sockets' own events (CLOSE_WAIT once Node read the peer's FIN; TIME_WAIT from the connections this side closed first)`);
    return 'socket events';
  }

  private warned = new Set<string>();

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.run.warnings.push(message);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Readers polling the file (the VS Code view) never see half a report: a regular file is replaced by
 * a rename. Anything else (/dev/stdout, a FIFO) is written in place, never replaced.
 */
function writeWhole(file: string, text: string): void {
  const existing = fs.statSync(file, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) {
    fs.writeFileSync(file, text);
    return;
  }
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}
