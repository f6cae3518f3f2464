import { parseSocketsArgs, USAGE, type SocketsArgs } from './args';
import { collectSockets } from './collect';
import { formatText } from './format';
import { serviceKey } from './group';
import { buildReport, type BuiltReport } from './report';
import { nodeSystem, type SystemAccess } from './system';
import type { CodeSites } from './types';

export interface SocketsIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  /** Supplies the workspace's listen() and connection sites, to print beside each port. */
  listeners?: () => Promise<CodeSites>;
  /** Ends --watch like SIGINT does (for the language server and tests). */
  signal?: AbortSignal;
  /** Stands in for the machine (tests). */
  system?: SystemAccess;
  /** Clock for the --watch header (tests). */
  now?: () => Date;
}

const HELP = `${USAGE}

Counts this machine's TCP sockets by state, grouped by service: inbound to a local listening
port, or outbound to a remote port. CLOSE_WAIT and TIME_WAIT come first.

  --port N           only sockets whose local or remote port is N
  --state S          only sockets in state S (CLOSE_WAIT, close-wait, TIME-WAIT, ESTABLISHED, ...)
  --watch SECONDS    print again every SECONDS until Ctrl-C; ▲ marks growing CLOSE_WAIT
  --format text|json json prints { ephemeralRange, services, sockets }
`;

/** `linger sockets`: 0 on success, 1 when the sockets cannot be read, 2 on bad usage. */
export async function runSocketsCommand(args: string[], io: SocketsIo): Promise<number> {
  const parsed = parseSocketsArgs(args);
  if ('error' in parsed) {
    io.stderr(`linger sockets: ${parsed.error} (${USAGE})\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  const sites = await loadSites(io);
  const sampler = new Sampler(parsed, io, sites);
  try {
    if (parsed.watch === undefined) {
      sampler.print(await sampler.sample(), false);
      return 0;
    }
    await watch(parsed.watch, io, async () => sampler.print(await sampler.sample(), true));
    return 0;
  } catch (error) {
    io.stderr(`linger sockets: ${(error as Error).message}\n`);
    return 1;
  }
}

async function loadSites(io: SocketsIo): Promise<CodeSites | undefined> {
  if (!io.listeners) return undefined;
  try {
    return await io.listeners();
  } catch (error) {
    io.stderr(`linger sockets: could not find listen() sites in ${io.cwd} (${(error as Error).message}); ports are shown without code\n`);
    return undefined;
  }
}

class Sampler {
  private readonly warned = new Set<string>();
  private previousCloseWait: Map<string, number> | null = null;

  constructor(
    private readonly args: SocketsArgs,
    private readonly io: SocketsIo,
    private readonly sites: CodeSites | undefined,
  ) {}

  async sample(): Promise<BuiltReport> {
    const snapshot = await collectSockets(this.io.system ?? nodeSystem);
    // In watch mode the same warning would repeat every sample; say it once.
    for (const warning of snapshot.warnings) {
      if (this.warned.has(warning)) continue;
      this.warned.add(warning);
      this.io.stderr(`linger sockets: ${warning}\n`);
    }
    return buildReport(snapshot, { port: this.args.port, state: this.args.state }, this.sites, this.io.cwd);
  }

  print(built: BuiltReport, watching: boolean): void {
    const closeWait = new Map(built.report.services.map((s) => [serviceKey(s), s.states.CLOSE_WAIT ?? 0]));
    const growth = new Map<string, number>();
    if (this.previousCloseWait) {
      for (const [key, count] of closeWait) {
        const before = this.previousCloseWait.get(key) ?? 0;
        if (count > before) growth.set(key, count - before);
      }
    }
    this.previousCloseWait = closeWait;

    if (this.args.format === 'json') {
      // One document per line while watching, so the stream can be read line by line.
      this.io.stdout(watching ? `${JSON.stringify(built.report)}\n` : `${JSON.stringify(built.report, null, 2)}\n`);
      return;
    }
    const header = watching
      ? `--- ${(this.io.now ?? (() => new Date()))().toISOString()} (every ${this.args.watch} s, Ctrl-C to stop) ---\n`
      : '';
    this.io.stdout(header + formatText(built, { growth, filters: { port: this.args.port, state: this.args.state } }));
  }
}

/** Runs `tick` now and every `seconds` until SIGINT or the abort signal. */
async function watch(seconds: number, io: SocketsIo, tick: () => Promise<void>): Promise<void> {
  let stopped = false;
  let wake: () => void = () => {};
  const stop = () => {
    stopped = true;
    wake();
  };
  process.on('SIGINT', stop);
  io.signal?.addEventListener('abort', stop);
  if (io.signal?.aborted) stopped = true;
  try {
    do {
      await tick();
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, seconds * 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    } while (!stopped);
  } finally {
    process.off('SIGINT', stop);
    io.signal?.removeEventListener('abort', stop);
  }
}
