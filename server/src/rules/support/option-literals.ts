// The options literals a creating call is given, where the code says them: a literal (`createTransport({ pool:
// true, … })`), one through a const (of this module or imported from another), or every literal a function of the project returns (`createTransport(smtpOptions())`).
import { ts } from 'ts-morph';
import { RuleContext } from '../../core/rule';
import { isConst, objectOf } from '../../core/syntax';
import { returnedValues, skipOuter } from '../../core/ast';
import { projectFunctionOf } from './agent-factories';

/** The options literals `arg` may be; undefined where any of them is not a literal the code shows. */
export function optionLiterals(ctx: RuleContext, arg: ts.Expression | undefined): ts.ObjectLiteralExpression[] | undefined {
  const literal = objectOf(ctx, arg) ?? importedConstObject(ctx, arg);
  if (literal) return [literal];
  const call = arg && skipOuter(arg);
  const fn = call && ts.isCallExpression(call) ? projectFunctionOf(ctx, call) : undefined;
  const values = fn && returnedValues(fn);
  const literals = values?.map((v) => objectOf(ctx, v));
  return literals?.length && literals.every((l) => !!l) ? literals as ts.ObjectLiteralExpression[] : undefined;
}

/** `createTransport(smtpConfig)` with `export const smtpConfig = { host, port }` in another module of the project. */
function importedConstObject(ctx: RuleContext, arg: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  const e = arg && skipOuter(arg);
  const decl = e && ts.isIdentifier(e) ? ctx.resolver.targetOf(e)?.declarations?.[0] : undefined;
  const init = decl && ts.isVariableDeclaration(decl) && isConst(decl) && decl.initializer ? skipOuter(decl.initializer) : undefined;
  return init && ts.isObjectLiteralExpression(init) ? init : undefined;
}
