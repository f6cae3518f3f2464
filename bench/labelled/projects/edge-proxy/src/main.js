#!/usr/bin/env node
import express from 'express';
import { createTunnelProxy } from './connect-proxy.js';
import { startReverseProxy } from './reverse-proxy.js';
import { serveAssets } from './static-proxy.js';
import { forward } from './forward.js';
import { drainHeader, startDraining } from './drain.js';
import { startAdmin } from './admin-server.js';

const app = express();
app.use(drainHeader);
app.use('/assets', serveAssets);
app.use(forward);
app.listen(8080);

createTunnelProxy({ allow: (h) => h.endsWith('.internal') || h === 'registry.npmjs.org' }).listen(3128);
startReverseProxy(8443);
await startAdmin(9090, { '/status': () => ({ ok: true }) });

process.on('SIGTERM', () => {
  startDraining();
  setTimeout(() => process.exit(0), 10_000).unref();
});
