#!/usr/bin/env node
// The Linger language server on its own, for Neovim, Helix, Emacs and other LSP clients:
//   linger-language-server --stdio
// Its heap is bounded: unless Node already has a --max-old-space-size (the client chose one), the
// server runs in a child Node with one, sharing this process's stdio, so that a workspace that makes
// the analysis grow ends its analysis worker (which the server restarts), not the machine's memory.
'use strict';
const HEAP_MB = 3072; // the VS Code client's choice too (client/src/client.ts)
const server = require.resolve('../dist/server.js');
const chosen = process.execArgv.some((a) => a.startsWith('--max-old-space-size')) || /--max-old-space-size/.test(process.env.NODE_OPTIONS || '');
if (chosen || process.send) {
  require(server); // already bounded, or --node-ipc (the IPC channel belongs to this process)
} else {
  const { spawn } = require('child_process');
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, server, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code === null ? 1 : code);
  });
}
