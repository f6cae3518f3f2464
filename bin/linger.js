#!/usr/bin/env node
// The `linger` command: the CLI bundle, loaded from V8's code cache when there is one (compile-cache.js).
// `linger audit --cache` first tries to replay the previous run (dist/replay.js: no analyzer, no
// TypeScript), which works when nothing the previous run looked at has changed.
const path = require('path');
const argv = process.argv.slice(2);
const replayed = argv[0] === 'audit' && argv.includes('--cache') ? require(path.join(__dirname, '..', 'dist', 'replay.js')).replay(argv.slice(1)) : undefined;
if (replayed !== undefined) process.exitCode = replayed;
else require('./compile-cache').load(path.join(__dirname, '..', 'dist', 'cli.js'), argv[0] === 'audit' ? 'audit' : 'command');
