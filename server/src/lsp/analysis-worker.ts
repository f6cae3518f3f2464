// The analysis runs here, in a worker thread of the language server, so that however long one
// file takes, the main thread keeps answering hovers, code actions and cancellations, and a heap
// exhausted by a hostile workspace ends this thread, not the server (analysis-host.ts restarts it).
// One job at a time, in the order the main thread sends them.
import { parentPort, workerData } from 'worker_threads';
import * as v8 from 'v8';
import * as vm from 'vm';
import { AuditCache, cachedEntries } from '../cache/cache';
import { cachedAnalysis } from '../cache/outcome';
import { Analyzer, listSourceFiles } from '../core/analyze';
import { CONFIG_SIZE_LIMIT, type Boundary } from '../core/files';
import type { Job, JobReply } from './analysis-jobs';
import { createAnalyzer } from '../analyzer';
import { codeCacheReady } from './code-cache';

/** A results cache larger than this is not read (a few kB per file: a project of thousands of files). */
const CACHE_SIZE_LIMIT = 16 * CONFIG_SIZE_LIMIT;

/** Above this share of the heap limit, projects and caches are dropped (rebuilt on demand). */
const DROP_CACHES_AT = 0.6;

export function runAnalysisWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('runAnalysisWorker outside a worker thread');
  const analyzer = createAnalyzer({ boundary: (workerData as { boundary: Boundary }).boundary });

  port.on('message', ({ id, job }: { id: number; job: Job }) => {
    let reply: JobReply;
    try {
      reply = { id, ok: true, value: run(analyzer, job) };
    } catch (e) {
      reply = { id, ok: false, error: (e as Error)?.stack ?? String(e) };
    }
    const heap = v8.getHeapStatistics();
    if (heap.used_heap_size > DROP_CACHES_AT * heap.heap_size_limit) {
      analyzer.invalidate();
      reply.droppedCaches = Math.round(heap.used_heap_size / 2 ** 20);
    }
    port.postMessage(reply);
    if (job.kind === 'analyze') codeCacheReady();
  });
}

function run(analyzer: Analyzer, job: Job): unknown {
  switch (job.kind) {
    case 'analyze':
      analyzer.setOptions(job.options);
      return analyzer.analyzeFile(job.file, job.text);
    case 'cached': {
      const data = cachedEntries(job.cacheFile, (f) => analyzer.files.readText(f, CACHE_SIZE_LIMIT, 'config').text);
      const outcome = data && new AuditCache(job.cacheFile, analyzer, { rules: job.options.rules }, data).lookup(job.file, job.text);
      return outcome ? cachedAnalysis(outcome) : null;
    }
    case 'list':
      return listSourceFiles(job.roots, analyzer);
    case 'load':
      analyzer.projects.projectFor(job.file);
      return null;
    case 'revert':
      // A file changed on disk: links may point elsewhere now.
      analyzer.files.clear();
      analyzer.projects.revert(job.file);
      return null;
    case 'invalidate':
      analyzer.invalidate();
      return null;
    case 'boundary':
      analyzer.setOptions({ boundary: job.boundary });
      return null;
    case 'gc':
      // --expose-gc cannot be given to a worker; the flag can be set from inside it.
      v8.setFlagsFromString('--expose-gc');
      (vm.runInNewContext('gc') as () => void)();
      return null;
  }
}
