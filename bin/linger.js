#!/usr/bin/env node
// The `linger` command: the CLI bundle, loaded from V8's code cache when there is one (compile-cache.js).
require('./compile-cache').load(require('path').join(__dirname, '..', 'dist', 'cli.js'), process.argv[2] === 'audit' ? 'audit' : 'command');
