// The connection-churn fix: move an agent built per call to module scope (with keep-alive on for
// Node agents), offered only where that is mechanical: constant arguments, a callee reachable at
// module level before the statement that uses it.
import { ts } from 'ts-morph';
import { skipOuter } from '../../core/ast';
import { RuleContext } from '../../core/rule';
import { edit } from '../../core/text';
import { Fix } from '../../core/types';
import { findProp } from '../../core/syntax';

/** Move a constant-argument agent to module scope, with keep-alive on, when nothing local is needed. */
export function hoistFix(ctx: RuleContext, node: ts.NewExpression, label: string): Fix[] {
  if (label === 'undici.Pool' || label === 'undici.Client') return [];
  const sf = ctx.sourceFile;
  const top = sf.statements.find((s) => s.pos <= node.pos && node.end <= s.end);
  const root = rootIdentifier(node.expression);
  if (!top || !root) return [];
  const rootDecl = ctx.resolver.symbolOf(root)?.declarations?.[0];
  if (!rootDecl || rootDecl.getSourceFile() !== sf || !isTopLevel(rootDecl) || rootDecl.end > top.getStart(sf)) return [];
  const args = node.arguments ?? [];
  if (args.length > 1 || args.some(hasIdentifierValue)) return [];
  const opts = args[0] ? skipOuter(args[0]) : undefined;
  if (opts && !ts.isObjectLiteralExpression(opts)) return [];
  let optText = opts ? opts.getText(sf) : '';
  if (!label.startsWith('undici')) {
    const ka = opts ? findProp(opts as ts.ObjectLiteralExpression, 'keepAlive') : { prop: undefined };
    if (ka.prop && ts.isPropertyAssignment(ka.prop)) {
      const s = ka.prop.initializer.getStart(sf) - opts!.getStart(sf);
      optText = `${optText.slice(0, s)}true${optText.slice(ka.prop.initializer.getEnd() - opts!.getStart(sf))}`;
    } else if (opts && (opts as ts.ObjectLiteralExpression).properties.length) {
      optText = optText.replace(/^\{\s*/, '{ keepAlive: true, ');
    } else optText = '{ keepAlive: true }';
  }
  let name = 'sharedAgent';
  for (let i = 2; new RegExp(`\\b${name}\\b`).test(sf.text); i++) name = `sharedAgent${i}`;
  const decl = `const ${name} = new ${node.expression.getText(sf)}(${optText});\n\n`;
  const at = insertionPoint(sf, top, rootDecl);
  return [{
    title: `Create one ${label} at module scope${label.startsWith('undici') ? '' : ' with `keepAlive: true`'} and reuse it`,
    safe: false,
    edits: [edit(sf, ctx.file, at, at, decl), edit(sf, ctx.file, node.getStart(sf), node.getEnd(), name)],
  }];
}

/**
 * Where the shared agent's declaration goes: before the statement that uses it, unless that is a
 * function declaration, which runs whenever it is called, possibly before a `const` above it is
 * initialised: then right after the statement that declares the agent's class (and the imports that
 * follow it).
 */
function insertionPoint(sf: ts.SourceFile, top: ts.Statement, rootDecl: ts.Node): number {
  if (!ts.isFunctionDeclaration(top)) return top.getStart(sf);
  let i = sf.statements.findIndex((st) => st.pos <= rootDecl.pos && rootDecl.end <= st.end) + 1;
  while (i < sf.statements.length && ts.isImportDeclaration(sf.statements[i])) i++;
  const next = sf.statements[i];
  return next && next.pos <= top.pos ? next.getStart(sf) : top.getStart(sf);
}

function rootIdentifier(e: ts.Expression): ts.Identifier | undefined {
  const x = skipOuter(e);
  if (ts.isIdentifier(x)) return x;
  if (ts.isPropertyAccessExpression(x)) return rootIdentifier(x.expression);
  return undefined;
}

function isTopLevel(decl: ts.Node): boolean {
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (ts.isSourceFile(n)) return true;
    if (ts.isFunctionLike(n) || ts.isBlock(n) || ts.isClassLike(n)) return false;
  }
  return false;
}

/** Any identifier used as a value (not a property name) makes hoisting unsafe. */
function hasIdentifierValue(n: ts.Node): boolean {
  if (ts.isIdentifier(n)) {
    const p = n.parent;
    if ((ts.isPropertyAssignment(p) && p.name === n) || (ts.isPropertyAccessExpression(p) && p.name === n)) return false;
    return !['undefined', 'Infinity'].includes(n.text);
  }
  return ts.forEachChild(n, hasIdentifierValue) ?? false;
}

