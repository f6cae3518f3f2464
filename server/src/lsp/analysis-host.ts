// The main thread's side of the analysis worker (analysis-worker.ts): a queue of jobs, one in the
// worker at a time, editor documents first ('now') and the audit and listener inventory after them
// ('background'), so a workspace audit never makes typing wait. A worker that runs out of heap, dies
// or hangs past the watchdog is replaced; the job it was running fails with the reason, and the
// server goes on.
import * as v8 from 'v8';
import { Worker } from 'worker_threads';
import type { Boundary } from '../core/files';
import type { Job, JobReply, JobResults } from './analysis-jobs';
import { codeCacheReadySoon } from './code-cache';

export const ANALYSIS_WORKER_ROLE = 'linger-analysis';

type Lane = 'now' | 'background';

interface Pending {
  id: number;
  job: Job;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** A job longer than this is taken as hung (one file has a 2 s budget; loading a big project takes seconds). */
const WATCHDOG_MS: Record<Job['kind'], number> = {
  analyze: 120_000, cached: 60_000, load: 120_000, list: 300_000, revert: 60_000, invalidate: 60_000, boundary: 60_000, gc: 60_000,
};

export class AnalysisWorker {
  private worker?: Worker;
  private lanes: Record<Lane, Pending[]> = { now: [], background: [] };
  private running?: Pending & { timer: NodeJS.Timeout };
  private nextId = 1;
  private disposed = false;
  /** The heap limit of the worker: the one the client or the bin chose for the server (--max-old-space-size). */
  readonly heapLimitMb = Math.floor(v8.getHeapStatistics().heap_size_limit / 2 ** 20);
  /** Restarts so far (out of memory, crash, watchdog), for the log and the tests. */
  restarts = 0;

  constructor(private entry: string, private boundary: Boundary, private log: (message: string) => void) {}

  run<K extends Job['kind']>(job: Extract<Job, { kind: K }>, lane: Lane = 'now'): Promise<JobResults[K]> {
    return new Promise((resolve, reject) => {
      this.lanes[lane].push({ id: this.nextId++, job, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Jobs waiting or running (a test hook for "analysis is in progress"). */
  get busy(): boolean {
    return !!this.running || this.lanes.now.length > 0 || this.lanes.background.length > 0;
  }

  setBoundary(boundary: Boundary): void {
    if (JSON.stringify(boundary) === JSON.stringify(this.boundary)) return;
    this.boundary = boundary;
    // Queued before any later analysis: jobs run in order within a lane, and 'now' goes first.
    void this.run({ kind: 'boundary', boundary }).catch((e) => this.log(`analysis: boundary not applied: ${(e as Error).message}`));
  }

  dispose(): void {
    this.disposed = true;
    void this.worker?.terminate();
  }

  private pump(): void {
    if (this.running || this.disposed) return;
    const next = this.lanes.now.shift() ?? this.lanes.background.shift();
    if (!next) return;
    let worker: Worker;
    try {
      worker = this.worker ?? this.start();
    } catch (e) {
      next.reject(new AnalysisStopped(`could not start: ${(e as Error).message}`));
      setImmediate(() => this.pump());
      return;
    }
    const timer = setTimeout(() => this.fail(worker, `stopped after ${WATCHDOG_MS[next.job.kind] / 1000} s without an answer`), WATCHDOG_MS[next.job.kind]);
    this.running = { ...next, timer };
    worker.postMessage({ id: next.id, job: next.job });
  }

  private start(): Worker {
    const worker = new Worker(this.entry, {
      workerData: { role: ANALYSIS_WORKER_ROLE, boundary: this.boundary },
      execArgv: workerExecArgv(process.execArgv),
      resourceLimits: { maxOldGenerationSizeMb: this.heapLimitMb },
      stdout: false,
      stderr: false,
    });
    worker.on('message', (reply: JobReply) => this.settle(worker, reply));
    worker.on('error', (e: Error & { code?: string }) => {
      this.fail(worker, e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `ran out of memory (the ${this.heapLimitMb} MB heap limit)` : `failed: ${e.message}`);
    });
    worker.on('exit', (code) => this.fail(worker, `stopped (exit code ${code})`));
    // Never keep the server alive on its own: the connection decides when the process ends.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(worker: Worker, reply: JobReply): void {
    const running = this.running;
    if (worker !== this.worker || !running || running.id !== reply.id) return;
    clearTimeout(running.timer);
    this.running = undefined;
    if (reply.droppedCaches) this.log(`analysis: heap at ${reply.droppedCaches} MB of ${this.heapLimitMb} MB: projects dropped, rebuilt on demand`);
    if (reply.ok) running.resolve(reply.value);
    else running.reject(new Error(reply.error));
    if (running.job.kind === 'analyze') codeCacheReadySoon();
    this.pump();
  }

  /** The worker is gone or hung: fail its job, forget it, and start a new one for the next job. */
  private fail(worker: Worker, reason: string): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    void worker.terminate();
    const running = this.running;
    this.running = undefined;
    if (this.disposed) return;
    this.restarts++;
    this.log(`analysis worker ${reason}${running ? ` during ${describe(running.job)}` : ''}; a new one takes over`);
    if (running) {
      clearTimeout(running.timer);
      running.reject(new AnalysisStopped(reason));
    }
    this.pump();
  }
}

/**
 * The server's own Node options a worker accepts: those that load code (a TypeScript loader when run
 * from source). V8 and process-wide flags (--max-old-space-size, --expose-gc) are refused by
 * workers; the heap limit is passed as a resource limit instead.
 */
export function workerExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  const loaders = /^(?:--import|--require|-r|--loader|--experimental-loader|--conditions|-C)$/;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (loaders.test(a) && i + 1 < argv.length) out.push(a, argv[++i]);
    else if (/^(?:--import|--require|--loader|--experimental-loader|--conditions)=/.test(a) || a === '--enable-source-maps') out.push(a);
  }
  return out;
}

/** The worker stopped while running a job (out of memory, crashed, hung). */
export class AnalysisStopped extends Error {}

function describe(job: Job): string {
  return 'file' in job ? `${job.kind} ${job.file}` : job.kind;
}
