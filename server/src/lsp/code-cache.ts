// The language server's bundle is loaded with V8's code cache (load.ts); the cache of each thread is
// written when that thread has done its first analysis, when what a start needs has been compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { askToSave } = require('../../../bin/compile-cache.js') as { askToSave(): void };

let asked = false;

/** After this thread's first analysis; later calls (every other analysis) do nothing. */
export function codeCacheReady(): void {
  if (asked) return;
  asked = true;
  askToSave();
}

/** The same, once the current turn is done (the server's thread: after the result is on its way). */
export function codeCacheReadySoon(): void {
  if (!asked) setImmediate(codeCacheReady);
}
