// The names of the functions around a position, outermost first ("UserRepo.save > pool.connect
// callback"), for SARIF fingerprints that survive edits elsewhere in the file: an anonymous
// function is named after what holds it (a variable, a property, the call it is passed to).
import * as path from 'path';
import { ts } from 'ts-morph';

let memo: { file: string; text: string; sf: ts.SourceFile } | undefined;

function parse(file: string, text: string): ts.SourceFile {
  if (memo?.file !== file || memo.text !== text) {
    const ext = path.extname(file).toLowerCase();
    const kind = ext === '.tsx' ? ts.ScriptKind.TSX : ext === '.jsx' ? ts.ScriptKind.JSX : /^\.[cm]?js$/.test(ext) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
    memo = { file, text, sf: ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind) };
  }
  return memo.sf;
}

export function enclosingFunctionName(file: string, text: string, offset: number): string {
  const sf = parse(file, text);
  const names: string[] = [];
  let node: ts.Node | undefined = innermost(sf, offset);
  for (; node; node = node.parent) {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) names.push(nameOf(node, sf));
  }
  return names.reverse().join(' > ') || '<module>';
}

function innermost(sf: ts.SourceFile, offset: number): ts.Node {
  let node: ts.Node = sf;
  descend: for (;;) {
    for (const child of node.getChildren(sf)) {
      if (child.getStart(sf) <= offset && offset < child.end) {
        node = child;
        continue descend;
      }
    }
    return node;
  }
}

function nameOf(node: ts.Node, sf: ts.SourceFile): string {
  const own = (node as ts.NamedDeclaration).name;
  if (own && !ts.isComputedPropertyName(own)) return own.getText(sf);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (!parent) return '<anonymous>';
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name) return parent.name.getText(sf);
  if (ts.isBinaryExpression(parent) && parent.right === node) return parent.left.getText(sf).replace(/\s+/g, '');
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    const callee = parent.expression.getText(sf).replace(/\s+/g, '');
    // A literal first argument tells sibling callbacks apart: app.get('/users', …) and app.get('/orders', …).
    const first = parent.arguments?.[0];
    const label = first && first !== node && ts.isStringLiteralLike(first) ? `(${JSON.stringify(first.text)})` : '';
    return `${callee.length > 60 ? callee.slice(-60) : callee}${label} callback`;
  }
  if (ts.isExportAssignment(parent)) return 'default';
  return '<anonymous>';
}
