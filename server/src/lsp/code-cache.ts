// The language server's bundle is loaded with V8's code cache (load.ts); the cache of each thread is
// written when that thread has done its first analysis, when what a start needs has been compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { askToSave } = require('../../../bin/compile-cache.js') as { askToSave(): void };

export function codeCacheReady(): void {
  askToSave();
}
