#!/usr/bin/env node
// The Linger language server on its own, for Neovim, Helix, Emacs and other LSP clients:
//   linger-language-server --stdio
require('../dist/server.js');
