// The timeout-without-destroy fixes: destroy the socket in the handler, or add a handler that does.
import { ts } from 'ts-morph';
import { RuleContext } from '../../core/rule';
import { edit, indentAt } from '../../core/text';
import { Fix } from '../../core/types';

/** Append `name.destroy();` as the last statement of the handler (before a final return/throw). */
export function appendDestroy(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, name: string): Fix[] {
  const sf = ctx.sourceFile;
  const body = fn.body!;
  if (fn.parameters.some((p) => p.name.getText() === name.split('.')[0])) return [];
  if (name.startsWith('this.') && !ts.isArrowFunction(fn)) return [];
  const call = `${name}.destroy();`;
  const title = `Destroy \`${name}\` in the timeout handler`;
  if (!ts.isBlock(body)) {
    return [{ title, safe: true, edits: [edit(sf, ctx.file, body.getStart(sf), body.getEnd(), `{ ${body.getText(sf)}; ${call} }`)] }];
  }
  const stmts = body.statements;
  if (!stmts.length) return [{ title, safe: true, edits: [edit(sf, ctx.file, body.getStart(sf), body.getEnd(), `{ ${call} }`)] }];
  const last = stmts[stmts.length - 1];
  const indent = indentAt(sf, last.getStart(sf));
  if (ts.isReturnStatement(last) || ts.isThrowStatement(last)) {
    return [{ title, safe: true, edits: [edit(sf, ctx.file, last.getStart(sf), last.getStart(sf), `${call}\n${indent}`)] }];
  }
  const sameLine = sf.getLineAndCharacterOfPosition(last.getStart(sf)).line === sf.getLineAndCharacterOfPosition(body.getStart(sf)).line;
  return [{ title, safe: true, edits: [edit(sf, ctx.file, last.getEnd(), last.getEnd(), sameLine ? ` ${call}` : `\n${indent}${call}`)] }];
}

/** `s.setTimeout(ms);` → add `s.on('timeout', () => s.destroy());` after the statement. */
export function addHandler(ctx: RuleContext, at: ts.Node, name: string): Fix[] {
  let stmt: ts.Node | undefined = at;
  while (stmt && !ts.isExpressionStatement(stmt) && !ts.isVariableStatement(stmt)) stmt = stmt.parent;
  if (!stmt || !(ts.isBlock(stmt.parent) || ts.isSourceFile(stmt.parent))) return [];
  const sf = ctx.sourceFile;
  const text = `${name}.on('timeout', () => ${name}.destroy());`;
  return [{ title: `Destroy \`${name}\` on 'timeout'`, safe: true, edits: [edit(sf, ctx.file, stmt.getEnd(), stmt.getEnd(), `\n${indentAt(sf, stmt.getStart(sf))}${text}`)] }];
}

