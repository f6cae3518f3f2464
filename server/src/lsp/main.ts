// Entry point of the language-server bundle (dist/server-bundle.js, loaded by dist/server.js: load.ts).
// The same script is the analysis worker's: the server starts it as a worker thread
// (analysis-host.ts), where it runs the analysis instead of the server.
import * as fs from 'fs';
import * as path from 'path';
import { isMainThread, workerData } from 'worker_threads';
import { ANALYSIS_WORKER_ROLE } from './analysis-host';
import { runAnalysisWorker } from './analysis-worker';
import { startServer } from './server';

if (!isMainThread && (workerData as { role?: string } | null)?.role === ANALYSIS_WORKER_ROLE) runAnalysisWorker();
// The worker starts through the loader too, to load from the code cache (this bundle alone, without it).
else startServer(fs.existsSync(path.join(__dirname, 'server.js')) ? path.join(__dirname, 'server.js') : __filename);
