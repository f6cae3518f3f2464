// The preload of `linger trace`, loaded into every Node process of the traced command through
// NODE_OPTIONS=--require. It subscribes to diagnostics channels (nothing is patched), records where
// sockets are created and what becomes of them, and appends that to a journal the `linger trace`
// process reads. Without LINGER_TRACE_DIR it does nothing; loaded twice, it installs once.
import { readFileSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { ENV_ALL_SOCKETS, ENV_DIR, ENV_INTERVAL } from '../records';
import { installAllSockets } from './allSockets';
import { subscribe } from './channels';
import { Counters } from './counters';
import { Journal } from './journal';
import { ResponseTracker } from './responses';
import { SocketTracker } from './sockets';
import { Sites } from './stacks';
import { scanUnseen } from './unseen';

const INSTALLED = Symbol.for('linger.trace.installed');

function install(dir: string): void {
  // The start time keeps a reused pid from appending to an earlier process's journal.
  const base = `${dir}/${process.pid}-${threadId}-${Date.now().toString(36)}`;
  const journal = new Journal(`${base}.jsonl`);
  const sites = new Sites(journal, __filename);
  const sockets = new SocketTracker(journal);
  const counters = new Counters();
  const responses = new ResponseTracker(counters);
  const handleSites = process.env[ENV_ALL_SOCKETS] === '1' ? installAllSockets(sites, sockets) : undefined;

  journal.push(['hello', {
    pid: process.pid, ppid: process.ppid, threadId, argv: process.argv, cwd: process.cwd(),
    node: process.version, platform: process.platform, t: Date.now(),
  }]);
  subscribe({
    sites, sockets, responses, counters,
    siteOfUnreported: (socket, hint) => handleSites?.siteOf(socket) ?? sites.unknown(hint),
  });

  const scan = () => {
    const unseen = scanUnseen(sockets, (socket) => handleSites?.siteOf(socket) ?? sites.unknown('unseen'));
    if (unseen > 0) journal.push(['unseen', unseen, Date.now()]);
  };
  const flush = () => {
    try {
      scan();
      responses.age();
      counters.flush(journal);
      journal.push(['tick', Date.now()]);
      journal.flush();
    } catch {
      // as everywhere in the preload: never the app's problem
    }
  };
  const interval = Number(process.env[ENV_INTERVAL]) || 2000;
  setInterval(flush, interval).unref();

  process.on('exit', (code) => {
    try {
      scan();
      responses.settleAll();
      counters.flush(journal);
      journal.push(['exit', Date.now(), typeof code === 'number' ? code : 0, snapshotProc(base)]);
      journal.flush();
      journal.close();
    } catch {
      // exiting anyway
    }
  });
}

/**
 * The kernel's sockets as this process exits, while its own are still open: `linger trace` joins
 * them like a live sample. Without it a short-lived process would leave no sample at all.
 */
function snapshotProc(base: string): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const text = readFileSync('/proc/net/tcp', 'latin1') + (readOptional('/proc/net/tcp6') ?? '');
    writeFileSync(`${base}.exit.tcp`, text);
    return `${base}.exit.tcp`;
  } catch {
    return null;
  }
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
}

const dir = process.env[ENV_DIR];
const flags = globalThis as unknown as Record<symbol, boolean>;
if (dir && !flags[INSTALLED]) {
  flags[INSTALLED] = true;
  try {
    install(dir);
  } catch {
    // Tracing is best effort; the app runs as it would without it.
  }
}
