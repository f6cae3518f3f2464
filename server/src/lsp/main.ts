// Entry point of the language-server bundle (`node dist/server.js --stdio`, or
// `linger-language-server --stdio`). The same script is the analysis worker's: the server starts
// it as a worker thread (analysis-host.ts), where it runs the analysis instead of the server.
import { isMainThread, workerData } from 'worker_threads';
import { ANALYSIS_WORKER_ROLE } from './analysis-host';
import { runAnalysisWorker } from './analysis-worker';
import { startServer } from './server';

if (!isMainThread && (workerData as { role?: string } | null)?.role === ANALYSIS_WORKER_ROLE) runAnalysisWorker();
else startServer(__filename);
