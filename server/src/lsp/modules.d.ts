// The root tsconfig resolves modules the Node 10 way, which ignores package.json `exports`, and the
// vscode-languageserver 10 packages publish their Node entry points only there. esbuild resolves
// the real files; these declarations point the type-checker at the same ones. They can go once the
// tsconfig uses "moduleResolution": "bundler".
declare module 'vscode-languageserver/node' {
  export * from 'vscode-languageserver/lib/node/main';
}
declare module 'vscode-languageserver-protocol/node' {
  export * from 'vscode-languageserver/node_modules/vscode-languageserver-protocol/lib/node/main';
}
declare module 'vscode-jsonrpc/node' {
  export * from 'vscode-languageserver/node_modules/vscode-jsonrpc/lib/node/main';
}
