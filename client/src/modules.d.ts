// The root tsconfig resolves modules the Node 10 way, which ignores package.json `exports`, and
// vscode-languageclient 11 publishes its Node entry point only there. esbuild resolves the real file;
// this points the type-checker at the same one (see also server/src/lsp/modules.d.ts).
declare module 'vscode-languageclient/node' {
  export * from 'vscode-languageclient/lib/node/main';
}
