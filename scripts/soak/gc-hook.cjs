// Preloaded into the soaked server (`node --expose-gc --require gc-hook.cjs dist/server.js --stdio`)
// by scripts/soak.mjs, never shipped: on SIGUSR2, run a full garbage collection (in the analysis
// worker too, through the hook the server defines only under --expose-gc) and write the process's
// memory figures to $LINGER_SOAK_MEMFILE, so that memory is compared after a GC rather than at
// whatever point V8 last chose to collect.
'use strict';
const fs = require('fs');

const file = process.env.LINGER_SOAK_MEMFILE;
if (file && typeof global.gc === 'function') {
  process.on('SIGUSR2', () => {
    const worker = typeof global.__lingerCollectGarbage === 'function' ? global.__lingerCollectGarbage() : undefined;
    Promise.resolve(worker).catch(() => undefined).then(() => {
      global.gc();
      global.gc();
      const m = process.memoryUsage();
      fs.writeFileSync(file, JSON.stringify({ at: Date.now(), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external }));
    });
  });
}
