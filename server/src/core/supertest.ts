// supertest's `request(app)`: given an app function or a server that is not listening, it listens on an
// ephemeral port itself and closes that server when the request ends; given a server that is already
// listening (`request(app.listen())`), it uses it and closes nothing (`Test#serverAddress` and
// `Test#end` in ladjs/supertest lib/test.js). So a server handed to it stays the caller's to close.
import { ts } from 'ts-morph';
import { stripParens } from './ast';

export function isSupertestRequest(call: ts.CallExpression | ts.NewExpression, symbolOf: (n: ts.Node) => ts.Symbol | undefined): boolean {
  const callee = stripParens(call.expression);
  if (!ts.isCallExpression(call) || !ts.isIdentifier(callee)) return false;
  const decl = symbolOf(callee)?.declarations?.[0];
  return !!decl && importedModule(decl) === 'supertest';
}

/** `import request from 'supertest'`, `import * as request from …`, `const request = require('supertest')`. */
function importedModule(decl: ts.Declaration): string | undefined {
  if (ts.isImportClause(decl) || ts.isNamespaceImport(decl) || ts.isImportSpecifier(decl)) {
    let n: ts.Node = decl;
    while (!ts.isImportDeclaration(n) && n.parent) n = n.parent;
    return ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) ? n.moduleSpecifier.text : undefined;
  }
  const init = ts.isVariableDeclaration(decl) && decl.initializer ? stripParens(decl.initializer) : undefined;
  if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && init.arguments[0] && ts.isStringLiteralLike(init.arguments[0])) {
    return init.arguments[0].text;
  }
  return undefined;
}
