// dist/server.js: what editors run (`node dist/server.js --stdio`, bin/linger-language-server.js)
// and what the server starts as its analysis worker. It loads the server's bundle
// (dist/server-bundle.js, from main.ts) with V8's code cache (bin/compile-cache.js), one cache for
// the server and one for the worker: each compiles different parts of the 8 MB bundle, and without
// the cache each start compiles them again (about 0.25 s of CPU per thread).
import * as path from 'path';
import { isMainThread } from 'worker_threads';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { load } = require('../../../bin/compile-cache.js') as { load(file: string, profile: string, options: { savedWhenAsked: boolean }): void };

load(path.join(__dirname, 'server-bundle.js'), isMainThread ? 'server' : 'worker', { savedWhenAsked: true });
